#include "CborCodec.h"

#include "BinaryJson.h"

#include <QCborStreamReader>
#include <QCborStreamWriter>
#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>

#include <limits>

namespace wst {

namespace {

class Walker
{
public:
    Walker(QByteArrayView bytes, BinaryJson::Writer *writer)
        : m_data(bytes.toByteArray())
        , m_reader(m_data)
        , m_w(writer)
    {
    }

    bool value(int depth);
    QString error() const { return m_error; }
    qsizetype offset() const { return m_reader.currentOffset(); }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
        return false;
    }
    bool readerFailed()
    {
        const QCborError e = m_reader.lastError();
        if (e == QCborError::NoError)
            return false;
        if (e == QCborError::EndOfFile)
            return fail(CborCodec::tr("CBOR: truncated at byte %1 of %2.")
                            .arg(m_reader.currentOffset() + 1)
                            .arg(m_data.size()));
        return fail(
            CborCodec::tr("CBOR: %1 at byte %2.").arg(e.toString()).arg(m_reader.currentOffset() + 1));
    }
    qsizetype left() const { return m_data.size() - m_reader.currentOffset(); }
    bool lengthFits(quint64 perItem)
    {
        // A declared length beyond what the payload still holds is refused before Qt reserves it.
        if (!m_reader.isLengthKnown())
            return true;
        const quint64 n = m_reader.length();
        if (n > quint64(left()) / perItem)
            return fail(CborCodec::tr("CBOR: a length of %1 at byte %2 is more than the %3 bytes left.")
                            .arg(n)
                            .arg(m_reader.currentOffset() + 1)
                            .arg(left()));
        return true;
    }
    bool bytes(QByteArray *out);
    bool text(QByteArray *out);
    bool container(bool isMap, int depth);
    bool key(int depth);

