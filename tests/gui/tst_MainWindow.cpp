#include "ClientTab.h"
#include "ComposerWidget.h"
#include "DetailPane.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "RequestOptionsWidget.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "Theme.h"
#include "compose/SecretValues.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "server/ClientListModel.h"
#include "server/LocalServer.h"
#include "settings/AppSettings.h"

#include "../TestCerts.h"
#include "GuiTestSupport.h"
#include "RawCloseServer.h"
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSpinBox>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>

#include <QtTest>

using namespace wst;
using guitest::child;

// Drives the real main window against an in-process echo server on 127.0.0.1.
class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void startsWithOneEmptyTab();
    void connectSendAndEcho();
    void jsonEchoShowsPrettyJsonInDetail();
    void binaryHexEcho();
    void invalidJsonShowsError();
    void newTabComposerStartsInTextWithoutError();
    void hexErrorShownInline();
    void malformedUrlShowsInlineError_data();
    void malformedUrlShowsInlineError();
    void openUrlWithInvalidArgument();
    void enterInUrlFieldConnects();
    void forbiddenHeaderRefusedInline();
    void requestOptionsReachServer();
    void pingShowsRtt();
    void pingPayloadTooLong();
    void closeWithCodeAndReason();
    void closeCode1005RejectedInline();
    void reservedCloseCodeSentAnyway();
    void sendDisabledWhenNotOpen();
    void newAndCloseTabShortcuts();
    void renameThroughDialogSeam();
    void tabTitleFollowsHost();
    void composerKeepsTextAndRecalls();
    void recentMenuRecalls();
    void fileModeSendsFile();
    void fileModeUnreadableFile();
    void recentUrlsRememberedOnOpen();
    void statusBarFollowsCurrentTab();
    void geometrySavedOnClose();
    void languageMenuStoresSetting();
    void everyControlIsNamedAndDescribed();
    void resendFromHistory();
    void resendRestoresMaskedSecret();
    void certificateErrorsBannerAndIgnore();
    void commandLineUrlArgument();
    void keyboardWalk();

    void newLocalServerOpensServerTab();
    void serverTabOpensConnectedClientTab();
    void closingServerTabStopsServer();
    void renameServerTab();
    void closingClientTabClosesNormally();
    void closingWindowClosesConnections();
    void firstLaunchStartsEchoServerAndClient();
    void commandLineUrlOverridesFirstLaunch();
    void newControlsAreNamedAndDescribed();

private:
    ClientTab *tab() const { return m_window->currentTab(); }
    QString url() const { return m_server.url(); }
    bool connectTab(ClientTab *tab, const QString &url);
    // A started server tab, current, listening on 127.0.0.1.
    ServerTab *startServerTab();
    // Points AppSettings at a new file, as if wstester had never run (the test points it back).
    AppSettings *freshSettings(const QString &name);
    static int findNote(MessageLogModel *model, const QString &part);
    bool typeInComposer(ClientTab *tab, const QString &text);
    void selectMode(ClientTab *tab, ComposerWidget::Mode mode);
    // The row in the log model with this direction, kind and payload, or -1.
    static int findRow(MessageLogModel *model, Direction dir, Kind kind, const QByteArray &payload);

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    guitest::EchoServer m_server;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = guitest::installSettings(this, m_dir);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("sessions")));

    m_server->setSupportedSubprotocols({ QStringLiteral("chat") });
    QVERIFY(m_server.listen());
}

void tst_MainWindow::init()
{
    m_settings->clearRecentUrls();
    Dialogs::clearNextAnswers();
    m_server.lastCloseCode = -1;
    m_server.lastCloseReason.clear();
    m_window = std::make_unique<MainWindow>();
    m_window->newClientTab();
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    // Let the server see the clients go before the next test counts connections.
    QTRY_VERIFY(m_server.sockets.isEmpty());
}

bool tst_MainWindow::connectTab(ClientTab *tab, const QString &url)
{
    auto *combo = child<QComboBox>(tab, "urlCombo");
    auto *button = child<QPushButton>(tab, "connectButton");
    auto *state = child<QLabel>(tab, "stateLabel");
    if (!combo || !button || !state)
        return false;
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), url);
    QTest::mouseClick(button, Qt::LeftButton);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(state->text().startsWith(QStringLiteral("Open")), 10000); }();
    return state->text().startsWith(QStringLiteral("Open"));
}

bool tst_MainWindow::typeInComposer(ClientTab *tab, const QString &text)
{
    auto *edit = child<QPlainTextEdit>(tab, "composerEdit");
    if (!edit)
        return false;
    edit->setFocus();
    edit->clear();
    QTest::keyClicks(edit, text);
    return edit->toPlainText() == text;
}

void tst_MainWindow::selectMode(ClientTab *tab, ComposerWidget::Mode mode)
{
    auto *combo = child<QComboBox>(tab, "composerModeCombo");
    QVERIFY(combo);
    const int index = combo->findData(int(mode));
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index); // what a user's choice in the list emits
    QCOMPARE(tab->composer()->mode(), mode);
}

int tst_MainWindow::findRow(MessageLogModel *model, Direction dir, Kind kind, const QByteArray &payload)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, 0);
        if (i.data(MessageLogModel::DirectionRole).toInt() == int(dir)
            && i.data(MessageLogModel::KindRole).toInt() == int(kind)
            && i.data(MessageLogModel::PayloadRole).toByteArray() == payload)
            return r;
    }
    return -1;
}

void tst_MainWindow::startsWithOneEmptyTab()
{
    QCOMPARE(m_window->tabCount(), 1);
    QCOMPARE(child<QLabel>(tab(), "stateLabel")->text(), QStringLiteral("Not connected"));
    QCOMPARE(tab()->urlText(), QString());
    QVERIFY(!child<QPushButton>(tab(), "sendButton")->isEnabled());
    QVERIFY(!child<QPushButton>(tab(), "pingButton")->isEnabled());
    QVERIFY(!child<QPushButton>(tab(), "closeButton")->isEnabled());
    QVERIFY(child<QLabel>(tab(), "urlError")->isHidden());
}

void tst_MainWindow::connectSendAndEcho()
{
    QVERIFY(connectTab(tab(), url()));
    QCOMPARE(m_server.connections > 0, true);
    QVERIFY(typeInComposer(tab(), QStringLiteral("hello server")));
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);

    MessageLogModel *model = tab()->logModel();
    QTRY_VERIFY(findRow(model, Direction::Out, Kind::Text, "hello server") >= 0);
    QTRY_VERIFY(findRow(model, Direction::In, Kind::Text, "hello server") >= 0);
    QVERIFY(findRow(model, Direction::Out, Kind::Text, "hello server")
        < findRow(model, Direction::In, Kind::Text, "hello server"));
    // The composer never loses what was written.
    QCOMPARE(child<QPlainTextEdit>(tab(), "composerEdit")->toPlainText(), QStringLiteral("hello server"));

    // Ctrl+Enter (the keypad's Enter) sends too.
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Enter,
        Qt::ControlModifier | Qt::KeypadModifier);
    int outRows = 0;
    QTRY_VERIFY([&] {
        outRows = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            const QModelIndex i = model->index(r, 0);
            if (i.data(MessageLogModel::DirectionRole).toInt() == int(Direction::Out)
                && i.data(MessageLogModel::KindRole).toInt() == int(Kind::Text))
                ++outRows;
        }
        return outRows == 2;
    }());
}

