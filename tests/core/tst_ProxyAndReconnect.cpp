// A client connection chained through an upstream proxy of another stack (a python HTTP CONNECT
// proxy and a python SOCKS5 proxy), the minimum TLS version, and automatic reconnect with backoff.
#include "../TestCerts.h"
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"

#include <QProcess>
#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;

class tst_ProxyAndReconnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void throughAnHttpProxy();
    void proxyWithCredentials();
    void throughASocks5Proxy_data();
    void throughASocks5Proxy();
    void socks5WithCredentials();
    void wssThroughASocks5Proxy();
    void socks5Failures();
    void headlessConnectThroughSocks5();
    void minimumTlsVersion();
    void reconnectsWithBackoffAfterALostConnection();
    void reconnectCanBeCancelled();
    void noReconnectAfterTheUsersClose();

    void cleanup();

private:
    static int startProxy(QProcess &proxy, const QStringList &args = {});
    static int readPort(QProcess &peer);
    // Starts a python peer of tests/peers, killed in cleanup(); returns the port it printed (0
    // when it did not start).
    int startPeer(const QString &script, const QStringList &args, QProcess **process = nullptr);
    // The SOCKS5 proxy (tests/peers/socks5_proxy.py).
    int startSocks5(const QStringList &args = {});
    // What the SOCKS5 proxy has printed so far (its CONNECT lines), after its port.
    QByteArray socksSaid();
    static QByteArray history(const ClientConnection &c);
    static void echo(QWebSocketServer &server, QObject *context);
    static int countRows(const ClientConnection &c, const QByteArray &prefix);

    QList<QProcess *> m_peers;
    QProcess *m_socks = nullptr;
    QByteArray m_socksSaid;
};

void tst_ProxyAndReconnect::cleanup()
{
    for (QProcess *peer : std::as_const(m_peers)) {
        peer->kill();
        peer->waitForFinished();
    }
    qDeleteAll(std::exchange(m_peers, {}));
    m_socks = nullptr;
    m_socksSaid.clear();
}

int tst_ProxyAndReconnect::startPeer(const QString &script, const QStringList &args, QProcess **process)
{
    auto *peer = new QProcess;
    m_peers.append(peer);
    if (process)
        *process = peer;
    peer->start(QStringLiteral("/usr/bin/python3"),
        QStringList { QStringLiteral(WST_PEERS_DIR "/") + script } + args);
    return readPort(*peer);
}

int tst_ProxyAndReconnect::startSocks5(const QStringList &args)
{
    return startPeer(QStringLiteral("socks5_proxy.py"), args, &m_socks);
}

QByteArray tst_ProxyAndReconnect::socksSaid()
{
    if (m_socks)
        m_socksSaid += m_socks->readAllStandardOutput();
    return m_socksSaid;
}

QByteArray tst_ProxyAndReconnect::history(const ClientConnection &c)
{
    QByteArray all;
    const MessageStore &s = *c.store();
    for (qint64 i = 0; i < s.count(); ++i)
        all += s.payload(i) + '\n';
    return all;
}

int tst_ProxyAndReconnect::startProxy(QProcess &proxy, const QStringList &args)
{
    proxy.start(QStringLiteral("/usr/bin/python3"),
        QStringList { QStringLiteral(WST_PEERS_DIR "/connect_proxy.py") } + args);
    return readPort(proxy);
}

int tst_ProxyAndReconnect::readPort(QProcess &peer)
{
    // The whole first line: with PYTHONUNBUFFERED set, print() writes the port and its newline
    // separately, and a newline left behind would pass for the end of a CONNECT line.
    if (!peer.waitForStarted())
        return 0;
    while (!peer.canReadLine()) {
        if (!peer.waitForReadyRead(10000))
            return 0;
    }
    return peer.readLine().trimmed().toInt();
}

void tst_ProxyAndReconnect::echo(QWebSocketServer &server, QObject *context)
{
    QObject::connect(&server, &QWebSocketServer::newConnection, context, [&server] {
        while (QWebSocket *s = server.nextPendingConnection()) {
            s->setParent(&server);
            QObject::connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &t) {
                if (t == QLatin1String("drop"))
                    s->abort();
                else
                    s->sendTextMessage(t);
            });
        }
    });
}

