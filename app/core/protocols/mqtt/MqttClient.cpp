#include "MqttClient.h"

#include "MqttCodec.h"
#include "MqttProtocol.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

using namespace mqtt;

namespace {
constexpr quint8 ServerKeepAliveProperty = 0x13;
constexpr quint8 AssignedClientIdProperty = 0x12;
constexpr quint8 UserProperty = 0x26;
} // namespace

MqttClient::MqttClient(std::shared_ptr<const Protocol> protocol, ProtocolClientSink *sink)
    : ProtocolClient(std::move(protocol), sink)
{
    m_version = mqttProtocol().version();
    connect(&m_keepAlive, &QTimer::timeout, this, [this] { keepAliveTick(); });
}

MqttClient::~MqttClient() = default;

const MqttProtocol &MqttClient::mqttProtocol() const
{
    return static_cast<const MqttProtocol &>(protocol());
}

void MqttClient::send(const MqttPacket &packet)
{
    sink().sendBinary(MqttCodec::serialize(packet, m_version));
}

void MqttClient::opened()
{
    m_buffer.clear();
    m_connected = false;
    m_failed = false;
    send(mqttProtocol().connectPacket());
}

void MqttClient::received(Kind kind, const QByteArray &payload)
{
    if (m_failed)
        return;
    if (kind != Kind::Binary) {
        sink().note(Kind::Error,
            tr("MQTT: the broker sent a text message; MQTT over WebSocket uses binary messages."));
        return;
    }
    m_buffer.append(payload);
    const MqttCodec::ReadResult r = MqttCodec::readAll(m_buffer, m_version);
    m_buffer.remove(0, r.consumed);
    for (const MqttPacket &packet : r.packets)
        handle(packet);
    if (!r.error.isEmpty()) {
        // MQTT closes the network connection on a malformed packet (4.13).
        m_failed = true;
        sink().note(Kind::Error, tr("MQTT: malformed packet from the broker: %1").arg(r.error));
        sink().closeConnection(1002, QStringLiteral("malformed MQTT packet"));
    }
}

void MqttClient::closed()
{
    m_keepAlive.stop();
    setNotReady();
    m_pending.clear();
    m_incomingQos2.clear();
    for (const QString &filter : std::exchange(m_subscriptions, {})) {
        ProtocolNotice ended;
        ended.type = ProtocolNotice::Type::OperationEnded;
        ended.id = filter;
        ended.name = filter;
        ended.data = tr("the connection closed");
        sink().notice(ended);
    }
}

QString MqttClient::check(const ProtocolCommand &command) const
{
    const QString &verb = command.verb;
    if (verb == QLatin1String("subscribe") || verb == QLatin1String("publish")) {
        const bool filter = verb == QLatin1String("subscribe");
        if (const QString bad = MqttCodec::checkTopic(command.name, filter); !bad.isEmpty())
            return tr("MQTT: %1.").arg(bad);
        if (command.qos < 0 || command.qos > 2)
            return tr("MQTT: QoS must be 0, 1 or 2, not %1.").arg(command.qos);
        if (!command.headers.isEmpty() && m_version != Version5)
            return tr("MQTT: user properties need MQTT 5 (this connection speaks MQTT 3.1.1).");
        return {};
    }
    if (verb == QLatin1String("unsubscribe") || verb == QLatin1String("stop")) {
        const QString filter = command.name.isEmpty() ? command.id : command.name;
        if (const QString bad = MqttCodec::checkTopic(filter, true); !bad.isEmpty())
            return tr("MQTT: %1.").arg(bad);
        return {};
    }
    if (verb == QLatin1String("disconnect"))
        return {};
    return tr("MQTT: unknown command \"%1\" (subscribe, unsubscribe, publish or disconnect).").arg(verb);
}

quint16 MqttClient::allocateId()
{
    for (int tries = 0; tries < 65535; ++tries) {
        const quint16 id = m_nextId;
        m_nextId = m_nextId == 65535 ? 1 : m_nextId + 1;
        if (!m_pending.contains(id))
            return id;
    }
    return 0;
}

