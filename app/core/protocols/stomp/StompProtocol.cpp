#include "StompProtocol.h"

#include "StompClient.h"
#include "StompFrame.h"
#include "StompServer.h"
#include "connection/ConnectionOptions.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace wst {

StompProtocol::StompProtocol(const ProtocolOptions &options)
    : Protocol(options)
{
}

int StompProtocol::heartbeatOutMs() const
{
    return qMax(0, options().integer(QStringLiteral("heartbeatOutMs"), DefaultHeartbeatMs));
}

int StompProtocol::heartbeatInMs() const
{
    return qMax(0, options().integer(QStringLiteral("heartbeatInMs"), DefaultHeartbeatMs));
}

QByteArray StompProtocol::acceptVersion() const
{
    return options().string(QStringLiteral("version"), QStringLiteral("1.2")) == QLatin1String("1.1")
        ? QByteArrayLiteral("1.1")
        : QByteArrayLiteral("1.2,1.1");
}

QString StompProtocol::validate() const
{
    const QJsonObject &p = options().params;
    for (const char *key : { "login", "passcode", "host", "version" }) {
        const QJsonValue v = p.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isString())
            return tr("STOMP setting \"%1\" must be a string.").arg(QLatin1String(key));
    }
    for (const char *key : { "heartbeatOutMs", "heartbeatInMs" }) {
        const QJsonValue v = p.value(QLatin1String(key));
        if (!v.isUndefined() && (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 86400000))
            return tr("STOMP setting \"%1\" must be a number of milliseconds from 0 to 86400000.")
                .arg(QLatin1String(key));
    }
    const QString version = options().string(QStringLiteral("version"), QStringLiteral("1.2"));
    if (version != QLatin1String("1.2") && version != QLatin1String("1.1"))
        return tr("STOMP setting \"version\" must be \"1.2\" or \"1.1\", not \"%1\".").arg(version);
    for (const char *key : { "login", "passcode", "host" }) {
        const QString v = options().string(QLatin1String(key));
        if (v.contains(QLatin1Char('\n')) || v.contains(QLatin1Char('\r')) || v.contains(QChar(0)))
            return tr("STOMP setting \"%1\" cannot contain line breaks: CONNECT headers are not escaped.")
                .arg(QLatin1String(key));
    }
    return {};
}

