#include "SocketIoClient.h"

#include "SocketIoProtocol.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

namespace {
constexpr int OpenTimeoutMs = 20000;

QString compactJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}
} // namespace

using Codec = SocketIoCodec;

SocketIoClient::SocketIoClient(std::shared_ptr<const SocketIoProtocol> protocol, ProtocolClientSink *sink)
    : ProtocolClient(protocol, sink)
    , m_sio(std::move(protocol))
    , m_nsp(m_sio->nsp())
{
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] { onWatchdog(); });
    connect(&m_pinger, &QTimer::timeout, this, [this] { onClientPing(); });
}

SocketIoClient::~SocketIoClient() = default;

void SocketIoClient::opened()
{
    // Engine.IO speaks first: the server sends its open packet.
    m_watchdog.start(OpenTimeoutMs);
}

void SocketIoClient::closed()
{
    m_watchdog.stop();
    m_pinger.stop();
    m_open = false;
    setNotReady();
    m_pendingAcks.clear();
    m_binaryPacket.reset();
    m_attachments.clear();
}

void SocketIoClient::received(Kind kind, const QByteArray &payload)
{
    if (kind == Kind::Binary) {
        if (!m_binaryPacket)
            return; // shown as an ATTACHMENT row; nothing waits for it
        m_attachments.append(Codec::attachmentBytes(payload, sio().eio()));
        if (m_attachments.size() >= m_binaryPacket->attachments) {
            const Codec::Packet packet = *std::exchange(m_binaryPacket, std::nullopt);
            handleComplete(packet, std::exchange(m_attachments, {}));
        }
        return;
    }
    if (kind != Kind::Text)
        return;
    QString error;
    // An event of this namespace needs nothing from the session (its row shows it): the JSON of
    // a flood of events is not read here at all.
    if (payload.startsWith('4')) {
        Codec::Header header;
        if (Codec::parseHeader(QByteArrayView(payload).sliced(1), &header, &error)
            && header.type == Codec::PacketType::Event && header.isNamespace(m_nsp))
            return;
    }
    const std::optional<Codec::EnginePacket> engine = Codec::parseEngine(payload, &error);
    if (!engine)
        return; // decode() shows the same error on the row itself
    switch (engine->type) {
    case Codec::EngineType::Open:
        handleOpen(engine->data);
        break;
    case Codec::EngineType::Ping:
        sink().sendText(Codec::engineFrame(Codec::EngineType::Pong, engine->data));
        if (sio().eio() == 4 && m_open) {
            m_silenceNoted = false;
            m_watchdog.start(m_pingInterval + m_pingTimeout);
        }
        break;
    case Codec::EngineType::Pong:
        m_awaitingPong = false;
        m_silenceNoted = false;
        if (sio().eio() == 3)
            m_watchdog.stop();
        break;
    case Codec::EngineType::Close:
        sink().note(Kind::Info, tr("Engine.IO: the server closed the session."));
        setNotReady();
        break;
    case Codec::EngineType::Message:
        if (const std::optional<Codec::Packet> packet = Codec::parsePacket(engine->data, &error))
            handlePacket(*packet);
        break;
    case Codec::EngineType::Upgrade:
    case Codec::EngineType::Noop:
        break;
    }
}

void SocketIoClient::handleOpen(const QByteArray &data)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.isEmpty()) {
        sink().note(Kind::Error, tr("Engine.IO: the open packet is not a JSON object."));
        return;
    }
    m_open = true;
    m_pingInterval = qMax(1, o.value(QLatin1String("pingInterval")).toInt(25000));
    m_pingTimeout = qMax(1, o.value(QLatin1String("pingTimeout")).toInt(20000));
    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::Handshake;
    notice.name = QStringLiteral("OPEN");
    notice.data = o;
    notice.fields = { { QStringLiteral("Engine.IO"), QString::number(sio().eio()) },
        { QStringLiteral("sid"), o.value(QLatin1String("sid")).toString() },
        { QStringLiteral("pingInterval"), QString::number(m_pingInterval) },
        { QStringLiteral("pingTimeout"), QString::number(m_pingTimeout) },
        { QStringLiteral("maxPayload"),
            QString::number(qint64(o.value(QLatin1String("maxPayload")).toDouble())) } };
    sink().notice(notice);
    if (sio().eio() == 4) {
        m_watchdog.start(m_pingInterval + m_pingTimeout);
    } else {
        m_watchdog.stop();
        m_pinger.start(m_pingInterval);
    }
    // Socket.IO v2 joins "/" by itself (the server sends "40"); every other case asks.
    if (sio().eio() == 4 || sio().nsp() != QLatin1String("/"))
        sendConnect();
}

void SocketIoClient::sendConnect()
{
    Codec::Packet connectPacket;
    connectPacket.type = Codec::PacketType::Connect;
    connectPacket.nsp = sio().nsp();
    const QJsonObject auth = sio().auth();
    if (sio().eio() == 4 && !auth.isEmpty())
        connectPacket.data = auth;
    sink().sendText(Codec::encodeMessage(connectPacket));
}

