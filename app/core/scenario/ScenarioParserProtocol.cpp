// ScenarioParser, continued: protocols over WebSocket in a scenario (README, "Protocol steps"):
// a connection's "protocol", "command" steps, and the protocol conditions of expects.
#include "ScenarioParser.h"

#include "compose/Variables.h"
#include "format/JsonLocator.h"
#include "protocols/Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace wst {

namespace {

// The keys that name a command's or a message's event / topic / destination, as a user of each
// protocol would write it. They mean the same: ProtocolCommand::name, ProtocolMessage::name.
const QStringList &nameKeys()
{
    static const QStringList keys { QStringLiteral("event"), QStringLiteral("topic"),
        QStringLiteral("destination"), QStringLiteral("operation") };
    return keys;
}

// Which of those keys an object has, in that order.
QStringList givenNameKeys(const QJsonObject &o)
{
    QStringList given;
    for (const QString &key : nameKeys()) {
        if (o.contains(key))
            given.append(key);
    }
    return given;
}

} // namespace

bool ScenarioParser::readString(const QJsonObject &o, const QString &key, QString *value, bool numberToo)
{
    const QJsonValue v = o.value(key);
    if (v.isString()) {
        *value = v.toString();
        return true;
    }
    if (numberToo && isWholeNumber(v, 0, 9007199254740991.0)) {
        *value = JsonPath::scalarText(v);
        return true;
    }
    return fail({ key },
        numberToo ? tr("%1 must be a string or a whole number.").arg(quoted(key))
                  : tr("%1 must be a string.").arg(quoted(key)));
}

bool ScenarioParser::readProtocol(const QJsonObject &o, ScenarioConnection *connection)
{
    const QJsonValue value = o.value(QLatin1String("protocol"));
    if (value.isUndefined())
        return true;
    QString problem;
    connection->protocol = ProtocolOptions::fromJson(value, &problem);
    if (problem.isEmpty()) {
        // Params with {{variables}} are checked when the connect step has filled them in.
        const QByteArray params = QJsonDocument(connection->protocol.params).toJson(QJsonDocument::Compact);
        if (!Variables::containsVariables(QString::fromUtf8(params)))
            problem = Protocol::create(connection->protocol)->validate();
    }
    if (!problem.isEmpty())
        return fail({ QStringLiteral("protocol") }, tr("\"protocol\": %1").arg(problem));
    return true;
}

bool ScenarioParser::readCommand(const QJsonObject &o, ScenarioStep *step)
{
    step->type = ScenarioStep::Type::Command;
    const QStringList keys = QStringList { QStringLiteral("name"), QStringLiteral("comment"),
        QStringLiteral("command"), QStringLiteral("verb"), QStringLiteral("id"), QStringLiteral("args"),
        QStringLiteral("query"), QStringLiteral("variables"), QStringLiteral("operationName"),
        QStringLiteral("data"), QStringLiteral("body"), QStringLiteral("payload"), QStringLiteral("headers"),
        QStringLiteral("qos"), QStringLiteral("retain"), QStringLiteral("reply"), QStringLiteral("options"),
        QStringLiteral("within"), QStringLiteral("save") }
        + nameKeys();
    if (!checkKeys(o, keys, tr("a \"command\" step"))
        || !readMs(o, QStringLiteral("within"), &step->withinMs))
        return false;
    const ScenarioConnection *c = m_scenario.connection(step->connection);
    if (c->protocol.isRaw())
        return fail({ QStringLiteral("command") },
            tr("connection %1 speaks plain WebSocket: give it a \"protocol\" (socket.io, graphql-ws, "
               "stomp or mqtt) to send protocol commands.")
                .arg(quoted(step->connection)));
    ProtocolCommand &command = step->command;
    if (!o.value(QLatin1String("verb")).isString() || o.value(QLatin1String("verb")).toString().isEmpty())
        return fail({ QStringLiteral("verb") },
            tr("a command step needs a \"verb\", such as \"emit\", \"subscribe\" or \"publish\"."));
    command.verb = o.value(QLatin1String("verb")).toString();
    const QStringList verbs = Protocol::create(c->protocol)->verbs();
    if (!verbs.contains(command.verb))
        return fail({ QStringLiteral("verb") },
            tr("%1 cannot do %2 (it can: %3).")
                .arg(ProtocolNames::displayName(c->protocol.id), quoted(command.verb),
                    verbs.join(QLatin1String(", "))));
    if (!readCommandBody(o, &command))
        return false;
    const QJsonValue reply = o.value(QLatin1String("reply"));
    if (!reply.isUndefined() && !reply.isBool())
        return fail({ QStringLiteral("reply") }, tr("\"reply\" must be true or false."));
    command.expectReply = reply.toBool();
    if (o.contains(QLatin1String("save")) && !command.expectReply)
        return fail({ QStringLiteral("save") }, tr("\"save\" reads the reply: it needs \"reply\": true."));
    return readSaves(o.value(QLatin1String("save")), &step->saves);
}

