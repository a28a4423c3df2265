// The wire controls of a real client tab, driven through its widgets: the raw frame view, the TLS
// options (CA, client certificate, a key of another certificate), the upstream proxy and the
// auto-reconnect countdown, the compression counters. Every peer runs on 127.0.0.1.
#include "../TestCerts.h"
#include "../core/NodePeer.h"
#include "ClientTab.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "RequestOptionsWidget.h"
#include "connection/WireCounters.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "settings/AppSettings.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWebSocket>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;

namespace {

// One frame row of the frames view, as the user reads it.
struct FrameRow
{
    QString direction;
    QString opcode;
    QString fin;
    QString mask;
    QString length;
    QString bytes;
};

// The echo server of the tests, which also pings its client when asked to ("ping me") and answers
// "fragments" in frames of 4 bytes.
class EchoServer : public guitest::EchoServer
{
public:
    explicit EchoServer(QWebSocketServer::SslMode mode = QWebSocketServer::NonSecureMode)
        : guitest::EchoServer(mode)
    {
        onText = [](QWebSocket *s, const QString &text) {
            if (text == QLatin1String("ping me")) {
                s->ping("srv");
                return true;
            }
            if (text == QLatin1String("fragments")) {
                // The answer in frames of 4 bytes: text, continuation, continuation (FIN).
                s->setOutgoingFrameSize(4);
                s->sendTextMessage(QStringLiteral("abcdefghij"));
                s->setOutgoingFrameSize(QWebSocket::maxOutgoingFrameSize());
                return true;
            }
            return false;
        };
    }
};

} // namespace

class tst_ClientTabWire : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void framesRecordedBothWays();
    void tlsWithCustomCa();
    void tlsKeyOfAnotherCertificateRefusedInline();
    void mutualTls();
    void throughAProxy();
    void reconnectCountdownAndCancel();
    void compressionCounters();
    void controlsAreNamedAndDescribed();

private:
    template <typename T> T *child(const char *name) const { return guitest::child<T>(m_tab.get(), name); }
    QString stateText() const { return child<QLabel>("stateLabel")->text(); }
    // Types the URL and clicks Connect (the outcome is for the caller to wait for).
    void clickConnect(const QString &url);
    void openRequestPage(const QString &objectName);
    void pickFile(const char *button, const QString &path);
    QList<FrameRow> frameRows() const;
    int countNotes(const QByteArray &prefix) const;

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    std::unique_ptr<ClientTab> m_tab;
};

void tst_ClientTabWire::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = guitest::installSettings(this, m_dir);
}

void tst_ClientTabWire::init()
{
    Dialogs::clearNextAnswers();
    // As MainWindow::newClientTab makes it, here as a window of its own.
    m_tab = std::make_unique<ClientTab>();
    m_tab->resize(1200, 800);
    m_tab->show();
    QApplication::setActiveWindow(m_tab.get());
    QVERIFY(QTest::qWaitForWindowActive(m_tab.get()));
}

void tst_ClientTabWire::cleanup()
{
    m_tab.reset();
}

void tst_ClientTabWire::clickConnect(const QString &url)
{
    auto *combo = child<QComboBox>("urlCombo");
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), url);
    QTest::mouseClick(child<QPushButton>("connectButton"), Qt::LeftButton);
}

void tst_ClientTabWire::openRequestPage(const QString &objectName)
{
    auto *toggle = child<QToolButton>("requestToggle");
    if (!toggle->isChecked())
        QTest::mouseClick(toggle, Qt::LeftButton);
    auto *pages = child<QTabWidget>("requestPages");
    QWidget *page = pages->findChild<QWidget *>(objectName);
    QVERIFY(page);
    QTest::mouseClick(
        pages->tabBar(), Qt::LeftButton, {}, pages->tabBar()->tabRect(pages->indexOf(page)).center());
    QCOMPARE(pages->currentWidget(), page);
    QVERIFY(page->isVisible());
}

void tst_ClientTabWire::pickFile(const char *button, const QString &path)
{
    Dialogs::setNextOpenFileName(path);
    QTest::mouseClick(child<QPushButton>(button), Qt::LeftButton);
}

