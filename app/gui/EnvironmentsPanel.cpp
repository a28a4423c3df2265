#include "EnvironmentsPanel.h"

#include "Dialogs.h"
#include "EnvironmentSwitcher.h"
#include "GuiHelpers.h"
#include "WorkspaceDock.h"
#include "compose/EnvironmentLibrary.h"
#include "compose/SessionEnvironment.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace wst {

namespace {

enum Column { NameColumn, ValueColumn, SecretColumn, ColumnCount };

// Shows a secret's value as dots (and edits it like a password) unless "Show secret values" is on.
class SecretValueDelegate : public QStyledItemDelegate
{
public:
    SecretValueDelegate(QCheckBox *show, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_show(show)
    {
    }

protected:
    bool hidden(const QModelIndex &index) const
    {
        return !m_show->isChecked()
            && index.siblingAtColumn(SecretColumn).data(Qt::CheckStateRole).toInt() == Qt::Checked;
    }
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (hidden(index) && !option->text.isEmpty())
            option->text = QString(8, QChar(0x2022));
    }
    QWidget *createEditor(
        QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *line = qobject_cast<QLineEdit *>(editor); line && hidden(index))
            line->setEchoMode(QLineEdit::Password);
        return editor;
    }

private:
    QCheckBox *m_show;
};

QPushButton *makeButton(const QString &name, QWidget *parent)
{
    auto *button = new QPushButton(parent);
    // The sidebar must not widen the window (it must fit 800x600): buttons share what there is.
    button->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    button->setObjectName(name);
    return button;
}

// Its words, in the language now installed (EnvironmentsPanel::retranslateUi()).
void nameButton(QWidget *panel, const QString &name, const QString &text, const QString &tip)
{
    auto *button = panel->findChild<QPushButton *>(name);
    button->setText(text);
    gui::describe(button, name, QString(text).remove(u'&'), tip);
}

} // namespace

EnvironmentsPanel::EnvironmentsPanel(SessionEnvironment *environment, QWidget *parent)
    : QWidget(parent)
    , m_environment(environment)
{
    setObjectName(QStringLiteral("environmentsPanel"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("environmentList"));
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("environmentVariables"));
    m_table->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(SecretColumn, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_showSecrets = new QCheckBox(this);
    m_showSecrets->setObjectName(QStringLiteral("showSecretsCheck"));
    m_table->setItemDelegateForColumn(ValueColumn, new SecretValueDelegate(m_showSecrets, m_table));
    connect(m_showSecrets, &QCheckBox::toggled, m_table->viewport(), qOverload<>(&QWidget::update));

    auto *newButton = makeButton(QStringLiteral("newEnvironmentButton"), this);
    auto *renameButton = makeButton(QStringLiteral("renameEnvironmentButton"), this);
    auto *duplicateButton = makeButton(QStringLiteral("duplicateEnvironmentButton"), this);
    auto *deleteButton = makeButton(QStringLiteral("deleteEnvironmentButton"), this);
    auto *importButton = makeButton(QStringLiteral("importEnvironmentButton"), this);
    auto *exportButton = makeButton(QStringLiteral("exportEnvironmentButton"), this);
    auto *activeButton = makeButton(QStringLiteral("activateEnvironmentButton"), this);
    auto *addVariableButton = makeButton(QStringLiteral("addEnvironmentVariableButton"), this);
    auto *removeVariableButton = makeButton(QStringLiteral("removeEnvironmentVariableButton"), this);
    m_needSelection = { renameButton, duplicateButton, deleteButton, exportButton, activeButton,
        addVariableButton, removeVariableButton, m_table };
    connect(newButton, &QPushButton::clicked, this, &EnvironmentsPanel::newEnvironment);
    connect(renameButton, &QPushButton::clicked, this, &EnvironmentsPanel::renameSelected);
    connect(duplicateButton, &QPushButton::clicked, this, &EnvironmentsPanel::duplicateSelected);
    connect(deleteButton, &QPushButton::clicked, this, &EnvironmentsPanel::deleteSelected);
    connect(importButton, &QPushButton::clicked, this, &EnvironmentsPanel::importEnvironment);
    connect(exportButton, &QPushButton::clicked, this, &EnvironmentsPanel::exportSelected);
    connect(activeButton, &QPushButton::clicked, this, &EnvironmentsPanel::activateSelected);
    connect(addVariableButton, &QPushButton::clicked, this, &EnvironmentsPanel::addVariable);
    connect(removeVariableButton, &QPushButton::clicked, this, &EnvironmentsPanel::removeSelectedVariable);

    m_error = gui::makeErrorLabel(QStringLiteral("environmentError"), this);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("secretServiceNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_list);
    // Three buttons a row at most: the sidebar stays narrow (the window must fit 800x600).
    auto *buttons = new QGridLayout;
    const QList<QPushButton *> listButtons { newButton, renameButton, duplicateButton, deleteButton,
        importButton, exportButton, activeButton };
    for (int i = 0; i < listButtons.size(); ++i)
        buttons->addWidget(listButtons.at(i), i / 3, i % 3);
    topLayout->addLayout(buttons);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_table);
    auto *row = new QHBoxLayout;
    row->addWidget(addVariableButton);
    row->addWidget(removeVariableButton);
    row->addStretch();
    bottomLayout->addLayout(row);
    bottomLayout->addWidget(m_showSecrets);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_note);

    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        setError({});
        loadVariables();
        updateButtons();
    });
    connect(m_list, &QListWidget::itemDoubleClicked, this, &EnvironmentsPanel::activateSelected);
    connect(m_table, &QTableWidget::itemChanged, this, &EnvironmentsPanel::applyVariables);
    if (EnvironmentLibrary *lib = library()) {
        connect(lib, &EnvironmentLibrary::changed, this, [this] {
            rebuildList();
            updateNote();
            // A secret's value read from the keychain, or a change from another window.
            const EnvironmentLibrary *current = library();
            if (m_error->text().isEmpty() && current
                && current->environment(m_shown).variables != tableVariables())
                loadVariables();
        });
        connect(lib, &EnvironmentLibrary::secretServiceChanged, this, &EnvironmentsPanel::updateNote);
    }
    if (m_environment)
        connect(m_environment, &SessionEnvironment::activeNameChanged, this, &EnvironmentsPanel::rebuildList);
    retranslateUi();
    rebuildList();
    updateNote();
    updateButtons();
}

