// Script steps and onMessage hooks (ScenarioScript) against the in-process chat server of
// ChatServer.h on 127.0.0.1: passing and failing scripts, the line of a thrown error, variables,
// send, hooks, the time limit, and the parser's file:line:column for bad script keys.
#include "ChatServer.h"
#include "scenario/ScenarioParser.h"
#include "scenario/ScenarioRunner.h"
#include "scenario/ScenarioScript.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_ScenarioScript : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scriptStepPasses();
    void scriptStepFails();
    void errorLines_data();
    void errorLines();
    void fileScript();
    void sendFromScript();
    void binaryMessage();
    void onMessageFailsOnABadMessage();
    void onMessageSetsVariablesAndSends();
    void infiniteLoopIsStopped();
    void engineWorksAfterAStop();
    void badKeys_data();
    void badKeys();

private:
    ScenarioReport run(const QByteArray &steps,
        const QByteArray &connectionA = "\"ws://127.0.0.1:{{port}}/\"", const QByteArray &top = {});
    static QString describe(const ScenarioReport &r);

    ChatServer m_chat;
    QTemporaryDir m_dir;
};

void tst_ScenarioScript::initTestCase()
{
    QVERIFY(m_chat.listen());
    QVERIFY(m_dir.isValid());
}

QString tst_ScenarioScript::describe(const ScenarioReport &r)
{
    QStringList lines;
    for (const StepReport &s : r.steps)
        lines.append(QStringLiteral("%1. %2 [%3]: %4")
                         .arg(s.number)
                         .arg(s.title, ScenarioReport::outcomeName(s.outcome), s.detail));
    return lines.join(QLatin1Char('\n'));
}

