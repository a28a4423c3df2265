// Sessions in the window: save, reopen, recover after a kill, refuse bad files, export and
// import through the File menu, against real sockets.
#include "ClientTab.h"
#include "Dialogs.h"
#include "Gui.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "RequestOptionsWidget.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "TransferDialogs.h"
#include "compose/ConnectionHistory.h"
#include "connection/ClientConnection.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "server/LocalServer.h"
#include "session/FilePayloadSource.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"
#include "settings/AppSettings.h"

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWebSocket>
#include <QtTest>

#include <csignal>

using namespace wst;
using guitest::action;

class tst_SessionWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void saveReopenAndContinue();
    void maskedHeaderMustBeTypedBeforeConnecting();
    void unsavedMarkAndRecentSessions();
    void recoverAfterKill();
    void openingAnOpenSessionActivatesItsWindow();
    void declinedRecoveryNamesTheSessionAndKeepsIt();
    void badFilesAreRefused_data();
    void badFilesAreRefused();
    void unfinishedFileOpensAsEmptySession();
    void failedSaveKeepsTheCapture();
    void exportAndImportThroughTheMenu();
    void clearResetsViewAndCountersTheFileKeepsRows();

private:
    static void compareHistories(const MessageStore &expected, const MessageStore &actual);
    static QByteArray hash(const QString &path);

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    guitest::EchoServer m_echo;
    std::unique_ptr<MainWindow> m_window;
};

void tst_SessionWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = new AppSettings(m_dir.filePath(QStringLiteral("settings.ini")), this);
    AppSettings::setInstance(m_settings);
    m_settings->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("live")));
    ConnectionHistory::setDefaultPath(m_dir.filePath(QStringLiteral("history.ndjson")));
    QVERIFY(m_echo.listen());
}

void tst_SessionWindow::init()
{
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
}

void tst_SessionWindow::cleanup()
{
    m_window.reset();
    QList<QPointer<MainWindow>> others;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *other = qobject_cast<MainWindow *>(w))
            others.append(other);
    }
    for (const QPointer<MainWindow> &other : others)
        delete other.data();
}

void tst_SessionWindow::compareHistories(const MessageStore &expected, const MessageStore &actual)
{
    QCOMPARE(actual.count(), expected.count());
    for (qint64 i = 0; i < expected.count(); ++i) {
        QCOMPARE(actual.row(i).timeUs, expected.row(i).timeUs);
        QCOMPARE(actual.row(i).direction, expected.row(i).direction);
        QCOMPARE(actual.row(i).kind, expected.row(i).kind);
        QCOMPARE(actual.row(i).extra, expected.row(i).extra);
        QCOMPARE(actual.row(i).connectionId, expected.row(i).connectionId);
        QCOMPARE(actual.payload(i), expected.payload(i));
    }
}

