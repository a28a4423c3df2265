#include "BreakpointsEditor.h"
#include "CertificateDialog.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "HandshakeInspector.h"
#include "HeldMessageEditor.h"
#include "HistoryPane.h"
#include "InterceptPane.h"
#include "MainWindow.h"
#include "ProxyControlBar.h"
#include "ProxySettingsWidget.h"
#include "ProxyTab.h"
#include "SessionController.h"
#include "compose/ConnectionHistory.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "proxy/ProxyConnectionModel.h"
#include "proxy/ProxyHeldModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSslKey>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QWebSocket>
#include <QtTest>

#include <memory>

using namespace wst;

class tst_ProxyTab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void passesPausesEditsDropsInjectsAndReplays();
    void breakpointHoldsOnlyWhatMatches();
    void sessionSaveAndReopenShowsTheRows();
    void certificateDialogMakesAWorkingWssProxy();
    void problemsAreShownInline();
    void widgetsAreNamedAndDescribed();

private:
    ProxyTab *startProxy(const QString &upstream);
    QWebSocket *connectClient(ProxyTab *tab, QStringList *received, const QSslConfiguration *tls = nullptr);
    bool historyHas(ProxyTab *tab, Direction direction, const QByteArray &payload) const;

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    guitest::EchoServer m_echo;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QWebSocket>> m_clients;
};

void tst_ProxyTab::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = guitest::installSettings(this, m_dir);
    m_settings->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("live")));
    ConnectionHistory::setDefaultPath(m_dir.filePath(QStringLiteral("history.ndjson")));
    QVERIFY(m_echo.listen());
}

void tst_ProxyTab::init()
{
    Dialogs::clearNextAnswers();
    m_echo.received.clear();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
}

void tst_ProxyTab::cleanup()
{
    m_clients.clear();
    m_window.reset();
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (qobject_cast<MainWindow *>(w))
            delete w;
    }
}

ProxyTab *tst_ProxyTab::startProxy(const QString &upstream)
{
    // The window's own action makes the tab, as the user's Ctrl+Shift+P does.
    guitest::action(m_window.get(), "newProxyAction")->trigger();
    auto *tab = m_window->currentTab<ProxyTab>();
    if (!tab)
        return nullptr;
    tab->controlBar()->upstreamEdit()->setText(upstream);
    QTest::mouseClick(tab->controlBar()->startButton(), Qt::LeftButton);
    return tab;
}

QWebSocket *tst_ProxyTab::connectClient(ProxyTab *tab, QStringList *received, const QSslConfiguration *tls)
{
    auto client = std::make_unique<QWebSocket>();
    if (tls)
        client->setSslConfiguration(*tls);
    connect(client.get(), &QWebSocket::textMessageReceived, this,
        [received](const QString &text) { received->append(text); });
    client->open(QUrl(tab->controlBar()->pointAtText()));
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

bool tst_ProxyTab::historyHas(ProxyTab *tab, Direction direction, const QByteArray &payload) const
{
    const MessageStore &store = *tab->store();
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).direction == direction && store.payload(i) == payload)
            return true;
    }
    return false;
}

