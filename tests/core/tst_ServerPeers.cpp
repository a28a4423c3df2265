// The local server against real clients of other stacks: python3-websockets, Node's `ws`, and
// headless Chromium loading a page whose script opens a WebSocket.
#include "messages/MessageStore.h"
#include "server/LocalServer.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_ServerPeers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pythonClient();
    void nodeWsClient();
    void chromiumPage();

private:
    static bool start(LocalServer &server, const ServerOptions &options = {});
    static bool storeHas(const LocalServer &server, Direction dir, const QByteArray &payload);
    static QByteArray run(const QString &program, const QStringList &args, int *exitCode,
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
};

bool tst_ServerPeers::start(LocalServer &server, const ServerOptions &options)
{
    server.start(options);
    return QTest::qWaitFor([&server] { return server.state() == LocalServer::State::Listening; }, 5000);
}

bool tst_ServerPeers::storeHas(const LocalServer &server, Direction dir, const QByteArray &payload)
{
    const MessageStore &s = *server.store();
    for (qint64 i = 0; i < s.count(); ++i) {
        if (s.row(i).direction == dir && s.payload(i) == payload)
            return true;
    }
    return false;
}

QByteArray tst_ServerPeers::run(
    const QString &program, const QStringList &args, int *exitCode, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForStarted()) {
        *exitCode = -1;
        return {};
    }
    // Keep the event loop turning: the server's results arrive through it.
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < 30000)
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    const QByteArray err = p.readAllStandardError();
    if (*exitCode != 0)
        qWarning("%s: %s", qPrintable(program), err.constData());
    return p.readAllStandardOutput();
}

void tst_ServerPeers::pythonClient()
{
    LocalServer server;
    QVERIFY(start(server));
    int code = 0;
    const QByteArray out = run(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/py_client.py"), server.url().toString(), QStringLiteral("one"),
            QStringLiteral("\u4e8c") },
        &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, QStringLiteral("one\n\u4e8c\n").toUtf8());
    QTRY_COMPARE(server.clients().size(), 1);
    QVERIFY(server.clients().first().handshakeRequest.contains("X-Peer: python-websockets\r\n"));
    QTRY_VERIFY(!server.clients().first().connected);
    QCOMPARE(server.clients().first().closeCode, 1000);

    // Kicked with 4000: the client of the other stack sees the code and the reason.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WST_CLOSE_WAIT"), QStringLiteral("1"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/py_client.py"), server.url().toString(), QStringLiteral("hi") });
    QTRY_COMPARE(server.clients().size(), 2);
    QTRY_VERIFY(storeHas(server, Direction::In, "hi"));
    QVERIFY(server.kick(server.clients().last().id, 4000, QStringLiteral("kicked by test")));
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 20000);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("hi\nclosed 4000 kicked by test\n"));
}

void tst_ServerPeers::nodeWsClient()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not installed (scripts/setup.sh --tests installs it)");
    QVERIFY2(QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json")),
        "run npm install in tests/peers (scripts/setup.sh --tests does)");
    LocalServer server;
    QVERIFY(start(server));
    int code = 0;
    const QByteArray out = run(node,
        { QStringLiteral(WST_PEERS_DIR "/ws_client.js"), server.url().toString(), QStringLiteral("from node"),
            QStringLiteral("{\"n\":1}") },
        &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, QByteArray("from node\n{\"n\":1}\n"));
    QTRY_COMPARE(server.clients().size(), 1);
    QVERIFY(server.clients().first().handshakeRequest.contains("X-Peer: node-ws\r\n"));
    QTRY_VERIFY(!server.clients().first().connected);
    QCOMPARE(server.clients().first().closeCode, 1000);
}

void tst_ServerPeers::chromiumPage()
{
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    QVERIFY2(!chromium.isEmpty(), "chromium is not installed (scripts/setup.sh --tests installs it)");
    LocalServer server;
    QVERIFY(start(server));
    QTemporaryDir profile;
    QProcess browser;
    browser.start(chromium,
        { QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
            QStringLiteral("--disable-quic"), QStringLiteral("--no-first-run"),
            QStringLiteral("--disable-background-networking"), QStringLiteral("--disable-component-update"),
            QStringLiteral("--disable-sync"), QStringLiteral("--user-data-dir=") + profile.path(),
            QUrl::fromLocalFile(QStringLiteral(WST_PEERS_DIR "/chromium_page.html")).toString()
                + QStringLiteral("?port=") + QString::number(server.url().port()) });
    QVERIFY(browser.waitForStarted());
    // The page sends a greeting, gets the echo and reports it back.
    QTRY_VERIFY_WITH_TIMEOUT(storeHas(server, Direction::In, "echo-ok:hello from chromium"), 60000);
    QVERIFY(storeHas(server, Direction::In, "hello from chromium"));
    QTRY_VERIFY(!server.clients().isEmpty());
    const QByteArray handshake = server.clients().first().handshakeRequest;
    QVERIFY2(handshake.startsWith("GET /from-browser HTTP/1.1\r\n"), handshake.constData());
    QVERIFY2(handshake.contains("User-Agent: Mozilla/5.0"), handshake.constData());
    QVERIFY2(handshake.contains("Sec-WebSocket-Extensions: permessage-deflate"), handshake.constData());
    browser.kill();
    browser.waitForFinished();
}

QTEST_GUILESS_MAIN(tst_ServerPeers)
#include "tst_ServerPeers.moc"