int tst_ProxyAndReconnect::countRows(const ClientConnection &c, const QByteArray &prefix)
{
    int n = 0;
    const MessageStore &s = *c.store();
    for (qint64 i = 0; i < s.count(); ++i)
        n += s.row(i).kind == Kind::Info && s.payload(i).startsWith(prefix);
    return n;
}

void tst_ProxyAndReconnect::throughAnHttpProxy()
{
    QProcess proxy;
    const int proxyPort = startProxy(proxy);
    QVERIFY(proxyPort > 0);
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    echo(server, this);
    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/via-proxy").arg(server.serverPort()));
    QString error;
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("http://127.0.0.1:%1").arg(proxyPort), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    c.sendText(QStringLiteral("hello through the chain"));
    QTRY_COMPARE(c.store()->counters().messagesIn, 1);
    // The proxy really carried it, and the handshake is the one for the target.
    QByteArray said;
    QTRY_VERIFY((said += proxy.readAll()).contains('\n'));
    QCOMPARE(said.trimmed(), QStringLiteral("CONNECT 127.0.0.1:%1").arg(server.serverPort()).toUtf8());
    QCOMPARE(c.handshake().requestLine(), QByteArray("GET /via-proxy HTTP/1.1"));
    proxy.kill();
    proxy.waitForFinished();

    QVERIFY(
        ConnectionOptions::parseProxy(QStringLiteral("ftp://x:1"), &error).type() == QNetworkProxy::NoProxy);
    QVERIFY(error.contains(QStringLiteral("socks5://")));
    QCOMPARE(ConnectionOptions::parseProxy(QStringLiteral("socks5://u:p@127.0.0.1:1080"), &error).type(),
        QNetworkProxy::Socks5Proxy);
}

void tst_ProxyAndReconnect::proxyWithCredentials()
{
    QProcess proxy;
    const int proxyPort = startProxy(proxy, { QStringLiteral("alice:s3cret") });
    QVERIFY(proxyPort > 0);
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    echo(server, this);
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    QString error;
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("http://127.0.0.1:%1").arg(proxyPort), &error);
    ClientConnection refused;
    refused.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(refused.state(), State::Error, 10000);
    const QString proxyAt = QStringLiteral("HTTP proxy 127.0.0.1:%1").arg(proxyPort);
    QVERIFY2(refused.status().errorString.contains(proxyAt)
            && refused.status().errorString.contains(QLatin1String("requires authentication")),
        qPrintable(refused.status().errorString));
    o.proxy = ConnectionOptions::parseProxy(
        QStringLiteral("http://alice:wrong@127.0.0.1:%1").arg(proxyPort), &error);
    ClientConnection wrong;
    wrong.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(wrong.state(), State::Error, 10000);
    QVERIFY2(wrong.status().errorString.contains(proxyAt)
            && wrong.status().errorString.contains(QLatin1String("rejected the user name or password")),
        qPrintable(wrong.status().errorString));
    o.proxy = ConnectionOptions::parseProxy(
        QStringLiteral("http://alice:s3cret@127.0.0.1:%1").arg(proxyPort), &error);
    ClientConnection allowed;
    allowed.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(allowed.state(), State::Open, 10000);
    proxy.kill();
    proxy.waitForFinished();
}

void tst_ProxyAndReconnect::throughASocks5Proxy_data()
{
    // Qt sends an IP literal as an address (IPv4 or IPv6 type) and a name as a domain name, which
    // the proxy resolves: all three forms of RFC 1928's address.
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("urlHost");
    QTest::addColumn<QString>("proxyTarget");
    QTest::newRow("ipv4") << QStringLiteral("127.0.0.1") << QStringLiteral("127.0.0.1")
                          << QStringLiteral("127.0.0.1");
    QTest::newRow("domain name") << QStringLiteral("127.0.0.1") << QStringLiteral("localhost")
                                 << QStringLiteral("localhost");
    QTest::newRow("ipv6") << QStringLiteral("::1") << QStringLiteral("[::1]") << QStringLiteral("[::1]");
}

