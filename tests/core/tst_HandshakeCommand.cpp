// `wstester handshake` and the TLS options of `connect`, run as the real binary: against the
// python3-websockets handshake server, and against in-process wss servers whose certificates
// (a CA, a server and a client certificate) are made by openssl at test time.
#include "../TestCerts.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

class tst_HandshakeCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void printsTheExactExchange();
    void refusalIsPrintedWithItsBody();
    void verboseConnectPrintsOnStderr();
    void customCaVerifiesTheServer();
    void clientCertificateForMutualTls();
    void unreadableTlsFilesAreUsageErrors();
    void proxyAndTlsMinimumOptions();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Result run(const QStringList &args);
    bool startTlsServer(QWebSocketServer &server, bool requireClientCertificate);

    QProcess m_peer;
    int m_port = 0;
    TestCerts m_certs;
};

void tst_HandshakeCommand::initTestCase()
{
    QVERIFY2(m_certs.make(), "openssl could not make the test certificates");
    m_peer.start(
        QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/handshake_server.py") });
    QVERIFY(m_peer.waitForStarted() && m_peer.waitForReadyRead(10000));
    m_port = m_peer.readLine().trimmed().toInt();
    QVERIFY(m_port > 0);
}

void tst_HandshakeCommand::cleanupTestCase()
{
    m_peer.kill();
    m_peer.waitForFinished();
}

tst_HandshakeCommand::Result tst_HandshakeCommand::run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), args);
    p.closeWriteChannel();
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < 20000)
        QTest::qWait(10); // in-process servers answer meanwhile
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    return { p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError() };
}

bool tst_HandshakeCommand::startTlsServer(QWebSocketServer &server, bool requireClientCertificate)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(QSslCertificate::fromData(m_certs.read("server.pem")));
    tls.setPrivateKey(QSslKey(m_certs.read("server.key"), QSsl::Rsa));
    if (requireClientCertificate) {
        tls.setCaCertificates(QSslCertificate::fromData(m_certs.read("ca.pem")));
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    server.setSslConfiguration(tls);
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server);
        connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &t) { s->sendTextMessage(t); });
    });
    return server.listen(QHostAddress::LocalHost, 0);
}

void tst_HandshakeCommand::printsTheExactExchange()
{
    const Result r = run({ QStringLiteral("handshake"), QStringLiteral("ws://127.0.0.1:%1/ok").arg(m_port),
        QStringLiteral("-H"), QStringLiteral("X-Trace: 42") });
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(QStringLiteral("> GET /ok HTTP/1.1\n> Host: 127.0.0.1:%1\n").arg(m_port)),
        r.out.constData());
    QVERIFY(out.contains(QStringLiteral("> X-Trace: 42\n")));
    QVERIFY(out.contains(QStringLiteral("< HTTP/1.1 101 Switching Protocols\n")));
    QVERIFY(out.contains(QStringLiteral("< Set-Cookie: a=1; Path=/\n< Set-Cookie: b=2; HttpOnly\n")));
    QVERIFY(out.contains(QStringLiteral("Sec-WebSocket-Accept is valid")));
    QVERIFY(out.contains(QStringLiteral("WebSocket handshake ")));
}

void tst_HandshakeCommand::refusalIsPrintedWithItsBody()
{
    const Result r
        = run({ QStringLiteral("handshake"), QStringLiteral("ws://127.0.0.1:%1/403").arg(m_port) });
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.out.contains("< HTTP/1.1 403 Forbidden\n"), r.out.constData());
    QVERIFY(r.out.contains("< X-Reason: nope\n"));
    QVERIFY(r.out.contains("forbidden for you"));
    QVERIFY2(r.err.contains("403"), r.err.constData());
}

void tst_HandshakeCommand::verboseConnectPrintsOnStderr()
{
    const Result r = run(
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/ok").arg(m_port), QStringLiteral("-v"),
            QStringLiteral("-s"), QStringLiteral("hi"), QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("hi\n"));
    QVERIFY2(r.err.contains("< X-Custom: hello\n"), r.err.constData());
}

