// RulesEditor, continued: the selected rule's actions (rows of RuleActionRow) and its own faults.
#include "RulesEditor.h"

#include "GuiHelpers.h"
#include "RuleActionRow.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

void RulesEditor::rebuildActions()
{
    // Rows may be rebuilt from inside one of their own signals: delete them later.
    const QList<QWidget *> old = m_actionsBox->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly);
    for (QWidget *w : old) {
        w->hide();
        w->setObjectName(QString());
        m_actionsLayout->removeWidget(w);
        w->deleteLater();
    }
    if (m_current < 0)
        return;
    const QList<ReplyAction> &actions = m_rules.at(m_current).actions;
    QWidget *previous = m_valueEdit;
    const auto chain = [&previous](QWidget *w) {
        setTabOrder(previous, w);
        previous = w;
    };
    for (int i = 0; i < actions.size(); ++i) {
        auto *row = new RuleActionRow(i, int(actions.size()), actions.at(i), m_actionsBox);
        for (QWidget *w : row->focusChain())
            chain(w);
        connect(row, &RuleActionRow::typeChanged, this, [this, i](ReplyAction::Type type) {
            if (m_current < 0 || i >= m_rules.at(m_current).actions.size())
                return;
            m_rules[m_current].actions[i].type = type;
            rebuildActions();
            if (auto *again
                = m_actionsBox->findChild<QComboBox *>(QStringLiteral("actionTypeCombo_%1").arg(i)))
                again->setFocus(Qt::OtherFocusReason);
            updateRuleProblem();
            updateListItem(m_current);
            Q_EMIT changed();
        });
        connect(row, &RuleActionRow::edited, this, [this, i](const ReplyAction &action) {
            if (m_current < 0 || i >= m_rules.at(m_current).actions.size())
                return;
            m_rules[m_current].actions[i] = action;
            updateRuleProblem();
            updateListItem(m_current);
            Q_EMIT changed();
        });
        connect(row, &RuleActionRow::moveRequested, this, [this, i](int delta) { moveAction(i, delta); });
        connect(row, &RuleActionRow::removeRequested, this, [this, i] { removeAction(i); });
        m_actionsLayout->addWidget(row);
    }
    chain(m_addReplyButton);
}

void RulesEditor::addAction(ReplyAction::Type type)
{
    if (m_current < 0)
        return;
    ReplyAction action;
    action.type = type;
    if (type == ReplyAction::Type::Delay)
        action.delayMs = 500;
    if (type == ReplyAction::Type::Close)
        action.closeCode = 4000;
    m_rules[m_current].actions.append(action);
    rebuildActions();
    const int last = int(m_rules.at(m_current).actions.size()) - 1;
    if (auto *w = m_actionsBox->findChild<QComboBox *>(QStringLiteral("actionTypeCombo_%1").arg(last)))
        w->setFocus(Qt::OtherFocusReason);
    updateRuleProblem();
    updateListItem(m_current);
    Q_EMIT changed();
}

void RulesEditor::moveAction(int index, int delta)
{
    if (m_current < 0)
        return;
    QList<ReplyAction> &actions = m_rules[m_current].actions;
    const int to = index + delta;
    if (index < 0 || to < 0 || index >= actions.size() || to >= actions.size())
        return;
    actions.swapItemsAt(index, to);
    rebuildActions();
    const QString name
        = delta < 0 ? QStringLiteral("moveActionUpButton_%1") : QStringLiteral("moveActionDownButton_%1");
    if (auto *w = m_actionsBox->findChild<QToolButton *>(name.arg(to)); w && w->isEnabled())
        w->setFocus(Qt::OtherFocusReason);
    updateRuleProblem();
    updateListItem(m_current);
    Q_EMIT changed();
}

void RulesEditor::removeAction(int index)
{
    if (m_current < 0 || index < 0 || index >= m_rules.at(m_current).actions.size())
        return;
    m_rules[m_current].actions.removeAt(index);
    rebuildActions();
    m_addReplyButton->setFocus(Qt::OtherFocusReason);
    updateRuleProblem();
    updateListItem(m_current);
    Q_EMIT changed();
}

void RulesEditor::onFaultsEdited()
{
    if (m_updating || m_current < 0)
        return;
    // Specs hold commas ("delay=300,jitter=50"): the editor separates them with semicolons.
    QStringList specs;
    for (const QString &spec : m_faultsEdit->text().split(QLatin1Char(';'))) {
        if (!spec.trimmed().isEmpty())
            specs.append(spec.trimmed());
    }
    const FaultPlan plan = FaultPlan::parse(specs, &m_faultsError);
    if (m_faultsError.isEmpty())
        m_rules[m_current].faults = plan;
    updateRuleProblem();
    updateListItem(m_current);
    Q_EMIT changed();
}

QString RulesEditor::faultsText(const FaultPlan &plan)
{
    return plan.toSpecs().join(QLatin1StringView("; "));
}

} // namespace wst