void tst_ProxyAndReconnect::throughASocks5Proxy()
{
    QFETCH(QString, host);
    QFETCH(QString, urlHost);
    QFETCH(QString, proxyTarget);
    const int proxyPort = startSocks5();
    QVERIFY(proxyPort > 0);
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    if (!server.listen(QHostAddress(host), 0))
        QSKIP(qPrintable(QStringLiteral("cannot listen on %1: %2").arg(host, server.errorString())));
    echo(server, this);
    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://%1:%2/via-socks").arg(urlHost).arg(server.serverPort()));
    QString error;
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("socks5://127.0.0.1:%1").arg(proxyPort), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000);
    c.sendText(QStringLiteral("hello through socks"));
    QTRY_COMPARE(c.store()->counters().messagesIn, 1);
    QVERIFY(history(c).contains("hello through socks\nhello through socks\n"));
    // The proxy really carried it, for the target in the form the URL named it.
    QTRY_VERIFY(socksSaid().contains('\n'));
    QCOMPARE(socksSaid().trimmed(),
        QStringLiteral("CONNECT %1:%2").arg(proxyTarget).arg(server.serverPort()).toUtf8());
    QCOMPARE(c.handshake().requestLine(), QByteArray("GET /via-socks HTTP/1.1"));
    QVERIFY(c.close(1000));
    QTRY_COMPARE(c.state(), State::Closed);
}

void tst_ProxyAndReconnect::socks5WithCredentials()
{
    const int proxyPort = startSocks5({ QStringLiteral("alice:s3cret") });
    QVERIFY(proxyPort > 0);
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    echo(server, this);
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    const QString proxyAt = QStringLiteral("127.0.0.1:%1").arg(proxyPort);
    QString error;

    // No credentials: the proxy accepts none of the methods offered. Wrong ones: RFC 1929 failure
    // status. Either way the message names the proxy and says what to do about it.
    const QList<QPair<QString, QString>> cases {
        { QString(), QStringLiteral("requires authentication: give its user name and password") },
        { QStringLiteral("alice:wrong@"), QStringLiteral("rejected the user name or password") },
    };
    for (const auto &[userInfo, words] : cases) {
        o.proxy
            = ConnectionOptions::parseProxy(QStringLiteral("socks5://%1%2").arg(userInfo, proxyAt), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        ClientConnection refused;
        refused.open(o);
        QTRY_COMPARE_WITH_TIMEOUT(refused.state(), State::Error, 10000);
        const QString message = refused.status().errorString;
        QVERIFY2(message.startsWith(QStringLiteral("The SOCKS5 proxy %1 ").arg(proxyAt))
                && message.contains(words),
            qPrintable(message));
        QVERIFY2(history(refused).contains(message.toUtf8()), history(refused).constData());
    }
    QVERIFY2(socksSaid().isEmpty(), socksSaid().constData()); // nothing was tunnelled

    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("socks5://alice:s3cret@%1").arg(proxyAt), &error);
    ClientConnection allowed;
    allowed.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(allowed.state(), State::Open, 10000);
    allowed.sendText(QStringLiteral("authenticated"));
    QTRY_COMPARE(allowed.store()->counters().messagesIn, 1);
    QTRY_VERIFY(socksSaid().contains('\n'));
    QCOMPARE(socksSaid().trimmed(), QStringLiteral("CONNECT 127.0.0.1:%1").arg(server.serverPort()).toUtf8());
}

