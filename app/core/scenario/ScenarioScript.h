#pragma once

#include "Scenario.h"
#include "ScenarioScriptApi.h"

#include <QCoreApplication>
#include <QHash>
#include <QJSValue>

#include <memory>
#include <optional>

class QJSEngine;

namespace wst {

class ScriptWatchdog;

// Runs the JavaScript of script steps and onMessage hooks (README, "Scripts") in a QJSEngine of
// its own, on the calling thread, which must be the thread that made it (and destroys it). A
// watchdog thread interrupts a script that runs past its time limit, so a script that never
// ends holds the window for that long at most. Globals a script makes last until the object goes.
class ScenarioScript
{
    Q_DECLARE_TR_FUNCTIONS(ScenarioScript)
public:
    struct Message
    {
        QString connection;
        bool binary = false;
        QByteArray payload;
    };

    explicit ScenarioScript(ScriptHost host);
    ~ScenarioScript();
    ScenarioScript(const ScenarioScript &) = delete;
    ScenarioScript &operator=(const ScenarioScript &) = delete;

    // Runs source with msg set to message (undefined without one). False when the script threw,
    // an expect failed or the time ran out; error then says what and where: "line 3: expected
    // 5, got 4", "check.js:2: ReferenceError: x is not defined".
    bool run(const ScriptSource &source, const std::optional<Message> &message, QString *error);

private:
    struct Outcome
    {
        QJSValue value;
        QStringList trace; // not empty: the evaluation threw value
        bool timedOut = false;
    };
    Outcome evaluate(const QString &program, const QString &fileName, int timeoutMs);
    QString where(const ScriptSource &source, const QString &fileName, const QStringList &trace,
        const QJSValue &thrown) const;

    ScriptHost m_host;
    std::unique_ptr<QJSEngine> m_engine;
    std::unique_ptr<ScriptWatchdog> m_watchdog; // after the engine: it goes first
    QJSValue m_api; // the prelude's object: expect, vars, send, sendBinary, log, message()
    QJSValue m_functions; // compiled sources, in the order of m_compiled
    QHash<QString, int> m_compiled; // code -> index in m_functions
};

} // namespace wst
