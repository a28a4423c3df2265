// ScenarioRunner against real peers on 127.0.0.1: an in-process chat server scripted here
// (ChatServer.h) and python3-websockets servers of tests/peers. Each expect kind passes and fails.
#include "ChatServer.h"
#include "scenario/ScenarioParser.h"
#include "scenario/ScenarioRunner.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_ScenarioRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void issueExample();
    void steps_data();
    void steps();
    void withinTimesOut();
    void expectNoneFailsAtOnce();
    void strictAndKeptMessages();
    void refusedConnection();
    void pythonPeer();
    void handshakeExpectations_data();
    void handshakeExpectations();
    void stopEndsTheRun();
    void binaryCodecs_data();
    void binaryCodecs();

private:
    ScenarioReport run(const QByteArray &json, const QMap<QString, QString> &variables = {},
        const QString &file = QStringLiteral("t.wstest.json"));
    QByteArray scenario(const QByteArray &steps) const;
    quint16 startPeer(QProcess *peer, const QString &script);

    ChatServer m_chat;
    QProcess m_echoPeer;
    QProcess m_handshakePeer;
    quint16 m_echoPort = 0;
    quint16 m_handshakePort = 0;
    QTemporaryDir m_dir;
    QString m_file; // three bytes 01 02 03, sent by a "file" step
};

void tst_ScenarioRunner::initTestCase()
{
    QVERIFY(m_chat.listen());
    m_file = m_dir.filePath(QStringLiteral("three.bin"));
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("\x01\x02\x03", 3) == 3);
    file.close();
    m_echoPort = startPeer(&m_echoPeer, QStringLiteral(WST_PEERS_DIR "/echo_server.py"));
    QVERIFY2(m_echoPort, "the python3-websockets echo peer did not start");
    m_handshakePort = startPeer(&m_handshakePeer, QStringLiteral(WST_PEERS_DIR "/handshake_server.py"));
    QVERIFY2(m_handshakePort, "the python3-websockets handshake peer did not start");
}

void tst_ScenarioRunner::cleanupTestCase()
{
    for (QProcess *p : { &m_echoPeer, &m_handshakePeer }) {
        p->kill();
        p->waitForFinished();
    }
}

quint16 tst_ScenarioRunner::startPeer(QProcess *peer, const QString &script)
{
    peer->start(QStringLiteral("/usr/bin/python3"), { script, QStringLiteral("chat") });
    if (!peer->waitForStarted() || !peer->waitForReadyRead(10000))
        return 0;
    return quint16(peer->readLine().trimmed().toUInt());
}

QByteArray tst_ScenarioRunner::scenario(const QByteArray &steps) const
{
    return "{\"connections\": {\"a\": {\"url\": \"ws://127.0.0.1:{{port}}/\", \"subprotocols\": [\"chat\"]},"
           " \"b\": \"ws://127.0.0.1:{{port}}/\"},\n \"steps\": [{\"connect\": \"a\"},\n"
        + steps + "]}";
}

ScenarioReport tst_ScenarioRunner::run(
    const QByteArray &json, const QMap<QString, QString> &variables, const QString &file)
{
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(json, file, &error);
    if (!s) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    ScenarioRunner runner;
    QMap<QString, QString> vars { { QStringLiteral("port"), QString::number(m_chat.port()) },
        { QStringLiteral("file"), m_file } };
    vars.insert(variables);
    runner.setVariables(vars);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start(*s);
    if (!finished.wait(20000))
        qWarning("the run did not finish");
    return runner.report();
}

