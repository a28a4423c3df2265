// Hand-made frames sent through the wire relay (ClientConnection::sendFrame) to servers of other
// stacks (python3-websockets and node ws echo servers on 127.0.0.1): what each one does with a
// fragmented message, RSV bits, bad close codes, invalid UTF-8, lying lengths and bytewise
// sending; and `wstester check` / `connect --frame` headless.
#include "check/ServerCheck.h"
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "protocol/FrameDecoder.h"
#include "protocol/FrameSpecParser.h"
#include "server/LocalServer.h"

#include <QTcpServer>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;

class tst_HandMadeFrames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fragmentedMessageIsReassembled_data();
    void fragmentedMessageIsReassembled();
    void serverFailsTheConnection_data();
    void serverFailsTheConnection();
    void bytewiseAndLongerLength_data();
    void bytewiseAndLongerLength();
    void clientFramesWaitForTheInjection();
    void checkAgainstPeers();
    void checkCommand();
    void connectFrameOption();

private:
    void addPeers();
    quint16 startPython();
    quint16 startNode();

    QProcess m_python;
    QProcess m_node;
    quint16 m_pythonPort = 0;
    quint16 m_nodePort = 0;
};

namespace {

FrameSpec spec(const QString &text)
{
    FrameSpec s;
    QString error;
    if (!FrameSpecParser::parse(text, &s, &error, {}))
        qFatal("bad spec in the test: %s", qPrintable(error));
    return s;
}

bool openTo(ClientConnection &c, quint16 port)
{
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    // The cases are about a server without an extension: with permessage-deflate agreed (python
    // websockets accepts the offer), RSV1 would be a compressed message, not an error.
    options.deflate.enabled = false;
    c.setRecordFrames(true);
    c.open(options);
    return QTest::qWaitFor([&c] { return c.state() == State::Open || c.state() == State::Error; }, 10000)
        && c.state() == State::Open;
}

QList<QByteArray> received(const MessageStore &store)
{
    QList<QByteArray> out;
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).direction == Direction::In
            && (store.row(i).kind == Kind::Text || store.row(i).kind == Kind::Binary))
            out << store.payload(i);
    }
    return out;
}

qint64 countRows(const MessageStore &store, Direction dir, Kind kind)
{
    qint64 n = 0;
    for (qint64 i = 0; i < store.count(); ++i)
        n += store.row(i).direction == dir && store.row(i).kind == kind;
    return n;
}

} // namespace

quint16 tst_HandMadeFrames::startPython()
{
    m_python.start(QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/echo_server.py") });
    if (!m_python.waitForStarted() || !m_python.waitForReadyRead(10000))
        return 0;
    return quint16(m_python.readLine().trimmed().toUInt());
}

quint16 tst_HandMadeFrames::startNode()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty() || !QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json")))
        return 0;
    m_node.start(node, { QStringLiteral(WST_PEERS_DIR "/ws_echo_server.js") });
    if (!m_node.waitForStarted() || !m_node.waitForReadyRead(10000))
        return 0;
    return quint16(m_node.readLine().trimmed().toUInt());
}

void tst_HandMadeFrames::initTestCase()
{
    m_pythonPort = startPython();
    QVERIFY2(m_pythonPort, "the python3-websockets echo peer did not start");
    m_nodePort = startNode();
    QVERIFY2(m_nodePort,
        "the node ws echo peer did not start (npm install in tests/peers; scripts/setup.sh --tests)");
}

void tst_HandMadeFrames::cleanupTestCase()
{
    for (QProcess *p : { &m_python, &m_node }) {
        p->kill();
        p->waitForFinished();
    }
}

void tst_HandMadeFrames::addPeers()
{
    QTest::addColumn<quint16>("port");
    QTest::newRow("python websockets") << m_pythonPort;
    QTest::newRow("node ws") << m_nodePort;
}

void tst_HandMadeFrames::fragmentedMessageIsReassembled_data()
{
    addPeers();
}

void tst_HandMadeFrames::fragmentedMessageIsReassembled()
{
    QFETCH(quint16, port);
    ClientConnection c;
    QVERIFY(openTo(c, port));
    c.sendFrame(
        spec(QStringLiteral("op=text,payload=\"hello, fragmented world\",frag=4,ping-between=between")));
    QTRY_COMPARE(received(*c.store()), QList<QByteArray> { "hello, fragmented world" });
    // The history says what went out; the frame view has the 4 fragments and 3 pings as written.
    bool described = false;
    for (qint64 i = 0; i < c.store()->count(); ++i) {
        if (c.store()->row(i).direction == Direction::Out && c.store()->row(i).kind == Kind::Info)
            described = c.store()->payload(i)
                == "hand-made frame: text, 23 bytes, 4 fragments, ping between fragments";
    }
    QVERIFY(described);
    QTRY_COMPARE(countRows(*c.frames(), Direction::In, Kind::Pong), 3);
    QCOMPARE(countRows(*c.frames(), Direction::Out, Kind::Ping), 3);
    QCOMPARE(countRows(*c.frames(), Direction::Out, Kind::Text), 1);
    QCOMPARE(countRows(*c.frames(), Direction::Out, Kind::Info), 3); // the continuations
    QCOMPARE(c.state(), State::Open); // QWebSocket never saw any of it
    c.sendText(QStringLiteral("after"));
    QTRY_COMPARE(received(*c.store()).size(), 2);
    QCOMPARE(received(*c.store()).last(), QByteArray("after"));
}

