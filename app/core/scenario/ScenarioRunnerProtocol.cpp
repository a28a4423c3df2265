// ScenarioRunner, continued: protocols over WebSocket. A connect step on a protocol connection
// passes when the protocol's own handshake is done; a command step hands a ProtocolCommand to the
// connection and, when it asked for one, waits for the reply.
#include "ScenarioRunner.h"

#include "compose/Variables.h"
#include "format/JsonPath.h"
#include "protocols/Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

namespace {

QByteArray compactJson(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return JsonPath::scalarText(value).toUtf8();
}

// "connection_error: [{"message":"bad token"}]", "Not authorized", ...: what a protocol's
// error notice says, in one line.
QString noticeText(const ProtocolNotice &notice)
{
    QStringList parts;
    if (!notice.name.isEmpty())
        parts.append(notice.name);
    if (notice.data.isString())
        parts.append(notice.data.toString());
    else if (!notice.data.isUndefined() && !notice.data.isNull())
        parts.append(QString::fromUtf8(compactJson(notice.data)));
    if (parts.isEmpty()) {
        for (const auto &field : notice.fields)
            parts.append(field.first + QLatin1Char('=') + field.second);
    }
    return parts.join(QLatin1String(": "));
}

// A reply or error belongs to the command whose ticket it carries. One without (a STOMP ERROR
// that names no receipt, a refused connection) belongs to any command whose id and name agree.
bool belongsTo(const ProtocolNotice &notice, const ProtocolCommand &command, quint64 ticket)
{
    if (notice.ticket != 0)
        return notice.ticket == ticket;
    if (!command.id.isEmpty() && !notice.id.isEmpty() && notice.id != command.id)
        return false;
    return command.name.isEmpty() || notice.name.isEmpty() || notice.name == command.name;
}

} // namespace

QByteArray ScenarioRunner::replyContent(const ProtocolNotice &notice)
{
    if (!notice.data.isUndefined())
        return compactJson(notice.data);
    QJsonObject fields;
    for (const auto &field : notice.fields)
        fields.insert(field.first, field.second);
    return compactJson(fields);
}

void ScenarioRunner::handshakePassed(const ScenarioStep &s, Link &link, const QString &detail)
{
    const ClientConnection &c = *link.connection;
    if (c.protocol()->isRaw() || c.protocolState().isReady()) {
        pass(detail);
        return;
    }
    m_protocolPending = true;
    m_connectDetail = detail;
    m_deadline.start(qMax<qint64>(0, s.withinMs - m_stepClock.elapsed()));
}

void ScenarioRunner::startCommand(const ScenarioStep &s)
{
    Link *link = openLink(s);
    if (!link)
        return;
    // The file's {{variables}} are filled now, with what earlier steps saved.
    QString error;
    ProtocolCommand command = s.command;
    command.name = fillIn(command.name, &error);
    if (error.isEmpty())
        command.id = fillIn(command.id, &error);
    if (error.isEmpty())
        command.body = fillIn(QString::fromUtf8(command.body), &error).toUtf8();
    if (error.isEmpty())
        command.args = Variables::substituteJson(command.args, m_variables, &error).toArray();
    if (error.isEmpty() && !command.data.isUndefined())
        command.data = Variables::substituteJson(command.data, m_variables, &error);
    for (auto &header : command.headers) {
        if (error.isEmpty())
            header.second = fillIn(header.second, &error);
    }
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    m_command = command;
    // The session may answer at once (an MQTT QoS 0 publish), before it says it took the command.
    m_replyPending = command.expectReply;
    m_commandTaken = false;
    m_commandTicket = link->connection->submit(command);
    m_deadline.start(s.withinMs);
}

void ScenarioRunner::onCommandHandled(const QString &name, quint64 ticket, const QString &problem)
{
    if (!m_stepActive || step().type != ScenarioStep::Type::Command || step().connection != name
        || ticket != m_commandTicket)
        return;
    if (!problem.isEmpty()) {
        fail(problem);
        return;
    }
    m_commandTaken = true;
    if (m_command.expectReply)
        return;
    const ClientConnection *c = m_links.value(name).connection;
    pass(c && c->protocolState().isReady()
            ? tr("sent")
            : tr("queued until the %1 handshake is done")
                  .arg(ProtocolNames::displayName(c ? c->protocol()->id() : ProtocolId::Raw)));
}

void ScenarioRunner::onProtocolNotice(const QString &name, const ProtocolNotice &notice)
{
    if (!m_stepActive || step().connection != name)
        return;
    const ScenarioStep &s = step();
    const ClientConnection *c = m_links.value(name).connection;
    const QString protocolName = ProtocolNames::displayName(c ? c->protocol()->id() : ProtocolId::Raw);
    if (s.type == ScenarioStep::Type::Connect && m_protocolPending) {
        if (notice.type == ProtocolNotice::Type::Ready)
            pass(tr("%1; %2 ready").arg(m_connectDetail, protocolName));
        else if (notice.type == ProtocolNotice::Type::Error)
            fail(tr("the %1 handshake failed: %2").arg(protocolName, noticeText(notice)));
        return;
    }
    if (s.type != ScenarioStep::Type::Command || !m_replyPending
        || !belongsTo(notice, m_command, m_commandTicket))
        return;
    if (notice.type == ProtocolNotice::Type::Error) {
        fail(tr("an error instead of the reply: %1").arg(noticeText(notice)));
        return;
    }
    if (notice.type != ProtocolNotice::Type::Reply)
        return;
    const QByteArray content = replyContent(notice);
    QString error;
    if (!ScenarioMatcher::save(s.saves, content, &m_variables, &error)) {
        fail(error);
        return;
    }
    const QString preview = ScenarioMatcher::preview(false, content);
    pass(notice.rttUs >= 0
            ? tr("reply in %1 ms: %2").arg(double(notice.rttUs) / 1000.0, 0, 'f', 1).arg(preview)
            : tr("reply: %1").arg(preview));
}

} // namespace wst
