// The headless `wstester session info|export|import-har`, run as the real binary.
#include "SessionExpect.h"
#include "SessionFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class tst_SessionCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void info();
    void infoJson();
    void exportNdjsonToStdout();
    void exportHarToFile();
    void exportOneTabCsv();
    void usageErrors_data();
    void usageErrors();
    void unreadableSession();
    void importHar();
    void importHarFailureLeavesNoFile();
    void importHarOfAFolderOrNothing();
    void help();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Result run(const QStringList &args);

    QTemporaryDir m_dir;
    QString m_session;
};

tst_SessionCommand::Result tst_SessionCommand::run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), args);
    if (!p.waitForStarted() || !p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return { -2, p.readAllStandardOutput(), p.readAllStandardError() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

void tst_SessionCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_session = m_dir.filePath(QStringLiteral("fixture.wstsession"));
    QString error;
    QVERIFY2(SessionFixture::write(m_session, &error), qPrintable(error));
}

void tst_SessionCommand::info()
{
    const Result r = run({ QStringLiteral("session"), QStringLiteral("info"), m_session });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    const QString out = QString::fromUtf8(r.out);
    using SessionExpect::isoTime;
    const qint64 t0 = SessionFixture::T0;
    for (const QString &expected : {
             QStringLiteral("Session:        Fixture session\n"),
             QStringLiteral("File:           %1\n").arg(m_session),
             QStringLiteral("Format version: 1 (written by wstester "),
             QStringLiteral("Secrets:        saved\n"),
             QStringLiteral("Tabs:           2\n"),
             QStringLiteral("Tab 1: client \u201cEcho \u00e9\u201d\n"),
             QStringLiteral("  URL:      ws://127.0.0.1:9001/chat?room=a%20b&x=1\n"),
             QStringLiteral("  Messages: 13 (in 4, out 4, events 5)\n"),
             QStringLiteral("  Time:     %1 to %2 (1.000 s)\n").arg(isoTime(t0 + 11), isoTime(t0 + 1000047)),
             QStringLiteral("Tab 2: server \u201cLocal server\u201d\n"),
             QStringLiteral("  Messages: 8 (in 2, out 2, events 4)\n"),
             QStringLiteral("  Time:     %1 to %2 (0.001 s)\n").arg(isoTime(t0 + 3), isoTime(t0 + 513)),
         })
        QVERIFY2(out.contains(expected), qPrintable(expected + QStringLiteral("\nnot in:\n") + out));
    QVERIFY(out.contains(QLatin1String("Created:        ")));
    QVERIFY(!out.contains(QLatin1String("read-only")));
}

void tst_SessionCommand::infoJson()
{
    const Result r
        = run({ QStringLiteral("session"), QStringLiteral("info"), QStringLiteral("--json"), m_session });
    QCOMPARE(r.exitCode, 0);
    QJsonParseError e;
    const QJsonObject o = QJsonDocument::fromJson(r.out, &e).object();
    QVERIFY2(e.error == QJsonParseError::NoError, r.out.constData());
    QCOMPARE(o.value(QLatin1String("name")).toString(), QStringLiteral("Fixture session"));
    QCOMPARE(o.value(QLatin1String("format_version")).toInt(), 1);
    QCOMPARE(o.value(QLatin1String("secrets")).toString(), QStringLiteral("saved"));
    QVERIFY(o.value(QLatin1String("created_us")).toInteger() > 0);
    const QJsonArray tabs = o.value(QLatin1String("tabs")).toArray();
    QCOMPARE(tabs.size(), 2);
    const QJsonObject client = tabs.at(0).toObject();
    QCOMPARE(client.value(QLatin1String("id")).toInt(), 1);
    QCOMPARE(client.value(QLatin1String("kind")).toString(), QStringLiteral("client"));
    QCOMPARE(client.value(QLatin1String("title")).toString(), QStringLiteral("Echo \u00e9"));
    QCOMPARE(client.value(QLatin1String("messages")).toInt(), 13);
    QCOMPARE(client.value(QLatin1String("in")).toInt(), 4);
    QCOMPARE(client.value(QLatin1String("out")).toInt(), 4);
    QCOMPARE(client.value(QLatin1String("events")).toInt(), 5);
    QCOMPARE(client.value(QLatin1String("first_us")).toInteger(), SessionFixture::T0 + 11);
    QCOMPARE(client.value(QLatin1String("last_us")).toInteger(), SessionFixture::T0 + 1000047);
    QCOMPARE(client.value(QLatin1String("span_us")).toInteger(), 1000036);
    QCOMPARE(client.value(QLatin1String("read_only")).toBool(), false);
    const QJsonObject server = tabs.at(1).toObject();
    QCOMPARE(server.value(QLatin1String("kind")).toString(), QStringLiteral("server"));
    QCOMPARE(server.value(QLatin1String("messages")).toInt(), 8);
}

void tst_SessionCommand::exportNdjsonToStdout()
{
    const Result r = run({ QStringLiteral("session"), QStringLiteral("export"), m_session,
        QStringLiteral("--format"), QStringLiteral("ndjson") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.takeLast(), QByteArray());
    const QList<SessionFixture::Row> rows = SessionFixture::rows();
    QCOMPARE(lines.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i)
        QCOMPARE(QJsonDocument::fromJson(lines.at(i)).object(), SessionExpect::object(rows.at(i)));
}

void tst_SessionCommand::exportHarToFile()
{
    const QString target = m_dir.filePath(QStringLiteral("out.har"));
    const Result r = run({ QStringLiteral("session"), QStringLiteral("export"), m_session,
        QStringLiteral("--format"), QStringLiteral("har"), QStringLiteral("-o"), target });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
    // The fixture's client handshakes carry cookies: masked, and said in one line.
    QCOMPARE(r.err,
        QByteArray("wstester session export: secrets masked in 2 handshake(s) or tab setting(s); "
                   "--keep-secrets writes them.\n"));
    QFile file(target);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray har = file.readAll();
    file.close();
    QVERIFY(!har.contains("a=1"));
    const QJsonObject log = QJsonDocument::fromJson(har).object().value(QLatin1String("log")).toObject();
    QCOMPARE(log.value(QLatin1String("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QLatin1String("entries")).toArray().size(), 4);

    const Result kept
        = run({ QStringLiteral("session"), QStringLiteral("export"), m_session, QStringLiteral("--format"),
            QStringLiteral("har"), QStringLiteral("-o"), target, QStringLiteral("--keep-secrets") });
    QCOMPARE(kept.exitCode, 0);
    QVERIFY(kept.err.isEmpty());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("a=1"));
}

void tst_SessionCommand::exportOneTabCsv()
{
    const Result r = run({ QStringLiteral("session"), QStringLiteral("export"), m_session,
        QStringLiteral("--format"), QStringLiteral("CSV"), QStringLiteral("--tab"), QStringLiteral("2") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("tab,seq,time,ts_us,client,dir,kind,size,code,encoding,data\r\n"));
    // No field of the server tab holds a line break: one record a line.
    QCOMPARE(r.out.count("\r\n"), 1 + 8);
    QVERIFY(r.out.contains(QStringLiteral("2,4,%1,%2,1,out,text,9,,,to one \u00e9\r\n")
                               .arg(SessionExpect::isoTime(SessionFixture::T0 + 307))
                               .arg(SessionFixture::T0 + 307)
                               .toUtf8()));
}

void tst_SessionCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString session = QStringLiteral("%SESSION%");
    QTest::newRow("no subcommand") << QStringList { QStringLiteral("session") }
                                   << QStringLiteral("Usage: wstester session");
    QTest::newRow("unknown subcommand") << QStringList { QStringLiteral("session"), QStringLiteral("dump") }
                                        << QStringLiteral("\u201cdump\u201d is not a session command");
    QTest::newRow("info without file") << QStringList { QStringLiteral("session"), QStringLiteral("info") }
                                       << QStringLiteral("missing the session file");
    QTest::newRow("two files") << QStringList { QStringLiteral("session"), QStringLiteral("info"), session,
        QStringLiteral("x") } << QStringLiteral("unexpected argument \u201cx\u201d");
    QTest::newRow("no format") << QStringList { QStringLiteral("session"), QStringLiteral("export"), session }
                               << QStringLiteral("missing --format");
    QTest::newRow("bad format") << QStringList { QStringLiteral("session"), QStringLiteral("export"), session,
        QStringLiteral("--format"), QStringLiteral("xml") }
                                << QStringLiteral("unknown format \u201cxml\u201d");
    QTest::newRow("tab not a number") << QStringList { QStringLiteral("session"), QStringLiteral("export"),
        session, QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--tab"),
        QStringLiteral("one") } << QStringLiteral("--tab: \u201cone\u201d is not a whole number from 1 to");
    QTest::newRow("no such tab") << QStringList { QStringLiteral("session"), QStringLiteral("export"),
        session, QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--tab"),
        QStringLiteral("99"), QStringLiteral("-o"), QStringLiteral("%OUT%") }
                                 << QStringLiteral("there is no tab 99 in %SESSION% (its tabs: 1, 2).");
    QTest::newRow("import without -o") << QStringList { QStringLiteral("session"),
        QStringLiteral("import-har"), QStringLiteral(WST_TEST_DATA "/chrome-websocket.har") }
                                       << QStringLiteral("missing -o");
    QTest::newRow("unknown option") << QStringList { QStringLiteral("session"), QStringLiteral("info"),
        session, QStringLiteral("--frobnicate") }
                                    << QStringLiteral("frobnicate");
}

void tst_SessionCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString out = m_dir.filePath(QStringLiteral("usage.out"));
    for (QString &a : args)
        a.replace(QLatin1String("%SESSION%"), m_session).replace(QLatin1String("%OUT%"), out);
    message.replace(QLatin1String("%SESSION%"), m_session);
    const Result r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(out));
    if (args.size() > 2)
        QVERIFY2(r.err.startsWith("wstester session "), r.err.constData());
}

void tst_SessionCommand::unreadableSession()
{
    const QString missing = m_dir.filePath(QStringLiteral("missing.wstsession"));
    Result r = run({ QStringLiteral("session"), QStringLiteral("info"), missing });
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(
        r.err, QStringLiteral("wstester session info: The file %1 does not exist.\n").arg(missing).toUtf8());
    r = run({ QStringLiteral("session"), QStringLiteral("export"),
        QStringLiteral(WST_TEST_DATA "/chrome-websocket.har"), QStringLiteral("--format"),
        QStringLiteral("ndjson") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("is not a wstester session"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void tst_SessionCommand::importHar()
{
    const QString target = m_dir.filePath(QStringLiteral("chrome.wstsession"));
    Result r = run({ QStringLiteral("session"), QStringLiteral("import-har"),
        QStringLiteral(WST_TEST_DATA "/chrome-websocket.har"), QStringLiteral("-o"), target });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out,
        QStringLiteral("Wrote %1: WebSocket connections: 2, messages: 5, other requests left out: 1.\n")
            .arg(target)
            .toUtf8());
    r = run({ QStringLiteral("session"), QStringLiteral("info"), target });
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(QStringLiteral("Tab 1: client \u201cchat.example.test/socket\u201d (read-only)\n")),
        r.out.constData());
    QVERIFY2(out.contains(QStringLiteral("  Messages: 6 (in 2, out 2, events 2)\n")), r.out.constData());
    QVERIFY2(out.contains(QStringLiteral("Tab 2: client \u201c127.0.0.1/\u201d (read-only)\n")),
        r.out.constData());
}

void tst_SessionCommand::importHarFailureLeavesNoFile()
{
    QTemporaryDir dir;
    const QString har = dir.filePath(QStringLiteral("broken.har"));
    QFile file(har);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "{\"log\":{\"entries\":[{\"_resourceType\":\"websocket\",\"request\":{\"url\":\"ws://a/\"},"
        "\"_webSocketMessages\":[{\"type\":\"receive\",\"time\":1,\"opcode\":2,\"data\":\"%%%\"}]}]}}");
    file.close();
    const QString target = dir.filePath(QStringLiteral("out.wstsession"));
    const Result r
        = run({ QStringLiteral("session"), QStringLiteral("import-har"), har, QStringLiteral("-o"), target });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("Entry 0 (ws://a/), message 0: the binary data is not valid base64."),
        r.err.constData());
    QCOMPARE(
        QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList { QStringLiteral("broken.har") });
}

void tst_SessionCommand::importHarOfAFolderOrNothing()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("out.wstsession"));
    // A folder is not "missing": say what it is.
    Result r = run({ QStringLiteral("session"), QStringLiteral("import-har"), dir.path(),
        QStringLiteral("-o"), target });
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err,
        QStringLiteral("wstester session import-har: %1 is a folder, not a HAR file.\n")
            .arg(dir.path())
            .toUtf8());
    const QString missing = dir.filePath(QStringLiteral("missing.har"));
    r = run(
        { QStringLiteral("session"), QStringLiteral("import-har"), missing, QStringLiteral("-o"), target });
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err,
        QStringLiteral("wstester session import-har: The file %1 does not exist.\n").arg(missing).toUtf8());
    QVERIFY(QDir(dir.path()).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot));
}

void tst_SessionCommand::help()
{
    Result r = run({ QStringLiteral("help"), QStringLiteral("session") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("import-har FILE.har -o OUT"));
    r = run({ QStringLiteral("--help") });
    QVERIFY(r.out.contains("session info|export|import-har"));
    r = run({ QStringLiteral("session"), QStringLiteral("export"), QStringLiteral("--help") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--format <format>"));
}

QTEST_GUILESS_MAIN(tst_SessionCommand)
#include "tst_SessionCommand.moc"
