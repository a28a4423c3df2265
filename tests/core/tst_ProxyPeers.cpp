// The proxy with clients of other stacks (node `ws`, headless Chromium through the listening
// address and through its explicit proxy setting), as `wstester proxy` run as a process, listening
// as wss:// with a certificate made by openssl, and passing wss:// through a CONNECT tunnel unread.
#include "../TestCerts.h"
#include "ProxyHarness.h"
#include "server/LocalServer.h"

#include <QStandardPaths>
#include <QTemporaryDir>

using namespace wst;
using namespace proxytest;

class tst_ProxyPeers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nodeClient();
    void chromiumThroughListeningAddress();
    void chromiumThroughExplicitProxy();
    void headlessCommand();
    void wssListening();
    void explicitConnectWithClientConnection();
    void wssThroughConnectPassesBlind();

private:
    static void runChromium(
        QProcess &browser, QTemporaryDir &profile, quint16 pagePort, const QStringList &extra);
};

void tst_ProxyPeers::nodeClient()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not installed (scripts/setup.sh --tests installs it)");
    QVERIFY2(QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json")),
        "run npm install in tests/peers (scripts/setup.sh --tests does)");
    Peer echo(QStringLiteral("deflate_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    QProcess p;
    p.start(node,
        { QStringLiteral(WST_PEERS_DIR "/ws_client.js"), proxy.url().toString(), QStringLiteral("from node"),
            QStringLiteral("{\"n\":1}") });
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 30000);
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("from node\n{\"n\":1}\n"));
    QTRY_VERIFY(!proxy.connections().isEmpty() && !proxy.connections().first().open);
    QVERIFY(proxy.connections().first().downstream.request.contains("X-Peer: node-ws\r\n"));
    QCOMPARE(payloads(*proxy.store(), Direction::Out), (QList<QByteArray> { "from node", "{\"n\":1}" }));
    QCOMPARE(proxy.connections().first().closeCode, 1000);
}

void tst_ProxyPeers::runChromium(
    QProcess &browser, QTemporaryDir &profile, quint16 pagePort, const QStringList &extra)
{
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    QVERIFY2(!chromium.isEmpty(), "chromium is not installed (scripts/setup.sh --tests installs it)");
    browser.start(chromium,
        QStringList { QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
            QStringLiteral("--disable-gpu"), QStringLiteral("--disable-quic"),
            QStringLiteral("--no-first-run"), QStringLiteral("--disable-background-networking"),
            QStringLiteral("--disable-component-update"), QStringLiteral("--disable-sync"),
            QStringLiteral("--user-data-dir=") + profile.path() }
            + extra
            + QStringList {
                QUrl::fromLocalFile(QStringLiteral(WST_PEERS_DIR "/chromium_page.html")).toString()
                + QStringLiteral("?port=") + QString::number(pagePort) });
    QVERIFY(browser.waitForStarted());
}

void tst_ProxyPeers::chromiumThroughListeningAddress()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    QTemporaryDir profile;
    QProcess browser;
    runChromium(browser, profile, quint16(proxy.url().port()), {});
    QTRY_VERIFY_WITH_TIMEOUT(
        findRow(*proxy.store(), Direction::Out, Kind::Text, "echo-ok:hello from chromium") >= 0, 60000);
    QVERIFY(findRow(*proxy.store(), Direction::In, Kind::Text, "hello from chromium") >= 0);
    QTRY_VERIFY(!proxy.connections().isEmpty());
    // Chromium offers permessage-deflate and python websockets accepts it: the flow was compressed.
    QTRY_VERIFY(proxy.connections().first().extensions.contains(QStringLiteral("permessage-deflate")));
    QVERIFY(proxy.connections().first().upstreamRecord.request.startsWith("GET /from-browser HTTP/1.1\r\n"));
    browser.kill();
    browser.waitForFinished();
}

void tst_ProxyPeers::chromiumThroughExplicitProxy()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyOptions options;
    options.mode = ProxyOptions::Mode::Explicit;
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    QCOMPARE(proxy.url().scheme(), QStringLiteral("http"));
    QTemporaryDir profile;
    QProcess browser;
    // The page opens ws://127.0.0.1:<echo>; Chromium sends it through the proxy (a CONNECT
    // tunnel), loopback included.
    runChromium(browser, profile, echo.port(),
        { QStringLiteral("--proxy-server=http://127.0.0.1:%1").arg(proxy.url().port()),
            QStringLiteral("--proxy-bypass-list=<-loopback>") });
    QTRY_VERIFY_WITH_TIMEOUT(
        findRow(*proxy.store(), Direction::Out, Kind::Text, "echo-ok:hello from chromium") >= 0, 60000);
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "CONNECT 127.0.0.1") >= 0);
    // The connection list reaches this thread in a batch after the store's rows: wait for it.
    const auto forwardedToEcho = [&] {
        for (const ProxyServer::ConnectionInfo &c : proxy.connections()) {
            if (c.upstream.port() == echo.port())
                return true;
        }
        return false;
    };
    QTRY_VERIFY(forwardedToEcho());
    browser.kill();
    browser.waitForFinished();
}

