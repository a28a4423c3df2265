#pragma once

#include "MqttPacket.h"

#include <QCoreApplication>

#include <optional>

namespace wst::mqtt {

// Reads and writes MQTT 3.1.1 and 5.0 control packets. Every length, string and flag is
// checked; a malformed packet gives one line saying what is wrong, never a crash (fuzzed).
// Over WebSocket a message may hold several packets and a packet may be split over messages,
// so reading works on a byte stream: readAll() returns the complete packets and how many bytes
// it used; the rest waits for the next message.
class MqttCodec
{
    Q_DECLARE_TR_FUNCTIONS(MqttCodec)
public:
    static constexpr quint32 MaxRemainingLength = 268435455; // what 4 variable-length bytes hold
    struct ReadResult
    {
        QList<MqttPacket> packets;
        qsizetype consumed = 0; // bytes of `packets`; what follows is incomplete (or malformed)
        QString error; // non-empty: the bytes at `consumed` are not a valid packet
        // When the data ends inside a packet: its type (Reserved if even the header is cut) and
        // how many bytes it still needs (0 when unknown because the length itself is cut).
        bool incomplete = false;
        PacketType incompleteType = PacketType::Reserved;
        qint64 missing = 0;
        int version = Version311; // the version after these packets (a CONNECT sets it)
    };
    // Reads packets from the start of `data` as `version` (4 or 5). A CONNECT switches to the
    // version it declares for the packets after it.
    static ReadResult readAll(const QByteArray &data, int version);
    // Parses one packet's variable header and payload. `first` is the fixed header's first byte.
    static bool parse(quint8 first, const QByteArray &body, int version, MqttPacket *packet, QString *error);
    // The packet as bytes, for `version` (CONNECT uses its own protocolLevel).
    static QByteArray serialize(const MqttPacket &packet, int version);
    // The fixed header flags a packet of this type carries (a PUBLISH's vary: 0 for it).
    static quint8 expectedFlags(PacketType type);

    static QString typeName(PacketType type);
    // "Success", "Granted QoS 1", "Not authorized", ... as the specification names them.
    static QString reasonName(quint8 code, PacketType type, int version);
    // "Message Expiry Interval", ...; empty for an unknown identifier.
    static QString propertyName(quint8 id);
    static std::optional<PropertyType> propertyType(quint8 id);
    // The value as text ("a: b" for a user property, hex for binary data).
    static QString propertyText(const MqttProperty &property);
    // Checks a topic name (no wildcards) or a topic filter: one line saying what is wrong, or "".
    static QString checkTopic(const QString &topic, bool filter);
    static bool topicMatches(const QString &filter, const QString &topic);
};

} // namespace wst::mqtt
