#include "RulesEditor.h"

#include "Dialogs.h"
#include "GuiHelpers.h"
#include "RuleActionRow.h"
#include "protocol/CloseCodes.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <optional>

namespace wst {

using gui::describe;

namespace {

std::optional<QString> &nextSaveFileName()
{
    static std::optional<QString> name;
    return name;
}

QToolButton *makeToolButton(QWidget *parent, const QString &text, const QString &objectName,
    const QString &accessibleName, const QString &toolTip)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    describe(button, objectName, accessibleName, toolTip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

RulesEditor::RulesEditor(QWidget *parent)
    : QWidget(parent)
{
    buildUi();
    retranslateUi();
    showRule(-1);
    updateButtons();
}

void RulesEditor::buildUi()
{
    setObjectName(QStringLiteral("rulesEditor"));

    // The list of rules, in the order they are tried.
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("rulesList"));
    m_list->setUniformItemSizes(true);
    m_list->setMinimumWidth(220);
    m_addButton = makeToolButton(this, QString(), QStringLiteral("addRuleButton"), {}, {});
    m_addButton->setIcon(gui::icon(QStringLiteral("add")));
    m_addButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_removeButton = makeToolButton(this, QString(), QStringLiteral("removeRuleButton"), {}, {});
    m_removeButton->setIcon(gui::icon(QStringLiteral("remove")));
    m_removeButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_upButton = makeToolButton(this, QString(), QStringLiteral("moveRuleUpButton"), {}, {});
    m_upButton->setArrowType(Qt::UpArrow);
    m_upButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    m_downButton = makeToolButton(this, QString(), QStringLiteral("moveRuleDownButton"), {}, {});
    m_downButton->setArrowType(Qt::DownArrow);
    m_downButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    m_loadButton = new QPushButton(this);
    m_loadButton->setObjectName(QStringLiteral("loadRulesButton"));
    m_saveButton = new QPushButton(this);
    m_saveButton->setObjectName(QStringLiteral("saveRulesButton"));
    m_fileError = gui::makeErrorLabel(QStringLiteral("rulesFileError"), this);

    auto *listButtons = new QHBoxLayout;
    listButtons->setSpacing(2);
    listButtons->addWidget(m_addButton);
    listButtons->addWidget(m_removeButton);
    listButtons->addWidget(m_upButton);
    listButtons->addWidget(m_downButton);
    listButtons->addStretch(1);
    listButtons->addWidget(m_loadButton);
    listButtons->addWidget(m_saveButton);
    auto *listTitle = new QLabel(this);
    listTitle->setObjectName(QStringLiteral("rulesListTitle"));
    listTitle->setBuddy(m_list);
    auto *listSide = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(4);
    listLayout->addWidget(listTitle);
    listLayout->addWidget(m_list, 1);
    listLayout->addLayout(listButtons);
    listLayout->addWidget(m_fileError);
    listTitle->setParent(listSide);
    m_list->setParent(listSide);

    // The selected rule.
    m_detail = new QWidget(this);
    m_detail->setObjectName(QStringLiteral("ruleDetail"));
    m_matchCombo = new QComboBox(m_detail);
    m_matchCombo->setObjectName(QStringLiteral("ruleMatchCombo"));
    for (auto match : { ReplyRule::Match::Exact, ReplyRule::Match::Contains, ReplyRule::Match::Regex,
             ReplyRule::Match::JsonField })
        m_matchCombo->addItem(QString(), int(match)); // named in retranslateUi()
    m_fieldEdit = new QLineEdit(m_detail);
    m_fieldEdit->setObjectName(QStringLiteral("ruleFieldEdit"));
    m_valueEdit = new QLineEdit(m_detail);
    m_valueEdit->setObjectName(QStringLiteral("ruleValueEdit"));
    m_valueEdit->setClearButtonEnabled(true);
    m_ruleError = gui::makeErrorLabel(QStringLiteral("ruleError"), m_detail);

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *matchLabel = new QLabel(m_detail);
    matchLabel->setObjectName(QStringLiteral("ruleMatchLabel"));
    matchLabel->setBuddy(m_matchCombo);
    form->addRow(matchLabel, m_matchCombo);
    m_fieldLabel = new QLabel(m_detail);
    m_fieldLabel->setBuddy(m_fieldEdit);
    form->addRow(m_fieldLabel, m_fieldEdit);
    auto *valueLabel = new QLabel(m_detail);
    valueLabel->setObjectName(QStringLiteral("ruleValueLabel"));
    valueLabel->setBuddy(m_valueEdit);
    form->addRow(valueLabel, m_valueEdit);
    m_faultsEdit = new QLineEdit(m_detail);
    m_faultsEdit->setObjectName(QStringLiteral("ruleFaultsEdit"));
    m_faultsEdit->setClearButtonEnabled(true);
    auto *faultsLabel = new QLabel(m_detail);
    faultsLabel->setObjectName(QStringLiteral("ruleFaultsLabel"));
    faultsLabel->setBuddy(m_faultsEdit);

    m_actionsBox = new QFrame(m_detail);
    m_actionsBox->setObjectName(QStringLiteral("ruleActions"));
    m_actionsLayout = new QVBoxLayout(m_actionsBox);
    m_actionsLayout->setContentsMargins(0, 0, 0, 0);
    m_actionsLayout->setSpacing(3);
    m_addReplyButton = new QPushButton(m_detail);
    m_addReplyButton->setObjectName(QStringLiteral("addReplyActionButton"));
    m_addDelayButton = new QPushButton(m_detail);
    m_addDelayButton->setObjectName(QStringLiteral("addDelayActionButton"));
    m_addCloseButton = new QPushButton(m_detail);
    m_addCloseButton->setObjectName(QStringLiteral("addCloseActionButton"));
    auto *addActions = new QHBoxLayout;
    addActions->addWidget(m_addReplyButton);
    addActions->addWidget(m_addDelayButton);
    addActions->addWidget(m_addCloseButton);
    addActions->addStretch(1);

    auto *thenLabel = new QLabel(m_detail);
    thenLabel->setObjectName(QStringLiteral("ruleThenLabel"));
    auto *detailLayout = new QVBoxLayout(m_detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->setSpacing(4);
    detailLayout->addLayout(form);
    detailLayout->addWidget(thenLabel);
    detailLayout->addWidget(m_actionsBox);
    detailLayout->addLayout(addActions);
    auto *faultsRow = new QHBoxLayout;
    faultsRow->addWidget(faultsLabel);
    faultsRow->addWidget(m_faultsEdit, 1);
    detailLayout->addLayout(faultsRow);
    detailLayout->addWidget(m_ruleError);
    detailLayout->addStretch(1);

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setObjectName(QStringLiteral("rulesEmptyLabel"));
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(listSide, 2);
    layout->addWidget(m_detail, 3);
    layout->addWidget(m_emptyLabel, 3);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_updating)
            showRule(row);
    });
    connect(m_addButton, &QToolButton::clicked, this, &RulesEditor::addRule);
    connect(m_removeButton, &QToolButton::clicked, this, &RulesEditor::removeRule);
    connect(m_upButton, &QToolButton::clicked, this, &RulesEditor::moveRuleUp);
    connect(m_downButton, &QToolButton::clicked, this, &RulesEditor::moveRuleDown);
    connect(m_loadButton, &QPushButton::clicked, this, &RulesEditor::loadRules);
    connect(m_saveButton, &QPushButton::clicked, this, &RulesEditor::saveRules);
    connect(m_matchCombo, &QComboBox::currentIndexChanged, this, &RulesEditor::onRuleEdited);
    connect(m_fieldEdit, &QLineEdit::textEdited, this, &RulesEditor::onRuleEdited);
    connect(m_valueEdit, &QLineEdit::textEdited, this, &RulesEditor::onRuleEdited);
    connect(m_faultsEdit, &QLineEdit::textEdited, this, &RulesEditor::onFaultsEdited);
    connect(m_addReplyButton, &QPushButton::clicked, this, [this] { addAction(ReplyAction::Type::Reply); });
    connect(m_addDelayButton, &QPushButton::clicked, this, [this] { addAction(ReplyAction::Type::Delay); });
    connect(m_addCloseButton, &QPushButton::clicked, this, [this] { addAction(ReplyAction::Type::Close); });

