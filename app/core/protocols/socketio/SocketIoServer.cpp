#include "SocketIoServer.h"

#include "SocketIoProtocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

namespace wst {

using Codec = SocketIoCodec;

namespace {
QString compactJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}
} // namespace

SocketIoServer::SocketIoServer(std::shared_ptr<const SocketIoProtocol> protocol, ProtocolServerSink *sink)
    : ProtocolServer(protocol, sink)
    , m_sio(std::move(protocol))
{
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { onPingTick(); });
    m_pingTimer.start(sio().pingInterval());
}

SocketIoServer::~SocketIoServer() = default;

void SocketIoServer::clientOpened(quint32 clientId, const QString &, const QString &path)
{
    Client client;
    const QUrlQuery query(QUrl(path).query());
    client.eio = query.queryItemValue(QStringLiteral("EIO")) == QLatin1String("3") ? 3 : 4;
    client.sid = Codec::newSid();
    const QJsonObject open { { QStringLiteral("sid"), client.sid },
        { QStringLiteral("upgrades"), QJsonArray() },
        { QStringLiteral("pingInterval"), sio().pingInterval() },
        { QStringLiteral("pingTimeout"), sio().pingTimeout() },
        { QStringLiteral("maxPayload"), sio().maxPayload() } };
    sink().sendText(clientId,
        Codec::engineFrame(Codec::EngineType::Open, QJsonDocument(open).toJson(QJsonDocument::Compact)));
    if (client.eio == 3) {
        // Socket.IO v2 clients are in "/" from the start, told so by the server.
        client.namespaces.insert(QStringLiteral("/"), client.sid);
        Codec::Packet connected;
        connected.type = Codec::PacketType::Connect;
        sink().sendText(clientId, Codec::encodeMessage(connected));
    }
    m_clients.insert(clientId, client);
}

void SocketIoServer::clientClosed(quint32 clientId)
{
    m_clients.remove(clientId);
}

void SocketIoServer::received(quint32 clientId, Kind kind, const QByteArray &payload)
{
    const auto it = m_clients.find(clientId);
    if (it == m_clients.end())
        return;
    Client &client = *it;
    if (kind == Kind::Binary) {
        if (!client.binaryPacket) {
            sink().note(
                clientId, Kind::Error, tr("Socket.IO: a binary message that no BINARY packet announced."));
            return;
        }
        client.attachments.append(Codec::attachmentBytes(payload, client.eio));
        if (client.attachments.size() >= client.binaryPacket->attachments) {
            const Codec::Packet packet = *std::exchange(client.binaryPacket, std::nullopt);
            handleEvent(clientId, client, packet, std::exchange(client.attachments, {}));
        }
        return;
    }
    if (kind != Kind::Text)
        return;
    QString error;
    const std::optional<Codec::EnginePacket> engine = Codec::parseEngine(payload, &error);
    if (!engine) {
        sink().note(clientId, Kind::Error, error);
        return;
    }
    switch (engine->type) {
    case Codec::EngineType::Ping:
        sink().sendText(clientId, Codec::engineFrame(Codec::EngineType::Pong, engine->data));
        break;
    case Codec::EngineType::Pong:
        client.awaitingPong = false;
        break;
    case Codec::EngineType::Close:
        sink().closeClient(clientId, 1000, QString());
        break;
    case Codec::EngineType::Message:
        if (const std::optional<Codec::Packet> packet = Codec::parsePacket(engine->data, &error))
            handlePacket(clientId, client, *packet);
        else
            sink().note(clientId, Kind::Error, error);
        break;
    case Codec::EngineType::Open:
    case Codec::EngineType::Upgrade:
    case Codec::EngineType::Noop:
        break;
    }
}

void SocketIoServer::handlePacket(quint32 clientId, Client &client, const Codec::Packet &packet)
{
    switch (packet.type) {
    case Codec::PacketType::Connect: {
        const QString sid = Codec::newSid();
        client.namespaces.insert(packet.nsp, sid);
        Codec::Packet reply;
        reply.type = Codec::PacketType::Connect;
        reply.nsp = packet.nsp;
        if (client.eio == 4)
            reply.data = QJsonObject { { QStringLiteral("sid"), sid } };
        sendPacket(clientId, client, reply);
        sink().note(clientId, Kind::Info,
            packet.data.isUndefined() ? tr("Socket.IO: joined namespace %1.").arg(packet.nsp)
                                      : tr("Socket.IO: joined namespace %1 with auth %2.")
                                            .arg(packet.nsp, compactJson(packet.data)));
        break;
    }
    case Codec::PacketType::Disconnect:
        client.namespaces.remove(packet.nsp);
        break;
    case Codec::PacketType::Event:
    case Codec::PacketType::BinaryEvent:
    case Codec::PacketType::BinaryAck:
        if (packet.isBinary() && packet.attachments > 0) {
            client.binaryPacket = packet;
            client.attachments.clear();
            break;
        }
        handleEvent(clientId, client, packet, {});
        break;
    case Codec::PacketType::Ack:
        handleEvent(clientId, client, packet, {});
        break;
    case Codec::PacketType::ConnectError:
        sink().note(clientId, Kind::Error, tr("Socket.IO: a client may not send CONNECT_ERROR."));
        break;
    }
}

