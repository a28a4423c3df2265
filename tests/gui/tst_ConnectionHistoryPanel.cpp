// The workspace's History page in the real window: connections of client tabs appear (in every
// window), search, Enter opens one again in a new tab with its settings, the context menu's
// Copy URL, Delete and Clear, and no secret in the file.
#include "ClientTab.h"
#include "ConnectionHistoryPanel.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "SessionController.h"
#include "WorkspaceDock.h"
#include "compose/ConnectionHistory.h"
#include "compose/ConnectionHistoryModel.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_ConnectionHistoryPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void connectionsAppearInEveryWindow();
    void enterOpensItAgainWithItsSettings();
    void searchDeleteAndClear();

private:
    ConnectionHistoryPanel *panel(MainWindow *window) const { return window->connectionHistory(); }
    QByteArray fileBytes() const
    {
        QFile f(ConnectionHistory::instance()->path());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    guitest::EchoServer m_server;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ConnectionHistoryPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = guitest::installSettings(this, m_dir);
    m_settings->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("sessions")));
    ConnectionHistory::setDefaultPath(m_dir.filePath(QStringLiteral("data/history.ndjson")));
    m_server->setSupportedSubprotocols({ QStringLiteral("chat") });
    QVERIFY(m_server.listen());
}

void tst_ConnectionHistoryPanel::init()
{
    Dialogs::clearNextAnswers();
    ConnectionHistory::instance()->clear();
    m_window = std::make_unique<MainWindow>();
    // The sidebar starts hidden on a narrow screen (the offscreen one is 800 px wide), with
    // Collections in front; the panel's keys only work while it is shown.
    m_window->workspace()->showPage(panel(m_window.get()));
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void tst_ConnectionHistoryPanel::cleanup()
{
    m_window.reset();
}

void tst_ConnectionHistoryPanel::connectionsAppearInEveryWindow()
{
    // The page is in the workspace sidebar, named History.
    WorkspaceDock *dock = m_window->workspace();
    const int at = dock->pages()->indexOf(panel(m_window.get()));
    QVERIFY(at >= 0);
    QCOMPARE(dock->pages()->tabText(at), QStringLiteral("History"));
    const QStringList problems
        = guitest::unnamedControls(m_window.get(), { "connectionHistorySearch", "connectionHistoryView" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));

    MainWindow other;
    other.show();
    ClientTab *tab = m_window->newClientTab();
    tab->setUrlText(m_server.url());
    QVERIFY(tab->connectToServer());
    QTRY_COMPARE(tab->state(), ClientConnection::State::Open);
    for (MainWindow *window : { m_window.get(), &other }) {
        QTableView *view = panel(window)->view();
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, ConnectionHistoryModel::Url).data().toString(), m_server.url());
        QCOMPARE(view->model()->index(0, ConnectionHistoryModel::Outcome).data().toString(),
            QStringLiteral("Opened"));
    }
}

void tst_ConnectionHistoryPanel::enterOpensItAgainWithItsSettings()
{
    ClientTab *tab = m_window->newClientTab();
    QJsonObject settings = tab->settingsJson();
    const QString url = m_server.url() + QStringLiteral("?again=1");
    settings.insert(QStringLiteral("url"), url);
    settings.insert(QStringLiteral("subprotocols"), QJsonArray { QStringLiteral("chat") });
    settings.insert(QStringLiteral("headers"),
        QJsonArray { QJsonValue(QJsonArray { QStringLiteral("X-Plain"), QStringLiteral("kept") }) });
    QVERIFY(tab->setSettingsJson(settings));
    QVERIFY(tab->connectToServer());
    QTRY_COMPARE(tab->state(), ClientConnection::State::Open);
    QTableView *view = panel(m_window.get())->view();
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QTRY_COMPARE(view->model()->index(0, ConnectionHistoryModel::Outcome).data().toString(),
        QStringLiteral("Opened (chat)"));

    // Enter on the row: a new tab with that URL and those settings, connected.
    const int tabsBefore = m_window->tabCount();
    view->setFocus();
    view->setCurrentIndex(view->model()->index(0, ConnectionHistoryModel::Url));
    QTest::keyClick(view, Qt::Key_Return);
    QTRY_COMPARE(m_window->tabCount(), tabsBefore + 1);
    ClientTab *again = m_window->currentTab();
    QVERIFY(again && again != tab);
    QCOMPARE(again->urlText(), url);
    QTRY_COMPARE(again->state(), ClientConnection::State::Open);
    QCOMPARE(again->connection()->status().subprotocol, QStringLiteral("chat"));
    QCOMPARE(m_server.lastRequest.rawHeader("X-Plain"), QByteArray("kept"));
    QTRY_COMPARE(view->model()->rowCount(), 2);
}