    QByteArray m_data;
    QCborStreamReader m_reader;
    BinaryJson::Writer *m_w;
    QString m_error;
};

bool Walker::bytes(QByteArray *out)
{
    if (!lengthFits(1))
        return false;
    for (;;) {
        const auto r = m_reader.readByteArray();
        if (r.status == QCborStreamReader::Error)
            return readerFailed() || fail(CborCodec::tr("CBOR: bad byte string."));
        if (r.status == QCborStreamReader::EndOfString)
            return true;
        out->append(r.data);
        if (out->size() > m_data.size())
            return fail(CborCodec::tr("CBOR: bad byte string."));
    }
}

bool Walker::text(QByteArray *out)
{
    if (!lengthFits(1))
        return false;
    for (;;) {
        const auto r = m_reader.readString(); // readUtf8String() is Qt 6.7
        if (r.status == QCborStreamReader::Error)
            return readerFailed() || fail(CborCodec::tr("CBOR: bad text string."));
        if (r.status == QCborStreamReader::EndOfString)
            return true;
        out->append(r.data.toUtf8());
        if (out->size() > 3 * m_data.size())
            return fail(CborCodec::tr("CBOR: bad text string."));
    }
}

bool Walker::key(int depth)
{
    if (m_reader.isString()) {
        QByteArray utf8;
        if (!text(&utf8))
            return false;
        m_w->string(utf8);
        return true;
    }
    BinaryJson::Writer inner(m_w->budget() - m_w->out().size());
    BinaryJson::Writer *outer = m_w;
    m_w = &inner;
    const bool ok = value(depth + 1);
    m_w = outer;
    if (!ok)
        return false;
    m_w->string(inner.out());
    return true;
}

bool Walker::container(bool isMap, int depth)
{
    if (!lengthFits(isMap ? 2 : 1))
        return false;
    // Qt's hasNext() says false at the end of the data, as at the end of the container: a
    // definite length is counted here, and an indefinite one must end with its break byte.
    const bool known = m_reader.isLengthKnown();
    const quint64 count = known ? m_reader.length() : 0;
    if (!m_reader.enterContainer())
        return readerFailed() || fail(CborCodec::tr("CBOR: bad container."));
    m_w->raw(isMap ? "{" : "[");
    for (quint64 i = 0; known ? i < count : m_reader.hasNext(); ++i) {
        if (i)
            m_w->raw(",");
        if (isMap) {
            if (!key(depth))
                return false;
            m_w->raw(":");
        }
        if (!value(depth + 1))
            return false;
    }
    if (readerFailed())
        return false;
    if (!known && m_reader.currentOffset() >= m_data.size())
        return fail(
            CborCodec::tr("CBOR: truncated at byte %1 of %2.").arg(m_data.size() + 1).arg(m_data.size()));
    if (!m_reader.leaveContainer())
        return readerFailed() || fail(CborCodec::tr("CBOR: bad container."));
    m_w->raw(isMap ? "}" : "]");
    return true;
}

bool Walker::value(int depth)
{
    if (depth > BinaryJson::MaxDepth)
        return fail(CborCodec::tr("CBOR: nested deeper than %1 levels.").arg(BinaryJson::MaxDepth));
    if (m_w->overBudget())
        return fail(CborCodec::tr("CBOR: the JSON would be larger than %1 MiB.").arg(m_w->budget() >> 20));
    if (readerFailed())
        return false;
    switch (m_reader.type()) {
    case QCborStreamReader::UnsignedInteger:
        m_w->unsignedInteger(m_reader.toUnsignedInteger());
        break;
    case QCborStreamReader::NegativeInteger: {
        // Qt gives the absolute value; 0 stands for 2^64, below the smallest qint64.
        const quint64 magnitude = quint64(m_reader.toNegativeInteger());
        m_w->raw(magnitude == 0 ? QByteArray("-18446744073709551616") : "-" + QByteArray::number(magnitude));
        break;
    }
    case QCborStreamReader::ByteArray: {
        QByteArray data;
        if (!bytes(&data))
            return false;
        m_w->raw("{\"$base64\":");
        m_w->base64(data);
        m_w->raw("}");
        return true; // readByteArray moved past the item
    }
    case QCborStreamReader::String: {
        QByteArray utf8;
        if (!text(&utf8))
            return false;
        m_w->string(utf8);
        return true;
    }
    case QCborStreamReader::Array:
    case QCborStreamReader::Map:
        return container(m_reader.isMap(), depth);
    case QCborStreamReader::Tag: {
        const quint64 tag = quint64(m_reader.toTag());
        if (!m_reader.next())
            return readerFailed() || fail(CborCodec::tr("CBOR: a tag without a value."));
        m_w->raw("{\"$tag\":");
        m_w->unsignedInteger(tag);
        m_w->raw(",\"$value\":");
        if (!value(depth + 1))
            return false;
        m_w->raw("}");
        return true;
    }
    case QCborStreamReader::SimpleType:
        switch (m_reader.toSimpleType()) {
        case QCborSimpleType::False:
            m_w->raw("false");
            break;
        case QCborSimpleType::True:
            m_w->raw("true");
            break;
        case QCborSimpleType::Null:
        case QCborSimpleType::Undefined:
            m_w->raw("null");
            break;
        default:
            m_w->raw("{\"$simple\":");
            m_w->integer(int(m_reader.toSimpleType()));
            m_w->raw("}");
        }
        break;
    case QCborStreamReader::Float16:
        m_w->number(double(float(m_reader.toFloat16())));
        break;
    case QCborStreamReader::Float:
        m_w->number(double(m_reader.toFloat()));
        break;
    case QCborStreamReader::Double:
        m_w->number(m_reader.toDouble());
        break;
    case QCborStreamReader::Invalid:
        return readerFailed() || fail(CborCodec::tr("CBOR: no data item at byte %1.").arg(offset() + 1));
    }
    if (!m_reader.next())
        return readerFailed() || fail(CborCodec::tr("CBOR: bad data item at byte %1.").arg(offset() + 1));
    return true;
}

// Written with QCborStreamWriter rather than QCborValue, which would turn tags 0/1 into its
// own date-time form (tag 1 with 2 came out as tag 0 with a date string).
void write(QCborStreamWriter &w, const QJsonValue &value);

void writeObject(QCborStreamWriter &w, const QJsonObject &object)
{
    QByteArray data;
    if (BinaryJson::isBase64Marker(object, &data) && !object.contains(QStringLiteral("$ext"))) {
        w.append(data);
        return;
    }
    const QJsonValue tag = object.value(QStringLiteral("$tag"));
    const QCborValue tagNumber = QCborValue::fromJsonValue(tag);
    if (object.size() == 2 && tagNumber.isInteger() && tagNumber.toInteger() >= 0
        && object.contains(QStringLiteral("$value"))) {
        w.append(QCborTag(quint64(tagNumber.toInteger())));
        write(w, object.value(QStringLiteral("$value")));
        return;
    }
    const int simple = object.value(QStringLiteral("$simple")).toInt(-1);
    if (object.size() == 1 && simple >= 0 && simple <= 255 && (simple < 24 || simple >= 32)) {
        w.append(QCborSimpleType(simple));
        return;
    }
    w.startMap(quint64(object.size()));
    for (auto it = object.begin(); it != object.end(); ++it) {
        w.append(it.key());
        write(w, it.value());
    }
    w.endMap();
}

void write(QCborStreamWriter &w, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        w.append(nullptr);
        break;
    case QJsonValue::Bool:
        w.append(value.toBool());
        break;
    case QJsonValue::Double: {
        // Qt's JSON parser keeps whole numbers that fit 64 bits as integers.
        const QCborValue number = QCborValue::fromJsonValue(value);
        if (number.isInteger())
            w.append(number.toInteger());
        else
            w.append(value.toDouble());
        break;
    }
    case QJsonValue::String:
        w.append(value.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        w.startArray(quint64(array.size()));
        for (const QJsonValue &v : array)
            write(w, v);
        w.endArray();
        break;
    }
    case QJsonValue::Object:
        writeObject(w, value.toObject());
        break;
    }
}

} // namespace

QByteArray CborCodec::decode(QByteArrayView bytes, QString *error)
{
    return BinaryJson::decodeWhole<Walker>(
        bytes, error, tr("CBOR: the payload is empty."), [](qsizetype left, qsizetype end) {
            return tr("CBOR: %1 bytes left over after the data item that ends at byte %2.")
                .arg(left)
                .arg(end);
        });
}

QByteArray CborCodec::encode(QByteArrayView json, QString *error)
{
    QJsonValue value;
    if (!BinaryJson::parse(json, &value, error)) {
        *error = tr("CBOR: %1.").arg(*error);
        return {};
    }
    error->clear();
    QByteArray out;
    QCborStreamWriter writer(&out);
    write(writer, value);
    return out;
}

} // namespace wst
