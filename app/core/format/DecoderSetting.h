#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wst {

// How a tab reads (and the composer writes) binary payloads: the codec, and for Protocol
// Buffers the .proto files, import paths and the message type of each direction. With a
// first-byte rule, the first byte of a payload names its type (typeByFirstByte) and the rest is
// the message; the direction's type is then the fallback for bytes the rule does not list.
// Saved with the tab as {"codec": "protobuf", "protoFiles": [...], "importPaths": [...],
// "typeIn": "chat.Event", "typeOut": "chat.Command", "firstByte": {"1": "chat.Ping"}}.
struct DecoderSetting
{
    Q_DECLARE_TR_FUNCTIONS(DecoderSetting)
public:
    enum class Codec { None, MessagePack, Cbor, Protobuf, Bson };

    Codec codec = Codec::None;
    QStringList protoFiles;
    QStringList importPaths;
    QString typeIn;
    QString typeOut;
    QMap<int, QString> typeByFirstByte; // byte value 0-255 -> fully qualified type

    bool isNone() const { return codec == Codec::None; }
    bool operator==(const DecoderSetting &other) const = default;

    // "none", "msgpack", "cbor", "bson", "protobuf"
    static QString key(Codec codec);
    static std::optional<Codec> codecFromKey(QStringView key);
    // "MessagePack", "CBOR", "Protocol Buffers", "None"
    static QString label(Codec codec);

    QJsonObject toJson() const;
    // Refuses what does not make sense, naming the field: an unknown codec, a first byte that
    // is not 0-255, a protobuf setting without files. Does not read the files.
    static std::optional<DecoderSetting> fromJson(const QJsonObject &json, QString *error);
    // The same checks on a setting made in code or in a dialog; an empty string when fine.
    QString validate() const;
};

} // namespace wst