QByteArray tst_SessionWindow::hash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void tst_SessionWindow::saveReopenAndContinue()
{
    // A client tab on a real echo server, with a secret and a plain header, and a server tab
    // with a real client.
    ClientTab *client = m_window->newClientTab();
    const QString url = QStringLiteral("ws://127.0.0.1:%1/feed").arg(m_echo->serverPort());
    QJsonObject settings { { QStringLiteral("url"), url },
        { QStringLiteral("headers"),
            QJsonArray { QJsonArray { QStringLiteral("Authorization"), QStringLiteral("Bearer s3cret") },
                QJsonArray { QStringLiteral("X-Trace"), QStringLiteral("abc") } } } };
    QString error;
    QVERIFY2(client->setSettingsJson(settings, &error), qPrintable(error));
    client->setCustomTitle(QStringLiteral("feed"));
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    client->connection()->sendText(QStringLiteral("caf\u00e9 {\"n\":1}"));
    client->connection()->sendBinary(QByteArray("\x00\x01\xfe", 3));
    QTRY_COMPARE(client->connection()->store()->counters().messagesIn, qint64(2));

    ServerTab *server = m_window->newServerTab();
    QVERIFY(server->start());
    QTRY_COMPARE(server->server()->state(), LocalServer::State::Listening);
    m_window->setTabName(server, QStringLiteral("my server"));
    QWebSocket peer;
    peer.open(server->server()->url());
    QTRY_COMPARE(peer.state(), QAbstractSocket::ConnectedState);
    peer.sendTextMessage(QStringLiteral("to the server"));
    QTRY_COMPARE(server->server()->store()->counters().messagesIn, qint64(1));

    QTRY_VERIFY(m_window->isWindowModified());
    QVERIFY2(m_window->windowTitle().contains(QStringLiteral("Untitled session")),
        qPrintable(m_window->windowTitle()));

    // Save As, secrets not kept.
    const QString file = m_dir.filePath(QStringLiteral("round trip.wstsession"));
    Dialogs::setNextSaveFileName(file);
    Dialogs::setNextAnswer(QMessageBox::No); // "Save secrets?"
    QVERIFY(m_window->saveSessionAs());
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("round trip")));
    QVERIFY(QFileInfo::exists(file));
    QFile bytes(file);
    QVERIFY(bytes.open(QIODevice::ReadOnly));
    QVERIFY(!bytes.readAll().contains("s3cret"));
    bytes.close();

    // Open (a copy: the file itself is open here, and would only bring this window to the
    // front) in a second window: the tabs come back with settings and histories, not connected.
    const QString copy = m_dir.filePath(QStringLiteral("round trip copy.wstsession"));
    QVERIFY(QFile::copy(file, copy));
    MainWindow other;
    QVERIFY(other.session()->isPristine());
    QCOMPARE(other.openSession(copy), &other);
    QCOMPARE(other.tabCount(), 2);
    ClientTab *back = other.tabAt(0);
    ServerTab *serverBack = other.serverTabAt(1);
    QVERIFY(back && serverBack);
    QCOMPARE(back->title(), QStringLiteral("feed"));
    QCOMPARE(other.tabName(serverBack), QStringLiteral("my server"));
    QCOMPARE(back->urlText(), url);
    QCOMPARE(back->state(), ClientConnection::State::Idle);
    const QJsonArray headers = back->settingsJson().value(QStringLiteral("headers")).toArray();
    QCOMPARE(headers.size(), 2);
    QCOMPARE(headers.at(0).toArray().at(1).toString(), QString()); // masked
    QCOMPARE(headers.at(1).toArray().at(1).toString(), QStringLiteral("abc"));
    QTRY_VERIFY(!back->isHistoryLoading());
    QTRY_VERIFY(!serverBack->isHistoryLoading());
    compareHistories(*client->connection()->store(), *back->connection()->store());
    compareHistories(*server->server()->store(), *serverBack->server()->store());
    QTRY_COMPARE(back->logModel()->rowCount(), int(client->connection()->store()->count()));
    QVERIFY(back->originNote().contains(QStringLiteral("Reopened")));
    // The handshake is there too, with the secret masked.
    QVERIFY(back->connection()->handshake().request.startsWith("GET /feed HTTP/1.1\r\n"));
    QVERIFY(back->connection()->handshake().request.contains("Authorization: (masked)\r\n"));
    QCOMPARE(back->connection()->handshake().statusCode(), 101);
    QVERIFY(!other.isWindowModified());

    // The masked Authorization is not sent empty: Connect refuses until it has a value again.
    QVERIFY(!back->connectToServer());
    guitest::child<QTableWidget>(&other, "headersTable")->item(0, 1)->setText(QStringLiteral("Bearer again"));

    // One click reconnects; the new messages follow the old ones and are recorded after them.
    const qint64 before = back->connection()->store()->count();
    QVERIFY(back->connectToServer());
    QTRY_COMPARE(back->state(), ClientConnection::State::Open);
    back->connection()->sendText(QStringLiteral("after reopening"));
    QTRY_COMPARE(back->connection()->store()->counters().messagesIn, qint64(3));
    QTRY_VERIFY(other.isWindowModified());
    QVERIFY(other.session()->saveTo(file, false, &error));
    SessionContents contents;
    QVERIFY(readSessionContents(file, &contents, &error));
    const qint64 id = other.session()->tabId(back);
    QCOMPARE(contents.messageCounts.value(id), back->connection()->store()->count());
    MessageStore again;
    QVERIFY(loadSessionHistory(file, id, again, FilePayloadSource::open(file, &error), &error) > before);
    compareHistories(*back->connection()->store(), again);
    // Closing a saved window asks nothing.
    const int asked = Dialogs::shownCount();
    other.close();
    QTRY_VERIFY(!other.isVisible());
    QCOMPARE(Dialogs::shownCount(), asked);
}