void SocketIoClient::handlePacket(const Codec::Packet &packet)
{
    if (packet.nsp != m_nsp)
        return; // another namespace on the same connection: not this session's
    if (packet.isBinary() && packet.attachments > 0) {
        m_binaryPacket = packet;
        m_attachments.clear();
        return;
    }
    handleComplete(packet, {});
}

void SocketIoClient::handleComplete(const Codec::Packet &packet, const QList<QByteArray> &attachments)
{
    switch (packet.type) {
    case Codec::PacketType::Connect: {
        const QString sid = packet.data.toObject().value(QLatin1String("sid")).toString();
        ProtocolNotice notice;
        notice.type = ProtocolNotice::Type::Handshake;
        notice.name = QStringLiteral("CONNECT");
        notice.data = packet.data;
        notice.fields = { { QStringLiteral("namespace"), packet.nsp } };
        if (!sid.isEmpty())
            notice.fields.append({ QStringLiteral("namespace sid"), sid });
        sink().notice(notice);
        setReady();
        break;
    }
    case Codec::PacketType::ConnectError: {
        const QJsonValue message
            = packet.data.isObject() ? packet.data.toObject().value(QLatin1String("message")) : packet.data;
        ProtocolNotice notice;
        notice.type = ProtocolNotice::Type::Error;
        notice.name = QStringLiteral("CONNECT_ERROR");
        notice.data = packet.data;
        sink().notice(notice);
        sink().note(Kind::Error,
            tr("Socket.IO: the server refused namespace %1: %2")
                .arg(packet.nsp, message.isString() ? message.toString() : compactJson(packet.data)));
        setNotReady();
        break;
    }
    case Codec::PacketType::Disconnect:
        sink().note(Kind::Info, tr("Socket.IO: the server disconnected namespace %1.").arg(packet.nsp));
        setNotReady();
        break;
    case Codec::PacketType::Ack:
    case Codec::PacketType::BinaryAck: {
        const auto it = m_pendingAcks.constFind(packet.id);
        if (it == m_pendingAcks.cend()) {
            sink().note(Kind::Info, tr("Socket.IO: an ack #%1 that nothing waits for.").arg(packet.id));
            break;
        }
        ProtocolNotice reply;
        reply.type = ProtocolNotice::Type::Reply;
        reply.id = QString::number(packet.id);
        reply.name = it->event;
        reply.rttUs = it->sent.nsecsElapsed() / 1000;
        reply.ticket = it->ticket;
        reply.data = attachments.isEmpty() ? packet.data : Codec::fillPlaceholders(packet.data, attachments);
        m_pendingAcks.erase(it);
        sink().notice(reply);
        break;
    }
    case Codec::PacketType::BinaryEvent:
        // The row of the packet shows only placeholders: say once what the whole event was.
        sink().note(Kind::Info,
            tr("Socket.IO: event \"%1\" with %n binary attachment(s): %2", nullptr, int(attachments.size()))
                .arg(packet.eventName(),
                    compactJson(Codec::fillPlaceholders(packet.eventArgs(), attachments))));
        break;
    case Codec::PacketType::Event:
        break;
    }
}

QString SocketIoClient::check(const ProtocolCommand &command) const
{
    if (command.verb != QLatin1String("emit"))
        return tr("Socket.IO can only emit events; \"%1\" is not a Socket.IO command.").arg(command.verb);
    if (command.name.trimmed().isEmpty())
        return tr("Socket.IO: give the event a name.");
    if (Codec::isReservedEvent(command.name))
        return tr("Socket.IO: \"%1\" is a reserved event name; the server would reject it.")
            .arg(command.name);
    return {};
}

QString SocketIoClient::execute(const ProtocolCommand &command)
{
    Codec::Packet packet;
    packet.type = Codec::PacketType::Event;
    packet.nsp = sio().nsp();
    QJsonArray data { command.name };
    for (const QJsonValue &arg : command.args)
        data.append(arg);
    packet.data = data;
    if (command.expectReply) {
        packet.id = m_nextAckId++;
        PendingAck pending;
        pending.event = command.name;
        pending.ticket = command.ticket;
        pending.sent.start();
        m_pendingAcks.insert(packet.id, pending);
    }
    sink().sendText(Codec::encodeMessage(packet));
    return {};
}

void SocketIoClient::onClientPing()
{
    if (m_awaitingPong)
        return; // the watchdog is already waiting for the last one
    m_awaitingPong = true;
    sink().sendText(Codec::engineFrame(Codec::EngineType::Ping));
    m_watchdog.start(m_pingTimeout);
}

void SocketIoClient::onWatchdog()
{
    if (!m_open) {
        sink().note(Kind::Error,
            tr("Engine.IO: no open packet within %1 s: is this a Socket.IO server, and is the path right?")
                .arg(OpenTimeoutMs / 1000));
        return;
    }
    if (m_silenceNoted)
        return;
    m_silenceNoted = true;
    if (sio().eio() == 4)
        sink().note(Kind::Error,
            tr("Engine.IO: no ping from the server for %1 ms (pingInterval + pingTimeout): it may be gone.")
                .arg(m_pingInterval + m_pingTimeout));
    else
        sink().note(Kind::Error,
            tr("Engine.IO: no pong from the server within pingTimeout (%1 ms).").arg(m_pingTimeout));
}

} // namespace wst
