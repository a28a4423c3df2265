#include "BinaryJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>
#include <QString>

#include <cmath>

namespace wst::BinaryJson {

void Writer::string(QByteArrayView utf8)
{
    // Round-trips through QString so that bytes that are not UTF-8 cannot make invalid JSON.
    const QByteArray text = QString::fromUtf8(utf8).toUtf8();
    m_out.reserve(m_out.size() + text.size() + 2);
    m_out.append('"');
    static const char hex[] = "0123456789abcdef";
    for (const char c : text) {
        switch (c) {
        case '"':
            m_out.append("\\\"");
            break;
        case '\\':
            m_out.append("\\\\");
            break;
        case '\n':
            m_out.append("\\n");
            break;
        case '\r':
            m_out.append("\\r");
            break;
        case '\t':
            m_out.append("\\t");
            break;
        case '\b':
            m_out.append("\\b");
            break;
        case '\f':
            m_out.append("\\f");
            break;
        default:
            if (uchar(c) < 0x20) {
                m_out.append("\\u00");
                m_out.append(hex[uchar(c) >> 4]);
                m_out.append(hex[uchar(c) & 15]);
            } else {
                m_out.append(c);
            }
        }
    }
    m_out.append('"');
}

void Writer::number(double value)
{
    if (std::isnan(value)) {
        m_out.append("\"NaN\"");
        return;
    }
    if (std::isinf(value)) {
        m_out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
    }
    // Plain digits where they are short (100000.0 rather than 1e+05), exponents beyond.
    const double magnitude = std::fabs(value);
    const bool plain = magnitude == 0 || (magnitude >= 1e-5 && magnitude < 1e16);
    QByteArray text = QByteArray::number(value, plain ? 'f' : 'g', QLocale::FloatingPointShortest);
    // A float stays a float when it is read back: 1.0, not 1.
    if (!text.contains('.') && !text.contains('e') && !text.contains("inf"))
        text.append(".0");
    m_out.append(text);
}

void Writer::base64(QByteArrayView bytes)
{
    m_out.append('"');
    m_out.append(bytes.toByteArray().toBase64());
    m_out.append('"');
}

qsizetype budgetFor(qsizetype inputSize)
{
    return (qsizetype(1) << 20) + inputSize * 32;
}

bool parse(QByteArrayView json, QJsonValue *value, QString *error)
{
    QJsonParseError parseError;
    // Wrapped in an array so that a bare scalar (42, "text") is accepted too.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json.toByteArray() + "\n]", &parseError);
    if (doc.isNull()) {
        *error = QCoreApplication::translate("BinaryJson", "the JSON is not valid: %1 at offset %2")
                     .arg(parseError.errorString())
                     .arg(qBound(qsizetype(0), qsizetype(parseError.offset) - 1, json.size()));
        return false;
    }
    if (doc.array().size() != 1) {
        *error = QCoreApplication::translate("BinaryJson", "the text is not one JSON value");
        return false;
    }
    *value = doc.array().at(0);
    return true;
}

bool isBase64Marker(const QJsonObject &object, QByteArray *bytes)
{
    const QJsonValue b64 = object.value(QStringLiteral("$base64"));
    if (!b64.isString())
        return false;
    const bool ext = object.contains(QStringLiteral("$ext"));
    if (object.size() != (ext ? 2 : 1))
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(
        b64.toString().toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    *bytes = decoded.decoded;
    return true;
}

} // namespace wst::BinaryJson