void tst_MainWindow::jsonEchoShowsPrettyJsonInDetail()
{
    QVERIFY(connectTab(tab(), url()));
    selectMode(tab(), ComposerWidget::Mode::Json);
    const QString json = QStringLiteral("{\"name\":\"wstester\",\"list\":[1,2]}");
    QVERIFY(typeInComposer(tab(), json));
    QCOMPARE(child<QLabel>(tab(), "composerStatus")->text().startsWith(QStringLiteral("Valid JSON")), true);
    QTest::mouseClick(child<QPushButton>(tab(), "sendButton"), Qt::LeftButton);

    MessageLogModel *model = tab()->logModel();
    QTRY_VERIFY(findRow(model, Direction::In, Kind::Text, json.toUtf8()) >= 0);
    const int row = findRow(model, Direction::In, Kind::Text, json.toUtf8());

    HistoryPane *pane = tab()->historyPane();
    const QModelIndex proxyIndex = pane->filterModel()->mapFromSource(model->index(row, 0));
    QVERIFY(proxyIndex.isValid());
    pane->view()->setCurrentIndex(proxyIndex);
    DetailPane *detail = pane->detailPane();
    QVERIFY(detail);
    QTRY_VERIFY(detail->hasMessage() && !detail->isBusy());
    const QString content = detail->contentText();
    QVERIFY2(content.contains(QStringLiteral("\"name\": \"wstester\"")), qPrintable(content));
    QVERIFY2(content.contains(u'\n'), "pretty-printed JSON spans lines");
}

void tst_MainWindow::binaryHexEcho()
{
    QVERIFY(connectTab(tab(), url()));
    selectMode(tab(), ComposerWidget::Mode::Hex);
    QVERIFY(typeInComposer(tab(), QStringLiteral("00 01 fe ff")));
    QVERIFY(child<QPushButton>(tab(), "sendButton")->isEnabled());
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    const QByteArray bytes("\x00\x01\xfe\xff", 4);
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::Out, Kind::Binary, bytes) >= 0);
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Binary, bytes) >= 0);

    selectMode(tab(), ComposerWidget::Mode::Base64);
    QVERIFY(typeInComposer(tab(), QStringLiteral("aGk=")));
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Binary, "hi") >= 0);

    // JSON written, MessagePack or CBOR sent.
    selectMode(tab(), ComposerWidget::Mode::MessagePack);
    QVERIFY(typeInComposer(tab(), QStringLiteral("{\"a\": [1, {\"$base64\": \"AAE=\"}]}")));
    QCOMPARE(child<QLabel>(tab(), "composerStatus")->text(),
        QStringLiteral("Valid JSON \u00b7 9 bytes of MessagePack"));
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(
        findRow(tab()->logModel(), Direction::In, Kind::Binary, QByteArray::fromHex("81a16192 01c4020001"))
        >= 0);
    selectMode(tab(), ComposerWidget::Mode::Cbor);
    QVERIFY(typeInComposer(tab(), QStringLiteral("{\"a\": 1}")));
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(
        findRow(tab()->logModel(), Direction::In, Kind::Binary, QByteArray::fromHex("a1616101")) >= 0);
    QVERIFY(typeInComposer(tab(), QStringLiteral("{\"a\": ")));
    QVERIFY(!child<QPushButton>(tab(), "sendButton")->isEnabled());
}

void tst_MainWindow::invalidJsonShowsError()
{
    QVERIFY(connectTab(tab(), url()));
    selectMode(tab(), ComposerWidget::Mode::Json);
    QVERIFY(typeInComposer(tab(), QStringLiteral("{\"a\": ")));
    auto *status = child<QLabel>(tab(), "composerStatus");
    QVERIFY2(
        status->text().startsWith(QStringLiteral("JSON: line 1, column 7: ")), qPrintable(status->text()));
    QVERIFY(!child<QPushButton>(tab(), "sendButton")->isEnabled());
    const int rows = tab()->logModel()->rowCount();
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTest::qWait(100);
    QCOMPARE(findRow(tab()->logModel(), Direction::Out, Kind::Text, "{\"a\": "), -1);
    QVERIFY(tab()->logModel()->rowCount() >= rows);

    // Fixing it clears the error; Format re-indents.
    QTest::keyClicks(child<QPlainTextEdit>(tab(), "composerEdit"), QStringLiteral("1}"));
    QVERIFY(status->text().startsWith(QStringLiteral("Valid JSON")));
    QVERIFY(child<QPushButton>(tab(), "formatButton")->isVisible());
    QTest::mouseClick(child<QPushButton>(tab(), "formatButton"), Qt::LeftButton);
    QCOMPARE(tab()->composer()->text(), QStringLiteral("{\n  \"a\": 1\n}"));
}

void tst_MainWindow::newTabComposerStartsInTextWithoutError()
{
    // A type chosen in one tab is not carried to the next, and an empty JSON composer is not an
    // error (it said "Invalid JSON at byte 0" before anything was typed).
    selectMode(tab(), ComposerWidget::Mode::Json);
    auto *status = child<QLabel>(tab(), "composerStatus");
    QCOMPARE(status->text(), QStringLiteral("Empty message"));
    QVERIFY(status->palette().color(QPalette::WindowText) != theme::colour(theme::Role::ErrorText));
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 2);
    QCOMPARE(tab()->composer()->mode(), ComposerWidget::Mode::Text);
    QCOMPARE(child<QLabel>(tab(), "composerStatus")->text(), QStringLiteral("Empty message"));
    selectMode(tab(), ComposerWidget::Mode::Hex);
    QCOMPARE(child<QLabel>(tab(), "composerStatus")->text(), QStringLiteral("Empty message"));
}

void tst_MainWindow::hexErrorShownInline()
{
    selectMode(tab(), ComposerWidget::Mode::Hex);
    QVERIFY(typeInComposer(tab(), QStringLiteral("01 0g")));
    auto *status = child<QLabel>(tab(), "composerStatus");
    QVERIFY(!status->text().isEmpty());
    QVERIFY(!tab()->composer()->contentProblem().isEmpty());
    QCOMPARE(status->text(), tab()->composer()->contentProblem());
    QVERIFY(!child<QPushButton>(tab(), "formatButton")->isVisible());
}

void tst_MainWindow::malformedUrlShowsInlineError_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("http scheme") << QStringLiteral("http://x");
    QTest::newRow("no scheme separator") << QStringLiteral("ws//bad");
    QTest::newRow("empty") << QString();
    QTest::newRow("no host") << QStringLiteral("ws://");
}