QList<FrameRow> tst_ClientTabWire::frameRows() const
{
    const QAbstractItemModel *model = child<QTableView>("framesView")->model();
    QList<FrameRow> rows;
    const auto text = [model](int row, int column) { return model->index(row, column).data().toString(); };
    for (int r = 0; r < model->rowCount(); ++r) {
        // Columns: #, time, dir, opcode, FIN, RSV, mask key, length, first bytes.
        rows.append({ text(r, 2), text(r, 3), text(r, 4), text(r, 6), text(r, 7), text(r, 8) });
    }
    return rows;
}

int tst_ClientTabWire::countNotes(const QByteArray &prefix) const
{
    const MessageStore &s = *m_tab->connection()->store();
    int n = 0;
    for (qint64 i = 0; i < s.count(); ++i)
        n += s.row(i).kind == Kind::Info && s.payload(i).startsWith(prefix);
    return n;
}

void tst_ClientTabWire::framesRecordedBothWays()
{
    EchoServer server;
    QVERIFY(server.listen());
    auto *record = child<QCheckBox>("recordFramesCheck");
    QVERIFY(!record->isChecked());
    QVERIFY(!m_tab->connection()->recordsFrames());

    clickConnect(server.url());
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Open")), 10000);

    // Off by default: a message crosses and no frame is listed.
    auto *edit = child<QPlainTextEdit>("composerEdit");
    QTest::keyClicks(edit, QStringLiteral("unseen"));
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_COMPARE(m_tab->connection()->store()->counters().messagesIn, 1);
    QTest::qWait(100); // two publishing periods of the frame model
    QVERIFY(frameRows().isEmpty());

    // The Frames tab, then Record frames from the keyboard.
    auto *bar = child<QTabBar>("clientViewsTabBar");
    QCOMPARE(bar->tabText(2), QStringLiteral("Frames"));
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(2).center());
    QVERIFY(child<QTableView>("framesView")->isVisible());
    const QString hint = child<QLabel>("framesHint")->text();
    QVERIFY(hint.contains(QStringLiteral("both ways")));
    QVERIFY(hint.contains(QStringLiteral("ping, pong and close frames QWebSocket answers by itself")));
    QVERIFY(hint.contains(QStringLiteral("fragment")));
    record->setFocus();
    QTest::keyClick(record, Qt::Key_Space);
    QVERIFY(record->isChecked());
    QVERIFY(m_tab->connection()->recordsFrames());

    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("hello"));
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    const QString hello = QStringLiteral("68 65 6c 6c 6f");
    const QString out = MessageLogModel::directionArrow(Direction::Out);
    const QString in = MessageLogModel::directionArrow(Direction::In);
    const auto find = [this](const QString &dir, const QString &opcode, const QString &bytes) {
        const QList<FrameRow> rows = frameRows();
        for (int i = 0; i < rows.size(); ++i) {
            if (rows[i].direction == dir && rows[i].opcode.endsWith(opcode) && rows[i].bytes == bytes)
                return i;
        }
        return -1;
    };
    QTRY_VERIFY(find(out, QStringLiteral("text"), hello) >= 0);
    QTRY_VERIFY(find(in, QStringLiteral("text"), hello) >= 0);
    const QRegularExpression maskKey(QStringLiteral("^[0-9a-f]{8}$"));
    {
        const QList<FrameRow> rows = frameRows();
        const FrameRow sent = rows[find(out, QStringLiteral("text"), hello)];
        QVERIFY2(maskKey.match(sent.mask).hasMatch(), qPrintable(sent.mask)); // a client masks
        QCOMPARE(sent.opcode, QStringLiteral("0x1 text"));
        QCOMPARE(sent.fin, QStringLiteral("1"));
        QCOMPARE(sent.length, QStringLiteral("5"));
        const FrameRow echoed = rows[find(in, QStringLiteral("text"), hello)];
        QCOMPARE(echoed.mask, QStringLiteral("none")); // a server does not
        QCOMPARE(echoed.length, QStringLiteral("5"));
    }

    // The server's ping and the pong QWebSocket answers by itself, unseen by the app otherwise.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("ping me"));
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    const QString srv = QStringLiteral("73 72 76");
    QTRY_VERIFY(find(in, QStringLiteral("ping"), srv) >= 0);
    QTRY_VERIFY(find(out, QStringLiteral("pong"), srv) >= 0);
    {
        const QList<FrameRow> rows = frameRows();
        QVERIFY(find(in, QStringLiteral("ping"), srv) < find(out, QStringLiteral("pong"), srv));
        QCOMPARE(rows[find(in, QStringLiteral("ping"), srv)].opcode, QStringLiteral("0x9 ping"));
        QVERIFY(maskKey.match(rows[find(out, QStringLiteral("pong"), srv)].mask).hasMatch());
    }

    // A fragmented message shows each of its frames, FIN on the last only.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("fragments"));
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_VERIFY(find(in, QStringLiteral("continuation"), QStringLiteral("69 6a")) >= 0);
    {
        const QList<FrameRow> rows = frameRows();
        const int first = find(in, QStringLiteral("text"), QStringLiteral("61 62 63 64"));
        QVERIFY(first >= 0);
        QCOMPARE(rows[first].fin, QStringLiteral("0"));
        const int middle = find(in, QStringLiteral("continuation"), QStringLiteral("65 66 67 68"));
        QVERIFY(middle > first);
        QCOMPARE(rows[middle].opcode, QStringLiteral("0x0 continuation"));
        QCOMPARE(rows[middle].fin, QStringLiteral("0"));
        const int last = find(in, QStringLiteral("continuation"), QStringLiteral("69 6a"));
        QVERIFY(last > middle);
        QCOMPARE(rows[last].fin, QStringLiteral("1"));
        QCOMPARE(rows[last].length, QStringLiteral("2"));
    }

    // Clear empties the view; recording goes on.
    QTest::mouseClick(child<QPushButton>("clearFramesButton"), Qt::LeftButton);
    QCOMPARE(frameRows().size(), 0);
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("again"));
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_VERIFY(find(in, QStringLiteral("text"), QStringLiteral("61 67 61 69 6e")) >= 0);
}