QString MqttClient::execute(const ProtocolCommand &command)
{
    if (const QString bad = check(command); !bad.isEmpty())
        return bad;
    MqttPacket packet;
    if (command.verb == QLatin1String("disconnect")) {
        // A clean end: the broker drops the will (closing the WebSocket alone publishes it).
        packet.type = PacketType::Disconnect;
        send(packet);
        m_failed = true;
        sink().closeConnection(1000, QString());
        return {};
    }
    Pending pending;
    pending.started.start();
    if (command.verb == QLatin1String("publish")) {
        packet.type = PacketType::Publish;
        packet.topic = command.name;
        packet.qos = command.qos;
        packet.retain = command.retain;
        packet.payload = command.body;
        if (packet.payload.isEmpty() && !command.data.isUndefined() && !command.data.isNull())
            packet.payload = command.data.isString()
                ? command.data.toString().toUtf8()
                : QJsonDocument::fromVariant(command.data.toVariant()).toJson(QJsonDocument::Compact);
        for (const auto &header : command.headers)
            packet.properties.append(MqttProperty { UserProperty, 0, header.first, header.second, {} });
        if (packet.qos == 0) {
            send(packet);
            if (command.expectReply) {
                // Nothing acknowledges QoS 0: say so at once rather than leave the caller waiting.
                ProtocolNotice notice;
                notice.type = ProtocolNotice::Type::Reply;
                notice.name = command.name;
                notice.ticket = command.ticket;
                notice.data = QJsonObject { { QStringLiteral("packet"), QStringLiteral("PUBLISH") },
                    { QStringLiteral("reason"), tr("QoS 0: not acknowledged") } };
                sink().notice(notice);
            }
            return {};
        }
        pending.waitsFor = packet.qos == 1 ? PacketType::Puback : PacketType::Pubrec;
    } else if (command.verb == QLatin1String("subscribe")) {
        packet.type = PacketType::Subscribe;
        packet.subscriptions.append(MqttSubscription { command.name, quint8(command.qos) });
        pending.waitsFor = PacketType::Suback;
    } else {
        packet.type = PacketType::Unsubscribe;
        packet.filters.append(command.name.isEmpty() ? command.id : command.name);
        pending.waitsFor = PacketType::Unsuback;
    }
    packet.packetId = allocateId();
    if (packet.packetId == 0)
        return tr("MQTT: all 65535 packet identifiers are waiting for an answer.");
    pending.name = command.verb == QLatin1String("publish") || command.verb == QLatin1String("subscribe")
            || !command.name.isEmpty()
        ? command.name
        : command.id;
    pending.qos = command.qos;
    pending.ticket = command.ticket;
    m_pending.insert(packet.packetId, pending);
    send(packet);
    return {};
}

void MqttClient::handle(const MqttPacket &packet)
{
    if (!m_connected && packet.type != PacketType::Connack) {
        sink().note(Kind::Error,
            tr("MQTT: the broker sent %1 before CONNACK.").arg(MqttCodec::typeName(packet.type)));
        return;
    }
    switch (packet.type) {
    case PacketType::Connack:
        handleConnack(packet);
        break;
    case PacketType::Publish:
        handlePublish(packet);
        break;
    case PacketType::Pubrel: {
        m_incomingQos2.remove(packet.packetId);
        MqttPacket comp;
        comp.type = PacketType::Pubcomp;
        comp.packetId = packet.packetId;
        send(comp);
        break;
    }
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubcomp:
    case PacketType::Suback:
    case PacketType::Unsuback:
        handleAck(packet);
        break;
    case PacketType::Pingresp:
        m_awaitingPong = false;
        break;
    case PacketType::Disconnect:
        sink().note(packet.reasonCode >= 0x80 ? Kind::Error : Kind::Info,
            tr("MQTT: the broker disconnects: %1")
                .arg(MqttCodec::reasonName(packet.reasonCode, packet.type, m_version)));
        break;
    default:
        sink().note(
            Kind::Error, tr("MQTT: a broker does not send %1.").arg(MqttCodec::typeName(packet.type)));
        break;
    }
}

void MqttClient::handleConnack(const MqttPacket &packet)
{
    if (m_connected) {
        sink().note(Kind::Error, tr("MQTT: a second CONNACK."));
        return;
    }
    ProtocolMessage described = MqttProtocol::describe(packet, m_version);
    ProtocolNotice notice;
    notice.name = QStringLiteral("CONNACK");
    notice.fields = described.fields;
    if (packet.reasonCode != 0) {
        m_failed = true;
        setNotReady();
        notice.type = ProtocolNotice::Type::Error;
        notice.data = MqttCodec::reasonName(packet.reasonCode, packet.type, m_version);
        sink().notice(notice);
        sink().note(
            Kind::Error, tr("MQTT: the broker refused the connection: %1").arg(notice.data.toString()));
        // The broker should close now (3.2.2.3); not every one does, and nothing more can happen.
        sink().closeConnection(1000, QStringLiteral("MQTT connection refused"));
        return;
    }
    m_connected = true;
    notice.type = ProtocolNotice::Type::Handshake;
    notice.fields.prepend({ QStringLiteral("protocol"),
        m_version == Version5 ? QStringLiteral("MQTT 5.0") : QStringLiteral("MQTT 3.1.1") });
    if (const MqttProperty *assigned = packet.property(AssignedClientIdProperty))
        notice.fields.append({ QStringLiteral("client id"), assigned->string });
    int keepAlive = mqttProtocol().keepAlive();
    if (const MqttProperty *serverKeepAlive = packet.property(ServerKeepAliveProperty))
        keepAlive = int(serverKeepAlive->number);
    notice.fields.append({ QStringLiteral("keep alive"), QString::number(keepAlive) });
    sink().notice(notice);
    m_awaitingPong = false;
    if (keepAlive > 0)
        m_keepAlive.start(keepAlive * 1000);
    setReady();
}