void tst_MainWindow::malformedUrlShowsInlineError()
{
    QFETCH(QString, url);
    const int connectionsBefore = m_server.connections;
    auto *combo = child<QComboBox>(tab(), "urlCombo");
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), url);
    QTest::mouseClick(child<QPushButton>(tab(), "connectButton"), Qt::LeftButton);
    auto *error = child<QLabel>(tab(), "urlError");
    QVERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QCOMPARE(tab()->urlError(), error->text());
    QTest::qWait(150);
    QCOMPARE(tab()->state(), ClientConnection::State::Idle);
    QCOMPARE(child<QLabel>(tab(), "stateLabel")->text(), QStringLiteral("Not connected"));
    QCOMPARE(m_server.connections, connectionsBefore);
    // Nothing was sent, so nothing was recorded either.
    QCOMPARE(tab()->connection()->store()->count(), 0);

    // Editing the URL takes the error away.
    QTest::keyClicks(combo->lineEdit(), QStringLiteral("x"));
    QVERIFY(error->isHidden());
}

void tst_MainWindow::openUrlWithInvalidArgument()
{
    ClientTab *bad = m_window->openUrl(QStringLiteral("http://example.com/"));
    QCOMPARE(m_window->currentTab(), bad);
    QVERIFY(bad->urlError().contains(QStringLiteral("ws")));
    QCOMPARE(bad->state(), ClientConnection::State::Idle);

    ClientTab *good = m_window->openUrl(url());
    QTRY_COMPARE(child<QLabel>(good, "stateLabel")->text(), QStringLiteral("Open"));
}

void tst_MainWindow::enterInUrlFieldConnects()
{
    auto *combo = child<QComboBox>(tab(), "urlCombo");
    QTest::keyClicks(combo->lineEdit(), url());
    QTest::keyClick(combo->lineEdit(), Qt::Key_Return);
    QTRY_COMPARE(child<QLabel>(tab(), "stateLabel")->text(), QStringLiteral("Open"));
    QCOMPARE(child<QPushButton>(tab(), "connectButton")->text().remove(u'&'), QStringLiteral("Disconnect"));
    QTest::mouseClick(child<QPushButton>(tab(), "connectButton"), Qt::LeftButton);
    QTRY_COMPARE(
        child<QLabel>(tab(), "stateLabel")->text(), QStringLiteral("Closed \u2014 1000 normal closure"));
}

void tst_MainWindow::forbiddenHeaderRefusedInline()
{
    auto *toggle = child<QToolButton>(tab(), "requestToggle");
    QTest::mouseClick(toggle, Qt::LeftButton);
    auto *table = child<QTableWidget>(tab(), "headersTable");
    QVERIFY(table->isVisible());
    QTest::mouseClick(child<QPushButton>(tab(), "addHeaderButton"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 1);
    // The name cell is open for editing: type into its editor.
    QWidget *editor = QApplication::focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(editor));
    QTest::keyClicks(editor, QStringLiteral("Host"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(table->item(0, 0)->text(), QStringLiteral("Host")); // the delegate commits queued

    auto *headersError = child<QLabel>(tab(), "headersError");
    QVERIFY(headersError->isVisible());
    QCOMPARE(headersError->text(), ConnectionOptions::headerProblem("Host"));
    auto *connectButton = child<QPushButton>(tab(), "connectButton");
    QVERIFY(!connectButton->isEnabled());
    QVERIFY(connectButton->toolTip().contains(ConnectionOptions::headerProblem("Host")));

    // Enter in the URL field is refused as well; nothing goes out.
    const int before = m_server.connections;
    auto *combo = child<QComboBox>(tab(), "urlCombo");
    QTest::keyClicks(combo->lineEdit(), url());
    QTest::keyClick(combo->lineEdit(), Qt::Key_Return);
    QVERIFY(!tab()->connectToServer());
    QTest::qWait(150);
    QCOMPARE(m_server.connections, before);
    QCOMPARE(tab()->state(), ClientConnection::State::Idle);

    // Fixed: the connect goes through.
    table->item(0, 0)->setText(QStringLiteral("X-Test"));
    table->item(0, 1)->setText(QStringLiteral("42"));
    QVERIFY(headersError->isHidden());
    QVERIFY(connectButton->isEnabled());
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QTRY_COMPARE(child<QLabel>(tab(), "stateLabel")->text(), QStringLiteral("Open"));
    QCOMPARE(m_server.lastRequest.rawHeader("X-Test"), QByteArray("42"));
}

void tst_MainWindow::requestOptionsReachServer()
{
    QTest::mouseClick(child<QToolButton>(tab(), "requestToggle"), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>(tab(), "subprotocolsEdit"), QStringLiteral("other, chat"));
    QTest::keyClicks(child<QLineEdit>(tab(), "originEdit"), QStringLiteral("https://origin.test"));
    QCOMPARE(child<QSpinBox>(tab(), "timeoutSpin")->value(), 10);
    QVERIFY(connectTab(tab(), url()));
    QCOMPARE(child<QLabel>(tab(), "stateLabel")->text(), QStringLiteral("Open \u2014 subprotocol chat"));
    QCOMPARE(m_server.lastRequest.rawHeader("Origin"), QByteArray("https://origin.test"));

    // A subprotocol name with a space is refused inline.
    auto *subprotocols = child<QLineEdit>(tab(), "subprotocolsEdit");
    subprotocols->setText(QStringLiteral("bad name"));
    QVERIFY(child<QLabel>(tab(), "subprotocolsError")->isVisible());
    QVERIFY(!tab()->requestOptions()->problem().isEmpty());
}

void tst_MainWindow::pingShowsRtt()
{
    QVERIFY(connectTab(tab(), url()));
    auto *rtt = child<QLabel>(tab(), "rttLabel");
    QTest::keyClicks(child<QLineEdit>(tab(), "pingPayloadEdit"), QStringLiteral("abc"));
    QTest::mouseClick(child<QPushButton>(tab(), "pingButton"), Qt::LeftButton);
    QTRY_VERIFY2(rtt->text().startsWith(QStringLiteral("RTT ")), qPrintable(rtt->text()));
    QVERIFY(rtt->text().endsWith(QStringLiteral(" ms")));
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Pong, "abc") >= 0);
}

void tst_MainWindow::pingPayloadTooLong()
{
    QVERIFY(connectTab(tab(), url()));
    auto *payload = child<QLineEdit>(tab(), "pingPayloadEdit");
    payload->setText(QString(126, u'x'));
    auto *error = child<QLabel>(tab(), "pingError");
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("126")));
    QVERIFY(!child<QPushButton>(tab(), "pingButton")->isEnabled());
    QVERIFY(!tab()->sendPing());
    // 125 bytes is the limit, counted in UTF-8: 63 two-byte characters are 126 bytes.
    payload->setText(QString(125, u'x'));
    QVERIFY(error->isHidden());
    payload->setText(QString(63, QChar(0x00e9)));
    QVERIFY(error->isVisible());
}

