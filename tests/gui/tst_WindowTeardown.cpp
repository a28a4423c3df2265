// The window's teardown and its shortcuts: a window with client and server tabs and their
// histories is destroyed or closed without any page talking to a half-destroyed window (issue 11,
// item 1: ~ClientTab's counters reached MainWindow through a QTabWidget already destroyed), and
// Help > Keyboard Shortcuts lists every shortcut of the action registry.
#include "ActionRegistry.h"
#include "ClientTab.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "MainWindow.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "ShortcutsDialog.h"
#include "compose/ConnectionHistory.h"
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "server/LocalServer.h"
#include "settings/AppSettings.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_WindowTeardown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void destroyWithLiveTabs();
    void closeWithLiveTabs();
    void destroyWhileTabsClose();
    void shortcutsDialogListsTheRegistry();
    void everyShortcutIsInTheRegistry();
    void tabContextMenu();

private:
    // A server tab listening, a client tab connected to it and one more, each with a history.
    void openLiveTabs(MainWindow *window);
    // Watches every page: what it says while the window or the tab widget is half-destroyed.
    void watch(MainWindow *window);

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    int m_pagesGone = 0;
    int m_badDestructions = 0; // a page deleted after the window or tab widget began to go
    int m_lateSignals = 0; // a page's signal while the window or tab widget is half-destroyed
};

void tst_WindowTeardown::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = new AppSettings(m_dir.filePath(QStringLiteral("settings.ini")), this);
    AppSettings::setInstance(m_settings);
    m_settings->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("live")));
    ConnectionHistory::setDefaultPath(m_dir.filePath(QStringLiteral("history.ndjson")));
}

void tst_WindowTeardown::init()
{
    Dialogs::clearNextAnswers();
    m_pagesGone = 0;
    m_badDestructions = 0;
    m_lateSignals = 0;
}

void tst_WindowTeardown::cleanup()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (qobject_cast<MainWindow *>(w))
            delete w;
    }
}

void tst_WindowTeardown::openLiveTabs(MainWindow *window)
{
    ServerTab *server = window->newServerTab();
    QVERIFY(server->start());
    QTRY_COMPARE(server->server()->state(), LocalServer::State::Listening);
    const QString url = server->server()->url().toString();
    for (int i = 0; i < 2; ++i) {
        ClientTab *client = window->openUrl(url);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), ClientConnection::State::Open, 10000);
        for (int m = 0; m < 5; ++m)
            client->connection()->sendText(QStringLiteral("message %1").arg(m));
        // Echoed: both directions in the client's history, and in the server's.
        QTRY_VERIFY(client->connection()->store()->count() >= 10);
    }
    QTRY_VERIFY(server->server()->store()->count() >= 20);
    QVERIFY(!window->tabAt(1)->countersText().isEmpty());
}

void tst_WindowTeardown::watch(MainWindow *window)
{
    // Pointers only: what is looked at is whether they are still whole (their own class), which a
    // destructor in progress is not (qobject_cast sees the base class whose destructor runs).
    QObject *windowObject = window;
    QObject *tabsObject = window->tabs();
    const auto whole = [windowObject, tabsObject] {
        return qobject_cast<MainWindow *>(windowObject) && qobject_cast<ConnectionTabWidget *>(tabsObject);
    };
    for (int i = 0; i < window->tabCount(); ++i) {
        ConnectionPage *page = window->pageAt(i);
        connect(page, &QObject::destroyed, this, [this, whole] {
            ++m_pagesGone;
            if (!whole())
                ++m_badDestructions;
        });
        const auto late = [this, whole] {
            if (!whole())
                ++m_lateSignals;
        };
        connect(page, &ConnectionPage::statusChanged, this, late);
        connect(page, &ConnectionPage::titleChanged, this, late);
        connect(page, &ConnectionPage::indicatorChanged, this, late);
    }
}

