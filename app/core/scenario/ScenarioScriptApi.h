#pragma once

#include <QJSValue>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace wst {

// What a script may do to the run: ScenarioRunner fills these in.
struct ScriptHost
{
    std::function<std::optional<QString>(const QString &name)> variable;
    std::function<void(const QString &name, const QString &value)> setVariable;
    // Returns the problem, or an empty string when the message was handed to the connection.
    std::function<QString(const QString &connection, const QByteArray &data, bool binary)> send;
    std::function<void(const QString &line)> log;
};

// The native half of the script API (ScenarioScript's prelude wraps it in vars, send, log):
// each call returns a problem as text, and the prelude throws it where the script called.
class ScenarioScriptApi : public QObject
{
    Q_OBJECT
public:
    ScenarioScriptApi(const ScriptHost *host, QObject *parent);

    Q_INVOKABLE QJSValue get(const QString &name) const;
    Q_INVOKABLE QString set(const QString &name, const QString &value);
    Q_INVOKABLE QString send(const QString &connection, const QString &text);
    Q_INVOKABLE QString sendBinary(const QString &connection, const QJSValue &data);
    Q_INVOKABLE void log(const QString &line);

private:
    const ScriptHost *m_host;
};

} // namespace wst
