#include "ClientListPane.h"
#include "ClientTab.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "RulesEditor.h"
#include "ServerTab.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "server/ClientListModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWebSocket>
#include <QtTest>

#include <memory>

using namespace wst;

class tst_ServerTab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void startShowsUrlStopCloses();
    void clientListHandshakeAndHistory();
    void manualSendToSelectedAndToAll();
    void composerSendsBinaryAndJsonToOneAndAll();
    void pingSelectedClient();
    void kickWithCodeAndInvalidCode();
    void rulesBuiltInEditorAnswer();
    void rulesLoadSaveRoundTrip();
    void portInUseShowsError();
    void restartKeepsThePort();
    void takenPortAsksBeforeMoving();
    void addressWarningAndInvalidAddress();
    void openClientTabEmitsUrl();
    void optionsRoundTrip();
    void widgetsAreNamedAndDescribed();
    void tabOrderFollowsTheLayout();
    void faultsEditorDrivesTheServer();

private:
    template <typename T> T *child(const char *name) const { return guitest::child<T>(m_tab.get(), name); }
    quint16 startViaWidgets();
    QWebSocket *connectClient(quint16 port, const QByteArray &extraHeader = {});
    void selectRow(int row);
    void setBehaviour(ServerOptions::Behaviour behaviour);
    quint32 idOf(const QWebSocket *ws) const;

    std::unique_ptr<ServerTab> m_tab;
    std::unique_ptr<QObject> m_owner;
    QTemporaryDir m_dir; // the settings a client tab uses
};

void tst_ServerTab::initTestCase()
{
    QVERIFY(m_dir.isValid());
    guitest::installSettings(this, m_dir);
}

void tst_ServerTab::init()
{
    Dialogs::clearNextAnswers();
    m_owner = std::make_unique<QObject>();
    m_tab = std::make_unique<ServerTab>();
    m_tab->resize(1280, 800);
    m_tab->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_tab.get()));
}

void tst_ServerTab::cleanup()
{
    m_owner.reset(); // the client sockets first
    m_tab.reset();
}

quint16 tst_ServerTab::startViaWidgets()
{
    QTest::mouseClick(child<QPushButton>("serverStartButton"), Qt::LeftButton);
    auto *url = child<QLabel>("serverUrlLabel");
    static const QRegularExpression pattern(QStringLiteral("^ws://127\\.0\\.0\\.1:(\\d+)/$"));
    if (!QTest::qWaitFor([url] { return pattern.match(url->text()).hasMatch(); }, 5000)) {
        qWarning("not listening: %s", qPrintable(m_tab->errorText()));
        return 0;
    }
    return quint16(pattern.match(url->text()).captured(1).toUInt());
}

QWebSocket *tst_ServerTab::connectClient(quint16 port, const QByteArray &extraHeader)
{
    auto *ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, m_owner.get());
    QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    if (!extraHeader.isEmpty()) {
        const qsizetype colon = extraHeader.indexOf(':');
        request.setRawHeader(extraHeader.left(colon), extraHeader.mid(colon + 1).trimmed());
    }
    ws->open(request);
    return ws;
}

