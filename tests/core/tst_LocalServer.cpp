#include "messages/MessageStore.h"
#include "server/LocalServer.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtTest>

#include <sys/resource.h>

using namespace wst;

class tst_LocalServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void echoTextAndBinary();
    void broadcastToAllAndToOthers();
    void rulesByEachMatchKind();
    void ruleDelayAndClose();
    void rulesFileErrors();
    void greetingAndPeriodicPush();
    void kickWithCodeAndReason();
    void subprotocolChoice();
    void originAllowList();
    void maxClients();
    void exactHandshakeBytesWithDuplicateHeaders();
    void listenFailureIsReported();
    void stopClosesClientsWith1001();
    void thousandConcurrentClients();

private:
    static bool start(LocalServer &server, ServerOptions options = {});
    static QWebSocket *client(const LocalServer &server, QObject *parent, const QString &origin = {},
                              const QStringList &protocols = {});
};

void tst_LocalServer::initTestCase()
{
    // 1,000 clients and their server sides need 2,000 descriptors and more.
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

bool tst_LocalServer::start(LocalServer &server, ServerOptions options)
{
    server.start(options);
    return QTest::qWaitFor([&server] { return server.state() != LocalServer::State::Stopped; }, 5000)
        && server.state() == LocalServer::State::Listening;
}

QWebSocket *tst_LocalServer::client(const LocalServer &server, QObject *parent, const QString &origin,
                                    const QStringList &protocols)
{
    auto *ws = new QWebSocket(origin, QWebSocketProtocol::VersionLatest, parent);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(protocols);
    ws->open(QNetworkRequest(server.url()), options);
    return ws;
}

void tst_LocalServer::echoTextAndBinary()
{
    LocalServer server;
    QVERIFY(start(server));
    QCOMPARE(server.url().host(), QStringLiteral("127.0.0.1"));
    QObject owner;
    QWebSocket *ws = client(server, &owner);
    QSignalSpy texts(ws, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(ws, &QWebSocket::binaryMessageReceived);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    ws->sendTextMessage(QStringLiteral("hello \u4e16\u754c"));
    ws->sendBinaryMessage(QByteArray("\x00\xff", 2));
    QTRY_COMPARE(texts.count(), 1);
    QCOMPARE(texts.first().first().toString(), QStringLiteral("hello \u4e16\u754c"));
    QTRY_COMPARE(binaries.count(), 1);
    QCOMPARE(binaries.first().first().toByteArray(), QByteArray("\x00\xff", 2));
    QTRY_COMPARE(server.clients().size(), 1);
    QTRY_COMPARE(server.clients().first().messagesIn, 2);
    QCOMPARE(server.clients().first().messagesOut, 2);
    QCOMPARE(server.clients().first().peerPort, ws->localPort());
    // The history holds the client's rows under its id.
    const MessageStore &store = *server.store();
    int mine = 0;
    for (qint64 i = 0; i < store.count(); ++i)
        mine += store.row(i).connectionId == server.clients().first().id;
    QCOMPARE(mine, 5); // open, in text, out text, in binary, out binary
}

void tst_LocalServer::broadcastToAllAndToOthers()
{
    for (const auto behaviour : { ServerOptions::Behaviour::Broadcast, ServerOptions::Behaviour::BroadcastOthers }) {
        LocalServer server;
        ServerOptions options;
        options.behaviour = behaviour;
        QVERIFY(start(server, options));
        QObject owner;
        QList<QWebSocket *> clients;
        QList<QSignalSpy *> spies;
        for (int i = 0; i < 3; ++i) {
            clients.append(client(server, &owner));
            spies.append(new QSignalSpy(clients.last(), &QWebSocket::textMessageReceived));
        }
        for (QWebSocket *c : clients)
            QTRY_COMPARE(c->state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE(server.clients().size(), 3);
        clients.first()->sendTextMessage(QStringLiteral("news"));
        QTRY_COMPARE(spies.at(1)->count(), 1);
        QTRY_COMPARE(spies.at(2)->count(), 1);
        QTest::qWait(100);
        QCOMPARE(spies.at(0)->count(), behaviour == ServerOptions::Behaviour::Broadcast ? 1 : 0);
        qDeleteAll(spies);
    }
}

void tst_LocalServer::rulesByEachMatchKind()
{
    QString error;
    const QList<ReplyRule> rules = ReplyRules::parse(R"({"rules": [
        {"match": "exact", "value": "ping", "actions": [{"reply": "pong to {{client}}"}]},
        {"match": "json", "field": "op", "value": "sub", "actions": [{"reply": "subscribed: {{message}}"}]},
        {"match": "json", "field": "data.items.1", "value": "42", "actions": [{"reply": "second item is 42"}]},
        {"match": "regex", "value": "^order-(\\d+)$", "actions": [{"reply": "got an order"}]},
        {"match": "contains", "value": "help", "actions": [{"reply": "no help here"}]}
    ]})", &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rules.size(), 5);
    LocalServer server;
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Rules;
    options.rules = rules;
    QVERIFY(start(server, options));
    QObject owner;
    QWebSocket *ws = client(server, &owner);
    QSignalSpy texts(ws, &QWebSocket::textMessageReceived);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    const QList<std::pair<QString, QString>> cases = {
        { QStringLiteral("ping"), QStringLiteral("pong to 1") },
        { QStringLiteral("{\"op\":\"sub\",\"ch\":\"x\"}"), QStringLiteral("subscribed: {\"op\":\"sub\",\"ch\":\"x\"}") },
        { QStringLiteral("{\"data\":{\"items\":[1,42]}}"), QStringLiteral("second item is 42") },
        { QStringLiteral("order-17"), QStringLiteral("got an order") },
        { QStringLiteral("can you help me"), QStringLiteral("no help here") },
    };
    for (const auto &[message, reply] : cases) {
        texts.clear();
        ws->sendTextMessage(message);
        QTRY_COMPARE(texts.count(), 1);
        QCOMPARE(texts.first().first().toString(), reply);
    }
    // No rule matches: no answer ("ping " is not exactly "ping"; "order-x" is not digits).
    texts.clear();
    ws->sendTextMessage(QStringLiteral("ping "));
    ws->sendTextMessage(QStringLiteral("order-x"));
    ws->sendTextMessage(QStringLiteral("{\"op\":\"unsub\"}"));
    QTest::qWait(200);
    QCOMPARE(texts.count(), 0);
}

void tst_LocalServer::ruleDelayAndClose()
{
    QString error;
    LocalServer server;
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Rules;
    options.rules = ReplyRules::parse(R"([{"match": "exact", "value": "bye", "actions": [
        {"reply": "wait"}, {"delay": 300}, {"reply": "going"}, {"close": 4002, "reason": "asked to"}]}])",
                                      &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(start(server, options));
    QObject owner;
    QWebSocket *ws = client(server, &owner);
    QSignalSpy texts(ws, &QWebSocket::textMessageReceived);
    QSignalSpy closed(ws, &QWebSocket::disconnected);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QElapsedTimer t;
    t.start();
    ws->sendTextMessage(QStringLiteral("bye"));
    QTRY_COMPARE(texts.count(), 1);
    QVERIFY(t.elapsed() < 250);
    QTRY_COMPARE(texts.count(), 2);
    QVERIFY(t.elapsed() >= 290);
    QCOMPARE(texts.at(1).first().toString(), QStringLiteral("going"));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(int(ws->closeCode()), 4002);
    QCOMPARE(ws->closeReason(), QStringLiteral("asked to"));
}

