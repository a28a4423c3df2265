// `wstester test` as a process: the issue's example end to end against an in-process chat server,
// exit codes, the human lines, and the JUnit and JSON files read back.
#include "ChatServer.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

class tst_TestCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void issueExamplePasses();
    void issueExampleAgainstServeRules();
    void failureIsReported();
    void bailStopsAfterTheFirstFailure();
    void badInput_data();
    void badInput();
    void refusedConnection();
    void timeoutGivesUp();
    void environmentSuppliesVariables();
    void unknownEnvironment();
    void scriptStep();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Result runWstester(const QStringList &args, int timeoutMs = 60000);
    QString write(const QString &name, const QByteArray &json);
    QString portVar() const { return QStringLiteral("port=%1").arg(m_chat.port()); }

    // Writes <data folder>/environments/<name>.json as the window would keep it.
    bool writeEnvironment(const QString &name, const QByteArray &variables);

    ChatServer m_chat;
    QTemporaryDir m_dir;
    QTemporaryDir m_data; // the app's data folder for every run: environments live there
};

void tst_TestCommand::initTestCase()
{
    QVERIFY(m_chat.listen());
    QVERIFY(m_dir.isValid());
    QVERIFY(m_data.isValid());
}

tst_TestCommand::Result tst_TestCommand::runWstester(const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_data.path());
    // No secret service, on every machine alike.
    environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent"));
    p.setProcessEnvironment(environment);
    p.start(QStringLiteral(WST_BINARY), QStringList { QStringLiteral("test") } + args);
    if (!p.waitForStarted())
        return {};
    // The event loop keeps running (the in-process server answers) while we wait.
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < timeoutMs)
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return { -2, p.readAllStandardOutput(), p.readAllStandardError() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

QString tst_TestCommand::write(const QString &name, const QByteArray &json)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size())
        return {};
    return path;
}

void tst_TestCommand::issueExamplePasses()
{
    const QString junit = m_dir.filePath(QStringLiteral("pass.xml"));
    const QString json = m_dir.filePath(QStringLiteral("pass.json"));
    const Result r
        = runWstester({ QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json"), QStringLiteral("--var"),
            portVar(), QStringLiteral("--junit"), junit, QStringLiteral("--json"), json });
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QVERIFY(r.err.isEmpty());
    QVERIFY2(r.out.contains("chat: join and echo"), r.out.constData());
    QVERIFY2(r.out.contains("  PASS 4. expect a: $.op == \"welcome\" within 2000 ms ("), r.out.constData());
    QVERIFY2(r.out.contains("  PASS 9. close a with 1000 ("), r.out.constData());
    QVERIFY(!r.out.contains("\x1b[")); // a pipe gets no colour
    QCOMPARE(r.out.count("  PASS "), 9);

    QFile xmlFile(junit);
    QVERIFY(xmlFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&xmlFile);
    int suites = 0;
    int cases = 0;
    int failures = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("testsuites")) {
            QCOMPARE(xml.attributes().value(QLatin1String("tests")).toString(), QStringLiteral("9"));
            QCOMPARE(xml.attributes().value(QLatin1String("failures")).toString(), QStringLiteral("0"));
        } else if (xml.name() == QLatin1String("testsuite")) {
            ++suites;
            QCOMPARE(xml.attributes().value(QLatin1String("name")).toString(),
                QStringLiteral("chat: join and echo"));
        } else if (xml.name() == QLatin1String("testcase")) {
            ++cases;
            QVERIFY(xml.attributes().hasAttribute(QLatin1String("time")));
        } else if (xml.name() == QLatin1String("failure")) {
            ++failures;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(suites, 1);
    QCOMPARE(cases, 9);
    QCOMPARE(failures, 0);

    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(jsonFile.readAll()).object();
    QCOMPARE(o.value(QLatin1String("passed")).toBool(), true);
    const QJsonArray steps = o.value(QLatin1String("scenarios"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QLatin1String("steps"))
                                 .toArray();
    QCOMPARE(steps.size(), 9);
    QCOMPARE(steps.at(3).toObject().value(QLatin1String("outcome")).toString(), QStringLiteral("passed"));
}

// The issue's example against the app's own local server, `wstester serve` with reply rules
// (tests/data/scenarios/chat.rules.json), not the test's chat server.
void tst_TestCommand::issueExampleAgainstServeRules()
{
    QProcess serve;
    serve.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("-p"),
            QStringLiteral("chat"), QStringLiteral("--rules"),
            QStringLiteral(WST_TEST_DATA "/scenarios/chat.rules.json") });
    QVERIFY(serve.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), 10000);
    const QByteArray first = serve.readLine().trimmed(); // "listening ws://127.0.0.1:PORT/"
    QVERIFY2(first.startsWith("listening ws://127.0.0.1:"), first.constData());
    const QByteArray port = first.mid(first.lastIndexOf(':') + 1).chopped(1);
    const Result r = runWstester({ QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json"),
        QStringLiteral("--var"), QStringLiteral("port=") + QString::fromLatin1(port) });
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QCOMPARE(r.out.count("  PASS "), 9);
    QVERIFY2(r.out.contains("  PASS 5. expect b: contains \"ann joined\""), r.out.constData());
    QCOMPARE(serve.exitCode(), 0);
}

