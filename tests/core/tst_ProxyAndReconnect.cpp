// A client connection chained through an upstream proxy of another stack (a python HTTP CONNECT
// proxy), the minimum TLS version, and automatic reconnect with backoff.
#include "../TestCerts.h"
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"

#include <QProcess>
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
    void minimumTlsVersion();
    void reconnectsWithBackoffAfterALostConnection();
    void reconnectCanBeCancelled();
    void noReconnectAfterTheUsersClose();

private:
    static int startProxy(QProcess &proxy, const QStringList &args = {});
    static void echo(QWebSocketServer &server, QObject *context);
    static int countRows(const ClientConnection &c, const QByteArray &prefix);
};

int tst_ProxyAndReconnect::startProxy(QProcess &proxy, const QStringList &args)
{
    proxy.start(QStringLiteral("/usr/bin/python3"), QStringList { QStringLiteral(WST_PEERS_DIR "/connect_proxy.py") } + args);
    if (!proxy.waitForStarted() || !proxy.waitForReadyRead(10000))
        return 0;
    return proxy.readLine().trimmed().toInt();
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

    QVERIFY(ConnectionOptions::parseProxy(QStringLiteral("ftp://x:1"), &error).type() == QNetworkProxy::NoProxy);
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
    o.proxy = ConnectionOptions::parseProxy(QStringLiteral("http://alice:s3cret@127.0.0.1:%1").arg(proxyPort), &error);
    ClientConnection allowed;
    allowed.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(allowed.state(), State::Open, 10000);
    proxy.kill();
    proxy.waitForFinished();
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
    QVERIFY(c.status().reconnectAtMs > 0);
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