void tst_HandMadeFrames::serverFailsTheConnection_data()
{
    QTest::addColumn<quint16>("port");
    QTest::addColumn<QString>("frame");
    QTest::addColumn<int>("code");
    for (const auto &[name, port] : { std::pair { "python", m_pythonPort }, { "node", m_nodePort } }) {
        const QString peer = QString::fromLatin1(name);
        QTest::newRow(qPrintable(peer + QStringLiteral(": RSV1 without an extension")))
            << port << QStringLiteral("op=text,rsv1,payload=x") << 1002;
        QTest::newRow(qPrintable(peer + QStringLiteral(": close code 1005")))
            << port << QStringLiteral("close=1005:bye") << 1002;
        QTest::newRow(qPrintable(peer + QStringLiteral(": close code 65535")))
            << port << QStringLiteral("close=65535") << 1002;
        QTest::newRow(qPrintable(peer + QStringLiteral(": invalid UTF-8")))
            << port << QStringLiteral("payload=abc,bad-utf8") << 1007;
        QTest::newRow(qPrintable(peer + QStringLiteral(": reserved opcode")))
            << port << QStringLiteral("op=0xB") << 1002;
        // The rest of the payload ("23456789", unmasked by a zero key) is read as a frame with
        // RSV2 and RSV3 set.
        QTest::newRow(qPrintable(peer + QStringLiteral(": length shorter than the payload")))
            << port << QStringLiteral("op=binary,payload=0123456789,len=-8,mask=00000000") << 1002;
    }
}

void tst_HandMadeFrames::serverFailsTheConnection()
{
    QFETCH(quint16, port);
    QFETCH(QString, frame);
    QFETCH(int, code);
    ClientConnection c;
    QVERIFY(openTo(c, port));
    c.sendFrame(spec(frame));
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Closed, 10000);
    QCOMPARE(c.status().closeCode, code);
    QVERIFY(!c.status().closedByUs);
}

void tst_HandMadeFrames::bytewiseAndLongerLength_data()
{
    addPeers();
}

void tst_HandMadeFrames::bytewiseAndLongerLength()
{
    QFETCH(quint16, port);
    ClientConnection c;
    QVERIFY(openTo(c, port));
    // One byte every 3 ms, multi-byte UTF-8 split across writes: the echo comes back whole.
    c.sendFrame(spec(QStringLiteral("payload=text:\u03ba\u1f79\u03c3\u03bc\u03b5,bytewise=3ms")));
    QTRY_COMPARE(received(*c.store()),
        QList<QByteArray> { QStringLiteral("\u03ba\u1f79\u03c3\u03bc\u03b5").toUtf8() });
    // A length that declares 4 bytes more than are sent: the server waits for them, so the
    // next frame's first 4 bytes complete it. With a zero key they arrive as they are: 0x81
    // (FIN, text) is a stray UTF-8 continuation byte after "waiting", so the text is invalid
    // whatever the next frame's own key is (a random key here once made valid UTF-8 now and
    // then, and node ws echoed it).
    c.sendFrame(spec(QStringLiteral("payload=waiting,len=+4,mask=00000000")));
    c.sendText(QStringLiteral("next"));
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Closed, 10000);
    QCOMPARE(received(*c.store()).size(), 1); // neither was echoed
    QCOMPARE(c.status().closeCode, 1007);
}

void tst_HandMadeFrames::clientFramesWaitForTheInjection()
{
    // The QWebSocket's own message, sent while a bytewise hand-made message is on its way, goes
    // out after it: the server sees two whole messages, in order.
    ClientConnection c;
    QVERIFY(openTo(c, m_pythonPort));
    c.sendFrame(spec(QStringLiteral("payload=slow,frag=2,bytewise=5")));
    c.sendText(QStringLiteral("fast"));
    QTRY_COMPARE(received(*c.store()), (QList<QByteArray> { "slow", "fast" }));
    QCOMPARE(c.state(), State::Open);
}

