// The local server's faults on purpose (FaultPlan, ServerFaults), over real sockets: what a
// client of Qt, of node `ws`, and wstester's own reconnecting client see, and what the
// server's history says it did.
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "server/LocalServer.h"

#include <QProcess>
#include <QStandardPaths>
#include <QWebSocket>
#include <QtTest>

using namespace wst;

class tst_ServerFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dropIsReproducibleWithASeed();
    void delayKeepsTheOrder();
    void fragmentIntoFrames();
    void corruptFrame_data();
    void corruptFrame();
    void abortAfterATime();
    void closeRightAway();
    void stopReadingAfterMessages();
    void nodeClientThroughAFaultSchedule();
    void wstesterReconnectsThroughAFaultSchedule();
    void faultsOfAReplyRule();

private:
    static bool start(LocalServer &server, const QStringList &faults);
    static QStringList notes(const LocalServer &server, const char *prefix = "Fault:");
};

bool tst_ServerFaults::start(LocalServer &server, const QStringList &faults)
{
    ServerOptions options;
    QString problem;
    options.faults = FaultPlan::parse(faults, &problem);
    if (!problem.isEmpty())
        return false;
    server.start(options);
    return QTest::qWaitFor([&server] { return server.state() != LocalServer::State::Stopped; }, 5000)
        && server.state() == LocalServer::State::Listening;
}

QStringList tst_ServerFaults::notes(const LocalServer &server, const char *prefix)
{
    QStringList rows;
    const MessageStore &s = *server.store();
    for (qint64 i = 0; i < s.count(); ++i) {
        if (s.row(i).kind == Kind::Info && s.payload(i).startsWith(prefix))
            rows.append(QString::fromUtf8(s.payload(i)));
    }
    return rows;
}

void tst_ServerFaults::dropIsReproducibleWithASeed()
{
    QList<QStringList> runs;
    for (int run = 0; run < 2; ++run) {
        LocalServer server;
        QVERIFY(start(server, { QStringLiteral("drop=40"), QStringLiteral("seed=7") }));
        QWebSocket ws;
        QStringList got;
        connect(&ws, &QWebSocket::textMessageReceived, this, [&got](const QString &t) { got.append(t); });
        ws.open(server.url());
        QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
        for (int i = 0; i < 50; ++i)
            ws.sendTextMessage(QString::number(i));
        // Every message either came back or is noted as dropped.
        QTRY_COMPARE(got.size() + notes(server, "Fault: dropped").size(), 50);
        QVERIFY2(got.size() > 15 && got.size() < 45, qPrintable(QString::number(got.size())));
        QCOMPARE(notes(server, "Faults on").value(0), QStringLiteral("Faults on: drop 40 % (seed 7)."));
        runs.append(got);
    }
    QCOMPARE(runs.at(0), runs.at(1));
}

void tst_ServerFaults::delayKeepsTheOrder()
{
    LocalServer server;
    QVERIFY(start(server, { QStringLiteral("delay=150,jitter=100") }));
    QWebSocket ws;
    QStringList got;
    connect(&ws, &QWebSocket::textMessageReceived, this, [&got](const QString &t) { got.append(t); });
    ws.open(server.url());
    QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 10; ++i)
        ws.sendTextMessage(QString::number(i));
    QTRY_VERIFY(!got.isEmpty());
    QVERIFY2(clock.elapsed() >= 45, qPrintable(QString::number(clock.elapsed())));
    QTRY_COMPARE(got.size(), 10);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(got.at(i), QString::number(i));
    const QStringList delayed = notes(server, "Fault: delayed");
    QCOMPARE(delayed.size(), 10);
    QVERIFY(delayed.first().startsWith(QStringLiteral("Fault: delayed message 1 by ")));
}

void tst_ServerFaults::fragmentIntoFrames()
{
    LocalServer server;
    QVERIFY(start(server, { QStringLiteral("fragment=3") }));
    QWebSocket ws;
    QStringList frames;
    QString message;
    connect(
        &ws, &QWebSocket::textFrameReceived, this, [&frames](const QString &f, bool) { frames.append(f); });
    connect(&ws, &QWebSocket::textMessageReceived, this, [&message](const QString &t) { message = t; });
    ws.open(server.url());
    QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
    ws.sendTextMessage(QStringLiteral("abcdefgh"));
    QTRY_COMPARE(message, QStringLiteral("abcdefgh"));
    QCOMPARE(frames, QStringList({ QStringLiteral("abc"), QStringLiteral("def"), QStringLiteral("gh") }));
    QCOMPARE(notes(server), QStringList { QStringLiteral("Fault: message 1 sent in 3 frames.") });
}