void tst_SessionWindow::maskedHeaderMustBeTypedBeforeConnecting()
{
    ClientTab *client = m_window->newClientTab();
    const QJsonObject settings { { QStringLiteral("url"), m_echo.url() },
        { QStringLiteral("headers"),
            QJsonArray { QJsonArray { QStringLiteral("Authorization"), QStringLiteral("Bearer s3cret") },
                QJsonArray { QStringLiteral("X-Trace"), QStringLiteral("abc") } } } };
    QString error;
    QVERIFY2(client->setSettingsJson(settings, &error), qPrintable(error));
    const QString file = m_dir.filePath(QStringLiteral("masked header.wstsession"));
    Dialogs::setNextSaveFileName(file);
    Dialogs::setNextAnswer(QMessageBox::No); // "Save secrets?"
    QVERIFY(m_window->saveSessionAs());
    m_window.reset();

    // Reopened: the value cell says the value was not saved, rather than looking empty on purpose.
    MainWindow other;
    other.show();
    QApplication::setActiveWindow(&other);
    QVERIFY(QTest::qWaitForWindowActive(&other));
    QCOMPARE(other.openSession(file), &other);
    ClientTab *back = other.tabAt(0);
    QVERIFY(back);
    QTRY_VERIFY(!back->isHistoryLoading());
    auto *table = guitest::child<QTableWidget>(back, "headersTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 1)->text(), QString());
    QCOMPARE(table->item(0, 1)->data(Qt::AccessibleTextRole).toString(), QStringLiteral("value not saved"));
    QCOMPARE(table->item(1, 1)->data(Qt::AccessibleTextRole).toString(), QString());

    // Connect says why in one line, next to the header, and opens the value for typing; the
    // server sees nothing.
    const QString line = QStringLiteral("Authorization has no value: its value was not saved with the "
                                        "session. Type it or remove the header.");
    const int connectionsBefore = m_echo.connections;
    auto *connectButton = guitest::child<QPushButton>(back, "connectButton");
    QVERIFY(connectButton->isEnabled());
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QCOMPARE(back->state(), ClientConnection::State::Idle);
    auto *headersError = guitest::child<QLabel>(back, "headersError");
    QCOMPARE(headersError->text(), line);
    QTRY_VERIFY(headersError->isVisible());
    QCoreApplication::processEvents();
    QCOMPARE(m_echo.connections, connectionsBefore);

    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY2(editor, "the value is not open for typing");
    QTest::keyClicks(editor, QStringLiteral("Bearer typed"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(table->item(0, 1)->text(), QStringLiteral("Bearer typed"));
    QCOMPARE(table->item(0, 1)->data(Qt::AccessibleTextRole).toString(), QString());
    QCOMPARE(headersError->text(), QString());

    QTest::mouseClick(connectButton, Qt::LeftButton);
    QTRY_COMPARE(back->state(), ClientConnection::State::Open);
    QCOMPARE(m_echo.connections, connectionsBefore + 1);
    QCOMPARE(m_echo.lastRequest.rawHeader("Authorization"), QByteArray("Bearer typed"));
    QCOMPARE(m_echo.lastRequest.rawHeader("X-Trace"), QByteArray("abc"));
    back->disconnectFromServer();
    QTRY_COMPARE(back->state(), ClientConnection::State::Closed);
}

void tst_SessionWindow::unsavedMarkAndRecentSessions()
{
    ClientTab *client = m_window->newClientTab();
    QVERIFY(!m_window->isWindowModified()); // nothing in it yet
    client->setUrlText(QStringLiteral("ws://127.0.0.1:%1/").arg(m_echo->serverPort()));
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    QTRY_VERIFY(m_window->isWindowModified());
    const QString file = m_dir.filePath(QStringLiteral("recent.wstsession"));
    Dialogs::setNextSaveFileName(file);
    QVERIFY(m_window->saveSessionAs());
    QCOMPARE(m_settings->recentSessions().value(0), file);
    QVERIFY(!m_window->isWindowModified());
    client->connection()->sendText(QStringLiteral("more"));
    QTRY_VERIFY(m_window->isWindowModified());
    // Ctrl+S saves to the same file without asking.
    const int asked = Dialogs::shownCount();
    action(m_window.get(), "saveSessionAction")->trigger();
    QTRY_VERIFY(!m_window->isWindowModified());
    QCOMPARE(Dialogs::shownCount(), asked);
    // The menu lists it.
    auto *recent = m_window->findChild<QMenu *>(QStringLiteral("recentSessionsMenu"));
    QVERIFY(recent);
    QVERIFY(recent->actions().first()->text().contains(QStringLiteral("recent.wstsession")));
}

void tst_SessionWindow::recoverAfterKill()
{
    // A capture left behind by a process killed mid-run, in the live folder, its lock stale.
    const QString live = SessionController::liveFolder() + QStringLiteral("/live-killed.wstsession");
    QDir().mkpath(SessionController::liveFolder());
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_echo->serverPort()),
            QStringLiteral("-s"), QStringLiteral("before the crash"), QStringLiteral("-t"),
            QStringLiteral("60"), QStringLiteral("--record"), live });
    QVERIFY(p.waitForStarted());
    auto recorded = [&live]() -> qint64 {
        SessionContents contents;
        QString ignored;
        if (!QFileInfo::exists(live) || !readSessionContents(live, &contents, &ignored)
            || contents.tabs.isEmpty())
            return 0;
        return contents.messageCounts.value(contents.tabs.first().id);
    };
    QTRY_VERIFY_WITH_TIMEOUT(recorded() >= 3, 20000); // open, out, in
    // A running capture is not offered.
    QVERIFY(!SessionController::recoverableSessions().contains(live));
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(5000));

    const QStringList found = SessionController::recoverableSessions();
    QVERIFY2(found.contains(live), qPrintable(found.join(u',')));
    MainWindow *shown = m_window->openSession(live, true);
    QCOMPARE(shown, m_window.get());
    QCOMPARE(m_window->tabCount(), 1);
    ClientTab *tab = m_window->tabAt(0);
    QTRY_VERIFY(!tab->isHistoryLoading());
    QVERIFY(tab->originNote().contains(QStringLiteral("Recovered")));
    QTRY_VERIFY(tab->logModel()->rowCount() >= 3);
    bool sawIt = false;
    for (qint64 i = 0; i < tab->connection()->store()->count(); ++i)
        sawIt |= tab->connection()->store()->payload(i) == "before the crash";
    QVERIFY(sawIt);
    // Recovered, not saved: it must be saved or discarded.
    QVERIFY(m_window->session()->needsSaving());
    QVERIFY(m_window->isWindowModified());
    // This window now holds it: no one else is offered it.
    QVERIFY(!SessionController::recoverableSessions().contains(live));
    Dialogs::setNextAnswer(QMessageBox::Discard);
    m_window->close();
    QTRY_VERIFY(!QFileInfo::exists(live));
}

