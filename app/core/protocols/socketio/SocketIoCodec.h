#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace wst {

// Engine.IO v4/v3 and Socket.IO v4/v2 packets as they travel over the WebSocket transport.
// Text frames carry one Engine.IO packet: a type digit then its data ("0{...}" open, "2" ping,
// "3" pong, "4" + a Socket.IO packet). A Socket.IO packet is
//   <type>[<attachments>-][/<namespace>,][<ack id>][<JSON payload>]
// e.g. `2["chat",{"text":"hi"}]`, `3/admin,12[true]`, `51-["file",{"_placeholder":true,"num":0}]`;
// the N attachments of a binary packet follow as N binary frames (with a leading 0x04 byte in
// Engine.IO v3). Every parse checks what it reads and says what is wrong in one line.
class SocketIoCodec
{
    Q_DECLARE_TR_FUNCTIONS(SocketIoCodec)
public:
    enum class EngineType { Open = 0, Close, Ping, Pong, Message, Upgrade, Noop };
    enum class PacketType { Connect = 0, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };

    struct EnginePacket
    {
        EngineType type = EngineType::Noop;
        QByteArray data; // what follows the type digit
    };

    struct Packet
    {
        PacketType type = PacketType::Event;
        QString nsp = QStringLiteral("/");
        int attachments = 0;
        qint64 id = -1; // the ack id; -1 when none
        QJsonValue data = QJsonValue(QJsonValue::Undefined); // undefined when the packet has no payload

        // EVENT/BINARY_EVENT: the event name (args[0]) and the arguments after it.
        QString eventName() const;
        QJsonArray eventArgs() const;
        bool isBinary() const { return type == PacketType::BinaryEvent || type == PacketType::BinaryAck; }
    };

    // What comes before a Socket.IO packet's JSON payload (nothing is copied: views into the text).
    struct Header
    {
        PacketType type = PacketType::Event;
        QByteArrayView nsp; // empty for "/"
        int attachments = 0;
        qint64 id = -1;
        qsizetype payloadOffset = 0;

        bool isNamespace(const QString &name) const;
    };

    // The header alone, without reading the JSON: the fast path for packets whose payload the
    // session does not need. On a problem returns false and sets *error.
    static bool parseHeader(QByteArrayView text, Header *header, QString *error);
    // A text frame as an Engine.IO packet. On a problem returns nullopt and sets *error.
    static std::optional<EnginePacket> parseEngine(const QByteArray &frame, QString *error);
    // The data of an Engine.IO "4" packet as a Socket.IO packet. On a problem sets *error.
    static std::optional<Packet> parsePacket(const QByteArray &text, QString *error);
    // The Socket.IO packet as text (without the Engine.IO "4").
    static QByteArray encodePacket(const Packet &packet);
    // "4" + encodePacket(): the text frame to send.
    static QString encodeMessage(const Packet &packet);
    static QString engineFrame(EngineType type, const QByteArray &data = {});

    // A binary frame's attachment bytes: Engine.IO v3 prefixes them with 0x04.
    static QByteArray attachmentBytes(const QByteArray &frame, int eio);
    static QByteArray attachmentFrame(const QByteArray &bytes, int eio);
    // Replaces every {"_placeholder":true,"num":N} in `value` with the attachment N, shown as
    // {"_binary": size, "base64": ...} (the first kilobyte only for a larger one).
    static QJsonValue fillPlaceholders(const QJsonValue &value, const QList<QByteArray> &attachments);

    static QString engineTypeName(EngineType type);
    static QString packetTypeName(PacketType type);
    // Names the Socket.IO server reserves; a client may not emit them.
    static bool isReservedEvent(const QString &name);
    // A random session id of 20 URL-safe characters.
    static QString newSid();
};

} // namespace wst
