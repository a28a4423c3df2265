#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

namespace wst {

// MessagePack to JSON text and back, written here rather than taken from msgpack-cxx: the
// reader is small, checks every length against the bytes that are left (a 4 GiB length field in
// a 10-byte message is an error, not an allocation), and bounds the nesting. The JSON mapping of
// bin, ext, non-string keys and NaN is BinaryJson's (BinaryJson.h).
class MsgPackCodec
{
    Q_DECLARE_TR_FUNCTIONS(MsgPackCodec)
public:
    // One MessagePack value, the whole payload, as compact JSON (UTF-8). On failure returns an
    // empty array and sets *error to one line, e.g. "MessagePack: truncated at byte 7 of 9."
    static QByteArray decode(QByteArrayView bytes, QString *error);
    // JSON text to one MessagePack value. Integers stay integers (the smallest encoding), other
    // numbers become float 64; {"$base64"} becomes bin and {"$ext", "$base64"} ext.
    static QByteArray encode(QByteArrayView json, QString *error);
};

} // namespace wst