void tst_ServerFaults::corruptFrame_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("clientCloseCode");
    QTest::newRow("invalid UTF-8") << QStringLiteral("corrupt=utf8,at=2") << 1007;
    QTest::newRow("reserved opcode") << QStringLiteral("corrupt=opcode,at=2") << 1002;
    QTest::newRow("RSV bits") << QStringLiteral("corrupt=rsv,at=2") << 1002;
}

void tst_ServerFaults::corruptFrame()
{
    QFETCH(QString, spec);
    QFETCH(int, clientCloseCode);
    LocalServer server;
    QVERIFY(start(server, { spec }));
    QWebSocket ws;
    QStringList got;
    connect(&ws, &QWebSocket::textMessageReceived, this, [&got](const QString &t) { got.append(t); });
    ws.open(server.url());
    QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
    ws.sendTextMessage(QStringLiteral("one"));
    QTRY_COMPARE(got, QStringList { QStringLiteral("one") });
    ws.sendTextMessage(QStringLiteral("two"));
    // The client refuses the broken frame and closes with the code RFC 6455 names for it.
    QTRY_COMPARE(ws.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(ws.closeCode()), clientCloseCode);
    QCOMPARE(got, QStringList { QStringLiteral("one") });
    QCOMPARE(notes(server).size(), 1);
    QVERIFY(notes(server).first().startsWith(QStringLiteral("Fault: message 2 sent as a broken frame")));
    QTRY_VERIFY(!server.clients().isEmpty() && !server.clients().first().connected);
    QCOMPARE(server.clients().first().closeCode, clientCloseCode);
}

void tst_ServerFaults::abortAfterATime()
{
    LocalServer server;
    QVERIFY(start(server, { QStringLiteral("abort,after=300ms") }));
    // wstester's own client: Qt's QWebSocket reports 1000 for a connection that ended without a Close.
    ClientConnection c;
    ConnectionOptions o;
    o.url = server.url();
    c.open(o);
    QTRY_COMPARE(c.state(), ClientConnection::State::Open);
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY(c.state() != ClientConnection::State::Open);
    QVERIFY2(clock.elapsed() >= 200, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(c.status().closeCode, 1006);
    QTRY_VERIFY(!server.clients().isEmpty() && !server.clients().first().connected);
    QCOMPARE(server.clients().first().closeCode, 1006);
    QCOMPARE(notes(server),
        QStringList { QStringLiteral("Fault: dropped the connection without a Close after 300 ms.") });
}

void tst_ServerFaults::closeRightAway()
{
    LocalServer server;
    QVERIFY(start(server, { QStringLiteral("close=1013,reason=try later") }));
    ClientConnection c;
    ConnectionOptions o;
    o.url = server.url();
    c.open(o);
    QTRY_VERIFY(c.status().closeCode != 0);
    QCOMPARE(c.status().closeCode, 1013);
    QCOMPARE(c.status().closeReason, QStringLiteral("try later"));
    QCOMPARE(notes(server), QStringList { QStringLiteral("Fault: closed with 1013 on connect.") });
}

void tst_ServerFaults::stopReadingAfterMessages()
{
    LocalServer server;
    QVERIFY(start(server, { QStringLiteral("stop-reading,after=1") }));
    QWebSocket ws;
    QStringList got;
    connect(&ws, &QWebSocket::textMessageReceived, this, [&got](const QString &t) { got.append(t); });
    ws.open(server.url());
    QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
    ws.sendTextMessage(QStringLiteral("read"));
    QTRY_COMPARE(got, QStringList { QStringLiteral("read") });
    QCOMPARE(notes(server),
        QStringList { QStringLiteral("Fault: stopped reading from this client after 1 message.") });
    // 32 MB, more than the loopback buffers hold, in small messages (Qt reads a frame only once
    // all of it is buffered, so one large frame would stall a reading server too).
    constexpr qint64 Size = qint64(32) << 20;
    const QByteArray piece(16 * 1024, 'x');
    for (qint64 sent = 0; sent < Size; sent += piece.size())
        ws.sendBinaryMessage(piece);
    ws.sendTextMessage(QStringLiteral("unread"));
    ws.ping("p");
    // Bounded wait for what must not happen: a server that reads gets all of it in well under this.
    const bool arrived = QTest::qWaitFor(
        [&server] { return !server.clients().isEmpty() && server.clients().first().messagesIn > 1; }, 1500);
    QVERIFY(!arrived);
    QVERIFY2(ws.bytesToWrite() > Size / 4, qPrintable(QString::number(ws.bytesToWrite())));
    QCOMPARE(got.size(), 1); // no echo, no pong reply seen as a message
    QCOMPARE(server.clients().first().messagesIn, 1);
    QVERIFY(server.clients().first().connected);
}

void tst_ServerFaults::nodeClientThroughAFaultSchedule()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not installed (scripts/setup.sh --tests installs it)");
    QVERIFY2(QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json")),
        "run npm install in tests/peers");
    LocalServer server;
    QVERIFY(start(server,
        { QStringLiteral("refuse=2,status=503"), QStringLiteral("close=4000,after=3,reason=fault") }));
    QProcess peer;
    peer.start(node,
        { QStringLiteral(WST_PEERS_DIR "/ws_reconnect_client.js"), server.url().toString(),
            QStringLiteral("2") });
    QTRY_COMPARE_WITH_TIMEOUT(peer.state(), QProcess::NotRunning, 25000);
    QCOMPARE(peer.exitCode(), 0);
    QCOMPARE(peer.readAllStandardOutput(),
        QByteArray("refused 503\nrefused 503\nopen\n1-1\n1-2\n1-3\nclosed 4000 fault\n"
                   "open\n2-1\n2-2\n2-3\nclosed 4000 fault\n"));
    QCOMPARE(notes(server),
        QStringList({ QStringLiteral("Fault: closed with 4000 after 3 messages."),
            QStringLiteral("Fault: closed with 4000 after 3 messages.") }));
}