void tst_ClientTabWire::tlsWithCustomCa()
{
    TestCerts certs;
    QVERIFY(certs.make());
    EchoServer server(QWebSocketServer::SecureMode);
    server->setSslConfiguration(certs.serverConfiguration("server.pem", "server.key"));
    QVERIFY(server.listen());

    // The system CAs do not know this CA: the certificate banner, and no connection.
    clickConnect(server.url("wss", "localhost"));
    QTRY_VERIFY_WITH_TIMEOUT(child<QFrame>("sslBanner")->isVisible(), 10000);
    QCOMPARE(m_tab->state(), State::Error);
    QVERIFY(child<QLabel>("sslErrorsLabel")->text().contains(QStringLiteral("certificate")));

    // The CA file, picked through the dialog seam: trusted, open.
    openRequestPage(QStringLiteral("tlsOptions"));
    pickFile("caFileButton", certs.path("ca.pem"));
    QCOMPARE(child<QLineEdit>("caFileEdit")->text(), certs.path("ca.pem"));
    QVERIFY(child<QLabel>("tlsError")->isHidden());
    QVERIFY(m_tab->requestOptions()->summary().contains(QStringLiteral("ca.pem")));
    QTest::mouseClick(child<QPushButton>("connectButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Open")), 10000);
    QVERIFY(child<QFrame>("sslBanner")->isHidden());

    // A CA file that is not there is said inline, and nothing is attempted.
    QTest::mouseClick(child<QPushButton>("connectButton"), Qt::LeftButton); // disconnect
    QTRY_COMPARE(m_tab->state(), State::Closed);
    auto *ca = child<QLineEdit>("caFileEdit");
    ca->clear();
    QTest::keyClicks(ca, m_dir.filePath(QStringLiteral("missing.pem")));
    const int before = server.connections;
    QVERIFY(!m_tab->connectToServer());
    QVERIFY(child<QLabel>("tlsError")->isVisible());
    QVERIFY(child<QLabel>("tlsError")->text().contains(QStringLiteral("missing.pem")));
    QCOMPARE(m_tab->state(), State::Closed);
    QCOMPARE(server.connections, before);
}

