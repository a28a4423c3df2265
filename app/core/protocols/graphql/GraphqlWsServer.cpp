#include "GraphqlWsServer.h"

#include "GraphqlQueryInfo.h"
#include "GraphqlWsCodec.h"
#include "GraphqlWsProtocol.h"

#include <QJsonArray>
#include <QJsonObject>

namespace wst {

namespace {
const QRegularExpression &errorWord()
{
    static const QRegularExpression re(
        QStringLiteral("\\berror\\b"), QRegularExpression::CaseInsensitiveOption);
    return re;
}
} // namespace

GraphqlWsServer::GraphqlWsServer(std::shared_ptr<const GraphqlWsProtocol> protocol, ProtocolServerSink *sink)
    : ProtocolServer(protocol, sink)
    , m_graphql(std::move(protocol))
    , m_keepAlive(this)
{
    const QString fail = m_graphql->options().string(QStringLiteral("failOperation"));
    if (!fail.isEmpty())
        m_failOperation.setPattern(fail);
    const int keepAliveMs = m_graphql->options().integer(QStringLiteral("keepAliveMs"), 0);
    if (keepAliveMs > 0) {
        connect(&m_keepAlive, &QTimer::timeout, this, [this] {
            for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it) {
                if (it->legacy && it->acknowledged)
                    send(it.key(), QStringLiteral("ka"));
            }
        });
        m_keepAlive.start(keepAliveMs);
    }
}

GraphqlWsServer::~GraphqlWsServer() = default;

void GraphqlWsServer::send(
    quint32 clientId, const QString &type, const QString &id, const QJsonValue &payload)
{
    sink().sendText(clientId, GraphqlWsCodec::serialize(type, id, payload));
}

void GraphqlWsServer::protocolError(quint32 clientId, int code, const QString &reason)
{
    sink().note(clientId, Kind::Error, tr("GraphQL: %1 (closing with %2).").arg(reason).arg(code));
    sink().closeClient(clientId, code, reason);
}

void GraphqlWsServer::clientOpened(quint32 clientId, const QString &subprotocol, const QString &)
{
    Client client;
    // A client that offered no subprotocol gets the server's preferred one.
    client.legacy = subprotocol.isEmpty() ? m_graphql->isLegacy()
                                          : subprotocol == QLatin1String(GraphqlWsCodec::Legacy);
    m_clients.insert(clientId, client);
}

void GraphqlWsServer::clientClosed(quint32 clientId)
{
    const auto it = m_clients.find(clientId);
    if (it == m_clients.end())
        return;
    qDeleteAll(it->subscriptions);
    m_clients.erase(it);
}

void GraphqlWsServer::received(quint32 clientId, Kind kind, const QByteArray &payload)
{
    const auto it = m_clients.find(clientId);
    if (it == m_clients.end() || (kind != Kind::Text && kind != Kind::Binary))
        return;
    const bool legacy = it->legacy;
    GraphqlWsCodec::Frame frame;
    QString error;
    if (!GraphqlWsCodec::parse(payload, &frame, &error) || !GraphqlWsCodec::isTypeOf(frame.type, legacy)) {
        if (error.isEmpty())
            error = tr("\"%1\" is not a message of the %2 subprotocol.")
                        .arg(frame.type,
                            QLatin1String(legacy ? GraphqlWsCodec::Legacy : GraphqlWsCodec::TransportWs));
        if (legacy) {
            // subscriptions-transport-ws answers a bad message with an error and stays open.
            sink().note(clientId, Kind::Error, error);
            send(clientId, QStringLiteral("error"), frame.id,
                QJsonObject { { QStringLiteral("message"), error } });
        } else {
            protocolError(clientId, 4400, error);
        }
        return;
    }
    const QString &type = frame.type;
    if (type == QLatin1String("connection_init")) {
        if (it->initialised && !legacy)
            return protocolError(clientId, 4429, QStringLiteral("Too many initialisation requests"));
        initialise(clientId);
    } else if (type == QLatin1String("ping")) {
        send(clientId, QStringLiteral("pong"), {}, frame.payload.isObject() ? frame.payload : QJsonValue());
    } else if (type == QLatin1String("subscribe") || type == QLatin1String("start")) {
        if (!it->acknowledged) {
            if (legacy) {
                send(clientId, QStringLiteral("error"), frame.id,
                    QJsonObject { { QStringLiteral("message"), QStringLiteral("connection_init first") } });
                return;
            }
            return protocolError(clientId, 4401, QStringLiteral("Unauthorized"));
        }
        if (it->subscriptions.contains(frame.id)) {
            if (!legacy)
                return protocolError(
                    clientId, 4409, QStringLiteral("Subscriber for %1 already exists").arg(frame.id));
            stop(clientId, frame.id); // the legacy server replaces an operation with the same id
        }
        start(clientId, frame.id, frame.payload.toObject());
    } else if (type == QLatin1String("complete") || type == QLatin1String("stop")) {
        stop(clientId, frame.id);
        if (legacy)
            send(clientId, QStringLiteral("complete"), frame.id);
    } else if (type == QLatin1String("connection_terminate")) {
        sink().closeClient(clientId, 1000, QString());
    }
}

