// permessage-deflate through the wire relay, against real peers of other stacks (python3
// websockets, node `ws`) and a raw server that sends what a test gives it.
#include "connection/ClientConnection.h"
#include "connection/ConnectionOptions.h"
#include "connection/WireCounters.h"
#include "messages/MessageStore.h"
#include "protocol/FrameDecoder.h"
#include "protocol/PerMessageDeflate.h"

#include "FrameBytes.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;
using wst::test::frameBytes;

namespace {

// One connection: answers the upgrade with a 101 carrying `extensions` (if any), then writes
// `greeting`. Keeps the request and the client's Close codes and reasons.
class RawServer : public QObject
{
public:
    explicit RawServer(QByteArray extensions)
        : m_extensions(std::move(extensions))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            m_socket = m_server.nextPendingConnection();
            m_socket->setParent(this);
            connect(m_socket, &QTcpSocket::readyRead, this, [this] { read(); });
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }
    QByteArray greeting;
    QByteArray request;
    QList<int> closeCodes;
    QByteArray closeReason;

private:
    void read()
    {
        m_buffer += m_socket->readAll();
        if (request.isEmpty()) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            request = m_buffer.left(end + 4);
            m_buffer.remove(0, end + 4);
            QByteArray key;
            for (const QByteArray &line : request.split('\n')) {
                if (line.toLower().startsWith("sec-websocket-key:"))
                    key = line.mid(18).trimmed();
            }
            QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                                  "Upgrade\r\nSec-WebSocket-Accept: "
                + QCryptographicHash::hash(
                    QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                      .toBase64()
                + "\r\n";
            if (!m_extensions.isEmpty())
                response += "Sec-WebSocket-Extensions: " + m_extensions + "\r\n";
            m_socket->write(response + "\r\n" + greeting);
        }
        FrameHeader h;
        while (const int n = FrameHeader::parse(m_buffer, &h)) {
            if (quint64(m_buffer.size() - n) < h.length)
                return;
            QByteArray payload = m_buffer.mid(n, qsizetype(h.length));
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload[i] ^ char(h.maskByte(quint64(i))));
            m_buffer.remove(0, n + qsizetype(h.length));
            if (h.opcode == Opcode::Close) {
                closeCodes.append(payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 1005);
                closeReason = payload.mid(2);
                m_socket->disconnectFromHost();
            }
        }
    }
    QByteArray m_extensions;
    QTcpServer m_server;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_buffer;
};

QByteArray compressible(qsizetype n)
{
    QByteArray line = "wstester compresses this line well. ";
    return line.repeated(n / line.size() + 1).left(n);
}

} // namespace

class tst_WireRelayDeflate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realPeers_data();
    void realPeers();
    void optionOffOffersNothing();
    void serverErrors_data();
    void serverErrors();
    void badNegotiationFailsTheHandshake();
    void cleanup();

private:
    int startPeer(const QString &program, const QStringList &args);
    static QList<FrameInfo> frames(const ClientConnection &c, Direction d);
    static QByteArray lastIn(const ClientConnection &c);
    QList<QProcess *> m_peers;
};

int tst_WireRelayDeflate::startPeer(const QString &program, const QStringList &args)
{
    auto *p = new QProcess(this);
    m_peers.append(p);
    p->start(program, args);
    if (!p->waitForStarted() || !p->waitForReadyRead(15000))
        return 0;
    return p->readLine().trimmed().toInt();
}

void tst_WireRelayDeflate::cleanup()
{
    for (QProcess *p : std::as_const(m_peers)) {
        p->kill();
        p->waitForFinished();
        delete p;
    }
    m_peers.clear();
}

QList<FrameInfo> tst_WireRelayDeflate::frames(const ClientConnection &c, Direction d)
{
    QList<FrameInfo> out;
    const MessageStore &s = *c.frames();
    for (qint64 i = 0; i < s.count(); ++i) {
        const MessageRow &r = s.row(i);
        if (r.direction == d)
            out.append(FrameInfo::fromStored(s.payloadCopy(i), r.extra & 0xf, quint64(r.extra) >> 4));
    }
    return out;
}

QByteArray tst_WireRelayDeflate::lastIn(const ClientConnection &c)
{
    const MessageStore &s = *c.store();
    for (qint64 i = s.count() - 1; i >= 0; --i) {
        if (s.row(i).direction == Direction::In)
            return s.payloadCopy(i);
    }
    return {};
}

