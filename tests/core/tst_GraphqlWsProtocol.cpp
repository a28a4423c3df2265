// GraphQL over WebSocket end to end: wstester's client against the real graphql-ws 5 server
// (and the legacy subscriptions-transport-ws server), graphql-ws's own client against
// wstester's mock, and the legacy subprotocol against the mock.
#include "GraphqlHarness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace wst;
using namespace wst::test;

class tst_GraphqlWsProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void realServerOperationsAtOnce();
    void realServerRefusesBadToken();
    void realServerStopEarly();
    void realLegacyServer();
    void realLegacyServerRefusesBadToken();
    void graphqlWsClientAgainstMock();
    void legacyClientAgainstMock();
    void mockRefusesProtocolErrors();
    void mockPushesByHand();
    void pingAnsweredAndAckTimeout();
    void commandsRefused();
    void headlessConnect();
    void headlessServe();

private:
    static QByteArray runWstester(const QStringList &args, int *exitCode);
    static QJsonObject subscribe(const QString &query, const QJsonObject &variables = {});
    static bool hasPeers();
};

bool tst_GraphqlWsProtocol::hasPeers()
{
    return !QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()
        && QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/graphql-ws/package.json"))
        && QFile::exists(
            QStringLiteral(WST_PEERS_DIR "/node_modules/subscriptions-transport-ws/package.json"));
}

void tst_GraphqlWsProtocol::initTestCase()
{
    QVERIFY2(hasPeers(), "node and the npm peers are needed: npm install --prefix tests/peers");
}

QJsonObject tst_GraphqlWsProtocol::subscribe(const QString &query, const QJsonObject &variables)
{
    QJsonObject d { { QStringLiteral("query"), query } };
    if (!variables.isEmpty())
        d.insert(QStringLiteral("variables"), variables);
    return d;
}

