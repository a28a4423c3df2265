#include "messages/MessageStore.h"
#include "protocol/NetworkThread.h"
#include "server/LocalServer.h"

#include <QAbstractEventDispatcher>

#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtTest>

#include "FrameBytes.h" // after QtTest: it needs QByteArray's operator+

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
    void oversizedFrameClosesWith1009ByDefault();
    void endlessFragmentedMessageClosesWith1009ByDefault();
    void clientThatNeverReadsIsDropped();
    void oneMessageOverTheSendLimitIsNotADrop();
    void connectDisconnectChurnLeavesNothingBehind();

private:
    static bool start(LocalServer &server, ServerOptions options = {});
    static QWebSocket *client(const LocalServer &server, QObject *parent, const QString &origin = {},
        const QStringList &protocols = {});
    // A raw TCP client that has completed its handshake (the 101 read, nothing after it).
    static bool rawHandshake(QTcpSocket &raw, const LocalServer &server);
    // The close code of the first Close frame in bytes from the server, or 0.
    static int closeCodeIn(const QByteArray &bytes);
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

QWebSocket *tst_LocalServer::client(
    const LocalServer &server, QObject *parent, const QString &origin, const QStringList &protocols)
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
    for (const auto behaviour :
        { ServerOptions::Behaviour::Broadcast, ServerOptions::Behaviour::BroadcastOthers }) {
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
    ]})",
        &error);
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
        { QStringLiteral("{\"op\":\"sub\",\"ch\":\"x\"}"),
            QStringLiteral("subscribed: {\"op\":\"sub\",\"ch\":\"x\"}") },
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
    QVERIFY2(error.contains(QStringLiteral("Rule 1")) && error.contains(QStringLiteral("exact")),
        qPrintable(error));
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
    QWebSocket *ws = client(server, &owner, {},
        { QStringLiteral("other"), QStringLiteral("v1.proto"), QStringLiteral("v2.proto") });
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

bool tst_LocalServer::rawHandshake(QTcpSocket &raw, const LocalServer &server)
{
    raw.connectToHost(QHostAddress::LocalHost, quint16(server.url().port()));
    if (!raw.waitForConnected(5000))
        return false;
    raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray head;
    QDeadlineTimer deadline(10000);
    while (!head.endsWith("\r\n\r\n") && !deadline.hasExpired()) {
        if (raw.bytesAvailable() || raw.waitForReadyRead(100))
            head += raw.read(1); // byte by byte: nothing after the head is taken
    }
    return head.startsWith("HTTP/1.1 101");
}

int tst_LocalServer::closeCodeIn(const QByteArray &bytes)
{
    // Server frames are unmasked; walk them until a Close (opcode 8).
    qsizetype at = 0;
    while (at + 2 <= bytes.size()) {
        const quint8 opcode = quint8(bytes.at(at)) & 0x0f;
        quint64 length = quint8(bytes.at(at + 1)) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (at + 4 > bytes.size())
                return 0;
            length = (quint64(quint8(bytes.at(at + 2))) << 8) | quint8(bytes.at(at + 3));
            header = 4;
        } else if (length == 127) {
            if (at + 10 > bytes.size())
                return 0;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | quint8(bytes.at(at + 2 + i));
            header = 10;
        }
        if (opcode == 8 && length >= 2 && at + header + 2 <= bytes.size())
            return (quint8(bytes.at(at + header)) << 8) | quint8(bytes.at(at + header + 1));
        at += header + qsizetype(length);
    }
    return 0;
}

void tst_LocalServer::oversizedFrameClosesWith1009ByDefault()
{
    // One frame header announcing a byte more than the default 64 MiB: refused at the header,
    // before any of the payload is buffered (Qt's own default waits for 2 GiB).
    QCOMPARE(ServerOptions().maxMessageSize, qint64(64) << 20);
    LocalServer server;
    QVERIFY(start(server));
    QTcpSocket raw;
    QVERIFY(rawHandshake(raw, server));
    const quint64 length = (quint64(64) << 20) + 1;
    QByteArray header("\x82\xff", 2); // FIN, binary; masked, 64-bit length
    for (int i = 7; i >= 0; --i)
        header.append(char((length >> (8 * i)) & 0xff));
    header.append("\x01\x02\x03\x04"
                  "abcd",
        8);
    raw.write(header);
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += raw.readAll(), closeCodeIn(answer) != 0), 10000);
    QCOMPARE(closeCodeIn(answer), 1009);
    QTRY_COMPARE(server.clients().size(), 1);
    raw.abort();
    QTRY_VERIFY(!server.clients().first().connected);
    QCOMPARE(server.clients().first().closeCode, 1009);
}