void tst_ServerFaults::wstesterReconnectsThroughAFaultSchedule()
{
    LocalServer server;
    QVERIFY(start(server, { QStringLiteral("refuse=2,status=503"), QStringLiteral("close=4000,after=3") }));
    ClientConnection c;
    ConnectionOptions o;
    o.url = server.url();
    o.autoReconnect = true;
    o.reconnectInitialMs = 50;
    o.reconnectMaxMs = 100;
    QStringList seen; // what the client saw, in order
    connect(&c, &ClientConnection::stateChanged, this, [&c, &seen](ClientConnection::State state) {
        if (state == ClientConnection::State::Open) {
            seen.append(QStringLiteral("open"));
            for (int i = 1; i <= 3; ++i)
                c.sendText(QString::number(i));
        } else if (state == ClientConnection::State::Error) {
            seen.append(c.status().errorString.contains(QLatin1StringView("503"))
                    ? QStringLiteral("refused 503")
                    : c.status().errorString);
        } else if (state == ClientConnection::State::Closed) {
            seen.append(QStringLiteral("closed %1").arg(c.status().closeCode));
        }
    });
    c.open(o);
    QTRY_VERIFY_WITH_TIMEOUT(seen.count(QStringLiteral("closed 4000")) == 2, 15000);
    c.cancelReconnect();
    QCOMPARE(seen,
        QStringList({ QStringLiteral("refused 503"), QStringLiteral("refused 503"), QStringLiteral("open"),
            QStringLiteral("closed 4000"), QStringLiteral("open"), QStringLiteral("closed 4000") }));
    // The client got its three echoes each time before the close.
    QTRY_COMPARE(c.store()->counters().messagesIn, 6);
    QCOMPARE(notes(server, "Refused").size(), 0); // refusals are Error rows, not notes
    int refusals = 0;
    const MessageStore &s = *server.store();
    for (qint64 i = 0; i < s.count(); ++i)
        refusals += s.row(i).kind == Kind::Error && s.payload(i).contains("fault: refused handshake");
    QCOMPARE(refusals, 2);
}

void tst_ServerFaults::faultsOfAReplyRule()
{
    // One rule's replies are dropped (100 %), the other's come through untouched; the server has
    // no faults of its own.
    LocalServer server;
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Rules;
    QString problem;
    options.rules = ReplyRules::parse(
        R"({"rules": [{"match": "exact", "value": "lost", "actions": [{"reply": "never"}],
            "faults": ["drop=100"]},
            {"match": "exact", "value": "fine", "actions": [{"reply": "fine too"}]}]})",
        &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    server.start(options);
    QTRY_COMPARE(server.state(), LocalServer::State::Listening);
    QWebSocket ws;
    QStringList got;
    connect(&ws, &QWebSocket::textMessageReceived, this, [&got](const QString &t) { got.append(t); });
    ws.open(server.url());
    QTRY_COMPARE(ws.state(), QAbstractSocket::ConnectedState);
    ws.sendTextMessage(QStringLiteral("lost"));
    ws.sendTextMessage(QStringLiteral("fine"));
    QTRY_COMPARE(got, QStringList { QStringLiteral("fine too") });
    QTRY_COMPARE(notes(server, "Fault: dropped").size(), 1);
    QVERIFY(notes(server, "Fault: dropped").first().contains(QStringLiteral("(5 bytes)")));
}

QTEST_GUILESS_MAIN(tst_ServerFaults)
#include "tst_ServerFaults.moc"