void tst_TestCommand::failureIsReported()
{
    const QString file = write(QStringLiteral("fail.wstest.json"), R"J({
  "name": "fails at 3",
  "connections": {"a": "ws://127.0.0.1:{{port}}/"},
  "steps": [
    {"connect": "a"},
    {"send": "a", "text": "hello"},
    {"expect": "a", "json": {"$.op": "welcome"}, "within": 300},
    {"send": "a", "text": "never"}
  ]
})J");
    const QString junit = m_dir.filePath(QStringLiteral("fail.xml"));
    const Result r
        = runWstester({ file, QStringLiteral("--var"), portVar(), QStringLiteral("--junit"), junit });
    QVERIFY2(r.exitCode == 1, QByteArray(r.out + r.err).constData());
    QVERIFY2(r.out.contains("  FAIL 3. expect a: $.op == \"welcome\" within 300 ms ("), r.out.constData());
    QVERIFY2(r.out.contains(
                 "no message matching $.op == \"welcome\" within 300 ms; 1 other message received: hello"),
        r.out.constData());
    // …and where the step is in the file.
    QVERIFY2(r.out.contains(QStringLiteral("\n       at %1:7\n").arg(file).toUtf8()), r.out.constData());
    QVERIFY2(r.out.contains("  SKIP 4. send a: text never"), r.out.constData());
    QVERIFY2(r.out.contains("Scenarios passed: 0 of 1; steps failed: 1 of 4."), r.out.constData());

    QFile xmlFile(junit);
    QVERIFY(xmlFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&xmlFile);
    QString failure;
    QString failedLine;
    int skipped = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("testcase")
            && xml.attributes().value(QLatin1String("name")).startsWith(QLatin1String("3. ")))
            failedLine = xml.attributes().value(QLatin1String("line")).toString();
        if (xml.name() == QLatin1String("failure"))
            failure = xml.attributes().value(QLatin1String("message")).toString();
        else if (xml.name() == QLatin1String("skipped"))
            ++skipped;
    }
    QVERIFY(!xml.hasError());
    QVERIFY2(
        failure.startsWith(QLatin1String("no message matching $.op == \"welcome\"")), qPrintable(failure));
    QCOMPARE(skipped, 1);
    QCOMPARE(failedLine, QStringLiteral("7")); // CI reporters link the failure to its line
}

void tst_TestCommand::bailStopsAfterTheFirstFailure()
{
    const QString bad = write(QStringLiteral("first.wstest.json"),
        R"J({"name": "first", "connections": {"a": "ws://127.0.0.1:{{port}}/"},
            "steps": [{"connect": "a"}, {"expect": "a", "within": 100}]})J");
    const QString good = write(QStringLiteral("second.wstest.json"),
        R"J({"name": "second", "connections": {"a": "ws://127.0.0.1:{{port}}/"}, "steps": [{"connect": "a"}]})J");
    const Result all = runWstester({ bad, good, QStringLiteral("--var"), portVar() });
    QCOMPARE(all.exitCode, 1);
    QVERIFY2(all.out.contains("second ("), all.out.constData());
    QVERIFY2(all.out.contains("Scenarios passed: 1 of 2; steps failed: 1 of 3."), all.out.constData());
    const Result bail
        = runWstester({ bad, good, QStringLiteral("--var"), portVar(), QStringLiteral("--bail") });
    QCOMPARE(bail.exitCode, 1);
    QVERIFY2(!bail.out.contains("second ("), bail.out.constData());
}