void tst_ProxyPeers::headlessCommand()
{
    Peer echo(QStringLiteral("echo_server.py"));
    QTemporaryDir dir;
    QProcess p;
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("0"),
            QStringLiteral("--upstream"), echo.url().toString(), QStringLiteral("--record"),
            dir.filePath(QStringLiteral("p.wstsession")) });
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 20000);
    const QByteArray first = p.readLine().trimmed();
    QVERIFY2(first.startsWith("listening ws://127.0.0.1:"), first.constData());
    const QUrl url(QString::fromUtf8(first.mid(10)));
    ClientConnection client;
    QVERIFY(openThrough(client, url));
    client.sendText(QStringLiteral("through the command"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 1, 20000);
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT(
        (out += p.readAllStandardOutput()).contains("[1] < through the command\n"), 20000);
    QVERIFY2(out.contains("[1] > through the command\n"), out.constData());
    p.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 20000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("p.wstsession"))).size() > 0);
    // A bad upstream is a usage error, one line.
    QProcess bad;
    bad.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("proxy"), QStringLiteral("--upstream"), QStringLiteral("http://x/") });
    QVERIFY(bad.waitForFinished(20000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAllStandardError().contains("ws:// or wss://"));
}

void tst_ProxyPeers::wssListening()
{
    TestCerts certs;
    QVERIFY(certs.make());
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyOptions options = reverseTo(echo.url());
    options.certificateFile = certs.path("server.pem");
    options.keyFile = certs.path("server.key");
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    QCOMPARE(proxy.url().scheme(), QStringLiteral("wss"));
    ClientConnection client;
    ConnectionOptions co;
    co.url = proxy.url();
    co.url.setHost(QStringLiteral("localhost"));
    co.caCertificateFile = certs.path("ca.pem");
    client.open(co);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClientConnection::State::Open, 20000);
    client.sendText(QStringLiteral("secure hello"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 1, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).first(), QByteArray("secure hello"));
    QVERIFY(findRow(*proxy.store(), Direction::Out, Kind::Text, "secure hello") >= 0);
    QTRY_VERIFY(!proxy.connections().isEmpty());
    QVERIFY(proxy.connections().first().downstream.tls);
}

void tst_ProxyPeers::explicitConnectWithClientConnection()
{
    Peer echo(QStringLiteral("deflate_server.py"));
    ProxyOptions options;
    options.mode = ProxyOptions::Mode::Explicit;
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    ConnectionOptions co;
    co.url = echo.url(QStringLiteral("/tunnel"));
    QString error;
    co.proxy = ConnectionOptions::parseProxy(
        QStringLiteral("http://127.0.0.1:%1").arg(proxy.url().port()), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    client.open(co);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClientConnection::State::Open, 20000);
    client.sendText(QStringLiteral("tunnelled"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 1, 20000);
    QVERIFY(findRow(*proxy.store(), Direction::In, Kind::Text, "tunnelled") >= 0);
    QTRY_VERIFY(!proxy.connections().isEmpty());
    QTRY_COMPARE(proxy.connections().first().upstream.path(), QStringLiteral("/tunnel"));
}

void tst_ProxyPeers::wssThroughConnectPassesBlind()
{
    TestCerts certs;
    QVERIFY(certs.make());
    LocalServer server;
    ServerOptions so;
    so.certificateFile = certs.path("server.pem");
    so.keyFile = certs.path("server.key");
    server.start(so);
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalServer::State::Listening, 10000);
    ProxyOptions options;
    options.mode = ProxyOptions::Mode::Explicit;
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    ConnectionOptions co;
    co.url = QUrl(QStringLiteral("wss://localhost:%1/").arg(server.url().port()));
    co.caCertificateFile = certs.path("ca.pem");
    QString error;
    co.proxy = ConnectionOptions::parseProxy(
        QStringLiteral("http://127.0.0.1:%1").arg(proxy.url().port()), &error);
    client.open(co);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClientConnection::State::Open, 20000);
    client.sendText(QStringLiteral("unseen"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 1, 20000);
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "cannot be decrypted") >= 0);
    QCOMPARE(findRow(*proxy.store(), Direction::Out, Kind::Text, "unseen"), -1);
}

QTEST_MAIN(tst_ProxyPeers)
#include "tst_ProxyPeers.moc"
