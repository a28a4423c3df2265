// Load scripts (k6, Artillery) from a session recorded against a real server and from a
// scenario file: the k6 script must parse as an ES module (node --check) and import only k6's
// modules; the Artillery YAML must parse (python3-yaml) with the expected structure; the k6
// helpers are run by node; the CLI writes both (`session export`, `test --export`).
#include "connection/ClientConnection.h"
#include "export/LoadPlan.h"
#include "messages/MessageStore.h"
#include "scenario/ScenarioParser.h"
#include "server/LocalServer.h"
#include "session/SessionExport.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

namespace {

struct Run
{
    int exit = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return { -2, p.readAllStandardOutput(), p.readAllStandardError() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

// The modules a k6 script may import: k6's own, nothing from npm or a URL.
const QStringList AllowedModules { QStringLiteral("k6"), QStringLiteral("k6/websockets"),
    QStringLiteral("k6/timers"), QStringLiteral("k6/encoding") };

QByteArray readData(const char *name)
{
    QFile file(QStringLiteral(WST_TEST_DATA "/load-export/") + QLatin1StringView(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_LoadExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sessionK6();
    void sessionArtillery();
    void scenarioK6();
    void scenarioArtillery();
    void k6HelpersRunInNode();
    void commandLine();

private:
    QByteArray exportSession(SessionExport::Format format, bool keepSecrets, qint64 *masked = nullptr);
    // node --check on the script as a .mjs file, and its imports against AllowedModules.
    void checkK6(const QByteArray &script);
    // The YAML as JSON, through python3-yaml.
    QJsonObject parseYaml(const QByteArray &yaml);

    QTemporaryDir m_dir;
    QString m_session;
    QString m_url;
    QList<QByteArray> m_sent; // in order
    QList<qint64> m_gapsMs; // between the handshake and the first send, then between sends
};

void tst_LoadExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    LocalServer server;
    server.start({});
    QTRY_VERIFY_WITH_TIMEOUT(server.state() == LocalServer::State::Listening, 5000);
    SessionRecorder recorder;
    QString error;
    QVERIFY2(recorder.open(m_dir.filePath(QStringLiteral("live.wstsession")), &error), qPrintable(error));
    ClientConnection client;
    SessionTab tab;
    tab.title = QStringLiteral("echo");
    tab.url = server.url().toString();
    m_url = tab.url;
    const qint64 clientId = recorder.addTab(tab);
    recorder.attach(clientId, client.store());
    SessionTab serverTab;
    serverTab.kind = QStringLiteral("server");
    serverTab.title = QStringLiteral("server");
    recorder.attach(recorder.addTab(serverTab), server.store());

    ConnectionOptions options;
    options.url = server.url();
    options.headers.append({ QByteArrayLiteral("X-User"), QByteArrayLiteral("ann") });
    options.headers.append({ QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer s3cret") });
    options.subprotocols = { QStringLiteral("chat") };
    client.open(options);
    QTRY_COMPARE(client.state(), ClientConnection::State::Open);
    recorder.recordHandshake(clientId, 0, client.handshake(), nowUs());
    // Each send waits for the echo of the one before: real gaps, whatever they are.
    m_sent = { "first", "{\"op\":\"second\"}", "third \"quoted\"\nline" };
    for (qsizetype i = 0; i < m_sent.size(); ++i) {
        client.sendText(QString::fromUtf8(m_sent.at(i)));
        QTRY_COMPARE(client.store()->counters().messagesIn, qint64(i + 1));
    }
    client.sendBinary(QByteArray("\x00\x01\xff", 3));
    QTRY_COMPARE(client.store()->counters().messagesIn, qint64(4));
    QVERIFY(client.close(1000, QString()));
    QTRY_COMPARE(client.state(), ClientConnection::State::Closed);
    recorder.flush();
    m_session = m_dir.filePath(QStringLiteral("recorded.wstsession"));
    QVERIFY2(recorder.saveAsBlocking(m_session, true, &error), qPrintable(error));

    // The gaps as the session has them, rounded as the export rounds them (against a clock that
    // advances by whole milliseconds, so that the rounding never adds up).
    SessionReader reader;
    QVERIFY2(reader.open(m_session), qPrintable(reader.errorString()));
    const QList<SessionHandshake> handshakes = reader.handshakes(clientId);
    QCOMPARE(handshakes.size(), 1);
    qint64 clock = handshakes.first().timeUs;
    SessionReader::Cursor cursor(reader, clientId);
    while (cursor.next()) {
        clock = std::min(clock, cursor.row.timeUs);
        if (cursor.row.direction == Direction::Out
            && (cursor.row.kind == Kind::Text || cursor.row.kind == Kind::Binary)) {
            const qint64 ms = std::max<qint64>(0, (cursor.row.timeUs - clock) / 1000);
            m_gapsMs.append(ms);
            clock += ms * 1000;
        }
    }
    QCOMPARE(m_gapsMs.size(), 4);
}

QByteArray tst_LoadExport::exportSession(SessionExport::Format format, bool keepSecrets, qint64 *masked)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    SessionExport exporter(format);
    exporter.setKeepSecrets(keepSecrets);
    if (exporter.write(m_session, &buffer) != SessionExport::Result::Ok) {
        qWarning("export failed: %s", qPrintable(exporter.errorString()));
        return {};
    }
    if (masked)
        *masked = exporter.secretsMasked();
    return buffer.data();
}

void tst_LoadExport::checkK6(const QByteArray &script)
{
    QVERIFY(!script.isEmpty());
    const QString path = m_dir.filePath(QStringLiteral("script.mjs"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(script);
    file.close();
    const Run r = run(QStringLiteral("/usr/bin/node"), { QStringLiteral("--check"), path });
    QVERIFY2(r.exit == 0, r.err.constData());
    static const QRegularExpression import(
        QStringLiteral("^\\s*import\\b.*?from\\s+'([^']+)'"), QRegularExpression::MultilineOption);
    QStringList modules;
    for (const QRegularExpressionMatch &m : import.globalMatch(QString::fromUtf8(script)))
        modules.append(m.captured(1));
    QVERIFY(modules.contains(QStringLiteral("k6/websockets")));
    for (const QString &m : std::as_const(modules))
        QVERIFY2(AllowedModules.contains(m), qPrintable(m));
    // No other way in: every import is one of the lines above.
    QCOMPARE(
        QString::fromUtf8(script).count(QRegularExpression(QStringLiteral("\\bimport\\b|\\brequire\\("))),
        modules.size());
}

QJsonObject tst_LoadExport::parseYaml(const QByteArray &yaml)
{
    const Run r = run(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral("-c"),
            QStringLiteral(
                "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin.read()), sys.stdout)") },
        yaml);
    if (r.exit != 0)
        qWarning("python3: %s", r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

void tst_LoadExport::sessionK6()
{
    qint64 masked = 0;
    const QByteArray script = exportSession(SessionExport::Format::K6, false, &masked);
    checkK6(script);
    QVERIFY(masked > 0);
    QVERIFY(!script.contains("s3cret"));
    QVERIFY(script.contains("\"Authorization\": \"(masked)\""));
    QVERIFY(script.contains("\"X-User\": \"ann\""));
    QVERIFY(script.contains("[\"chat\"]"));
    QVERIFY(script.contains(QByteArray("connect(\"" + m_url.toUtf8() + '"')));
    QVERIFY(script.contains("Left out: tab 2"));
    // The sends in order, each after its recorded gap.
    qsizetype at = script.indexOf("export default") > 0 ? script.indexOf("async function flow1") : -1;
    QVERIFY(at > 0);
    QStringList expected;
    for (qsizetype i = 0; i < m_sent.size(); ++i) {
        QByteArray literal;
        literal
            = QJsonDocument(QJsonArray { QString::fromUtf8(m_sent.at(i)) }).toJson(QJsonDocument::Compact);
        literal = literal.mid(1, literal.size() - 2);
        if (m_gapsMs.at(i) > 0) {
            const QByteArray sleep = "await sleep(" + QByteArray::number(m_gapsMs.at(i)) + ");";
            at = script.indexOf(sleep, at);
            QVERIFY2(at > 0, sleep.constData());
        }
        const QByteArray send = ".ws.send(" + literal + ");";
        at = script.indexOf(send, at);
        QVERIFY2(at > 0, send.constData());
    }
    at = script.indexOf(".ws.send(bytes(\"0001ff\"));", at);
    QVERIFY(at > 0);
    QVERIFY(script.indexOf(".ws.close();", at) > 0);

    const QByteArray kept = exportSession(SessionExport::Format::K6, true);
    checkK6(kept);
    QVERIFY(kept.contains("\"Authorization\": \"Bearer s3cret\""));
}

void tst_LoadExport::sessionArtillery()
{
    const QByteArray yaml = exportSession(SessionExport::Format::Artillery, false);
    QVERIFY(!yaml.contains("s3cret"));
    const QJsonObject root = parseYaml(yaml);
    QVERIFY2(!root.isEmpty(), yaml.constData());
    const QJsonObject config = root.value(QLatin1String("config")).toObject();
    QCOMPARE(config.value(QLatin1String("target")).toString(), m_url);
    const QJsonObject ws = config.value(QLatin1String("ws")).toObject();
    QCOMPARE(ws.value(QLatin1String("subprotocols")).toArray(), QJsonArray { QStringLiteral("chat") });
    QCOMPARE(ws.value(QLatin1String("headers")).toObject().value(QLatin1String("X-User")).toString(),
        QStringLiteral("ann"));
    QCOMPARE(ws.value(QLatin1String("headers")).toObject().value(QLatin1String("Authorization")).toString(),
        QStringLiteral("(masked)"));
    const QJsonArray scenarios = root.value(QLatin1String("scenarios")).toArray();
    QCOMPARE(scenarios.size(), 1); // the server tab is left out
    const QJsonObject scenario = scenarios.first().toObject();
    QCOMPARE(scenario.value(QLatin1String("engine")).toString(), QStringLiteral("ws"));
    auto think = [](qint64 ms) {
        return QJsonObject { { QStringLiteral("think"),
            ms % 1000 == 0 ? QJsonValue(ms / 1000) : QJsonValue(QStringLiteral("%1ms").arg(ms)) } };
    };
    QJsonArray expected;
    for (qsizetype i = 0; i < m_sent.size(); ++i) {
        if (m_gapsMs.at(i) > 0)
            expected.append(think(m_gapsMs.at(i)));
        expected.append(QJsonObject { { QStringLiteral("send"), QString::fromUtf8(m_sent.at(i)) } });
    }
    // The binary send is a comment, its time kept as a think; then the wait until the close.
    if (m_gapsMs.last() > 0)
        expected.append(think(m_gapsMs.last()));
    const QJsonArray flow = scenario.value(QLatin1String("flow")).toArray();
    QJsonArray prefix;
    for (qsizetype i = 0; i < std::min(flow.size(), expected.size()); ++i)
        prefix.append(flow.at(i));
    QCOMPARE(prefix, expected);
    for (qsizetype i = expected.size(); i < flow.size(); ++i)
        QVERIFY(flow.at(i).toObject().contains(QLatin1String("think")));
    QVERIFY(yaml.contains("not sent: Artillery's ws engine sends text only"));
}

void tst_LoadExport::scenarioK6()
{
    QString error;
    const auto scenario
        = ScenarioParser::parse(readData("chat.wstest.json"), QStringLiteral("chat.wstest.json"), &error);
    QVERIFY2(scenario, qPrintable(error));
    const QByteArray script = LoadPlan::write(LoadPlan::Engine::K6, LoadPlan::fromScenario(*scenario));
    checkK6(script);
    for (const char *expected : { "fill(vars, \"ws://127.0.0.1:{{port}}/chat\")",
             "\"X-User\": fill(vars, \"{{user}}\")", "'step 1: connect a'", "\"step 1: subprotocol chat\"",
             "jsonMatches(m, [[\"$.n\", \">\", 3], [\"$.op\", \"equals\", fillValue(vars, \"welcome\")]])",
             "vars[\"token\"] = scalar(jsonPath(parseJson(found), \"$.token\")[0]);",
             "m.includes(fill(vars, \"ann joined\"))", "await sleep(250);",
             "new RegExp(fill(vars, \"^hello [0-9a-f]+$\")).test(m)",
             "ws.send(bytes(fill(vars, \"00ff10\")))", "sameBytes(m, bytes(fill(vars, \"00ff10\")))",
             "expectNone(c[\"a\"]", "not checked: the server's close code 1000",
             "const vars = {\"port\": \"9\", \"user\": \"ann\"};" }) {
        QVERIFY2(
            script.contains(expected) || script.contains(QByteArray(expected).replace('\'', '"')), expected);
    }
}

void tst_LoadExport::scenarioArtillery()
{
    QString error;
    const auto scenario
        = ScenarioParser::parse(readData("chat.wstest.json"), QStringLiteral("chat.wstest.json"), &error);
    QVERIFY2(scenario, qPrintable(error));
    const QByteArray yaml = LoadPlan::write(LoadPlan::Engine::Artillery, LoadPlan::fromScenario(*scenario));
    const QJsonObject root = parseYaml(yaml);
    QVERIFY2(!root.isEmpty(), yaml.constData());
    const QJsonObject config = root.value(QLatin1String("config")).toObject();
    QCOMPARE(config.value(QLatin1String("target")).toString(), QStringLiteral("ws://127.0.0.1:9/chat"));
    QCOMPARE(config.value(QLatin1String("variables")).toObject().value(QLatin1String("user")).toArray(),
        QJsonArray { QStringLiteral("ann") });
    const QJsonArray scenarios = root.value(QLatin1String("scenarios")).toArray();
    QCOMPARE(scenarios.size(), 2); // a connection each
    const QJsonArray a = scenarios.at(0).toObject().value(QLatin1String("flow")).toArray();
    QCOMPARE(scenarios.at(0).toObject().value(QLatin1String("engine")).toString(), QStringLiteral("ws"));
    const QJsonObject connect = a.at(0).toObject().value(QLatin1String("connect")).toObject();
    QCOMPARE(
        connect.value(QLatin1String("target")).toString(), QStringLiteral("ws://127.0.0.1:{{port}}/chat"));
    QCOMPARE(connect.value(QLatin1String("subprotocols")).toArray(), QJsonArray { QStringLiteral("chat") });
    QCOMPARE(connect.value(QLatin1String("headers")).toObject().value(QLatin1String("X-User")).toString(),
        QStringLiteral("{{user}}"));
    const QJsonArray expected { a.at(0),
        QJsonObject { { QStringLiteral("send"), QStringLiteral("{\"op\":\"join\",\"user\":\"{{user}}\"}") } },
        QJsonObject { { QStringLiteral("think"), QStringLiteral("250ms") } },
        QJsonObject { { QStringLiteral("send"), QStringLiteral("hello {{token}}") } },
        // expectNone's 500 ms before the close keep the connection open as long.
        QJsonObject { { QStringLiteral("think"), QStringLiteral("500ms") } } };
    QCOMPARE(a, expected);
    QVERIFY(yaml.contains("# step 4: not checked: expect json $.n, json $.op within 2000 ms"));
}

void tst_LoadExport::k6HelpersRunInNode()
{
    QFile prelude(QStringLiteral(":/export/K6Prelude.js"));
    QVERIFY(prelude.open(QIODevice::ReadOnly));
    const QByteArray checks = readData("k6-helpers-check.js");
    QVERIFY(!checks.isEmpty());
    const Run r = run(QStringLiteral("/usr/bin/node"), { QStringLiteral("-") }, prelude.readAll() + checks);
    QVERIFY2(r.exit == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("ok\n"));
}

void tst_LoadExport::commandLine()
{
    const QString scenarioPath = m_dir.filePath(QStringLiteral("chat.wstest.json"));
    QFile file(scenarioPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(readData("chat.wstest.json"));
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("chat.k6.js"));
    Run r = run(QStringLiteral(WST_BINARY),
        { QStringLiteral("test"), scenarioPath, QStringLiteral("--export"), QStringLiteral("k6"),
            QStringLiteral("--var"), QStringLiteral("port=4321"), QStringLiteral("-o"), out });
    QVERIFY2(r.exit == 0, r.err.constData());
    QFile script(out);
    QVERIFY(script.open(QIODevice::ReadOnly));
    const QByteArray k6 = script.readAll();
    checkK6(k6);
    QVERIFY(k6.contains("\"port\": \"4321\""));

    r = run(QStringLiteral(WST_BINARY),
        { QStringLiteral("test"), scenarioPath, QStringLiteral("--export"), QStringLiteral("artillery") });
    QCOMPARE(r.exit, 0);
    QCOMPARE(
        parseYaml(r.out).value(QLatin1String("config")).toObject().value(QLatin1String("target")).toString(),
        QStringLiteral("ws://127.0.0.1:9/chat"));

    // A bad file is still exit 2 with file:line:col, and nothing is written.
    const QString bad = m_dir.filePath(QStringLiteral("bad.wstest.json"));
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write("{\n  \"steps\": [ { \"send\": \"a\", \"within\": \"soon\" } ]\n}\n");
    badFile.close();
    r = run(QStringLiteral(WST_BINARY),
        { QStringLiteral("test"), bad, QStringLiteral("--export"), QStringLiteral("k6") });
    QCOMPARE(r.exit, 2);
    QVERIFY2(r.err.contains(QByteArray(bad.toUtf8() + ":1:1: \"connections\"")), r.err.constData());
    QVERIFY(r.out.isEmpty());
    r = run(QStringLiteral(WST_BINARY),
        { QStringLiteral("test"), scenarioPath, QStringLiteral("--export"), QStringLiteral("jmeter") });
    QCOMPARE(r.exit, 2);
    QVERIFY2(r.err.contains("use k6 or artillery"), r.err.constData());

    r = run(QStringLiteral(WST_BINARY),
        { QStringLiteral("session"), QStringLiteral("export"), m_session, QStringLiteral("--format"),
            QStringLiteral("artillery") });
    QVERIFY2(r.exit == 0, r.err.constData());
    QVERIFY2(r.err.contains("secrets masked"), r.err.constData());
    QCOMPARE(
        parseYaml(r.out).value(QLatin1String("config")).toObject().value(QLatin1String("target")).toString(),
        m_url);
    r = run(QStringLiteral(WST_BINARY),
        { QStringLiteral("session"), QStringLiteral("export"), m_session, QStringLiteral("--format"),
            QStringLiteral("k6"), QStringLiteral("--keep-secrets") });
    QVERIFY2(r.exit == 0, r.err.constData());
    checkK6(r.out);
    QVERIFY(r.out.contains("Bearer s3cret"));
}

QTEST_GUILESS_MAIN(tst_LoadExport)
#include "tst_LoadExport.moc"
