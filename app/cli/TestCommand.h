#pragma once

#include "scenario/Scenario.h"
#include "scenario/ScenarioReport.h"

#include <QEventLoop>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <cstdio>

namespace wst {
class ScenarioRunner;
}

namespace wst::cli {

// `wstester test FILE... [--env NAME] [--var k=v] [--junit out.xml] [--json out.json] [--bail]`: runs
// scenario files headless and says, step by step, what passed and what did not.
// `wstester test FILE --export k6|artillery [-o OUT]` writes a load script instead of running.
class TestCommand : public QObject
{
    Q_OBJECT
public:
    explicit TestCommand(QObject *parent = nullptr);
    // args[0] is the program, args[1] "test". Returns the process exit code.
    int run(const QStringList &args);

    // Reads "name=value" pairs (--var); on a bad one returns false with *error set.
    static bool parseVariables(const QStringList &pairs, QMap<QString, QString> *variables, QString *error);

private:
    int exportScenario(const QString &engineName, const QString &output);
    void runNext();
    void onStepFinished(int index);
    void onScenarioFinished();
    void printStep(const StepReport &step);
    void printSummary();
    QString paint(const QString &text, const char *colour) const;

    QList<Scenario> m_scenarios;
    QList<ScenarioReport> m_reports;
    QMap<QString, QString> m_variables;
    ScenarioRunner *m_runner = nullptr;
    QEventLoop m_loop;
    QTimer m_timeout;
    qsizetype m_next = 0;
    bool m_bail = false;
    bool m_colour = false;
    bool m_timedOut = false;
    FILE *m_out = stdout;
};

} // namespace wst::cli
