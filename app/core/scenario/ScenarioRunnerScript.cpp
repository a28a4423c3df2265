// ScenarioRunner, continued: script steps and onMessage hooks (ScenarioScript).
#include "ScenarioRunner.h"

#include "ScenarioScript.h"
#include "messages/MessageStore.h"

namespace wst {

namespace {

bool isReceivedMessage(const MessageRow &row)
{
    return row.direction == Direction::In && (row.kind == Kind::Text || row.kind == Kind::Binary);
}

} // namespace

bool ScenarioRunner::hasHooks() const
{
    if (!m_scenario.onMessage.isEmpty())
        return true;
    for (const ScenarioConnection &c : m_scenario.connections) {
        if (!c.onMessage.isEmpty())
            return true;
    }
    return false;
}

ScenarioScript &ScenarioRunner::script()
{
    if (!m_script) {
        ScriptHost host;
        host.variable = [this](const QString &name) -> std::optional<QString> {
            const auto it = m_variables.constFind(name);
            return it == m_variables.constEnd() ? std::nullopt : std::optional<QString>(*it);
        };
        host.setVariable
            = [this](const QString &name, const QString &value) { m_variables.insert(name, value); };
        host.send = [this](const QString &connection, const QByteArray &data, bool binary) {
            return sendFromScript(connection, data, binary);
        };
        host.log = [this](const QString &line) { m_log.append(line); };
        m_script = std::make_unique<ScenarioScript>(std::move(host));
    }
    return *m_script;
}

QString ScenarioRunner::sendFromScript(const QString &name, const QByteArray &data, bool binary)
{
    if (!m_scenario.connection(name))
        return tr("send: no connection named \"%1\".").arg(name);
    ClientConnection *c = m_links.value(name).connection;
    if (!c || c->state() != ClientConnection::State::Open)
        return tr("send: connection %1 is not open.").arg(name);
    if (m_inScriptStep) {
        // A send from a script step acts like a send step: the next expect waits for what
        // arrives from now on. A hook's send leaves the running expect's window alone.
        for (Link &link : m_links) {
            if (link.connection)
                link.windowStart = link.connection->store()->count();
        }
    }
    if (binary)
        c->sendBinary(data);
    else
        c->sendText(QString::fromUtf8(data));
    return {};
}

void ScenarioRunner::startScript(const ScenarioStep &s)
{
    std::optional<ScenarioScript::Message> message;
    const Link link = m_links.value(s.connection);
    if (!s.connection.isEmpty() && link.connection) {
        // msg: what the last expect on the connection matched, else the last message it received.
        const MessageStore &store = *link.connection->store();
        qint64 row = link.matched;
        for (qint64 i = store.count() - 1; row < 0 && i >= link.firstRow; --i) {
            if (isReceivedMessage(store.row(i)))
                row = i;
        }
        if (row >= 0)
            message = ScenarioScript::Message { s.connection, store.row(row).kind == Kind::Binary,
                store.payload(row) };
    }
    QString error;
    m_inScriptStep = true;
    const bool ok = script().run(s.script, message, &error);
    m_inScriptStep = false;
    if (!m_stepActive)
        return;
    if (ok)
        pass(tr("the script ran in %1 ms").arg(m_stepClock.elapsed()));
    else
        fail(error);
}

void ScenarioRunner::runHooks()
{
    if (!m_stepActive || m_inHooks)
        return;
    m_inHooks = true;
    for (auto it = m_links.begin(); it != m_links.end() && m_stepActive; ++it) {
        Link &link = it.value();
        const ScenarioConnection *c = m_scenario.connection(it.key());
        if (!link.connection || !c)
            continue;
        const MessageStore &store = *link.connection->store();
        const qint64 end = store.count();
        for (; link.hookScan < end && m_stepActive; ++link.hookScan) {
            const MessageRow &row = store.row(link.hookScan);
            if (!isReceivedMessage(row))
                continue;
            const ScenarioScript::Message message { it.key(), row.kind == Kind::Binary,
                store.payload(link.hookScan) };
            for (const ScriptSource *hook : { &std::as_const(m_scenario).onMessage, &c->onMessage }) {
                QString error;
                if (hook->isEmpty() || script().run(*hook, message, &error))
                    continue;
                const QString preview = ScenarioMatcher::preview(message.binary, message.payload);
                ++link.hookScan;
                m_inHooks = false;
                fail(hook == &c->onMessage
                        ? tr("onMessage of %1, on the message %2: %3").arg(it.key(), preview, error)
                        : tr("onMessage, on the message %1 received by %2: %3")
                              .arg(preview, it.key(), error));
                return;
            }
        }
    }
    m_inHooks = false;
}

} // namespace wst