void tst_SessionWindow::openingAnOpenSessionActivatesItsWindow()
{
    // Issue 12, item 5: a session already open in a window is brought to the front, not opened a
    // second time (File > Open, Open Recent and the command line all come through openSession()).
    ClientTab *client = m_window->newClientTab();
    client->setUrlText(m_echo.url());
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    const QString file = m_dir.filePath(QStringLiteral("twice.wstsession"));
    QString error;
    QVERIFY2(m_window->session()->saveTo(file, false, &error), qPrintable(error));
    const int tabs = m_window->tabCount();

    MainWindow *second = MainWindow::newWindow();
    QVERIFY(QTest::qWaitForWindowActive(second));
    const auto windows = [] {
        int n = 0;
        for (QWidget *w : QApplication::topLevelWidgets())
            n += qobject_cast<MainWindow *>(w) && w->isVisible() ? 1 : 0;
        return n;
    };
    QCOMPARE(windows(), 2);
    // The same file, named another way, from the other window (an empty one, which would
    // otherwise take the session in).
    const QString sameFile = m_dir.filePath(QStringLiteral("./twice.wstsession"));
    QCOMPARE(second->openSession(sameFile), m_window.get());
    QCOMPARE(windows(), 2);
    QCOMPARE(second->tabCount(), 1);
    QCOMPARE(second->session()->filePath(), QString());
    QCOMPARE(m_window->tabCount(), tabs);
    QTRY_COMPARE(QApplication::activeWindow(), m_window.get());
    // And from the window that has it: nothing new either.
    QCOMPARE(m_window->openSession(file), m_window.get());
    QCOMPARE(windows(), 2);
    QCOMPARE(m_window->tabCount(), tabs);
}

