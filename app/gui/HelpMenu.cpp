#include "HelpMenu.h"

#include "ActionRegistry.h"
#include "Dialogs.h"
#include "ShortcutsDialog.h"

#include <QApplication>
#include <QEvent>

namespace wst {

HelpMenu::HelpMenu(ActionRegistry *actions, QWidget *window)
    : QMenu(window)
{
    setObjectName(QStringLiteral("helpMenu"));
    QAction *shortcuts = actions->action(QStringLiteral("keyboardShortcutsAction"));
    QAction *about = actions->action(QStringLiteral("aboutAction"));
    QAction *aboutQt = actions->action(QStringLiteral("aboutQtAction"));
    connect(shortcuts, &QAction::triggered, this, &HelpMenu::showShortcuts);
    connect(about, &QAction::triggered, this, &HelpMenu::about);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    addAction(shortcuts);
    addSeparator();
    addActions({ about, aboutQt });
    retranslateUi();
}

void HelpMenu::showShortcuts()
{
    QWidget *window = parentWidget();
    auto *dialog = window->findChild<ShortcutsDialog *>();
    if (!dialog) {
        dialog = new ShortcutsDialog(window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void HelpMenu::about()
{
    Dialogs::about(parentWidget(), tr("About wstester"),
        tr("<h3>wstester %1</h3>"
           "<p>A desktop tool for testing WebSocket servers: connect, send text, JSON, binary "
           "and files, ping, close with a code, and inspect every message.</p>"
           "<p>Built with Qt %2, running on Qt %3.</p>")
            .arg(QStringLiteral(WST_VERSION), QStringLiteral(QT_VERSION_STR),
                QString::fromLatin1(qVersion())));
}

void HelpMenu::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMenu::changeEvent(event);
}

void HelpMenu::retranslateUi()
{
    setTitle(tr("&Help"));
}

} // namespace wst