void SocketIoServer::handleEvent(
    quint32 clientId, Client &client, const Codec::Packet &packet, const QList<QByteArray> &attachments)
{
    if (!client.namespaces.contains(packet.nsp)) {
        sink().note(clientId, Kind::Error,
            tr("Socket.IO: a packet for namespace %1 before its CONNECT; ignored.").arg(packet.nsp));
        return;
    }
    if (packet.type == Codec::PacketType::Ack || packet.type == Codec::PacketType::BinaryAck) {
        const auto it = client.pendingAcks.constFind(packet.id);
        if (it == client.pendingAcks.cend()) {
            sink().note(
                clientId, Kind::Info, tr("Socket.IO: an ack #%1 that nothing waits for.").arg(packet.id));
            return;
        }
        const QJsonValue args
            = attachments.isEmpty() ? packet.data : Codec::fillPlaceholders(packet.data, attachments);
        sink().note(clientId, Kind::Info,
            tr("Socket.IO: ack #%1 for \"%2\" after %3 ms: %4")
                .arg(QString::number(packet.id), it->event,
                    QString::number(double(it->sent.nsecsElapsed()) / 1e6, 'f', 2), compactJson(args)));
        client.pendingAcks.erase(it);
        return;
    }
    Codec::Packet echo = packet;
    echo.id = -1;
    const bool broadcast = sio().mode() == QLatin1String("broadcast");
    const QList<quint32> ids = m_clients.keys();
    for (quint32 id : ids) {
        if (broadcast ? m_clients.value(id).namespaces.contains(packet.nsp) : id == clientId)
            sendPacket(id, m_clients[id], echo, attachments);
    }
    if (packet.id >= 0) {
        Codec::Packet ack;
        ack.type = attachments.isEmpty() ? Codec::PacketType::Ack : Codec::PacketType::BinaryAck;
        ack.nsp = packet.nsp;
        ack.id = packet.id;
        ack.attachments = packet.attachments;
        ack.data = packet.eventArgs();
        sendPacket(clientId, client, ack, attachments);
    }
}

void SocketIoServer::sendPacket(
    quint32 clientId, const Client &client, const Codec::Packet &packet, const QList<QByteArray> &attachments)
{
    sink().sendText(clientId, Codec::encodeMessage(packet));
    for (const QByteArray &bytes : attachments)
        sink().sendBinary(clientId, Codec::attachmentFrame(bytes, client.eio));
}

QString SocketIoServer::submit(quint32 clientId, const ProtocolCommand &command)
{
    if (command.verb != QLatin1String("emit"))
        return tr("Socket.IO can only emit events; \"%1\" is not a Socket.IO command.").arg(command.verb);
    if (command.name.trimmed().isEmpty())
        return tr("Socket.IO: give the event a name.");
    const QString nsp = command.options.value(QLatin1String("namespace")).toString(QStringLiteral("/"));
    int sent = 0;
    const QList<quint32> ids = m_clients.keys();
    for (quint32 id : ids) {
        Client &client = m_clients[id];
        if ((clientId != 0 && id != clientId) || !client.namespaces.contains(nsp))
            continue;
        Codec::Packet packet;
        packet.type = Codec::PacketType::Event;
        packet.nsp = nsp;
        QJsonArray data { command.name };
        for (const QJsonValue &arg : command.args)
            data.append(arg);
        packet.data = data;
        if (command.expectReply) {
            packet.id = client.nextAckId++;
            PendingAck pending;
            pending.event = command.name;
            pending.sent.start();
            client.pendingAcks.insert(packet.id, pending);
        }
        sendPacket(id, client, packet);
        ++sent;
    }
    if (sent == 0)
        return clientId == 0 ? tr("Socket.IO: no client is connected to namespace %1.").arg(nsp)
                             : tr("Socket.IO: that client is not connected to namespace %1.").arg(nsp);
    return {};
}

void SocketIoServer::onPingTick()
{
    const QList<quint32> ids = m_clients.keys();
    for (quint32 id : ids) {
        Client &client = m_clients[id];
        if (client.eio != 4)
            continue;
        if (client.awaitingPong && client.pingSent.elapsed() > sio().pingTimeout()) {
            sink().note(id, Kind::Error,
                tr("Engine.IO: no pong within pingTimeout (%1 ms); closing the client.")
                    .arg(sio().pingTimeout()));
            sink().closeClient(id, 1000, QStringLiteral("ping timeout"));
            continue;
        }
        if (client.awaitingPong)
            continue;
        client.awaitingPong = true;
        client.pingSent.start();
        sink().sendText(id, Codec::engineFrame(Codec::EngineType::Ping));
    }
}

} // namespace wst
