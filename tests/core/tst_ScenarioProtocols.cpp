// Scenario protocol steps (README, "Protocol steps"): a connection's "protocol", "command" steps
// with and without replies, expects that match decoded protocol messages, against the real npm
// libraries (socket.io 4, aedes, graphql-ws) and wstester's own STOMP broker, plus `wstester test`.
#include "NodePeer.h"
#include "scenario/ScenarioParser.h"
#include "scenario/ScenarioRunner.h"
#include "server/LocalServer.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;
using wst::test::NodePeer;

class tst_ScenarioProtocols : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseErrors_data();
    void parseErrors();
    void socketIo();
    void socketIoRefusedNamespace();
    void socketIoStrictSkipsKeepAlives();
    void mqtt();
    void graphql();
    void stompOwnBroker();
    void replyTimesOutAndRefusals();
    void headlessTest();

private:
    static ScenarioReport run(const QByteArray &json, const QMap<QString, QString> &variables);
    static QString describe(const ScenarioReport &report);
};

ScenarioReport tst_ScenarioProtocols::run(const QByteArray &json, const QMap<QString, QString> &variables)
{
    QString error;
    const std::optional<Scenario> scenario = ScenarioParser::parse(json, QString(), &error);
    if (!scenario) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    ScenarioRunner runner;
    runner.setVariables(variables);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start(*scenario);
    if (!finished.wait(30000))
        qWarning("the run did not finish");
    return runner.report();
}

QString tst_ScenarioProtocols::describe(const ScenarioReport &report)
{
    QStringList lines;
    for (const StepReport &s : report.steps)
        lines << QStringLiteral("%1 %2: %3").arg(ScenarioReport::outcomeName(s.outcome), s.title, s.detail);
    return lines.join(QLatin1Char('\n'));
}

void tst_ScenarioProtocols::parseErrors_data()
{
    QTest::addColumn<QByteArray>("steps");
    QTest::addColumn<QString>("message");
    QTest::newRow("command on a raw connection")
        << QByteArray(R"({"command": "raw", "verb": "emit", "event": "x"})")
        << QStringLiteral("step 1: connection \"raw\" speaks plain WebSocket: give it a \"protocol\"");
    QTest::newRow("verb the protocol lacks")
        << QByteArray(R"({"command": "io", "verb": "publish", "topic": "x"})")
        << QStringLiteral("step 1: Socket.IO cannot do \"publish\" (it can: emit).");
    QTest::newRow("no verb") << QByteArray(R"({"command": "io", "event": "x"})")
                             << QStringLiteral("step 1: a command step needs a \"verb\"");
    QTest::newRow("two names") << QByteArray(
        R"({"command": "io", "verb": "emit", "event": "x", "topic": "y"})")
                               << QStringLiteral("step 1: \"event\" and \"topic\" both name");
    QTest::newRow("save without reply")
        << QByteArray(R"({"command": "io", "verb": "emit", "event": "x", "save": {"a": "$[0]"}})")
        << QStringLiteral("step 1: \"save\" reads the reply: it needs \"reply\": true.");
    QTest::newRow("qos out of range")
        << QByteArray(R"({"command": "io", "verb": "emit", "event": "x", "qos": 3})")
        << QStringLiteral("step 1: \"qos\" must be 0, 1 or 2.");
    QTest::newRow("protocol condition on a raw connection")
        << QByteArray(R"({"expect": "raw", "event": "chat"})")
        << QStringLiteral("step 1: \"event\" needs a connection with a \"protocol\" (connection \"raw\"");
    QTest::newRow("protocol condition with raw")
        << QByteArray(R"({"expect": "io", "type": "EVENT", "raw": true})")
        << QStringLiteral("step 1: \"type\" is a protocol condition: it cannot be used with \"raw\": true.");
    QTest::newRow("unknown key") << QByteArray(R"({"command": "io", "verb": "emit", "evnt": "x"})")
                                 << QStringLiteral("step 1: unknown key \"evnt\" in a \"command\" step");
    QTest::newRow("variables without query")
        << QByteArray(R"({"command": "io", "verb": "emit", "variables": {}})")
        << QStringLiteral("step 1: \"variables\" and \"operationName\" belong to a \"query\".");
}