void tst_MainWindow::closeWithCodeAndReason()
{
    QVERIFY(connectTab(tab(), url()));
    auto *code = child<QSpinBox>(tab(), "closeCodeSpin");
    QCOMPARE(code->value(), 1000);
    code->setFocus();
    code->selectAll();
    QTest::keyClicks(code, QStringLiteral("4001"));
    QCOMPARE(code->value(), 4001);
    QTest::keyClicks(child<QLineEdit>(tab(), "closeReasonEdit"), QStringLiteral("bye now"));
    QTest::mouseClick(child<QPushButton>(tab(), "closeButton"), Qt::LeftButton);
    QTRY_COMPARE(m_server.lastCloseCode, 4001);
    QCOMPARE(m_server.lastCloseReason, QStringLiteral("bye now"));
    QTRY_COMPARE(child<QLabel>(tab(), "stateLabel")->text(),
        QStringLiteral("Closed \u2014 4001 private use: bye now"));
    QCOMPARE(child<QPushButton>(tab(), "connectButton")->text().remove(u'&'), QStringLiteral("Connect"));
}

void tst_MainWindow::closeCode1005RejectedInline()
{
    QVERIFY(connectTab(tab(), url()));
    auto *code = child<QSpinBox>(tab(), "closeCodeSpin");
    code->setFocus();
    code->selectAll();
    QTest::keyClicks(code, QStringLiteral("1005"));
    auto *error = child<QLabel>(tab(), "closeError");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), CloseCodes::validate(1005, {}));
    QVERIFY(!child<QPushButton>(tab(), "closeButton")->isEnabled());
    QVERIFY(!tab()->sendClose());
    QTest::qWait(150);
    QCOMPARE(tab()->state(), ClientConnection::State::Open);

    // A reason over 123 bytes is refused too.
    code->setValue(1000);
    QVERIFY(error->isHidden());
    child<QLineEdit>(tab(), "closeReasonEdit")->setText(QString(124, u'r'));
    QVERIFY(error->isVisible());
}

void tst_MainWindow::reservedCloseCodeSentAnyway()
{
    // 1005, 1006 and 1015 must never be on the wire; a tester may still send them to see how a
    // server copes, but only after saying so. A raw server records the exact code that arrives.
    auto *anyway = child<QCheckBox>(tab(), "closeSendAnywayCheck");
    auto *code = child<QSpinBox>(tab(), "closeCodeSpin");
    auto *error = child<QLabel>(tab(), "closeError");
    auto *close = child<QPushButton>(tab(), "closeButton");
    QVERIFY(anyway && code && error && close);
    QVERIFY(anyway->isHidden()); // 1000: nothing to confirm
    for (const int reserved : { 1005, 1006, 1015 }) {
        guitest::RawCloseServer server;
        QVERIFY(server.listen());
        QVERIFY(connectTab(tab(), server.url()));
        code->setValue(reserved);
        QVERIFY(anyway->isVisible());
        QVERIFY(!anyway->isChecked());
        QVERIFY(!anyway->toolTip().isEmpty());
        QVERIFY(error->isVisible());
        QVERIFY(!close->isEnabled());
        QTest::mouseClick(anyway, Qt::LeftButton, {}, QPoint(4, anyway->height() / 2));
        QVERIFY(anyway->isChecked());
        QVERIFY(error->isHidden());
        QVERIFY(close->isEnabled());
        QTest::mouseClick(close, Qt::LeftButton);
        QTRY_COMPARE(server.closeCodes, QList<int> { reserved });
        QTRY_VERIFY(tab()->state() == ClientConnection::State::Closed);
        // The next code starts unconfirmed again.
        code->setValue(1000);
        QVERIFY(anyway->isHidden());
        code->setValue(reserved);
        QVERIFY(!anyway->isChecked());
        code->setValue(1000);
    }
    // A code that is not a close code at all stays refused, confirmation or not.
    code->setValue(1004);
    QVERIFY(anyway->isHidden());
    QVERIFY(error->isVisible());
}

void tst_MainWindow::sendDisabledWhenNotOpen()
{
    auto *send = child<QPushButton>(tab(), "sendButton");
    QVERIFY(typeInComposer(tab(), QStringLiteral("nobody listens")));
    QVERIFY(!send->isEnabled());
    QVERIFY(!send->toolTip().isEmpty());
    QVERIFY(!tab()->composer()->send());
    QVERIFY(connectTab(tab(), url()));
    QVERIFY(send->isEnabled());
}

void tst_MainWindow::newAndCloseTabShortcuts()
{
    QCOMPARE(m_window->tabCount(), 1);
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 2);
    QCOMPARE(m_window->tabs()->currentIndex(), 1);
    // The new tab's URL field has the focus, ready to type.
    QTRY_COMPARE(QApplication::focusWidget(), child<QWidget>(tab(), "urlCombo"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 3);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 2);
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 0);
    QVERIFY(child<QPushButton>(m_window.get(), "emptyNewConnectionButton")->isVisible());
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 1);
    QVERIFY(m_window->tabs()->isVisible());
    QVERIFY(m_window->tabs()->isMovable());
    QVERIFY(m_window->tabs()->tabsClosable());
}

void tst_MainWindow::renameThroughDialogSeam()
{
    QTabBar *bar = m_window->tabs()->tabBar();
    Dialogs::setNextText(QStringLiteral("My server"));
    const int shown = Dialogs::shownCount();
    QTest::mouseDClick(bar, Qt::LeftButton, {}, bar->tabRect(0).center());
    QCOMPARE(Dialogs::shownCount(), shown + 1);
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("My server"));
    QCOMPARE(tab()->title(), QStringLiteral("My server"));

    // The name stays when the URL changes; cancelling keeps it too.
    tab()->setUrlText(QStringLiteral("ws://elsewhere.test/"));
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("My server"));
    Dialogs::setNextTextCancelled();
    m_window->renameTab(0);
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("My server"));

    // An empty name goes back to the URL's host.
    Dialogs::setNextText(QString());
    m_window->renameTab(0);
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("elsewhere.test"));
}

void tst_MainWindow::tabTitleFollowsHost()
{
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("New connection"));
    QTest::keyClicks(
        child<QComboBox>(tab(), "urlCombo")->lineEdit(), QStringLiteral("wss://api.example.com:8443/feed"));
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("api.example.com:8443/feed"));
    QVERIFY(m_window->tabs()->tabToolTip(0).startsWith(QStringLiteral("wss://api.example.com:8443/feed")));
    QVERIFY(!m_window->tabs()->tabIcon(0).isNull());
}

void tst_MainWindow::composerKeepsTextAndRecalls()
{
    QVERIFY(connectTab(tab(), url()));
    auto *edit = child<QPlainTextEdit>(tab(), "composerEdit");
    QVERIFY(typeInComposer(tab(), QStringLiteral("first")));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("first"));
    QVERIFY(typeInComposer(tab(), QStringLiteral("second")));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("second"));
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Text, "second") >= 0);

    QVERIFY(typeInComposer(tab(), QStringLiteral("draft")));
    QTest::keyClick(edit, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("second"));
    QTest::keyClick(edit, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("first"));
    QTest::keyClick(edit, Qt::Key_Up, Qt::ControlModifier); // no older message: stays
    QCOMPARE(edit->toPlainText(), QStringLiteral("first"));
    QTest::keyClick(edit, Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("second"));
    QTest::keyClick(edit, Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("draft"));

    // Recalling a JSON message brings its mode back.
    selectMode(tab(), ComposerWidget::Mode::Json);
    QVERIFY(typeInComposer(tab(), QStringLiteral("[1]")));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    selectMode(tab(), ComposerWidget::Mode::Text);
    QVERIFY(typeInComposer(tab(), QString()));
    QTest::keyClick(edit, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(edit->toPlainText(), QStringLiteral("[1]"));
    QCOMPARE(tab()->composer()->mode(), ComposerWidget::Mode::Json);
}

