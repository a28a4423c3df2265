// The handshake inspector of the client tab, driven through the tab's widgets against a real
// server of another stack (python3-websockets, tests/peers/handshake_server.py), and on its own
// with handcrafted records.
#include "ClientTab.h"
#include "HandshakeInspector.h"
#include "HistoryPane.h"
#include "RequestOptionsWidget.h"
#include "Theme.h"
#include "settings/AppSettings.h"

#include "../TestCerts.h"
#include "GuiTestSupport.h"
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QToolButton>

#include <QtTest>

using namespace wst;
using guitest::child;
using State = ClientConnection::State;

class tst_HandshakeInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void emptyBeforeAnyAttempt();
    void exactExchangeOnSuccess();
    void refusals_data();
    void refusals();
    void unreachableServerShowsUpstreamError();
    void copyAsText();
    void shortcutTogglesWithHistory();
    void invalidAcceptAndDeflate();
    void tlsDetailsAndTimings();
    void everyControlIsNamedAndDescribed();

private:
    QString url(const QString &path) const
    {
        return QStringLiteral("ws://127.0.0.1:%1%2").arg(m_port).arg(path);
    }
    // Types the URL and clicks Connect; then waits for the state.
    void startConnecting(const QString &url);
    QStringList lines(const char *viewName);

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    QProcess m_peer;
    int m_port = 0;
    std::unique_ptr<ClientTab> m_tab;
};

void tst_HandshakeInspector::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = guitest::installSettings(this, m_dir);

    m_peer.start(
        QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/handshake_server.py") });
    QVERIFY(m_peer.waitForStarted());
    QVERIFY2(m_peer.waitForReadyRead(10000), m_peer.readAllStandardError().constData());
    m_port = m_peer.readLine().trimmed().toInt();
    QVERIFY(m_port > 0);
}

void tst_HandshakeInspector::cleanupTestCase()
{
    m_peer.kill();
    m_peer.waitForFinished();
}

void tst_HandshakeInspector::init()
{
    m_tab = std::make_unique<ClientTab>();
    m_tab->resize(1200, 800);
    m_tab->show();
    QApplication::setActiveWindow(m_tab.get());
    QVERIFY(QTest::qWaitForWindowActive(m_tab.get()));
}

void tst_HandshakeInspector::cleanup()
{
    m_tab.reset();
}

void tst_HandshakeInspector::startConnecting(const QString &url)
{
    auto *combo = child<QComboBox>(m_tab.get(), "urlCombo");
    QVERIFY(combo);
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), url);
    QTest::mouseClick(child<QPushButton>(m_tab.get(), "connectButton"), Qt::LeftButton);
}

QStringList tst_HandshakeInspector::lines(const char *viewName)
{
    auto *view = child<QTextEdit>(m_tab.get(), viewName);
    return view ? view->toPlainText().split(QLatin1Char('\n')) : QStringList();
}

void tst_HandshakeInspector::emptyBeforeAnyAttempt()
{
    auto *inspector = child<HandshakeInspector>(m_tab.get(), "handshakeInspector");
    QVERIFY(inspector);
    QVERIFY(child<QTextEdit>(m_tab.get(), "handshakeRequestView")->toPlainText().isEmpty());
    QVERIFY(!child<QTextEdit>(m_tab.get(), "handshakeRequestView")->placeholderText().isEmpty());
    QVERIFY(!child<QPushButton>(m_tab.get(), "copyHandshakeButton")->isEnabled());
    QCOMPARE(child<QLabel>(m_tab.get(), "handshakeTimings")->text(),
        QStringLiteral("TCP connect \u2014 \u00b7 TLS handshake \u2014 \u00b7 WebSocket handshake \u2014"));
    QVERIFY(child<QPushButton>(m_tab.get(), "showResponseButton")->isHidden());
}