void tst_ProxyAndReconnect::wssThroughASocks5Proxy()
{
    TestCerts certs;
    QVERIFY(certs.make());
    QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
    server.setSslConfiguration(certs.serverConfiguration("server.pem", "server.key"));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    echo(server, this);
    const int proxyPort = startSocks5();
    QVERIFY(proxyPort > 0);
    ConnectionOptions o;
    // Verified for real (the test CA, the name localhost): TLS runs end to end through the tunnel.
    o.url = QUrl(QStringLiteral("wss://localhost:%1/secure").arg(server.serverPort()));
    o.caCertificateFile = certs.path("ca.pem");
    QString error;
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("socks5://127.0.0.1:%1").arg(proxyPort), &error);
    ClientConnection c;
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000);
    QVERIFY(!c.handshake().tlsProtocol.isEmpty());
    QVERIFY(c.handshake().sslErrors.isEmpty());
    QCOMPARE(c.handshake().peerChain.value(0).subjectInfo(QSslCertificate::CommonName),
        QStringList { QStringLiteral("localhost") });
    c.sendText(QStringLiteral("secret hello"));
    QTRY_COMPARE(c.store()->counters().messagesIn, 1);
    QTRY_VERIFY(socksSaid().contains('\n'));
    QCOMPARE(socksSaid().trimmed(), QStringLiteral("CONNECT localhost:%1").arg(server.serverPort()).toUtf8());
    QCOMPARE(c.handshake().requestLine(), QByteArray("GET /secure HTTP/1.1"));
}

void tst_ProxyAndReconnect::socks5Failures()
{
    // A port with nothing behind it.
    quint16 closedPort = 0;
    {
        QTcpServer s;
        QVERIFY(s.listen(QHostAddress::LocalHost, 0));
        closedPort = s.serverPort();
    }
    ConnectionOptions o;
    QString error;
    const int proxyPort = startSocks5();
    QVERIFY(proxyPort > 0);
    const QString proxyAt = QStringLiteral("127.0.0.1:%1").arg(proxyPort);
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("socks5://%1").arg(proxyAt), &error);

    // The proxy is up, the target refuses it: reply code 0x05.
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(closedPort));
    ClientConnection refused;
    refused.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(refused.state(), State::Error, 10000);
    QCOMPARE(refused.status().errorKind, ClientConnection::ErrorKind::Refused);
    QCOMPARE(refused.status().errorString,
        QStringLiteral("The SOCKS5 proxy %1 could not connect to 127.0.0.1:%2: Connection refused")
            .arg(proxyAt)
            .arg(closedPort));
    QVERIFY(history(refused).contains(refused.status().errorString.toUtf8()));

    // The proxy itself is not there.
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(proxyPort));
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("socks5://127.0.0.1:%1").arg(closedPort), &error);
    ClientConnection noProxy;
    noProxy.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(noProxy.state(), State::Error, 10000);
    QCOMPARE(noProxy.status().errorKind, ClientConnection::ErrorKind::Network);
    QCOMPARE(noProxy.status().errorString,
        QStringLiteral("Cannot use the SOCKS5 proxy 127.0.0.1:%1: Connection to proxy refused")
            .arg(closedPort));
    QVERIFY2(socksSaid().isEmpty(), socksSaid().constData());
}

void tst_ProxyAndReconnect::headlessConnectThroughSocks5()
{
    const int peerPort = startPeer(QStringLiteral("echo_server.py"), {});
    QVERIFY(peerPort > 0);
    const int proxyPort = startSocks5({ QStringLiteral("bob:pa55") });
    QVERIFY(proxyPort > 0);
    QProcess cli;
    cli.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://localhost:%1/").arg(peerPort),
            QStringLiteral("--proxy"), QStringLiteral("socks5://bob:pa55@127.0.0.1:%1").arg(proxyPort),
            QStringLiteral("-n"), QStringLiteral("1") });
    QVERIFY(cli.waitForStarted());
    cli.write("a line through socks\n");
    cli.closeWriteChannel();
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.readAllStandardOutput(), QByteArray("a line through socks\n"));
    QTRY_VERIFY(socksSaid().contains('\n'));
    QCOMPARE(socksSaid().trimmed(), QStringLiteral("CONNECT localhost:%1").arg(peerPort).toUtf8());

    // Wrong credentials: a failure exit and the reason on stderr.
    cli.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://localhost:%1/").arg(peerPort),
            QStringLiteral("--proxy"), QStringLiteral("socks5://bob:nope@127.0.0.1:%1").arg(proxyPort) });
    QVERIFY(cli.waitForStarted());
    cli.closeWriteChannel();
    QVERIFY(cli.waitForFinished(20000));
    QVERIFY(cli.exitCode() != 0);
    const QByteArray err = cli.readAllStandardError();
    QVERIFY2(err.contains("SOCKS5 proxy") && err.contains("authentication"), err.constData());
}