void tst_MainWindow::recentMenuRecalls()
{
    QVERIFY(connectTab(tab(), url()));
    auto *recent = child<QToolButton>(tab(), "recentButton");
    QVERIFY(!recent->isEnabled());
    for (const QString &text : { QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("one") }) {
        QVERIFY(typeInComposer(tab(), text));
        QVERIFY(tab()->composer()->send());
    }
    QVERIFY(recent->isEnabled());
    // Sending "one" again moved it to the top instead of adding a copy.
    QCOMPARE(tab()->composer()->recent().size(), 2);
    QCOMPARE(tab()->composer()->recent().first().text, QStringLiteral("one"));
    QMenu *menu = recent->menu();
    QVERIFY(menu);
    QList<QAction *> actions = menu->actions();
    QVERIFY(actions.size() >= 2);
    QVERIFY(actions.at(1)->text().contains(QStringLiteral("two")));
    actions.at(1)->trigger();
    QCOMPARE(tab()->composer()->text(), QStringLiteral("two"));

    for (int i = 0; i < ComposerWidget::MaxRecent + 5; ++i) {
        tab()->composer()->setText(QString::number(i));
        QVERIFY(tab()->composer()->send());
    }
    QCOMPARE(tab()->composer()->recent().size(), ComposerWidget::MaxRecent);
}

void tst_MainWindow::fileModeSendsFile()
{
    QVERIFY(connectTab(tab(), url()));
    const QString path = m_dir.filePath(QStringLiteral("payload.bin"));
    const QByteArray content("\x89PNG\r\n\x1a\n-some-bytes", 19);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    selectMode(tab(), ComposerWidget::Mode::File);
    QVERIFY(!child<QPushButton>(tab(), "sendButton")->isEnabled()); // no file chosen yet
    Dialogs::setNextOpenFileName(path);
    QTest::mouseClick(child<QPushButton>(tab(), "chooseFileButton"), Qt::LeftButton);
    QCOMPARE(tab()->composer()->filePath(), path);
    QVERIFY(child<QLabel>(tab(), "fileLabel")->text().contains(QStringLiteral("payload.bin")));
    QVERIFY(child<QLabel>(tab(), "fileLabel")->text().contains(QStringLiteral("19")));
    QVERIFY(child<QPushButton>(tab(), "sendButton")->isEnabled());
    QTest::mouseClick(child<QPushButton>(tab(), "sendButton"), Qt::LeftButton);
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Binary, content) >= 0);
}