void tst_ClientTabWire::tlsKeyOfAnotherCertificateRefusedInline()
{
    TestCerts certs;
    QVERIFY(certs.make());
    EchoServer server(QWebSocketServer::SecureMode);
    server->setSslConfiguration(certs.serverConfiguration("server.pem", "server.key"));
    QVERIFY(server.listen());

    openRequestPage(QStringLiteral("tlsOptions"));
    pickFile("caFileButton", certs.path("ca.pem"));
    pickFile("clientCertButton", certs.path("client.pem"));
    // Half a pair is not blamed while it is being filled.
    QVERIFY(child<QLabel>("tlsError")->isHidden());
    pickFile("clientKeyButton", certs.path("server.key")); // the server's key, not the client's
    auto *error = child<QLabel>("tlsError");
    QVERIFY(error->isVisible()); // said as soon as the pair is complete
    QVERIFY2(error->text().contains(QStringLiteral("does not belong")), qPrintable(error->text()));

    // Connecting says it again, next to the field, and nothing reaches the server.
    child<QPushButton>("clientKeyButton")->setFocus();
    clickConnect(server.url("wss", "localhost"));
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("does not belong")));
    QVERIFY(child<QLineEdit>("clientKeyEdit")
                ->accessibleDescription()
                .contains(QStringLiteral("does not belong")));
    QVERIFY(child<QTabWidget>("requestPages")->currentWidget() == child<QWidget>("tlsOptions"));
    QCOMPARE(child<QToolButton>("requestToggle")->text(), QStringLiteral("Request options (problem)"));
    QTest::qWait(200);
    QCOMPARE(m_tab->state(), State::Idle);
    QCOMPARE(server.connections, 0);
    QVERIFY(m_tab->connection()->handshake().request.isEmpty());

    // A PKCS#12 file carries its key: the key field is not asked for.
    auto *cert = child<QLineEdit>("clientCertEdit");
    cert->setText(m_dir.filePath(QStringLiteral("client.p12")));
    QVERIFY(!child<QLineEdit>("clientKeyEdit")->isEnabled());
    QVERIFY(!child<QPushButton>("clientKeyButton")->isEnabled());
    QVERIFY(error->isHidden()); // the message about the old pair went with it
    cert->setText(certs.path("client.pem"));
    QVERIFY(child<QLineEdit>("clientKeyEdit")->isEnabled());
    QCOMPARE(child<QLineEdit>("clientKeyPassphraseEdit")->echoMode(), QLineEdit::Password);
}

void tst_ClientTabWire::mutualTls()
{
    TestCerts certs;
    QVERIFY(certs.make());
    QSslConfiguration tls = certs.serverConfiguration("server.pem", "server.key");
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls.setCaCertificates(QSslCertificate::fromData(certs.read("ca.pem")));
    EchoServer server(QWebSocketServer::SecureMode);
    server->setSslConfiguration(tls);
    QVERIFY(server.listen());

    openRequestPage(QStringLiteral("tlsOptions"));
    pickFile("caFileButton", certs.path("ca.pem"));
    pickFile("clientCertButton", certs.path("client.pem"));
    pickFile("clientKeyButton", certs.path("client.key"));
    QVERIFY(child<QLabel>("tlsError")->isHidden());
    auto *minimum = child<QComboBox>("tlsMinCombo");
    minimum->setCurrentIndex(minimum->findData(int(QSsl::TlsV1_2OrLater)));
    QVERIFY(m_tab->requestOptions()->options().minimumTlsVersion == QSsl::TlsV1_2OrLater);

    clickConnect(server.url("wss", "localhost"));
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Open")), 10000);
    QTRY_COMPARE(server.connections, 1);
    QCOMPARE(server.peerSubjects.value(0), QStringLiteral("wstester client"));
}

