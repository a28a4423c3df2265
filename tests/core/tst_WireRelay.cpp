// The wire relay against a real server of another stack (python3-websockets): the exact
// handshake request and response, refusals with their headers and bodies, and TLS details.
#include "../TestCerts.h"
#include "connection/ClientConnection.h"
#include "messages/FrameLogModel.h"
#include "messages/MessageStore.h"
#include "protocol/FrameDecoder.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;
using Headers = HandshakeRecord::Headers;

class tst_WireRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void exactExchangeOnSuccess();
    void refusals_data();
    void refusals();
    void acceptKeyCheck();
    void tlsSessionAndCertificateChain();
    void relayCarriesAFlood();
    void rawFrameView();

private:
    ConnectionOptions options(const QString &path) const;
    QProcess m_peer;
    int m_port = 0;
};

void tst_WireRelay::initTestCase()
{
    m_peer.start(
        QStringLiteral("/usr/bin/python3"), { QStringLiteral(WST_PEERS_DIR "/handshake_server.py") });
    QVERIFY(m_peer.waitForStarted());
    QVERIFY2(m_peer.waitForReadyRead(10000), m_peer.readAllStandardError().constData());
    m_port = m_peer.readLine().trimmed().toInt();
    QVERIFY(m_port > 0);
}

void tst_WireRelay::cleanupTestCase()
{
    m_peer.kill();
    m_peer.waitForFinished();
}

ConnectionOptions tst_WireRelay::options(const QString &path) const
{
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_port).arg(path));
    return o;
}

void tst_WireRelay::exactExchangeOnSuccess()
{
    ClientConnection c;
    ConnectionOptions o = options(QStringLiteral("/ok?x=1"));
    o.headers = { { "X-Api-Key", "k1" }, { "Authorization", "Bearer abc" } };
    o.subprotocols = { QStringLiteral("chat") };
    o.origin = QStringLiteral("http://origin.test");
    QSignalSpy changed(&c, &ClientConnection::handshakeChanged);
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    QTRY_VERIFY(c.handshake().statusCode() == 101);
    const HandshakeRecord &r = c.handshake();
    QCOMPARE(r.requestLine(), QByteArray("GET /ok?x=1 HTTP/1.1"));
    const Headers request = r.requestHeaders();
    QList<QByteArray> names;
    for (const auto &h : request)
        names.append(h.first);
    // Wire order: what Qt generates first, then the user's headers in the order given.
    QCOMPARE(names.first(), QByteArray("Host"));
    QVERIFY(names.indexOf("X-Api-Key") < names.indexOf("Authorization"));
    QCOMPARE(HandshakeRecord::header(request, "Host"), QByteArray("127.0.0.1:") + QByteArray::number(m_port));
    QCOMPARE(HandshakeRecord::header(request, "Origin"), QByteArray("http://origin.test"));
    QCOMPARE(HandshakeRecord::header(request, "Sec-WebSocket-Protocol"), QByteArray("chat"));
    QVERIFY(!r.request.contains("X-Wstester-Tag")); // the relay's own tag never reaches the server
    QVERIFY(r.request.endsWith("\r\n\r\n"));

    QCOMPARE(r.statusLine(), QByteArray("HTTP/1.1 101 Switching Protocols"));
    const Headers response = r.responseHeaders();
    QList<QByteArray> cookies;
    for (const auto &h : response) {
        if (h.first == "Set-Cookie")
            cookies.append(h.second);
    }
    QCOMPARE(cookies, (QList<QByteArray> { "a=1; Path=/", "b=2; HttpOnly" }));
    QCOMPARE(HandshakeRecord::header(response, "X-Custom"), QByteArray("hello"));
    QCOMPARE(r.acceptCheck(), HandshakeRecord::AcceptCheck::Valid);
    QVERIFY(r.tcpConnectUs >= 0);
    QVERIFY(r.handshakeUs >= 0);
    QCOMPARE(r.tlsHandshakeUs, -1);
    QVERIFY(changed.count() >= 2);
    const QString text = r.toText();
    QVERIFY2(text.contains(QStringLiteral("> GET /ok?x=1 HTTP/1.1")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("< Set-Cookie: a=1; Path=/\n< Set-Cookie: b=2; HttpOnly")));
    QVERIFY(text.contains(QStringLiteral("Sec-WebSocket-Accept is valid")));

    // Messages still flow through the relay.
    c.sendText(QStringLiteral("through the tap"));
    QTRY_COMPARE(c.store()->counters().messagesIn, 1);
}

void tst_WireRelay::refusals_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("401") << QStringLiteral("/401") << 401 << QByteArray("WWW-Authenticate")
                         << QByteArray("Bearer realm=\"test\"") << QByteArray("token required\n");
    QTest::newRow("403") << QStringLiteral("/403") << 403 << QByteArray("X-Reason") << QByteArray("nope")
                         << QByteArray("forbidden for you\n");
    QTest::newRow("302") << QStringLiteral("/302") << 302 << QByteArray("Location") << QByteArray("/ok")
                         << QByteArray();
    QTest::newRow("500") << QStringLiteral("/500") << 500 << QByteArray("Content-Length") << QByteArray("16")
                         << QByteArray("something broke\n");
}