void tst_ScenarioRunner::issueExample()
{
    QFile file(QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const ScenarioReport r = run(file.readAll());
    QCOMPARE(r.steps.size(), 9);
    for (const StepReport &s : r.steps)
        QVERIFY2(s.outcome == StepReport::Outcome::Passed,
            qPrintable(QStringLiteral("%1. %2: %3").arg(s.number).arg(s.title, s.detail)));
    QVERIFY(r.passed());
    QCOMPARE(m_chat.lastUserHeader(), QString()); // b connected last, without the header
    QVERIFY(r.steps[3].detail.contains(QLatin1String("welcome")));
    QVERIFY(r.steps[8].detail.contains(QLatin1String("1000")));
}

void tst_ScenarioRunner::steps_data()
{
    QTest::addColumn<QByteArray>("steps");
    QTest::addColumn<int>("failedStep"); // 0: every step passes
    QTest::addColumn<QString>("reason"); // part of the failed step's reason

    auto row = [](const char *name, const QByteArray &steps, int failed = 0, const QString &reason = {}) {
        QTest::newRow(name) << steps << failed << reason;
    };
    row("text", R"J({"send": "a", "text": "hi"}, {"expect": "a", "text": "hi"})J");
    row("text fails", R"J({"send": "a", "text": "hi"}, {"expect": "a", "text": "ho", "within": 300})J", 3,
        QStringLiteral("no message matching text \"ho\" within 300 ms; 1 other message received: hi"));
    row("contains", R"J({"send": "a", "text": "ann joined"}, {"expect": "a", "contains": "joined"})J");
    row("contains fails",
        R"J({"send": "a", "text": "ann left"}, {"expect": "a", "contains": "joined", "within": 300})J", 3,
        QStringLiteral("contains \"joined\""));
    row("regex", R"J({"send": "a", "text": "id=42"}, {"expect": "a", "regex": "^id=\\d+$"})J");
    row("regex fails",
        R"J({"send": "a", "text": "id=x"}, {"expect": "a", "regex": "^id=\\d+$", "within": 300})J", 3,
        QStringLiteral("regex /^id=\\d+$/"));
    row("json equals",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.id": "abc123", "$.n": 5}})J");
    row("json equals fails",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.id": "zzz"}, "within": 300})J", 3,
        QStringLiteral("$.id == \"zzz\""));
    row("json exists",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.items[1].id": {"exists": true}, "$.nope": {"exists": false}}})J");
    row("json exists fails",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.nope": {"exists": true}}, "within": 300})J",
        3, QStringLiteral("$.nope exists"));
    row("json matches",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.id": {"matches": "^abc\\d+$"}}})J");
    row("json matches fails",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.id": {"matches": "^x"}}, "within": 300})J",
        3, QStringLiteral("$.id matches /^x/"));
    row("json compare",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.n": {">": 3, "<=": 5}}})J");
    row("json compare fails",
        R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$.n": {"<": 5}}, "within": 300})J", 3,
        QStringLiteral("$.n < 5"));
    row("json descendants", R"J({"send": "a", "text": "__json"}, {"expect": "a", "json": {"$..id": 2}})J");
    row("binary hex", R"J({"send": "a", "hex": "01 02 ff"}, {"expect": "a", "hex": "0102FF"})J");
    row("send a file", R"J({"send": "a", "file": "{{file}}"}, {"expect": "a", "hex": "010203"})J");
    row("send a missing file", R"J({"send": "a", "file": "{{file}}.nope"})J", 2, QStringLiteral("File: "));
    row("binary base64", R"J({"send": "a", "base64": "AQL/"}, {"expect": "a", "base64": "AQL/"})J");
    row("binary fails",
        R"J({"send": "a", "hex": "01 02 ff"}, {"expect": "a", "hex": "0102", "within": 300})J", 3,
        QStringLiteral("1 other message received: binary 3 bytes: 01 02 ff"));
    row("text does not match binary",
        R"J({"send": "a", "base64": "aGk="}, {"expect": "a", "text": "hi", "within": 300})J", 3,
        QStringLiteral("no message matching"));
    row("close code", R"J({"send": "a", "text": "__close 4001 bye"}, {"expect": "a", "close": 4001})J");
    row("close code fails", R"J({"send": "a", "text": "__close 4002"}, {"expect": "a", "close": 4001})J", 3,
        QStringLiteral("4002"));
    row("closed while expecting",
        R"J({"send": "a", "text": "__close 4003"}, {"expect": "a", "text": "x", "within": 5000})J", 3,
        QStringLiteral("the connection closed"));
    row("save json and reuse", R"J({"send": "a", "text": "{\"op\":\"join\",\"user\":\"u\"}"},
        {"expect": "a", "json": {"$.op": "welcome"}, "save": {"t": "$.token"}},
        {"send": "a", "text": "token {{t}}"}, {"expect": "a", "regex": "^token [0-9a-f]{8}$"},
        {"send": "a", "text": "again {{t}}"}, {"expect": "a", "text": "again {{t}}"})J");
    row("save regex group",
        R"J({"send": "a", "text": "id=77;"}, {"expect": "a", "contains": "id=", "save": {"id": {"regex": "id=(\\d+)"}}},
        {"send": "a", "json": {"id": "{{id}}"}}, {"expect": "a", "json": {"$.id": "77"}})J");
    row("save fails", R"J({"send": "a", "text": "{}"}, {"expect": "a", "save": {"t": "$.token"}})J", 3,
        QStringLiteral("cannot save {{t}}: the message has nothing at $.token."));
    row("undefined variable", R"J({"send": "a", "text": "{{nope}}"})J", 2, QStringLiteral("nope"));
    row("send before connect", R"J({"send": "b", "text": "x"})J", 2,
        QStringLiteral("connection b is not open."));
    row("expect before connect", R"J({"expect": "b"})J", 2, QStringLiteral("connection b was never opened"));
    row("a message before the last send is not matched",
        R"J({"send": "a", "text": "hi"}, {"wait": 200}, {"send": "a", "text": "x"}, {"expect": "a", "text": "hi", "within": 300})J",
        5, QStringLiteral("1 other message received: x"));
    row("a matched message is consumed",
        R"J({"send": "a", "text": "hi"}, {"expect": "a", "text": "hi"}, {"expect": "a", "text": "hi", "within": 300})J",
        4, QStringLiteral("no other messages received."));
    row("order on b follows the steps, not arrival",
        R"J({"connect": "b"}, {"send": "b", "text": "for b"}, {"send": "a", "text": "for a"},
           {"expect": "a", "text": "for a"}, {"expect": "b", "text": "for b"})J");
    row("ping", R"J({"ping": "a", "within": 2000}, {"ping": "a", "payload": "p1"})J");
    row("close with expected code",
        R"J({"close": "a", "code": 4000, "reason": "done", "expect": {"code": 4000}})J");
    row("close with another code", R"J({"close": "a", "code": 4000, "expect": {"code": 4001}})J", 2,
        QStringLiteral("the server's Close frame carried 4000, expected 4001."));
    row("reconnect after close",
        R"J({"close": "a"}, {"connect": "a"}, {"send": "a", "text": "back"}, {"expect": "a", "text": "back"})J");
    row("wait", R"J({"wait": 50})J");
}

void tst_ScenarioRunner::steps()
{
    QFETCH(QByteArray, steps);
    QFETCH(int, failedStep);
    QFETCH(QString, reason);
    const ScenarioReport r = run(scenario(steps));
    QVERIFY(!r.steps.isEmpty());
    QString all;
    for (const StepReport &s : r.steps)
        all += QStringLiteral("\n  %1. %2 [%3] %4")
                   .arg(s.number)
                   .arg(s.title, ScenarioReport::outcomeName(s.outcome), s.detail);
    if (failedStep == 0) {
        QVERIFY2(r.passed(), qPrintable(all));
        return;
    }
    QVERIFY2(!r.passed(), qPrintable(all));
    const StepReport &failed = r.steps.at(failedStep - 1);
    QVERIFY2(failed.outcome == StepReport::Outcome::Failed, qPrintable(all));
    QVERIFY2(failed.detail.contains(reason), qPrintable(all));
    for (qsizetype i = failedStep; i < r.steps.size(); ++i)
        QCOMPARE(r.steps[i].outcome, StepReport::Outcome::Skipped);
    for (qsizetype i = 0; i < failedStep - 1; ++i)
        QCOMPARE(r.steps[i].outcome, StepReport::Outcome::Passed);
}

void tst_ScenarioRunner::withinTimesOut()
{
    // The message comes at 1500 ms: an expect within 300 ms fails at 300 ms, one within 5000 passes.
    const ScenarioReport late = run(scenario(
        R"J({"send": "a", "text": "__delay 1500 late"}, {"expect": "a", "text": "late", "within": 300})J"));
    QCOMPARE(late.steps[2].outcome, StepReport::Outcome::Failed);
    QVERIFY2(late.steps[2].durationMs >= 300 && late.steps[2].durationMs < 1500,
        qPrintable(QString::number(late.steps[2].durationMs)));
    QVERIFY(late.steps[2].detail.contains(QLatin1String("within 300 ms")));
    const ScenarioReport inTime = run(scenario(
        R"J({"send": "a", "text": "__delay 300 late"}, {"expect": "a", "text": "late", "within": 5000})J"));
    QVERIFY(inTime.passed());
    QVERIFY(inTime.steps[2].durationMs >= 250);
}

void tst_ScenarioRunner::expectNoneFailsAtOnce()
{
    const ScenarioReport quiet = run(
        scenario(R"J({"send": "a", "text": "fine"}, {"expectNone": "a", "contains": "error", "for": 300})J"));
    QVERIFY(quiet.passed());
    QVERIFY(quiet.steps[2].durationMs >= 300);
    const ScenarioReport noisy = run(scenario(
        R"J({"send": "a", "text": "__error"}, {"expectNone": "a", "contains": "error", "for": 5000})J"));
    QCOMPARE(noisy.steps[2].outcome, StepReport::Outcome::Failed);
    QCOMPARE(
        noisy.steps[2].detail, QStringLiteral("a message matching contains \"error\" arrived: error: boom"));
    QVERIFY(noisy.steps[2].durationMs < 5000); // as soon as it arrives, not at the end
}

void tst_ScenarioRunner::strictAndKeptMessages()
{
    const ScenarioReport loose
        = run(scenario(R"J({"send": "a", "text": "__noise 2 then done"}, {"expect": "a", "text": "done"})J"));
    QVERIFY(loose.passed());
    QCOMPARE(loose.steps[2].others, (QStringList { QStringLiteral("noise 1"), QStringLiteral("noise 2") }));
    const ScenarioReport strict = run(scenario(
        R"J({"send": "a", "text": "__noise 2 then done"}, {"expect": "a", "text": "done", "strict": true})J"));
    QCOMPARE(strict.steps[2].outcome, StepReport::Outcome::Failed);
    QCOMPARE(strict.steps[2].detail,
        QStringLiteral("strict: this message arrived first and does not match text \"done\": noise 1"));
    // The message each step decided on, for the window to select: "done" when it matched,
    // "noise 1" (two rows before it, in the same layout) when it broke the strict expect.
    QCOMPARE(loose.steps[1].messageIndex, qint64(-1));
    QVERIFY(loose.steps[2].messageIndex >= 2);
    QCOMPARE(strict.steps[2].messageIndex, loose.steps[2].messageIndex - 2);
}

void tst_ScenarioRunner::refusedConnection()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    const ScenarioReport r = run(
        scenario(R"J({"send": "a", "text": "x"})J"), { { QStringLiteral("port"), QString::number(port) } });
    QCOMPARE(r.steps[0].outcome, StepReport::Outcome::Failed);
    QVERIFY2(r.steps[0].detail.startsWith(QLatin1String("cannot connect: ")), qPrintable(r.steps[0].detail));
    QVERIFY(r.connectionFailed);
    QCOMPARE(r.steps[1].outcome, StepReport::Outcome::Skipped);
}