void tst_ClientTabWire::throughAProxy()
{
    EchoServer server;
    QVERIFY(server.listen());
    openRequestPage(QStringLiteral("networkOptionsPage"));
    auto *proxyEdit = child<QLineEdit>("proxyEdit");
    auto *proxyError = child<QLabel>("proxyError");

    // Malformed: said inline as typed, and Connect refuses.
    QTest::keyClicks(proxyEdit, QStringLiteral("ftp://127.0.0.1:21"));
    QVERIFY(proxyError->isVisible());
    QVERIFY(proxyError->text().contains(QStringLiteral("socks5://")));
    QVERIFY(!child<QPushButton>("connectButton")->isEnabled());
    child<QComboBox>("urlCombo")->setEditText(server.url());
    QVERIFY(!m_tab->connectToServer());
    QCOMPARE(m_tab->state(), State::Idle);

    QProcess proxy;
    proxy.start(QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/connect_proxy.py") });
    QVERIFY(proxy.waitForStarted());
    // The whole first line: with PYTHONUNBUFFERED, the port and its newline may come apart.
    while (!proxy.canReadLine())
        QVERIFY(proxy.waitForReadyRead(10000));
    const int proxyPort = proxy.readLine().trimmed().toInt();
    QVERIFY(proxyPort > 0);
    proxyEdit->clear();
    QTest::keyClicks(proxyEdit, QStringLiteral("http://127.0.0.1:%1").arg(proxyPort));
    QVERIFY(proxyError->isHidden());
    QVERIFY(child<QPushButton>("connectButton")->isEnabled());
    QVERIFY(m_tab->requestOptions()->summary().contains(QStringLiteral("proxy 127.0.0.1:%1").arg(proxyPort)));

    clickConnect(server.url());
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Open")), 10000);
    QByteArray said;
    const QByteArray expected = QStringLiteral("CONNECT 127.0.0.1:%1").arg(server->serverPort()).toUtf8();
    QTRY_COMPARE((said += proxy.readAll()).trimmed(), expected);
    QCOMPARE(server.connections, 1);
    proxy.kill();
    proxy.waitForFinished();
}

void tst_ClientTabWire::compressionCounters()
{
    // python websockets compresses by default.
    wst::test::PythonPeer peer;
    QVERIFY(peer.start(QStringLiteral("deflate_server.py")));
    const int port = peer.port();
    QVERIFY(port > 0);
    auto *counters = child<QLabel>("countersLabel");
    clickConnect(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Open")), 10000);
    // Agreed, nothing sent yet: both ways at zero.
    m_tab->historyPane()->updateCounters();
    QVERIFY2(counters->text().contains(QStringLiteral("\u2193 0 bytes msgs / 0 bytes wire")),
        qPrintable(counters->text()));

    // 100 kB of compressible text each way: the composer sends it, the server echoes it.
    QByteArray line = "wstester compresses this line well. ";
    const QString big = QString::fromUtf8(line.repeated(100000 / line.size() + 1).left(100000));
    auto *editor = child<QPlainTextEdit>("composerEdit");
    editor->setPlainText(big);
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_tab->connection()->store()->counters().messagesIn, 1, 15000);
    const WireCounters::Totals t = m_tab->connection()->wireCounters()->totals();
    QCOMPARE(t.messageOut, quint64(100000));
    QCOMPARE(t.messageIn, quint64(100000));
    QVERIFY(t.wireOut > 0 && t.wireOut * 10 < t.messageOut);
    QVERIFY(t.wireIn > 0 && t.wireIn * 10 < t.messageIn);

    // The footer and the status bar's text say the same numbers.
    m_tab->historyPane()->updateCounters();
    const QRegularExpression way(
        QStringLiteral("([\u2193\u2191]) (.+?) msgs / (.+?) wire \\(([\\d.,]+) %\\)"));
    QList<QRegularExpressionMatch> ways;
    for (auto it = way.globalMatch(counters->text()); it.hasNext();)
        ways.append(it.next());
    QCOMPARE(ways.size(), 2);
    const QLocale locale;
    QCOMPARE(ways.at(0).captured(1), QStringLiteral("\u2193"));
    QCOMPARE(ways.at(0).captured(2), locale.formattedDataSize(qint64(t.messageIn), 1));
    QCOMPARE(ways.at(0).captured(3), locale.formattedDataSize(qint64(t.wireIn), 1));
    QVERIFY(
        qAbs(locale.toDouble(ways.at(0).captured(4)) - double(t.wireIn) * 100 / double(t.messageIn)) < 0.51);
    QCOMPARE(ways.at(1).captured(1), QStringLiteral("\u2191"));
    QCOMPARE(ways.at(1).captured(3), locale.formattedDataSize(qint64(t.wireOut), 1));
    QVERIFY(locale.toDouble(ways.at(1).captured(4)) < 10);
    QCOMPARE(m_tab->countersText(), counters->text());

    // Clear starts them again from zero, like the message counters.
    QTest::mouseClick(child<QToolButton>("clearHistoryButton"), Qt::LeftButton);
    QVERIFY2(counters->text().contains(QStringLiteral("\u2193 0 bytes msgs / 0 bytes wire")),
        qPrintable(counters->text()));
    m_tab->disconnectFromServer();
    QTRY_COMPARE(m_tab->state(), State::Closed);
}

void tst_ClientTabWire::reconnectCountdownAndCancel()
{
    EchoServer server;
    QVERIFY(server.listen());
    openRequestPage(QStringLiteral("networkOptionsPage"));
    auto *autoReconnect = child<QCheckBox>("autoReconnectCheck");
    QVERIFY(!autoReconnect->isChecked());
    auto *initial = child<QDoubleSpinBox>("reconnectInitialSpin");
    QVERIFY(!initial->isEnabled());
    autoReconnect->setFocus();
    QTest::keyClick(autoReconnect, Qt::Key_Space);
    QVERIFY(autoReconnect->isChecked());
    QVERIFY(initial->isEnabled());
    initial->setValue(3.0);

    clickConnect(server.url());
    QTRY_VERIFY_WITH_TIMEOUT(stateText().startsWith(QStringLiteral("Open")), 10000);
    QCOMPARE(m_tab->connection()->options().reconnectInitialMs, 3000);

    // The server goes away and drops its client.
    server->close();
    QTRY_COMPARE(server.sockets.size(), 1);
    server.sockets.first()->abort();

    auto *countdown = child<QLabel>("reconnectCountdown");
    auto *cancel = child<QPushButton>("cancelReconnectButton");
    QTRY_VERIFY_WITH_TIMEOUT(countdown->isVisible(), 5000);
    QVERIFY(cancel->isVisible());
    QVERIFY2(countdown->text().contains(QStringLiteral("attempt 1")), qPrintable(countdown->text()));
    QVERIFY2(
        countdown->text().startsWith(QStringLiteral("Reconnecting in 3 s")), qPrintable(countdown->text()));
    // A live countdown, read from the status once a second.
    QTRY_VERIFY_WITH_TIMEOUT(
        countdown->text().startsWith(QStringLiteral("Reconnecting in 2 s (attempt 1)")), 2500);
    QCOMPARE(countNotes("Reconnect attempt"), 0);

    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(countdown->isHidden());
    QVERIFY(cancel->isHidden());
    QTRY_COMPARE(m_tab->connection()->status().reconnectAtMs, 0);
    QTRY_COMPARE(countNotes("Automatic reconnect cancelled"), 1);
    // Past the moment the first attempt was due: none was made.
    QTest::qWait(2500);
    QCOMPARE(countNotes("Reconnect attempt"), 0);
    QVERIFY(countdown->isHidden());
}

void tst_ClientTabWire::controlsAreNamedAndDescribed()
{
    const auto names = { "recordFramesCheck", "framesView", "clearFramesButton", "caFileEdit", "caFileButton",
        "clientCertEdit", "clientCertButton", "clientKeyEdit", "clientKeyButton", "clientKeyPassphraseEdit",
        "tlsMinCombo", "proxyEdit", "autoReconnectCheck", "reconnectInitialSpin", "reconnectMaxSpin",
        "reconnectCountdown", "cancelReconnectButton", "requestPages" };
    const QStringList problems = guitest::unnamedControls(m_tab.get(), names, guitest::Focus::TabFocus);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    QVERIFY(child<QLabel>("tlsError"));
    QVERIFY(child<QLabel>("proxyError"));

    // The TLS page is walked with Tab in reading order.
    openRequestPage(QStringLiteral("tlsOptions"));
    child<QLineEdit>("caFileEdit")->setFocus();
    QStringList walk;
    for (int i = 0; i < 8; ++i) {
        walk << QApplication::focusWidget()->objectName();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    }
    QCOMPARE(walk,
        QStringList({ QStringLiteral("caFileEdit"), QStringLiteral("caFileButton"),
            QStringLiteral("clientCertEdit"), QStringLiteral("clientCertButton"),
            QStringLiteral("clientKeyEdit"), QStringLiteral("clientKeyButton"),
            QStringLiteral("clientKeyPassphraseEdit"), QStringLiteral("tlsMinCombo") }));
}

QTEST_MAIN(tst_ClientTabWire)
#include "tst_ClientTabWire.moc"