void tst_ScenarioProtocols::parseErrors()
{
    QFETCH(QByteArray, steps);
    QFETCH(QString, message);
    const QByteArray json = R"({"connections": {"raw": "ws://127.0.0.1:1/", "io": {"url": "ws://127.0.0.1:1/",
        "protocol": "socket.io"}}, "steps": [)"
        + steps + "]}";
    QString error;
    QVERIFY(!ScenarioParser::parse(json, QStringLiteral("p.wstest.json"), &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.startsWith(QStringLiteral("p.wstest.json:")), qPrintable(error));

    // A bad protocol is named at the connection.
    const QByteArray badProtocol
        = R"({"connections": {"a": {"url": "ws://x/", "protocol": "amqp"}}, "steps": [{"connect": "a"}]})";
    QVERIFY(!ScenarioParser::parse(badProtocol, QString(), &error));
    QVERIFY2(error.contains(QStringLiteral("connection \"a\": \"protocol\": Unknown protocol \"amqp\"")),
        qPrintable(error));
}

void tst_ScenarioProtocols::socketIo()
{
    NodePeer peer;
    QVERIFY2(
        peer.start(QStringLiteral("socketio_server.js")), "node and tests/peers' npm packages are needed");
    const int port = peer.port();
    QVERIFY(port > 0);
    // The /admin namespace wants auth {"token": "secret"}: given by a variable in the params.
    const QByteArray json = R"({
      "connections": {
        "io": {"url": "ws://127.0.0.1:{{port}}", "protocol": {"name": "socket.io", "namespace": "/admin",
               "auth": {"token": "{{token}}"}}}
      },
      "steps": [
        {"connect": "io"},
        {"expect": "io", "event": "welcome", "json": {"$[0].user": "admin"}},
        {"command": "io", "verb": "emit", "event": "echo", "args": [{"n": 7, "who": "{{token}}"}, "two"],
         "reply": true, "save": {"n": "$[0].n"}},
        {"expect": "io", "event": "echo", "json": {"$[1]": "two", "$[0].who": "secret"}, "save": {"again": "$[0].n"}},
        {"command": "io", "verb": "emit", "event": "echo", "args": ["{{n}}-{{again}}"]},
        {"expect": "io", "type": "EVENT", "event": "echo", "text": "[\"7-7\"]"},
        {"command": "io", "verb": "emit", "event": "echo", "args": ["raw"], "reply": true},
        {"expect": "io", "raw": true, "regex": "^43/admin,[0-9]+\\[\"raw\"\\]$"},
        {"expectNone": "io", "event": "news", "for": 200}
      ]})";
    // The raw expect reads the ack packet as it came on the wire.
    const ScenarioReport report = run(json,
        { { QStringLiteral("port"), QString::number(port) },
            { QStringLiteral("token"), QStringLiteral("secret") } });
    QVERIFY2(report.passed(), qPrintable(describe(report)));
    QVERIFY2(report.steps.at(0).detail.endsWith(QStringLiteral("; Socket.IO ready")),
        qPrintable(report.steps.at(0).detail));
    QVERIFY2(report.steps.at(2).detail.startsWith(QStringLiteral("reply in ")),
        qPrintable(report.steps.at(2).detail));
    QVERIFY2(report.steps.at(2).detail.endsWith(QStringLiteral(": [{\"n\":7,\"who\":\"secret\"},\"two\"]")),
        qPrintable(report.steps.at(2).detail));
    QCOMPARE(report.steps.at(4).detail, QStringLiteral("sent"));
    QCOMPARE(report.steps.at(2).title,
        QStringLiteral("emit io: echo [{\"n\":7,\"who\":\"{{token}}\"},\"two\"], reply within 5000 ms"));
    QCOMPARE(report.steps.at(5).title,
        QStringLiteral("expect io: type EVENT and event \"echo\" and text \"[\"7-7\"]\" within 5000 ms"));
}

