#include "SocketIoProtocol.h"

#include "SocketIoClient.h"
#include "SocketIoCodec.h"
#include "SocketIoServer.h"
#include "connection/ConnectionOptions.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace wst {

SocketIoProtocol::SocketIoProtocol(const ProtocolOptions &options)
    : Protocol(options)
{
}

QString SocketIoProtocol::nsp() const
{
    const QString n = options().string(QStringLiteral("namespace"), QStringLiteral("/")).trimmed();
    return n.isEmpty() ? QStringLiteral("/") : n;
}

QJsonObject SocketIoProtocol::auth() const
{
    return options().params.value(QLatin1String("auth")).toObject();
}

QString SocketIoProtocol::path() const
{
    const QString p = options().string(QStringLiteral("path"), QStringLiteral("/socket.io/")).trimmed();
    return p.isEmpty() ? QStringLiteral("/socket.io/") : p;
}

int SocketIoProtocol::eio() const
{
    return options().integer(QStringLiteral("eio"), 4) == 3 ? 3 : 4;
}

QString SocketIoProtocol::mode() const
{
    return options().string(QStringLiteral("mode"), QStringLiteral("echo"));
}

int SocketIoProtocol::pingInterval() const
{
    return qBound(10, options().integer(QStringLiteral("pingInterval"), 25000), 3600000);
}

int SocketIoProtocol::pingTimeout() const
{
    return qBound(10, options().integer(QStringLiteral("pingTimeout"), 20000), 3600000);
}

int SocketIoProtocol::maxPayload() const
{
    return qMax(1, options().integer(QStringLiteral("maxPayload"), 1000000));
}

QString SocketIoProtocol::validate() const
{
    const QJsonObject &p = options().params;
    if (p.contains(QLatin1String("namespace"))
        && (!p.value(QLatin1String("namespace")).isString() || !nsp().startsWith(QLatin1Char('/'))))
        return tr("Socket.IO namespace must start with \"/\" (e.g. /admin).");
    if (nsp().contains(QLatin1Char(',')))
        return tr("Socket.IO namespace may not contain a comma.");
    if (p.contains(QLatin1String("auth")) && !p.value(QLatin1String("auth")).isObject()
        && !p.value(QLatin1String("auth")).isNull())
        return tr("Socket.IO auth must be a JSON object, e.g. {\"token\": \"abc\"}.");
    if (p.contains(QLatin1String("eio")) && options().integer(QStringLiteral("eio"), 0) != 3
        && options().integer(QStringLiteral("eio"), 0) != 4)
        return tr("Socket.IO \"eio\" must be 4 (Socket.IO v3/v4) or 3 (Socket.IO v2).");
    if (!path().startsWith(QLatin1Char('/')))
        return tr("Socket.IO path must start with \"/\" (default /socket.io/).");
    if (p.contains(QLatin1String("mode")) && mode() != QLatin1String("echo")
        && mode() != QLatin1String("broadcast"))
        return tr("Socket.IO server mode must be \"echo\" or \"broadcast\".");
    return {};
}

void SocketIoProtocol::prepare(ConnectionOptions &options) const
{
    QUrlQuery query(options.url);
    if (query.hasQueryItem(QStringLiteral("EIO")))
        return;
    QUrl url = options.url;
    if (url.path().isEmpty() || url.path() == QLatin1String("/"))
        url.setPath(path());
    query.addQueryItem(QStringLiteral("EIO"), QString::number(eio()));
    if (!query.hasQueryItem(QStringLiteral("transport")))
        query.addQueryItem(QStringLiteral("transport"), QStringLiteral("websocket"));
    url.setQuery(query);
    options.url = url;
}