void tst_ServerTab::selectRow(int row)
{
    auto *view = child<QTableView>("clientList");
    const QRect rect = view->visualRect(view->model()->index(row, ClientListModel::PeerColumn));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

void tst_ServerTab::setBehaviour(ServerOptions::Behaviour behaviour)
{
    auto *combo = child<QComboBox>("serverBehaviourCombo");
    combo->setCurrentIndex(combo->findData(int(behaviour)));
}

quint32 tst_ServerTab::idOf(const QWebSocket *ws) const
{
    for (const LocalServer::ClientInfo &c : m_tab->server()->clients()) {
        if (c.peerPort == ws->localPort())
            return c.id;
    }
    return 0;
}

void tst_ServerTab::startShowsUrlStopCloses()
{
    QSignalSpy titles(m_tab.get(), &ServerTab::titleChanged);
    QCOMPARE(m_tab->title(), tr("Local server"));
    QVERIFY(!child<QLabel>("serverUrlLabel")->isVisible());
    QVERIFY(!child<QPushButton>("openClientButton")->isEnabled());
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(port);
    QCOMPARE(m_tab->title(), QStringLiteral("Server :%1").arg(port));
    QVERIFY(titles.count() >= 1);
    QVERIFY2(m_tab->statusText().contains(url), qPrintable(m_tab->statusText()));
    // While it runs the settings are what it runs with, not editable.
    QVERIFY(!child<QSpinBox>("serverPortSpin")->isEnabled());
    QVERIFY(!child<QPushButton>("serverStartButton")->isEnabled());
    QTest::mouseClick(child<QToolButton>("copyServerUrlButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), url);

    QWebSocket *ws = connectClient(port);
    QSignalSpy closed(ws, &QWebSocket::disconnected);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QTRY_VERIFY(m_tab->statusText().contains(QStringLiteral("1 client")));
    QTest::mouseClick(child<QPushButton>("serverStopButton"), Qt::LeftButton);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(int(ws->closeCode()), 1001);
    QTRY_COMPARE(m_tab->server()->state(), LocalServer::State::Stopped);
    QTRY_COMPARE(m_tab->title(), tr("Local server"));
    QVERIFY(child<QPushButton>("serverStartButton")->isEnabled());
    QVERIFY(child<QSpinBox>("serverPortSpin")->isEnabled());
}

void tst_ServerTab::clientListHandshakeAndHistory()
{
    QAbstractItemModelTester tester(
        m_tab->clientModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QWebSocket *a = connectClient(port, "X-Wst-Probe: alpha one");
    QTRY_COMPARE(a->state(), QAbstractSocket::ConnectedState);
    QWebSocket *b = connectClient(port);
    QTRY_COMPARE(b->state(), QAbstractSocket::ConnectedState);
    QSignalSpy aTexts(a, &QWebSocket::textMessageReceived);
    QSignalSpy bTexts(b, &QWebSocket::textMessageReceived);

    // "All clients" and one row per client, with its peer address and port.
    ClientListModel *model = m_tab->clientModel();
    QTRY_COMPARE(model->rowCount(), 3);
    const quint32 aId = idOf(a);
    const quint32 bId = idOf(b);
    QVERIFY(aId && bId && aId != bId);
    const int aRow = model->rowForClient(aId);
    const int bRow = model->rowForClient(bId);
    QCOMPARE(model->index(aRow, ClientListModel::PeerColumn).data().toString(),
        QStringLiteral("127.0.0.1:%1").arg(a->localPort()));
    QCOMPARE(model->index(bRow, ClientListModel::PeerColumn).data().toString(),
        QStringLiteral("127.0.0.1:%1").arg(b->localPort()));
    QCOMPARE(model->index(aRow, ClientListModel::StateColumn).data().toString(), tr("Connected"));

    // Echo answers, and the counters follow.
    a->sendTextMessage(QStringLiteral("from a"));
    b->sendTextMessage(QStringLiteral("from b"));
    QTRY_COMPARE(aTexts.count(), 1);
    QTRY_COMPARE(bTexts.count(), 1);
    QCOMPARE(aTexts.first().first().toString(), QStringLiteral("from a"));
    QCOMPARE(bTexts.first().first().toString(), QStringLiteral("from b"));
    QTRY_COMPARE(model->index(aRow, ClientListModel::InColumn).data().toLongLong(), 1);
    QTRY_COMPARE(model->index(aRow, ClientListModel::OutColumn).data().toLongLong(), 1);

    // Client a: its exact handshake, and only its rows.
    selectRow(aRow);
    QCOMPARE(m_tab->selectedClient(), aId);
    auto *handshake = child<QPlainTextEdit>("handshakeView");
    QVERIFY(handshake->isReadOnly());
    const QString request = QString::fromUtf8(m_tab->server()->client(aId).handshakeRequest);
    QVERIFY(request.startsWith(QStringLiteral("GET / HTTP/1.1\r\n")));
    QCOMPARE(
        handshake->toPlainText(), QString(request).replace(QStringLiteral("\r\n"), QStringLiteral("\n")));
    QVERIFY2(handshake->toPlainText().contains(QStringLiteral("X-Wst-Probe: alpha one")),
        qPrintable(handshake->toPlainText()));
    // Qt wrote the 101 for this client (no compression offered): the pane says it has the request.
    QCOMPARE(
        child<QLabel>("handshakeTitle")->text(), QStringLiteral("Handshake request of client %1").arg(aId));
    LocalServer::ClientInfo withResponse = m_tab->server()->client(aId);
    withResponse.handshakeResponse = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
    QCOMPARE(ClientListPane::handshakeTitle(withResponse), QStringLiteral("Handshake of client %1").arg(aId));
    HistoryPane *history = m_tab->historyPane();
    MessageFilterModel *filter = history->filterModel();
    QTRY_VERIFY(filter->rowCount() >= 3); // open, in, out
    bool sawIn = false;
    for (int r = 0; r < filter->rowCount(); ++r) {
        const QModelIndex i = filter->index(r, 0);
        QCOMPARE(i.data(MessageLogModel::ConnectionIdRole).toUInt(), aId);
        sawIn |= i.data(MessageLogModel::PayloadRole).toByteArray() == "from a";
    }
    QVERIFY(sawIn);
    QVERIFY(history->view()->isColumnHidden(MessageLogModel::ClientColumn));

    // Client b's handshake has no such header.
    selectRow(bRow);
    QVERIFY(!handshake->toPlainText().contains(QStringLiteral("X-Wst-Probe")));
    QVERIFY(handshake->toPlainText().startsWith(QStringLiteral("GET / HTTP/1.1")));

    // All: both clients' rows, with the Client column next to #.
    selectRow(0);
    QCOMPARE(m_tab->selectedClient(), 0u);
    QVERIFY(handshake->toPlainText().isEmpty());
    QSet<quint32> ids;
    for (int r = 0; r < filter->rowCount(); ++r)
        ids.insert(filter->index(r, 0).data(MessageLogModel::ConnectionIdRole).toUInt());
    QVERIFY(ids.contains(aId) && ids.contains(bId));
    QVERIFY(!history->view()->isColumnHidden(MessageLogModel::ClientColumn));
    QCOMPARE(history->view()->horizontalHeader()->visualIndex(MessageLogModel::ClientColumn), 1);
    const int aRowInAll = [filter] {
        for (int r = 0; r < filter->rowCount(); ++r) {
            if (filter->index(r, 0).data(MessageLogModel::PayloadRole).toByteArray() == "from a")
                return r;
        }
        return -1;
    }();
    QVERIFY(aRowInAll >= 0);
    QCOMPARE(filter->index(aRowInAll, MessageLogModel::ClientColumn).data().toUInt(), aId);

    // A client that leaves stays listed with its close code.
    b->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("done"));
    QTRY_COMPARE(
        model->index(bRow, ClientListModel::StateColumn).data().toString(), tr("Closed (%1)").arg(1000));
}

void tst_ServerTab::manualSendToSelectedAndToAll()
{
    setBehaviour(ServerOptions::Behaviour::Manual);
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QWebSocket *a = connectClient(port);
    QWebSocket *b = connectClient(port);
    QSignalSpy aTexts(a, &QWebSocket::textMessageReceived);
    QSignalSpy bTexts(b, &QWebSocket::textMessageReceived);
    QTRY_COMPARE(a->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(b->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(m_tab->clientModel()->rowCount(), 3);
    a->sendTextMessage(QStringLiteral("manual: not echoed"));

    selectRow(m_tab->clientModel()->rowForClient(idOf(a)));
    m_tab->composer()->setMode(ComposerWidget::Mode::Text);
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *send = child<QPushButton>("sendButton");
    QTRY_VERIFY(send->isEnabled());
    QVERIFY2(send->text().contains(QString::number(idOf(a))), qPrintable(send->text()));
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("just for a"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(aTexts.count(), 1);
    QCOMPARE(aTexts.first().first().toString(), QStringLiteral("just for a"));

    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("for everyone"));
    QTest::mouseClick(child<QCheckBox>("sendToAllCheck"), Qt::LeftButton);
    QVERIFY(send->text().contains(tr("every")));
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(aTexts.count(), 2);
    QTRY_COMPARE(bTexts.count(), 1);
    // b got only the message for everyone: the one for a went to a alone, and nothing was echoed.
    QCOMPARE(aTexts.at(1).first().toString(), QStringLiteral("for everyone"));
    QCOMPARE(bTexts.first().first().toString(), QStringLiteral("for everyone"));
}

void tst_ServerTab::composerSendsBinaryAndJsonToOneAndAll()
{
    setBehaviour(ServerOptions::Behaviour::Manual);
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QWebSocket *a = connectClient(port);
    QWebSocket *b = connectClient(port);
    QSignalSpy aTexts(a, &QWebSocket::textMessageReceived);
    QSignalSpy bTexts(b, &QWebSocket::textMessageReceived);
    QSignalSpy aBinary(a, &QWebSocket::binaryMessageReceived);
    QSignalSpy bBinary(b, &QWebSocket::binaryMessageReceived);
    QTRY_COMPARE(a->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(b->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(m_tab->clientModel()->connectedCount(), 2);
    selectRow(m_tab->clientModel()->rowForClient(idOf(a)));
    QCOMPARE(m_tab->selectedClient(), idOf(a));

    ComposerWidget *composer = m_tab->composer();
    auto *edit = child<QPlainTextEdit>("composerEdit");
    auto *send = child<QPushButton>("sendButton");
    auto *toAll = child<QCheckBox>("sendToAllCheck");
    const auto write = [edit](const QString &text) {
        edit->clear();
        edit->setFocus();
        QTest::keyClicks(edit, text);
    };

    // Binary written in hex, to the selected client only.
    composer->setMode(ComposerWidget::Mode::Hex);
    write(QStringLiteral("00 01 fe ff"));
    QTRY_VERIFY(send->isEnabled());
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(aBinary.count(), 1);
    QCOMPARE(aBinary.first().first().toByteArray(), QByteArray("\x00\x01\xfe\xff", 4));

    // JSON to the selected client only.
    composer->setMode(ComposerWidget::Mode::Json);
    write(QStringLiteral("{\"op\": \"one\"}"));
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(aTexts.count(), 1);
    QCOMPARE(aTexts.first().first().toString(), QStringLiteral("{\"op\": \"one\"}"));

    // Invalid JSON is not sent.
    write(QStringLiteral("{\"op\": "));
    QVERIFY(!send->isEnabled());
    QVERIFY(!composer->send());

    // The same two kinds to every client.
    QTest::mouseClick(toAll, Qt::LeftButton);
    QVERIFY2(send->text().contains(tr("every")), qPrintable(send->text()));
    write(QStringLiteral("{\"op\": \"all\"}"));
    QTest::mouseClick(send, Qt::LeftButton);
    composer->setMode(ComposerWidget::Mode::Hex);
    write(QStringLiteral("0a 0b"));
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(bTexts.count(), 1);
    QTRY_COMPARE(bBinary.count(), 1);
    QTRY_COMPARE(aTexts.count(), 2);
    QTRY_COMPARE(aBinary.count(), 2);
    // b got only what was sent to everyone.
    QCOMPARE(bTexts.first().first().toString(), QStringLiteral("{\"op\": \"all\"}"));
    QCOMPARE(bBinary.first().first().toByteArray(), QByteArray("\x0a\x0b"));
    QCOMPARE(aTexts.at(1).first().toString(), QStringLiteral("{\"op\": \"all\"}"));
    QCOMPARE(aBinary.at(1).first().toByteArray(), QByteArray("\x0a\x0b"));

    // A server tab has no decoder: Protobuf is not offered, MessagePack is, and a Protobuf
    // message put in the composer (a saved one, say) says why it cannot go, keeping the text.
    auto *types = child<QComboBox>("composerModeCombo");
    QCOMPARE(types->findData(int(ComposerWidget::Mode::Protobuf)), -1);
    QVERIFY(types->findData(int(ComposerWidget::Mode::MessagePack)) >= 0);
    composer->setMode(ComposerWidget::Mode::Protobuf);
    QCOMPARE(types->currentData().toInt(), int(ComposerWidget::Mode::Protobuf));
    write(QStringLiteral("{\"op\": \"x\"}"));
    QTRY_VERIFY(!send->isEnabled());
    QVERIFY2(composer->contentProblem().contains(QLatin1String("local server has no decoder")),
        qPrintable(composer->contentProblem()));
    QVERIFY(!composer->send());
    QCOMPARE(edit->toPlainText(), QStringLiteral("{\"op\": \"x\"}"));
    QCOMPARE(aBinary.count(), 2);
}

void tst_ServerTab::pingSelectedClient()
{
    const quint16 port = startViaWidgets();
    QWebSocket *a = connectClient(port);
    QSignalSpy pongs(a, &QWebSocket::pong); // a client answers pings by itself; watch the server's record
    QTRY_COMPARE(m_tab->clientModel()->rowCount(), 2);
    selectRow(1);
    auto *ping = child<QPushButton>("serverPingButton");
    QTRY_VERIFY(ping->isEnabled());
    QTest::mouseClick(ping, Qt::LeftButton);
    QTRY_VERIFY(child<QLabel>("serverRttLabel")->text().contains(QStringLiteral("ms")));
    QVERIFY(child<QLabel>("serverRttLabel")->text().contains(QString::number(idOf(a))));
}

void tst_ServerTab::kickWithCodeAndInvalidCode()
{
    const quint16 port = startViaWidgets();
    QWebSocket *a = connectClient(port);
    QWebSocket *b = connectClient(port);
    QSignalSpy aClosed(a, &QWebSocket::disconnected);
    QTRY_COMPARE(a->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(b->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(m_tab->clientModel()->rowCount(), 3);
    const quint32 aId = idOf(a);
    selectRow(m_tab->clientModel()->rowForClient(aId));

    auto *code = child<QSpinBox>("kickCodeSpin");
    auto *reason = child<QLineEdit>("kickReasonEdit");
    auto *kick = child<QPushButton>("kickButton");
    auto *error = child<QLabel>("kickError");
    QCOMPARE(code->value(), 4000);
    QVERIFY(kick->isEnabled());
    QVERIFY(!error->isVisible());

    // 1005 may never be sent: refused inline, nothing happens.
    code->selectAll();
    QTest::keyClicks(code, QStringLiteral("1005"));
    QCOMPARE(code->value(), 1005);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("1005")), qPrintable(error->text()));
    QVERIFY(!kick->isEnabled());
    QTest::mouseClick(kick, Qt::LeftButton);
    QTest::keyClick(reason, Qt::Key_Return);
    QCOMPARE(a->state(), QAbstractSocket::ConnectedState);

    code->selectAll();
    QTest::keyClicks(code, QStringLiteral("4000"));
    QVERIFY(!error->isVisible());
    QTest::keyClicks(reason, QStringLiteral("kicked by the test"));
    QTest::mouseClick(kick, Qt::LeftButton);
    QTRY_COMPARE(aClosed.count(), 1);
    QCOMPARE(int(a->closeCode()), 4000);
    QCOMPARE(a->closeReason(), QStringLiteral("kicked by the test"));
    QCOMPARE(b->state(), QAbstractSocket::ConnectedState);
    const int row = m_tab->clientModel()->rowForClient(aId);
    QTRY_COMPARE(m_tab->clientModel()->index(row, ClientListModel::StateColumn).data().toString(),
        tr("Closed (%1)").arg(4000));
    QTRY_VERIFY(!kick->isEnabled()); // a closed client cannot be kicked again
}

void tst_ServerTab::rulesBuiltInEditorAnswer()
{
    setBehaviour(ServerOptions::Behaviour::Rules);
    QVERIFY(child<QWidget>("serverRulesBox")->isVisible());
    // No rules yet: Start is refused inline and nothing listens.
    QTest::mouseClick(child<QPushButton>("serverStartButton"), Qt::LeftButton);
    auto *error = child<QLabel>("serverError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(tr("rule")), qPrintable(error->text()));
    QCOMPARE(m_tab->server()->state(), LocalServer::State::Stopped);

    QTest::mouseClick(child<QToolButton>("addRuleButton"), Qt::LeftButton);
    auto *value = child<QLineEdit>("ruleValueEdit");
    QTest::keyClicks(value, QStringLiteral("("));
    auto *match = child<QComboBox>("ruleMatchCombo");
    match->setCurrentIndex(match->findData(int(ReplyRule::Match::Regex)));
    // An invalid regular expression is shown under the rule as it is typed.
    auto *ruleError = child<QLabel>("ruleError");
    QVERIFY(ruleError->isVisible());
    QVERIFY2(ruleError->text().contains(tr("regular expression")), qPrintable(ruleError->text()));
    QVERIFY(error->isVisible()); // and Start's problem follows the editor
    match->setCurrentIndex(match->findData(int(ReplyRule::Match::Exact)));
    value->clear();
    QTest::keyClicks(value, QStringLiteral("ping"));
    QTest::keyClicks(child<QLineEdit>("actionTextEdit_0"), QStringLiteral("pong to {{client}}"));
    QVERIFY(!ruleError->isVisible());

    // A close action with a code that cannot be sent is shown inline too.
    QTest::mouseClick(child<QPushButton>("addCloseActionButton"), Qt::LeftButton);
    auto *closeCode = child<QSpinBox>("actionCodeSpin_1");
    closeCode->setValue(1005);
    QVERIFY(ruleError->isVisible());
    QVERIFY2(ruleError->text().contains(QStringLiteral("1005")), qPrintable(ruleError->text()));
    QTest::mouseClick(child<QToolButton>("removeActionButton_1"), Qt::LeftButton);
    QTRY_VERIFY(!ruleError->isVisible());
    QVERIFY(!error->isVisible());

    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QWebSocket *ws = connectClient(port);
    QSignalSpy texts(ws, &QWebSocket::textMessageReceived);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QTRY_VERIFY(idOf(ws) != 0);
    ws->sendTextMessage(QStringLiteral("ping"));
    QTRY_COMPARE(texts.count(), 1);
    QCOMPARE(texts.first().first().toString(), QStringLiteral("pong to %1").arg(idOf(ws)));
}

void tst_ServerTab::rulesLoadSaveRoundTrip()
{
    auto *editor = child<RulesEditor>("rulesEditor");
    const QString example = QStringLiteral(WST_SOURCE_DIR "/resources/rules-example.json");
    Dialogs::setNextOpenFileName(example);
    QTest::mouseClick(child<QPushButton>("loadRulesButton"), Qt::LeftButton);
    QCOMPARE(editor->ruleCount(), 4);
    QCOMPARE(child<QListWidget>("rulesList")->count(), 4);
    QString error;
    const QList<ReplyRule> original = ReplyRules::parseFile(example, &error);
    QVERIFY(error.isEmpty());

    QTemporaryDir dir;
    const QString saved = dir.filePath(QStringLiteral("rules.json"));
    RulesEditor::setNextSaveFileName(saved);
    QTest::mouseClick(child<QPushButton>("saveRulesButton"), Qt::LeftButton);
    const QList<ReplyRule> again = ReplyRules::parseFile(saved, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(again.size(), original.size());
    for (qsizetype i = 0; i < original.size(); ++i) {
        QCOMPARE(again.at(i).match, original.at(i).match);
        QCOMPARE(again.at(i).value, original.at(i).value);
        QCOMPARE(again.at(i).field, original.at(i).field);
        QCOMPARE(again.at(i).actions.size(), original.at(i).actions.size());
        for (qsizetype k = 0; k < original.at(i).actions.size(); ++k) {
            const ReplyAction &x = again.at(i).actions.at(k);
            const ReplyAction &y = original.at(i).actions.at(k);
            QCOMPARE(x.type, y.type);
            QCOMPARE(x.text, y.text);
            QCOMPARE(x.delayMs, y.delayMs);
            QCOMPARE(x.closeCode, y.closeCode);
            QCOMPARE(x.closeReason, y.closeReason);
        }
    }

    // Moving a rule changes the order it is tried in.
    editor->setCurrentRule(3);
    QTest::mouseClick(child<QToolButton>("moveRuleUpButton"), Qt::LeftButton);
    QCOMPARE(editor->currentRule(), 2);
    QCOMPARE(editor->rules().at(2).value, original.at(3).value);
    QTest::mouseClick(child<QToolButton>("removeRuleButton"), Qt::LeftButton);
    QCOMPARE(editor->ruleCount(), 3);

    // A file that is not a rules document is refused with the reason.
    Dialogs::setNextOpenFileName(dir.filePath(QStringLiteral("missing.json")));
    QTest::mouseClick(child<QPushButton>("loadRulesButton"), Qt::LeftButton);
    QVERIFY(editor->fileError().contains(QStringLiteral("missing.json")));
    QCOMPARE(editor->ruleCount(), 3);
}

void tst_ServerTab::portInUseShowsError()
{
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    auto *port = child<QSpinBox>("serverPortSpin");
    port->setValue(busy.serverPort());
    QTest::mouseClick(child<QPushButton>("serverStartButton"), Qt::LeftButton);
    auto *error = child<QLabel>("serverError");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QString::number(busy.serverPort())), qPrintable(error->text()));
    QCOMPARE(m_tab->server()->state(), LocalServer::State::Error);
    QVERIFY(m_tab->statusText().startsWith(tr("Error")));
    QVERIFY(child<QPushButton>("serverStartButton")->isEnabled());
    QVERIFY(port->isEnabled());
    // Another port clears it, and starts.
    port->setValue(0);
    QVERIFY(!error->isVisible());
    QVERIFY(startViaWidgets() > 0);
}

// Port 0 picks a free port once; Stop and Start keep it, so a client tab reconnects to the same URL.
void tst_ServerTab::restartKeepsThePort()
{
    auto *portSpin = child<QSpinBox>("serverPortSpin");
    QCOMPARE(portSpin->value(), 0);
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QCOMPARE(portSpin->value(), int(port)); // the field shows what a restart will use

    ClientTab client;
    const QJsonObject settings { { QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:%1/").arg(port) },
        { QStringLiteral("autoReconnect"), true }, { QStringLiteral("reconnectInitialMs"), 100 },
        { QStringLiteral("reconnectMaxMs"), 200 } };
    QString error;
    QVERIFY2(client.setSettingsJson(settings, &error), qPrintable(error));
    QVERIFY(client.connectToServer());
    QTRY_COMPARE(client.state(), ClientConnection::State::Open);
    QTRY_VERIFY(m_tab->statusText().contains(QStringLiteral("1 client")));

    QTest::mouseClick(child<QPushButton>("serverStopButton"), Qt::LeftButton);
    QTRY_COMPARE(m_tab->server()->state(), LocalServer::State::Stopped);
    QTRY_VERIFY(client.state() != ClientConnection::State::Open);
    QCOMPARE(portSpin->value(), int(port));
    QCOMPARE(startViaWidgets(), port);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClientConnection::State::Open, 10000); // reconnected
    QTRY_VERIFY(m_tab->statusText().contains(QStringLiteral("1 client")));
    client.disconnectFromServer();
    QTRY_COMPARE(client.state(), ClientConnection::State::Closed);
}

// When the port it had is taken meanwhile, Start says so and asks; it moves only on Yes.
void tst_ServerTab::takenPortAsksBeforeMoving()
{
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QTest::mouseClick(child<QPushButton>("serverStopButton"), Qt::LeftButton);
    QTRY_COMPARE(m_tab->server()->state(), LocalServer::State::Stopped);
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, port));

    const int asked = Dialogs::shownCount();
    Dialogs::setNextAnswer(QMessageBox::No);
    QTest::mouseClick(child<QPushButton>("serverStartButton"), Qt::LeftButton);
    QTRY_COMPARE(m_tab->server()->state(), LocalServer::State::Error);
    QCOMPARE(Dialogs::shownCount(), asked + 1);
    auto *error = child<QLabel>("serverError");
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QString::number(port)), qPrintable(error->text()));
    QCOMPARE(child<QSpinBox>("serverPortSpin")->value(), int(port));

    Dialogs::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(child<QPushButton>("serverStartButton"), Qt::LeftButton);
    QTRY_COMPARE(m_tab->server()->state(), LocalServer::State::Listening);
    QCOMPARE(Dialogs::shownCount(), asked + 2);
    const int moved = m_tab->server()->url().port();
    QVERIFY(moved != port && moved > 0);
    QCOMPARE(child<QSpinBox>("serverPortSpin")->value(), moved);
}

void tst_ServerTab::addressWarningAndInvalidAddress()
{
    auto *combo = child<QComboBox>("serverAddressCombo");
    auto *warning = child<QLabel>("serverAddressWarning");
    QCOMPARE(combo->currentText(), QStringLiteral("127.0.0.1"));
    QVERIFY(!warning->isVisible());
    combo->setCurrentIndex(combo->findText(QStringLiteral("0.0.0.0")));
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(tr("Other machines")));
    combo->setCurrentIndex(combo->findText(QStringLiteral("::")));
    QVERIFY(warning->isVisible());
    combo->setEditText(QStringLiteral("127.0.0.1"));
    QVERIFY(!warning->isVisible());

    combo->setEditText(QStringLiteral("not-an-address"));
    QTest::mouseClick(child<QPushButton>("serverStartButton"), Qt::LeftButton);
    QVERIFY(child<QLabel>("serverError")->text().contains(QStringLiteral("not-an-address")));
    QCOMPARE(m_tab->server()->state(), LocalServer::State::Stopped);

    // wss without files is refused before the server is asked.
    combo->setEditText(QStringLiteral("127.0.0.1"));
    QTest::mouseClick(child<QCheckBox>("serverTlsCheck"), Qt::LeftButton);
    QVERIFY(child<QCheckBox>("serverTlsCheck")->isChecked());
    QVERIFY(!m_tab->start());
    QVERIFY(child<QLabel>("serverError")->text().contains(QStringLiteral("wss")));
    // A file that is no certificate gets the server's own message.
    QTemporaryDir dir;
    const QString bogus = dir.filePath(QStringLiteral("bogus.pem"));
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a certificate\n");
    file.close();
    Dialogs::setNextOpenFileName(bogus);
    QTest::mouseClick(child<QPushButton>("serverCertButton"), Qt::LeftButton);
    Dialogs::setNextOpenFileName(bogus);
    QTest::mouseClick(child<QPushButton>("serverKeyButton"), Qt::LeftButton);
    QCOMPARE(m_tab->options().certificateFile, bogus);
    QVERIFY(m_tab->start());
    QTRY_COMPARE(m_tab->server()->state(), LocalServer::State::Error);
    QVERIFY2(child<QLabel>("serverError")->text().contains(QStringLiteral("bogus.pem")),
        qPrintable(child<QLabel>("serverError")->text()));
}

void tst_ServerTab::openClientTabEmitsUrl()
{
    QSignalSpy spy(m_tab.get(), &ServerTab::openClientRequested);
    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QTest::mouseClick(child<QPushButton>("openClientButton"), Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().toUrl(), QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
}

void tst_ServerTab::optionsRoundTrip()
{
    ServerOptions in;
    in.address = QHostAddress(QStringLiteral("::1"));
    in.port = 45678;
    in.behaviour = ServerOptions::Behaviour::BroadcastOthers;
    in.greeting = QStringLiteral("hello {{client}}");
    in.pushIntervalMs = 250;
    in.pushText = QStringLiteral("tick");
    in.subprotocols = { QStringLiteral("v2"), QStringLiteral("v1") };
    in.allowedOrigins = { QStringLiteral("http://a.test"), QStringLiteral("http://b.test") };
    in.maxClients = 7;
    in.maxMessageSize = 65536;
    in.deflate = false;
    in.faults.slowBytesPerSecond = 1000;
    in.faults.ignorePings = true;
    QString error;
    in.rules = ReplyRules::parse(
        R"([{"match": "json", "field": "op", "value": "x", "actions": [{"reply": "y"}]}])", &error);
    m_tab->setOptions(in);
    const ServerOptions out = m_tab->options();
    QCOMPARE(out.address, in.address);
    QCOMPARE(out.port, in.port);
    QCOMPARE(out.behaviour, in.behaviour);
    QCOMPARE(out.greeting, in.greeting);
    QCOMPARE(out.pushIntervalMs, in.pushIntervalMs);
    QCOMPARE(out.pushText, in.pushText);
    QCOMPARE(out.subprotocols, in.subprotocols);
    QCOMPARE(out.allowedOrigins, in.allowedOrigins);
    QCOMPARE(out.maxClients, in.maxClients);
    QCOMPARE(out.maxMessageSize, in.maxMessageSize);
    QCOMPARE(out.deflate, false);
    QCOMPARE(out.faults.slowBytesPerSecond, 1000);
    QVERIFY(out.faults.ignorePings);
    QCOMPARE(out.rules.size(), 1);
    QCOMPARE(out.rules.first().field, QStringLiteral("op"));
    QVERIFY(!out.isSecure());
}

void tst_ServerTab::widgetsAreNamedAndDescribed()
{
    const QStringList problems = guitest::unnamedControls(m_tab.get(),
        { "serverAddressCombo", "serverPortSpin", "serverBehaviourCombo", "serverStartButton",
            "serverStopButton", "serverUrlLabel", "copyServerUrlButton", "clientList", "handshakeView",
            "composerEdit", "sendButton", "sendToAllCheck", "kickButton", "kickCodeSpin", "kickReasonEdit",
            "serverPingButton", "openClientButton", "serverSettingsToggle", "serverTlsCheck",
            "serverCertEdit", "serverCertButton", "serverKeyEdit", "serverKeyButton", "serverGreetingEdit",
            "serverPushIntervalSpin", "serverPushTextEdit", "serverSubprotocolsEdit", "serverOriginsEdit",
            "serverMaxClientsSpin", "serverMaxMessageSizeSpin", "rulesList", "addRuleButton",
            "removeRuleButton", "moveRuleUpButton", "moveRuleDownButton", "loadRulesButton",
            "saveRulesButton", "ruleMatchCombo", "ruleValueEdit", "ruleFieldEdit", "faultDelaySpin",
            "faultJitterSpin", "faultDropSpin", "faultFragmentsSpin", "faultCloseWhenCombo",
            "faultCloseAfterSpin", "faultCloseCodeSpin", "faultCloseReasonEdit", "faultAbortWhenCombo",
            "faultAbortAfterSpin", "faultRefuseCountSpin", "faultRefuseStatusSpin", "faultCorruptCombo",
            "faultCorruptAtSpin", "faultSeedSpin", "faultSpecsEdit", "faultStopReadingWhenCombo",
            "faultStopReadingAfterSpin", "faultSlowSpin", "faultIgnorePingsCheck", "serverDeflateCheck",
            "ruleFaultsEdit" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    QVERIFY(m_tab->findChild<QLabel *>(QStringLiteral("serverError")));
    // Every control can be reached with Tab.
    for (const char *name : { "composerEdit", "clientList", "kickCodeSpin", "serverStartButton" })
        QVERIFY2(child<QWidget>(name)->focusPolicy() & Qt::TabFocus, name);
}

void tst_ServerTab::tabOrderFollowsTheLayout()
{
    // Running, with a client, so that every control is enabled.
    const quint16 port = startViaWidgets();
    QWebSocket *ws = connectClient(port);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(m_tab->clientModel()->rowCount(), 2);
    selectRow(1);
    m_tab->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_tab.get()));
    child<QWidget>("serverStopButton")->setFocus(Qt::TabFocusReason);
    QStringList seen;
    for (int i = 0; i < 60; ++i) {
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        seen << focus->objectName();
        if (focus->objectName() == QLatin1String("sendButton"))
            break;
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    const QStringList expected = { QStringLiteral("serverStopButton"), QStringLiteral("serverSettingsToggle"),
        QStringLiteral("copyServerUrlButton"), QStringLiteral("openClientButton"),
        QStringLiteral("clientList"), QStringLiteral("handshakeView"), QStringLiteral("serverPingButton"),
        QStringLiteral("kickCodeSpin"), QStringLiteral("kickReasonEdit"), QStringLiteral("kickButton"),
        QStringLiteral("historyView"), QStringLiteral("composerEdit"), QStringLiteral("sendToAllCheck"),
        QStringLiteral("sendButton") };
    qsizetype at = 0;
    for (const QString &name : expected) {
        const qsizetype found = seen.indexOf(name, at);
        QVERIFY2(found >= 0,
            qPrintable(name + QLatin1String(" not after ") + seen.mid(0, at).join(u' ')
                + QLatin1String(" in ") + seen.join(u' ')));
        at = found + 1;
    }
}

void tst_ServerTab::faultsEditorDrivesTheServer()
{
    // Close each client with 4002 after two messages, refuse the first handshake with 429.
    auto *closeWhen = child<QComboBox>("faultCloseWhenCombo");
    QVERIFY(!child<QSpinBox>("faultCloseAfterSpin")->isEnabled());
    closeWhen->setCurrentIndex(2); // after messages
    QVERIFY(child<QSpinBox>("faultCloseAfterSpin")->isEnabled());
    child<QSpinBox>("faultCloseAfterSpin")->setValue(2);
    child<QSpinBox>("faultCloseCodeSpin")->setValue(4002);
    QTest::keyClicks(child<QLineEdit>("faultCloseReasonEdit"), QStringLiteral("enough"));
    child<QSpinBox>("faultRefuseCountSpin")->setValue(1);
    child<QSpinBox>("faultRefuseStatusSpin")->setValue(429);
    QCOMPARE(child<QLineEdit>("faultSpecsEdit")->text(),
        QStringLiteral("--fault 'close=4002,after=2,reason=enough' --fault 'refuse=1,status=429'"));
    const FaultPlan plan = m_tab->options().faults;
    QCOMPARE(plan.closeCode, 4002);
    QCOMPARE(plan.closeAfter, (FaultPlan::Trigger { 2, 0 }));
    QCOMPARE(plan.refuseStatus, 429);
    // Saved with the tab and read back.
    QString error;
    auto other = std::make_unique<ServerTab>();
    QVERIFY(other->setSettingsJson(m_tab->settingsJson(), &error));
    QCOMPARE(other->options().faults, plan);
    other.reset();

    const quint16 port = startViaWidgets();
    QVERIFY(port > 0);
    QWebSocket *refused = connectClient(port);
    QTRY_COMPARE(refused->state(), QAbstractSocket::UnconnectedState);
    QWebSocket *ws = connectClient(port);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    ws->sendTextMessage(QStringLiteral("a"));
    ws->sendTextMessage(QStringLiteral("b"));
    QTRY_COMPARE(ws->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(ws->closeCode()), 4002);
    QCOMPARE(ws->closeReason(), QStringLiteral("enough"));
    bool noted = false;
    const MessageStore &store = *m_tab->server()->store();
    for (qint64 i = 0; i < store.count(); ++i)
        noted = noted || store.payload(i) == "Fault: closed with 4002 after 2 messages.";
    QVERIFY(noted);
}

QTEST_MAIN(tst_ServerTab)
#include "tst_ServerTab.moc"
