#pragma once

#include "Scenario.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace wst {

// What happened at one step of a run.
struct StepReport
{
    enum class Outcome { Pending, Passed, Failed, Skipped };
    int number = 0; // 1-based, as in the file
    QString title; // "expect a: $.op == \"welcome\" within 2000 ms"
    Outcome outcome = Outcome::Pending;
    qint64 durationMs = 0;
    QString detail; // passed: the message that matched (or what was checked); failed: the reason
    QStringList others; // messages received while waiting that did not match (kept, not failures)
    QStringList log; // what scripts wrote with log() during the step
    // The store index (in its connection's MessageStore) of the message the step decided on: the
    // one that matched, the one that broke it, or the last that did not match; -1: none.
    qint64 messageIndex = -1;
    int line = 0; // the step's line in its file (0: not known)
};

struct ScenarioReport
{
    Q_DECLARE_TR_FUNCTIONS(ScenarioReport)
public:
    QString file;
    QString name;
    QList<StepReport> steps;
    qint64 durationMs = 0;
    // A problem that is not one step's: a connection that could not be made…
    bool connectionFailed = false;

    bool passed() const;
    int count(StepReport::Outcome outcome) const;
    // The title of a step as reports show it.
    static QString title(const ScenarioStep &step);
    static QString outcomeName(StepReport::Outcome outcome);
};

} // namespace wst