void tst_HandMadeFrames::checkAgainstPeers()
{
    // The documented differences: Qt's server (wstester serve) echoes an unmasked client frame;
    // python websockets and node ws accept a length in a longer form than needed.
    LocalServer server;
    ServerOptions options;
    options.port = 0;
    server.start(options);
    QTRY_COMPARE(server.state(), LocalServer::State::Listening);
    const QList<std::pair<quint16, QMap<QString, ServerCheck::Verdict>>> expected = {
        { m_pythonPort,
            { { QStringLiteral("1.7"), ServerCheck::Verdict::Pass },
                { QStringLiteral("1.8"), ServerCheck::Verdict::Lenient } } },
        { m_nodePort,
            { { QStringLiteral("1.7"), ServerCheck::Verdict::Pass },
                { QStringLiteral("1.8"), ServerCheck::Verdict::Lenient } } },
        { quint16(server.url().port()),
            { { QStringLiteral("1.7"), ServerCheck::Verdict::Fail },
                { QStringLiteral("1.8"), ServerCheck::Verdict::Pass } } },
    };
    for (const auto &[port, verdicts] : expected) {
        ServerCheck check;
        QSignalSpy finished(&check, &ServerCheck::finished);
        ServerCheck::Options o;
        o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
        o.timeoutMs = 500;
        o.only = { QStringLiteral("1.7"), QStringLiteral("1.8"), QStringLiteral("3"), QStringLiteral("5.1"),
            QStringLiteral("6.2"), QStringLiteral("7.7"), QStringLiteral("7.18") };
        check.start(o);
        QVERIFY(finished.wait(30000));
        QCOMPARE(check.results().size(), 10);
        for (const ServerCheck::Result &r : check.results()) {
            const ServerCheck::Verdict want = verdicts.value(r.testCase.id, ServerCheck::Verdict::Pass);
            QVERIFY2(r.verdict == want,
                qPrintable(QStringLiteral("port %1, case %2: %3 (%4)")
                               .arg(port)
                               .arg(r.testCase.id, ServerCheck::verdictName(r.verdict), r.outcome)));
        }
    }
}

void tst_HandMadeFrames::checkCommand()
{
    QTemporaryDir dir;
    const QString junit = dir.filePath(QStringLiteral("check.xml"));
    QProcess p;
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("check"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_nodePort),
            QStringLiteral("--only"), QStringLiteral("3,6.2"), QStringLiteral("--json"),
            QStringLiteral("--junit"), junit });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    QVERIFY2(lines.first().contains("\"id\":\"3.1\"") && lines.first().contains("\"verdict\":\"pass\"")
            && lines.first().contains("\"outcome\":\"closed 1002\""),
        lines.first().constData());
    QVERIFY(lines.last().contains("\"pass\":5"));
    QFile xml(junit);
    QVERIFY(xml.open(QIODevice::ReadOnly));
    const QByteArray text = xml.readAll();
    QVERIFY(text.contains("tests=\"5\"") && text.contains("failures=\"0\""));

    // A failing case: exit 1, and a <failure> in the JUnit file (Qt's server takes an unmasked frame).
    LocalServer server;
    ServerOptions options;
    options.port = 0;
    server.start(options);
    QTRY_COMPARE(server.state(), LocalServer::State::Listening);
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("check"), server.url().toString(), QStringLiteral("--only"), QStringLiteral("1.7"),
            QStringLiteral("-t"), QStringLiteral("0.3"), QStringLiteral("--junit"), junit });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardOutput().contains("1 cases: 0 pass, 0 lenient, 1 FAIL"));
    QVERIFY(xml.seek(0));
    xml.close();
    QVERIFY(xml.open(QIODevice::ReadOnly));
    QVERIFY(xml.readAll().contains("<failure message=\"echoed it (no Close in 0.3 s)\""));

    // Nobody there: one line and exit 3.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("check"), QStringLiteral("ws://127.0.0.1:%1/").arg(port) });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 3);
    QVERIFY(p.readAllStandardError().startsWith("wstester check: cannot check ws://127.0.0.1:"));
}

void tst_HandMadeFrames::connectFrameOption()
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_pythonPort),
            QStringLiteral("--frame"), QStringLiteral("payload=one,frag=2"), QStringLiteral("--frame"),
            QStringLiteral("op=binary,payload=hex:0001"), QStringLiteral("-n"), QStringLiteral("2"),
            QStringLiteral("--json") });
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray out = p.readAllStandardOutput();
    QVERIFY2(out.contains("\"dir\":\"in\",\"kind\":\"text\",\"size\":3,\"data\":\"one\""), out.constData());
    QVERIFY(out.contains("\"dir\":\"in\",\"kind\":\"binary\",\"size\":2"));
    QVERIFY(out.contains("hand-made frame: text, 3 bytes, 2 fragments"));

    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("--frame"),
            QStringLiteral("op=99") });
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(p.readAllStandardError(),
        QByteArray("wstester connect: frame spec: op: '99' is not an opcode (text, binary, cont, close, "
                   "ping, pong or 0-15)\n"));
}

QTEST_GUILESS_MAIN(tst_HandMadeFrames)
#include "tst_HandMadeFrames.moc"