void tst_ScenarioProtocols::socketIoRefusedNamespace()
{
    NodePeer peer;
    QVERIFY2(
        peer.start(QStringLiteral("socketio_server.js")), "node and tests/peers' npm packages are needed");
    const int port = peer.port();
    QVERIFY(port > 0);
    const QByteArray json = R"({"connections": {"io": {"url": "ws://127.0.0.1:{{port}}",
        "protocol": {"name": "socket.io", "namespace": "/admin", "auth": {"token": "wrong"}}}},
        "steps": [{"connect": "io"}, {"command": "io", "verb": "emit", "event": "echo"}]})";
    const ScenarioReport report = run(json, { { QStringLiteral("port"), QString::number(port) } });
    QCOMPARE(report.steps.at(0).outcome, StepReport::Outcome::Failed);
    QVERIFY2(
        report.steps.at(0).detail.startsWith(QStringLiteral("the Socket.IO handshake failed: CONNECT_ERROR")),
        qPrintable(report.steps.at(0).detail));
    QVERIFY2(report.steps.at(0).detail.contains(QStringLiteral("not authorized")),
        qPrintable(report.steps.at(0).detail));
    QCOMPARE(report.steps.at(1).outcome, StepReport::Outcome::Skipped);
}

void tst_ScenarioProtocols::socketIoStrictSkipsKeepAlives()
{
    // The server pings every 100 ms: a strict expect that waits 600 ms sees those pings go by
    // without failing (they are the protocol's, answered by the session), then the echo.
    NodePeer peer;
    QVERIFY2(peer.start(QStringLiteral("socketio_server.js"), { QStringLiteral("100") }),
        "node and tests/peers' npm packages are needed");
    const int port = peer.port();
    QVERIFY(port > 0);
    const QByteArray json
        = R"({"connections": {"io": {"url": "ws://127.0.0.1:{{port}}", "protocol": "socket.io"}},
        "steps": [{"connect": "io"}, {"expect": "io", "event": "welcome", "strict": true},
                  {"wait": 600},
                  {"command": "io", "verb": "emit", "event": "echo", "args": [1]},
                  {"expect": "io", "event": "echo", "json": {"$[0]": 1}, "strict": true},
                  {"expect": "io", "event": "nothing-like-this", "within": 300, "strict": true}]})";
    const ScenarioReport report = run(json, { { QStringLiteral("port"), QString::number(port) } });
    for (int i = 0; i < 5; ++i)
        QVERIFY2(report.steps.at(i).outcome == StepReport::Outcome::Passed, qPrintable(describe(report)));
    // The last one fails on time, with no "other message": pings are not messages to it.
    QCOMPARE(report.steps.at(5).outcome, StepReport::Outcome::Failed);
    QVERIFY2(report.steps.at(5).detail.contains(QStringLiteral("no other messages received")),
        qPrintable(report.steps.at(5).detail));
}

void tst_ScenarioProtocols::mqtt()
{
    NodePeer broker;
    QVERIFY2(broker.start(QStringLiteral("mqtt_broker.js")), "node and tests/peers' npm packages are needed");
    const int port = broker.port();
    QVERIFY(port > 0);
    const QByteArray json = R"({
      "connections": {
        "sub": {"url": "ws://127.0.0.1:{{port}}", "protocol": {"name": "mqtt", "clientId": "scenario-sub"}},
        "pub": {"url": "ws://127.0.0.1:{{port}}", "protocol": {"name": "mqtt", "clientId": "scenario-pub"}}
      },
      "steps": [
        {"connect": "sub"}, {"connect": "pub"},
        {"command": "sub", "verb": "subscribe", "topic": "sensors/#", "qos": 2, "reply": true},
        {"command": "pub", "verb": "publish", "topic": "sensors/t1", "payload": {"celsius": 21.5}, "qos": 1, "reply": true},
        {"expect": "sub", "topic": "sensors/t1", "qos": 1, "json": {"$.celsius": {">": 20}}, "save": {"c": "$.celsius"}},
        {"command": "pub", "verb": "publish", "topic": "sensors/t2", "payload": "{{c}} C", "qos": 2, "reply": true},
        {"expect": "sub", "type": "PUBLISH", "topic": "sensors/t2", "text": "21.5 C", "qos": 2},
        {"command": "pub", "verb": "publish", "topic": "other/x", "payload": "no", "reply": true},
        {"expectNone": "sub", "topic": "other/x", "for": 300}
      ]})";
    const ScenarioReport report = run(json, { { QStringLiteral("port"), QString::number(port) } });
    QVERIFY2(report.passed(), qPrintable(describe(report)));
    QVERIFY2(
        report.steps.at(2).detail.contains(QStringLiteral("SUBACK")), qPrintable(report.steps.at(2).detail));
    QVERIFY2(
        report.steps.at(3).detail.contains(QStringLiteral("PUBACK")), qPrintable(report.steps.at(3).detail));
    QVERIFY2(
        report.steps.at(5).detail.contains(QStringLiteral("PUBCOMP")), qPrintable(report.steps.at(5).detail));
    QVERIFY2(
        report.steps.at(7).detail.contains(QStringLiteral("QoS 0")), qPrintable(report.steps.at(7).detail));
}