void tst_ProxyTab::passesPausesEditsDropsInjectsAndReplays()
{
    ProxyTab *tab = startProxy(m_echo.url());
    QVERIFY(tab);
    QAbstractItemModelTester connectionsTester(tab->connectionModel());
    QAbstractItemModelTester heldTester(tab->heldModel());
    QTRY_COMPARE_WITH_TIMEOUT(tab->proxy()->state(), ProxyServer::State::Listening, 10000);
    QVERIFY2(tab->controlBar()->pointAtText().startsWith(QStringLiteral("ws://127.0.0.1:")),
        qPrintable(tab->controlBar()->pointAtText()));
    QVERIFY(tab->title().startsWith(QStringLiteral("Proxy :")));

    // A message passes both ways and is in the history as what the app sent and what came back.
    QStringList received;
    QWebSocket *client = connectClient(tab, &received);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::ConnectedState, 10000);
    client->sendTextMessage(QStringLiteral("hello"));
    QTRY_COMPARE_WITH_TIMEOUT(received, QStringList { QStringLiteral("hello") }, 10000);
    QTRY_VERIFY(historyHas(tab, Direction::Out, "hello"));
    QTRY_VERIFY(historyHas(tab, Direction::In, "hello"));
    QTRY_VERIFY(tab->logModel()->rowCount() >= 2);

    // The connection is listed; selecting it shows both handshakes and only its rows.
    QTRY_COMPARE(tab->connectionModel()->rowCount(), 2);
    const quint32 id = tab->connectionModel()->connectionId(1);
    QVERIFY(id != 0);
    tab->selectConnection(id);
    QCOMPARE(tab->selectedConnection(), id);
    QTRY_VERIFY(tab->downstreamInspector()->record().request.startsWith("GET / HTTP/1.1\r\n"));
    QTRY_VERIFY(tab->upstreamInspector()->record().request.startsWith("GET /echo HTTP/1.1\r\n"));
    QTRY_COMPARE(tab->upstreamInspector()->record().statusCode(), 101);

    // Pause → server: the next message is held, listed, and has not reached the server.
    InterceptPane *intercept = tab->interceptPane();
    QTest::mouseClick(intercept->pauseToServerButton(), Qt::LeftButton);
    QVERIFY(tab->proxy()->isPaused(ProxyServer::Way::ToServer));
    client->sendTextMessage(QStringLiteral("{\"op\":\"buy\",\"n\":1}"));
    QTRY_COMPARE_WITH_TIMEOUT(tab->heldModel()->rowCount(), 1, 10000);
    QCOMPARE(tab->heldModel()->index(0, ProxyHeldModel::PreviewColumn).data().toString(),
        QStringLiteral("{\"op\":\"buy\",\"n\":1}"));
    QCOMPARE(
        tab->heldModel()->index(0, ProxyHeldModel::WayColumn).data().toString(), QStringLiteral("→ server"));
    QVERIFY(!m_echo.received.contains(QStringLiteral("{\"op\":\"buy\",\"n\":1}")));

    // Edit & forward: the server gets the edit, not the original.
    QTRY_VERIFY(intercept->editButton()->isEnabled());
    QTest::mouseClick(intercept->editButton(), Qt::LeftButton);
    HeldMessageEditor *editor = nullptr;
    QTRY_VERIFY((editor = tab->findChild<HeldMessageEditor *>()) != nullptr);
    QCOMPARE(editor->formatCombo()->currentText(), QStringLiteral("JSON"));
    editor->editor()->setPlainText(QStringLiteral("{\"op\":\"sell\"}"));
    QTest::mouseClick(editor->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_echo.received.contains(QStringLiteral("{\"op\":\"sell\"}")), 10000);
    QTRY_VERIFY(received.contains(QStringLiteral("{\"op\":\"sell\"}")));
    QVERIFY(!m_echo.received.contains(QStringLiteral("{\"op\":\"buy\",\"n\":1}")));
    QTRY_COMPARE(tab->heldModel()->rowCount(), 0);

    // Drop: held, dropped; what comes after it arrives, and the dropped one never did.
    client->sendTextMessage(QStringLiteral("dropped"));
    QTRY_COMPARE_WITH_TIMEOUT(tab->heldModel()->rowCount(), 1, 10000);
    QTRY_VERIFY(intercept->dropButton()->isEnabled());
    QTest::mouseClick(intercept->dropButton(), Qt::LeftButton);
    QTRY_COMPARE(tab->heldModel()->rowCount(), 0);
    QTest::mouseClick(intercept->pauseToServerButton(), Qt::LeftButton);
    QVERIFY(!tab->proxy()->isPaused(ProxyServer::Way::ToServer));
    client->sendTextMessage(QStringLiteral("after"));
    QTRY_VERIFY_WITH_TIMEOUT(m_echo.received.contains(QStringLiteral("after")), 10000);
    QVERIFY(!m_echo.received.contains(QStringLiteral("dropped")));
    QVERIFY(!received.contains(QStringLiteral("dropped")));

    // Inject into each way: to the server (which echoes it back), and to the client alone.
    intercept->tabs()->setCurrentIndex(1);
    QTRY_COMPARE(intercept->injectConnectionCombo()->count(), 1);
    intercept->injectWayCombo()->setCurrentIndex(
        intercept->injectWayCombo()->findData(int(ProxyServer::Way::ToServer)));
    intercept->injectEdit()->setText(QStringLiteral("injected up"));
    QTest::mouseClick(intercept->injectButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_echo.received.contains(QStringLiteral("injected up")), 10000);
    QTRY_VERIFY(received.contains(QStringLiteral("injected up")));
    intercept->injectWayCombo()->setCurrentIndex(
        intercept->injectWayCombo()->findData(int(ProxyServer::Way::ToClient)));
    intercept->injectEdit()->setText(QStringLiteral("injected down"));
    QTest::mouseClick(intercept->injectButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(received.contains(QStringLiteral("injected down")), 10000);
    QVERIFY(!m_echo.received.contains(QStringLiteral("injected down")));

    // Replay from the history: "hello" as the app sent it goes to the server once more.
    qint64 helloOut = -1;
    const MessageStore &store = *tab->store();
    for (qint64 i = 0; i < store.count() && helloOut < 0; ++i) {
        if (store.row(i).direction == Direction::Out && store.payload(i) == "hello")
            helloOut = i;
    }
    QVERIFY(helloOut >= 0);
    QVERIFY(tab->historyPane()->selectStoreIndex(helloOut));
    QTRY_VERIFY(tab->historyPane()->resendAction()->isEnabled());
    QCOMPARE(tab->historyPane()->resendAction()->text(), QStringLiteral("&Replay"));
    tab->historyPane()->resendAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_echo.received.count(QStringLiteral("hello")), 2, 10000);

    // Stop closes the app's connection.
    QTest::mouseClick(tab->controlBar()->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE(tab->proxy()->state(), ProxyServer::State::Stopped);
}