void tst_GraphqlWsProtocol::realServerOperationsAtOnce()
{
    NodePeer peer;
    const int port = peer.startForPort(
        QStringLiteral("graphql_server.js"), { QStringLiteral("--token"), QStringLiteral("s3") });
    QVERIFY(port > 0);
    ClientHarness c(graphqlOptions({ { QStringLiteral("connectionParams"),
        QJsonObject { { QStringLiteral("token"), QStringLiteral("s3") } } } }));
    c.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/graphql").arg(port)));
    // Submitted before the ack: queued, then sent in order once the server acknowledges.
    QCOMPARE(c.submit(QStringLiteral("subscribe"),
                 subscribe(QStringLiteral("subscription Counter($n: Int!) { count(to: $n) }"),
                     { { QStringLiteral("n"), 3 } })),
        QString());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { failing }"))),
        QString());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("{ hello }"))), QString());
    QCOMPARE(
        c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { nope }"))), QString());
    QTRY_COMPARE_WITH_TIMEOUT(c.noticesOf(ProtocolNotice::Type::OperationEnded).size(), 4, 15000);

    QCOMPARE(c.socket.subprotocol(), QStringLiteral("graphql-transport-ws"));
    QCOMPARE(c.sent.first(), QStringLiteral(R"({"payload":{"token":"s3"},"type":"connection_init"})"));
    const QList<ProtocolNotice> handshake = c.noticesOf(ProtocolNotice::Type::Handshake);
    QCOMPARE(handshake.size(), 1);
    QCOMPARE(
        handshake.first().data.toObject().value(QStringLiteral("user")).toString(), QStringLiteral("tester"));
    QVERIFY(handshake.first().fields.contains(
        { QStringLiteral("connection_ack payload"), QStringLiteral(R"({"user":"tester"})") }));
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::Ready).size(), 1);

    const QList<ProtocolNotice> started = c.noticesOf(ProtocolNotice::Type::OperationStarted);
    QCOMPARE(started.size(), 4);
    QCOMPARE(started.at(0).id, QStringLiteral("1"));
    QCOMPARE(started.at(0).name, QStringLiteral("Counter"));
    QCOMPARE(started.at(1).name, QStringLiteral("failing"));
    QCOMPARE(started.at(2).name, QStringLiteral("hello"));
    QCOMPARE(started.at(3).id, QStringLiteral("4"));

    // The counter: three results, then complete; the reply carries the last and its timing.
    QCOMPARE(c.receivedOf(QStringLiteral("next"), QStringLiteral("1")).size(), 3);
    QCOMPARE(
        c.receivedOf(QStringLiteral("next"), QStringLiteral("1")).last().role, ProtocolMessage::Role::Event);
    const QList<ProtocolNotice> counted = c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("1"));
    QCOMPARE(counted.size(), 1);
    QVERIFY(counted.first().rttUs > 0);
    QCOMPARE(counted.first()
                 .data.toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("count"))
                 .toInt(),
        3);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("1")).first().data.toString(),
        QStringLiteral("completed, 3 result(s)"));
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("1")).first().fields.value(1),
        qMakePair(QStringLiteral("results"), QStringLiteral("3")));

    // The failing subscription: graphql-ws sends its errors as a result, then completes.
    const QList<ProtocolNotice> failing = c.noticesOf(ProtocolNotice::Type::Error, QStringLiteral("2"));
    QCOMPARE(failing.size(), 1);
    QCOMPARE(failing.first().name, QStringLiteral("failing"));
    QVERIFY(
        failing.first().fields.contains({ QStringLiteral("errors"), QStringLiteral("failing on purpose") }));
    QCOMPARE(c.receivedOf(QStringLiteral("next"), QStringLiteral("2")).first().fields.value(0).second,
        QStringLiteral("failing on purpose"));

    // The query answers once.
    const QList<ProtocolNotice> hello = c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("3"));
    QCOMPARE(hello.size(), 1);
    QCOMPARE(QJsonDocument(hello.first().data.toObject()).toJson(QJsonDocument::Compact),
        QByteArray(R"({"data":{"hello":"world"}})"));

    // A query the schema refuses: an "error" message, shown for that operation only.
    const QList<ProtocolNotice> nope = c.noticesOf(ProtocolNotice::Type::Error, QStringLiteral("4"));
    QCOMPARE(nope.size(), 1);
    QVERIFY(nope.first().fields.value(0).second.contains(QStringLiteral("Cannot query field \"nope\"")));
    QCOMPARE(
        c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("4")).first().fields.value(0).second,
        QStringLiteral("error"));
    QVERIFY(c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("4"))
                .first()
                .data.toString()
                .startsWith(QStringLiteral("failed: Cannot query field \"nope\"")));
    const ProtocolMessage errorRow = c.receivedOf(QStringLiteral("error"), QStringLiteral("4")).first();
    QCOMPARE(errorRow.role, ProtocolMessage::Role::Error);
    QVERIFY(errorRow.error.isEmpty());

    // Nothing the real server sent was malformed.
    for (const QString &text : std::as_const(c.received))
        QVERIFY2(
            c.protocol->decode(Direction::In, Kind::Text, text.toUtf8()).error.isEmpty(), qPrintable(text));
    QVERIFY(c.notes.isEmpty());
    QVERIFY(!c.closed);
}

void tst_GraphqlWsProtocol::realServerRefusesBadToken()
{
    NodePeer peer;
    const int port = peer.startForPort(
        QStringLiteral("graphql_server.js"), { QStringLiteral("--token"), QStringLiteral("s3") });
    QVERIFY(port > 0);
    ClientHarness c(graphqlOptions({ { QStringLiteral("connectionParams"),
        QJsonObject { { QStringLiteral("token"), QStringLiteral("wrong") } } } }));
    c.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/graphql").arg(port)));
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("{ hello }"))), QString());
    QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
    QCOMPARE(c.closeCode, 4403);
    QVERIFY(!c.client->isReady());
    QVERIFY(c.noticesOf(ProtocolNotice::Type::OperationStarted).isEmpty()); // never left the queue
}

