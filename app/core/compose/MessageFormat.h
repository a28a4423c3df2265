#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <optional>

namespace wst {

class PayloadCodec;

// How what the user wrote becomes a message: text as it is, JSON (checked), bytes written in hex
// or base64, or the bytes of a file. The composer, the periodic sender and saved messages all
// read their formats here, so they accept the same input and word a problem the same way:
// "Hex: odd number of digits: the digit at position 7 has no pair."
class MessageFormat
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(MessageFormat)
public:
    // MessagePack and CBOR are written as JSON and sent as binary (format/BinaryJson.h says how
    // {"$base64": ...} and the other markers become bytes, tags and ext values). Protobuf is
    // written as JSON too, and encoded with the tab's decoder (its .proto files and the message
    // type it sends). New types go last: the numbers are kept in settings and combo boxes.
    enum class Type { Text, Json, Hex, Base64, File, MessagePack, Cbor, Protobuf, Bson };
    Q_ENUM(Type)

    // What to send: text frames carry UTF-8, binary frames any bytes.
    struct Encoded
    {
        bool binary = false;
        QByteArray payload;
        QString error; // empty when the message can be sent

        bool ok() const { return error.isEmpty(); }
    };

    static QList<Type> all();
    // Stable names for files and settings: "text", "json", "hex", "base64", "file", "msgpack",
    // "cbor", "bson", "protobuf".
    static QString key(Type type);
    static std::optional<Type> fromKey(QStringView key);
    static Type fromKey(QStringView key, Type fallback);
    // The name a user reads: "Text", "JSON", "Binary (hex)", "Binary (base64)", "File",
    // "MessagePack (from JSON)", "CBOR (from JSON)", "BSON (from JSON)", "Protobuf (from JSON)".
    static QString label(Type type);
    // Sent as a binary frame (hex, base64, file, MessagePack, CBOR, BSON, Protobuf) rather than a
    // text frame.
    static bool isBinary(Type type);
    // The body is JSON (Json, MessagePack, CBOR, BSON, Protobuf): checked and formatted as JSON.
    static bool isJsonBody(Type type);

    // Why the body cannot be sent in this format, or an empty string. For File the body is the
    // file's path, and the file is looked at but not read. codec is the tab's decoder, which
    // Protobuf encodes with; without one only the JSON is checked (a scenario file, say).
    static QString check(Type type, const QString &body, const PayloadCodec *codec = nullptr);
    // The frame to send. For File the body is the path, and the whole file is read. Protobuf
    // needs the tab's decoder set to protobuf: "Protobuf: no .proto files are set for this
    // connection (View ▸ Decoder…)." otherwise.
    static Encoded encode(Type type, const QString &body, const PayloadCodec *codec = nullptr);

    // The parsers behind Hex and Base64, for callers that hold bytes written this way.
    // Spaces, line breaks, ':', ',', '-' and "0x" prefixes are allowed between hex bytes.
    static QByteArray parseHex(const QString &text, QString *error);
    // Standard or URL alphabet, with or without padding; white space is ignored.
    static QByteArray parseBase64(const QString &text, QString *error);
};

} // namespace wst