void tst_ProxyTab::breakpointHoldsOnlyWhatMatches()
{
    ProxyTab *tab = startProxy(m_echo.url());
    QVERIFY(tab);
    QTRY_COMPARE_WITH_TIMEOUT(tab->proxy()->state(), ProxyServer::State::Listening, 10000);
    // A breakpoint on what the server sends with a JSON field, added while the proxy runs.
    ProxyBreakpoint b;
    b.direction = ProxyBreakpoint::Direction::ToClient;
    b.match.match = ReplyRule::Match::JsonField;
    b.match.field = QStringLiteral("op");
    b.match.value = QStringLiteral("buy");
    tab->interceptPane()->breakpointsEditor()->addBreakpoint(b);

    QStringList received;
    QWebSocket *client = connectClient(tab, &received);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::ConnectedState, 10000);
    client->sendTextMessage(QStringLiteral("{\"op\":\"sell\"}"));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains(QStringLiteral("{\"op\":\"sell\"}")), 10000);
    client->sendTextMessage(QStringLiteral("{\"op\":\"buy\"}"));
    // The server got it (the breakpoint is on the way back), the client not yet.
    QTRY_VERIFY_WITH_TIMEOUT(m_echo.received.contains(QStringLiteral("{\"op\":\"buy\"}")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(tab->heldModel()->rowCount(), 1, 10000);
    QCOMPARE(tab->heldModel()->held().first().breakpoint, 0);
    QCOMPARE(tab->heldModel()->held().first().way, ProxyServer::Way::ToClient);
    QVERIFY(!received.contains(QStringLiteral("{\"op\":\"buy\"}")));
    QTest::mouseClick(tab->interceptPane()->forwardAllButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(received.contains(QStringLiteral("{\"op\":\"buy\"}")), 10000);
    QTRY_COMPARE(tab->heldModel()->rowCount(), 0);
    // The breakpoint is part of the tab's settings.
    const QJsonArray saved = tab->settingsJson().value(QStringLiteral("breakpoints")).toArray();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.at(0).toObject().value(QStringLiteral("field")).toString(), QStringLiteral("op"));
}

void tst_ProxyTab::sessionSaveAndReopenShowsTheRows()
{
    ProxyTab *tab = startProxy(m_echo.url());
    QVERIFY(tab);
    QTRY_COMPARE_WITH_TIMEOUT(tab->proxy()->state(), ProxyServer::State::Listening, 10000);
    QStringList received;
    QWebSocket *client = connectClient(tab, &received);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::ConnectedState, 10000);
    client->sendTextMessage(QStringLiteral("kept in the file"));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains(QStringLiteral("kept in the file")), 10000);
    QTRY_VERIFY(historyHas(tab, Direction::In, "kept in the file"));
    QTRY_COMPARE(tab->upstreamInspector()->record().statusCode() == 101
            || tab->proxy()->connections().value(0).upstreamRecord.statusCode() == 101,
        true);

    const QString file = m_dir.filePath(QStringLiteral("proxy.wstsession"));
    Dialogs::setNextSaveFileName(file);
    Dialogs::setNextAnswer(QMessageBox::No); // secrets
    QVERIFY(m_window->saveSessionAs());

    const QString copy = m_dir.filePath(QStringLiteral("proxy copy.wstsession"));
    QVERIFY(QFile::copy(file, copy));
    MainWindow other;
    QCOMPARE(other.openSession(copy), &other);
    QCOMPARE(other.tabCount(), 1);
    auto *back = other.tabAt<ProxyTab>(0);
    QVERIFY(back);
    QCOMPARE(back->kind(), QStringLiteral("proxy"));
    QCOMPARE(back->controlBar()->upstreamEdit()->text(), m_echo.url());
    QCOMPARE(back->proxy()->state(), ProxyServer::State::Stopped);
    QTRY_VERIFY(!back->isHistoryLoading());
    QTRY_VERIFY(historyHas(back, Direction::Out, "kept in the file"));
    QVERIFY(historyHas(back, Direction::In, "kept in the file"));
    QCOMPARE(back->store()->count(), tab->store()->count());
    // The connection is listed from its recorded handshakes, both of them.
    QCOMPARE(back->connectionModel()->rowCount(), 2);
    const quint32 id = back->connectionModel()->connectionId(1);
    back->selectConnection(id);
    QVERIFY(back->downstreamInspector()->record().request.startsWith("GET / HTTP/1.1\r\n"));
    QCOMPARE(back->upstreamInspector()->record().statusCode(), 101);
    QCOMPARE(back->connectionModel()->index(1, ProxyConnectionModel::StateColumn).data().toString(),
        QStringLiteral("closed"));
}