void tst_WireRelayDeflate::realPeers_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("noTakeover");
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    for (const bool no : { false, true }) {
        QTest::addRow("python websockets, %s", no ? "no context takeover" : "context takeover")
            << QStringLiteral("/usr/bin/python3") << QStringLiteral(WST_PEERS_DIR "/deflate_server.py") << no;
        if (!node.isEmpty() && QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json")))
            QTest::addRow("node ws, %s", no ? "no context takeover" : "context takeover")
                << node << QStringLiteral(WST_PEERS_DIR "/deflate_ws_server.js") << no;
    }
}

void tst_WireRelayDeflate::realPeers()
{
    QFETCH(QString, program);
    QFETCH(QString, script);
    QFETCH(bool, noTakeover);
    const int port = startPeer(program, { script, noTakeover ? QStringLiteral("no-takeover") : QString() });
    QVERIFY2(port > 0, "the peer did not print its port");
    ClientConnection c;
    c.setRecordFrames(true);
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000);
    QVERIFY2(
        c.handshake().deflateText().startsWith(QLatin1String("permessage-deflate: server window 15 bits")),
        qPrintable(c.handshake().deflateText()));
    QCOMPARE(c.handshake().deflateText().count(QLatin1String("no context takeover")), noTakeover ? 2 : 0);
    QVERIFY(c.handshake().request.contains(
        "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
    QVERIFY(c.handshake().response.contains("Sec-WebSocket-Extensions: permessage-deflate"));

    // Small messages, the same twice (with context takeover the second is shorter on the wire).
    for (const QByteArray &m : { QByteArray("hello hello hello"), QByteArray("hello hello hello") }) {
        const qint64 before = c.store()->counters().messagesIn;
        c.sendText(QString::fromUtf8(m));
        QTRY_COMPARE(c.store()->counters().messagesIn, before + 1);
        QCOMPARE(lastIn(c), m);
    }
    // 10 MB each way.
    const QByteArray big = compressible(10 * 1000 * 1000);
    c.sendText(QString::fromUtf8(big));
    QTRY_COMPARE_WITH_TIMEOUT(c.store()->counters().messagesIn, 3, 30000);
    QVERIFY(lastIn(c) == big);
    c.sendText(QStringLiteral("__big 10000000"));
    QTRY_COMPARE_WITH_TIMEOUT(c.store()->counters().messagesIn, 4, 30000);
    QVERIFY(lastIn(c) == big);
    QCOMPARE(c.state(), State::Open);

    // The frame view shows the wire: RSV1 both ways, the compressed lengths, and a row with
    // both sizes per message.
    const QList<FrameInfo> in = frames(c, Direction::In);
    const QList<FrameInfo> out = frames(c, Direction::Out);
    QCOMPARE(in.size(), 4);
    QCOMPARE(out.size(), 4);
    for (const FrameInfo &f : in + out)
        QCOMPARE(f.rsv, quint8(0x4));
    QVERIFY(in.at(2).length < 200000);
    QVERIFY(out.at(2).length < 200000);
    if (!noTakeover)
        QVERIFY2(out.at(1).length < out.at(0).length, "context takeover makes the repeat shorter");
    else
        QCOMPARE(out.at(1).length, out.at(0).length);
    QStringList notes;
    const MessageStore &fs = *c.frames();
    for (qint64 i = 0; i < fs.count(); ++i) {
        if (fs.row(i).direction == Direction::Event)
            notes.append(QString::fromUtf8(fs.payloadCopy(i)));
    }
    QCOMPARE(notes.size(), 8);
    QVERIFY2(notes.filter(QStringLiteral(" to 10000000 (")).size() == 2, qPrintable(notes.join(u'\n')));
    QVERIFY2(
        notes.filter(QStringLiteral("deflated 10000000 bytes")).size() == 1, qPrintable(notes.join(u'\n')));

    // The wire counters agree with the frames and the messages, and compression paid.
    const WireCounters::Totals t = c.wireCounters()->totals();
    QVERIFY(t.agreed);
    quint64 wireIn = 0;
    quint64 wireOut = 0;
    for (const FrameInfo &f : in)
        wireIn += f.length;
    for (const FrameInfo &f : out)
        wireOut += f.length;
    QCOMPARE(t.wireIn, wireIn);
    QCOMPARE(t.wireOut, wireOut);
    QCOMPARE(t.messageIn, quint64(17 + 17 + 2 * big.size()));
    QCOMPARE(t.messageOut, quint64(17 + 17 + big.size() + 14));
    QVERIFY(t.wireIn * 20 < t.messageIn);
    QVERIFY(t.wireOut * 20 < t.messageOut);
    QVERIFY2(t.text().startsWith(u"\u2193 "), qPrintable(t.text()));
    c.close();
    QTRY_COMPARE(c.state(), State::Closed);
    QCOMPARE(c.status().closeCode, 1000);
}

void tst_WireRelayDeflate::optionOffOffersNothing()
{
    const int port = startPeer(
        QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/deflate_server.py") });
    QVERIFY(port > 0);
    ClientConnection c;
    c.setRecordFrames(true);
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    o.deflate.enabled = false;
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000);
    QVERIFY(!c.handshake().request.toLower().contains("sec-websocket-extensions"));
    QVERIFY(c.handshake().deflateText().isEmpty());
    c.sendText(QStringLiteral("__offer__"));
    QTRY_COMPARE(c.store()->counters().messagesIn, 1);
    const QJsonObject seen = QJsonDocument::fromJson(lastIn(c)).object();
    QVERIFY(seen.value(QLatin1String("request")).isNull());
    QVERIFY(seen.value(QLatin1String("response")).isNull());
    for (const FrameInfo &f : frames(c, Direction::In) + frames(c, Direction::Out))
        QCOMPARE(f.rsv, quint8(0));
}

void tst_WireRelayDeflate::serverErrors_data()
{
    QTest::addColumn<QByteArray>("extensions");
    QTest::addColumn<QByteArray>("greeting");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    MessageDeflater deflater(15, true);
    const QByteArray hello = deflater.deflate("hello");
    QTest::newRow("bad deflate data") << QByteArray("permessage-deflate")
                                      << frameBytes(0x1, true, hello, 0, 0x4)
            + frameBytes(0x1, true, QByteArray::fromHex("ffffffff"), 0, 0x4)
                                      << 1007 << QStringLiteral("invalid deflate data");
    QTest::newRow("RSV1 on a ping") << QByteArray(
        "permessage-deflate") << frameBytes(0x1, true, hello, 0, 0x4) + frameBytes(0x9, true, "x", 0, 0x4)
                                    << 1002 << QStringLiteral("RSV1 on a control frame");
    QTest::newRow("RSV1 on a continuation") << QByteArray("permessage-deflate")
                                            << frameBytes(0x1, true, hello, 0, 0x4)
            + frameBytes(0x1, false, "a") + frameBytes(0x0, true, "b", 0, 0x4)
                                            << 1002 << QStringLiteral("continuation frame");
    QTest::newRow("deflate bomb") << QByteArray("permessage-deflate")
                                  << frameBytes(0x1, true, hello, 0, 0x4)
            + frameBytes(0x2, true, deflater.deflate(QByteArray(5 * 1000 * 1000, 'x')), 0, 0x4)
                                  << 1009 << QStringLiteral("more than the 1000000-byte limit");
    // Without the extension agreed, RSV1 is Qt's own protocol error.
    QTest::newRow("RSV1 without the extension")
        << QByteArray() << frameBytes(0x1, true, "hello") + frameBytes(0x1, true, hello, 0, 0x4) << 1002
        << QString();
}

void tst_WireRelayDeflate::serverErrors()
{
    QFETCH(QByteArray, extensions);
    QFETCH(QByteArray, greeting);
    QFETCH(int, code);
    QFETCH(QString, reason);
    RawServer server(extensions);
    server.greeting = greeting;
    ClientConnection c;
    ConnectionOptions o;
    o.url = server.url();
    o.maxMessageSize = 1000 * 1000;
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Closed, 10000);
    // The message before the bad one arrived, inflated; the bad one did not.
    QCOMPARE(c.store()->counters().messagesIn, 1);
    QCOMPARE(lastIn(c), QByteArray("hello"));
    QTRY_COMPARE(server.closeCodes, QList<int> { code });
    QCOMPARE(c.status().closeCode, code);
    QVERIFY2(c.status().closeReason.contains(reason), qPrintable(c.status().closeReason));
    QVERIFY(!c.status().closeReason.contains(u'\n'));
}

void tst_WireRelayDeflate::badNegotiationFailsTheHandshake()
{
    RawServer server("permessage-deflate; server_max_window_bits=99");
    ClientConnection c;
    ConnectionOptions o;
    o.url = server.url();
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Error, 10000);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Handshake);
    QVERIFY2(c.status().errorString.contains(QLatin1String("server_max_window_bits=99 is not 8 to 15")),
        qPrintable(c.status().errorString));
    QVERIFY(c.handshake().response.contains("server_max_window_bits=99"));
    QCOMPARE(c.handshake().deflateText(), c.status().errorString);
}

QTEST_GUILESS_MAIN(tst_WireRelayDeflate)
#include "tst_WireRelayDeflate.moc"