void tst_LocalServer::endlessFragmentedMessageClosesWith1009ByDefault()
{
    LocalServer server;
    QVERIFY(start(server));
    QTcpSocket raw;
    QVERIFY(rawHandshake(raw, server));
    const QByteArray piece(256 * 1024, 'x');
    raw.write(test::frameBytes(0x2, false, piece, 0x01020304));
    const QByteArray continuation = test::frameBytes(0x0, false, piece, 0x01020304);
    qint64 sent = piece.size();
    // Keep about a megabyte in flight until the server gives up on the message, or far past the
    // limit. (The server's Close frame may be lost to the reset that closing with unread bytes
    // causes, so the server's own list is the witness.)
    const qint64 giveUpAt = qint64(256) << 20;
    auto closed = [&server] { return server.clients().size() == 1 && !server.clients().first().connected; };
    QDeadlineTimer deadline(60000);
    while (!closed() && raw.state() == QAbstractSocket::ConnectedState && sent < giveUpAt
        && !deadline.hasExpired()) {
        while (raw.bytesToWrite() < 1024 * 1024 && sent < giveUpAt) {
            raw.write(continuation);
            sent += piece.size();
        }
        raw.waitForBytesWritten(50);
        if (raw.isOpen())
            raw.readAll();
        QCoreApplication::processEvents();
    }
    QVERIFY2(sent < giveUpAt, "256 MiB of one message taken without a word");
    QVERIFY(sent > (qint64(64) << 20));
    QVERIFY2(sent < (qint64(96) << 20), qPrintable(QStringLiteral("%1 MiB sent").arg(sent >> 20)));
    raw.abort();
    QTRY_VERIFY(closed());
    QCOMPARE(server.clients().first().closeCode, 1009);
}

void tst_LocalServer::clientThatNeverReadsIsDropped()
{
    LocalServer server;
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Manual;
    options.maxSendBuffer = 1024 * 1024;
    QVERIFY(start(server, options));
    QTcpSocket raw;
    QVERIFY(rawHandshake(raw, server));
    // From here on the client takes nothing: Qt stops reading at a tiny buffer, the kernel's is
    // small too, so what the server sends piles up on the server's side.
    raw.setReadBufferSize(4096);
    raw.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    QTRY_COMPARE(server.clients().size(), 1);
    const quint32 id = server.clients().first().id;
    const QByteArray chunk(64 * 1024, 'z');
    QTimer pusher;
    connect(&pusher, &QTimer::timeout, this, [&server, id, &chunk] { server.sendBinary(id, chunk); });
    pusher.start(5);
    QTRY_VERIFY_WITH_TIMEOUT(!server.client(id).connected, 30000);
    pusher.stop();
    QCOMPARE(server.client(id).closeCode, 1006);
    // The history says why.
    const MessageStore &store = *server.store();
    bool why = false;
    for (qint64 i = 0; i < store.count(); ++i) {
        why |= store.row(i).connectionId == id && store.row(i).kind == Kind::Error
            && store.payload(i).contains("send buffer limit of 1048576 bytes");
    }
    QVERIFY(why);
    // Reading again, the client finds the connection gone.
    raw.setReadBufferSize(0);
    QTRY_VERIFY((raw.readAll(), raw.state() == QAbstractSocket::UnconnectedState));
}

void tst_LocalServer::oneMessageOverTheSendLimitIsNotADrop()
{
    LocalServer server;
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Manual;
    options.maxSendBuffer = 64 * 1024;
    QVERIFY(start(server, options));
    QObject owner;
    QWebSocket *ws = client(server, &owner);
    QSignalSpy binaries(ws, &QWebSocket::binaryMessageReceived);
    QTRY_COMPARE(server.clients().size(), 1);
    const quint32 id = server.clients().first().id;
    const QByteArray big(1024 * 1024, 'b');
    for (int i = 1; i <= 3; ++i) {
        server.sendBinary(id, big);
        QTRY_COMPARE_WITH_TIMEOUT(binaries.count(), i, 10000);
    }
    QCOMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QVERIFY(server.client(id).connected);
}

void tst_LocalServer::connectDisconnectChurnLeavesNothingBehind()
{
    LocalServer server;
    QVERIFY(start(server));
    const int n = 100;
    QObject owner;
    for (int i = 0; i < n; ++i) {
        QWebSocket *ws = client(server, &owner);
        QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
        ws->close();
        QTRY_COMPARE(ws->state(), QAbstractSocket::UnconnectedState);
        delete ws;
    }
    QTRY_COMPARE(server.clients().size(), n);
    QTRY_VERIFY(std::none_of(server.clients().cbegin(), server.clients().cend(),
        [](const LocalServer::ClientInfo &c) { return c.connected; }));
    // Each listed client keeps its request, not the 16 KiB buffer it was peeked into.
    for (const LocalServer::ClientInfo &c : server.clients())
        QVERIFY2(c.handshakeRequest.capacity() < 1024,
            QByteArray::number(c.handshakeRequest.capacity()).constData());
    // No timer outlives a finished handshake (QTimer::singleShot's objects hang on the network
    // thread's event dispatcher for their full 10 s).
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(NetworkThread::instance());
    QVERIFY(dispatcher);
    int timers = -1;
    QMetaObject::invokeMethod(
        dispatcher,
        [dispatcher, &timers] {
            const QObjectList children = dispatcher->children();
            timers = int(std::count_if(children.cbegin(), children.cend(), [](const QObject *o) {
                return qstrcmp(o->metaObject()->className(), "QSingleShotTimer") == 0;
            }));
        },
        Qt::BlockingQueuedConnection);
    QVERIFY2(timers >= 0 && timers < n / 10, QByteArray::number(timers).constData());
}

QTEST_GUILESS_MAIN(tst_LocalServer)
#include "tst_LocalServer.moc"