void tst_SessionWindow::declinedRecoveryNamesTheSessionAndKeepsIt()
{
    // Issue 12, item 11: the question names the session and when it was last written, and "No"
    // keeps the capture in the data folder (sessions/declined) instead of deleting it.
    const QString live = SessionController::liveFolder() + QStringLiteral("/live-declined.wstsession");
    QDir().mkpath(SessionController::liveFolder());
    {
        // A window that records two tabs with messages; a copy of its live capture taken while it
        // runs is what a crash leaves behind (no lock, never saved).
        MainWindow crashed;
        ClientTab *a = crashed.newClientTab();
        a->setUrlText(m_echo.url());
        QVERIFY(a->connectToServer());
        QTRY_COMPARE(a->state(), ClientConnection::State::Open);
        crashed.newClientTab();
        crashed.session()->syncTabs();
        const QString source = crashed.session()->livePath();
        const auto copied = [&source, &live] {
            SessionController::removeLiveFile(live);
            for (const char *suffix : { "", "-wal" })
                QFile::copy(source + QLatin1String(suffix), live + QLatin1String(suffix));
            SessionContents contents;
            QString ignored;
            return readSessionContents(live, &contents, &ignored) && contents.tabs.size() == 2
                && contents.messageCounts.value(contents.tabs.first().id) > 0;
        };
        QTRY_VERIFY(copied());
        QFile::remove(live + QLatin1String("-shm"));
    }
    // An old declined capture is purged at the next start; a recent one is kept.
    const QString declined = SessionController::liveFolder() + QStringLiteral("/declined");
    QDir().mkpath(declined);
    const QString old = declined + QStringLiteral("/live-old.wstsession");
    const QString recent = declined + QStringLiteral("/live-recent.wstsession");
    for (const QString &path : { old, recent }) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
    }
    {
        QFile f(old);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addDays(-8), QFileDevice::FileModificationTime));
    }
    // Last written two hours ago (the capture and its write-ahead log).
    const QDateTime written = QDateTime::currentDateTime().addSecs(-7200);
    for (const char *suffix : { "", "-wal" }) {
        QFile f(live + QLatin1String(suffix));
        if (f.exists()) {
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(written, QFileDevice::FileModificationTime));
        }
    }
    QVERIFY(SessionController::recoverableSessions().contains(live));

    Dialogs::setNextAnswer(QMessageBox::No);
    QVERIFY(!gui::offerRecovery(m_window.get()));
    const QString question = Dialogs::lastQuestion();
    QVERIFY2(question.contains(QStringLiteral("unsaved session with 2 tabs")), qPrintable(question));
    QVERIFY2(question.contains(QLocale().toString(written, QLocale::ShortFormat)), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("7 days")), qPrintable(question));
    QVERIFY(!QFileInfo::exists(live));
    const QString kept = declined + QStringLiteral("/live-declined.wstsession");
    QVERIFY(QFileInfo::exists(kept));
    SessionContents contents;
    QString error;
    QVERIFY2(readSessionContents(kept, &contents, &error), qPrintable(error));
    QCOMPARE(contents.tabs.size(), 2);
    QVERIFY(!QFileInfo::exists(old));
    QVERIFY(QFileInfo::exists(recent));
    // Not offered again.
    QVERIFY(SessionController::recoverableSessions().isEmpty());
    QCOMPARE(m_window->tabCount(), 0);
}

void tst_SessionWindow::badFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << QByteArray("not a session\n") << "not an SQLite database";
    QTest::newRow("missing") << QByteArray("-") << "does not exist";
}

void tst_SessionWindow::badFilesAreRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("bad.wstsession"));
    QFile::remove(path);
    if (content != "-") {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    const QByteArray before = hash(path);
    ClientTab *client = m_window->newClientTab();
    client->setUrlText(QStringLiteral("ws://kept.example/"));
    Dialogs::setNextAnswer(QMessageBox::Ok); // the warning
    QCOMPARE(m_window->openSession(path), nullptr);
    QVERIFY2(Dialogs::lastWarning().contains(expected), qPrintable(Dialogs::lastWarning()));
    // Nothing the user had is touched.
    QCOMPARE(m_window->tabCount(), 1);
    QCOMPARE(m_window->tabAt(0)->urlText(), QStringLiteral("ws://kept.example/"));
    QCOMPARE(hash(path), before);
}