void tst_GraphqlWsProtocol::realServerStopEarly()
{
    NodePeer peer;
    const int port = peer.startForPort(
        QStringLiteral("graphql_server.js"), { QStringLiteral("--interval"), QStringLiteral("10") });
    QVERIFY(port > 0);
    ClientHarness c(graphqlOptions());
    c.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/graphql").arg(port)));
    QCOMPARE(c.submit(QStringLiteral("subscribe"),
                 subscribe(QStringLiteral("subscription { count(to: 100000) }")), QStringLiteral("long")),
        QString());
    QTRY_VERIFY_WITH_TIMEOUT(c.receivedOf(QStringLiteral("next"), QStringLiteral("long")).size() >= 2, 10000);
    QCOMPARE(c.submit(QStringLiteral("stop"), {}, QStringLiteral("long")), QString());
    QCOMPARE(c.sent.last(), QStringLiteral(R"({"id":"long","type":"complete"})"));
    const QList<ProtocolNotice> ended
        = c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("long"));
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended.first().fields.value(0).second, QStringLiteral("stopped"));
    QVERIFY(ended.first().data.toString().startsWith(QStringLiteral("stopped, ")));
    // A stopped id is free again, and a second stop is refused.
    QVERIFY(c.submit(QStringLiteral("stop"), {}, QStringLiteral("long"))
                .contains(QStringLiteral("no running operation")));

    // Queries after the stop: once one has answered the server has handled the stop; from then
    // on (over queries spanning many of its 10 ms intervals) the counter must not move.
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("{ hello }"))), QString());
    QTRY_COMPARE_WITH_TIMEOUT(c.noticesOf(ProtocolNotice::Type::Reply).size(), 1, 10000);
    const qsizetype afterStop = c.receivedOf(QStringLiteral("next"), QStringLiteral("long")).size();
    QElapsedTimer span;
    span.start();
    int replies = 1;
    while (span.elapsed() < 200 || replies < 3) {
        QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("{ hello }"))), QString());
        ++replies;
        QTRY_COMPARE_WITH_TIMEOUT(c.noticesOf(ProtocolNotice::Type::Reply).size(), replies, 10000);
    }
    QCOMPARE(c.receivedOf(QStringLiteral("next"), QStringLiteral("long")).size(), afterStop);
    QVERIFY(!c.closed);
}

void tst_GraphqlWsProtocol::realLegacyServer()
{
    NodePeer peer;
    const int port = peer.startForPort(QStringLiteral("graphql_server.js"),
        { QStringLiteral("--legacy"), QStringLiteral("--token"), QStringLiteral("s3") });
    QVERIFY(port > 0);
    ClientHarness c(graphqlOptions({ { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") },
        { QStringLiteral("connectionParams"),
            QJsonObject { { QStringLiteral("token"), QStringLiteral("s3") } } } }));
    c.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/graphql").arg(port)));
    QCOMPARE(
        c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { count(to: 2) }"))),
        QString());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { failing }"))),
        QString());
    QCOMPARE(
        c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("query Hi { hello }"))), QString());
    QTRY_COMPARE_WITH_TIMEOUT(c.noticesOf(ProtocolNotice::Type::OperationEnded).size(), 3, 15000);
    QCOMPARE(c.socket.subprotocol(), QStringLiteral("graphql-ws"));
    QVERIFY(c.sent.at(1).contains(QStringLiteral("\"type\":\"start\"")));
    QCOMPARE(c.receivedOf(QStringLiteral("data"), QStringLiteral("1")).size(), 2);
    QCOMPARE(c.receivedOf(QStringLiteral("ka")).value(0).role, ProtocolMessage::Role::KeepAlive);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("1")).size(), 1);
    QVERIFY(c.noticesOf(ProtocolNotice::Type::Error, QStringLiteral("2"))
                .value(0)
                .fields.contains({ QStringLiteral("errors"), QStringLiteral("failing on purpose") }));
    const QList<ProtocolNotice> hello = c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("3"));
    QCOMPARE(hello.value(0).name, QStringLiteral("Hi"));
    QCOMPARE(hello.value(0)
                 .data.toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("hello"))
                 .toString(),
        QStringLiteral("world"));

    // Stopping the legacy way: "stop".
    QCOMPARE(c.submit(QStringLiteral("subscribe"),
                 subscribe(QStringLiteral("subscription { count(to: 100000) }"))),
        QString());
    QTRY_VERIFY_WITH_TIMEOUT(!c.receivedOf(QStringLiteral("data"), QStringLiteral("4")).isEmpty(), 10000);
    QCOMPARE(c.submit(QStringLiteral("stop"), {}, QStringLiteral("4")), QString());
    QCOMPARE(c.sent.last(), QStringLiteral(R"({"id":"4","type":"stop"})"));
    for (const QString &text : std::as_const(c.received))
        QVERIFY2(
            c.protocol->decode(Direction::In, Kind::Text, text.toUtf8()).error.isEmpty(), qPrintable(text));
    QVERIFY(c.notes.isEmpty());
}