ProtocolMessage SocketIoProtocol::decode(Direction, Kind kind, const QByteArray &payload) const
{
    using Codec = SocketIoCodec;
    ProtocolMessage m;
    m.data = QJsonValue(QJsonValue::Undefined); // "no data", whatever the struct's default
    if (kind == Kind::Binary) {
        // A decoder sees one message at a time: it cannot know which event this belongs to.
        m.role = ProtocolMessage::Role::Event;
        m.type = QStringLiteral("ATTACHMENT");
        m.body = Codec::attachmentBytes(payload, eio());
        m.fields.append({ QStringLiteral("size"), QString::number(m.body.size()) });
        m.fields.append({ QStringLiteral("note"),
            tr("a binary attachment of the BINARY_EVENT or BINARY_ACK before it") });
        return m;
    }
    if (kind != Kind::Text)
        return m;
    QString error;
    const std::optional<Codec::EnginePacket> engine = Codec::parseEngine(payload, &error);
    if (!engine) {
        m.role = ProtocolMessage::Role::Error;
        m.type = QStringLiteral("ERROR");
        m.error = error;
        return m;
    }
    if (engine->type != Codec::EngineType::Message) {
        m.type = Codec::engineTypeName(engine->type);
        switch (engine->type) {
        case Codec::EngineType::Open: {
            m.role = ProtocolMessage::Role::Handshake;
            const QJsonDocument doc = QJsonDocument::fromJson(engine->data);
            if (!doc.isObject()) {
                m.role = ProtocolMessage::Role::Error;
                m.error = tr("Engine.IO: the open packet is not a JSON object.");
                return m;
            }
            const QJsonObject o = doc.object();
            m.data = o;
            for (const char *key : { "sid", "pingInterval", "pingTimeout", "maxPayload" }) {
                const QJsonValue v = o.value(QLatin1String(key));
                if (!v.isUndefined())
                    m.fields.append({ QLatin1String(key),
                        v.isString() ? v.toString()
                            // A number too big for an integer (fuzzed: 2e101) stays a double.
                            : qAbs(v.toDouble()) < 9.0e15 ? QString::number(qint64(v.toDouble()))
                                                          : QString::number(v.toDouble()) });
            }
            break;
        }
        case Codec::EngineType::Ping:
        case Codec::EngineType::Pong:
        case Codec::EngineType::Noop:
            m.role = ProtocolMessage::Role::KeepAlive;
            if (!engine->data.isEmpty())
                m.body = engine->data;
            break;
        default:
            m.role = ProtocolMessage::Role::Control;
            break;
        }
        return m;
    }
    const std::optional<Codec::Packet> p = Codec::parsePacket(engine->data, &error);
    if (!p) {
        m.role = ProtocolMessage::Role::Error;
        m.type = QStringLiteral("ERROR");
        m.error = error;
        return m;
    }
    m.type = Codec::packetTypeName(p->type);
    m.attachments = p->attachments;
    if (p->id >= 0)
        m.id = QString::number(p->id);
    m.fields.append({ QStringLiteral("namespace"), p->nsp });
    switch (p->type) {
    case Codec::PacketType::Connect:
        m.role = ProtocolMessage::Role::Handshake;
        m.data = p->data;
        if (const QString sid = p->data.toObject().value(QLatin1String("sid")).toString(); !sid.isEmpty())
            m.fields.append({ QStringLiteral("sid"), sid });
        break;
    case Codec::PacketType::Disconnect:
        m.role = ProtocolMessage::Role::Control;
        break;
    case Codec::PacketType::ConnectError:
        m.role = ProtocolMessage::Role::Error;
        m.data = p->data;
        break;
    case Codec::PacketType::Event:
    case Codec::PacketType::BinaryEvent:
        m.role = ProtocolMessage::Role::Event;
        m.name = p->eventName();
        m.data = p->eventArgs();
        break;
    case Codec::PacketType::Ack:
    case Codec::PacketType::BinaryAck:
        m.role = ProtocolMessage::Role::Reply;
        m.data = p->data;
        break;
    }
    if (p->attachments > 0)
        m.fields.append({ QStringLiteral("attachments"), QString::number(p->attachments) });
    return m;
}

QJsonObject SocketIoProtocol::toJson(const ProtocolMessage &message) const
{
    QJsonObject o = message.toJson();
    for (const auto &field : message.fields) {
        if (field.first == QLatin1String("namespace"))
            o.insert(QStringLiteral("namespace"), field.second);
    }
    if (message.type == QLatin1String("EVENT") || message.type == QLatin1String("BINARY_EVENT")) {
        o.insert(QStringLiteral("event"), message.name);
        o.insert(QStringLiteral("args"), message.data);
    } else if (message.type == QLatin1String("ACK") || message.type == QLatin1String("BINARY_ACK")) {
        o.insert(QStringLiteral("args"), message.data);
    }
    if (!message.id.isEmpty())
        o.insert(QStringLiteral("id"), message.id.toLongLong());
    return o;
}

std::unique_ptr<ProtocolClient> SocketIoProtocol::createClient(ProtocolClientSink *sink) const
{
    return std::make_unique<SocketIoClient>(
        std::static_pointer_cast<const SocketIoProtocol>(shared_from_this()), sink);
}

std::unique_ptr<ProtocolServer> SocketIoProtocol::createServer(ProtocolServerSink *sink) const
{
    return std::make_unique<SocketIoServer>(
        std::static_pointer_cast<const SocketIoProtocol>(shared_from_this()), sink);
}

QStringList SocketIoProtocol::verbs() const
{
    return { QStringLiteral("emit") };
}

} // namespace wst