void StompProtocol::prepare(ConnectionOptions &options) const
{
    if (options.subprotocols.isEmpty()) {
        options.subprotocols = acceptVersion() == "1.1"
            ? QStringList { QStringLiteral("v11.stomp") }
            : QStringList { QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp") };
    }
    const QMutexLocker lock(&m_urlMutex);
    m_urlHost = options.url.host();
}

QString StompProtocol::connectHost() const
{
    const QString host = options().string(QStringLiteral("host"));
    if (!host.isEmpty())
        return host;
    const QMutexLocker lock(&m_urlMutex);
    return m_urlHost.isEmpty() ? QStringLiteral("localhost") : m_urlHost;
}

QStringList StompProtocol::serverSubprotocols() const
{
    if (acceptVersion() == "1.1")
        return { QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp") };
    return { QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp") };
}

QJsonValue StompProtocol::bodyJson(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError err;
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &err);
        if (err.error != QJsonParseError::NoError)
            return QJsonValue(QJsonValue::Undefined);
        return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    }
    // A scalar ("42", "\"hi\"", true) parses wrapped in an array of one.
    const QJsonDocument doc = QJsonDocument::fromJson('[' + trimmed + ']', &err);
    if (err.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().first();
}

ProtocolMessage StompProtocol::describe(const StompFrame &frame)
{
    using Role = ProtocolMessage::Role;
    ProtocolMessage m;
    m.data = QJsonValue(QJsonValue::Undefined); // a default QJsonValue is null, which prints
    if (frame.heartbeat) {
        m.role = Role::KeepAlive;
        m.type = QStringLiteral("heart-beat");
        return m;
    }
    m.type = QString::fromLatin1(frame.command);
    const QByteArray &c = frame.command;
    auto h = [&frame](const char *name) { return QString::fromUtf8(frame.header(name)); };
    if (c == "MESSAGE") {
        m.role = Role::Event;
        m.name = h("destination");
        m.id = h("message-id");
    } else if (c == "SEND") {
        m.role = Role::Event;
        m.name = h("destination");
        m.id = h("receipt");
    } else if (c == "RECEIPT") {
        m.role = Role::Reply;
        m.id = h("receipt-id");
    } else if (c == "ERROR") {
        m.role = Role::Error;
        m.name = h("message");
        m.id = h("receipt-id");
    } else if (c == "CONNECT" || c == "STOMP") {
        m.role = Role::Handshake;
        m.name = h("host");
    } else if (c == "CONNECTED") {
        m.role = Role::Handshake;
        m.name = h("server");
        m.id = h("session");
    } else if (c == "SUBSCRIBE") {
        m.role = Role::Control;
        m.name = h("destination");
        m.id = h("id");
    } else if (c == "UNSUBSCRIBE" || c == "ACK" || c == "NACK") {
        m.role = Role::Control;
        m.id = h("id").isEmpty() ? h("message-id") : h("id");
    } else if (c == "BEGIN" || c == "COMMIT" || c == "ABORT") {
        m.role = Role::Control;
        m.id = h("transaction");
    } else if (c == "DISCONNECT") {
        m.role = Role::Control;
        m.id = h("receipt");
    } else {
        m.role = Role::Error;
        m.error = tr("STOMP: unknown command %1").arg(m.type);
    }
    for (const auto &header : frame.headers) {
        // Never show a password in the history's fields (it stays in the raw frame).
        const bool secret = header.first == "passcode";
        m.fields.append({ QString::fromUtf8(header.first),
            secret ? QStringLiteral("***") : QString::fromUtf8(header.second) });
    }
    m.data = bodyJson(frame.body);
    if (m.data.isUndefined())
        m.body = frame.body;
    return m;
}

ProtocolMessage StompProtocol::decode(Direction, Kind kind, const QByteArray &payload) const
{
    if (kind != Kind::Text && kind != Kind::Binary)
        return {};
    QString error;
    const QList<StompFrame> frames = StompFrame::parseAll(payload, &error);
    if (frames.isEmpty()) {
        ProtocolMessage m;
        m.data = QJsonValue(QJsonValue::Undefined);
        m.role = ProtocolMessage::Role::Error;
        m.type = QStringLiteral("?");
        m.error = tr("STOMP: %1").arg(error);
        return m;
    }
    ProtocolMessage m = describe(frames.first());
    if (frames.size() > 1) {
        QStringList more;
        for (qsizetype i = 1; i < frames.size(); ++i)
            more.append(frames.at(i).heartbeat ? QStringLiteral("heart-beat")
                                               : QString::fromLatin1(frames.at(i).command));
        m.fields.append({ QStringLiteral("more frames"), more.join(QStringLiteral(", ")) });
    }
    if (!error.isEmpty()) {
        m.role = ProtocolMessage::Role::Error;
        m.error = tr("STOMP: frame %1: %2").arg(frames.size() + 1).arg(error);
    }
    return m;
}

QJsonObject StompProtocol::toJson(const ProtocolMessage &message) const
{
    QJsonObject o = message.toJson();
    o.insert(QStringLiteral("command"), message.type);
    QJsonObject headers;
    for (const auto &field : message.fields) {
        if (field.first == QLatin1String("more frames")) {
            o.insert(QStringLiteral("moreFrames"), field.second);
            continue;
        }
        if (field.first == QLatin1String("destination"))
            o.insert(QStringLiteral("destination"), field.second);
        if (!headers.contains(field.first))
            headers.insert(field.first, field.second);
    }
    if (!headers.isEmpty())
        o.insert(QStringLiteral("headers"), headers);
    o.remove(QStringLiteral("fields"));
    o.remove(QStringLiteral("data"));
    if (!message.data.isUndefined())
        o.insert(QStringLiteral("body"), message.data);
    return o;
}

std::unique_ptr<ProtocolClient> StompProtocol::createClient(ProtocolClientSink *sink) const
{
    return std::make_unique<StompClient>(shared_from_this(), sink);
}

std::unique_ptr<ProtocolServer> StompProtocol::createServer(ProtocolServerSink *sink) const
{
    return std::make_unique<StompServer>(shared_from_this(), sink);
}

const QStringList &StompProtocol::commandVerbs()
{
    static const QStringList v { QStringLiteral("subscribe"), QStringLiteral("unsubscribe"),
        QStringLiteral("stop"), QStringLiteral("send"), QStringLiteral("ack"), QStringLiteral("nack"),
        QStringLiteral("begin"), QStringLiteral("commit"), QStringLiteral("abort"),
        QStringLiteral("disconnect") };
    return v;
}

} // namespace wst