void tst_ScenarioProtocols::graphql()
{
    NodePeer server;
    QVERIFY2(server.start(
                 QStringLiteral("graphql_server.js"), { QStringLiteral("--token"), QStringLiteral("t0k") }),
        "node and tests/peers' npm packages are needed");
    const int port = server.port();
    QVERIFY(port > 0);
    const QByteArray json = R"({
      "connections": {
        "g": {"url": "ws://127.0.0.1:{{port}}/graphql",
              "protocol": {"name": "graphql-ws", "connectionParams": {"token": "{{token}}"}}}
      },
      "steps": [
        {"connect": "g"},
        {"command": "g", "verb": "subscribe", "id": "c3", "query": "subscription Count($to: Int!) { count(to: $to) }",
         "variables": {"to": 3}, "operationName": "Count"},
        {"expect": "g", "type": "next", "id": "c3", "json": {"$.data.count": 1}, "strict": true},
        {"expect": "g", "id": "c3", "json": {"$.data.count": 3}},
        {"expect": "g", "type": "complete", "id": "c3"},
        {"command": "g", "verb": "subscribe", "id": "q1", "query": "{ hello }", "reply": true, "save": {"h": "$.data.hello"}},
        {"command": "g", "verb": "subscribe", "id": "bad", "query": "subscription { failing }", "reply": true}
      ]})";
    const ScenarioReport report = run(json,
        { { QStringLiteral("port"), QString::number(port) },
            { QStringLiteral("token"), QStringLiteral("t0k") } });
    for (int i = 0; i < 6; ++i)
        QVERIFY2(report.steps.at(i).outcome == StepReport::Outcome::Passed, qPrintable(describe(report)));
    // A failing operation is the step's failure, with the server's message.
    QCOMPARE(report.steps.at(6).outcome, StepReport::Outcome::Failed);
    QVERIFY2(report.steps.at(6).detail.startsWith(QStringLiteral("an error instead of the reply: ")),
        qPrintable(report.steps.at(6).detail));

    // A wrong token: the connect step fails on the protocol's handshake.
    const QByteArray refused = R"({"connections": {"g": {"url": "ws://127.0.0.1:{{port}}/graphql",
        "protocol": {"name": "graphql-ws", "connectionParams": {"token": "nope"}}}}, "steps": [{"connect": "g"}]})";
    const ScenarioReport failed = run(refused, { { QStringLiteral("port"), QString::number(port) } });
    QCOMPARE(failed.steps.at(0).outcome, StepReport::Outcome::Failed);
    QVERIFY2(
        failed.steps.at(0).detail.contains(QStringLiteral("GraphQL")), qPrintable(failed.steps.at(0).detail));
}

void tst_ScenarioProtocols::stompOwnBroker()
{
    LocalServer server;
    ServerOptions options;
    options.protocol.id = ProtocolId::Stomp;
    server.start(options);
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalServer::State::Listening, 5000);
    const QByteArray json = R"({
      "connections": {
        "a": {"url": "{{url}}", "protocol": {"name": "stomp", "login": "ann", "passcode": "x"}},
        "b": {"url": "{{url}}", "protocol": "stomp"}
      },
      "steps": [
        {"connect": "a"}, {"connect": "b"},
        {"command": "a", "verb": "subscribe", "destination": "/queue/jobs", "options": {"ack": "client"}, "reply": true},
        {"command": "b", "verb": "send", "destination": "/queue/jobs", "body": {"job": 42},
         "headers": {"priority": "9"}, "reply": true},
        {"expect": "a", "type": "MESSAGE", "destination": "/queue/jobs", "json": {"$.job": 42}},
        {"command": "b", "verb": "begin", "id": "tx1", "reply": true},
        {"command": "b", "verb": "abort", "id": "tx1", "reply": true}
      ]})";
    const ScenarioReport report = run(json, { { QStringLiteral("url"), server.url().toString() } });
    QVERIFY2(report.passed(), qPrintable(describe(report)));
    QVERIFY2(report.steps.at(3).detail.startsWith(QStringLiteral("reply in ")),
        qPrintable(report.steps.at(3).detail));
}