void tst_LocalServer::rulesFileErrors()
{
    QString error;
    ReplyRules::parse("{not json", &error);
    QVERIFY(error.contains(QStringLiteral("not valid JSON")));
    ReplyRules::parse(R"({"rules": []})", &error);
    QVERIFY(error.contains(QStringLiteral("no rules")));
    ReplyRules::parse(R"([{"match": "fuzzy", "value": "x", "actions": [{"reply": "y"}]}])", &error);
    QVERIFY2(error.contains(QStringLiteral("Rule 1")) && error.contains(QStringLiteral("exact")), qPrintable(error));
    ReplyRules::parse(R"([{"match": "regex", "value": "(", "actions": [{"reply": "y"}]}])", &error);
    QVERIFY(error.contains(QStringLiteral("regular expression")));
    ReplyRules::parse(R"([{"match": "json", "value": "x", "actions": [{"reply": "y"}]}])", &error);
    QVERIFY(error.contains(QStringLiteral("field")));
    ReplyRules::parse(R"([{"match": "exact", "value": "x", "actions": [{"close": 1005}]}])", &error);
    QVERIFY2(error.contains(QStringLiteral("1005")), qPrintable(error));
    ReplyRules::parseFile(QStringLiteral("/nonexistent/rules.json"), &error);
    QVERIFY(error.contains(QStringLiteral("Cannot read")));
    ReplyRules::parseFile(QStringLiteral(WST_SOURCE_DIR "/resources/rules-example.json"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_LocalServer::greetingAndPeriodicPush()
{
    LocalServer server;
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Manual;
    options.greeting = QStringLiteral("welcome, client {{client}}");
    options.pushIntervalMs = 100;
    options.pushText = QStringLiteral("tick for {{client}}");
    QVERIFY(start(server, options));
    QObject owner;
    QWebSocket *ws = client(server, &owner);
    QSignalSpy texts(ws, &QWebSocket::textMessageReceived);
    QTRY_VERIFY(texts.count() >= 4);
    QCOMPARE(texts.at(0).first().toString(), QStringLiteral("welcome, client 1"));
    for (int i = 1; i < texts.count(); ++i)
        QCOMPARE(texts.at(i).first().toString(), QStringLiteral("tick for 1"));
    ws->sendTextMessage(QStringLiteral("manual: no echo"));
    QTest::qWait(50);
    for (const auto &t : texts)
        QVERIFY(t.first().toString() != QStringLiteral("manual: no echo"));
}

void tst_LocalServer::kickWithCodeAndReason()
{
    LocalServer server;
    QVERIFY(start(server));
    QObject owner;
    QWebSocket *a = client(server, &owner);
    QWebSocket *b = client(server, &owner);
    QTRY_COMPARE(server.clients().size(), 2);
    QSignalSpy aClosed(a, &QWebSocket::disconnected);
    const quint32 first = server.clients().first().peerPort == a->localPort() ? server.clients().at(0).id
                                                                                : server.clients().at(1).id;
    QVERIFY(!server.kick(first, 1005, QString()));
    QVERIFY(server.kick(first, 4000, QStringLiteral("kicked")));
    QTRY_COMPARE(aClosed.count(), 1);
    QCOMPARE(int(a->closeCode()), 4000);
    QCOMPARE(a->closeReason(), QStringLiteral("kicked"));
    QCOMPARE(b->state(), QAbstractSocket::ConnectedState);
    QTRY_VERIFY(!server.client(first).connected);
    QCOMPARE(server.client(first).closeCode, 4000);
}

void tst_LocalServer::subprotocolChoice()
{
    LocalServer server;
    ServerOptions options;
    options.subprotocols = { QStringLiteral("v2.proto"), QStringLiteral("v1.proto") };
    QVERIFY(start(server, options));
    QObject owner;
    // The server takes the first of the client's protocols that it supports.
    QWebSocket *ws = client(server, &owner, {}, { QStringLiteral("other"), QStringLiteral("v1.proto"),
                                                  QStringLiteral("v2.proto") });
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(ws->subprotocol(), QStringLiteral("v1.proto"));
    QTRY_COMPARE(server.clients().size(), 1);
    QCOMPARE(server.clients().first().subprotocol, QStringLiteral("v1.proto"));
}

void tst_LocalServer::originAllowList()
{
    LocalServer server;
    ServerOptions options;
    options.allowedOrigins = { QStringLiteral("http://good.test") };
    QVERIFY(start(server, options));
    QObject owner;
    QWebSocket *good = client(server, &owner, QStringLiteral("http://good.test"));
    QWebSocket *bad = client(server, &owner, QStringLiteral("http://evil.test"));
    QString badError;
    connect(bad, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [bad, &badError] {
        if (badError.isEmpty())
            badError = bad->errorString();
    });
    QTRY_COMPARE(good->state(), QAbstractSocket::ConnectedState);
    QTRY_VERIFY(!badError.isEmpty());
    QVERIFY2(badError.contains(QStringLiteral("403")), qPrintable(badError));
    bad->abort();
    const MessageStore &store = *server.store();
    bool refusedRow = false;
    for (qint64 i = 0; i < store.count(); ++i)
        refusedRow |= store.row(i).kind == Kind::Error && store.payload(i).contains("http://evil.test");
    QVERIFY(refusedRow);
    QTRY_COMPARE(server.clients().size(), 1);
    QCOMPARE(server.clients().first().origin, QStringLiteral("http://good.test"));
}

void tst_LocalServer::maxClients()
{
    LocalServer server;
    ServerOptions options;
    options.maxClients = 2;
    QVERIFY(start(server, options));
    QObject owner;
    QWebSocket *a = client(server, &owner);
    QWebSocket *b = client(server, &owner);
    QTRY_COMPARE(a->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(b->state(), QAbstractSocket::ConnectedState);
    QWebSocket *c = client(server, &owner);
    QString cError;
    connect(c, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [c, &cError] {
        if (cError.isEmpty())
            cError = c->errorString();
    });
    QTRY_VERIFY(!cError.isEmpty());
    QVERIFY2(cError.contains(QStringLiteral("503")), qPrintable(cError));
    c->abort();
    // A place frees up when a client leaves.
    QTRY_COMPARE(server.clients().size(), 2);
    const quint32 aId = server.clients().at(0).peerPort == a->localPort() ? server.clients().at(0).id
                                                                          : server.clients().at(1).id;
    a->close();
    QTRY_COMPARE(server.client(aId).connected, false);
    QWebSocket *d = client(server, &owner);
    QTRY_COMPARE(d->state(), QAbstractSocket::ConnectedState);
}

void tst_LocalServer::exactHandshakeBytesWithDuplicateHeaders()
{
    LocalServer server;
    QVERIFY(start(server));
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, quint16(server.url().port()));
    QVERIFY(raw.waitForConnected(5000));
    const QByteArray request = "GET /chat?room=1 HTTP/1.1\r\n"
                               "Host: 127.0.0.1\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "x-dup: first\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "X-Dup: second\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "\r\n";
    raw.write(request);
    QTRY_VERIFY(raw.bytesAvailable() > 0 && raw.peek(4096).contains("\r\n\r\n"));
    const QByteArray response = raw.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 101"), response.constData());
    QVERIFY(response.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")); // RFC 6455's example key and accept
    QTRY_COMPARE(server.clients().size(), 1);
    QCOMPARE(server.clients().first().handshakeRequest, request);
}

void tst_LocalServer::listenFailureIsReported()
{
    LocalServer first;
    QVERIFY(start(first));
    LocalServer second;
    ServerOptions options;
    options.port = quint16(first.url().port());
    second.start(options);
    QTRY_COMPARE(second.state(), LocalServer::State::Error);
    QVERIFY2(second.errorString().contains(QString::number(options.port)), qPrintable(second.errorString()));

    LocalServer tls;
    ServerOptions bad;
    bad.certificateFile = QStringLiteral("/nonexistent/cert.pem");
    bad.keyFile = QStringLiteral("/nonexistent/key.pem");
    tls.start(bad);
    QTRY_COMPARE(tls.state(), LocalServer::State::Error);
    QVERIFY2(tls.errorString().contains(QStringLiteral("cert.pem")), qPrintable(tls.errorString()));
}

void tst_LocalServer::stopClosesClientsWith1001()
{
    LocalServer server;
    QVERIFY(start(server));
    QObject owner;
    QWebSocket *ws = client(server, &owner);
    QSignalSpy closed(ws, &QWebSocket::disconnected);
    QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QSignalSpy stopped(&server, &LocalServer::stopped);
    server.stop();
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(int(ws->closeCode()), 1001);
    QTRY_COMPARE(stopped.count(), 1);
    QCOMPARE(server.state(), LocalServer::State::Stopped);
}

void tst_LocalServer::thousandConcurrentClients()
{
    LocalServer server;
    QVERIFY(start(server));
    QObject owner;
    const int n = 1000;
    QList<QWebSocket *> clients;
    int connected = 0;
    int echoed = 0;
    int disconnected = 0;
    for (int i = 0; i < n; ++i) {
        QWebSocket *ws = client(server, &owner);
        connect(ws, &QWebSocket::connected, this, [ws, i, &connected] {
            ++connected;
            ws->sendTextMessage(QStringLiteral("client %1").arg(i));
        });
        connect(ws, &QWebSocket::textMessageReceived, this, [ws, i, &echoed](const QString &t) {
            if (t == QStringLiteral("client %1").arg(i))
                ++echoed;
            ws->close();
        });
        connect(ws, &QWebSocket::disconnected, this, [&disconnected] { ++disconnected; });
        clients.append(ws);
    }
    QTRY_COMPARE_WITH_TIMEOUT(connected, n, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(echoed, n, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected, n, 60000);
    // The server holds, and no client is left connected.
    QTRY_COMPARE_WITH_TIMEOUT(server.clients().size(), n, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(std::none_of(server.clients().cbegin(), server.clients().cend(),
                                          [](const LocalServer::ClientInfo &c) { return c.connected; }),
                             10000);
    QCOMPARE(server.state(), LocalServer::State::Listening);
    QCOMPARE(server.store()->counters().messagesIn, n);
}

QTEST_GUILESS_MAIN(tst_LocalServer)
#include "tst_LocalServer.moc"