void tst_TestCommand::badInput_data()
{
    QTest::addColumn<QByteArray>("json"); // written to bad.wstest.json when not empty
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error"); // the start of the one line on stderr, after "wstester test: "

    QTest::newRow("bad step") << QByteArray(
        "{\"connections\": {\"a\": \"ws://x/\"},\n\"steps\": [\n{\"expect\": \"a\", \"within\": \"2s\"}]}")
                              << QStringList()
                              << QStringLiteral(
                                     "BAD:3:27: step 1: \"within\" must be a number of milliseconds.");
    QTest::newRow("bad script") << QByteArray(
        "{\"connections\": {\"a\": \"ws://x/\"},\n\"steps\": [\n{\"script\": \"a\", \"code\": 3}]}")
                                << QStringList()
                                << QStringLiteral(
                                       "BAD:3:25: step 1: \"code\" must be JavaScript: a string, or "
                                       "a list of lines.");
    QTest::newRow("not json") << QByteArray("{\"steps\": ") << QStringList()
                              << QStringLiteral("BAD:1:11: not valid JSON");
    QTest::newRow("missing file") << QByteArray()
                                  << QStringList { QStringLiteral("/nonexistent/x.wstest.json") }
                                  << QStringLiteral("/nonexistent/x.wstest.json: cannot read the scenario: ");
    QTest::newRow("no file") << QByteArray() << QStringList()
                             << QStringLiteral("name at least one scenario file");
    QTest::newRow("bad var") << QByteArray("{}")
                             << QStringList { QStringLiteral("--var"), QStringLiteral("port") }
                             << QStringLiteral("--var \u201cport\u201d: expected name=value");
    QTest::newRow("bad option") << QByteArray("{}") << QStringList { QStringLiteral("--junk") }
                                << QStringLiteral("Unknown option 'junk'.");
    QTest::newRow("bad timeout") << QByteArray("{}")
                                 << QStringList { QStringLiteral("-t"), QStringLiteral("soon") }
                                 << QStringLiteral("-t/--timeout");
}

void tst_TestCommand::badInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QStringList all = args;
    if (!json.isEmpty()) {
        const QString path = write(QStringLiteral("bad.wstest.json"), json);
        all.prepend(path);
        error.replace(QLatin1String("BAD"), path);
    }
    const Result r = runWstester(all);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    const QString err = QString::fromUtf8(r.err);
    QCOMPARE(err.count(QLatin1Char('\n')), 1);
    QVERIFY2(err.startsWith(QStringLiteral("wstester test: ") + error), qPrintable(err));
}

void tst_TestCommand::refusedConnection()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QString port = QStringLiteral("port=%1").arg(closed.serverPort());
    closed.close();
    const Result r = runWstester(
        { QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json"), QStringLiteral("--var"), port });
    QVERIFY2(r.exitCode == 3, QByteArray(r.out + r.err).constData());
    QVERIFY2(r.out.contains("  FAIL 1. connect a ("), r.out.constData());
    QVERIFY2(r.out.contains("cannot connect: "), r.out.constData());
}

void tst_TestCommand::timeoutGivesUp()
{
    const QString file = write(QStringLiteral("slow.wstest.json"),
        R"J({"connections": {"a": "ws://127.0.0.1:{{port}}/"}, "steps": [{"connect": "a"}, {"expect": "a", "within": 60000}]})J");
    QElapsedTimer t;
    t.start();
    const Result r = runWstester(
        { file, QStringLiteral("--var"), portVar(), QStringLiteral("-t"), QStringLiteral("0.5") });
    QVERIFY2(r.exitCode == 4, QByteArray(r.out + r.err).constData());
    QVERIFY(t.elapsed() < 30000);
    QVERIFY2(r.err.startsWith("wstester test: timed out after 0.5 s."), r.err.constData());
    QVERIFY2(r.out.contains("  FAIL 2. "), r.out.constData());
}

bool tst_TestCommand::writeEnvironment(const QString &name, const QByteArray &variables)
{
    const QString folder = m_data.filePath(QStringLiteral("wstester/wstester/environments"));
    QFile f(folder + QLatin1Char('/') + name + QStringLiteral(".json"));
    const QByteArray json = R"({"format": "wstester-environment", "version": 1, "name": ")" + name.toUtf8()
        + R"(", "variables": )" + variables + "}";
    return QDir().mkpath(folder) && f.open(QIODevice::WriteOnly) && f.write(json) == json.size();
}