void tst_HandshakeCommand::customCaVerifiesTheServer()
{
    QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
    QVERIFY(startTlsServer(server, false));
    const QString url = QStringLiteral("wss://localhost:%1/").arg(server.serverPort());
    // Not trusted by the system CAs: verification fails.
    Result r = run({ QStringLiteral("connect"), url, QStringLiteral("-s"), QStringLiteral("x"),
        QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("issuer certificate") || r.err.contains("self signed")
            || r.err.contains("certificate"),
        r.err.constData());
    // Trusted through --cacert.
    r = run({ QStringLiteral("connect"), url, QStringLiteral("--cacert"), m_certs.path("ca.pem"),
        QStringLiteral("-s"), QStringLiteral("x"), QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("x\n"));
    QVERIFY2(!r.err.contains("certificate errors ignored"), r.err.constData());
    // Or accepted with -k.
    r = run({ QStringLiteral("connect"), url, QStringLiteral("-k"), QStringLiteral("-s"), QStringLiteral("y"),
        QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("y\n"));
    // …and says so once on stderr, naming what was ignored (as the window's status line does).
    QVERIFY2(r.err.startsWith("wstester connect: certificate errors ignored (-k): "), r.err.constData());
    QCOMPARE(r.err.count("certificate errors ignored"), 1);
    QVERIFY2(r.err.contains("self signed") || r.err.contains("self-signed") || r.err.contains("issuer"),
        r.err.constData());
    // The handshake command shows the TLS session and the chain.
    r = run({ QStringLiteral("handshake"), url, QStringLiteral("--cacert"), m_certs.path("ca.pem") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("over TLS") && r.out.contains("* TLS: TLS 1."), r.out.constData());
    QVERIFY(r.out.contains("subject: localhost"));
    QVERIFY(r.out.contains("issuer: wstester test CA"));
    QVERIFY(r.out.contains("TLS handshake "));
}

void tst_HandshakeCommand::clientCertificateForMutualTls()
{
    QWebSocketServer server(QStringLiteral("mtls"), QWebSocketServer::SecureMode);
    QVERIFY(startTlsServer(server, true));
    const QString url = QStringLiteral("wss://localhost:%1/").arg(server.serverPort());
    Result r = run({ QStringLiteral("connect"), url, QStringLiteral("--cacert"), m_certs.path("ca.pem"),
        QStringLiteral("-s"), QStringLiteral("x"), QStringLiteral("-n"), QStringLiteral("1") });
    QVERIFY2(r.exitCode == 3 || r.exitCode == 5, r.err.constData()); // refused without a client certificate
    QVERIFY(r.out.isEmpty());
    r = run({ QStringLiteral("connect"), url, QStringLiteral("--cacert"), m_certs.path("ca.pem"),
        QStringLiteral("--cert"), m_certs.path("client.pem"), QStringLiteral("--key"),
        m_certs.path("client.key"), QStringLiteral("-s"), QStringLiteral("with cert"), QStringLiteral("-n"),
        QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("with cert\n"));
    // The same identity as PKCS#12 behind a passphrase.
    QProcess pkcs12;
    pkcs12.start(QStringLiteral("openssl"),
        { QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-in"),
            m_certs.path("client.pem"), QStringLiteral("-inkey"), m_certs.path("client.key"),
            QStringLiteral("-out"), m_certs.path("client.p12"), QStringLiteral("-passout"),
            QStringLiteral("pass:open sesame") });
    QVERIFY(pkcs12.waitForFinished(30000) && pkcs12.exitCode() == 0);
    r = run({ QStringLiteral("connect"), url, QStringLiteral("--cacert"), m_certs.path("ca.pem"),
        QStringLiteral("--cert"), m_certs.path("client.p12"), QStringLiteral("--key-passphrase"),
        QStringLiteral("open sesame"), QStringLiteral("-s"), QStringLiteral("p12"), QStringLiteral("-n"),
        QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("p12\n"));
    r = run({ QStringLiteral("connect"), url, QStringLiteral("--cert"), m_certs.path("client.p12"),
        QStringLiteral("--key-passphrase"), QStringLiteral("wrong") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the passphrase is wrong"), r.err.constData());
    // One line, ours: Qt's own "qt.tlsbackend.ossl" warning stays out of the user's stderr.
    QVERIFY2(r.err.startsWith("wstester connect: ") && r.err.count('\n') == 1, r.err.constData());
    r = run({ QStringLiteral("connect"), url, QStringLiteral("--cert"), m_certs.path("client.p12") });
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err,
        QByteArray("wstester connect: ") + m_certs.path("client.p12").toUtf8()
            + " is encrypted: give its passphrase.\n");
    // Not PKCS#12 at all, whatever its name says.
    QVERIFY(QFile::copy(m_certs.path("client.pem"), m_certs.path("pem.p12")));
    r = run({ QStringLiteral("connect"), url, QStringLiteral("--cert"), m_certs.path("pem.p12"),
        QStringLiteral("--key-passphrase"), QStringLiteral("open sesame") });
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err,
        QByteArray("wstester connect: ") + m_certs.path("pem.p12").toUtf8() + " is not a PKCS#12 file.\n");
}

void tst_HandshakeCommand::unreadableTlsFilesAreUsageErrors()
{
    Result r = run({ QStringLiteral("connect"), QStringLiteral("wss://localhost:1/"),
        QStringLiteral("--cacert"), QStringLiteral("/nonexistent/ca.pem") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("/nonexistent/ca.pem"), r.err.constData());
    r = run({ QStringLiteral("connect"), QStringLiteral("wss://localhost:1/"), QStringLiteral("--cacert"),
        m_certs.path("server.ext") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("no PEM certificate"));
    r = run({ QStringLiteral("connect"), QStringLiteral("wss://localhost:1/"), QStringLiteral("--cert"),
        m_certs.path("client.pem") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("key"));
    r = run({ QStringLiteral("connect"), QStringLiteral("wss://localhost:1/"), QStringLiteral("--cert"),
        m_certs.path("client.pem"), QStringLiteral("--key"), m_certs.path("client.pem") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("private key"), r.err.constData());
    // A key that belongs to another certificate.
    r = run({ QStringLiteral("connect"), QStringLiteral("wss://localhost:1/"), QStringLiteral("--cert"),
        m_certs.path("client.pem"), QStringLiteral("--key"), m_certs.path("server.key") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("does not belong"), r.err.constData());
}

void tst_HandshakeCommand::proxyAndTlsMinimumOptions()
{
    QProcess proxy;
    proxy.start(QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/connect_proxy.py") });
    QVERIFY(proxy.waitForStarted() && proxy.waitForReadyRead(10000));
    const QByteArray proxyPort = proxy.readLine().trimmed();
    Result r = run({ QStringLiteral("handshake"), QStringLiteral("ws://127.0.0.1:%1/ok").arg(m_port),
        QStringLiteral("--proxy"), QStringLiteral("http://127.0.0.1:") + QString::fromLatin1(proxyPort) });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("< HTTP/1.1 101 Switching Protocols"));
    QByteArray said;
    QTRY_VERIFY((said += proxy.readAll()).contains("CONNECT"));
    const QByteArray expected = QByteArray("CONNECT 127.0.0.1:") + QByteArray::number(m_port);
    QVERIFY2(said.contains(expected), said.constData());
    proxy.kill();
    proxy.waitForFinished();
    r = run({ QStringLiteral("connect"), QStringLiteral("ws://x/"), QStringLiteral("--proxy"),
        QStringLiteral("nonsense") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("not a proxy"), r.err.constData());
    r = run({ QStringLiteral("connect"), QStringLiteral("ws://x/"), QStringLiteral("--tls-min"),
        QStringLiteral("1.1") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("1.2 or 1.3"));
}

QTEST_GUILESS_MAIN(tst_HandshakeCommand)
#include "tst_HandshakeCommand.moc"
