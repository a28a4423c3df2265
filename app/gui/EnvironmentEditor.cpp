#include "EnvironmentEditor.h"

#include "ActionRegistry.h"
#include "GuiHelpers.h"
#include "compose/SessionEnvironment.h"
#include "compose/Variables.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

EnvironmentEditor::EnvironmentEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableView(this))
    , m_addButton(new QPushButton(gui::icon(QStringLiteral("add")), QString(), this))
    , m_removeButton(new QPushButton(gui::icon(QStringLiteral("remove")), QString(), this))
    , m_error(gui::makeErrorLabel(QStringLiteral("environmentError"), this))
{
    setObjectName(QStringLiteral("environmentEditor"));
    m_table->setObjectName(QStringLiteral("environmentTable"));
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setTabKeyNavigation(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
        | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    m_addButton->setObjectName(QStringLiteral("addVariableButton"));
    m_removeButton->setObjectName(QStringLiteral("removeVariableButton"));
    m_removeButton->setEnabled(false);

    auto *hint = new QLabel(this);
    hint->setObjectName(QStringLiteral("environmentHint"));
    hint->setWordWrap(true);
    hint->setEnabled(false); // greyed: a hint

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_removeButton);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    layout->addWidget(hint);

    connect(m_addButton, &QPushButton::clicked, this, &EnvironmentEditor::addVariable);
    connect(m_removeButton, &QPushButton::clicked, this, &EnvironmentEditor::removeSelected);
    // Insert also from a cell's editor (after typing a value); Delete there deletes a character.
    QAction *insert = ActionRegistry::addLocal(
        m_table, QStringLiteral("addVariableAction"), Qt::WidgetWithChildrenShortcut);
    connect(insert, &QAction::triggered, this, &EnvironmentEditor::addVariable);
    QAction *remove
        = ActionRegistry::addLocal(m_table, QStringLiteral("removeVariablesAction"), Qt::WidgetShortcut);
    connect(remove, &QAction::triggered, this, &EnvironmentEditor::removeSelected);
    retranslateUi();
}

void EnvironmentEditor::setEnvironment(SessionEnvironment *environment)
{
    if (m_environment)
        m_environment->disconnect(this);
    m_environment = environment;
    m_table->setModel(environment);
    if (environment) {
        m_table->horizontalHeader()->resizeSection(SessionEnvironment::NameColumn, 160);
        connect(environment, &SessionEnvironment::changed, this, &EnvironmentEditor::revalidate);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_removeButton->setEnabled(m_table->selectionModel()->hasSelection()); });
    }
    revalidate();
}

void EnvironmentEditor::addVariable()
{
    if (!m_environment)
        return;
    const int row = m_environment->addRow();
    const QModelIndex index = m_environment->index(row, SessionEnvironment::NameColumn);
    m_table->setFocus();
    // Making the new name current commits an editor still open, and Tab in the new editor moves
    // on from the current cell: to this row's value.
    m_table->setCurrentIndex(index);
    m_table->edit(index);
}

void EnvironmentEditor::removeSelected()
{
    if (!m_environment)
        return;
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows.append(m_table->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : rows)
        m_environment->removeRows(row, 1);
}

QString EnvironmentEditor::errorText() const
{
    return m_error->text();
}

void EnvironmentEditor::revalidate()
{
    gui::setInlineError(m_error, m_environment ? m_environment->problem() : QString(), m_table);
}

QDialog *EnvironmentEditor::dialog(SessionEnvironment *environment, QWidget *parent)
{
    auto *dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("environmentDialog"));
    dialog->setWindowTitle(tr("Variables"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *editor = new EnvironmentEditor(dialog);
    editor->setEnvironment(environment);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(editor, 1);
    layout->addWidget(buttons);
    dialog->resize(520, 340);
    return dialog;
}

void EnvironmentEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void EnvironmentEditor::retranslateUi()
{
    setAccessibleName(tr("Variables"));
    describe(m_table, QStringLiteral("environmentTable"), tr("Variables"),
        tr("Each name is written as {{name}} in a message and replaced by its value when sent. "
           "Insert adds a row, Delete removes the selected ones."));
    describe(
        m_addButton, QStringLiteral("addVariableButton"), tr("Add variable"), tr("Add a variable (Insert)"));
    describe(m_removeButton, QStringLiteral("removeVariableButton"), tr("Remove variable"),
        tr("Remove the selected variables (Delete)"));
    m_addButton->setText(tr("&Add variable"));
    m_removeButton->setText(tr("&Remove"));
    findChild<QLabel *>(QStringLiteral("environmentHint"))
        ->setText(tr("Built in: {{timestamp}} (ms since 1970), {{uuid}}, {{counter}} (1, 2, 3\u2026 in a "
                     "periodic send). Write {{{{ to send a literal {{."));
    gui::retranslateView(m_table);
    if (m_environment)
        revalidate();
}

} // namespace wst
