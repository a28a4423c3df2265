#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

namespace wst {

// What the binary codecs (MessagePack, CBOR) share: a compact JSON writer that keeps map order,
// exact 64-bit integers and duplicate keys as the bytes had them, with a budget so that a small
// input can never make a huge output; and the JSON markers that stand for what JSON lacks.
//
// The mapping, the same for both codecs:
// - byte strings (msgpack bin, CBOR bytes)  -> {"$base64": "<standard base64>"}
// - msgpack ext (type T)                    -> {"$ext": T, "$base64": "..."}
// - CBOR tag N                              -> {"$tag": N, "$value": <the tagged value>}
// - CBOR simple value N                     -> {"$simple": N}; undefined -> null
// - NaN, +inf, -inf                         -> the strings "NaN", "Infinity", "-Infinity"
// - map keys that are not strings           -> their compact JSON text ("1", "true", "[1,2]")
// - integers (up to 64 bits, signed or not) -> JSON numbers with every digit
// Encoding reads the same markers back; anything else is plain JSON.
namespace BinaryJson {

// Nesting deeper than this is refused (decoders recurse once per level).
constexpr int MaxDepth = 256;

class Writer
{
public:
    explicit Writer(qsizetype budget)
        : m_budget(budget)
    {
    }
    QByteArray &out() { return m_out; }
    bool overBudget() const { return m_out.size() > m_budget; }
    qsizetype budget() const { return m_budget; }

    void raw(QByteArrayView text) { m_out.append(text); }
    void string(QByteArrayView utf8); // quoted and escaped; invalid UTF-8 becomes U+FFFD
    void number(double value); // NaN and infinities as the strings above
    void integer(qint64 value) { m_out.append(QByteArray::number(value)); }
    void unsignedInteger(quint64 value) { m_out.append(QByteArray::number(value)); }
    void base64(QByteArrayView bytes);

private:
    QByteArray m_out;
    qsizetype m_budget;
};

// How much JSON a payload of this size may become before decoding gives up.
qsizetype budgetFor(qsizetype inputSize);

// JSON text (any value, a bare scalar too) for the encoders. On failure *error says where.
bool parse(QByteArrayView json, QJsonValue *value, QString *error);

// The value behind {"$base64": "..."} (also with "$ext"), when the object is one of the markers.
bool isBase64Marker(const QJsonObject &object, QByteArray *bytes);

// One whole payload through a codec's Reader (constructed from the bytes and a Writer; value(0),
// offset(), error()): its JSON, or nothing with *error. `empty` and `leftOver(bytesLeft, end)`
// word the codec's own messages.
template <typename Reader, typename LeftOver>
QByteArray decodeWhole(QByteArrayView bytes, QString *error, const QString &empty, LeftOver leftOver)
{
    if (bytes.isEmpty()) {
        *error = empty;
        return {};
    }
    Writer writer(budgetFor(bytes.size()));
    Reader reader(bytes, &writer);
    if (!reader.value(0)) {
        *error = reader.error();
        return {};
    }
    if (reader.offset() != bytes.size()) {
        *error = leftOver(bytes.size() - reader.offset(), reader.offset());
        return {};
    }
    error->clear();
    return std::move(writer.out());
}

} // namespace BinaryJson

} // namespace wst
