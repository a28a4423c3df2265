// STOMP over WebSocket end to end, against real libraries both ways: wstester's StompClient
// against the npm broker stomp-broker-js, @stomp/stompjs 7 against wstester's StompServer, and
// wstester against itself for what the npm broker lacks (ACK/NACK, transactions, receipts on
// every frame, ERROR frames, heart-beats both ways).
#include "StompHarness.h"
#include "protocols/stomp/StompClient.h"
#include "protocols/stomp/StompFrame.h"
#include "protocols/stomp/StompServer.h"

#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QtTest>

using namespace wst;
using namespace wst::test;

class tst_StompProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prepareAndValidate();
    void commandsCheckedBeforeQueueing();
    void clientAgainstNpmBroker();
    void stompjsPubSubAckNack();
    void stompjsBadLoginGetsError();
    void stompjsHeartBeats();
    void clientAckModesAndTransactions();
    void malformedFrameGetsErrorAndClose();
    void missingServerHeartBeatIsNoted();
    void brokerSurvivesRandomFrames();
    void headlessServeAndConnect();

private:
    static ProtocolOptions stomp(const QJsonObject &params = {});
    static QString node();
    static QList<QJsonObject> runStompJs(const QUrl &url, const QStringList &args);
    static ProtocolCommand command(const QString &verb, const QString &name = {}, const QString &id = {});
};

ProtocolOptions tst_StompProtocol::stomp(const QJsonObject &params)
{
    ProtocolOptions o;
    o.id = ProtocolId::Stomp;
    o.params = params;
    return o;
}

QString tst_StompProtocol::node()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()
        || !QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/@stomp/stompjs/package.json")))
        return {};
    return node;
}

ProtocolCommand tst_StompProtocol::command(const QString &verb, const QString &name, const QString &id)
{
    ProtocolCommand c;
    c.verb = verb;
    c.name = name;
    c.id = id;
    return c;
}

QList<QJsonObject> tst_StompProtocol::runStompJs(const QUrl &url, const QStringList &args)
{
    QProcess p;
    p.start(node(), QStringList { QStringLiteral(WST_PEERS_DIR "/stomp_client.js"), url.toString() } + args);
    if (!p.waitForStarted())
        return {};
    // The broker runs in this thread: keep the event loop turning while the peer works.
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, 20000)) {
        p.kill();
        p.waitForFinished();
    }
    const QByteArray err = p.readAllStandardError();
    if (p.exitCode() != 0)
        qWarning("stomp_client.js exited with %d: %s", p.exitCode(), err.constData());
    QList<QJsonObject> lines;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