EnvironmentsPanel *EnvironmentsPanel::addTo(
    WorkspaceDock *workspace, QToolBar *toolbar, SessionEnvironment *environment)
{
    auto *panel = new EnvironmentsPanel(environment);
    workspace->addPage(panel, tr("Environments"));
    toolbar->addSeparator();
    auto *switcher = new EnvironmentSwitcher(environment, toolbar);
    toolbar->addWidget(switcher);
    connect(switcher, &EnvironmentSwitcher::manageRequested, workspace,
        [workspace, panel] { workspace->showPage(panel); });
    return panel;
}

EnvironmentLibrary *EnvironmentsPanel::library() const
{
    return m_environment ? m_environment->library() : nullptr;
}

QString EnvironmentsPanel::selectedName() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void EnvironmentsPanel::selectEnvironment(const QString &name)
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(Qt::UserRole).toString() == name) {
            m_list->setCurrentRow(row);
            return;
        }
    }
}

QString EnvironmentsPanel::errorText() const
{
    return m_error->text();
}

void EnvironmentsPanel::rebuildList()
{
    const QString selected = selectedName();
    const QString active = m_environment ? m_environment->activeName() : QString();
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    const QStringList names = library() ? library()->names() : QStringList();
    for (const QString &name : names) {
        auto *item = new QListWidgetItem(name, m_list);
        item->setData(Qt::UserRole, name);
        if (name == active) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
            item->setToolTip(tr("Active in this window"));
            item->setData(Qt::AccessibleTextRole, tr("%1 (active)").arg(name));
        }
    }
    selectEnvironment(selected.isEmpty() ? active : selected);
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
    if (selectedName() != m_shown)
        loadVariables();
    updateButtons();
}

