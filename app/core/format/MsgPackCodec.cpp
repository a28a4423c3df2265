#include "MsgPackCodec.h"

#include "BinaryJson.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>

#include <cstring>

namespace wst {

namespace {

class Reader
{
public:
    Reader(QByteArrayView bytes, BinaryJson::Writer *writer)
        : m_bytes(bytes)
        , m_w(writer)
    {
    }

    bool value(int depth);
    QString error() const { return m_error; }
    qsizetype offset() const { return m_at; }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
        return false;
    }
    bool truncated()
    {
        return fail(
            MsgPackCodec::tr("MessagePack: truncated at byte %1 of %2.").arg(m_at + 1).arg(m_bytes.size()));
    }
    qsizetype left() const { return m_bytes.size() - m_at; }
    bool take(qsizetype n, const uchar **out)
    {
        if (n < 0 || n > left())
            return truncated();
        *out = reinterpret_cast<const uchar *>(m_bytes.data()) + m_at;
        m_at += n;
        return true;
    }
    bool uint(int size, quint64 *v)
    {
        const uchar *p = nullptr;
        if (!take(size, &p))
            return false;
        quint64 r = 0;
        for (int i = 0; i < size; ++i)
            r = r << 8 | p[i];
        *v = r;
        return true;
    }
    bool signedInt(int size, qint64 *v)
    {
        quint64 u = 0;
        if (!uint(size, &u))
            return false;
        const int shift = 64 - size * 8;
        *v = qint64(u << shift) >> shift;
        return true;
    }
    bool str(quint64 length);
    bool bin(quint64 length);
    bool ext(quint64 length);
    bool array(quint64 count, int depth);
    bool map(quint64 count, int depth);
    bool key(int depth);
    bool budget()
    {
        if (!m_w->overBudget())
            return true;
        return fail(
            MsgPackCodec::tr("MessagePack: the JSON would be larger than %1 MiB.").arg(m_w->budget() >> 20));
    }