void tst_MainWindow::fileModeUnreadableFile()
{
    QVERIFY(connectTab(tab(), url()));
    const QString path = m_dir.filePath(QStringLiteral("gone.bin"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
    }
    Dialogs::setNextOpenFileName(path);
    tab()->composer()->chooseFile();
    QCOMPARE(tab()->composer()->mode(), ComposerWidget::Mode::File);
    QVERIFY(child<QPushButton>(tab(), "sendButton")->isEnabled());
    QVERIFY(QFile::remove(path));
    // The file went away after it was chosen: sending says so instead of sending nothing.
    QVERIFY(!tab()->composer()->send());
    auto *status = child<QLabel>(tab(), "composerStatus");
    QVERIFY2(status->text().contains(QStringLiteral("gone.bin")), qPrintable(status->text()));

    tab()->composer()->setFilePath(m_dir.filePath(QStringLiteral("missing.bin")));
    QVERIFY(status->text().contains(QStringLiteral("does not exist")));
    QVERIFY(!child<QPushButton>(tab(), "sendButton")->isEnabled());
}

void tst_MainWindow::recentUrlsRememberedOnOpen()
{
    QVERIFY(connectTab(tab(), url()));
    QTRY_COMPARE(m_settings->recentUrls().value(0), url());
    // Every tab's list follows the settings.
    ClientTab *other = m_window->newClientTab();
    auto *combo = child<QComboBox>(other, "urlCombo");
    QCOMPARE(combo->findText(url()), 0);
    QCOMPARE(combo->currentText(), QString());
    // A refused attempt is not remembered.
    QVERIFY(!other->connectToServer());
    QCOMPARE(m_settings->recentUrls().size(), 1);
}

void tst_MainWindow::statusBarFollowsCurrentTab()
{
    auto *state = child<QLabel>(m_window.get(), "statusState");
    QCOMPARE(state->text(), QStringLiteral("Not connected"));
    QVERIFY(connectTab(tab(), url()));
    QTRY_COMPARE(state->text(), QStringLiteral("Open"));
    auto *counters = child<QLabel>(m_window.get(), "statusCounters");
    QTRY_COMPARE(counters->text(), tab()->countersText());
    m_window->newClientTab();
    QCOMPARE(state->text(), QStringLiteral("Not connected"));
    m_window->tabs()->setCurrentIndex(0);
    QCOMPARE(state->text(), QStringLiteral("Open"));
}

void tst_MainWindow::geometrySavedOnClose()
{
    m_settings->setWindowGeometry({});
    m_window->resize(900, 650);
    m_window->close();
    QVERIFY(!m_settings->windowGeometry().isEmpty());
    QVERIFY(!m_settings->windowState().isEmpty());

    MainWindow second;
    QCOMPARE(second.size(), QSize(900, 650));
}

void tst_MainWindow::languageMenuStoresSetting()
{
    auto *action = guitest::action(m_window.get(), "languageAction_zh_CN");
    QVERIFY(action);
    QSignalSpy spy(m_settings, &AppSettings::languageChanged);
    const int shown = Dialogs::shownCount();
    action->trigger();
    QCOMPARE(m_settings->language(), QStringLiteral("zh_CN"));
    QCOMPARE(spy.size(), 1);
    // No restart notice: the window changes language at once (tst_LiveLanguage).
    QCOMPARE(Dialogs::shownCount(), shown);
    QVERIFY(action->isChecked());
    guitest::action(m_window.get(), "languageAction_system")->trigger();
    QCOMPARE(m_settings->language(), QString());
}

void tst_MainWindow::everyControlIsNamedAndDescribed()
{
    const QStringList problems = guitest::unnamedControls(tab(),
        { "urlCombo", "connectButton", "stateLabel", "headersTable", "subprotocolsEdit", "originEdit",
            "timeoutSpin", "pingPayloadEdit", "pingButton", "closeCodeSpin", "closeReasonEdit", "closeButton",
            "composerEdit", "composerModeCombo", "sendButton", "formatButton", "composerStatus",
            "requestToggle", "recentButton", "addHeaderButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    QVERIFY(m_window->findChild<QTabWidget *>(QStringLiteral("tabs")));
    QVERIFY(tab()->findChild<QLabel *>(QStringLiteral("urlError")));

    // Tab walks the top of the tab in reading order.
    child<QComboBox>(tab(), "urlCombo")->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(tab(), "connectButton"));
}

void tst_MainWindow::resendFromHistory()
{
    QVERIFY(connectTab(tab(), url()));
    QVERIFY(typeInComposer(tab(), QStringLiteral("again")));
    QVERIFY(tab()->composer()->send());
    MessageLogModel *model = tab()->logModel();
    QTRY_VERIFY(findRow(model, Direction::In, Kind::Text, "again") >= 0);
    // Resend the message that came back: it goes out once more, whatever the composer holds now.
    tab()->composer()->setText(QStringLiteral("something else"));
    HistoryPane *pane = tab()->historyPane();
    const int row = findRow(model, Direction::In, Kind::Text, "again");
    pane->view()->setCurrentIndex(pane->filterModel()->mapFromSource(model->index(row, 0)));
    QVERIFY(pane->resendAction()->isEnabled());
    pane->resendAction()->trigger();
    QTRY_COMPARE(model->store().counters().messagesOut, 2);
    QTRY_COMPARE(model->store().counters().messagesIn, 2);
    QCOMPARE(findRow(model, Direction::Out, Kind::Text, "something else"), -1);
}

void tst_MainWindow::resendRestoresMaskedSecret()
{
    // A session file keeps a secret variable's value as {{name}}; resending such a row from a
    // reopened history sends the value again (while the secret is known), not the braces.
    SecretValues::set({ { QStringLiteral("token"), QStringLiteral("s3cr3t-xyz") } });
    const auto forget = qScopeGuard([] { SecretValues::set({}); });
    QVERIFY(connectTab(tab(), url()));
    MessageLogModel *model = tab()->logModel();
    Q_EMIT tab()->historyPane()->resendRequested(Kind::Text, QByteArray("auth {{token}}"));
    QTRY_VERIFY(findRow(model, Direction::In, Kind::Text, "auth s3cr3t-xyz") >= 0);
    QCOMPARE(findRow(model, Direction::In, Kind::Text, "auth {{token}}"), -1);
}

void tst_MainWindow::certificateErrorsBannerAndIgnore()
{
    // A self-signed certificate for localhost, made now: the system CAs do not trust it.
    TestCerts certs;
    QVERIFY2(certs.makeSelfSigned(), "openssl could not make a certificate");
    const QSslConfiguration tls = certs.serverConfiguration("self.pem", "self.key");
    guitest::EchoServer server(QWebSocketServer::SecureMode);
    server->setSslConfiguration(tls);
    QVERIFY(server.listen());

    auto *combo = child<QComboBox>(tab(), "urlCombo");
    QTest::keyClicks(combo->lineEdit(), server.url("wss", "localhost"));
    QTest::mouseClick(child<QPushButton>(tab(), "connectButton"), Qt::LeftButton);
    auto *state = child<QLabel>(tab(), "stateLabel");
    QTRY_VERIFY_WITH_TIMEOUT(state->text().startsWith(QStringLiteral("Error \u2014 ")), 10000);
    auto *banner = child<QWidget>(tab(), "sslBanner");
    QVERIFY(banner->isVisible());
    QVERIFY(!child<QLabel>(tab(), "sslErrorsLabel")->text().isEmpty());
    QVERIFY(!tab()->connection()->status().sslErrors.isEmpty());

    QTest::mouseClick(child<QPushButton>(tab(), "sslIgnoreButton"), Qt::LeftButton);
    // Open, and it says that the certificate was not verified (it said only "Open"): in words,
    // with a warning sign whose tooltip names the errors, and in the status bar.
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("Open \u2014 certificate errors ignored"), 10000);
    auto *ignoredIcon = child<QLabel>(tab(), "certificateIgnoredIcon");
    QVERIFY(ignoredIcon);
    QVERIFY(ignoredIcon->isVisible());
    QVERIFY2(
        ignoredIcon->toolTip().contains(tab()->connection()->handshake().sslErrors.first().errorString()),
        qPrintable(ignoredIcon->toolTip()));
    QVERIFY(!ignoredIcon->accessibleName().isEmpty());
    QCOMPARE(child<QLabel>(m_window.get(), "statusState")->text(), state->text());
    QVERIFY(banner->isHidden());
    QVERIFY(typeInComposer(tab(), QStringLiteral("over tls")));
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Text, "over tls") >= 0);
    // Closed: the warning goes with the connection it was about.
    QTest::mouseClick(child<QPushButton>(tab(), "connectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(state->text().startsWith(QStringLiteral("Closed")), 10000);
    QVERIFY(ignoredIcon->isHidden());
    m_window.reset(); // before the server goes
}

void tst_MainWindow::commandLineUrlArgument()
{
    // The real binary: a bad URL argument is reported on stderr and in the tab, not in a dialog.
    if (!QFile::exists(QStringLiteral(WST_BINARY)))
        QSKIP("the wstester binary is not built");
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    // Its own single-instance socket: a wstester window already open elsewhere is not asked.
    QDir(m_dir.path()).mkpath(QStringLiteral("tmp"));
    env.insert(QStringLiteral("TMPDIR"), m_dir.filePath(QStringLiteral("tmp")));
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(WST_BINARY), { QStringLiteral("http://example.com/") });
    QVERIFY(app.waitForStarted(10000));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += app.readAllStandardError()).contains("use ws:// instead"), 10000);
    QCOMPARE(app.state(), QProcess::Running); // the window stays open with the error shown
    app.kill();
    app.waitForFinished(5000);
}

void tst_MainWindow::keyboardWalk()
{
    QVERIFY(connectTab(tab(), url()));
    child<QComboBox>(tab(), "urlCombo")->setFocus();
    QStringList walk;
    for (int i = 0; i < 40; ++i) {
        QWidget *w = QApplication::focusWidget();
        walk << (w->objectName().isEmpty() ? QString::fromLatin1(w->metaObject()->className())
                                           : w->objectName());
        QTest::keyClick(w, Qt::Key_Tab);
    }
    // My controls in reading order, the history somewhere between, and round to the start again.
    const QStringList expected { QStringLiteral("urlCombo"), QStringLiteral("connectButton"),
        QStringLiteral("requestToggle"), QStringLiteral("pingPayloadEdit"), QStringLiteral("pingButton"),
        QStringLiteral("closeCodeSpin"), QStringLiteral("closeReasonEdit"), QStringLiteral("closeButton"),
        QStringLiteral("historyView"), QStringLiteral("composerModeCombo"),
        QStringLiteral("saveMessageButton"), QStringLiteral("composerEdit"), QStringLiteral("sendButton"),
        QStringLiteral("periodicStartButton"), QStringLiteral("urlCombo") };
    qsizetype at = 0;
    for (const QString &name : expected) {
        at = walk.indexOf(name, at);
        QVERIFY2(
            at >= 0, qPrintable(QStringLiteral("%1 not reached in order: %2").arg(name, walk.join(u' '))));
        ++at;
    }
    // Shift+Tab goes back.
    auto *edit = child<QPlainTextEdit>(tab(), "composerEdit");
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(tab(), "saveMessageButton"));
}

