#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

namespace wst {

// CBOR (RFC 8949) to JSON text and back, on Qt's QCborStreamReader and QCborValue. Decoding
// walks the stream itself rather than building a QCborValue, so that map order and duplicate
// keys survive, every length is checked against the bytes that are left and the nesting is
// bounded. Tags, byte strings, simple values, undefined and NaN map as BinaryJson.h says.
class CborCodec
{
    Q_DECLARE_TR_FUNCTIONS(CborCodec)
public:
    // One CBOR data item, the whole payload, as compact JSON (UTF-8); on failure an empty array
    // and one line in *error, e.g. "CBOR: truncated at byte 12 of 12 (End of data)."
    static QByteArray decode(QByteArrayView bytes, QString *error);
    // JSON text to one CBOR item: {"$base64"} becomes a byte string, {"$tag", "$value"} a tag,
    // {"$simple"} a simple value; integers stay integers, other numbers become doubles.
    static QByteArray encode(QByteArrayView json, QString *error);
};

} // namespace wst