void tst_ScenarioRunner::pythonPeer()
{
    const ScenarioReport r
        = run(scenario(R"J({"send": "a", "json": {"op": "x"}}, {"expect": "a", "json": {"$.op": "x"}},
        {"send": "a", "text": "__binary 4"}, {"expect": "a", "hex": "00 01 02 03"},
        {"ping": "a"}, {"send": "a", "text": "__close 4001 bye"}, {"expect": "a", "close": 4001})J"),
            { { QStringLiteral("port"), QString::number(m_echoPort) } });
    QString all;
    for (const StepReport &s : r.steps)
        all += QStringLiteral("\n  %1. %2 [%3] %4")
                   .arg(s.number)
                   .arg(s.title, ScenarioReport::outcomeName(s.outcome), s.detail);
    QVERIFY2(r.passed(), qPrintable(all));
}

void tst_ScenarioRunner::handshakeExpectations_data()
{
    QTest::addColumn<QByteArray>("connect");
    QTest::addColumn<QString>("reason"); // empty: passes

    QTest::newRow("header present") << QByteArray(
        R"J({"connect": "a", "expect": {"headers": {"x-custom": "hello", "Set-Cookie": true}}})J")
                                    << QString();
    QTest::newRow("header value") << QByteArray(
        R"J({"connect": "a", "expect": {"headers": {"X-Custom": "bye"}}})J")
                                  << QStringLiteral(
                                         "response header X-Custom is \"hello\", expected \"bye\".");
    QTest::newRow("header missing") << QByteArray(
        R"J({"connect": "a", "expect": {"headers": {"X-Nope": true}}})J")
                                    << QStringLiteral("the response has no X-Nope header.");
    QTest::newRow("subprotocol none")
        << QByteArray(R"J({"connect": "a", "expect": {"subprotocol": "chat"}})J")
        << QStringLiteral("expected subprotocol \"chat\", the server chose none.");
    QTest::newRow("403 expected") << QByteArray(R"J({"connect": "f", "expect": {"status": 403}})J")
                                  << QString();
    QTest::newRow("403 unexpected") << QByteArray(R"J({"connect": "f"})J")
                                    << QStringLiteral("cannot connect: ");
    QTest::newRow("101 when 403 expected")
        << QByteArray(R"J({"connect": "a", "expect": {"status": 403}})J")
        << QStringLiteral("expected status 403, but the connection opened (101).");
}