    QByteArrayView m_bytes;
    BinaryJson::Writer *m_w;
    qsizetype m_at = 0;
    QString m_error;
};

bool Reader::str(quint64 length)
{
    const uchar *p = nullptr;
    if (length > quint64(left()))
        return truncated();
    if (!take(qsizetype(length), &p))
        return false;
    m_w->string(QByteArrayView(reinterpret_cast<const char *>(p), qsizetype(length)));
    return true;
}

bool Reader::bin(quint64 length)
{
    const uchar *p = nullptr;
    if (length > quint64(left()) || !take(qsizetype(length), &p))
        return truncated();
    m_w->raw("{\"$base64\":");
    m_w->base64(QByteArrayView(reinterpret_cast<const char *>(p), qsizetype(length)));
    m_w->raw("}");
    return true;
}

bool Reader::ext(quint64 length)
{
    qint64 type = 0;
    if (!signedInt(1, &type))
        return false;
    const uchar *p = nullptr;
    if (length > quint64(left()) || !take(qsizetype(length), &p))
        return truncated();
    m_w->raw("{\"$ext\":");
    m_w->integer(type);
    m_w->raw(",\"$base64\":");
    m_w->base64(QByteArrayView(reinterpret_cast<const char *>(p), qsizetype(length)));
    m_w->raw("}");
    return true;
}

bool Reader::array(quint64 count, int depth)
{
    // Every element takes at least one byte: a count beyond what is left is a lie.
    if (count > quint64(left()))
        return truncated();
    m_w->raw("[");
    for (quint64 i = 0; i < count; ++i) {
        if (i)
            m_w->raw(",");
        if (!value(depth + 1))
            return false;
    }
    m_w->raw("]");
    return true;
}

bool Reader::key(int depth)
{
    if (left() < 1)
        return truncated();
    const uchar tag = uchar(m_bytes[m_at]);
    const bool isString = (tag >= 0xa0 && tag <= 0xbf) || tag == 0xd9 || tag == 0xda || tag == 0xdb;
    if (isString)
        return value(depth + 1);
    // Any other key is written as JSON first, and that text becomes the key.
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

bool Reader::map(quint64 count, int depth)
{
    if (count > quint64(left()) / 2)
        return truncated();
    m_w->raw("{");
    for (quint64 i = 0; i < count; ++i) {
        if (i)
            m_w->raw(",");
        if (!key(depth))
            return false;
        m_w->raw(":");
        if (!value(depth + 1))
            return false;
    }
    m_w->raw("}");
    return true;
}

bool Reader::value(int depth)
{
    if (depth > BinaryJson::MaxDepth)
        return fail(MsgPackCodec::tr("MessagePack: nested deeper than %1 levels.").arg(BinaryJson::MaxDepth));
    if (!budget())
        return false;
    const uchar *p = nullptr;
    if (!take(1, &p))
        return false;
    const uchar tag = *p;
    quint64 u = 0;
    qint64 s = 0;
    if (tag <= 0x7f) {
        m_w->integer(tag);
        return true;
    }
    if (tag >= 0xe0) {
        m_w->integer(qint64(qint8(tag)));
        return true;
    }
    if (tag >= 0x80 && tag <= 0x8f)
        return map(tag & 0x0f, depth);
    if (tag >= 0x90 && tag <= 0x9f)
        return array(tag & 0x0f, depth);
    if (tag >= 0xa0 && tag <= 0xbf)
        return str(tag & 0x1f);
    switch (tag) {
    case 0xc0:
        m_w->raw("null");
        return true;
    case 0xc2:
        m_w->raw("false");
        return true;
    case 0xc3:
        m_w->raw("true");
        return true;
    case 0xc4:
    case 0xc5:
    case 0xc6:
        return uint(1 << (tag - 0xc4), &u) && bin(u);
    case 0xc7:
    case 0xc8:
    case 0xc9:
        return uint(1 << (tag - 0xc7), &u) && ext(u);
    case 0xca: {
        if (!uint(4, &u))
            return false;
        const quint32 bits = quint32(u);
        float f = 0;
        std::memcpy(&f, &bits, sizeof f);
        m_w->number(double(f));
        return true;
    }
    case 0xcb: {
        if (!uint(8, &u))
            return false;
        double d = 0;
        std::memcpy(&d, &u, sizeof d);
        m_w->number(d);
        return true;
    }
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf:
        if (!uint(1 << (tag - 0xcc), &u))
            return false;
        m_w->unsignedInteger(u);
        return true;
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3:
        if (!signedInt(1 << (tag - 0xd0), &s))
            return false;
        m_w->integer(s);
        return true;
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
        return ext(quint64(1) << (tag - 0xd4));
    case 0xd9:
    case 0xda:
    case 0xdb:
        return uint(1 << (tag - 0xd9), &u) && str(u);
    case 0xdc:
    case 0xdd:
        return uint(2 << (tag - 0xdc), &u) && array(u, depth);
    case 0xde:
    case 0xdf:
        return uint(2 << (tag - 0xde), &u) && map(u, depth);
    default: // 0xc1 is never used
        return fail(MsgPackCodec::tr("MessagePack: byte %1 (0x%2) is not a valid type.")
                        .arg(m_at)
                        .arg(tag, 2, 16, QLatin1Char('0')));
    }
}

// ---- encoding

void putBig(QByteArray &out, quint64 v, int size)
{
    for (int i = size - 1; i >= 0; --i)
        out.append(char(v >> (i * 8)));
}

void putLength(QByteArray &out, quint64 n, uchar fix, int fixMax, uchar t8, uchar t16, uchar t32)
{
    if (fix && n <= quint64(fixMax)) {
        out.append(char(fix | n));
    } else if (t8 && n <= 0xff) {
        out.append(char(t8));
        putBig(out, n, 1);
    } else if (n <= 0xffff) {
        out.append(char(t16));
        putBig(out, n, 2);
    } else {
        out.append(char(t32));
        putBig(out, n, 4);
    }
}

void putInteger(QByteArray &out, qint64 v)
{
    if (v >= 0) {
        const quint64 u = quint64(v);
        if (u <= 0x7f)
            out.append(char(u));
        else if (u <= 0xff)
            out.append(char(0xcc)), putBig(out, u, 1);
        else if (u <= 0xffff)
            out.append(char(0xcd)), putBig(out, u, 2);
        else if (u <= 0xffffffffu)
            out.append(char(0xce)), putBig(out, u, 4);
        else
            out.append(char(0xcf)), putBig(out, u, 8);
        return;
    }
    if (v >= -32)
        out.append(char(qint8(v)));
    else if (v >= -128)
        out.append(char(0xd0)), putBig(out, quint64(v), 1);
    else if (v >= -32768)
        out.append(char(0xd1)), putBig(out, quint64(v), 2);
    else if (v >= -2147483648LL)
        out.append(char(0xd2)), putBig(out, quint64(v), 4);
    else
        out.append(char(0xd3)), putBig(out, quint64(v), 8);
}

void putValue(QByteArray &out, const QJsonValue &value);

void putString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    putLength(out, quint64(utf8.size()), 0xa0, 31, 0xd9, 0xda, 0xdb);
    out.append(utf8);
}

void putObject(QByteArray &out, const QJsonObject &object)
{
    QByteArray bytes;
    if (BinaryJson::isBase64Marker(object, &bytes)) {
        const QJsonValue ext = object.value(QStringLiteral("$ext"));
        if (ext.isUndefined()) {
            putLength(out, quint64(bytes.size()), 0, 0, 0xc4, 0xc5, 0xc6);
        } else {
            const int type = ext.toInt();
            const qsizetype n = bytes.size();
            if (n == 1 || n == 2 || n == 4 || n == 8 || n == 16)
                out.append(char(0xd4 + (n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : n == 8 ? 3 : 4)));
            else
                putLength(out, quint64(n), 0, 0, 0xc7, 0xc8, 0xc9);
            out.append(char(qint8(type)));
        }
        out.append(bytes);
        return;
    }
    putLength(out, quint64(object.size()), 0x80, 15, 0, 0xde, 0xdf);
    for (auto it = object.begin(); it != object.end(); ++it) {
        putString(out, it.key());
        putValue(out, it.value());
    }
}

void putValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append(char(0xc0));
        break;
    case QJsonValue::Bool:
        out.append(char(value.toBool() ? 0xc3 : 0xc2));
        break;
    case QJsonValue::Double: {
        // The JSON parser keeps whole numbers that fit 64 bits as integers.
        const QCborValue cbor = QCborValue::fromJsonValue(value);
        if (cbor.isInteger()) {
            putInteger(out, cbor.toInteger());
        } else {
            const double d = value.toDouble();
            quint64 bits = 0;
            std::memcpy(&bits, &d, sizeof d);
            out.append(char(0xcb));
            putBig(out, bits, 8);
        }
        break;
    }
    case QJsonValue::String:
        putString(out, value.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        putLength(out, quint64(array.size()), 0x90, 15, 0, 0xdc, 0xdd);
        for (const QJsonValue &v : array)
            putValue(out, v);
        break;
    }
    case QJsonValue::Object:
        putObject(out, value.toObject());
        break;
    }
}

} // namespace

QByteArray MsgPackCodec::decode(QByteArrayView bytes, QString *error)
{
    return BinaryJson::decodeWhole<Reader>(
        bytes, error, tr("MessagePack: the payload is empty."), [](qsizetype left, qsizetype end) {
            return tr("MessagePack: %1 bytes left over after the value that ends at byte %2.")
                .arg(left)
                .arg(end);
        });
}

QByteArray MsgPackCodec::encode(QByteArrayView json, QString *error)
{
    QJsonValue value;
    if (!BinaryJson::parse(json, &value, error)) {
        *error = tr("MessagePack: %1.").arg(*error);
        return {};
    }
    QByteArray out;
    putValue(out, value);
    error->clear();
    return out;
}

} // namespace wst