void tst_WindowTeardown::destroyWithLiveTabs()
{
    auto *window = new MainWindow;
    window->show();
    openLiveTabs(window);
    QCOMPARE(window->tabCount(), 3);
    watch(window);
    delete window; // as the test fixtures and WA_DeleteOnClose do
    QCOMPARE(m_pagesGone, 3);
    QCOMPARE(m_badDestructions, 0);
    QCOMPARE(m_lateSignals, 0);
}

void tst_WindowTeardown::closeWithLiveTabs()
{
    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    openLiveTabs(window);
    watch(window);
    QPointer<MainWindow> guarded(window);
    Dialogs::setNextAnswer(QMessageBox::Discard);
    window->close();
    // The close handshakes first, then the window goes.
    QTRY_VERIFY_WITH_TIMEOUT(!guarded, 10000);
    QTRY_COMPARE(m_pagesGone, 3);
    QCOMPARE(m_badDestructions, 0);
    QCOMPARE(m_lateSignals, 0);
}

void tst_WindowTeardown::destroyWhileTabsClose()
{
    auto *window = new MainWindow;
    window->show();
    openLiveTabs(window);
    watch(window);
    // Two tabs still finishing their close handshakes when the window is destroyed.
    window->closeTab(2);
    window->closeTab(0);
    QCOMPARE(window->closingTabCount(), 2);
    delete window;
    QCOMPARE(m_pagesGone, 3);
    QCOMPARE(m_badDestructions, 0);
    QCOMPARE(m_lateSignals, 0);
}

