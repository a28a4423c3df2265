#pragma once

#include "server/ReplyRules.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace wst {

// Edits the local server's reply rules: an ordered list of "match -> actions". The list on the
// left holds the rules in the order they are tried; the right side edits the selected rule's
// match, its actions (reply, delay, close) in order, and faults of its own for its replies. Problems (a regex
// that does not compile, a close code that cannot be sent, a JSON match without a field) are shown inline as
// they are typed. The rules can be loaded from and saved to the JSON format that ReplyRules::parse reads.
class RulesEditor : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit RulesEditor(QWidget *parent = nullptr);

    void setRules(const QList<ReplyRule> &rules);
    // The rules with their regular expressions compiled. When one is not usable, *error (if
    // given) names the rule and the problem, and the rules returned are only the usable ones.
    QList<ReplyRule> rules(QString *error = nullptr) const;
    int ruleCount() const { return int(m_rules.size()); }
    int currentRule() const { return m_current; }
    void setCurrentRule(int index);

    bool loadFile(const QString &path);
    bool saveFile(const QString &path);
    // The inline error of the whole editor (loading/saving), empty when none.
    QString fileError() const;

    // A test seam for the save dialog, like Dialogs::setNextOpenFileName: used once.
    static void setNextSaveFileName(const QString &fileName);

public Q_SLOTS:
    void addRule();
    void removeRule();
    void moveRuleUp();
    void moveRuleDown();
    void loadRules();
    void saveRules();

Q_SIGNALS:
    void changed();

private:
    void buildUi();
    void rebuildList();
    void updateListItem(int index);
    void showRule(int index);
    void rebuildActions();
    void addAction(ReplyAction::Type type);
    void moveAction(int index, int delta);
    void removeAction(int index);
    void onRuleEdited();
    void updateRuleProblem();
    void updateButtons();
    void onFaultsEdited(); // RulesEditorActions.cpp
    static QString faultsText(const FaultPlan &plan);

    QList<ReplyRule> m_rules;
    int m_current = -1;
    bool m_updating = false;

    QListWidget *m_list = nullptr;
    QToolButton *m_addButton = nullptr;
    QToolButton *m_removeButton = nullptr;
    QToolButton *m_upButton = nullptr;
    QToolButton *m_downButton = nullptr;
    QPushButton *m_loadButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    QLabel *m_fileError = nullptr;

    QWidget *m_detail = nullptr;
    QComboBox *m_matchCombo = nullptr;
    QLabel *m_fieldLabel = nullptr;
    QLineEdit *m_fieldEdit = nullptr;
    QLineEdit *m_valueEdit = nullptr;
    QLineEdit *m_faultsEdit = nullptr; // the rule's own faults, specs separated by ';'
    QString m_faultsError; // why the faults as typed cannot be used
    QLabel *m_ruleError = nullptr;
    QWidget *m_actionsBox = nullptr;
    QVBoxLayout *m_actionsLayout = nullptr;
    QPushButton *m_addReplyButton = nullptr;
    QPushButton *m_addDelayButton = nullptr;
    QPushButton *m_addCloseButton = nullptr;
    QLabel *m_emptyLabel = nullptr;
};

} // namespace wst