void tst_WireRelay::refusals()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, body);
    ClientConnection c;
    c.open(options(path));
    QTRY_COMPARE(c.state(), State::Error);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Handshake);
    // The state says what the server answered, not only "error".
    QVERIFY2(c.status().errorString.contains(QString::number(status)), qPrintable(c.status().errorString));
    QTRY_COMPARE(c.handshake().statusCode(), status);
    QCOMPARE(HandshakeRecord::header(c.handshake().responseHeaders(), header), value);
    if (!body.isEmpty())
        QTRY_COMPARE(c.handshake().responseBody, body);
    const QByteArray expectedStart = QByteArray("GET ") + path.toUtf8();
    QVERIFY(c.handshake().requestLine().startsWith(expectedStart));
}

void tst_WireRelay::acceptKeyCheck()
{
    HandshakeRecord r;
    r.request = "GET / HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    r.response
        = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    QCOMPARE(r.acceptCheck(), HandshakeRecord::AcceptCheck::Valid);
    r.response
        = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n";
    QCOMPARE(r.acceptCheck(), HandshakeRecord::AcceptCheck::Invalid);
    r.response = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
    QCOMPARE(r.acceptCheck(), HandshakeRecord::AcceptCheck::Missing);
}

void tst_WireRelay::tlsSessionAndCertificateChain()
{
    TestCerts certs;
    QVERIFY2(certs.makeSelfSigned(), "openssl could not make a certificate");
    const QSslConfiguration tls = certs.serverConfiguration("self.pem", "self.key");
    const QSslCertificate cert = tls.localCertificate();
    QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this,
        [&server] { server.nextPendingConnection()->setParent(&server); });

    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("wss://localhost:%1/secure").arg(server.serverPort()));
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Error, 10000);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Tls);
    QVERIFY(!c.status().sslErrors.isEmpty());
    QVERIFY(!c.handshake().sslErrors.isEmpty());
    QVERIFY(c.handshake().request.isEmpty()); // nothing was sent in clear

    o.ignoredSslErrors = c.status().sslErrors;
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000);
    QTRY_COMPARE(c.handshake().statusCode(), 101);
    const HandshakeRecord &r = c.handshake();
    QVERIFY(r.tls);
    QVERIFY2(r.tlsProtocol.startsWith(QLatin1String("TLS 1.")), qPrintable(r.tlsProtocol));
    QVERIFY(!r.cipher.isEmpty());
    QVERIFY(r.tlsHandshakeUs >= 0);
    QCOMPARE(r.peerChain.size(), 1);
    QCOMPARE(r.peerChain.first(), cert);
    // The Host header is the one a direct wss:// connection sends.
    QCOMPARE(HandshakeRecord::header(r.requestHeaders(), "Host"),
        QByteArray("localhost:") + QByteArray::number(server.serverPort()));
    QVERIFY(r.requestLine().startsWith("GET /secure "));
    const QString text = r.toText();
    QVERIFY2(text.contains(QStringLiteral("subject: localhost")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("SHA-256: ")));
    QVERIFY(text.contains(QStringLiteral("DNS:")) || text.contains(QStringLiteral("localhost")));
}

void tst_WireRelay::relayCarriesAFlood()
{
    // 20,000 messages each way through the relay arrive complete and in order.
    QWebSocketServer server(QStringLiteral("flood"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server);
        connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &t) {
            if (t == QLatin1String("go")) {
                for (int i = 0; i < 20000; ++i)
                    s->sendTextMessage(QString::number(i));
            }
        });
    });
    ClientConnection c;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    c.sendText(QStringLiteral("go"));
    QTRY_COMPARE_WITH_TIMEOUT(c.store()->counters().messagesIn, 20000, 20000);
    const MessageStore &s = *c.store();
    qint64 expected = 0;
    for (qint64 i = 0; i < s.count(); ++i) {
        if (s.row(i).direction == Direction::In && s.row(i).kind == Kind::Text) {
            QCOMPARE(s.payload(i), QByteArray::number(expected));
            ++expected;
        }
    }
}

