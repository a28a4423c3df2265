#include "EnvironmentSwitcher.h"

#include "GuiHelpers.h"
#include "compose/EnvironmentLibrary.h"
#include "compose/SessionEnvironment.h"

#include <QEvent>
#include <QSignalBlocker>

namespace wst {

namespace {

const QString ManageItem = QStringLiteral("\x01manage");

} // namespace

EnvironmentSwitcher::EnvironmentSwitcher(SessionEnvironment *environment, QWidget *parent)
    : QComboBox(parent)
    , m_environment(environment)
{
    setObjectName(QStringLiteral("environmentCombo"));
    // Short: the toolbar must not widen the window.
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(12);
    connect(this, &QComboBox::activated, this, &EnvironmentSwitcher::onActivated);
    if (m_environment) {
        connect(m_environment, &SessionEnvironment::activeNameChanged, this, &EnvironmentSwitcher::rebuild);
        if (EnvironmentLibrary *library = m_environment->library())
            connect(library, &EnvironmentLibrary::changed, this, &EnvironmentSwitcher::rebuild);
    }
    retranslateUi();
}

void EnvironmentSwitcher::rebuild()
{
    const QSignalBlocker blocker(this);
    clear();
    addItem(tr("No environment"), QString());
    const QString active = m_environment ? m_environment->activeName() : QString();
    EnvironmentLibrary *library = m_environment ? m_environment->library() : nullptr;
    const QStringList names = library ? library->names() : QStringList();
    for (const QString &name : names)
        addItem(name, name);
    if (!active.isEmpty() && !names.contains(active))
        addItem(tr("%1 (missing)").arg(active), active);
    insertSeparator(count());
    addItem(tr("Manage environments\u2026"), ManageItem);
    setCurrentIndex(std::max(0, findData(active)));
}

void EnvironmentSwitcher::onActivated(int index)
{
    const QString data = itemData(index).toString();
    if (data == ManageItem) {
        rebuild(); // back to the active one
        Q_EMIT manageRequested();
        return;
    }
    if (m_environment)
        m_environment->setActiveName(data);
}

void EnvironmentSwitcher::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QComboBox::changeEvent(event);
}

void EnvironmentSwitcher::retranslateUi()
{
    gui::describe(this, QStringLiteral("environmentCombo"), tr("Active environment"),
        tr("The environment whose variables fill {{name}} in this window (a session variable of the same "
           "name wins)"));
    rebuild();
}

} // namespace wst