void tst_ScenarioProtocols::replyTimesOutAndRefusals()
{
    // A plain echo server speaks no protocol: a Socket.IO session never becomes ready, so the
    // connect step fails on the protocol's handshake, in its "within".
    LocalServer echo;
    echo.start(ServerOptions {});
    QTRY_COMPARE_WITH_TIMEOUT(echo.state(), LocalServer::State::Listening, 5000);
    const QByteArray json = R"({"connections": {"io": {"url": "{{url}}", "protocol": "socket.io"}},
        "steps": [{"connect": "io", "within": 400}]})";
    QElapsedTimer clock;
    clock.start();
    const ScenarioReport report = run(json, { { QStringLiteral("url"), echo.url().toString() } });
    QCOMPARE(report.steps.at(0).outcome, StepReport::Outcome::Failed);
    QCOMPARE(
        report.steps.at(0).detail, QStringLiteral("the Socket.IO handshake was not done within 400 ms."));
    QVERIFY(clock.elapsed() < 5000);

    // A command the session refuses (STOMP ACK without the message's id) fails its own step.
    LocalServer broker;
    ServerOptions options;
    options.protocol.id = ProtocolId::Stomp;
    broker.start(options);
    QTRY_COMPARE_WITH_TIMEOUT(broker.state(), LocalServer::State::Listening, 5000);
    const QByteArray refused = R"({"connections": {"s": {"url": "{{url}}", "protocol": "stomp"}},
        "steps": [{"connect": "s"}, {"command": "s", "verb": "ack"}]})";
    const ScenarioReport r2 = run(refused, { { QStringLiteral("url"), broker.url().toString() } });
    QCOMPARE(r2.steps.at(1).outcome, StepReport::Outcome::Failed);
    QCOMPARE(
        r2.steps.at(1).detail, QStringLiteral("STOMP ACK needs the id of the message (its ack header)."));
}

void tst_ScenarioProtocols::headlessTest()
{
    NodePeer peer;
    QVERIFY2(
        peer.start(QStringLiteral("socketio_server.js")), "node and tests/peers' npm packages are needed");
    const int port = peer.port();
    QVERIFY(port > 0);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("io.wstest.json"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        R"({"name": "socket.io echo", "connections": {"io": {"url": "ws://127.0.0.1:{{port}}", "protocol": "socket.io"}},
        "steps": [{"connect": "io"},
                  {"command": "io", "verb": "emit", "event": "echo", "args": ["hi"], "reply": true},
                  {"expect": "io", "event": "echo", "json": {"$[0]": "bye"}, "within": 500}]})");
    f.close();
    QProcess wstester;
    wstester.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("test"), file, QStringLiteral("--var"), QStringLiteral("port=%1").arg(port) });
    QVERIFY(wstester.waitForFinished(30000));
    const QString out = QString::fromUtf8(wstester.readAllStandardOutput());
    QCOMPARE(wstester.exitCode(), 1);
    QVERIFY2(out.contains(QStringLiteral("PASS 2. emit io: echo [\"hi\"], reply within 5000 ms")),
        qPrintable(out));
    QVERIFY2(
        out.contains(QStringLiteral("FAIL 3. expect io: event \"echo\" and $[0] == \"bye\" within 500 ms")),
        qPrintable(out));
    // What came instead is listed, decoded (the welcome may be among it or before the window).
    QVERIFY2(out.contains(QStringLiteral("other messages received: ")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("EVENT echo [\"hi\"] | ACK #0 [\"hi\"]")), qPrintable(out));
}

QTEST_MAIN(tst_ScenarioProtocols)
#include "tst_ScenarioProtocols.moc"