// A file that a wstester killed while creating it left behind (here: empty) never held a
// message: Open makes it a new empty session and says so (issue 11, item 4).
void tst_SessionWindow::unfinishedFileOpensAsEmptySession()
{
    const QString path = m_dir.filePath(QStringLiteral("unfinished.wstsession"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const int shown = Dialogs::shownCount();
    Dialogs::setNextAnswer(QMessageBox::Ok); // the notice
    QCOMPARE(m_window->openSession(path), m_window.get());
    QCOMPARE(Dialogs::shownCount(), shown + 1);
    QString error;
    QVERIFY2(Schema::checkFile(path, &error), qPrintable(error));
}

void tst_SessionWindow::failedSaveKeepsTheCapture()
{
    ClientTab *client = m_window->newClientTab();
    client->setUrlText(QStringLiteral("ws://127.0.0.1:%1/").arg(m_echo->serverPort()));
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    client->connection()->sendText(QStringLiteral("keep me"));
    QTRY_COMPARE(client->connection()->store()->counters().messagesIn, qint64(1));
    Dialogs::setNextSaveFileName(m_dir.filePath(QStringLiteral("no/such/folder/x.wstsession")));
    Dialogs::setNextAnswer(QMessageBox::Ok); // the warning
    QVERIFY(!m_window->saveSessionAs());
    QVERIFY2(Dialogs::lastWarning().contains(QStringLiteral("does not exist")),
        qPrintable(Dialogs::lastWarning()));
    QVERIFY(m_window->isWindowModified());
    QVERIFY(m_window->session()->filePath().isEmpty());
    // The capture goes on and a good save has everything.
    const QString good = m_dir.filePath(QStringLiteral("good.wstsession"));
    Dialogs::setNextSaveFileName(good);
    QVERIFY(m_window->saveSessionAs());
    SessionContents contents;
    QString error;
    QVERIFY(readSessionContents(good, &contents, &error));
    QCOMPARE(contents.messageCounts.value(m_window->session()->tabId(client)),
        client->connection()->store()->count());
}

void tst_SessionWindow::exportAndImportThroughTheMenu()
{
    ClientTab *client = m_window->newClientTab();
    client->setUrlText(QStringLiteral("ws://127.0.0.1:%1/").arg(m_echo->serverPort()));
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    client->connection()->sendText(QStringLiteral("exported"));
    QTRY_COMPARE(client->connection()->store()->counters().messagesIn, qint64(1));

    // File > Export, HAR of the whole session, answered in the options dialog.
    const QString har = m_dir.filePath(QStringLiteral("out.har"));
    Dialogs::setNextSaveFileName(har);
    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(qobject_cast<ExportOptionsDialog *>(QApplication::activeModalWidget()));
        auto *dialog = qobject_cast<ExportOptionsDialog *>(QApplication::activeModalWidget());
        dialog->setFormat(SessionExport::Format::Har);
        dialog->setScope(ExportOptionsDialog::Scope::Session);
        dialog->accept();
    });
    action(m_window.get(), "exportAction")->trigger();
    QTRY_VERIFY(QFileInfo::exists(har));
    QFile f(har);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject log
        = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("log")).toObject();
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 1);
    const QJsonArray messages
        = entries.at(0).toObject().value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("send"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("data")).toString(), QStringLiteral("exported"));

    // File > Import HAR: Chrome's file becomes read-only tabs in a new window (this one has work).
    Dialogs::setNextOpenFileName(QStringLiteral(WST_TEST_DATA "/chrome-websocket.har"));
    action(m_window.get(), "importHarAction")->trigger();
    MainWindow *imported = nullptr;
    auto findImported = [&imported, this] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *mw = qobject_cast<MainWindow *>(w);
            if (mw && mw != m_window.get() && mw->isVisible())
                imported = mw;
        }
        return imported != nullptr;
    };
    QTRY_VERIFY(findImported());
    QCOMPARE(imported->tabCount(), 2);
    ClientTab *first = imported->tabAt(0);
    QTRY_VERIFY(!first->isHistoryLoading());
    QVERIFY(first->originNote().contains(QStringLiteral("Imported")));
    QTRY_VERIFY(first->logModel()->rowCount() > 0); // the loaded rows reach the model on its next flush
    QVERIFY(first->urlText().startsWith(QStringLiteral("ws")));
    QVERIFY(imported->session()->filePath().isEmpty());
    QVERIFY(imported->session()->needsSaving());
}