    auto *insert = new QAction(m_list);
    insert->setObjectName(QStringLiteral("addRuleAction"));
    insert->setShortcut(QKeySequence(Qt::Key_Insert));
    insert->setShortcutContext(Qt::WidgetShortcut);
    connect(insert, &QAction::triggered, this, &RulesEditor::addRule);
    auto *remove = new QAction(m_list);
    remove->setObjectName(QStringLiteral("removeRuleAction"));
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    connect(remove, &QAction::triggered, this, &RulesEditor::removeRule);
    m_list->addActions({ insert, remove });
}

void RulesEditor::setRules(const QList<ReplyRule> &rules)
{
    m_rules = rules;
    rebuildList();
    setCurrentRule(m_rules.isEmpty() ? -1 : 0);
    updateButtons();
    Q_EMIT changed();
}

QList<ReplyRule> RulesEditor::rules(QString *error) const
{
    QList<ReplyRule> out;
    QString first;
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        ReplyRule rule = m_rules.at(i);
        const QString why = ReplyRules::validate(rule);
        if (!why.isEmpty()) {
            if (first.isEmpty())
                first = tr("Rule %1: %2").arg(i + 1).arg(why);
            continue;
        }
        if (rule.match == ReplyRule::Match::Regex)
            rule.regex = QRegularExpression(rule.value);
        out.append(rule);
    }
    if (error)
        *error = first;
    return out;
}