void tst_GraphqlWsProtocol::realLegacyServerRefusesBadToken()
{
    NodePeer peer;
    const int port = peer.startForPort(QStringLiteral("graphql_server.js"),
        { QStringLiteral("--legacy"), QStringLiteral("--token"), QStringLiteral("s3") });
    QVERIFY(port > 0);
    ClientHarness c(graphqlOptions({ { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") } }));
    c.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/graphql").arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(c.noticesOf(ProtocolNotice::Type::Error).size(), 1, 10000);
    const ProtocolNotice refused = c.noticesOf(ProtocolNotice::Type::Error).first();
    QCOMPARE(refused.name, QStringLiteral("connection_error"));
    QVERIFY(refused.fields.contains({ QStringLiteral("errors"), QStringLiteral("Forbidden: bad token") }));
    QCOMPARE(c.receivedOf(QStringLiteral("connection_error")).value(0).role, ProtocolMessage::Role::Error);
    QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000); // the legacy server closes after its error
    QVERIFY(!c.client->isReady());
}

void tst_GraphqlWsProtocol::graphqlWsClientAgainstMock()
{
    ServerHarness s(graphqlOptions({ { QStringLiteral("count"), 3 }, { QStringLiteral("intervalMs"), 20 } }));
    QVERIFY(s.listen());
    QProcess node;
    node.start(QStandardPaths::findExecutable(QStringLiteral("node")),
        { QStringLiteral(WST_PEERS_DIR "/graphql_client.js"), s.url().toString(),
            QStringLiteral("subscription { ticks }"), QStringLiteral("{ hello }"),
            QStringLiteral("subscription { ticks(mode: \"error\") }") });
    QTRY_COMPARE_WITH_TIMEOUT(node.state(), QProcess::NotRunning, 20000);
    QCOMPARE(node.exitCode(), 0);
    const QList<QByteArray> lines = node.readAllStandardOutput().trimmed().split('\n');
    auto linesOf = [&lines](int op) {
        QList<QByteArray> out;
        for (const QByteArray &line : lines) {
            if (line.startsWith(QByteArray(QByteArray("{\"op\":") + QByteArray::number(op) + ",")))
                out.append(line);
        }
        return out;
    };
    QCOMPARE(lines.first(), QByteArray(R"({"connected":null})"));
    QCOMPARE(linesOf(0),
        QList<QByteArray>(
            { R"({"op":0,"next":{"data":{"ticks":1}}})", R"({"op":0,"next":{"data":{"ticks":2}}})",
                R"({"op":0,"next":{"data":{"ticks":3}}})", R"({"op":0,"complete":true})" }));
    QCOMPARE(linesOf(1),
        QList<QByteArray>(
            { R"({"op":1,"next":{"data":{"hello":"hello"}}})", R"({"op":1,"complete":true})" }));
    const QByteArray failed(
        "{\"op\":2,\"error\":[{\"message\":\"Operation \\\"ticks\\\" failed (wstester mock)\"}]}");
    QCOMPARE(linesOf(2), QList<QByteArray> { failed });
    QCOMPARE(s.subprotocols, QStringList { QStringLiteral("graphql-transport-ws") });
    QVERIFY(s.notes.isEmpty());
}

void tst_GraphqlWsProtocol::legacyClientAgainstMock()
{
    ServerHarness s(graphqlOptions({ { QStringLiteral("count"), 50 }, { QStringLiteral("intervalMs"), 10 },
        { QStringLiteral("failOperation"), QStringLiteral("^Boom$") } }));
    QVERIFY(s.listen());
    ClientHarness c(graphqlOptions({ { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") } }));
    c.open(s.url());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { ticks }"))),
        QString());
    QCOMPARE(c.submit(QStringLiteral("subscribe"),
                 subscribe(
                     QStringLiteral("mutation Add($x: Int) { add(x: $x) }"), { { QStringLiteral("x"), 7 } })),
        QString());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription Boom { ticks }"))),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(c.noticesOf(ProtocolNotice::Type::OperationEnded).size(), 3, 10000);
    QCOMPARE(s.subprotocols, QStringList { QStringLiteral("graphql-ws") });
    QCOMPARE(c.receivedOf(QStringLiteral("ka")).size(), 1);
    QCOMPARE(c.receivedOf(QStringLiteral("data"), QStringLiteral("1")).size(), 50);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("1"))
                 .value(0)
                 .data.toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("ticks"))
                 .toInt(),
        50);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("2"))
                 .value(0)
                 .data.toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("add"))
                 .toObject()
                 .value(QStringLiteral("x"))
                 .toInt(),
        7);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("2")).value(0).fields.value(0).second,
        QStringLiteral("mutation"));
    QCOMPARE(
        c.noticesOf(ProtocolNotice::Type::Error, QStringLiteral("3")).value(0).name, QStringLiteral("Boom"));
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("3")).value(0).data.toString(),
        QStringLiteral("failed: Operation \"Boom\" failed (wstester mock)"));

    // A stop ends the subscription on the mock too: no more data for it.
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { ticks }"))),
        QString());
    QTRY_VERIFY_WITH_TIMEOUT(!c.receivedOf(QStringLiteral("data"), QStringLiteral("4")).isEmpty(), 10000);
    QCOMPARE(c.submit(QStringLiteral("stop"), {}, QStringLiteral("4")), QString());
    QTRY_VERIFY_WITH_TIMEOUT(!c.receivedOf(QStringLiteral("complete"), QStringLiteral("4")).isEmpty(), 10000);
    QVERIFY(c.receivedOf(QStringLiteral("data"), QStringLiteral("4")).size() < 50);
    QTRY_COMPARE(s.server->findChildren<QTimer *>().size(), 1); // only the idle keep-alive timer
    QVERIFY(c.notes.isEmpty());
    QVERIFY(s.notes.isEmpty());
}

