// The headless `wstester connect` against a real peer of another stack (python3-websockets)
// and against in-process servers, run as the real binary.
#include "connection/ConnectionStatus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

class tst_ConnectCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void jsonLinesWithCustomHeaderAndSubprotocol();
    void stdinLinesAreSent();
    void endOfStdinClosesNormally();
    void binaryIsPrintedAsBase64();
    void compressionCountsAtTheEnd();
    void serverCloseWithErrorCode();
    void usageErrors_data();
    void usageErrors();
    void refusedConnection();
    void connectTimeout();
    void overallTimeout();
    void recordingToAFullDisk();
    void helpAndVersion();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Result runWstester(const QStringList &args, const QByteArray &stdinData = {}, int timeoutMs = 20000);
    QString peerUrl() const { return QStringLiteral("ws://127.0.0.1:%1/").arg(m_peerPort); }

    QProcess m_peer;
    int m_peerPort = 0;
};

void tst_ConnectCommand::initTestCase()
{
    m_peer.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/echo_server.py"), QStringLiteral("chat") });
    QVERIFY2(m_peer.waitForStarted(), "cannot start /usr/bin/python3");
    QVERIFY2(m_peer.waitForReadyRead(10000), m_peer.readAllStandardError().constData());
    m_peerPort = m_peer.readLine().trimmed().toInt();
    QVERIFY2(m_peerPort > 0, "the python3-websockets peer did not print its port");
}

void tst_ConnectCommand::cleanupTestCase()
{
    m_peer.kill();
    m_peer.waitForFinished();
}

tst_ConnectCommand::Result tst_ConnectCommand::runWstester(
    const QStringList &args, const QByteArray &stdinData, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), args);
    if (!p.waitForStarted())
        return {};
    p.write(stdinData);
    p.closeWriteChannel();
    // The event loop keeps running (in-process servers answer) while we wait.
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

void tst_ConnectCommand::jsonLinesWithCustomHeaderAndSubprotocol()
{
    const Result r = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-H"),
        QStringLiteral("X-Test: abc 123"), QStringLiteral("-p"), QStringLiteral("chat"), QStringLiteral("-s"),
        QStringLiteral("__headers__"), QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("--json") });
    QCOMPARE(r.exitCode, 0);
    QList<QJsonObject> lines;
    for (const QByteArray &line : r.out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &e);
        QVERIFY2(e.error == QJsonParseError::NoError, line.constData());
        lines.append(doc.object());
    }
    for (const QJsonObject &o : lines) {
        for (const char *key : { "time", "dir", "kind", "size" })
            QVERIFY2(o.contains(QLatin1String(key)), QJsonDocument(o).toJson().constData());
    }
    auto find = [&lines](const char *dir, const char *kind) {
        for (const QJsonObject &o : lines) {
            if (o.value(QLatin1String("dir")).toString() == QLatin1String(dir)
                && o.value(QLatin1String("kind")).toString() == QLatin1String(kind))
                return o;
        }
        return QJsonObject();
    };
    QCOMPARE(find("event", "open").value(QLatin1String("subprotocol")).toString(), QStringLiteral("chat"));
    QCOMPARE(find("out", "text").value(QLatin1String("data")).toString(), QStringLiteral("__headers__"));
    const QJsonObject in = find("in", "text");
    QCOMPARE(
        in.value(QLatin1String("size")).toInt(), in.value(QLatin1String("data")).toString().toUtf8().size());
    // What the peer of another stack saw on the wire.
    const QJsonObject report
        = QJsonDocument::fromJson(in.value(QLatin1String("data")).toString().toUtf8()).object();
    const QVariantList headers = report.value(QLatin1String("headers")).toVariant().toList();
    QVERIFY(headers.contains(QVariantList { QStringLiteral("X-Test"), QStringLiteral("abc 123") }));
    QVERIFY(
        headers.contains(QVariantList { QStringLiteral("Sec-WebSocket-Protocol"), QStringLiteral("chat") }));
    int hosts = 0;
    for (const QVariant &h : headers)
        hosts += h.toList().value(0).toString().compare(QLatin1String("host"), Qt::CaseInsensitive) == 0;
    QCOMPARE(hosts, 1);
    QCOMPARE(report.value(QLatin1String("path")).toString(), QStringLiteral("/"));
    QCOMPARE(find("out", "close").value(QLatin1String("code")).toInt(), 1000);
}