void tst_ProxyTab::certificateDialogMakesAWorkingWssProxy()
{
    guitest::action(m_window.get(), "newProxyAction")->trigger();
    auto *tab = m_window->currentTab<ProxyTab>();
    QVERIFY(tab);
    tab->controlBar()->upstreamEdit()->setText(m_echo.url());
    tab->controlBar()->setSettingsExpanded(true);
    QTest::mouseClick(tab->controlBar()->settingsWidget()->makeCertificateButton(), Qt::LeftButton);
    CertificateDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = tab->findChild<CertificateDialog *>()) != nullptr);
    const QString folder = m_dir.filePath(QStringLiteral("ca"));
    dialog->folderEdit()->setText(folder);
    dialog->hostsEdit()->setText(QStringLiteral("127.0.0.1, localhost"));
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled()); // nothing made yet
    QTest::mouseClick(guitest::child<QPushButton>(dialog, "makeCertificateNowButton"), Qt::LeftButton);
    QVERIFY(ok->isEnabled());
    QVERIFY(dialog->instructionsView()->toPlainText().contains(
        QStringLiteral("certutil -d sql:$HOME/.pki/nssdb")));
    // A second dialog on the same folder keeps that authority (it is trusted by now).
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!tab->findChild<CertificateDialog *>());
    const QString certificate = tab->controlBar()->settingsWidget()->certificateEdit()->text();
    QVERIFY(certificate.endsWith(QStringLiteral("server.pem")));
    QVERIFY(tab->controlBar()->settingsWidget()->keyEdit()->text().endsWith(QStringLiteral("server.key")));

    QTest::mouseClick(tab->controlBar()->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tab->proxy()->state(), ProxyServer::State::Listening, 10000);
    QVERIFY2(tab->controlBar()->pointAtText().startsWith(QStringLiteral("wss://")),
        qPrintable(tab->controlBar()->pointAtText()));
    // An app that trusts only this authority talks through the proxy over TLS.
    QFile ca(folder + QStringLiteral("/ca.pem"));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(ca.readAll()));
    QStringList received;
    QWebSocket *client = connectClient(tab, &received, &tls);
    QList<QSslError> errors;
    connect(client, &QWebSocket::sslErrors, this, [&errors](const QList<QSslError> &e) { errors += e; });
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::ConnectedState, 15000);
    client->sendTextMessage(QStringLiteral("over tls"));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains(QStringLiteral("over tls")), 10000);
    QVERIFY(errors.isEmpty());
}

