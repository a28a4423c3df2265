#include "ScenarioStepModel.h"

#include "Theme.h"
#include "compose/SecretValues.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QPalette>
#include <QStyle>

namespace wst {

namespace {

QIcon outcomeIcon(StepReport::Outcome outcome, bool running)
{
    QStyle *style = QApplication::style();
    if (running)
        return style->standardIcon(QStyle::SP_MediaPlay);
    switch (outcome) {
    case StepReport::Outcome::Passed:
        return style->standardIcon(QStyle::SP_DialogApplyButton);
    case StepReport::Outcome::Failed:
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case StepReport::Outcome::Skipped:
        return style->standardIcon(QStyle::SP_MediaSkipForward);
    case StepReport::Outcome::Pending:
        break;
    }
    return {};
}

QColor outcomeColor(StepReport::Outcome outcome, bool running)
{
    if (running)
        return theme::colour(theme::Role::InfoText);
    switch (outcome) {
    case StepReport::Outcome::Passed:
        return theme::colour(theme::Role::SuccessText);
    case StepReport::Outcome::Failed:
        return theme::colour(theme::Role::ErrorText);
    case StepReport::Outcome::Skipped:
    case StepReport::Outcome::Pending:
        break;
    }
    return QApplication::palette().color(QPalette::PlaceholderText);
}

} // namespace

ScenarioStepModel::ScenarioStepModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ScenarioStepModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_report.steps.size());
}

int ScenarioStepModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ScenarioStepModel::resultText(StepReport::Outcome outcome, bool running)
{
    return running ? tr("running") : ScenarioReport::outcomeName(outcome);
}

QVariant ScenarioStepModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StepReport &step = m_report.steps.at(index.row());
    const bool running = index.row() == m_running;
    const bool done = step.outcome != StepReport::Outcome::Pending;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return step.number;
        case StepColumn:
            return step.title;
        case ResultColumn:
            return resultText(step.outcome, running);
        case TimeColumn:
            return done && step.outcome != StepReport::Outcome::Skipped
                ? tr("%1 ms").arg(QLocale().toString(step.durationMs))
                : QString();
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == StepColumn || index.column() == ResultColumn)
            return SecretValues::mask(
                step.detail.isEmpty() ? step.title : QString(step.title + QLatin1Char('\n') + step.detail));
        break;
    case Qt::DecorationRole:
        if (index.column() == ResultColumn)
            return outcomeIcon(step.outcome, running);
        break;
    case Qt::ForegroundRole:
        if (index.column() == ResultColumn)
            return QBrush(outcomeColor(step.outcome, running));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn || index.column() == TimeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::AccessibleTextRole:
        if (index.column() == ResultColumn)
            return resultText(step.outcome, running);
        break;
    case OutcomeRole:
        return int(step.outcome);
    case DetailRole:
        return SecretValues::mask(step.detail);
    }
    return {};
}

QVariant ScenarioStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn:
        return tr("#");
    case StepColumn:
        return tr("Step");
    case ResultColumn:
        return tr("Result");
    case TimeColumn:
        return tr("Time");
    }
    return {};
}

void ScenarioStepModel::setReport(const ScenarioReport &report)
{
    beginResetModel();
    m_report = report;
    m_running = -1;
    endResetModel();
}

void ScenarioStepModel::updateStep(int index, const StepReport &step, bool running)
{
    if (index < 0 || index >= m_report.steps.size())
        return;
    const int before = m_running;
    m_report.steps[index] = step;
    if (running)
        m_running = index;
    else if (m_running == index)
        m_running = -1;
    Q_EMIT dataChanged(this->index(index, 0), this->index(index, ColumnCount - 1));
    if (before >= 0 && before != index && before != m_running)
        Q_EMIT dataChanged(this->index(before, 0), this->index(before, ColumnCount - 1));
}

void ScenarioStepModel::retranslate(const QList<ScenarioStep> &steps)
{
    for (int i = 0; i < m_report.steps.size() && i < steps.size(); ++i)
        m_report.steps[i].title = ScenarioReport::title(steps.at(i));
    if (!m_report.steps.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

} // namespace wst