void EnvironmentsPanel::loadVariables()
{
    m_loading = true;
    m_shown = selectedName();
    m_table->setRowCount(0);
    const QList<EnvironmentVariable> variables = library() && !m_shown.isEmpty()
        ? library()->environment(m_shown).variables
        : QList<EnvironmentVariable>();
    for (const EnvironmentVariable &variable : variables) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, NameColumn, new QTableWidgetItem(variable.name));
        auto *value = new QTableWidgetItem(variable.value);
        if (variable.secret)
            value->setData(Qt::AccessibleTextRole, tr("secret value, hidden"));
        m_table->setItem(row, ValueColumn, value);
        auto *secret = new QTableWidgetItem;
        secret->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        secret->setCheckState(variable.secret ? Qt::Checked : Qt::Unchecked);
        secret->setToolTip(tr("A secret's value is kept in the system's secret service, never in a file"));
        m_table->setItem(row, SecretColumn, secret);
    }
    m_loading = false;
}

QList<EnvironmentVariable> EnvironmentsPanel::tableVariables() const
{
    QList<EnvironmentVariable> out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, NameColumn);
        const QTableWidgetItem *value = m_table->item(row, ValueColumn);
        const QTableWidgetItem *secret = m_table->item(row, SecretColumn);
        const QString n = name ? name->text().trimmed() : QString();
        if (n.isEmpty())
            continue; // being typed
        out.append({ n, value ? value->text() : QString(), secret && secret->checkState() == Qt::Checked });
    }
    return out;
}

void EnvironmentsPanel::applyVariables()
{
    if (m_loading || !library() || m_shown.isEmpty())
        return;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, NameColumn);
        const QTableWidgetItem *value = m_table->item(row, ValueColumn);
        if ((!name || name->text().trimmed().isEmpty()) && value && !value->text().isEmpty()) {
            setError(tr("The variable in row %1 has no name.").arg(row + 1));
            return;
        }
        // Keep the accessible text of a secret's value in step with its checkbox.
        if (auto *valueItem = m_table->item(row, ValueColumn)) {
            const QTableWidgetItem *secret = m_table->item(row, SecretColumn);
            const bool isSecret = secret && secret->checkState() == Qt::Checked;
            const QSignalBlocker blocker(m_table);
            valueItem->setData(Qt::AccessibleTextRole, isSecret ? tr("secret value, hidden") : QVariant());
        }
    }
    QString error;
    library()->setVariables(m_shown, tableVariables(), &error);
    setError(error);
    m_table->viewport()->update();
}

void EnvironmentsPanel::setError(const QString &error)
{
    gui::setInlineError(m_error, error);
}

