#pragma once

#include "scenario/ScenarioReport.h"

#include <QAbstractTableModel>

namespace wst {

// The steps of a scenario run as the Tests panel lists them: number, what the step does, its
// outcome (text, icon and colour: never colour alone) and its time. Fed from the runner's report
// as the run goes; the step being run shows as "running".
class ScenarioStepModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NumberColumn, StepColumn, ResultColumn, TimeColumn, ColumnCount };
    enum Role { OutcomeRole = Qt::UserRole + 1, DetailRole };

    explicit ScenarioStepModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The whole report (a new run, or a new scenario with every step pending).
    void setReport(const ScenarioReport &report);
    // One step of the report changed; running marks the step being run.
    void updateStep(int index, const StepReport &step, bool running);
    const ScenarioReport &report() const { return m_report; }
    int runningIndex() const { return m_running; }
    // The texts are re-read from tr() (the language changed); steps are the run's scenario's.
    void retranslate(const QList<ScenarioStep> &steps);

    // "running", "passed", … as the list shows it.
    static QString resultText(StepReport::Outcome outcome, bool running);

private:
    ScenarioReport m_report;
    int m_running = -1;
};

} // namespace wst