void tst_GraphqlWsProtocol::mockRefusesProtocolErrors()
{
    ServerHarness s(graphqlOptions());
    QVERIFY(s.listen());
    QWebSocket raw;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({ QStringLiteral("graphql-transport-ws") });
    raw.open(QNetworkRequest(s.url()), handshake);
    QTRY_COMPARE(raw.state(), QAbstractSocket::ConnectedState);
    // A subscribe before connection_init: 4401, as graphql-ws closes.
    raw.sendTextMessage(QStringLiteral(R"({"id":"1","type":"subscribe","payload":{"query":"{ a }"}})"));
    QTRY_COMPARE(s.closeCodes, QList<int> { 4401 });

    QWebSocket bad;
    bad.open(QNetworkRequest(s.url()), handshake);
    QTRY_COMPARE(bad.state(), QAbstractSocket::ConnectedState);
    bad.sendTextMessage(QStringLiteral(R"({"type":"subscribe","payload":{"query":"{ a }"}})"));
    QTRY_COMPARE(s.closeCodes.size(), 2);
    QCOMPARE(s.closeCodes.last(), 4400);
    QCOMPARE(s.notes.last().first, Kind::Error);
    QVERIFY2(s.notes.last().second.contains(QStringLiteral("\"id\" is missing")),
        qPrintable(s.notes.last().second));
}