void tst_ConnectCommand::stdinLinesAreSent()
{
    const Result r
        = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-n"), QStringLiteral("3") },
            "first line\nsecond \xe4\xb8\x96\r\nthird without newline");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("first line\nsecond \xe4\xb8\x96\nthird without newline\n"));
}

void tst_ConnectCommand::endOfStdinClosesNormally()
{
    const Result r
        = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("--json") }, "only\n");
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(R"("dir":"out","kind":"text","size":4,"data":"only")"), r.out.constData());
    QVERIFY2(r.out.contains(R"("dir":"out","kind":"close","size":0,"code":1000)"), r.out.constData());
}

void tst_ConnectCommand::binaryIsPrintedAsBase64()
{
    const Result r = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-s"),
        QStringLiteral("__binary 5"), QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("[binary base64] AAECAwQ=\n"));
    const Result j = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-s"),
        QStringLiteral("__binary 3"), QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("--json") });
    QVERIFY2(j.out.contains(R"("dir":"in","kind":"binary","size":3,"encoding":"base64","data":"AAEC")"),
        j.out.constData());
}

void tst_ConnectCommand::compressionCountsAtTheEnd()
{
    // python websockets compresses by default: the counts come last, as one more JSON line.
    const QByteArray line = "wstester compresses this line well. ";
    const QString big = QString::fromUtf8(line.repeated(20000 / line.size() + 1).left(20000));
    const Result r = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-s"), big,
        QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("--json") });
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    const QJsonObject last = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(last.value(QLatin1String("kind")).toString(), QStringLiteral("compression"));
    QCOMPARE(last.value(QLatin1String("dir")).toString(), QStringLiteral("event"));
    QVERIFY(last.contains(QLatin1String("time")));
    QCOMPARE(last.value(QLatin1String("message_bytes_out")).toInteger(), 20000);
    QCOMPARE(last.value(QLatin1String("message_bytes_in")).toInteger(), 20000);
    const qint64 wireOut = last.value(QLatin1String("wire_bytes_out")).toInteger();
    const qint64 wireIn = last.value(QLatin1String("wire_bytes_in")).toInteger();
    QVERIFY2(wireOut > 0 && wireOut * 10 < 20000, lines.last().constData());
    QVERIFY2(wireIn > 0 && wireIn * 10 < 20000, lines.last().constData());

    // Without --json, on stderr (stdout is the messages'); without compression, nothing.
    const Result plain = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-s"), big,
        QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(plain.exitCode, 0);
    QCOMPARE(plain.out, big.toUtf8() + '\n');
    QVERIFY2(
        plain.err.startsWith("wstester connect: compression: \xe2\x86\x93 ") && plain.err.contains(" wire ("),
        plain.err.constData());
    const Result off = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-s"), big,
        QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("--no-deflate") });
    QCOMPARE(off.exitCode, 0);
    QVERIFY2(off.err.isEmpty(), off.err.constData());
}

void tst_ConnectCommand::serverCloseWithErrorCode()
{
    const Result r = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-s"),
        QStringLiteral("__close 4001 go away"), QStringLiteral("-t"), QStringLiteral("10") });
    QCOMPARE(r.exitCode, 5);
    // The window's status line and the command line word a close alike.
    wst::ClientConnection::Status status;
    status.state = wst::ClientConnection::State::Closed;
    status.closeCode = 4001;
    status.closeReason = QStringLiteral("go away");
    const QByteArray line = "wstester connect: " + wst::ConnectionStatus::text(status).toUtf8() + '\n';
    QVERIFY2(r.err.contains(line), r.err.constData());
}