void tst_StompProtocol::prepareAndValidate()
{
    const auto p = Protocol::create(stomp());
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://broker.example:61614/ws"));
    p->prepare(options);
    QCOMPARE(options.subprotocols, QStringList({ QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp") }));
    QCOMPARE(p->serverSubprotocols(),
        QStringList(
            { QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp") }));
    options.subprotocols = QStringList { QStringLiteral("mine") };
    p->prepare(options);
    QCOMPARE(options.subprotocols, QStringList { QStringLiteral("mine") }); // the user's choice stays
    QVERIFY(p->validate().isEmpty());
    QCOMPARE(
        Protocol::create(stomp({ { QStringLiteral("heartbeatOutMs"), QStringLiteral("x") } }))->validate(),
        QStringLiteral(
            "STOMP setting \"heartbeatOutMs\" must be a number of milliseconds from 0 to 86400000."));
    QCOMPARE(Protocol::create(stomp({ { QStringLiteral("version"), QStringLiteral("1.0") } }))->validate(),
        QStringLiteral("STOMP setting \"version\" must be \"1.2\" or \"1.1\", not \"1.0\"."));
    QVERIFY(Protocol::create(stomp({ { QStringLiteral("login"), QStringLiteral("a\nb") } }))
                ->validate()
                .contains(QStringLiteral("line breaks")));
}

void tst_StompProtocol::commandsCheckedBeforeQueueing()
{
    ClientHarness h(stomp());
    h.client = h.protocol->createClient(&h);
    QCOMPARE(h.client->submit(command(QStringLiteral("publish"), QStringLiteral("/a"))),
        QStringLiteral("STOMP cannot do \"publish\" (it can: subscribe, unsubscribe, stop, send, ack, nack, "
                       "begin, commit, abort, disconnect)."));
    QCOMPARE(
        h.client->submit(command(QStringLiteral("send"))), QStringLiteral("STOMP SEND needs a destination."));
    QCOMPARE(h.client->submit(command(QStringLiteral("ack"))),
        QStringLiteral("STOMP ACK needs the id of the message (its ack header)."));
    QCOMPARE(h.client->submit(command(QStringLiteral("commit"))),
        QStringLiteral("STOMP COMMIT needs a transaction id."));
    ProtocolCommand sub = command(QStringLiteral("subscribe"), QStringLiteral("/a"));
    sub.options.insert(QStringLiteral("ack"), QStringLiteral("sometimes"));
    QCOMPARE(h.client->submit(sub),
        QStringLiteral("STOMP ack mode \"sometimes\" is not auto, client or client-individual."));
    // A good command before the handshake is queued, not sent.
    QCOMPARE(h.client->submit(command(QStringLiteral("send"), QStringLiteral("/a"))), QString());
    QVERIFY(h.outgoing.isEmpty());
}

void tst_StompProtocol::clientAgainstNpmBroker()
{
    if (node().isEmpty())
        QSKIP("node or the npm peers are not installed (npm install --prefix tests/peers)");
    QProcess broker;
    broker.start(node(), { QStringLiteral(WST_PEERS_DIR "/stomp_broker.js"), QStringLiteral("100") });
    QVERIFY(broker.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(broker.canReadLine(), 10000);
    const int port = broker.readLine().trimmed().toInt();
    QVERIFY(port > 0);
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/stomp").arg(port));
    const QJsonObject params { { QStringLiteral("login"), QStringLiteral("alice") },
        { QStringLiteral("passcode"), QStringLiteral("pw") }, { QStringLiteral("heartbeatOutMs"), 100 },
        { QStringLiteral("heartbeatInMs"), 100 } };
    ClientHarness a(stomp(params));
    ClientHarness b(stomp(params));
    a.open(url);
    b.open(url);
    QTRY_VERIFY(a.client && a.client->isReady());
    QTRY_VERIFY(b.client->isReady());
    QCOMPARE(a.subprotocol, QStringLiteral("v12.stomp"));
    // The Handshake notice: what the broker answered and what was negotiated (it asks for
    // client beats every 100 ms and sends none).
    const QList<ProtocolNotice> hs = a.noticesOf(ProtocolNotice::Type::Handshake);
    QCOMPARE(hs.size(), 1);
    QCOMPARE(hs.first().data[QStringLiteral("version")].toString(), QStringLiteral("1.1"));
    QVERIFY(hs.first().data[QStringLiteral("server")].toString().startsWith(QStringLiteral("STOMP-JS/")));
    QVERIFY(
        hs.first().fields.contains(qMakePair(QStringLiteral("CONNECT host"), QStringLiteral("127.0.0.1"))));
    QVERIFY(hs.first().fields.contains(qMakePair(QStringLiteral("CONNECT passcode"), QStringLiteral("***"))));
    QCOMPARE(static_cast<StompClient *>(a.client.get())->sendEveryMs(), 100);
    QCOMPARE(static_cast<StompClient *>(a.client.get())->expectEveryMs(), 0);

    QCOMPARE(a.client->submit(command(QStringLiteral("subscribe"), QStringLiteral("/topic/a"))), QString());
    const QList<ProtocolNotice> started = a.noticesOf(ProtocolNotice::Type::OperationStarted);
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.first().id, QStringLiteral("sub-0"));
    QCOMPARE(started.first().name, QStringLiteral("/topic/a"));
    // The broker says on stderr when it has the subscription; B sends after that.
    QByteArray brokerLog;
    QTRY_VERIFY_WITH_TIMEOUT(
        (brokerLog += broker.readAllStandardError()).contains("subscribed /topic/a"), 5000);
    ProtocolCommand send = command(QStringLiteral("send"), QStringLiteral("/topic/a"));
    send.body = R"({"n":1})";
    QCOMPARE(b.client->submit(send), QString());
    QTRY_COMPARE(a.decoded(QStringLiteral("MESSAGE")).size(), 1);
    const ProtocolMessage m = a.decoded(QStringLiteral("MESSAGE")).first();
    QCOMPARE(m.role, ProtocolMessage::Role::Event);
    QCOMPARE(m.name, QStringLiteral("/topic/a"));
    QCOMPARE(m.data.toObject().value(QStringLiteral("n")).toInt(), 1);
    QVERIFY(m.fields.contains(qMakePair(QStringLiteral("subscription"), QStringLiteral("sub-0"))));
    const QByteArray sentSend = b.outgoing.last();
    QVERIFY(sentSend.contains("content-type:application/json\n"));
    QVERIFY(sentSend.contains("content-length:7\n"));

    // Heart-beats keep the connection: the broker closes a client silent for 1.1 s.
    QTRY_VERIFY_WITH_TIMEOUT(a.decoded(QStringLiteral("heart-beat"), true).size() >= 15, 5000);
    QVERIFY(!a.disconnected);
    QVERIFY(a.notes.isEmpty());

    // This broker answers receipts on DISCONNECT only: the Reply, then the close.
    ProtocolCommand bye = command(QStringLiteral("disconnect"));
    QCOMPARE(b.client->submit(bye), QString());
    QTRY_COMPARE(b.noticesOf(ProtocolNotice::Type::Reply).size(), 1);
    QCOMPARE(b.noticesOf(ProtocolNotice::Type::Reply).first().name, QStringLiteral("DISCONNECT"));
    QVERIFY(b.noticesOf(ProtocolNotice::Type::Reply).first().rttUs >= 0);
    QTRY_VERIFY(b.disconnected);

    QCOMPARE(a.client->submit(command(QStringLiteral("stop"), {}, QStringLiteral("sub-0"))), QString());
    QCOMPARE(a.noticesOf(ProtocolNotice::Type::OperationEnded).size(), 1);
    QCOMPARE(a.client->submit(command(QStringLiteral("unsubscribe"), {}, QStringLiteral("sub-0"))),
        QStringLiteral("STOMP: there is no subscription \"sub-0\"."));
    broker.kill();
    broker.waitForFinished();
}

void tst_StompProtocol::stompjsPubSubAckNack()
{
    if (node().isEmpty())
        QSKIP("node or the npm peers are not installed (npm install --prefix tests/peers)");
    ServerHarness server(stomp({ { QStringLiteral("login"), QStringLiteral("guest") },
        { QStringLiteral("passcode"), QStringLiteral("guest") } }));
    QVERIFY(server.listen());
    const QList<QJsonObject> lines = runStompJs(
        server.url(), { QStringLiteral("pubsub"), QStringLiteral("guest"), QStringLiteral("guest") });
    QStringList events;
    for (const QJsonObject &o : lines)
        events.append(o.value(QStringLiteral("event")).toString() + QLatin1Char(' ')
            + o.value(QStringLiteral("body")).toString()
            + (o.value(QStringLiteral("redelivered")).toBool() ? QStringLiteral(" redelivered") : QString()));
    QCOMPARE(events,
        QStringList({ QStringLiteral("connected "), QStringLiteral("receipt "), QStringLiteral("receipt "),
            QStringLiteral("message hello"), QStringLiteral("message second"),
            QStringLiteral("message second redelivered"), QStringLiteral("message {\"n\":3}"),
            QStringLiteral("done ") }));
    QCOMPARE(lines.first().value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QVERIFY(lines.first().value(QStringLiteral("server")).toString().startsWith(QStringLiteral("wstester/")));
    QCOMPARE(lines.at(6).value(QStringLiteral("destination")).toString(), QStringLiteral("/queue/x"));
    for (const auto &entry : server.subprotocols)
        QCOMPARE(entry.second, QStringLiteral("v12.stomp"));
}

void tst_StompProtocol::stompjsBadLoginGetsError()
{
    if (node().isEmpty())
        QSKIP("node or the npm peers are not installed (npm install --prefix tests/peers)");
    ServerHarness server(stomp({ { QStringLiteral("login"), QStringLiteral("guest") },
        { QStringLiteral("passcode"), QStringLiteral("guest") } }));
    QVERIFY(server.listen());
    const QList<QJsonObject> lines = runStompJs(
        server.url(), { QStringLiteral("badlogin"), QStringLiteral("guest"), QStringLiteral("nope") });
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.first().value(QStringLiteral("message")).toString(), QStringLiteral("access refused"));
    QCOMPARE(
        lines.first().value(QStringLiteral("body")).toString(), QStringLiteral("Bad login or passcode."));
    QTRY_VERIFY(server.sockets.empty()); // closed after the ERROR
}

void tst_StompProtocol::stompjsHeartBeats()
{
    if (node().isEmpty())
        QSKIP("node or the npm peers are not installed (npm install --prefix tests/peers)");
    ServerHarness server(
        stomp({ { QStringLiteral("heartbeatOutMs"), 100 }, { QStringLiteral("heartbeatInMs"), 100 } }));
    QVERIFY(server.listen());
    const QList<QJsonObject> lines = runStompJs(server.url(), { QStringLiteral("heartbeat") });
    QCOMPARE(lines.size(), 1);
    const QJsonObject o = lines.first();
    QCOMPARE(o.value(QStringLiteral("negotiated")).toString(), QStringLiteral("100,100"));
    QVERIFY(o.value(QStringLiteral("connected")).toBool());
    // 1.5 s at 100 ms: both sides beat (stompjs would have closed on a silent server).
    QVERIFY2(o.value(QStringLiteral("pongs")).toInt() >= 5,
        qPrintable(QString::number(o.value(QStringLiteral("pongs")).toInt())));
    QVERIFY2(o.value(QStringLiteral("pings")).toInt() >= 5,
        qPrintable(QString::number(o.value(QStringLiteral("pings")).toInt())));
    QVERIFY(server.notes.isEmpty());
}

void tst_StompProtocol::clientAckModesAndTransactions()
{
    ServerHarness server(stomp());
    QVERIFY(server.listen());
    ClientHarness a(stomp());
    ClientHarness b(stomp());
    a.open(server.url());
    b.open(server.url());
    QTRY_VERIFY(a.client && a.client->isReady());
    QTRY_VERIFY(b.client && b.client->isReady());
    auto *broker = static_cast<StompServer *>(server.broker.get());

    ProtocolCommand sub = command(QStringLiteral("subscribe"), QStringLiteral("/queue/*"));
    sub.options.insert(QStringLiteral("ack"), QStringLiteral("client"));
    sub.expectReply = true;
    QCOMPARE(a.client->submit(sub), QString());
    QTRY_COMPARE(a.noticesOf(ProtocolNotice::Type::Reply).size(), 1);
    QCOMPARE(a.noticesOf(ProtocolNotice::Type::Reply).first().name, QStringLiteral("SUBSCRIBE /queue/*"));

    // A transaction: nothing arrives until COMMIT; an aborted one never arrives.
    QCOMPARE(b.client->submit(command(QStringLiteral("begin"), {}, QStringLiteral("tx1"))), QString());
    for (const char *body : { "one", "two" }) {
        ProtocolCommand send = command(QStringLiteral("send"), QStringLiteral("/queue/q"));
        send.body = body;
        send.options.insert(QStringLiteral("transaction"), QStringLiteral("tx1"));
        QCOMPARE(b.client->submit(send), QString());
    }
    QCOMPARE(b.client->submit(command(QStringLiteral("begin"), {}, QStringLiteral("tx2"))), QString());
    ProtocolCommand dropped = command(QStringLiteral("send"), QStringLiteral("/queue/q"));
    dropped.body = "dropped";
    dropped.headers = { { QStringLiteral("transaction"), QStringLiteral("tx2") } };
    QCOMPARE(b.client->submit(dropped), QString());
    QCOMPARE(b.client->submit(command(QStringLiteral("abort"), {}, QStringLiteral("tx2"))), QString());
    ProtocolCommand commit = command(QStringLiteral("commit"), {}, QStringLiteral("tx1"));
    commit.expectReply = true;
    QCOMPARE(b.client->submit(commit), QString());
    QTRY_COMPARE(b.noticesOf(ProtocolNotice::Type::Reply).size(), 1);
    QTRY_COMPARE(a.decoded(QStringLiteral("MESSAGE")).size(), 2);
    QCOMPARE(a.decoded(QStringLiteral("MESSAGE")).at(0).body, QByteArray("one"));
    QCOMPARE(a.decoded(QStringLiteral("MESSAGE")).at(1).body, QByteArray("two"));
    QCOMPARE(broker->unackedCount(1), 2);

    // client mode is cumulative: ACKing the second acknowledges both.
    QString ackId;
    const ProtocolMessage second = a.decoded(QStringLiteral("MESSAGE")).at(1);
    for (const auto &f : second.fields) {
        if (f.first == QLatin1String("ack"))
            ackId = f.second;
    }
    QVERIFY(!ackId.isEmpty());
    ProtocolCommand ack = command(QStringLiteral("ack"), {}, ackId);
    ack.expectReply = true;
    QCOMPARE(a.client->submit(ack), QString());
    QTRY_COMPARE(a.noticesOf(ProtocolNotice::Type::Reply).size(), 2);
    QCOMPARE(broker->unackedCount(1), 0);
    QVERIFY(!a.outgoing.last().contains("\\c")); // ack ids need no escaping

    // An ACK for a message nobody awaits: an ERROR frame, shown as an Error notice, then closed.
    QCOMPARE(a.client->submit(command(QStringLiteral("ack"), {}, QStringLiteral("ack-999"))), QString());
    QTRY_COMPARE(a.noticesOf(ProtocolNotice::Type::Error).size(), 1);
    const ProtocolNotice error = a.noticesOf(ProtocolNotice::Type::Error).first();
    QCOMPARE(error.name, QStringLiteral("unknown message"));
    QCOMPARE(error.data.toString(), QStringLiteral("No message awaits ACK with id \"ack-999\"."));
    QTRY_VERIFY(a.disconnected);
    QCOMPARE(a.noticesOf(ProtocolNotice::Type::OperationEnded).size(),
        1); // the subscription ended with the connection
    QCOMPARE(broker->subscriptionCount(), 0);
}

void tst_StompProtocol::malformedFrameGetsErrorAndClose()
{
    ServerHarness server(stomp());
    QVERIFY(server.listen());
    ClientHarness a(stomp());
    a.open(server.url());
    QTRY_VERIFY(a.client && a.client->isReady());
    a.ws.sendTextMessage(QStringLiteral("SEND\ndestination:/a\n\nno terminator"));
    QTRY_COMPARE(a.noticesOf(ProtocolNotice::Type::Error).size(), 1);
    QCOMPARE(a.noticesOf(ProtocolNotice::Type::Error).first().name, QStringLiteral("malformed frame"));
    QCOMPARE(a.noticesOf(ProtocolNotice::Type::Error).first().data.toString(),
        QStringLiteral("SEND: the frame has no NUL terminator"));
    QTRY_VERIFY(a.disconnected);
    QCOMPARE(a.ws.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(a.ws.closeReason(), QStringLiteral("STOMP ERROR: malformed frame"));
    // The ERROR row reads clearly in the history.
    const ProtocolMessage row = a.decoded(QStringLiteral("ERROR")).first();
    QCOMPARE(row.summary(), QStringLiteral("ERROR malformed frame SEND: the frame has no NUL terminator"));
}

void tst_StompProtocol::missingServerHeartBeatIsNoted()
{
    // A server that promises heart-beats every 50 ms and then says nothing.
    QWebSocketServer silent(QStringLiteral("silent"), QWebSocketServer::NonSecureMode);
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QWebSocket *> sockets;
    connect(&silent, &QWebSocketServer::newConnection, this, [&silent, &sockets] {
        QWebSocket *ws = silent.nextPendingConnection();
        sockets.append(ws);
        connect(ws, &QWebSocket::textMessageReceived, ws, [ws](const QString &text) {
            if (text.startsWith(QLatin1String("CONNECT\n")))
                ws->sendTextMessage(QString::fromUtf8(StompFrame::make("CONNECTED",
                    { { "version", "1.2" },
                        { "heart-beat", "50,0" } }).serialize()));
        });
    });
    ClientHarness a(stomp({ { QStringLiteral("heartbeatInMs"), 50 } }));
    a.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort())));
    QTRY_VERIFY(a.client && a.client->isReady());
    QCOMPARE(static_cast<StompClient *>(a.client.get())->expectEveryMs(), 50);
    QTRY_COMPARE_WITH_TIMEOUT(a.notes.size(), 1, 5000);
    QCOMPARE(a.notes.first().first, Kind::Error);
    QVERIFY2(a.notes.first().second.startsWith(QStringLiteral("STOMP: no heart-beat from the server for ")),
        qPrintable(a.notes.first().second));
    QVERIFY(a.notes.first().second.endsWith(QStringLiteral("(negotiated: every 50 ms)")));
    qDeleteAll(sockets);
}

namespace {
// Closes synchronously (clientClosed inside closeClient): the harshest order a server worker
// could call the broker in.
class SyncSink : public ProtocolServerSink
{
public:
    void sendText(quint32, const QString &) override { ++sent; }
    void sendBinary(quint32, const QByteArray &) override { ++sent; }
    void note(quint32, Kind, const QString &) override { }
    void closeClient(quint32 id, int, const QString &) override
    {
        if (open.remove(id))
            broker->clientClosed(id);
    }
    QList<quint32> clientIds() const override { return open.values(); }
    ProtocolServer *broker = nullptr;
    QSet<quint32> open;
    int sent = 0;
};
} // namespace

void tst_StompProtocol::brokerSurvivesRandomFrames()
{
    const auto protocol = Protocol::create(stomp());
    SyncSink sink;
    const auto broker = protocol->createServer(&sink);
    sink.broker = broker.get();
    QRandomGenerator rng(5);
    const QByteArrayList commands { "CONNECT", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN",
        "COMMIT", "ABORT", "DISCONNECT", "STOMP", "BOGUS" };
    const QByteArrayList names { "destination", "id", "ack", "transaction", "receipt", "accept-version",
        "message-id", "heart-beat" };
    const QByteArrayList values { "/q/a", "/q/*", "sub-0", "sub-1", "client", "client-individual", "auto",
        "tx-0", "ack-0", "ack-1", "ack-2", "1.2", "1.1", "msg-0", "0,0" };
    quint32 nextId = 1;
    int connects = 0;
    for (int i = 0; i < 20000; ++i) {
        if (sink.open.size() < 3) {
            sink.open.insert(nextId);
            broker->clientOpened(nextId, QStringLiteral("v12.stomp"), QStringLiteral("/"));
            // Most clients get past CONNECT so that the rest of the broker is exercised.
            if (rng.bounded(4) != 0) {
                broker->received(nextId, Kind::Text,
                    StompFrame::make("CONNECT", { { "accept-version", rng.bounded(2) ? "1.2" : "1.1" } })
                        .serialize());
                ++connects;
            }
            ++nextId;
        }
        const QList<quint32> ids = sink.open.values();
        const quint32 id = ids.at(rng.bounded(int(ids.size())));
        StompFrame f = StompFrame::make(commands.at(rng.bounded(int(commands.size()))));
        for (int h = int(rng.bounded(4)); h > 0; --h)
            f.headers.append(
                { names.at(rng.bounded(int(names.size()))), values.at(rng.bounded(int(values.size()))) });
        if (f.command == "SEND" && rng.bounded(2))
            f.headers.prepend({ "destination", rng.bounded(2) ? "/q/a" : "/q/b" });
        QByteArray wire = rng.bounded(20) == 0 ? f.serialize().left(rng.bounded(10)) : f.serialize();
        if (rng.bounded(10) == 0)
            wire += StompFrame::heartBeat().serialize() + f.serialize();
        broker->received(id, Kind::Text, wire);
    }
    QVERIFY(connects > 1000);
    QVERIFY(sink.sent > 1000);
}

void tst_StompProtocol::headlessServeAndConnect()
{
    // wstester serve --protocol stomp, a subscriber and a sender, all headless.
    QProcess serve;
    serve.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("serve"), QStringLiteral("--protocol"), QStringLiteral("stomp"),
            QStringLiteral("--protocol-option"), QStringLiteral("login=guest"),
            QStringLiteral("--protocol-option"), QStringLiteral("passcode=guest") });
    QVERIFY(serve.waitForStarted());
    QVERIFY(serve.waitForReadyRead(10000));
    const QByteArray first = serve.readLine().trimmed();
    QVERIFY2(first.startsWith("listening "), first.constData());
    const QString url = QString::fromUtf8(first.mid(10));
    const QStringList login { QStringLiteral("--protocol"), QStringLiteral("stomp"),
        QStringLiteral("--protocol-option"), QStringLiteral("login=guest"),
        QStringLiteral("--protocol-option"), QStringLiteral("passcode=guest") };
    QProcess subscriber;
    subscriber.start(QStringLiteral(WST_BINARY),
        QStringList { QStringLiteral("connect"), url } + login
            + QStringList { QStringLiteral("--subscribe"), QStringLiteral("/topic/a"), QStringLiteral("-n"),
                QStringLiteral("1") });
    QVERIFY(subscriber.waitForStarted());
    // The server prints what it receives: the sender starts once the SUBSCRIBE is there.
    QByteArray served;
    QTRY_VERIFY_WITH_TIMEOUT((served += serve.readAllStandardOutput()).contains("< SUBSCRIBE"), 10000);
    QProcess sender;
    sender.start(QStringLiteral(WST_BINARY),
        QStringList { QStringLiteral("connect"), url } + login
            + QStringList { QStringLiteral("--stomp-send"), QStringLiteral("/topic/a"),
                QStringLiteral("{\"x\":1}"), QStringLiteral("--ack"), QStringLiteral("-n"),
                QStringLiteral("1") });
    QVERIFY(sender.waitForFinished(15000));
    QCOMPARE(sender.exitCode(), 0);
    QCOMPARE(sender.readAllStandardOutput(), QByteArray("RECEIPT #rcpt-0\n"));
    QVERIFY(subscriber.waitForFinished(15000));
    QCOMPARE(subscriber.exitCode(), 0);
    QCOMPARE(subscriber.readAllStandardOutput(), QByteArray("MESSAGE /topic/a #msg-0 {\"x\":1}\n"));

    // A wrong passcode: the ERROR line, clearly.
    QProcess refused;
    refused.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), url, QStringLiteral("--protocol"), QStringLiteral("stomp"),
            QStringLiteral("--protocol-option"), QStringLiteral("login=guest"), QStringLiteral("-n"),
            QStringLiteral("1") });
    QVERIFY(refused.waitForFinished(15000));
    QCOMPARE(refused.readAllStandardOutput(), QByteArray("ERROR access refused Bad login or passcode.\n"));
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_StompProtocol)
#include "tst_StompProtocol.moc"