void tst_HandshakeInspector::exactExchangeOnSuccess()
{
    // A custom header typed into the request options, through the table's editor.
    QTest::mouseClick(child<QToolButton>(m_tab.get(), "requestToggle"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(m_tab.get(), "addHeaderButton"), Qt::LeftButton);
    auto *table = child<QTableWidget>(m_tab.get(), "headersTable");
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("X-Api-Key"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(table->item(0, 0)->text(), QStringLiteral("X-Api-Key")); // the delegate commits queued
    table->editItem(table->item(0, 1));
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("k1"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(table->item(0, 1)->text(), QStringLiteral("k1"));
    QCOMPARE(m_tab->requestOptions()->options().headers.size(), 1);

    startConnecting(url(QStringLiteral("/ok")));
    QTRY_VERIFY_WITH_TIMEOUT(m_tab->state() == State::Open, 10000);
    auto *acceptLabel = child<QLabel>(m_tab.get(), "acceptCheckLabel");
    QTRY_VERIFY(acceptLabel->text().contains(QStringLiteral("valid")));

    // The request as sent: the request line, Host first, the custom header after Qt's own.
    const QStringList request = lines("handshakeRequestView");
    QCOMPARE(request.value(0), QStringLiteral("GET /ok HTTP/1.1"));
    QCOMPARE(request.value(1), QStringLiteral("Host: 127.0.0.1:%1").arg(m_port));
    QVERIFY2(request.contains(QStringLiteral("X-Api-Key: k1")), qPrintable(request.join(u'|')));
    QVERIFY(request.indexOf(QStringLiteral("X-Api-Key: k1"))
        > request.indexOf(QStringLiteral("Sec-WebSocket-Version: 13")));
    QVERIFY(!request.join(u'\n').contains(QStringLiteral("X-Wstester-Tag")));

    // The response as received: two Set-Cookie lines, in order, and the custom header.
    const QStringList response = lines("handshakeResponseView");
    QCOMPARE(response.value(0), QStringLiteral("HTTP/1.1 101 Switching Protocols"));
    const qsizetype a = response.indexOf(QStringLiteral("Set-Cookie: a=1; Path=/"));
    const qsizetype b = response.indexOf(QStringLiteral("Set-Cookie: b=2; HttpOnly"));
    QVERIFY2(a > 0 && b == a + 1, qPrintable(response.join(u'|')));
    QVERIFY(response.contains(QStringLiteral("X-Custom: hello")));
    // Header names are bold, values are not.
    auto *view = child<QTextEdit>(m_tab.get(), "handshakeResponseView");
    QTextCursor cursor = view->document()->find(QStringLiteral("X-Custom"));
    QVERIFY(!cursor.isNull());
    QCOMPARE(cursor.charFormat().fontWeight(), int(QFont::Bold));
    cursor = view->document()->find(QStringLiteral("hello"));
    QVERIFY(cursor.charFormat().fontWeight() != int(QFont::Bold));

    QVERIFY(acceptLabel->text().startsWith(QStringLiteral("\u2713 valid")));
    QVERIFY(!acceptLabel->text().contains(QStringLiteral("invalid")));
    QCOMPARE(acceptLabel->palette().color(QPalette::WindowText), theme::colour(theme::Role::SuccessText));
    QCOMPARE(child<QLabel>(m_tab.get(), "subprotocolLabel")->text(), QStringLiteral("none"));
    // The relay offered permessage-deflate (as browsers do); websockets 10.4 agrees to 12-bit
    // windows by default.
    QCOMPARE(child<QLabel>(m_tab.get(), "deflateNote")->text(),
        QStringLiteral("permessage-deflate: server window 12 bits, client window 12 bits"));
    const QString timings = child<QLabel>(m_tab.get(), "handshakeTimings")->text();
    static const QRegularExpression shown(
        QStringLiteral("^TCP connect \\d+\\.\\d{1,2} ms \u00b7 TLS handshake \u2014 \u00b7 WebSocket "
                       "handshake \\d+\\.\\d{1,2} ms$"));
    QVERIFY2(shown.match(timings).hasMatch(), qPrintable(timings));
    QVERIFY(child<QWidget>(m_tab.get(), "tlsBox")->isHidden());
    QVERIFY(child<QPushButton>(m_tab.get(), "showResponseButton")->isHidden());
    auto *views = child<QTabWidget>(m_tab.get(), "clientViews");
    QCOMPARE(views->tabText(views->indexOf(m_tab->handshakeInspector())), QStringLiteral("Handshake"));
}

void tst_HandshakeInspector::refusals_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("statusLine");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("body");
    QTest::newRow("401") << QStringLiteral("/401") << QStringLiteral("HTTP/1.1 401 Unauthorized")
                         << QStringLiteral("WWW-Authenticate: Bearer realm=\"test\"")
                         << QStringLiteral("token required");
    QTest::newRow("403") << QStringLiteral("/403") << QStringLiteral("HTTP/1.1 403 Forbidden")
                         << QStringLiteral("X-Reason: nope") << QStringLiteral("forbidden for you");
    QTest::newRow("302") << QStringLiteral("/302") << QStringLiteral("HTTP/1.1 302 Found")
                         << QStringLiteral("Location: /ok") << QString();
    QTest::newRow("500") << QStringLiteral("/500") << QStringLiteral("HTTP/1.1 500 Internal Server Error")
                         << QStringLiteral("Content-Length: 16") << QStringLiteral("something broke");
}

void tst_HandshakeInspector::refusals()
{
    QFETCH(QString, path);
    QFETCH(QString, statusLine);
    QFETCH(QString, line);
    QFETCH(QString, body);
    startConnecting(url(path));
    QTRY_VERIFY_WITH_TIMEOUT(m_tab->state() == State::Error, 10000);

    // The state line says what the server answered, and a button next to it opens the inspector.
    auto *show = child<QPushButton>(m_tab.get(), "showResponseButton");
    QTRY_VERIFY(show->isVisible());
    QCOMPARE(show->text(), QStringLiteral("Show response"));
    QVERIFY(!m_tab->isHandshakeShown());
    QTest::mouseClick(show, Qt::LeftButton);
    QVERIFY(m_tab->isHandshakeShown());
    auto *responseView = child<QTextEdit>(m_tab.get(), "handshakeResponseView");
    QVERIFY(responseView->isVisible());
    QCOMPARE(QApplication::focusWidget(), responseView);

    if (!body.isEmpty())
        QTRY_VERIFY(lines("handshakeResponseView").contains(body));
    const QStringList response = lines("handshakeResponseView");
    QCOMPARE(response.value(0), statusLine);
    QVERIFY2(response.contains(line), qPrintable(response.join(u'|')));
    QVERIFY(lines("handshakeRequestView").value(0).startsWith(QStringLiteral("GET ") + path));
    auto *summary = child<QLabel>(m_tab.get(), "handshakeSummary");
    QVERIFY2(summary->text().contains(statusLine), qPrintable(summary->text()));
    auto *hint = child<QLabel>(m_tab.get(), "handshakeHint");
    QCOMPARE(hint->isVisible(), path == QLatin1String("/401") || path == QLatin1String("/302"));
    // Said in the user's terms: what to do, not which toolkit cannot.
    QVERIFY2(!hint->text().contains(QLatin1String("Qt")), qPrintable(hint->text()));
    if (path == QLatin1String("/401"))
        QVERIFY2(hint->text().contains(QLatin1String("Authorization header")), qPrintable(hint->text()));
    if (path == QLatin1String("/302"))
        QVERIFY2(hint->text().contains(QLatin1String("Location")), qPrintable(hint->text()));
    QVERIFY(child<QLabel>(m_tab.get(), "acceptCheckLabel")->text().startsWith(QStringLiteral("missing")));
    auto *views = child<QTabWidget>(m_tab.get(), "clientViews");
    QCOMPARE(views->tabText(views->indexOf(m_tab->handshakeInspector())),
        QStringLiteral("Handshake (%1)").arg(path.mid(1)));

    // A new attempt forgets the refusal until its own answer arrives.
    startConnecting(url(QStringLiteral("/ok")));
    QTRY_VERIFY_WITH_TIMEOUT(m_tab->state() == State::Open, 10000);
    QVERIFY(show->isHidden());
    QTRY_COMPARE(lines("handshakeResponseView").value(0), QStringLiteral("HTTP/1.1 101 Switching Protocols"));
    QVERIFY(body.isEmpty() || !lines("handshakeResponseView").contains(body));
}

void tst_HandshakeInspector::unreachableServerShowsUpstreamError()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    startConnecting(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QTRY_VERIFY_WITH_TIMEOUT(m_tab->state() == State::Error, 10000);
    auto *error = child<QLabel>(m_tab.get(), "upstreamErrorLabel");
    QTRY_VERIFY(!error->text().isEmpty());
    auto *show = child<QPushButton>(m_tab.get(), "showResponseButton");
    QTRY_VERIFY(show->isVisible());
    QCOMPARE(show->text(), QStringLiteral("Show details"));
    QTest::mouseClick(show, Qt::LeftButton);
    QVERIFY(error->isVisible());
    QVERIFY(child<QTextEdit>(m_tab.get(), "handshakeResponseView")->toPlainText().isEmpty());
    QVERIFY(m_tab->handshakeInspector()->text().contains(QStringLiteral("* Connection failed: ")));
}

void tst_HandshakeInspector::copyAsText()
{
    startConnecting(url(QStringLiteral("/ok")));
    QTRY_VERIFY_WITH_TIMEOUT(m_tab->state() == State::Open, 10000);
    QTRY_VERIFY(m_tab->connection()->handshake().statusCode() == 101);
    QApplication::clipboard()->clear();
    m_tab->showHandshake();
    auto *copy = child<QPushButton>(m_tab.get(), "copyHandshakeButton");
    QVERIFY(copy->isEnabled());
    QTest::mouseClick(copy, Qt::LeftButton);
    const QString text = QApplication::clipboard()->text();
    QVERIFY2(text.contains(QStringLiteral("< Set-Cookie: a=1; Path=/\n< Set-Cookie: b=2; HttpOnly\n")),
        qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("> GET /ok HTTP/1.1\n")));
    QCOMPARE(text, m_tab->connection()->handshake().toText());
    QCOMPARE(copy->text(), QStringLiteral("Copied"));
    QTRY_COMPARE(copy->text(), QStringLiteral("Copy as te&xt"));
}

void tst_HandshakeInspector::shortcutTogglesWithHistory()
{
    auto *views = child<QTabWidget>(m_tab.get(), "clientViews");
    QCOMPARE(views->currentWidget(), m_tab->historyPane());
    QWidget *url = child<QWidget>(m_tab.get(), "urlEdit");
    url->setFocus();
    QTest::keyClick(url, Qt::Key_I, Qt::ControlModifier);
    QVERIFY(m_tab->isHandshakeShown());
    QVERIFY(m_tab->handshakeInspector()->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_I, Qt::ControlModifier);
    QCOMPARE(views->currentWidget(), m_tab->historyPane());
}

void tst_HandshakeInspector::invalidAcceptAndDeflate()
{
    HandshakeRecord r;
    r.target = QStringLiteral("example.test:80");
    r.request = "GET / HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    r.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n"
                 "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
    r.tcpConnectUs = 1234;
    r.handshakeUs = 56789;
    r.extensions = QStringLiteral("permessage-deflate: server window 15 bits, client window 12 bits");
    HandshakeInspector inspector;
    inspector.setRecord(r);
    inspector.show();

    auto *accept = child<QLabel>(&inspector, "acceptCheckLabel");
    QVERIFY2(accept->text().startsWith(QStringLiteral("\u2717 invalid")), qPrintable(accept->text()));
    // The RFC 6455 example: this key expects s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.
    QVERIFY(accept->text().contains(QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")));
    QCOMPARE(accept->palette().color(QPalette::WindowText), theme::colour(theme::Role::ErrorText));
    QCOMPARE(child<QLabel>(&inspector, "extensionsLabel")->text(),
        QStringLiteral("permessage-deflate; client_max_window_bits"));
    auto *note = child<QLabel>(&inspector, "deflateNote");
    QVERIFY(note->isVisible());
    // The relay's agreement with the server (it compresses for the QWebSocket).
    QCOMPARE(note->text(), r.extensions);
    QCOMPARE(child<QLabel>(&inspector, "handshakeTimings")->text(),
        QStringLiteral("TCP connect 1.23 ms \u00b7 TLS handshake \u2014 \u00b7 WebSocket handshake 56.8 ms"));

    // A valid accept for the same key: the note stays (it is about the extension), the check turns.
    r.response.replace("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    inspector.setRecord(r);
    QVERIFY(accept->text().startsWith(QStringLiteral("\u2713 valid")));
    QVERIFY(note->isVisible());

    // No Sec-WebSocket-Accept in a 101 at all.
    r.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    r.extensions.clear();
    inspector.setRecord(r);
    QVERIFY(accept->text().contains(QStringLiteral("missing")));
    QVERIFY(note->isHidden());
    QCOMPARE(child<QLabel>(&inspector, "extensionsLabel")->text(), QStringLiteral("none"));
}

void tst_HandshakeInspector::tlsDetailsAndTimings()
{
    // A self-signed certificate made now, handed to the record as the peer chain.
    TestCerts certs;
    QVERIFY2(certs.makeSelfSigned(), "openssl could not make a certificate");
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certs.read("self.pem"), QSsl::Pem);
    QCOMPARE(chain.size(), 1);

    HandshakeRecord r;
    r.tls = true;
    r.target = QStringLiteral("localhost:443");
    r.request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    r.tlsProtocol = QStringLiteral("TLSv1.3");
    r.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
    r.peerChain = chain;
    r.sslErrors = { QSslError(QSslError::SelfSignedCertificate, chain.first()) };
    r.tcpConnectUs = 250;
    r.tlsHandshakeUs = 12345;
    HandshakeInspector inspector;
    inspector.setRecord(r);
    inspector.show();
    QVERIFY(child<QWidget>(&inspector, "tlsBox")->isVisible());
    const QString tls = child<QTextEdit>(&inspector, "tlsDetails")->toPlainText();
    QVERIFY2(tls.contains(QStringLiteral("Protocol: TLSv1.3")), qPrintable(tls));
    QVERIFY(tls.contains(QStringLiteral("Cipher: TLS_AES_256_GCM_SHA384")));
    QVERIFY(tls.contains(QSslError(QSslError::SelfSignedCertificate).errorString()));
    QVERIFY(tls.contains(QStringLiteral("Verification errors (ignored for this connection):")));
    QVERIFY(tls.contains(QStringLiteral("Certificate 0 (the server's)")));
    QVERIFY(tls.contains(QStringLiteral("subject: localhost")));
    QVERIFY(tls.contains(QStringLiteral("SANs: ")));
    QVERIFY(tls.contains(QStringLiteral("127.0.0.1")));
    QVERIFY(tls.contains(QString::fromLatin1(chain.first().digest(QCryptographicHash::Sha256).toHex(':'))));
    QCOMPARE(child<QLabel>(&inspector, "handshakeTimings")->text(),
        QStringLiteral("TCP connect 0.25 ms \u00b7 TLS handshake 12.3 ms \u00b7 WebSocket handshake \u2014"));
    QVERIFY(child<QLabel>(&inspector, "handshakeSummary")->text().startsWith(QStringLiteral("Waiting")));

    // Verification failed before any HTTP: no chain recorded, the errors still show the certificate.
    r.request.clear();
    r.tlsProtocol.clear();
    r.cipher.clear();
    r.peerChain.clear();
    r.tlsHandshakeUs = -1;
    r.upstreamError = QStringLiteral("The certificate is self-signed, and untrusted");
    inspector.setRecord(r);
    const QString failed = child<QTextEdit>(&inspector, "tlsDetails")->toPlainText();
    QVERIFY2(failed.contains(QStringLiteral("The TLS handshake did not complete.")), qPrintable(failed));
    QVERIFY(failed.contains(QStringLiteral("subject: localhost")));
    QVERIFY(child<QLabel>(&inspector, "handshakeSummary")->text().contains(QStringLiteral("TLS handshake")));
    QVERIFY(child<QLabel>(&inspector, "upstreamErrorLabel")->isVisible());
}

void tst_HandshakeInspector::everyControlIsNamedAndDescribed()
{
    const QStringList problems = guitest::unnamedControls(m_tab.get(),
        { "handshakeInspector", "handshakeSummary", "handshakeHint", "copyHandshakeButton",
            "acceptCheckLabel", "subprotocolLabel", "extensionsLabel", "deflateNote", "handshakeTimings",
            "handshakeRequestView", "handshakeResponseView", "tlsDetails", "upstreamErrorLabel",
            "showResponseButton", "clientViewsTabBar" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    // The request and response views are read-only but selectable, also from the keyboard.
    auto *view = child<QTextEdit>(m_tab.get(), "handshakeResponseView");
    QVERIFY(view->isReadOnly());
    QVERIFY(view->textInteractionFlags() & Qt::TextSelectableByKeyboard);
}

QTEST_MAIN(tst_HandshakeInspector)
#include "tst_HandshakeInspector.moc"