ScenarioReport tst_ScenarioScript::run(
    const QByteArray &steps, const QByteArray &connectionA, const QByteArray &top)
{
    const QByteArray json = "{" + top + "\"connections\": {\"a\": " + connectionA
        + ", \"b\": \"ws://127.0.0.1:{{port}}/\"},\n \"steps\": [{\"connect\": \"a\"},\n" + steps + "]}";
    const QString path = m_dir.filePath(QStringLiteral("t.wstest.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size())
        return {};
    f.close();
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parseFile(path, &error);
    if (!s) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    ScenarioRunner runner;
    runner.setVariables({ { QStringLiteral("port"), QString::number(m_chat.port()) },
        { QStringLiteral("user"), QStringLiteral("ann") } });
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start(*s);
    if (!finished.wait(20000))
        qWarning("the run did not finish");
    return runner.report();
}

void tst_ScenarioScript::scriptStepPasses()
{
    // The script reads the message the expect matched, saves a variable the next send uses.
    const ScenarioReport r = run(R"J(
        {"send": "a", "text": "__json"},
        {"expect": "a", "json": {"$.id": {"exists": true}}},
        {"script": "a", "code": ["expect.equal(msg.json.n, 5);", "expect(msg.text.indexOf('abc') > 0);",
            "vars.set('id', msg.json.id);", "log('id is', msg.json.id, {n: 1});"]},
        {"send": "a", "text": "got {{id}}"},
        {"expect": "a", "text": "got abc123", "within": 2000}
    )J");
    QVERIFY2(r.passed(), qPrintable(describe(r)));
    QCOMPARE(r.steps.at(3).log, QStringList { QStringLiteral("id is abc123 {\"n\":1}") });
    QVERIFY2(r.steps.at(3).detail.startsWith(QLatin1String("the script ran in ")),
        qPrintable(r.steps.at(3).detail));
    QCOMPARE(r.steps.at(3).title,
        QStringLiteral("script a: expect.equal(msg.json.n, 5); expect(msg.text.indexOf('abc')\u2026"));
}

void tst_ScenarioScript::scriptStepFails()
{
    const ScenarioReport r = run(R"J(
        {"send": "a", "text": "__json"},
        {"expect": "a", "json": {"$.id": {"exists": true}}},
        {"script": "a", "code": ["log('checking');", "expect.equal(msg.json.n, 6, 'n');"]},
        {"send": "a", "text": "never"}
    )J");
    QCOMPARE(r.steps.size(), 5);
    QCOMPARE(r.steps.at(3).outcome, StepReport::Outcome::Failed);
    QCOMPARE(r.steps.at(3).detail, QStringLiteral("line 2: n: expected 6, got 5"));
    QCOMPARE(r.steps.at(3).log, QStringList { QStringLiteral("checking") });
    QCOMPARE(r.steps.at(4).outcome, StepReport::Outcome::Skipped);
}

void tst_ScenarioScript::errorLines_data()
{
    QTest::addColumn<QByteArray>("code"); // a JSON value
    QTest::addColumn<QString>("detail");

    QTest::newRow("TypeError")
        << QByteArray(R"J(["var x = 1;", "", "x.y.z = 2;"])J")
        << QStringLiteral("line 3: TypeError: Value is undefined and could not be converted to an object");
    QTest::newRow("thrown Error") << QByteArray(R"J(["// first", "throw new Error('boom');"])J")
                                  << QStringLiteral("line 2: Error: boom");
    QTest::newRow("thrown string") << QByteArray(R"J("var a = 1;\nif (a) throw 'bad ' + a;")J")
                                   << QStringLiteral("line 2: bad 1");
    QTest::newRow("syntax error") << QByteArray(R"J(["var ok = 1;", "var = 3;"])J")
                                  << QStringLiteral("line 2: SyntaxError: Expected token `identifier'");
    QTest::newRow("in a function") << QByteArray(
        R"J(["function f(v) {", "  expect(v > 2, 'v is ' + v);", "}", "f(1);"])J")
                                   << QStringLiteral("line 2: v is 1");
    QTest::newRow("expect default") << QByteArray(R"J("expect(0)")J")
                                    << QStringLiteral("line 1: expected a true value, got 0");
    QTest::newRow("expect.match") << QByteArray(R"J("expect.match('abc', /^x/)")J")
                                  << QStringLiteral("line 1: expected abc to match /^x/");
    QTest::newRow("vars.set name")
        << QByteArray(R"J("\nvars.set('a b', 1)")J")
        << QStringLiteral("line 2: Error: vars.set: \"a b\" is not a name that can be used as {{name}}.");
    QTest::newRow("undefined") << QByteArray(R"J("nope()")J")
                               << QStringLiteral("line 1: ReferenceError: nope is not defined");
}

void tst_ScenarioScript::errorLines()
{
    QFETCH(QByteArray, code);
    QFETCH(QString, detail);
    const ScenarioReport r = run("{\"script\": true, \"code\": " + code + "}");
    QCOMPARE(r.steps.size(), 2);
    QCOMPARE(r.steps.at(1).outcome, StepReport::Outcome::Failed);
    QCOMPARE(r.steps.at(1).detail, detail);
}

void tst_ScenarioScript::fileScript()
{
    QFile js(m_dir.filePath(QStringLiteral("check.js")));
    QVERIFY(js.open(QIODevice::WriteOnly));
    js.write("// checks the welcome\nexpect.equal(msg.json.op, 'welcome');\nexpect(false, 'second');\n");
    js.close();
    const ScenarioReport r = run(R"J(
        {"send": "a", "text": "{\"op\":\"join\",\"user\":\"ann\"}"},
        {"expect": "a", "json": {"$.op": "welcome"}},
        {"script": "a", "file": "check.js"}
    )J");
    QCOMPARE(r.steps.size(), 4);
    QCOMPARE(r.steps.at(3).title, QStringLiteral("script a: check.js"));
    QCOMPARE(r.steps.at(3).detail, QStringLiteral("check.js:3: second"));
}

void tst_ScenarioScript::sendFromScript()
{
    const ScenarioReport r = run(R"J(
        {"script": true, "code": "send('a', 'from script ' + vars.get('user'))"},
        {"expect": "a", "text": "from script ann", "within": 2000},
        {"script": true, "code": "sendBinary('a', new Uint8Array([1, 2, 255]))"},
        {"expect": "a", "hex": "01 02 ff", "within": 2000},
        {"script": true, "code": "\nsend('b', 'x')"}
    )J");
    QCOMPARE(r.steps.size(), 6);
    for (int i = 0; i < 5; ++i)
        QVERIFY2(r.steps.at(i).outcome == StepReport::Outcome::Passed, qPrintable(describe(r)));
    QCOMPARE(r.steps.at(5).outcome, StepReport::Outcome::Failed);
    QCOMPARE(r.steps.at(5).detail, QStringLiteral("line 2: Error: send: connection b is not open."));
}

void tst_ScenarioScript::binaryMessage()
{
    const ScenarioReport r = run(R"J(
        {"send": "a", "hex": "01 02 ff"},
        {"expect": "a", "hex": "01 02 ff"},
        {"script": "a", "code": ["expect(msg.isBinary && msg.binary instanceof ArrayBuffer);",
            "expect.equal(Array.from(new Uint8Array(msg.binary)), [1, 2, 255]);",
            "expect.equal(msg.json, undefined); expect.equal(msg.connection, 'a');"]},
        {"send": "a", "text": "plain"},
        {"expect": "a", "text": "plain"},
        {"script": "a", "code": "expect.equal([msg.text, msg.binary, msg.isBinary, msg.json], ['plain', null, false, undefined])"},
        {"script": "b", "code": "expect.equal(msg, undefined)"}
    )J");
    QVERIFY2(r.passed(), qPrintable(describe(r)));
}

void tst_ScenarioScript::onMessageFailsOnABadMessage()
{
    QElapsedTimer t;
    t.start();
    const ScenarioReport r = run(R"J(
        {"send": "a", "text": "hello"},
        {"expect": "a", "text": "hello"},
        {"send": "a", "text": "__error"},
        {"wait": 10000}
    )J",
        R"J({"url": "ws://127.0.0.1:{{port}}/", "onMessage": "expect(!msg.text.startsWith('error'), 'bad message: ' + msg.text)"})J");
    QCOMPARE(r.steps.size(), 5);
    QVERIFY2(r.steps.at(2).outcome == StepReport::Outcome::Passed, qPrintable(describe(r)));
    QCOMPARE(r.steps.at(4).outcome, StepReport::Outcome::Failed);
    QCOMPARE(r.steps.at(4).detail,
        QStringLiteral("onMessage of a, on the message error: boom: line 1: bad message: error: boom"));
    QVERIFY2(t.elapsed() < 9000, qPrintable(QString::number(t.elapsed()))); // not at the wait's end
}

void tst_ScenarioScript::onMessageSetsVariablesAndSends()
{
    // The scenario's hook keeps the token; a's hook answers "ping?" (the echo brings "pong!" back).
    const ScenarioReport r = run(R"J(
        {"send": "a", "text": "{\"op\":\"join\",\"user\":\"ann\"}"},
        {"expect": "a", "json": {"$.op": "welcome"}},
        {"send": "a", "text": "hello {{token}}"},
        {"expect": "a", "regex": "^hello [0-9a-f]+$"},
        {"send": "a", "text": "ping?"},
        {"expect": "a", "text": "pong!", "within": 2000},
        {"script": true, "code": "expect.equal(vars.get('seen'), '4')"}
    )J",
        R"J({"url": "ws://127.0.0.1:{{port}}/", "onMessage": {"code": "if (msg.text === 'ping?') send(msg.connection, 'pong!');", "timeout": 500}})J",
        R"J("onMessage": ["if (msg.json && msg.json.op === 'welcome') vars.set('token', msg.json.token);",
            "vars.set('seen', Number(vars.get('seen') || 0) + 1);"],)J");
    QVERIFY2(r.passed(), qPrintable(describe(r)));
}

void tst_ScenarioScript::infiniteLoopIsStopped()
{
    QElapsedTimer t;
    t.start();
    const ScenarioReport r
        = run(R"J({"script": true, "code": "var i = 0;\nwhile (true) { ++i; }", "timeout": 300})J");
    QCOMPARE(r.steps.size(), 2);
    QCOMPARE(r.steps.at(1).outcome, StepReport::Outcome::Failed);
    QCOMPARE(r.steps.at(1).detail, QStringLiteral("stopped: the script ran past its time limit of 300 ms."));
    QVERIFY2(r.steps.at(1).durationMs >= 250 && r.steps.at(1).durationMs < 5000,
        qPrintable(QString::number(r.steps.at(1).durationMs)));

    // A hook that never ends, with the default limit (1000 ms).
    const ScenarioReport h = run(R"J({"send": "a", "text": "x"}, {"wait": 10000})J",
        R"J({"url": "ws://127.0.0.1:{{port}}/", "onMessage": "for (;;) {}"})J");
    QCOMPARE(h.steps.size(), 3);
    QCOMPARE(h.steps.at(2).outcome, StepReport::Outcome::Failed);
    QCOMPARE(h.steps.at(2).detail,
        QStringLiteral(
            "onMessage of a, on the message x: stopped: the script ran past its time limit of 1000 ms."));
    QVERIFY2(t.elapsed() < 9000, qPrintable(QString::number(t.elapsed())));
}

void tst_ScenarioScript::engineWorksAfterAStop()
{
    QStringList logged;
    ScriptHost host;
    host.log = [&logged](const QString &line) { logged.append(line); };
    ScenarioScript script(host);
    QString error;
    QVERIFY(!script.run({ QStringLiteral("while (1) {}"), {}, 100 }, std::nullopt, &error));
    QCOMPARE(error, QStringLiteral("stopped: the script ran past its time limit of 100 ms."));
    QVERIFY2(script.run({ QStringLiteral("globalThis.n = (globalThis.n || 0) + 1; log(n)"), {}, 100 },
                 std::nullopt, &error),
        qPrintable(error));
    QVERIFY(script.run(
        { QStringLiteral("globalThis.n = (globalThis.n || 0) + 1; log(n)"), {}, 100 }, std::nullopt, &error));
    QCOMPARE(logged, (QStringList { QStringLiteral("1"), QStringLiteral("2") }));
    // A script that ends in time is not stopped by a watchdog still armed from before.
    QVERIFY(script.run({ QStringLiteral("var s = 0; for (var i = 0; i < 1000; ++i) s += i;"), {}, 50 },
        std::nullopt, &error));
}

void tst_ScenarioScript::badKeys_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    auto steps = [](const QByteArray &step) -> QByteArray {
        return "{\"connections\": {\"a\": \"ws://x/\"},\n\"steps\": [\n" + step + "]}";
    };
    QTest::newRow("unknown key")
        << steps(R"J({"script": "a", "code": "1", "within": 5})J")
        << QStringLiteral("t.wstest.json:3:30: step 1: unknown key \"within\" in a \"script\" step "
                          "(expected one of: name, comment, script, code, file, timeout).");
    QTest::newRow("no code") << steps(R"J({"script": "a"})J")
                             << QStringLiteral(
                                    "t.wstest.json:3:1: step 1: a script has exactly one of \"code\" "
                                    "(JavaScript) or \"file\" (a .js file).");
    QTest::newRow("code and file") << steps(R"J({"script": "a", "code": "1", "file": "x.js"})J")
                                   << QStringLiteral(
                                          "t.wstest.json:3:38: step 1: a script has exactly one of \"code\" "
                                          "(JavaScript) or \"file\" (a .js file).");
    QTest::newRow("code type") << steps(R"J({"script": "a", "code": 5})J")
                               << QStringLiteral(
                                      "t.wstest.json:3:25: step 1: \"code\" must be JavaScript: a string, "
                                      "or a list of lines.");
    QTest::newRow("code lines") << steps(R"J({"script": "a", "code": ["1", 2]})J")
                                << QStringLiteral(
                                       "t.wstest.json:3:25: step 1: \"code\" must be JavaScript: a string, "
                                       "or a list of lines.");
    QTest::newRow("empty code") << steps(R"J({"script": "a", "code": "  "})J")
                                << QStringLiteral(
                                       "t.wstest.json:3:25: step 1: \"code\" has no JavaScript in it.");
    QTest::newRow("connection") << steps(R"J({"script": "zz", "code": "1"})J")
                                << QStringLiteral(
                                       "t.wstest.json:3:12: step 1: \"script\": no connection named "
                                       "\"zz\" (the file declares a).");
    QTest::newRow("script false") << steps(R"J({"script": false, "code": "1"})J")
                                  << QStringLiteral(
                                         "t.wstest.json:3:12: step 1: \"script\" must name a connection, "
                                         "such as \"a\".");
    QTest::newRow("timeout")
        << steps(R"J({"script": true, "code": "1", "timeout": 0})J")
        << QStringLiteral("t.wstest.json:3:42: step 1: \"timeout\" must be 1 to 10000 milliseconds.");
    QTest::newRow("timeout type")
        << steps(R"J({"script": true, "code": "1", "timeout": "1s"})J")
        << QStringLiteral("t.wstest.json:3:42: step 1: \"timeout\" must be a number of milliseconds.");
    QTest::newRow("missing file") << steps(R"J({"script": true, "file": "nope.js"})J")
                                  << QStringLiteral(
                                         "t.wstest.json:3:26: step 1: \"file\": DIR/nope.js is not a file.");
    QTest::newRow("two kinds") << steps(R"J({"script": true, "send": "a", "code": "1"})J")
                               << QStringLiteral(
                                      "t.wstest.json:3:12: step 1: a step does one thing: this one has both "
                                      "\"send\" and \"script\".");
    QTest::newRow("onMessage type") << QByteArray(
        "{\"connections\": {\"a\": {\"url\": \"ws://x/\",\n \"onMessage\": 3}}, \"steps\": [{\"wait\": 1}]}")
                                    << QStringLiteral("t.wstest.json:2:15: connection \"a\": \"onMessage\" "
                                                      "must be JavaScript: a string, or a list "
                                                      "of lines.");
    QTest::newRow("onMessage key")
        << QByteArray(
               "{\"onMessage\": {\"code\": \"1\",\n \"every\": 2}, \"connections\": {\"a\": \"ws://x/\"}, "
               "\"steps\": [{\"wait\": 1}]}")
        << QStringLiteral(
               "t.wstest.json:2:2: unknown key \"every\" in \"onMessage\" (expected one of: code, file, "
               "timeout, comment).");
}

void tst_ScenarioScript::badKeys()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const QString path = m_dir.filePath(QStringLiteral("t.wstest.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(json) == json.size());
    f.close();
    QString message;
    QVERIFY(!ScenarioParser::parseFile(path, &message));
    error.replace(QLatin1String("t.wstest.json"), path).replace(QLatin1String("DIR"), m_dir.path());
    QCOMPARE(message, error);
}

QTEST_GUILESS_MAIN(tst_ScenarioScript)
#include "tst_ScenarioScript.moc"