// Clear empties the history and restarts the counters; the session file keeps the cleared rows
// (the status bar and the tooltip say so): saving, reopening and exporting the tab still have
// them, and exporting the selected rows is how to leave them out.
void tst_SessionWindow::clearResetsViewAndCountersTheFileKeepsRows()
{
    ClientTab *client = m_window->newClientTab();
    client->setUrlText(m_echo.url());
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->state(), ClientConnection::State::Open);
    client->connection()->sendText(QStringLiteral("before one"));
    client->connection()->sendText(QStringLiteral("before two"));
    QTRY_COMPARE(client->connection()->store()->counters().messagesIn, qint64(2));
    QTRY_VERIFY2(client->countersText().startsWith(QStringLiteral("2 in / 2 out")),
        qPrintable(client->countersText()));
    const qint64 rowsBefore = client->connection()->store()->count();

    HistoryPane *history = client->historyPane();
    QTest::mouseClick(guitest::child<QToolButton>(history, "clearHistoryButton"), Qt::LeftButton);
    QCOMPARE(client->logModel()->rowCount(), 0);
    QVERIFY2(client->countersText().startsWith(QStringLiteral("0 in / 0 out")),
        qPrintable(client->countersText()));
    QVERIFY(history->clearAction()->toolTip().contains(QStringLiteral("session file keeps them")));
    QVERIFY2(client->countersText().endsWith(
                 QStringLiteral("%1 cleared, kept in the session file").arg(rowsBefore)),
        qPrintable(client->countersText()));

    client->connection()->sendText(QStringLiteral("after"));
    QTRY_COMPARE(client->connection()->store()->counters().messagesIn, qint64(3));
    QTRY_VERIFY2(client->countersText().startsWith(QStringLiteral("1 in / 1 out")),
        qPrintable(client->countersText()));
    QTRY_COMPARE(client->logModel()->rowCount(), 2);

    // Saved and reopened: every row is there, the cleared ones too.
    const QString file = m_dir.filePath(QStringLiteral("cleared.wstsession"));
    Dialogs::setNextSaveFileName(file);
    QVERIFY(m_window->saveSessionAs());
    {
        // A copy: the file itself is open in this window, so opening it would bring this one forward.
        const QString copy = m_dir.filePath(QStringLiteral("cleared-copy.wstsession"));
        QVERIFY(QFile::copy(file, copy));
        MainWindow other;
        QCOMPARE(other.openSession(copy), &other);
        ClientTab *back = other.tabAt(0);
        QTRY_VERIFY(!back->isHistoryLoading());
        QCOMPARE(back->connection()->store()->count(), client->connection()->store()->count());
    }

    // Exporting the tab keeps the cleared rows; exporting the rows selected after Clear leaves them out.
    auto exportAs = [this](ExportOptionsDialog::Scope scope, const QString &name) -> QByteArray {
        const QString path = m_dir.filePath(name);
        Dialogs::setNextSaveFileName(path);
        QTimer::singleShot(0, this, [scope] {
            QTRY_VERIFY(qobject_cast<ExportOptionsDialog *>(QApplication::activeModalWidget()));
            auto *dialog = qobject_cast<ExportOptionsDialog *>(QApplication::activeModalWidget());
            dialog->setFormat(SessionExport::Format::Ndjson);
            dialog->setScope(scope);
            dialog->accept();
        });
        action(m_window.get(), "exportAction")->trigger();
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray tab = exportAs(ExportOptionsDialog::Scope::Tab, QStringLiteral("tab.ndjson"));
    QVERIFY(tab.contains("before one") && tab.contains("after"));
    history->view()->selectAll();
    const QByteArray rows = exportAs(ExportOptionsDialog::Scope::Rows, QStringLiteral("rows.ndjson"));
    QVERIFY(rows.contains("after"));
    QVERIFY(!rows.contains("before one"));
}

QTEST_MAIN(tst_SessionWindow)
#include "tst_SessionWindow.moc"