void tst_ProxyAndReconnect::minimumTlsVersion()
{
    TestCerts certs;
    QVERIFY(certs.makeSelfSigned());
    QSslConfiguration tls = certs.serverConfiguration("self.pem", "self.key");
    tls.setProtocol(QSsl::TlsV1_2); // this server speaks TLS 1.2 only
    QWebSocketServer server(QStringLiteral("tls12"), QWebSocketServer::SecureMode);
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    echo(server, this);
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("wss://localhost:%1/").arg(server.serverPort()));
    o.ignoreAllSslErrors = true;
    ClientConnection ok;
    ok.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(ok.state(), State::Open, 10000);
    QTRY_COMPARE(ok.handshake().tlsProtocol, QStringLiteral("TLS 1.2"));
    o.minimumTlsVersion = QSsl::TlsV1_3OrLater;
    ClientConnection strict;
    strict.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(strict.state(), State::Error, 10000);
    QCOMPARE(strict.status().errorKind, ClientConnection::ErrorKind::Tls);
}

void tst_ProxyAndReconnect::reconnectsWithBackoffAfterALostConnection()
{
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();
    echo(server, this);
    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    o.autoReconnect = true;
    o.reconnectInitialMs = 100;
    o.reconnectMaxMs = 400;
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    // The server goes away: the connection drops and every attempt fails (refused) while it is down.
    server.close();
    c.sendText(QStringLiteral("drop"));
    QTRY_COMPARE(c.state(), State::Error);
    QTRY_VERIFY_WITH_TIMEOUT(countRows(c, "Reconnect attempt") >= 3, 5000);
    // (During an attempt the status is Connecting, with no countdown: wait for the next one.)
    QTRY_VERIFY(c.status().reconnectAtMs > 0);
    // The delays double up to the cap: 100, 200, 400, 400 ms.
    QVERIFY(countRows(c, "Reconnecting in 0.1 s") == 1);
    QVERIFY(countRows(c, "Reconnecting in 0.2 s") == 1);
    QTRY_VERIFY(countRows(c, "Reconnecting in 0.4 s") >= 1);
    // Back up on the same port: the next attempt connects and the series ends.
    QVERIFY(server.listen(QHostAddress::LocalHost, port));
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 5000);
    QCOMPARE(c.status().reconnectAtMs, 0);
    c.sendText(QStringLiteral("back"));
    QTRY_VERIFY(c.store()->counters().messagesIn >= 1);
}

void tst_ProxyAndReconnect::reconnectCanBeCancelled()
{
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();
    server.close();
    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    o.autoReconnect = true;
    o.reconnectInitialMs = 300;
    c.open(o);
    QTRY_VERIFY(c.status().reconnectAtMs > 0);
    c.cancelReconnect();
    QTRY_COMPARE(c.status().reconnectAtMs, 0);
    const int attempts = countRows(c, "Reconnect attempt");
    QTest::qWait(700);
    QCOMPARE(countRows(c, "Reconnect attempt"), attempts);
    QCOMPARE(countRows(c, "Automatic reconnect cancelled"), 1);
}

void tst_ProxyAndReconnect::noReconnectAfterTheUsersClose()
{
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    echo(server, this);
    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    o.autoReconnect = true;
    o.reconnectInitialMs = 50;
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    QVERIFY(c.close(1000));
    QTRY_COMPARE(c.state(), State::Closed);
    QTest::qWait(300);
    QCOMPARE(c.state(), State::Closed);
    QCOMPARE(countRows(c, "Reconnect attempt"), 0);
}

QTEST_GUILESS_MAIN(tst_ProxyAndReconnect)
#include "tst_ProxyAndReconnect.moc"