ServerTab *tst_MainWindow::startServerTab()
{
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    ServerTab *server = m_window->currentServerTab();
    if (!server)
        return nullptr;
    QTest::mouseClick(child<QPushButton>(server, "serverStartButton"), Qt::LeftButton);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(server->server()->state(), LocalServer::State::Listening, 10000); }();
    return server->server()->state() == LocalServer::State::Listening ? server : nullptr;
}

AppSettings *tst_MainWindow::freshSettings(const QString &name)
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    auto *settings = new AppSettings(path, this);
    AppSettings::setInstance(settings);
    return settings;
}

int tst_MainWindow::findNote(MessageLogModel *model, const QString &part)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, 0);
        if (i.data(MessageLogModel::DirectionRole).toInt() == int(Direction::Event)
            && i.data(MessageLogModel::KindRole).toInt() == int(Kind::Info)
            && QString::fromUtf8(i.data(MessageLogModel::PayloadRole).toByteArray()).contains(part))
            return r;
    }
    return -1;
}

void tst_MainWindow::newLocalServerOpensServerTab()
{
    QCOMPARE(m_window->tabCount(), 1);
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_window->tabCount(), 2);
    ServerTab *server = m_window->currentServerTab();
    QVERIFY(server);
    QCOMPARE(m_window->serverTabAt(1), server);
    QCOMPARE(m_window->tabAt(1), nullptr);
    QCOMPARE(m_window->currentTab(), nullptr);
    QCOMPARE(m_window->tabs()->tabText(1), server->title());
    QCOMPARE(server->server()->state(), LocalServer::State::Stopped);

    // The toolbar button and the File menu action do the same.
    auto *button = child<QToolButton>(m_window.get(), "newServerToolButton");
    QVERIFY(button && button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(m_window->tabCount(), 3);
    QVERIFY(m_window->currentServerTab());
    auto *action = guitest::action(m_window.get(), "newServerAction");
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    QVERIFY(m_window->menuBar()->actions().first()->menu()->actions().contains(action));

    // Started: the title and the status bar follow the server.
    m_window->tabs()->setCurrentWidget(server);
    QTest::mouseClick(child<QPushButton>(server, "serverStartButton"), Qt::LeftButton);
    QTRY_COMPARE(server->server()->state(), LocalServer::State::Listening);
    QTRY_VERIFY(m_window->tabs()->tabText(1).startsWith(QStringLiteral("Server :")));
    QCOMPARE(m_window->tabs()->tabText(1), server->title());
    auto *status = child<QLabel>(m_window.get(), "statusState");
    QTRY_COMPARE(status->text(), server->statusText());
    QVERIFY2(status->text().startsWith(QStringLiteral("Listening on ws://127.0.0.1:")),
        qPrintable(status->text()));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral(" \u2014 %1 \u2014 ").arg(server->title())));
    // Another tab's status replaces it; coming back shows the server's again.
    m_window->tabs()->setCurrentIndex(0);
    QCOMPARE(status->text(), QStringLiteral("Not connected"));
    m_window->tabs()->setCurrentWidget(server);
    QCOMPARE(status->text(), server->statusText());
}

void tst_MainWindow::serverTabOpensConnectedClientTab()
{
    ServerTab *server = startServerTab();
    QVERIFY(server);
    const int before = m_window->tabCount();
    auto *open = child<QPushButton>(server, "openClientButton");
    QVERIFY(open->isEnabled());
    QTest::mouseClick(open, Qt::LeftButton);
    QCOMPARE(m_window->tabCount(), before + 1);
    ClientTab *client = m_window->currentTab();
    QVERIFY(client);
    QCOMPARE(client->urlText(), server->server()->url().toString());
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(client, "stateLabel")->text(), QStringLiteral("Open"), 10000);
    QTRY_COMPARE(server->clientModel()->connectedCount(), 1);
    // The server's status (shown when its tab is current) counts the client.
    m_window->tabs()->setCurrentWidget(server);
    QTRY_COMPARE(child<QLabel>(m_window.get(), "statusState")->text(), server->statusText());
    QVERIFY(server->statusText().contains(QStringLiteral("1 client")));
}

void tst_MainWindow::closingServerTabStopsServer()
{
    ServerTab *server = startServerTab();
    QVERIFY(server);
    QTest::mouseClick(child<QPushButton>(server, "openClientButton"), Qt::LeftButton);
    ClientTab *client = m_window->currentTab();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(client, "stateLabel")->text(), QStringLiteral("Open"), 10000);
    const int before = m_window->tabCount();

    m_window->tabs()->setCurrentWidget(server);
    QPointer<ServerTab> guard(server);
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), before - 1);
    QCOMPARE(m_window->tabs()->indexOf(server), -1);
    // The server says goodbye with 1001 before its tab goes.
    QTRY_VERIFY2_WITH_TIMEOUT(
        child<QLabel>(client, "stateLabel")->text().startsWith(QStringLiteral("Closed \u2014 1001")),
        qPrintable(child<QLabel>(client, "stateLabel")->text()), 10000);
    QTRY_COMPARE(m_window->closingTabCount(), 0);
    QTRY_VERIFY(guard.isNull());
}

void tst_MainWindow::renameServerTab()
{
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    ServerTab *server = m_window->currentServerTab();
    QVERIFY(server);
    const int index = m_window->tabs()->indexOf(server);
    QCOMPARE(m_window->tabs()->tabText(index), QStringLiteral("Local server"));

    QTabBar *bar = m_window->tabs()->tabBar();
    Dialogs::setNextText(QStringLiteral("Mock backend"));
    const int shown = Dialogs::shownCount();
    QTest::mouseDClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
    QCOMPARE(Dialogs::shownCount(), shown + 1);
    QCOMPARE(m_window->tabs()->tabText(index), QStringLiteral("Mock backend"));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral(" \u2014 Mock backend \u2014 ")));

    // The name stays when the server starts; an empty name goes back to the port.
    QTest::mouseClick(child<QPushButton>(server, "serverStartButton"), Qt::LeftButton);
    QTRY_COMPARE(server->server()->state(), LocalServer::State::Listening);
    QCOMPARE(server->title(), QStringLiteral("Mock backend")); // the tab's title is the name given
    QCOMPARE(m_window->tabs()->tabText(index), QStringLiteral("Mock backend"));
    Dialogs::setNextText(QString());
    m_window->renameTab(index);
    QVERIFY(server->title().startsWith(QStringLiteral("Server :")));
    QCOMPARE(m_window->tabs()->tabText(index), server->title());
}

void tst_MainWindow::closingClientTabClosesNormally()
{
    QVERIFY(connectTab(tab(), url()));
    QPointer<ClientTab> closed(tab());
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 0);
    // A Close frame with its reason, not a dropped socket (whose close code reads 1000 as well
    // on a QWebSocket, but without a reason).
    QTRY_COMPARE(m_server.lastCloseReason, QStringLiteral("tab closed"));
    QCOMPARE(m_server.lastCloseCode, 1000);
    QTRY_COMPARE(m_window->closingTabCount(), 0);
    QTRY_VERIFY(closed.isNull());
}