void tst_ConnectionHistoryPanel::searchDeleteAndClear()
{
    ClientTab *tab = m_window->newClientTab();
    QJsonObject settings = tab->settingsJson();
    settings.insert(QStringLiteral("url"),
        QStringLiteral("ws://joe:pa55word@127.0.0.1:%1/secret").arg(m_server->serverPort()));
    settings.insert(QStringLiteral("headers"),
        QJsonArray {
            QJsonValue(QJsonArray { QStringLiteral("Authorization"), QStringLiteral("Bearer t0ps3cret") }) });
    QVERIFY(tab->setSettingsJson(settings));
    QVERIFY(tab->connectToServer());
    QTRY_COMPARE(tab->state(), ClientConnection::State::Open);
    ClientTab *failing = m_window->newClientTab();
    failing->setUrlText(QStringLiteral("ws://127.0.0.1:1/nothing-here"));
    failing->connectToServer();
    QTableView *view = panel(m_window.get())->view();
    QTRY_COMPARE(view->model()->rowCount(), 2);
    QTRY_VERIFY(view->model()
                    ->index(0, ConnectionHistoryModel::Outcome)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("Failed")));

    // No secret reached the file.
    const QByteArray bytes = fileBytes();
    QVERIFY(bytes.contains("/secret"));
    QVERIFY(!bytes.contains("t0ps3cret"));
    QVERIFY(!bytes.contains("pa55word"));

    auto *search = guitest::child<QLineEdit>(m_window.get(), "connectionHistorySearch");
    QTest::keyClicks(search, QStringLiteral("FAILED"));
    QCOMPARE(view->model()->rowCount(), 1);
    QVERIFY(view->model()
                ->index(0, ConnectionHistoryModel::Url)
                .data()
                .toString()
                .contains(QStringLiteral("nothing-here")));
    search->clear();
    QCOMPARE(view->model()->rowCount(), 2);

    // Copy URL, then Delete (the key) on the failed one.
    view->setFocus();
    view->selectRow(0);
    panel(m_window.get())->copySelectedUrl();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("ws://127.0.0.1:1/nothing-here"));
    QTest::keyClick(view, Qt::Key_Delete);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QVERIFY(view->model()
                ->index(0, ConnectionHistoryModel::Url)
                .data()
                .toString()
                .contains(QStringLiteral("/secret")));
    // Reopening one whose secret was not kept does not connect with an empty Authorization.
    view->selectRow(0);
    panel(m_window.get())->openSelected();
    ClientTab *reopened = m_window->currentTab();
    QVERIFY(reopened != tab);
    QCOMPARE(reopened->state(), ClientConnection::State::Idle);

    // Clear asks first; No keeps everything.
    Dialogs::setNextAnswer(QMessageBox::No);
    panel(m_window.get())->clearHistory();
    QCOMPARE(view->model()->rowCount(), 1);
    Dialogs::setNextAnswer(QMessageBox::Yes);
    panel(m_window.get())->clearHistory();
    QCOMPARE(view->model()->rowCount(), 0);
    QVERIFY(fileBytes().isEmpty());
}

QTEST_MAIN(tst_ConnectionHistoryPanel)
#include "tst_ConnectionHistoryPanel.moc"