void MqttClient::keepAliveTick()
{
    if (m_awaitingPong)
        sink().note(Kind::Error,
            tr("MQTT: no PINGRESP within the keep-alive interval (%1 s).")
                .arg(m_keepAlive.interval() / 1000));
    m_awaitingPong = true;
    MqttPacket ping;
    ping.type = PacketType::Pingreq;
    send(ping);
}

void MqttClient::reply(quint16 id, const Pending &pending, const MqttPacket &packet)
{
    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::Reply;
    notice.id = QString::number(id);
    notice.name = pending.name;
    notice.rttUs = pending.started.nsecsElapsed() / 1000;
    notice.ticket = pending.ticket;
    notice.fields = MqttProtocol::describe(packet, m_version).fields;
    QJsonObject data { { QStringLiteral("packet"), MqttCodec::typeName(packet.type) } };
    if (packet.type == PacketType::Suback || packet.type == PacketType::Unsuback) {
        if (!packet.reasonCodes.isEmpty()) {
            data.insert(QStringLiteral("reasonCode"), packet.reasonCodes.first());
            data.insert(QStringLiteral("reason"),
                MqttCodec::reasonName(packet.reasonCodes.first(), packet.type, m_version));
        }
    } else {
        data.insert(QStringLiteral("reasonCode"), packet.reasonCode);
        data.insert(
            QStringLiteral("reason"), MqttCodec::reasonName(packet.reasonCode, packet.type, m_version));
    }
    notice.data = data;
    sink().notice(notice);
}

void MqttClient::handleAck(const MqttPacket &packet)
{
    auto it = m_pending.find(packet.packetId);
    const PacketType expected = it == m_pending.end() ? PacketType::Reserved : it->waitsFor;
    if (expected != packet.type) {
        sink().note(Kind::Error,
            tr("MQTT: %1 for packet identifier %2, which is not waiting for one.")
                .arg(MqttCodec::typeName(packet.type))
                .arg(packet.packetId));
        return;
    }
    Pending pending = *it;
    if (packet.type == PacketType::Pubrec && packet.reasonCode < 0x80) {
        it->waitsFor = PacketType::Pubcomp;
        MqttPacket rel;
        rel.type = PacketType::Pubrel;
        rel.packetId = packet.packetId;
        send(rel);
        return;
    }
    m_pending.erase(it);
    // A refusal (a SUBACK failure code, an MQTT 5 reason code >= 0x80) is reported before the
    // reply itself, so that whoever waits for the reply learns of the refusal first.
    if (packet.type == PacketType::Suback) {
        const quint8 code = packet.reasonCodes.value(0, 0x80);
        ProtocolNotice notice;
        notice.id = pending.name;
        notice.name = pending.name;
        if (code >= 0x80) {
            notice.type = ProtocolNotice::Type::Error;
            notice.ticket = pending.ticket;
            notice.data = MqttCodec::reasonName(code, packet.type, m_version);
        } else {
            notice.type = ProtocolNotice::Type::OperationStarted;
            notice.data = QJsonObject { { QStringLiteral("grantedQos"), code } };
            if (!m_subscriptions.contains(pending.name))
                m_subscriptions.append(pending.name);
        }
        sink().notice(notice);
    } else if (packet.type == PacketType::Unsuback) {
        m_subscriptions.removeAll(pending.name);
        ProtocolNotice ended;
        ended.type = ProtocolNotice::Type::OperationEnded;
        ended.id = pending.name;
        ended.name = pending.name;
        ended.data = tr("unsubscribed");
        sink().notice(ended);
    } else if (packet.reasonCode >= 0x80) {
        ProtocolNotice error;
        error.type = ProtocolNotice::Type::Error;
        error.id = QString::number(packet.packetId);
        error.name = pending.name;
        error.ticket = pending.ticket;
        error.data = MqttCodec::reasonName(packet.reasonCode, packet.type, m_version);
        sink().notice(error);
    }
    reply(packet.packetId, pending, packet);
}

void MqttClient::handlePublish(const MqttPacket &packet)
{
    if (packet.qos == 0)
        return;
    MqttPacket ack;
    ack.packetId = packet.packetId;
    if (packet.qos == 1) {
        ack.type = PacketType::Puback;
    } else {
        ack.type = PacketType::Pubrec;
        m_incomingQos2.insert(packet.packetId);
    }
    send(ack);
}

} // namespace wst