void tst_ScenarioRunner::handshakeExpectations()
{
    QFETCH(QByteArray, connect);
    QFETCH(QString, reason);
    const QByteArray json
        = "{\"connections\": {\"a\": \"ws://127.0.0.1:{{port}}/ok\", \"f\": \"ws://127.0.0.1:{{port}}/403\"},"
          " \"steps\": ["
        + connect + "]}";
    const ScenarioReport r = run(json, { { QStringLiteral("port"), QString::number(m_handshakePort) } });
    QCOMPARE(r.steps.size(), 1);
    if (reason.isEmpty()) {
        QVERIFY2(r.passed(), qPrintable(r.steps[0].detail));
    } else {
        QCOMPARE(r.steps[0].outcome, StepReport::Outcome::Failed);
        QVERIFY2(r.steps[0].detail.startsWith(reason), qPrintable(r.steps[0].detail));
    }
}

void tst_ScenarioRunner::stopEndsTheRun()
{
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(
        scenario(R"J({"expect": "a", "within": 60000}, {"wait": 1})J"), QString(), &error);
    QVERIFY2(s, qPrintable(error));
    ScenarioRunner runner;
    runner.setVariables({ { QStringLiteral("port"), QString::number(m_chat.port()) } });
    QSignalSpy started(&runner, &ScenarioRunner::stepStarted);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start(*s);
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, 10000);
    QVERIFY(runner.isRunning());
    runner.stop();
    QVERIFY(!runner.isRunning());
    QVERIFY(finished.wait(5000));
    QCOMPARE(runner.report().steps[1].outcome, StepReport::Outcome::Failed);
    QCOMPARE(runner.report().steps[1].detail, QStringLiteral("stopped."));
    QCOMPARE(runner.report().steps[2].outcome, StepReport::Outcome::Skipped);
    // The connection it opened is closed on the way out.
    QTRY_COMPARE_WITH_TIMEOUT(
        runner.connection(QStringLiteral("a"))->state(), ClientConnection::State::Closed, 5000);
}

