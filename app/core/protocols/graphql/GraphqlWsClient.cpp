#include "GraphqlWsClient.h"

#include "GraphqlQueryInfo.h"
#include "GraphqlWsCodec.h"
#include "GraphqlWsProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

GraphqlWsClient::GraphqlWsClient(std::shared_ptr<const GraphqlWsProtocol> protocol, ProtocolClientSink *sink)
    : ProtocolClient(protocol, sink)
    , m_graphql(std::move(protocol))
    , m_ackTimer(this)
{
    m_ackTimer.setSingleShot(true);
    connect(&m_ackTimer, &QTimer::timeout, this, [this] {
        this->sink().note(Kind::Error,
            tr("GraphQL: no connection_ack within %1 ms; closing with 4408.").arg(m_graphql->ackTimeoutMs()));
        this->sink().closeConnection(4408, QStringLiteral("Connection acknowledgement timeout"));
    });
}

GraphqlWsClient::~GraphqlWsClient() = default;

void GraphqlWsClient::send(const QString &type, const QString &id, const QJsonValue &payload)
{
    sink().sendText(GraphqlWsCodec::serialize(type, id, payload));
}

void GraphqlWsClient::opened()
{
    const QJsonObject params = m_graphql->connectionParams();
    send(QStringLiteral("connection_init"), {}, params.isEmpty() ? QJsonValue() : QJsonValue(params));
    if (m_graphql->ackTimeoutMs() > 0)
        m_ackTimer.start(m_graphql->ackTimeoutMs());
}

void GraphqlWsClient::received(Kind kind, const QByteArray &payload)
{
    if (kind != Kind::Text && kind != Kind::Binary)
        return;
    GraphqlWsCodec::Frame frame;
    QString error;
    // A malformed message is already an Error row in the history (decode() says why).
    if (!GraphqlWsCodec::parse(payload, &frame, &error))
        return;
    const QString &type = frame.type;
    if (!GraphqlWsCodec::isTypeOf(type, m_graphql->isLegacy())) {
        sink().note(Kind::Error,
            tr("GraphQL: \"%1\" is not a message of the %2 subprotocol.")
                .arg(type, m_graphql->subprotocol()));
        return;
    }
    if (type == QLatin1String("connection_ack")) {
        acknowledged(frame.payload);
    } else if (type == QLatin1String("ping")) {
        send(QStringLiteral("pong"), {}, frame.payload.isObject() ? frame.payload : QJsonValue());
    } else if (type == QLatin1String("next") || type == QLatin1String("data")) {
        result(frame.id, frame.payload);
    } else if (type == QLatin1String("error")) {
        failed(frame.id, frame.payload);
    } else if (type == QLatin1String("complete")) {
        completed(frame.id);
    } else if (type == QLatin1String("connection_error")) {
        m_ackTimer.stop();
        ProtocolNotice notice;
        notice.type = ProtocolNotice::Type::Error;
        notice.name = QStringLiteral("connection_error");
        notice.data = frame.payload;
        notice.fields.append({ QStringLiteral("errors"), GraphqlWsCodec::errorMessages(frame.payload) });
        sink().notice(notice);
    }
    // pong, ka: nothing to do (their rows are KeepAlive).
}

void GraphqlWsClient::acknowledged(const QJsonValue &payload)
{
    m_ackTimer.stop();
    if (m_acknowledged)
        return;
    m_acknowledged = true;
    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::Handshake;
    notice.name = QStringLiteral("connection_ack");
    notice.data = payload;
    notice.fields.append({ QStringLiteral("subprotocol"), m_graphql->subprotocol() });
    const QJsonObject params = m_graphql->connectionParams();
    notice.fields.append({ QStringLiteral("connection_init payload"),
        params.isEmpty() ? tr("(none)")
                         : QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)) });
    notice.fields.append({ QStringLiteral("connection_ack payload"),
        payload.isObject()
            ? QString::fromUtf8(QJsonDocument(payload.toObject()).toJson(QJsonDocument::Compact))
            : tr("(none)") });
    sink().notice(notice);
    setReady();
}

void GraphqlWsClient::result(const QString &id, const QJsonValue &payload)
{
    auto it = m_operations.find(id);
    if (it == m_operations.end()) {
        // After a stop the server may still send what was in flight.
        return;
    }
    if (it->results++ == 0)
        it->firstResultUs = it->started.nsecsElapsed() / 1000;
    it->lastResult = payload;
    if (const QString errors = GraphqlWsCodec::resultErrors(payload); !errors.isEmpty()) {
        ProtocolNotice notice;
        notice.type = ProtocolNotice::Type::Error;
        notice.id = id;
        notice.name = it->name;
        notice.rttUs = it->firstResultUs;
        notice.ticket = it->ticket;
        notice.data = payload.toObject().value(QStringLiteral("errors"));
        notice.fields.append({ QStringLiteral("errors"), errors });
        sink().notice(notice);
    }
}

void GraphqlWsClient::failed(const QString &id, const QJsonValue &errors)
{
    auto it = m_operations.find(id);
    if (it == m_operations.end())
        return;
    if (it->firstResultUs < 0)
        it->firstResultUs = it->started.nsecsElapsed() / 1000;
    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::Error;
    notice.id = id;
    notice.name = it->name;
    notice.rttUs = it->firstResultUs;
    notice.ticket = it->ticket;
    notice.data = errors;
    notice.fields.append({ QStringLiteral("errors"), GraphqlWsCodec::errorMessages(errors) });
    sink().notice(notice);
    end(id, QStringLiteral("error"), errors);
}