void tst_GraphqlWsProtocol::mockPushesByHand()
{
    // A subscription that would emit only after a long time: the server tab's user pushes.
    ServerHarness s(graphqlOptions({ { QStringLiteral("intervalMs"), 600000 } }));
    QVERIFY(s.listen());
    ClientHarness c(graphqlOptions());
    c.open(s.url());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { news }")),
                 QStringLiteral("n")),
        QString());
    QTRY_COMPARE(s.received.size(), 2); // connection_init, subscribe
    ProtocolCommand next;
    next.verb = QStringLiteral("next");
    next.id = QStringLiteral("n");
    next.data = QJsonObject { { QStringLiteral("data"),
        QJsonObject { { QStringLiteral("news"), QStringLiteral("hi") } } } };
    QCOMPARE(s.server->submit(0, next), QString());
    QTRY_COMPARE(c.receivedOf(QStringLiteral("next"), QStringLiteral("n")).size(), 1);
    ProtocolCommand complete;
    complete.verb = QStringLiteral("complete");
    complete.id = QStringLiteral("n");
    QCOMPARE(s.server->submit(0, complete), QString());
    QTRY_COMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded, QStringLiteral("n")).size(), 1);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::Reply, QStringLiteral("n")).value(0).fields.value(1).second,
        QStringLiteral("1"));
    QCOMPARE(s.server->submit(0, complete), QStringLiteral("No client runs an operation with the id \"n\"."));
    next.data = QJsonArray { 1 };
    QCOMPARE(s.server->submit(0, next),
        QStringLiteral("GraphQL next: the result must be a JSON object, like {\"data\": {\"count\": 1}}."));
    next.verb = QStringLiteral("publish");
    QCOMPARE(s.server->submit(0, next),
        QStringLiteral("The GraphQL mock cannot do \"publish\" (it can: next, complete)."));
}

void tst_GraphqlWsProtocol::pingAnsweredAndAckTimeout()
{
    // A server that pings but never acknowledges.
    QWebSocketServer server(QStringLiteral("no ack"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({ QStringLiteral("graphql-transport-ws") });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QStringList got;
    connect(&server, &QWebSocketServer::newConnection, this, [&server, &got] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server); // handed over unparented: LSan saw it leak
        connect(s, &QWebSocket::textMessageReceived, s, [s, &got](const QString &text) {
            got.append(text);
            if (text.contains(QStringLiteral("connection_init")))
                s->sendTextMessage(QStringLiteral(R"({"type":"ping","payload":{"n":1}})"));
        });
    });
    ClientHarness c(graphqlOptions({ { QStringLiteral("ackTimeoutMs"), 300 } }));
    c.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort())));
    QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
    QCOMPARE(c.closeCode, 4408);
    QCOMPARE(got,
        QStringList({ QStringLiteral(R"({"type":"connection_init"})"),
            QStringLiteral(R"({"payload":{"n":1},"type":"pong"})") }));
    QCOMPARE(c.notes.size(), 1);
    QVERIFY(c.notes.first().second.contains(QStringLiteral("no connection_ack within 300 ms")));
}