bool ScenarioParser::readCommandBody(const QJsonObject &o, ProtocolCommand *command)
{
    const QStringList given = givenNameKeys(o);
    if (given.size() > 1)
        return fail({ given.at(1) },
            tr("%1 and %2 both name the command's target: give one.")
                .arg(quoted(given.at(0)), quoted(given.at(1))));
    if (!given.isEmpty() && !readString(o, given.first(), &command->name))
        return false;
    if (o.contains(QLatin1String("id")) && !readString(o, QStringLiteral("id"), &command->id, true))
        return false;
    const QJsonValue args = o.value(QLatin1String("args"));
    if (!args.isUndefined())
        command->args = args.isArray() ? args.toArray() : QJsonArray { args };
    // GraphQL's subscribe payload: "query" (+ "variables", "operationName"), or all of it as "data".
    const QJsonValue query = o.value(QLatin1String("query"));
    const QJsonValue variables = o.value(QLatin1String("variables"));
    const QJsonValue operationName = o.value(QLatin1String("operationName"));
    if (o.contains(QLatin1String("data")) && !query.isUndefined())
        return fail({ QStringLiteral("data") }, tr("give either \"query\" or \"data\", not both."));
    if (!query.isUndefined()) {
        if (!query.isString() || query.toString().trimmed().isEmpty())
            return fail(
                { QStringLiteral("query") }, tr("\"query\" must be the GraphQL document, as a string."));
        QJsonObject data { { QStringLiteral("query"), query } };
        if (!variables.isUndefined()) {
            if (!variables.isObject())
                return fail({ QStringLiteral("variables") }, tr("\"variables\" must be a JSON object."));
            data.insert(QStringLiteral("variables"), variables);
        }
        if (!operationName.isUndefined()) {
            if (!operationName.isString())
                return fail({ QStringLiteral("operationName") }, tr("\"operationName\" must be a string."));
            data.insert(QStringLiteral("operationName"), operationName);
        }
        command->data = data;
    } else if (!variables.isUndefined() || !operationName.isUndefined()) {
        return fail(
            { variables.isUndefined() ? QStringLiteral("operationName") : QStringLiteral("variables") },
            tr("\"variables\" and \"operationName\" belong to a \"query\"."));
    } else if (o.contains(QLatin1String("data"))) {
        command->data = o.value(QLatin1String("data"));
    }
    // STOMP body / MQTT payload: a string as it is, any other JSON value sent compact.
    if (o.contains(QLatin1String("body")) && o.contains(QLatin1String("payload")))
        return fail({ QStringLiteral("payload") }, tr("give either \"body\" or \"payload\", not both."));
    const QString bodyKey
        = o.contains(QLatin1String("payload")) ? QStringLiteral("payload") : QStringLiteral("body");
    const QJsonValue body = o.value(bodyKey);
    if (body.isString()) {
        command->body = body.toString().toUtf8();
    } else if (!body.isUndefined()) {
        command->body = JsonLocator::compactText(m_json, m_where + QList<QVariant> { bodyKey });
        if (command->body.isEmpty())
            command->body = JsonPath::scalarText(body).toUtf8();
    }
    const QJsonValue headers = o.value(QLatin1String("headers"));
    if (!headers.isUndefined() && !headers.isObject())
        return fail({ QStringLiteral("headers") }, tr("\"headers\" must be an object of names and values."));
    const QJsonObject ho = headers.toObject();
    for (auto h = ho.begin(); h != ho.end(); ++h) {
        if (!h.value().isString())
            return fail({ QStringLiteral("headers"), h.key() },
                tr("header %1: the value must be a string.").arg(quoted(h.key())));
        command->headers.append({ h.key(), h.value().toString() });
    }
    const QJsonValue qos = o.value(QLatin1String("qos"));
    if (!qos.isUndefined() && !isWholeNumber(qos, 0, 2))
        return fail({ QStringLiteral("qos") }, tr("\"qos\" must be 0, 1 or 2."));
    command->qos = qos.toInt();
    const QJsonValue retain = o.value(QLatin1String("retain"));
    if (!retain.isUndefined() && !retain.isBool())
        return fail({ QStringLiteral("retain") }, tr("\"retain\" must be true or false."));
    command->retain = retain.toBool();
    const QJsonValue options = o.value(QLatin1String("options"));
    if (!options.isUndefined() && !options.isObject())
        return fail({ QStringLiteral("options") },
            tr("\"options\" must be an object, such as {\"ack\": \"client\"} for a STOMP subscribe."));
    command->options = options.toObject();
    return true;
}