void GraphqlWsServer::initialise(quint32 clientId)
{
    Client &client = m_clients[clientId];
    client.initialised = true;
    client.acknowledged = true;
    send(clientId, QStringLiteral("connection_ack"));
    if (client.legacy)
        send(clientId, QStringLiteral("ka"));
}

bool GraphqlWsServer::shouldFail(const QJsonObject &payload) const
{
    const QString query = payload.value(QStringLiteral("query")).toString();
    if (query.contains(errorWord()))
        return true;
    if (m_failOperation.pattern().isEmpty() || !m_failOperation.isValid())
        return false;
    return query.contains(m_failOperation)
        || GraphqlWsProtocol::operationName(payload).contains(m_failOperation);
}

void GraphqlWsServer::start(quint32 clientId, const QString &id, const QJsonObject &payload)
{
    const bool legacy = m_clients.value(clientId).legacy;
    const QString query = payload.value(QStringLiteral("query")).toString();
    const GraphqlQueryInfo info = GraphqlQueryInfo::scan(query);
    const QString name = GraphqlWsProtocol::operationName(payload);
    if (info.operation.isEmpty()) {
        const QJsonObject e { { QStringLiteral("message"),
            QStringLiteral("The query has no operation (wstester mock)") } };
        send(clientId, QStringLiteral("error"), id, legacy ? QJsonValue(e) : QJsonValue(QJsonArray { e }));
        return;
    }
    if (shouldFail(payload)) {
        const QJsonObject e { { QStringLiteral("message"),
            QStringLiteral("Operation \"%1\" failed (wstester mock)").arg(name) } };
        send(clientId, QStringLiteral("error"), id, legacy ? QJsonValue(e) : QJsonValue(QJsonArray { e }));
        return;
    }
    const QString field = info.firstField.isEmpty() ? QStringLiteral("value") : info.firstField;
    const QString next = legacy ? QStringLiteral("data") : QStringLiteral("next");
    if (info.operation != QLatin1String("subscription")) {
        const QJsonValue variables = payload.value(QStringLiteral("variables"));
        const QJsonValue value
            = variables.isObject() && !variables.toObject().isEmpty() ? variables : QJsonValue(field);
        send(
            clientId, next, id, QJsonObject { { QStringLiteral("data"), QJsonObject { { field, value } } } });
        send(clientId, QStringLiteral("complete"), id);
        return;
    }
    auto *timer = new QTimer(this);
    timer->setProperty("sent", 0);
    m_clients[clientId].subscriptions.insert(id, timer);
    connect(timer, &QTimer::timeout, this, [this, clientId, id, field] { emitNext(clientId, id, field); });
    timer->start(qMax(0, m_graphql->options().integer(QStringLiteral("intervalMs"), 200)));
}

void GraphqlWsServer::emitNext(quint32 clientId, const QString &id, const QString &field)
{
    const auto client = m_clients.find(clientId);
    if (client == m_clients.end())
        return;
    QTimer *timer = client->subscriptions.value(id);
    if (!timer)
        return;
    const bool legacy = client->legacy;
    const int count = qMax(0, m_graphql->options().integer(QStringLiteral("count"), 5));
    const int sent = timer->property("sent").toInt();
    if (sent < count) {
        timer->setProperty("sent", sent + 1);
        send(clientId, legacy ? QStringLiteral("data") : QStringLiteral("next"), id,
            QJsonObject { { QStringLiteral("data"), QJsonObject { { field, sent + 1 } } } });
    }
    if (sent + 1 >= count) {
        client->subscriptions.remove(id);
        timer->stop();
        timer->deleteLater();
        send(clientId, QStringLiteral("complete"), id);
    }
}

QString GraphqlWsServer::submit(quint32 clientId, const ProtocolCommand &command)
{
    const bool next = command.verb == QLatin1String("next");
    if (!next && command.verb != QLatin1String("complete"))
        return tr("The GraphQL mock cannot do \"%1\" (it can: next, complete).").arg(command.verb);
    if (next && !command.data.isObject())
        return tr("GraphQL next: the result must be a JSON object, like {\"data\": {\"count\": 1}}.");
    int sent = 0;
    const QList<quint32> ids = clientId == 0 ? m_clients.keys() : QList<quint32> { clientId };
    for (quint32 id : ids) {
        const auto client = m_clients.constFind(id);
        if (client == m_clients.constEnd() || !client->subscriptions.contains(command.id))
            continue;
        if (next) {
            send(id, client->legacy ? QStringLiteral("data") : QStringLiteral("next"), command.id,
                command.data);
        } else {
            stop(id, command.id);
            send(id, QStringLiteral("complete"), command.id);
        }
        ++sent;
    }
    return sent > 0 ? QString() : tr("No client runs an operation with the id \"%1\".").arg(command.id);
}

void GraphqlWsServer::stop(quint32 clientId, const QString &id)
{
    const auto client = m_clients.find(clientId);
    if (client == m_clients.end())
        return;
    if (QTimer *timer = client->subscriptions.take(id)) {
        timer->stop();
        timer->deleteLater();
    }
}

} // namespace wst