void tst_ScenarioRunner::binaryCodecs_data()
{
    // Each scenario talks to tests/peers/codec_peer.py, which reads what we sent with the real
    // library and answers with bytes that library wrote.
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QByteArray>("decoder");
    QTest::addColumn<QByteArray>("steps");
    QTest::newRow("msgpack") << QStringLiteral("msgpack") << QByteArray(R"J({"codec": "msgpack"})J")
                             << QByteArray(R"J({"send": "a", "msgpack": {"k": [1, 2], "s": "{{word}}"}},
        {"expect": "a", "json": {"$.from": "python", "$.echo.k[1]": 2, "$.echo.s": "hello"},
         "save": {"got": "$.echo.s"}},
        {"send": "a", "msgpack": "{\"again\": \"{{got}}\"}"},
        {"expect": "a", "json": {"$.echo.again": "hello"}})J");
    QTest::newRow("cbor") << QStringLiteral("cbor") << QByteArray(R"J({"codec": "cbor"})J")
                          << QByteArray(R"J({"send": "a", "cbor": {"n": 1.5, "t": true}},
        {"expect": "a", "json": {"$.from": "python", "$.echo.n": 1.5, "$.echo.t": true}})J");
    // MongoDB's extended JSON: the ObjectId and the 64-bit integer are BSON types both ways.
    QTest::newRow("bson") << QStringLiteral("bson") << QByteArray(R"J({"codec": "bson"})J")
                          << QByteArray(R"J({"send": "a", "bson": {"id": {"$oid": "5f1d7f0e2c8b9a0001a1b2c3"},
            "n": 9007199254740993, "w": "{{word}}"}},
        {"expect": "a", "json": {"$.from": "python", "$.echo.id.$oid": "5f1d7f0e2c8b9a0001a1b2c3",
            "$.echo.n": 9007199254740993, "$.echo.w": "hello"}})J");
    // The .proto path is relative to the scenario's folder; the peer answers a Command with an
    // Event {user: "peer", id: seq * 1000, tags: [op]}. A hex expect still sees the bytes.
    QTest::newRow("protobuf") << QStringLiteral("protobuf")
                              << QByteArray(R"J({"codec": "protobuf", "protoFiles": ["proto/chat.proto"],
            "typeIn": "chat.v1.Event", "typeOut": "chat.v1.Command"})J")
                              << QByteArray(R"J({"send": "a", "protobuf": {"op": "join", "seq": 7}},
        {"expect": "a", "json": {"$.user": "peer", "$.id": "7000", "$.tags[0]": "join"}},
        {"send": "a", "protobuf": "{\"op\": \"x\", \"seq\": 1}"},
        {"expect": "a", "hex": "0a 04 70 65 65 72 10 e8 07 1a 01 78"})J");
}

