#include "MqttServer.h"

#include "MqttCodec.h"
#include "MqttProtocol.h"

namespace wst {

using namespace mqtt;

namespace {
constexpr quint8 AssignedClientIdProperty = 0x12;
constexpr quint8 UserProperty = 0x26;
constexpr quint8 NoLocalOption = 0x04;
constexpr quint8 RetainAsPublishedOption = 0x08;
constexpr int ConnectTimeoutMs = 10000;
} // namespace

MqttServer::MqttServer(std::shared_ptr<const Protocol> protocol, ProtocolServerSink *sink)
    : ProtocolServer(std::move(protocol), sink)
{
}

MqttServer::~MqttServer() = default;

void MqttServer::clientOpened(quint32 clientId, const QString &, const QString &)
{
    auto session = std::make_unique<Session>();
    session->keepAlive.setSingleShot(true);
    connect(&session->keepAlive, &QTimer::timeout, this, [this, clientId] {
        auto it = m_sessions.find(clientId);
        if (it == m_sessions.end())
            return;
        Session &s = *it->second;
        if (!s.connected) {
            sink().note(clientId, Kind::Error,
                tr("MQTT: no CONNECT within %1 s of opening; disconnecting.").arg(ConnectTimeoutMs / 1000));
            drop(clientId, s, 1000, QStringLiteral("MQTT CONNECT timeout"));
            return;
        }
        sink().note(clientId, Kind::Error,
            tr("MQTT: client \"%1\" sent nothing for 1.5 x its keep-alive; disconnecting it.")
                .arg(s.clientId));
        if (s.version == Version5) {
            MqttPacket d;
            d.type = PacketType::Disconnect;
            d.reasonCode = 0x8D;
            send(clientId, s, d);
        }
        // Not `closing`: a keep-alive timeout publishes the will.
        drop(clientId, s, 1000, QStringLiteral("MQTT keep-alive timeout"));
    });
    // A connection that never sends CONNECT is not kept forever (3.1.4).
    session->keepAlive.start(ConnectTimeoutMs);
    m_sessions[clientId] = std::move(session);
    m_closed.clear();
}

void MqttServer::drop(quint32 clientId, Session &session, int code, const QString &reason)
{
    if (session.dropped)
        return;
    session.dropped = true;
    session.keepAlive.stop();
    sink().closeClient(clientId, code, reason);
}

void MqttServer::clientClosed(quint32 clientId)
{
    auto it = m_sessions.find(clientId);
    if (it == m_sessions.end())
        return;
    m_closed.push_back(std::move(it->second));
    m_sessions.erase(it);
    Session *session = m_closed.back().get();
    session->keepAlive.stop();
    if (session->connected && !session->closing && session->hasWill) {
        if (session->will.retain)
            keepRetained(session->will);
        route(session->will, clientId);
    }
}

void MqttServer::send(quint32 clientId, Session &session, const MqttPacket &packet)
{
    sink().sendBinary(clientId, MqttCodec::serialize(packet, session.version));
}

void MqttServer::fail(quint32 clientId, Session &session, quint8 reasonCode, const QString &why)
{
    sink().note(clientId, Kind::Error, tr("MQTT: %1").arg(why));
    if (session.connected && session.version == Version5) {
        MqttPacket d;
        d.type = PacketType::Disconnect;
        d.reasonCode = reasonCode;
        send(clientId, session, d);
    }
    // A protocol violation is an unclean end: the will is still published (3.1.2.5).
    drop(clientId, session, 1002, QStringLiteral("MQTT protocol error"));
}

void MqttServer::received(quint32 clientId, Kind kind, const QByteArray &payload)
{
    auto it = m_sessions.find(clientId);
    if (it == m_sessions.end())
        return;
    Session &session = *it->second;
    if (session.dropped)
        return;
    if (kind != Kind::Binary) {
        fail(clientId, session, 0x81, tr("a text message; MQTT over WebSocket uses binary messages"));
        return;
    }
    session.buffer.append(payload);
    const MqttCodec::ReadResult r = MqttCodec::readAll(session.buffer, session.version);
    session.buffer.remove(0, r.consumed);
    for (const MqttPacket &packet : r.packets) {
        handle(clientId, session, packet);
        // handle() may have closed the client: `session` stays valid (see m_closed).
        if (session.dropped)
            return;
    }
    if (!r.error.isEmpty())
        fail(clientId, session, 0x81, tr("malformed packet: %1").arg(r.error));
}

void MqttServer::handle(quint32 clientId, Session &session, const MqttPacket &packet)
{
    if (session.connected && session.keepAlive.interval() > 0)
        session.keepAlive.start();
    if (packet.type == PacketType::Connect) {
        handleConnect(clientId, session, packet);
        return;
    }
    if (!session.connected) {
        fail(clientId, session, 0x82, tr("%1 before CONNECT").arg(MqttCodec::typeName(packet.type)));
        return;
    }
    switch (packet.type) {
    case PacketType::Subscribe:
        handleSubscribe(clientId, session, packet);
        break;
    case PacketType::Unsubscribe: {
        MqttPacket ack;
        ack.type = PacketType::Unsuback;
        ack.packetId = packet.packetId;
        for (const QString &filter : packet.filters)
            ack.reasonCodes.append(session.subscriptions.remove(filter) ? 0x00 : 0x11);
        send(clientId, session, ack);
        break;
    }
    case PacketType::Publish:
        handlePublish(clientId, session, packet);
        break;
    case PacketType::Pubrel: {
        session.incomingQos2.remove(packet.packetId);
        MqttPacket comp;
        comp.type = PacketType::Pubcomp;
        comp.packetId = packet.packetId;
        send(clientId, session, comp);
        break;
    }
    case PacketType::Puback:
    case PacketType::Pubcomp:
        session.outgoing.remove(packet.packetId);
        break;
    case PacketType::Pubrec:
        if (session.outgoing.contains(packet.packetId) && packet.reasonCode < 0x80) {
            session.outgoing[packet.packetId] = PacketType::Pubcomp;
            MqttPacket rel;
            rel.type = PacketType::Pubrel;
            rel.packetId = packet.packetId;
            send(clientId, session, rel);
        } else {
            session.outgoing.remove(packet.packetId);
        }
        break;
    case PacketType::Pingreq: {
        MqttPacket pong;
        pong.type = PacketType::Pingresp;
        send(clientId, session, pong);
        break;
    }
    case PacketType::Disconnect:
        // Reason 0x04 asks for the will anyway (MQTT 5).
        session.closing = packet.reasonCode != 0x04;
        drop(clientId, session, 1000, QString());
        break;
    default:
        fail(clientId, session, 0x82, tr("a client does not send %1").arg(MqttCodec::typeName(packet.type)));
        break;
    }
}

void MqttServer::handleConnect(quint32 clientId, Session &session, const MqttPacket &packet)
{
    if (session.connected) {
        fail(clientId, session, 0x82, tr("a second CONNECT"));
        return;
    }
    session.version = packet.protocolLevel == Version5 ? Version5 : Version311;
    MqttPacket ack;
    ack.type = PacketType::Connack;
    QString id = packet.clientId;
    if (id.isEmpty()) {
        if (session.version != Version5 && !packet.cleanStart) {
            // 3.1.1: an empty client id needs a clean session (3.1.3.1).
            ack.reasonCode = 0x02;
            session.closing = true;
            send(clientId, session, ack);
            drop(clientId, session, 1000, QStringLiteral("identifier rejected"));
            return;
        }
        id = QStringLiteral("wstester-broker-%1").arg(++m_assigned);
        if (session.version == Version5)
            ack.properties.append(MqttProperty { AssignedClientIdProperty, 0, id, {}, {} });
    }
    // A second connection with the same client id takes the session over (3.1.4).
    for (auto &[otherId, other] : m_sessions) {
        if (otherId != clientId && other->connected && other->clientId == id) {
            other->closing = true;
            if (other->version == Version5) {
                MqttPacket d;
                d.type = PacketType::Disconnect;
                d.reasonCode = 0x8E;
                send(otherId, *other, d);
            }
            drop(otherId, *other, 1000, QStringLiteral("MQTT session taken over"));
            break;
        }
    }
    session.clientId = id;
    session.connected = true;
    session.hasWill = packet.hasWill;
    if (packet.hasWill) {
        session.will.type = PacketType::Publish;
        session.will.topic = packet.willTopic;
        session.will.payload = packet.willPayload;
        session.will.qos = packet.willQos;
        session.will.retain = packet.willRetain;
    }
    session.keepAlive.stop();
    session.keepAlive.setInterval(packet.keepAlive * 1500);
    send(clientId, session, ack);
    if (packet.keepAlive > 0)
        session.keepAlive.start();
}

void MqttServer::handleSubscribe(quint32 clientId, Session &session, const MqttPacket &packet)
{
    MqttPacket ack;
    ack.type = PacketType::Suback;
    ack.packetId = packet.packetId;
    for (const MqttSubscription &s : packet.subscriptions) {
        session.subscriptions.insert(s.filter, s.options);
        ack.reasonCodes.append(quint8(s.qos()));
    }
    send(clientId, session, ack);
    for (const MqttSubscription &s : packet.subscriptions) {
        if (session.version == Version5 && ((s.options >> 4) & 0x03) == 2)
            continue; // retain handling 2: no retained messages on subscribe
        for (const auto &[topic, retained] : m_retained)
            if (MqttCodec::topicMatches(s.filter, topic))
                deliver(clientId, session, retained, qMin(retained.qos, s.qos()), true);
    }
}

void MqttServer::handlePublish(quint32 clientId, Session &session, const MqttPacket &packet)
{
    if (packet.topic.isEmpty()) {
        // An empty topic is only valid with a topic alias, which this broker does not offer.
        fail(clientId, session, 0x94, tr("PUBLISH without a topic name"));
        return;
    }
    bool isNew = true;
    if (packet.qos == 2) {
        isNew = !session.incomingQos2.contains(packet.packetId);
        session.incomingQos2.insert(packet.packetId);
    }
    if (isNew) {
        if (packet.retain)
            keepRetained(packet);
        route(packet, clientId);
    }
    if (packet.qos > 0) {
        MqttPacket ack;
        ack.type = packet.qos == 1 ? PacketType::Puback : PacketType::Pubrec;
        ack.packetId = packet.packetId;
        send(clientId, session, ack);
    }
}

void MqttServer::keepRetained(const MqttPacket &publish)
{
    if (publish.payload.isEmpty())
        m_retained.erase(publish.topic); // an empty retained message clears the topic (3.3.1.3)
    else
        m_retained[publish.topic] = publish;
}

void MqttServer::route(const MqttPacket &publish, quint32 fromClient)
{
    for (auto &[id, session] : m_sessions) {
        if (!session->connected)
            continue;
        int qos = -1;
        bool retainAsPublished = false;
        for (auto it = session->subscriptions.cbegin(); it != session->subscriptions.cend(); ++it) {
            if (!MqttCodec::topicMatches(it.key(), publish.topic))
                continue;
            if (session->version == Version5 && (it.value() & NoLocalOption) && id == fromClient)
                continue;
            qos = qMax(qos, it.value() & 0x03);
            retainAsPublished = retainAsPublished || (it.value() & RetainAsPublishedOption);
        }
        if (qos >= 0)
            deliver(id, *session, publish, qMin(qos, publish.qos), retainAsPublished && publish.retain);
    }
}

void MqttServer::deliver(quint32 clientId, Session &session, const MqttPacket &publish, int qos, bool retain)
{
    MqttPacket out;
    out.type = PacketType::Publish;
    out.topic = publish.topic;
    out.payload = publish.payload;
    out.qos = qos;
    out.retain = retain;
    if (session.version == Version5)
        for (const MqttProperty &p : publish.properties)
            if (p.id == UserProperty || p.id == 0x01 || p.id == 0x03 || p.id == 0x08 || p.id == 0x09)
                out.properties.append(p);
    if (qos > 0) {
        for (int tries = 0; tries < 65535 && (out.packetId == 0 || session.outgoing.contains(out.packetId));
             ++tries) {
            out.packetId = session.nextId;
            session.nextId = session.nextId == 65535 ? 1 : session.nextId + 1;
        }
        if (session.outgoing.contains(out.packetId)) {
            sink().note(clientId, Kind::Error,
                tr("MQTT: no free packet identifier for \"%1\"; the message was not delivered.")
                    .arg(session.clientId));
            return;
        }
        session.outgoing.insert(out.packetId, qos == 1 ? PacketType::Puback : PacketType::Pubrec);
    }
    send(clientId, session, out);
}

QString MqttServer::submit(quint32 clientId, const ProtocolCommand &command)
{
    if (command.verb != QLatin1String("publish"))
        return tr("MQTT: the broker can only publish (not \"%1\").").arg(command.verb);
    if (const QString bad = MqttCodec::checkTopic(command.name, false); !bad.isEmpty())
        return tr("MQTT: %1.").arg(bad);
    if (command.qos < 0 || command.qos > 2)
        return tr("MQTT: QoS must be 0, 1 or 2, not %1.").arg(command.qos);
    MqttPacket publish;
    publish.type = PacketType::Publish;
    publish.topic = command.name;
    publish.payload = command.body;
    publish.qos = command.qos;
    publish.retain = command.retain;
    for (const auto &header : command.headers)
        publish.properties.append(MqttProperty { UserProperty, 0, header.first, header.second, {} });
    if (clientId == 0) {
        if (publish.retain)
            keepRetained(publish);
        route(publish, 0);
        return {};
    }
    auto it = m_sessions.find(clientId);
    if (it == m_sessions.end() || !it->second->connected)
        return tr("MQTT: client %1 has not connected with CONNECT.").arg(clientId);
    deliver(clientId, *it->second, publish, publish.qos, publish.retain);
    return {};
}

} // namespace wst
