#include "GraphqlWsProtocol.h"

#include "GraphqlQueryInfo.h"
#include "GraphqlWsClient.h"
#include "GraphqlWsCodec.h"
#include "GraphqlWsServer.h"
#include "connection/ConnectionOptions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace wst {

namespace {
QString compact(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

ProtocolMessage::Role roleOf(const QString &type)
{
    using Role = ProtocolMessage::Role;
    if (type == QLatin1String("next") || type == QLatin1String("data"))
        return Role::Event;
    if (type == QLatin1String("error") || type == QLatin1String("connection_error"))
        return Role::Error;
    if (type == QLatin1String("complete"))
        return Role::Reply;
    if (type == QLatin1String("ping") || type == QLatin1String("pong") || type == QLatin1String("ka"))
        return Role::KeepAlive;
    if (type == QLatin1String("connection_init") || type == QLatin1String("connection_ack"))
        return Role::Handshake;
    return Role::Control; // subscribe, start, stop, connection_terminate
}
} // namespace

GraphqlWsProtocol::GraphqlWsProtocol(const ProtocolOptions &options)
    : Protocol(options)
    , m_legacy(options.string(QStringLiteral("subprotocol")) == QLatin1String(GraphqlWsCodec::Legacy))
{
}

QString GraphqlWsProtocol::subprotocol() const
{
    return QLatin1String(m_legacy ? GraphqlWsCodec::Legacy : GraphqlWsCodec::TransportWs);
}

QJsonObject GraphqlWsProtocol::connectionParams() const
{
    return options().params.value(QStringLiteral("connectionParams")).toObject();
}

int GraphqlWsProtocol::ackTimeoutMs() const
{
    return qMax(0, options().integer(QStringLiteral("ackTimeoutMs"), 10000));
}

QString GraphqlWsProtocol::validate() const
{
    const QJsonObject &p = options().params;
    const QJsonValue sub = p.value(QStringLiteral("subprotocol"));
    if (!sub.isUndefined() && sub.toString() != QLatin1String(GraphqlWsCodec::TransportWs)
        && sub.toString() != QLatin1String(GraphqlWsCodec::Legacy))
        return tr("GraphQL: \"subprotocol\" must be \"graphql-transport-ws\" or \"graphql-ws\".");
    const QJsonValue params = p.value(QStringLiteral("connectionParams"));
    if (!params.isUndefined() && !params.isNull() && !params.isObject())
        return tr("GraphQL: \"connectionParams\" must be a JSON object.");
    for (const char *key : { "ackTimeoutMs", "count", "intervalMs", "keepAliveMs" }) {
        const QJsonValue v = p.value(QLatin1String(key));
        if (!v.isUndefined() && (!v.isDouble() || v.toDouble() < 0))
            return tr("GraphQL: \"%1\" must be a number of 0 or more.").arg(QLatin1String(key));
    }
    const QJsonValue fail = p.value(QStringLiteral("failOperation"));
    if (!fail.isUndefined() && !fail.isString())
        return tr("GraphQL: \"failOperation\" must be a regular expression (a string).");
    if (const QRegularExpression re(fail.toString()); !re.isValid())
        return tr("GraphQL: \"failOperation\" is not a regular expression: %1").arg(re.errorString());
    return {};
}

void GraphqlWsProtocol::prepare(ConnectionOptions &options) const
{
    // The user may already list a GraphQL subprotocol on purpose: keep what they set.
    for (const QString &s : std::as_const(options.subprotocols)) {
        if (s == QLatin1String(GraphqlWsCodec::TransportWs) || s == QLatin1String(GraphqlWsCodec::Legacy))
            return;
    }
    options.subprotocols.append(subprotocol());
}

QStringList GraphqlWsProtocol::serverSubprotocols() const
{
    const QString transport = QLatin1String(GraphqlWsCodec::TransportWs);
    const QString legacy = QLatin1String(GraphqlWsCodec::Legacy);
    return m_legacy ? QStringList { legacy, transport } : QStringList { transport, legacy };
}

QString GraphqlWsProtocol::operationName(const QJsonObject &subscribePayload)
{
    const QString explicitName = subscribePayload.value(QStringLiteral("operationName")).toString();
    if (!explicitName.isEmpty())
        return explicitName;
    const GraphqlQueryInfo info
        = GraphqlQueryInfo::scan(subscribePayload.value(QStringLiteral("query")).toString());
    return info.name.isEmpty() ? info.firstField : info.name;
}

ProtocolMessage GraphqlWsProtocol::decode(Direction, Kind kind, const QByteArray &payload) const
{
    ProtocolMessage m;
    m.data = QJsonValue(QJsonValue::Undefined); // no payload: nothing after the summary's id
    if (kind != Kind::Text && kind != Kind::Binary)
        return m;
    GraphqlWsCodec::Frame frame;
    QString error;
    const bool ok = GraphqlWsCodec::parse(payload, &frame, &error);
    m.type = frame.type;
    m.id = frame.id;
    if (!frame.payload.isUndefined())
        m.data = frame.payload;
    if (!ok) {
        m.role = ProtocolMessage::Role::Error;
        m.error = error;
        return m;
    }
    m.role = roleOf(frame.type);
    const QJsonObject po = frame.payload.toObject();
    if (frame.type == QLatin1String("subscribe") || frame.type == QLatin1String("start")) {
        m.name = operationName(po);
        const GraphqlQueryInfo info = GraphqlQueryInfo::scan(po.value(QStringLiteral("query")).toString());
        if (!info.operation.isEmpty())
            m.fields.append({ QStringLiteral("operation"), info.operation });
        const QJsonValue variables = po.value(QStringLiteral("variables"));
        if (variables.isObject())
            m.fields.append({ QStringLiteral("variables"), compact(variables) });
    } else if (frame.type == QLatin1String("next") || frame.type == QLatin1String("data")) {
        if (const QString errors = GraphqlWsCodec::resultErrors(frame.payload); !errors.isEmpty())
            m.fields.append({ QStringLiteral("errors"), errors });
    } else if (frame.type == QLatin1String("error") || frame.type == QLatin1String("connection_error")) {
        m.fields.append({ QStringLiteral("errors"), GraphqlWsCodec::errorMessages(frame.payload) });
    }
    return m;
}

QJsonObject GraphqlWsProtocol::toJson(const ProtocolMessage &message) const
{
    QJsonObject o = message.toJson();
    // The keys for GraphQL: the message's own id/payload/type.
    if (o.contains(QStringLiteral("data")))
        o.insert(QStringLiteral("payload"), o.take(QStringLiteral("data")));
    return o;
}

std::unique_ptr<ProtocolClient> GraphqlWsProtocol::createClient(ProtocolClientSink *sink) const
{
    return std::make_unique<GraphqlWsClient>(
        std::static_pointer_cast<const GraphqlWsProtocol>(shared_from_this()), sink);
}

std::unique_ptr<ProtocolServer> GraphqlWsProtocol::createServer(ProtocolServerSink *sink) const
{
    return std::make_unique<GraphqlWsServer>(
        std::static_pointer_cast<const GraphqlWsProtocol>(shared_from_this()), sink);
}

QStringList GraphqlWsProtocol::verbs() const
{
    return { QStringLiteral("subscribe"), QStringLiteral("stop") };
}

} // namespace wst
