#include "ScenarioScriptApi.h"

#include "compose/Variables.h"

#include <QVariant>

namespace wst {

ScenarioScriptApi::ScenarioScriptApi(const ScriptHost *host, QObject *parent)
    : QObject(parent)
    , m_host(host)
{
}

QJSValue ScenarioScriptApi::get(const QString &name) const
{
    const std::optional<QString> value = m_host->variable ? m_host->variable(name) : std::nullopt;
    return value ? QJSValue(*value) : QJSValue(QJSValue::UndefinedValue);
}

QString ScenarioScriptApi::set(const QString &name, const QString &value)
{
    if (!Variables::isValidName(name) || Variables::isBuiltin(name))
        return tr("vars.set: \"%1\" is not a name that can be used as {{name}}.").arg(name);
    if (m_host->setVariable)
        m_host->setVariable(name, value);
    return {};
}

QString ScenarioScriptApi::send(const QString &connection, const QString &text)
{
    return m_host->send ? m_host->send(connection, text.toUtf8(), false) : QString();
}

QString ScenarioScriptApi::sendBinary(const QString &connection, const QJSValue &data)
{
    return m_host->send ? m_host->send(connection, data.toVariant().toByteArray(), true) : QString();
}

void ScenarioScriptApi::log(const QString &line)
{
    if (m_host->log)
        m_host->log(line);
}

} // namespace wst