void EnvironmentsPanel::updateNote()
{
    // Files that could not be read (skipped, left as they are), then the secret service's state.
    QStringList lines = library() ? library()->problems() : QStringList();
    if (library() && !library()->secretServiceNote().isEmpty())
        lines << library()->secretServiceNote();
    const QString note = lines.join(u'\n');
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void EnvironmentsPanel::updateButtons()
{
    const bool selected = !selectedName().isEmpty();
    for (QWidget *widget : std::as_const(m_needSelection))
        widget->setEnabled(selected);
}

void EnvironmentsPanel::newEnvironment()
{
    QString name;
    if (!library() || !Dialogs::getText(this, tr("New Environment"), tr("Name:"), QString(), &name))
        return;
    QString error;
    if (library()->create(name.trimmed(), &error))
        selectEnvironment(name.trimmed());
    setError(error);
}

void EnvironmentsPanel::renameSelected()
{
    const QString from = selectedName();
    QString to;
    if (from.isEmpty() || !Dialogs::getText(this, tr("Rename Environment"), tr("Name:"), from, &to))
        return;
    to = to.trimmed();
    QString error;
    if (library()->rename(from, to, &error)) {
        if (m_environment && m_environment->activeName() == from)
            m_environment->setActiveName(to);
        selectEnvironment(to);
    }
    setError(error);
}

void EnvironmentsPanel::duplicateSelected()
{
    const QString from = selectedName();
    QString to;
    if (from.isEmpty()
        || !Dialogs::getText(
            this, tr("Duplicate Environment"), tr("Name of the copy:"), tr("%1 copy").arg(from), &to))
        return;
    QString error;
    if (library()->duplicate(from, to.trimmed(), &error))
        selectEnvironment(to.trimmed());
    setError(error);
}

void EnvironmentsPanel::deleteSelected()
{
    const QString name = selectedName();
    if (name.isEmpty()
        || Dialogs::question(this, tr("Delete Environment"),
               tr("Delete the environment \u201c%1\u201d, its file and its secret values?").arg(name))
            != QMessageBox::Yes)
        return;
    QString error;
    if (library()->remove(name, &error) && m_environment && m_environment->activeName() == name)
        m_environment->setActiveName({});
    setError(error);
}

void EnvironmentsPanel::importEnvironment()
{
    const QString path = Dialogs::getOpenFileName(
        this, tr("Import Environment"), QString(), tr("Environments (*.json);;All files (*)"));
    if (path.isEmpty() || !library())
        return;
    QString error;
    const QString name = library()->importFile(path, &error);
    if (!name.isEmpty())
        selectEnvironment(name);
    setError(error);
}

void EnvironmentsPanel::exportSelected()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    const QString path = Dialogs::getSaveFileName(this, tr("Export Environment"),
        name + QStringLiteral(".json"), tr("Environments (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    bool hasSecrets = false;
    for (const EnvironmentVariable &variable : library()->environment(name).variables)
        hasSecrets = hasSecrets || variable.secret;
    const bool includeSecrets = hasSecrets
        && Dialogs::question(this, tr("Include Secret Values?"),
               tr("Write the secret values into the exported file, in clear? Without them the file says "
                  "only which variables are secret."),
               QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    QString error;
    library()->exportFile(name, path, includeSecrets, &error);
    setError(error);
}

void EnvironmentsPanel::activateSelected()
{
    if (m_environment && !selectedName().isEmpty())
        m_environment->setActiveName(selectedName());
}

void EnvironmentsPanel::addVariable()
{
    if (m_shown.isEmpty())
        return;
    m_loading = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, NameColumn, new QTableWidgetItem);
    m_table->setItem(row, ValueColumn, new QTableWidgetItem);
    auto *secret = new QTableWidgetItem;
    secret->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    secret->setCheckState(Qt::Unchecked);
    m_table->setItem(row, SecretColumn, secret);
    m_loading = false;
    m_table->setCurrentCell(row, NameColumn);
    m_table->editItem(m_table->item(row, NameColumn));
}

void EnvironmentsPanel::removeSelectedVariable()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    m_table->removeRow(row);
    applyVariables();
}

void EnvironmentsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void EnvironmentsPanel::retranslateUi()
{
    gui::describe(m_list, QStringLiteral("environmentList"), tr("Environments"),
        tr("Named sets of variables, each a file in the data folder; the bold one is active in this window"));
    gui::describe(m_table, QStringLiteral("environmentVariables"), tr("Environment variables"),
        tr("The selected environment's variables: {{name}} in URLs, headers, subprotocols, messages and "
           "reply rules. A secret's value is never written to a file."));
    gui::describe(m_showSecrets, QStringLiteral("showSecretsCheck"), tr("Show secret values"),
        tr("Shows the values of secret variables instead of dots"));
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("Value"), tr("Secret") });
    m_showSecrets->setText(tr("Show secret &values"));
    nameButton(this, QStringLiteral("newEnvironmentButton"), tr("&New"), tr("Adds an environment"));
    nameButton(this, QStringLiteral("renameEnvironmentButton"), tr("Rena&me"),
        tr("Renames the selected environment"));
    nameButton(this, QStringLiteral("duplicateEnvironmentButton"), tr("D&uplicate"),
        tr("Copies the selected environment under a new name"));
    nameButton(this, QStringLiteral("deleteEnvironmentButton"), tr("&Delete"),
        tr("Deletes the selected environment, its file and its secrets"));
    nameButton(this, QStringLiteral("importEnvironmentButton"), tr("&Import\u2026"),
        tr("Adds an environment from a file"));
    nameButton(this, QStringLiteral("exportEnvironmentButton"), tr("E&xport\u2026"),
        tr("Writes the selected environment to a file (secret values only if you say so)"));
    nameButton(this, QStringLiteral("activateEnvironmentButton"), tr("Set &active"),
        tr("Makes the selected environment the active one in this window"));
    nameButton(
        this, QStringLiteral("addEnvironmentVariableButton"), tr("Add &variable"), tr("Adds a variable"));
    nameButton(this, QStringLiteral("removeEnvironmentVariableButton"), tr("&Remove variable"),
        tr("Removes the selected variable"));
    // The page's tab follows this title (WorkspaceDock).
    setWindowTitle(tr("Environments"));
    rebuildList();
    updateNote();
}

} // namespace wst