void tst_WireRelay::rawFrameView()
{
    QWebSocketServer server(QStringLiteral("frames"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QPointer<QWebSocket> serverSide;
    connect(&server, &QWebSocketServer::newConnection, this, [&server, &serverSide] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server);
        s->setOutgoingFrameSize(16); // a 40-byte message goes out in three frames
        serverSide = s;
        connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &t) {
            if (t == QLatin1String("close me")) {
                s->close(QWebSocketProtocol::CloseCode(4002), QStringLiteral("bye"));
                return;
            }
            s->sendTextMessage(QString(40, u'f'));
            s->ping("srv-ping");
        });
    });
    ClientConnection c;
    c.setRecordFrames(true);
    QVERIFY(c.recordsFrames());
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    c.sendText(QStringLiteral("fragment please"));
    QTRY_COMPARE(c.store()->counters().messagesIn, 1);
    QVERIFY(c.ping("cli-ping"));
    QSignalSpy pongs(&c, &ClientConnection::pongReceived);
    QTRY_COMPARE(pongs.count(), 1);
    // The server closes; QWebSocket answers with its own close frame by itself.
    c.sendText(QStringLiteral("close me"));
    QTRY_COMPARE(c.state(), State::Closed);

    FrameLogModel model(c.frames());
    auto dump = [&c] {
        QByteArray text;
        for (qint64 i = 0; i < c.frames()->count(); ++i)
            text += QByteArray::number(int(c.frames()->row(i).direction)) + ' '
                + c.frames()->payloadCopy(i).toHex() + '\n';
        return text;
    };
    QTRY_VERIFY2(c.frames()->count() >= 10, dump().constData());
    model.publish();
    QList<std::tuple<Direction, int, bool, bool, QByteArray>> frames; // dir, opcode, fin, masked, head
    for (int r = 0; r < model.rowCount(); ++r) {
        const FrameInfo f = model.frame(r);
        frames.append({ c.frames()->row(r).direction, int(f.opcode), f.fin, f.masked, f.head });
    }
    auto has = [&frames](Direction d, int opcode, bool fin, bool masked, const QByteArray &head) {
        return frames.contains(std::make_tuple(d, opcode, fin, masked, head));
    };
    // The client's frames are masked, the server's are not; the payloads are shown unmasked.
    QVERIFY(has(Direction::Out, 0x1, true, true, "fragment please"));
    // The fragmented message: a text frame without FIN, then continuations, the last with FIN.
    QVERIFY(has(Direction::In, 0x1, false, false, QByteArray(16, 'f')));
    QVERIFY(has(Direction::In, 0x0, false, false, QByteArray(16, 'f')));
    QVERIFY(has(Direction::In, 0x0, true, false, QByteArray(8, 'f')));
    // Control frames that QWebSocket answers by itself appear too.
    QVERIFY(has(Direction::Out, 0x9, true, true, "cli-ping"));
    QVERIFY(has(Direction::In, 0xA, true, false, "cli-ping"));
    QVERIFY(has(Direction::In, 0x9, true, false, "srv-ping"));
    QVERIFY(has(Direction::Out, 0xA, true, true, "srv-ping"));
    QVERIFY(has(Direction::In, 0x8, true, false,
        QByteArray("\x0f\xa2"
                   "bye",
            5)));
    // (QWebSocket's reply to it may not get through: the Qt server drops TCP right after its
    // Close frame, and the relay then closes the other side too, as the wire would.)
    QCOMPARE(model.index(0, FrameLogModel::OpcodeColumn).data().toString(), QStringLiteral("0x1 text"));
    QCOMPARE(model.index(0, FrameLogModel::FinColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(model.index(0, FrameLogModel::RsvColumn).data().toString(), QStringLiteral("000"));
    QCOMPARE(model.index(0, FrameLogModel::MaskColumn).data().toString().size(), 8);
    QCOMPARE(model.index(0, FrameLogModel::LengthColumn).data().toString(), QStringLiteral("15"));

    // With the view off, nothing is recorded, and the boundaries stay known for later.
    ClientConnection quiet;
    quiet.open(o);
    QTRY_COMPARE(quiet.state(), State::Open);
    quiet.sendText(QStringLiteral("x"));
    QTRY_COMPARE(quiet.store()->counters().messagesIn, 1);
    QCOMPARE(quiet.frames()->count(), 0);
    quiet.setRecordFrames(true);
    quiet.sendText(QStringLiteral("now recorded"));
    QTRY_VERIFY(quiet.frames()->count() >= 1);
    QCOMPARE(FrameLogModel(quiet.frames()).frame(0).head, QByteArray("now recorded"));
    // The client's own Close frame, masked, with its code and reason.
    QVERIFY(quiet.close(4003, QStringLiteral("later")));
    QTRY_COMPARE(quiet.state(), State::Closed);
    const auto closeSent = [&quiet] {
        FrameLogModel model(quiet.frames());
        model.publish();
        for (int r = 0; r < model.rowCount(); ++r) {
            const FrameInfo f = model.frame(r);
            if (quiet.frames()->row(r).direction == Direction::Out && f.opcode == Opcode::Close && f.masked
                && f.head
                    == QByteArray("\x0f\xa3"
                                  "later",
                        7))
                return true;
        }
        return false;
    };
    QTRY_VERIFY(closeSent());
}

QTEST_GUILESS_MAIN(tst_WireRelay)
#include "tst_WireRelay.moc"