void tst_MainWindow::closingWindowClosesConnections()
{
    QVERIFY(connectTab(tab(), url()));
    ServerTab *server = startServerTab();
    QVERIFY(server);
    QTest::mouseClick(child<QPushButton>(server, "openClientButton"), Qt::LeftButton);
    ClientTab *client = m_window->currentTab();
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(client, "stateLabel")->text(), QStringLiteral("Open"), 10000);
    QSignalSpy stopped(server->server(), &LocalServer::stopped);

    // The session has messages nobody saved: closing asks first.
    QVERIFY(m_window->session()->needsSaving());
    const int asked = Dialogs::shownCount();
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    m_window->close();
    QCOMPARE(Dialogs::shownCount(), asked + 1);
    QVERIFY(m_window->isVisible());
    QCOMPARE(m_window->tabCount(), 3);
    Dialogs::setNextAnswer(QMessageBox::Discard);
    m_window->close();
    QTRY_COMPARE(m_server.lastCloseReason, QStringLiteral("tab closed"));
    QCOMPARE(m_server.lastCloseCode, 1000);
    QTRY_COMPARE(stopped.size(), 1);
    QTRY_VERIFY(!m_window->isVisible());
    QCOMPARE(m_window->closingTabCount(), 0);
}

void tst_MainWindow::firstLaunchStartsEchoServerAndClient()
{
    m_window.reset();
    AppSettings *settings = freshSettings(QStringLiteral("first-launch.ini"));
    const auto restore = qScopeGuard([this] {
        m_window.reset();
        AppSettings::setInstance(m_settings);
    });
    QVERIFY(!settings->firstRunDone());

    m_window = std::make_unique<MainWindow>();
    m_window->openStartupTabs(QString());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(settings->firstRunDone());

    // A server tab listening on a free port of 127.0.0.1, then a client tab connected to it.
    QTRY_COMPARE(m_window->tabCount(), 2);
    ServerTab *server = m_window->serverTabAt(0);
    QVERIFY(server);
    QCOMPARE(server->server()->state(), LocalServer::State::Listening);
    const QUrl serverUrl = server->server()->url();
    QCOMPARE(serverUrl.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(serverUrl.port() > 0);
    ClientTab *client = m_window->tabAt(1);
    QVERIFY(client);
    QCOMPARE(m_window->currentTab(), client);
    QCOMPARE(client->urlText(), serverUrl.toString());
    QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(client, "stateLabel")->text(), QStringLiteral("Open"), 10000);

    // The hint, above the client tab and in its history.
    auto *hint = child<QFrame>(m_window.get(), "firstLaunchHint");
    QVERIFY(hint->isVisible());
    const QString hintText = child<QLabel>(hint, "firstLaunchHintText")->text();
    QVERIFY2(hintText.contains(QStringLiteral("Ctrl+Enter")), qPrintable(hintText));
    QVERIFY2(hintText.contains(server->title()), qPrintable(hintText));
    QTRY_VERIFY(findNote(client->logModel(), QStringLiteral("local echo server")) >= 0);
    // Nothing the user did yet: quitting now asks nothing.
    QVERIFY(!m_window->session()->needsSaving());
    QVERIFY(!m_window->isWindowModified());

    // Messages flow: typed, Ctrl+Enter, and back. The composer has the focus already.
    QTRY_COMPARE(QApplication::focusWidget(), child<QWidget>(client, "composerEdit"));
    QVERIFY(typeInComposer(client, QStringLiteral("hello echo")));
    QTest::keyClick(child<QPlainTextEdit>(client, "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(findRow(client->logModel(), Direction::Out, Kind::Text, "hello echo") >= 0);
    QTRY_VERIFY(findRow(client->logModel(), Direction::In, Kind::Text, "hello echo") >= 0);
    QVERIFY(m_window->session()->needsSaving()); // now there is something of the user's to keep

    // The hint goes with its tab, comes back with it, and is dismissed for good.
    m_window->tabs()->setCurrentIndex(0);
    QVERIFY(hint->isHidden());
    m_window->tabs()->setCurrentIndex(1);
    QVERIFY(hint->isVisible());
    QTest::mouseClick(child<QToolButton>(hint, "dismissHintButton"), Qt::LeftButton);
    QVERIFY(hint->isHidden());
    m_window->tabs()->setCurrentIndex(0);
    m_window->tabs()->setCurrentIndex(1);
    QVERIFY(hint->isHidden());

    // The second launch, with the same settings: one empty client tab, as always. (The first
    // session's messages are not kept.)
    Dialogs::setNextAnswer(QMessageBox::Discard);
    m_window->close();
    QTRY_VERIFY(!m_window->isVisible());
    m_window = std::make_unique<MainWindow>();
    ClientTab *second = m_window->openStartupTabs(QString());
    m_window->show();
    QCOMPARE(m_window->tabCount(), 1);
    QCOMPARE(m_window->tabAt(0), second);
    QCOMPARE(m_window->serverTabAt(0), nullptr);
    QCOMPARE(second->urlText(), QString());
    QCOMPARE(second->state(), ClientConnection::State::Idle);
    QVERIFY(child<QFrame>(m_window.get(), "firstLaunchHint")->isHidden());
    QTest::qWait(100);
    QCOMPARE(m_window->tabCount(), 1);
}

void tst_MainWindow::commandLineUrlOverridesFirstLaunch()
{
    m_window.reset();
    AppSettings *settings = freshSettings(QStringLiteral("first-launch-url.ini"));
    const auto restore = qScopeGuard([this] {
        m_window.reset();
        AppSettings::setInstance(m_settings);
    });
    m_window = std::make_unique<MainWindow>();
    ClientTab *client = m_window->openStartupTabs(url());
    m_window->show();
    QVERIFY(client);
    QTRY_COMPARE(child<QLabel>(client, "stateLabel")->text(), QStringLiteral("Open"));
    QTest::qWait(100); // no server tab turns up late either
    QCOMPARE(m_window->tabCount(), 1);
    QCOMPARE(m_window->tabAt(0), client);
    QCOMPARE(client->urlText(), url());
    QVERIFY(child<QFrame>(m_window.get(), "firstLaunchHint")->isHidden());
    QCOMPARE(findNote(client->logModel(), QStringLiteral("local echo server")), -1);
    QVERIFY(settings->firstRunDone());
}

void tst_MainWindow::newControlsAreNamedAndDescribed()
{
    const QStringList problems = guitest::unnamedControls(m_window.get(),
        { "newServerToolButton", "newConnectionToolButton", "emptyNewServerButton",
            "emptyNewConnectionButton", "dismissHintButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    QVERIFY(!child<QFrame>(m_window.get(), "firstLaunchHint")->accessibleName().isEmpty());
    auto *action = guitest::action(m_window.get(), "newServerAction");
    QVERIFY(action && !action->toolTip().isEmpty());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