void tst_ProxyTab::problemsAreShownInline()
{
    guitest::action(m_window.get(), "newProxyAction")->trigger();
    auto *tab = m_window->currentTab<ProxyTab>();
    QVERIFY(tab);
    QVERIFY(!tab->start()); // no upstream
    QVERIFY2(tab->errorText().contains(QStringLiteral("server's URL")), qPrintable(tab->errorText()));
    tab->controlBar()->upstreamEdit()->setText(QStringLiteral("http://example.test/"));
    QVERIFY2(tab->errorText().contains(QStringLiteral("ws://")), qPrintable(tab->errorText()));
    tab->controlBar()->upstreamEdit()->setText(m_echo.url());
    QVERIFY(tab->errorText().isEmpty());
    tab->controlBar()->settingsWidget()->certificateEdit()->setText(QStringLiteral("/nonexistent.pem"));
    QVERIFY(!tab->start());
    QVERIFY2(tab->errorText().contains(QStringLiteral("key")), qPrintable(tab->errorText()));
    QCOMPARE(tab->proxy()->state(), ProxyServer::State::Stopped);
    // The explicit mode needs no upstream, and says what to start the app with.
    tab->controlBar()->settingsWidget()->certificateEdit()->clear();
    tab->controlBar()->modeCombo()->setCurrentIndex(
        tab->controlBar()->modeCombo()->findData(int(ProxyOptions::Mode::Explicit)));
    tab->controlBar()->upstreamEdit()->clear();
    QVERIFY(tab->start());
    QTRY_COMPARE_WITH_TIMEOUT(tab->proxy()->state(), ProxyServer::State::Listening, 10000);
    QVERIFY2(tab->controlBar()->pointAtText().startsWith(QStringLiteral("--proxy-server=http://127.0.0.1:")),
        qPrintable(tab->controlBar()->pointAtText()));
}

void tst_ProxyTab::widgetsAreNamedAndDescribed()
{
    guitest::action(m_window.get(), "newProxyAction")->trigger();
    auto *tab = m_window->currentTab<ProxyTab>();
    QVERIFY(tab);
    tab->controlBar()->settingsWidget()->addHeaderRow(true, QStringLiteral("X-A"), QStringLiteral("1"));
    tab->interceptPane()->breakpointsEditor()->addBreakpoint(ProxyBreakpoint());
    const QStringList problems = guitest::unnamedControls(tab,
        { "proxyModeCombo", "proxyAddressCombo", "proxyPortSpin", "proxyUpstreamEdit", "proxyStartButton",
            "proxyStopButton", "proxySettingsToggle", "copyPointAtButton", "proxyOpenClientButton",
            "proxyCertificateEdit", "proxyKeyEdit", "proxyBrowseCertificateButton", "proxyBrowseKeyButton",
            "makeCertificateButton", "ignoreUpstreamTlsCheck", "passCompressionCheck", "headerRewritesTable",
            "headerActionCombo", "addHeaderRewriteButton", "removeHeaderRewriteButton",
            "proxyConnectionsView", "pauseToServerButton", "pauseToClientButton", "heldMessagesView",
            "forwardHeldButton", "editHeldButton", "dropHeldButton", "forwardAllHeldButton",
            "injectConnectionCombo", "injectWayCombo", "injectKindCombo", "injectEdit", "injectButton",
            "breakpointsTable", "breakpointDirectionCombo", "breakpointMatchCombo", "addBreakpointButton",
            "removeBreakpointButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    // Ctrl+Shift+P is the action's shortcut.
    QCOMPARE(guitest::action(m_window.get(), "newProxyAction")->shortcut(),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
}

QTEST_MAIN(tst_ProxyTab)
#include "tst_ProxyTab.moc"