void tst_GraphqlWsProtocol::commandsRefused()
{
    ClientHarness c(graphqlOptions());
    ProtocolCommand unknown;
    unknown.verb = QStringLiteral("emit");
    QCOMPARE(c.client->submit(unknown),
        QStringLiteral("GraphQL over WebSocket cannot do \"emit\" (it can: subscribe, stop)."));
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("  "))),
        QStringLiteral("GraphQL subscribe: the query is empty."));
    QJsonObject badVariables = subscribe(QStringLiteral("{ a }"));
    badVariables.insert(QStringLiteral("variables"), QJsonArray { 1 });
    QCOMPARE(c.submit(QStringLiteral("subscribe"), badVariables),
        QStringLiteral("GraphQL subscribe: the variables must be a JSON object."));
    QCOMPARE(c.submit(QStringLiteral("stop"), {}),
        QStringLiteral("GraphQL stop: which operation? The id is missing."));

    ServerHarness s(graphqlOptions());
    QVERIFY(s.listen());
    c.open(s.url());
    QTRY_VERIFY(c.client->isReady());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { a }")),
                 QStringLiteral("x")),
        QString());
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { a }")),
                 QStringLiteral("x")),
        QStringLiteral("GraphQL subscribe: the id \"x\" is in use by a running operation."));
    QCOMPARE(c.submit(QStringLiteral("stop"), {}, QStringLiteral("y")),
        QStringLiteral("GraphQL stop: no running operation has the id \"y\"."));
    // Generated ids skip one the user took.
    QCOMPARE(c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { a }")),
                 QStringLiteral("1")),
        QString());
    QCOMPARE(
        c.submit(QStringLiteral("subscribe"), subscribe(QStringLiteral("subscription { a }"))), QString());
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::OperationStarted).last().id, QStringLiteral("2"));
    // Closing ends what still runs.
    c.socket.close();
    QTRY_COMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded).size(), 3);
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded).first().fields.value(0).second,
        QStringLiteral("closed"));
    QCOMPARE(c.noticesOf(ProtocolNotice::Type::OperationEnded).first().data.toString(),
        QStringLiteral("the connection closed, 0 result(s)"));
}

QByteArray tst_GraphqlWsProtocol::runWstester(const QStringList &args, int *exitCode)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
    }
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    if (*exitCode != 0)
        qWarning("wstester: %s", p.readAllStandardError().constData());
    return p.readAllStandardOutput();
}

void tst_GraphqlWsProtocol::headlessConnect()
{
    NodePeer peer;
    const int port = peer.startForPort(
        QStringLiteral("graphql_server.js"), { QStringLiteral("--token"), QStringLiteral("s3") });
    QVERIFY(port > 0);
    const QString url = QStringLiteral("ws://127.0.0.1:%1/graphql").arg(port);
    int code = -1;
    // -n counts protocol events: 3 next + complete, then next + complete of the query.
    QByteArray out = runWstester(
        { QStringLiteral("connect"), url, QStringLiteral("--protocol"), QStringLiteral("graphql-ws"),
            QStringLiteral("--protocol-option"), QStringLiteral(R"(connectionParams={"token":"s3"})"),
            QStringLiteral("--query"), QStringLiteral("subscription C($n: Int!) { count(to: $n) }"),
            QStringLiteral("--variables"), QStringLiteral(R"({"n":3})"), QStringLiteral("--query"),
            QStringLiteral("{ hello }"), QStringLiteral("-n"), QStringLiteral("6") },
        &code);
    QCOMPARE(code, 0);
    QList<QByteArray> lines = out.trimmed().split('\n');
    std::sort(lines.begin(), lines.end()); // the two operations interleave as the server answers
    QCOMPARE(lines,
        QList<QByteArray>({ "complete #1", "complete #2", R"(next #1 {"data":{"count":1}})",
            R"(next #1 {"data":{"count":2}})", R"(next #1 {"data":{"count":3}})",
            R"(next #2 {"data":{"hello":"world"}})" }));

    // --json with --ack: waits for the operation's complete, then closes.
    out = runWstester(
        { QStringLiteral("connect"), url, QStringLiteral("--protocol"), QStringLiteral("graphql-ws"),
            QStringLiteral("--protocol-option"), QStringLiteral(R"(connectionParams={"token":"s3"})"),
            QStringLiteral("--query"), QStringLiteral("query Hi { hello }"), QStringLiteral("--ack"),
            QStringLiteral("--json") },
        &code);
    QCOMPARE(code, 0);
    QStringList protocolLines;
    for (const QByteArray &line : out.trimmed().split('\n')) {
        const QJsonObject p
            = QJsonDocument::fromJson(line).object().value(QStringLiteral("protocol")).toObject();
        if (!p.isEmpty())
            protocolLines.append(QString::fromUtf8(QJsonDocument(p).toJson(QJsonDocument::Compact)));
    }
    QCOMPARE(protocolLines,
        QStringList({ QStringLiteral(
                          R"({"payload":{"token":"s3"},"role":"handshake","type":"connection_init"})"),
            QStringLiteral(R"({"payload":{"user":"tester"},"role":"handshake","type":"connection_ack"})"),
            QStringLiteral(
                R"({"fields":{"operation":"query"},"id":"1","name":"Hi","payload":{"query":"query Hi { hello }"},"role":"control","type":"subscribe"})"),
            QStringLiteral(R"({"id":"1","payload":{"data":{"hello":"world"}},"role":"event","type":"next"})"),
            QStringLiteral(R"({"id":"1","role":"reply","type":"complete"})") }));
}