void GraphqlWsClient::completed(const QString &id)
{
    auto it = m_operations.find(id);
    if (it == m_operations.end())
        return;
    if (it->firstResultUs < 0)
        it->firstResultUs = it->started.nsecsElapsed() / 1000;
    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::Reply;
    notice.id = id;
    notice.name = it->name;
    notice.rttUs = it->firstResultUs;
    notice.ticket = it->ticket;
    notice.data = it->lastResult;
    notice.fields.append({ QStringLiteral("operation"), it->kind });
    notice.fields.append({ QStringLiteral("results"), QString::number(it->results) });
    sink().notice(notice);
    end(id, QStringLiteral("complete"));
}

void GraphqlWsClient::end(const QString &id, const QString &reason, const QJsonValue &errors)
{
    const auto it = m_operations.constFind(id);
    if (it == m_operations.constEnd())
        return;
    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::OperationEnded;
    notice.id = id;
    notice.name = it->name;
    // data: why, as the list of operations shows it; fields: the same for programs.
    if (reason == QLatin1String("complete"))
        notice.data = tr("completed, %1 result(s)").arg(it->results);
    else if (reason == QLatin1String("stopped"))
        notice.data = tr("stopped, %1 result(s)").arg(it->results);
    else if (reason == QLatin1String("error"))
        notice.data = tr("failed: %1").arg(GraphqlWsCodec::errorMessages(errors));
    else
        notice.data = tr("the connection closed, %1 result(s)").arg(it->results);
    notice.fields.append({ QStringLiteral("reason"), reason });
    notice.fields.append({ QStringLiteral("results"), QString::number(it->results) });
    m_operations.erase(it);
    sink().notice(notice);
}

void GraphqlWsClient::closed()
{
    m_ackTimer.stop();
    setNotReady();
    const QStringList ids = m_operations.keys();
    for (const QString &id : ids)
        end(id, QStringLiteral("closed"));
}

QString GraphqlWsClient::nextId()
{
    QString id;
    do
        id = QString::number(++m_lastId);
    while (m_operations.contains(id));
    return id;
}

QString GraphqlWsClient::check(const ProtocolCommand &command) const
{
    if (command.verb == QLatin1String("subscribe")) {
        if (!command.data.isObject())
            return tr("GraphQL subscribe: the command needs {\"query\", \"variables\", \"operationName\"}.");
        const QJsonObject d = command.data.toObject();
        if (d.value(QStringLiteral("query")).toString().trimmed().isEmpty())
            return tr("GraphQL subscribe: the query is empty.");
        const QJsonValue variables = d.value(QStringLiteral("variables"));
        if (!variables.isUndefined() && !variables.isNull() && !variables.isObject())
            return tr("GraphQL subscribe: the variables must be a JSON object.");
        const QJsonValue name = d.value(QStringLiteral("operationName"));
        if (!name.isUndefined() && !name.isNull() && !name.isString())
            return tr("GraphQL subscribe: the operation name must be a string.");
        return {};
    }
    if (command.verb == QLatin1String("stop")) {
        if (command.id.isEmpty())
            return tr("GraphQL stop: which operation? The id is missing.");
        return {};
    }
    return tr("GraphQL over WebSocket cannot do \"%1\" (it can: subscribe, stop).").arg(command.verb);
}

QString GraphqlWsClient::execute(const ProtocolCommand &command)
{
    const bool legacy = m_graphql->isLegacy();
    if (command.verb == QLatin1String("stop")) {
        if (!m_operations.contains(command.id))
            return tr("GraphQL stop: no running operation has the id \"%1\".").arg(command.id);
        send(legacy ? QStringLiteral("stop") : QStringLiteral("complete"), command.id);
        end(command.id, QStringLiteral("stopped"));
        return {};
    }
    if (!command.id.isEmpty() && m_operations.contains(command.id))
        return tr("GraphQL subscribe: the id \"%1\" is in use by a running operation.").arg(command.id);
    const QString id = command.id.isEmpty() ? nextId() : command.id;
    const QJsonObject d = command.data.toObject();
    QJsonObject payload { { QStringLiteral("query"), d.value(QStringLiteral("query")) } };
    const QJsonValue variables = d.value(QStringLiteral("variables"));
    if (variables.isObject())
        payload.insert(QStringLiteral("variables"), variables);
    const QString operationName = d.value(QStringLiteral("operationName")).toString();
    if (!operationName.isEmpty())
        payload.insert(QStringLiteral("operationName"), operationName);

    Operation op;
    op.name = GraphqlWsProtocol::operationName(payload);
    op.kind = GraphqlQueryInfo::scan(payload.value(QStringLiteral("query")).toString()).operation;
    op.started.start();
    op.ticket = command.ticket;
    m_operations.insert(id, op);
    send(legacy ? QStringLiteral("start") : QStringLiteral("subscribe"), id, payload);

    ProtocolNotice notice;
    notice.type = ProtocolNotice::Type::OperationStarted;
    notice.id = id;
    notice.name = op.name;
    notice.data = payload;
    if (!op.kind.isEmpty())
        notice.fields.append({ QStringLiteral("operation"), op.kind });
    sink().notice(notice);
    return {};
}

} // namespace wst