void tst_TestCommand::environmentSuppliesVariables()
{
    // The environment gives the port, a greeting and a secret (its value written into the file,
    // as an export with secrets would); --var overrides the greeting.
    const QByteArray variables = R"([{"name": "port", "value": ")" + QByteArray::number(m_chat.port())
        + R"("}, {"name": "greeting", "value": "from-env"},
        {"name": "token", "secret": true, "value": "s3cr3t-token"}, {"name": "apikey", "secret": true}])";
    QVERIFY(writeEnvironment(QStringLiteral("local"), variables));
    const QString environmentFile
        = m_data.filePath(QStringLiteral("wstester/wstester/environments/local.json"));
    QFile before(environmentFile);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray original = before.readAll();
    before.close();

    const QString file = write(QStringLiteral("env.wstest.json"), R"J({
  "name": "env",
  "connections": {"a": "ws://127.0.0.1:{{port}}/"},
  "steps": [
    {"connect": "a"},
    {"send": "a", "text": "{{greeting}}"},
    {"expect": "a", "text": "from-var", "within": 2000},
    {"send": "a", "text": "{{token}}"},
    {"expect": "a", "text": "never", "within": 300}
  ]
})J");
    const Result withVar = runWstester({ file, QStringLiteral("--env"), QStringLiteral("local"),
        QStringLiteral("--var"), QStringLiteral("greeting=from-var") });
    // Steps 1–4 pass: the port and the token came from the environment, the greeting from --var.
    QVERIFY2(withVar.out.contains("  PASS 3. expect a"), withVar.out.constData());
    QVERIFY2(withVar.out.contains("  FAIL 5. expect a"), withVar.out.constData());
    QCOMPARE(withVar.exitCode, 1);
    // The secret came back in the echo: shown by its name, never its value.
    QVERIFY2(withVar.out.contains("1 other message received: {{token}}"), withVar.out.constData());
    QVERIFY2(!withVar.out.contains("s3cr3t-token"), withVar.out.constData());
    // A secret with no value here is named, with the way to give it.
    QVERIFY2(withVar.err.contains("--env local: the secret \xe2\x80\x9c"
                                  "apikey\xe2\x80\x9d has no value here "
                                  "(no secret service); pass it with --var apikey="),
        withVar.err.constData());

    // Without --var the environment's greeting is sent, and the expect for "from-var" fails.
    const Result withoutVar = runWstester({ file, QStringLiteral("--env"), QStringLiteral("local") });
    QCOMPARE(withoutVar.exitCode, 1);
    QVERIFY2(withoutVar.out.contains("1 other message received: from-env"), withoutVar.out.constData());

    // A headless run never rewrites the environment's file (the secret's value stays there).
    QFile after(environmentFile);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), original);
}

void tst_TestCommand::unknownEnvironment()
{
    QVERIFY(writeEnvironment(QStringLiteral("staging"), "[]"));
    const QString file = write(QStringLiteral("plain.wstest.json"),
        R"({"name": "x", "connections": {"a": "ws://127.0.0.1:1/"}, "steps": [{"connect": "a"}]})");
    const Result r = runWstester({ file, QStringLiteral("--env"), QStringLiteral("prod") });
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--env \xe2\x80\x9cprod\xe2\x80\x9d: no environment of that name in "),
        r.err.constData());
    QVERIFY2(r.err.contains("(there are: "), r.err.constData());
    QVERIFY2(r.err.contains("staging)."), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.out.isEmpty());
}

void tst_TestCommand::scriptStep()
{
    const QByteArray scenario = R"J({
  "name": "script",
  "connections": {"a": "ws://127.0.0.1:{{port}}/"},
  "steps": [
    {"connect": "a"},
    {"send": "a", "text": "__json"},
    {"expect": "a", "json": {"$.id": {"exists": true}}},
    {"script": "a", "code": ["log('n is', msg.json.n);", "expect.equal(msg.json.n, N);"]}
  ]
})J";
    const QString json = m_dir.filePath(QStringLiteral("script.json"));
    const QString good
        = write(QStringLiteral("good.wstest.json"), QByteArray(scenario).replace("N);", "5);"));
    const Result pass
        = runWstester({ good, QStringLiteral("--var"), portVar(), QStringLiteral("--json"), json });
    QVERIFY2(pass.exitCode == 0, QByteArray(pass.out + pass.err).constData());
    QVERIFY2(pass.out.contains("  PASS 4. script a: log('n is', msg.json.n); expect.equal(msg.json.n, 5); ("),
        pass.out.constData());
    QVERIFY2(pass.out.contains("\n       log: n is 5\n"), pass.out.constData());
    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonArray log = QJsonDocument::fromJson(jsonFile.readAll())
                               .object()
                               .value(QLatin1String("scenarios"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QLatin1String("steps"))
                               .toArray()
                               .at(3)
                               .toObject()
                               .value(QLatin1String("log"))
                               .toArray();
    QCOMPARE(log, QJsonArray { QStringLiteral("n is 5") });

    const QString bad = write(QStringLiteral("bad.wstest.json"), QByteArray(scenario).replace("N);", "6);"));
    const Result fail = runWstester({ bad, QStringLiteral("--var"), portVar() });
    QVERIFY2(fail.exitCode == 1, QByteArray(fail.out + fail.err).constData());
    QVERIFY2(fail.out.contains("  FAIL 4. script a: "), fail.out.constData());
    QVERIFY2(
        fail.out.contains("\n       line 2: expected 6, got 5\n       log: n is 5\n"), fail.out.constData());
}

QTEST_GUILESS_MAIN(tst_TestCommand)
#include "tst_TestCommand.moc"