void tst_GraphqlWsProtocol::headlessServe()
{
    QProcess serve;
    serve.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("serve"), QStringLiteral("--protocol"), QStringLiteral("graphql-ws"),
            QStringLiteral("--protocol-option"), QStringLiteral("count=3"),
            QStringLiteral("--protocol-option"), QStringLiteral("intervalMs=20") });
    QVERIFY(serve.waitForStarted());
    QVERIFY(QTest::qWaitFor([&serve] { return serve.canReadLine(); }, 15000));
    const QByteArray first = serve.readLine().trimmed();
    QVERIFY2(first.startsWith("listening ws://127.0.0.1:"), first.constData());
    const QString url = QString::fromUtf8(first.mid(10));

    // graphql-ws's own client.
    QProcess node;
    node.start(QStandardPaths::findExecutable(QStringLiteral("node")),
        { QStringLiteral(WST_PEERS_DIR "/graphql_client.js"), url,
            QStringLiteral("subscription { ticks }") });
    QTRY_COMPARE_WITH_TIMEOUT(node.state(), QProcess::NotRunning, 20000);
    QCOMPARE(node.exitCode(), 0);
    QCOMPARE(node.readAllStandardOutput(),
        QByteArray(
            "{\"connected\":null}\n{\"op\":0,\"next\":{\"data\":{\"ticks\":1}}}\n"
            "{\"op\":0,\"next\":{\"data\":{\"ticks\":2}}}\n{\"op\":0,\"next\":{\"data\":{\"ticks\":3}}}\n"
            "{\"op\":0,\"complete\":true}\n"));

    // wstester's client, legacy subprotocol.
    int code = -1;
    const QByteArray out = runWstester(
        { QStringLiteral("connect"), url, QStringLiteral("--protocol"), QStringLiteral("graphql-ws"),
            QStringLiteral("--protocol-option"), QStringLiteral("subprotocol=graphql-ws"),
            QStringLiteral("--query"), QStringLiteral("subscription { ticks }"), QStringLiteral("-n"),
            QStringLiteral("4") },
        &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, QByteArray(R"(data #1 {"data":{"ticks":1}}
data #1 {"data":{"ticks":2}}
data #1 {"data":{"ticks":3}}
complete #1
)"));
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_GraphqlWsProtocol)
#include "tst_GraphqlWsProtocol.moc"