bool ScenarioParser::readProtocolMatcher(const QJsonObject &o, ScenarioStep *step)
{
    MessageMatcher &m = step->matcher;
    const QStringList given = givenNameKeys(o);
    if (given.size() > 1)
        return fail({ given.at(1) },
            tr("%1 and %2 both name the message's event, topic or destination: give one.")
                .arg(quoted(given.at(0)), quoted(given.at(1))));
    QString text;
    if (!given.isEmpty()) {
        if (!readString(o, given.first(), &text))
            return false;
        m.protocolName = text;
        m.protocolNameKey = given.first();
    }
    if (o.contains(QLatin1String("type"))) {
        if (!readString(o, QStringLiteral("type"), &text))
            return false;
        m.protocolType = text;
    }
    if (o.contains(QLatin1String("id"))) {
        if (!readString(o, QStringLiteral("id"), &text, true))
            return false;
        m.protocolId = text;
    }
    const QJsonValue qos = o.value(QLatin1String("qos"));
    if (!qos.isUndefined()) {
        if (!isWholeNumber(qos, 0, 2))
            return fail({ QStringLiteral("qos") }, tr("\"qos\" must be 0, 1 or 2."));
        m.qos = qos.toInt();
    }
    const QJsonValue raw = o.value(QLatin1String("raw"));
    if (!raw.isUndefined() && !raw.isBool())
        return fail({ QStringLiteral("raw") }, tr("\"raw\" must be true or false."));
    m.raw = raw.toBool();
    if (!m.hasProtocolConditions())
        return true;
    const QString key = given.isEmpty() ? (m.protocolType ? QStringLiteral("type")
                                : m.protocolId            ? QStringLiteral("id")
                                                          : QStringLiteral("qos"))
                                        : given.first();
    if (m.raw)
        return fail({ key },
            tr("%1 is a protocol condition: it cannot be used with \"raw\": true.").arg(quoted(key)));
    if (m_scenario.connection(step->connection)->protocol.isRaw())
        return fail({ key },
            tr("%1 needs a connection with a \"protocol\" (connection %2 speaks plain WebSocket).")
                .arg(quoted(key), quoted(step->connection)));
    return true;
}

} // namespace wst
