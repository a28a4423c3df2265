#pragma once

#include "server/ReplyRules.h"

#include <QList>
#include <QWidget>

class QComboBox;

namespace wst {

// One step of a reply rule in the rules editor: its number, its type (reply, wait, close), the
// fields of that type, and buttons to move or remove it. The row edits its own copy of the
// action and reports every change; the editor owns the rule. Child object names carry the
// row's index ("actionTextEdit_2"), so tests and the editor find them.
class RuleActionRow : public QWidget
{
    Q_OBJECT
public:
    // count: how many actions the rule has (the last row cannot move down).
    RuleActionRow(int index, int count, const ReplyAction &action, QWidget *parent = nullptr);

    int index() const { return m_index; }
    const ReplyAction &action() const { return m_action; }
    QComboBox *typeCombo() const { return m_type; }
    // The row's controls in tab order.
    QList<QWidget *> focusChain() const { return m_focusChain; }

Q_SIGNALS:
    // The type changed: the row must be rebuilt for the fields of the new type.
    void typeChanged(wst::ReplyAction::Type type);
    // A field of the action changed (text, delay, close code or reason).
    void edited(const wst::ReplyAction &action);
    void moveRequested(int delta);
    void removeRequested();

private:
    void addFields();

    int m_index = 0;
    ReplyAction m_action;
    QComboBox *m_type = nullptr;
    QList<QWidget *> m_focusChain;
};

} // namespace wst