void tst_WindowTeardown::shortcutsDialogListsTheRegistry()
{
    auto *window = new MainWindow;
    window->show();
    // Help > Keyboard Shortcuts.
    QMenu *help = nullptr;
    for (QAction *menu : window->menuBar()->actions()) {
        if (menu->menu() && menu->text() == QStringLiteral("&Help"))
            help = menu->menu();
    }
    QVERIFY(help);
    QAction *open = window->findChild<QAction *>(QStringLiteral("keyboardShortcutsAction"));
    QVERIFY(open);
    QVERIFY(help->actions().contains(open));
    QCOMPARE(window->actionRegistry()->action(QStringLiteral("keyboardShortcutsAction")), open);
    open->trigger();
    auto *dialog = window->findChild<ShortcutsDialog *>(QStringLiteral("shortcutsDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QTableWidget *table = dialog->table();
    QCOMPARE(table->objectName(), QStringLiteral("shortcutsTable"));
    QCOMPARE(table->rowCount(), int(ActionRegistry::shortcuts().size()));

    // One row per shortcut, as the menus have them.
    QHash<QString, int> rows;
    for (int row = 0; row < table->rowCount(); ++row)
        rows.insert(table->item(row, 0)->data(Qt::UserRole).toString(), row);
    const auto keysOf = [table, &rows](const char *id) {
        return table->item(rows.value(QLatin1StringView(id), -1), 1)->text();
    };
    QCOMPARE(
        keysOf("newConnectionAction"), QKeySequence(Qt::CTRL | Qt::Key_T).toString(QKeySequence::NativeText));
    QCOMPARE(table->item(rows.value(QStringLiteral("newConnectionAction")), 0)->text(),
        QStringLiteral("New Connection"));
    QVERIFY(keysOf("focusUrlAction").contains(QStringLiteral("L")));
    QVERIFY(keysOf("toggleHandshakeAction").contains(QStringLiteral("I")));
    QVERIFY(keysOf("toggleSavedMessagesAction").contains(QStringLiteral("B")));
    QCOMPARE(
        table->item(rows.value(QStringLiteral("focusUrlAction")), 2)->text(), QStringLiteral("Client tab"));
    for (QAction *action : window->actionRegistry()->actions()) {
        if (action->shortcut().isEmpty())
            continue;
        QVERIFY2(rows.contains(action->objectName()), qPrintable(action->objectName()));
        QVERIFY2(keysOf(action->objectName().toLatin1().constData())
                     .startsWith(action->shortcut().toString(QKeySequence::NativeText)),
            qPrintable(action->objectName()));
    }

    // Named and described for a screen reader, and closed with its button.
    QVERIFY(!table->accessibleName().isEmpty());
    QVERIFY(!dialog->accessibleName().isEmpty());
    auto *close = dialog->findChild<QPushButton *>(QStringLiteral("closeShortcutsButton"));
    QVERIFY(close);
    QVERIFY(!close->accessibleName().isEmpty());
    QVERIFY(!close->toolTip().isEmpty());
    QPointer<ShortcutsDialog> guarded(dialog);
    QTest::mouseClick(close, Qt::LeftButton);
    QTRY_VERIFY(!guarded);
    delete window;
}

void tst_WindowTeardown::everyShortcutIsInTheRegistry()
{
    // Every action with a shortcut in a window with both kinds of tabs (the saved messages and
    // the rules editor included) comes from the registry's table, under its objectName.
    auto *window = new MainWindow;
    window->show();
    window->newServerTab();
    ClientTab *client = window->newClientTab();
    client->setSavedPanelVisible(true);
    QStringList ids;
    for (const ActionRegistry::Entry &e : ActionRegistry::entries())
        ids.append(e.id);
    int withKeys = 0;
    for (QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcut().isEmpty() || action->objectName().isEmpty())
            continue;
        ++withKeys;
        QVERIFY2(ids.contains(action->objectName()), qPrintable(action->objectName()));
        QVERIFY2(ActionRegistry::entry(action->objectName()).keys.contains(action->shortcut()),
            qPrintable(action->objectName()));
    }
    QVERIFY(withKeys > 15);
    // Ctrl+L, Ctrl+I and Ctrl+B of a client tab are actions found by name.
    for (const char *id : { "focusUrlAction", "toggleHandshakeAction", "toggleSavedMessagesAction" })
        QVERIFY2(client->findChild<QAction *>(QLatin1StringView(id)), id);
    client->findChild<QAction *>(QStringLiteral("toggleSavedMessagesAction"))->trigger();
    QVERIFY(!client->isSavedPanelVisible());
    delete window;
}

void tst_WindowTeardown::tabContextMenu()
{
    auto *window = new MainWindow;
    window->show();
    ClientTab *client = window->newClientTab();
    ServerTab *server = window->newServerTab();
    auto *tabs = qobject_cast<ConnectionTabWidget *>(window->tabs());
    QVERIFY(tabs);

    // A server tab keeps the name it is given, and the menu offers to go back to its port.
    Dialogs::setNextText(QStringLiteral("my server"));
    std::unique_ptr<QMenu> menu(tabs->createContextMenu(1, window));
    QAction *reset = menu->findChild<QAction *>(QStringLiteral("resetTabNameAction"));
    QVERIFY(reset);
    QVERIFY(!reset->isEnabled());
    menu->findChild<QAction *>(QStringLiteral("renameTabMenuAction"))->trigger();
    QCOMPARE(tabs->tabText(1), QStringLiteral("my server"));
    QCOMPARE(server->customTitle(), QStringLiteral("my server"));
    menu.reset(tabs->createContextMenu(1, window));
    reset = menu->findChild<QAction *>(QStringLiteral("resetTabNameAction"));
    QVERIFY(reset->isEnabled());
    QVERIFY(reset->text().contains(QStringLiteral("Port")));
    reset->trigger();
    QCOMPARE(tabs->tabText(1), server->title());
    QVERIFY(server->customTitle().isEmpty());

    // Close Other Tabs keeps the client only; New Connection is there as well.
    menu.reset(tabs->createContextMenu(0, window));
    QVERIFY(
        menu->actions().contains(window->actionRegistry()->action(QStringLiteral("newConnectionAction"))));
    menu->findChild<QAction *>(QStringLiteral("closeOtherTabsAction"))->trigger();
    QCOMPARE(window->tabCount(), 1);
    QCOMPARE(window->tabAt(0), client);
    menu.reset();
    delete window;
}

QTEST_MAIN(tst_WindowTeardown)
#include "tst_WindowTeardown.moc"