void tst_ScenarioRunner::binaryCodecs()
{
    QFETCH(QString, mode);
    QFETCH(QByteArray, decoder);
    QFETCH(QByteArray, steps);
    QProcess peer;
    peer.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/codec_peer.py"), mode, QStringLiteral(WST_TEST_DATA "/proto") });
    QVERIFY(peer.waitForStarted() && peer.waitForReadyRead(20000));
    const QByteArray port = peer.readLine().trimmed();
    const QByteArray json = "{\"connections\": {\"a\": {\"url\": \"ws://127.0.0.1:" + port
        + "/\", \"decoder\": " + decoder + "}},\n \"steps\": [{\"connect\": \"a\"},\n" + steps + "]}";
    const ScenarioReport r = run(json, { { QStringLiteral("word"), QStringLiteral("hello") } },
        QStringLiteral(WST_TEST_DATA "/t.wstest.json"));
    peer.kill();
    peer.waitForFinished();
    QString all;
    for (const StepReport &s : r.steps)
        all += QStringLiteral("\n  %1. %2 [%3] %4")
                   .arg(s.number)
                   .arg(s.title, ScenarioReport::outcomeName(s.outcome), s.detail);
    QVERIFY2(!r.steps.isEmpty() && r.passed(), qPrintable(all));

    // Without the decoder the same scenario cannot match the JSON of a binary message, and
    // Protobuf cannot even be written: the file names what is missing.
    const QByteArray bare
        = "{\"connections\": {\"a\": \"ws://127.0.0.1:" + port + "/\"},\n \"steps\": [" + steps + "]}";
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(bare, QStringLiteral("t.wstest.json"), &error);
    QCOMPARE(bool(s), mode != QLatin1String("protobuf"));
    if (!s)
        QVERIFY2(
            error.contains(QLatin1String("connection \"a\" has no protobuf \"decoder\"")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ScenarioRunner)
#include "tst_ScenarioRunner.moc"