void tst_ConnectCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("words");
    QTest::newRow("no url") << QStringList { QStringLiteral("connect") } << QByteArray("URL is required");
    QTest::newRow("http scheme") << QStringList { QStringLiteral("connect"), QStringLiteral("http://x/") }
                                 << QByteArray("ws://");
    QTest::newRow("host header") << QStringList { QStringLiteral("connect"), QStringLiteral("ws://x/"),
        QStringLiteral("-H"), QStringLiteral("Host: y") }
                                 << QByteArray("URL");
    QTest::newRow("header syntax") << QStringList { QStringLiteral("connect"), QStringLiteral("ws://x/"),
        QStringLiteral("-H"), QStringLiteral("novalue") }
                                   << QByteArray("Name: value");
    QTest::newRow("bad count") << QStringList { QStringLiteral("connect"), QStringLiteral("ws://x/"),
        QStringLiteral("-n"), QStringLiteral("zero") }
                               << QByteArray("--count");
    QTest::newRow("unknown option") << QStringList { QStringLiteral("connect"), QStringLiteral("ws://x/"),
        QStringLiteral("--frobnicate") }
                                    << QByteArray("frobnicate");
    QTest::newRow("unknown command") << QStringList { QStringLiteral("conect") }
                                     << QByteArray("not a command");
}

void tst_ConnectCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, words);
    const Result r = runWstester(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(words), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void tst_ConnectCommand::refusedConnection()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    const Result r
        = runWstester({ QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port) });
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("refused"), r.err.constData());
}

void tst_ConnectCommand::connectTimeout()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const Result r = runWstester(
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort()),
            QStringLiteral("--connect-timeout"), QStringLiteral("0.5") });
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("0.5 s"), r.err.constData());
}

void tst_ConnectCommand::overallTimeout()
{
    QElapsedTimer t;
    t.start();
    const Result r
        = runWstester({ QStringLiteral("connect"), peerUrl(), QStringLiteral("-t"), QStringLiteral("1"),
            QStringLiteral("-n"), QStringLiteral("5"), QStringLiteral("-s"), QStringLiteral("just one") });
    QCOMPARE(r.exitCode, 4);
    QVERIFY(t.elapsed() >= 1000);
    QCOMPARE(r.out, QByteArray("just one\n"));
    QVERIFY2(r.err.contains("timed out"), r.err.constData());
}

void tst_ConnectCommand::recordingToAFullDisk()
{
    // A file size limit of 0 fails every write to a file as a full disk does (EFBIG where a full
    // disk gives ENOSPC), with no root and no small file system to mount.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("full.wstsession"));
    QProcess p;
    p.setChildProcessModifier([] {
        signal(SIGXFSZ, SIG_IGN);
        const rlimit limit { 0, 0 };
        setrlimit(RLIMIT_FSIZE, &limit);
    });
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), peerUrl(), QStringLiteral("--record"), file, QStringLiteral("-t"),
            QStringLiteral("10") });
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(20000));
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitCode(), 1);
    // Before: "The session … is in use by another wstester."
    QVERIFY2(!err.contains("in use"), err.constData());
    QVERIFY2(err.contains(qPrintable(qt_error_string(EFBIG))), err.constData());
    QCOMPARE(err.count('\n'), 1);
    QVERIFY(QDir(dir.path()).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot));
}

void tst_ConnectCommand::helpAndVersion()
{
    const Result help = runWstester({ QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    for (const char *words : { "connect URL", "Exit codes", "3  the connection failed", "4  timeout" })
        QVERIFY2(help.out.contains(words), words);
    const Result connectHelp = runWstester({ QStringLiteral("connect"), QStringLiteral("--help") });
    QCOMPARE(connectHelp.exitCode, 0);
    QVERIFY(connectHelp.out.contains("--subprotocol"));
    const Result version = runWstester({ QStringLiteral("--version") });
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("wstester " WST_VERSION));
}

QTEST_GUILESS_MAIN(tst_ConnectCommand)
#include "tst_ConnectCommand.moc"