void RulesEditor::setCurrentRule(int index)
{
    m_updating = true;
    m_list->setCurrentRow(index);
    m_updating = false;
    showRule(index);
    updateButtons();
}

bool RulesEditor::loadFile(const QString &path)
{
    QString error;
    const QList<ReplyRule> loaded = ReplyRules::parseFile(path, &error);
    gui::setInlineError(m_fileError, error, m_list);
    if (!error.isEmpty())
        return false;
    setRules(loaded);
    return true;
}

bool RulesEditor::saveFile(const QString &path)
{
    QString error;
    rules(&error);
    if (!error.isEmpty()) {
        gui::setInlineError(m_fileError, tr("Not saved: %1").arg(error), m_list);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(ReplyRules::toJson(m_rules)) < 0 || !file.commit()) {
        gui::setInlineError(m_fileError, tr("Cannot write %1: %2").arg(path, file.errorString()), m_list);
        return false;
    }
    gui::setInlineError(m_fileError, {}, m_list);
    return true;
}

QString RulesEditor::fileError() const
{
    return m_fileError->text();
}

void RulesEditor::setNextSaveFileName(const QString &fileName)
{
    nextSaveFileName() = fileName;
}

void RulesEditor::loadRules()
{
    const QString path = Dialogs::getOpenFileName(
        this, tr("Load reply rules"), {}, tr("Reply rules (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void RulesEditor::saveRules()
{
    QString path;
    if (auto prepared = std::exchange(nextSaveFileName(), std::nullopt))
        path = *prepared;
    else
        path = QFileDialog::getSaveFileName(this, tr("Save reply rules"), QStringLiteral("rules.json"),
            tr("Reply rules (*.json);;All files (*)"));
    if (!path.isEmpty())
        saveFile(path);
}

void RulesEditor::addRule()
{
    ReplyRule rule;
    rule.actions.append(ReplyAction {});
    m_rules.append(rule);
    rebuildList();
    setCurrentRule(int(m_rules.size()) - 1);
    m_valueEdit->setFocus(Qt::OtherFocusReason);
    Q_EMIT changed();
}

void RulesEditor::removeRule()
{
    if (m_current < 0 || m_current >= m_rules.size())
        return;
    const int removed = m_current;
    m_rules.removeAt(removed);
    rebuildList();
    setCurrentRule(m_rules.isEmpty() ? -1 : qMin(removed, int(m_rules.size()) - 1));
    Q_EMIT changed();
}

void RulesEditor::moveRuleUp()
{
    if (m_current <= 0 || m_current >= m_rules.size())
        return;
    const int to = m_current - 1;
    m_rules.swapItemsAt(m_current, to);
    rebuildList();
    setCurrentRule(to);
    Q_EMIT changed();
}

void RulesEditor::moveRuleDown()
{
    if (m_current < 0 || m_current + 1 >= m_rules.size())
        return;
    const int to = m_current + 1;
    m_rules.swapItemsAt(m_current, to);
    rebuildList();
    setCurrentRule(to);
    Q_EMIT changed();
}

void RulesEditor::rebuildList()
{
    m_updating = true;
    m_list->clear();
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        m_list->addItem(QString());
        updateListItem(int(i));
    }
    m_updating = false;
}

void RulesEditor::updateListItem(int index)
{
    QListWidgetItem *item = m_list->item(index);
    if (!item)
        return;
    const ReplyRule &rule = m_rules.at(index);
    const QString summary = ReplyRules::describe(rule);
    item->setText(tr("%1. %2").arg(index + 1).arg(summary));
    const QString why = ReplyRules::validate(rule);
    item->setIcon(why.isEmpty() ? QIcon() : style()->standardIcon(QStyle::SP_MessageBoxWarning));
    item->setToolTip(why.isEmpty() ? summary : tr("Rule %1: %2").arg(index + 1).arg(why));
}

void RulesEditor::showRule(int index)
{
    m_current = (index >= 0 && index < m_rules.size()) ? index : -1;
    const bool has = m_current >= 0;
    m_detail->setVisible(has);
    m_emptyLabel->setText(m_rules.isEmpty()
            ? tr("No rules yet. Add one: every text message is compared with the rules in order, and the "
                 "first that matches runs its actions.")
            : tr("Select a rule to edit it."));
    m_emptyLabel->setVisible(!has);
    if (has) {
        m_updating = true;
        const ReplyRule &rule = m_rules.at(m_current);
        m_matchCombo->setCurrentIndex(m_matchCombo->findData(int(rule.match)));
        m_fieldEdit->setText(rule.field);
        m_valueEdit->setText(rule.value);
        m_faultsEdit->setText(faultsText(rule.faults));
        m_faultsError.clear();
        m_updating = false;
        rebuildActions();
    }
    updateRuleProblem();
    updateButtons();
}

void RulesEditor::onRuleEdited()
{
    if (m_updating || m_current < 0)
        return;
    ReplyRule &rule = m_rules[m_current];
    rule.match = ReplyRule::Match(m_matchCombo->currentData().toInt());
    rule.field = m_fieldEdit->text();
    rule.value = m_valueEdit->text();
    updateRuleProblem();
    updateListItem(m_current);
    Q_EMIT changed();
}

void RulesEditor::updateRuleProblem()
{
    if (m_current < 0) {
        gui::setInlineError(m_ruleError, {});
        return;
    }
    const ReplyRule &rule = m_rules.at(m_current);
    const bool json = rule.match == ReplyRule::Match::JsonField;
    m_fieldLabel->setVisible(json);
    m_fieldEdit->setVisible(json);
    switch (rule.match) {
    case ReplyRule::Match::Exact:
        m_valueEdit->setPlaceholderText(tr("the whole message, e.g. ping"));
        break;
    case ReplyRule::Match::Contains:
        m_valueEdit->setPlaceholderText(tr("a piece of the message, e.g. help"));
        break;
    case ReplyRule::Match::Regex:
        m_valueEdit->setPlaceholderText(tr("a pattern, e.g. ^order-(\\d+)$"));
        break;
    case ReplyRule::Match::JsonField:
        m_valueEdit->setPlaceholderText(tr("the field's value (empty: the field exists)"));
        break;
    }
    const QString why = m_faultsError.isEmpty() ? ReplyRules::validate(rule) : m_faultsError;
    QWidget *field = m_valueEdit;
    if (json && rule.field.trimmed().isEmpty())
        field = m_fieldEdit;
    if (!m_faultsError.isEmpty() || !ReplyRules::ruleFaultsProblem(rule.faults).isEmpty())
        field = m_faultsEdit;
    gui::setInlineError(
        m_ruleError, why.isEmpty() ? QString() : tr("Rule %1: %2").arg(m_current + 1).arg(why), field);
    // The close codes of actions carry their own message as accessible description.
    for (int i = 0; i < rule.actions.size(); ++i) {
        if (auto *spin = m_actionsBox->findChild<QSpinBox *>(QStringLiteral("actionCodeSpin_%1").arg(i))) {
            const ReplyAction &a = rule.actions.at(i);
            spin->setAccessibleDescription(CloseCodes::validate(a.closeCode, a.closeReason));
        }
    }
}

void RulesEditor::updateButtons()
{
    const bool has = m_current >= 0;
    m_removeButton->setEnabled(has);
    m_upButton->setEnabled(has && m_current > 0);
    m_downButton->setEnabled(has && m_current + 1 < m_rules.size());
    m_saveButton->setEnabled(!m_rules.isEmpty());
}

void RulesEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RulesEditor::retranslateUi()
{
    setAccessibleName(tr("Reply rules"));
    describe(m_list, QStringLiteral("rulesList"), tr("Reply rules"),
        tr("The rules, tried in this order: the first whose match fits the message runs its actions"));
    describe(m_loadButton, QStringLiteral("loadRulesButton"), tr("Load rules"),
        tr("Replace these rules with the rules of a JSON file (the format of wstester serve --rules)"));
    describe(m_saveButton, QStringLiteral("saveRulesButton"), tr("Save rules"),
        tr("Save these rules as a JSON file that wstester serve --rules reads"));
    describe(m_matchCombo, QStringLiteral("ruleMatchCombo"), tr("Match kind"),
        tr("How the message is compared: the exact text, a substring, a regular expression, or the value "
           "of a JSON field"));
    describe(m_fieldEdit, QStringLiteral("ruleFieldEdit"), tr("JSON field path"),
        tr("A dotted path into the message's JSON, such as op or data.items.0.id"));
    m_fieldEdit->setPlaceholderText(tr("path, e.g. op or data.items.0.id"));
    describe(m_valueEdit, QStringLiteral("ruleValueEdit"), tr("Match value"),
        tr("The text, substring, pattern or field value the message must have"));
    describe(m_addReplyButton, QStringLiteral("addReplyActionButton"), tr("Add reply"),
        tr("Add an action that sends a reply; {{message}}, {{client}} and {{time}} are filled in"));
    describe(m_addDelayButton, QStringLiteral("addDelayActionButton"), tr("Add delay"),
        tr("Add an action that waits before the next one"));
    describe(m_addCloseButton, QStringLiteral("addCloseActionButton"), tr("Add close"),
        tr("Add an action that closes the connection with a code and reason"));
    describe(m_addButton, QStringLiteral("addRuleButton"), tr("Add rule"),
        tr("Add a rule at the end of the list (Insert in the list)"));
    m_addButton->setText(tr("Add"));
    describe(m_removeButton, QStringLiteral("removeRuleButton"), tr("Remove rule"),
        tr("Remove the selected rule (Delete in the list)"));
    m_removeButton->setText(tr("Remove"));
    describe(m_upButton, QStringLiteral("moveRuleUpButton"), tr("Move rule up"),
        tr("Try the selected rule earlier (Alt+Up)"));
    describe(m_downButton, QStringLiteral("moveRuleDownButton"), tr("Move rule down"),
        tr("Try the selected rule later (Alt+Down)"));
    m_loadButton->setText(tr("Load\u2026"));
    m_saveButton->setText(tr("Save\u2026"));
    findChild<QLabel *>(QStringLiteral("rulesListTitle"))->setText(tr("&Rules, tried in order:"));
    const QString matches[] = { tr("is exactly"), tr("contains"), tr("matches the regular expression"),
        tr("has the JSON field") };
    for (int i = 0; i < m_matchCombo->count(); ++i)
        m_matchCombo->setItemText(i, matches[i]);
    findChild<QLabel *>(QStringLiteral("ruleMatchLabel"))->setText(tr("When the &message"));
    m_fieldLabel->setText(tr("&Field:"));
    findChild<QLabel *>(QStringLiteral("ruleValueLabel"))->setText(tr("&Value:"));
    m_addReplyButton->setText(tr("+ Re&ply"));
    m_addDelayButton->setText(tr("+ &Delay"));
    m_addCloseButton->setText(tr("+ Cl&ose"));
    findChild<QLabel *>(QStringLiteral("ruleThenLabel"))->setText(tr("then, in order:"));
    findChild<QLabel *>(QStringLiteral("ruleFaultsLabel"))->setText(tr("F&aults of its replies:"));
    describe(m_faultsEdit, QStringLiteral("ruleFaultsEdit"), tr("Faults of this rule's replies"),
        tr("Faults for the replies this rule sends, instead of the server's, separated by semicolons: "
           "delay=MS[,jitter=MS], drop=PERCENT, fragment=N, corrupt=utf8|opcode|rsv[,at=N], seed=N. "
           "Empty: the server's faults apply."));
    m_faultsEdit->setPlaceholderText(tr("none, e.g. delay=300,jitter=50; drop=10"));
    // The rules' summaries (the core's words) and what the editor says about the current one.
    for (int i = 0; i < m_list->count(); ++i)
        updateListItem(i);
    if (m_current < 0) {
        showRule(-1);
    } else {
        rebuildActions(); // its rows are made in the language now installed
        updateRuleProblem();
    }
}

} // namespace wst
