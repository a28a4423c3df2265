#include "../TestCerts.h"
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;

// An in-process echo server on 127.0.0.1, port 0. It records what its clients did.
class EchoServer : public QObject
{
    Q_OBJECT
public:
    EchoServer()
        : m_server(QStringLiteral("test"), QWebSocketServer::NonSecureMode)
    {
        m_server.setSupportedSubprotocols({ QStringLiteral("chat"), QStringLiteral("json") });
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *s = m_server.nextPendingConnection();
            s->setParent(this);
            m_clients.append(s);
            m_lastRequest = s->request();
            connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &t) {
                if (t.startsWith(QLatin1String("close:")))
                    s->close(QWebSocketProtocol::CloseCode(t.mid(6, 4).toInt()), t.mid(11));
                else
                    s->sendTextMessage(t);
            });
            connect(s, &QWebSocket::binaryMessageReceived, s,
                [s](const QByteArray &b) { s->sendBinaryMessage(b); });
            connect(s, &QWebSocket::disconnected, this, [this, s] {
                m_closeCode = s->closeCode();
                m_closeReason = s->closeReason();
                ++m_disconnects;
            });
        });
    }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

    QWebSocketServer m_server;
    QList<QWebSocket *> m_clients;
    QNetworkRequest m_lastRequest;
    int m_closeCode = 0;
    QString m_closeReason;
    int m_disconnects = 0;
};

class tst_ClientConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectSendReceive();
    void headersSubprotocolAndOrigin();
    void pingMeasuresRoundTripPerPayload();
    void clientClosesWithCodeAndReason_data();
    void clientClosesWithCodeAndReason();
    void serverClosesWithCodeAndReason();
    void refusedPort();
    void connectTimeout();
    void handshakeRefusedByServer();
    void urlValidation_data();
    void urlValidation();
    void forbiddenHeaders_data();
    void forbiddenHeaders();
    void invalidCloseAndPingAreRefused();
    void sendWhileClosedIsAnErrorRow();
    void droppedConnectionIs1006();
    void messageOverTheLimitCloses1009_data();
    void messageOverTheLimitCloses1009();
    void tlsErrorsCanBeIgnoredForOneConnection();

private:
    static QList<std::tuple<Direction, Kind, QByteArray>> rows(const ClientConnection &c);
    static bool hasRow(const ClientConnection &c, Direction d, Kind k, const QByteArray &payload);
};

QList<std::tuple<Direction, Kind, QByteArray>> tst_ClientConnection::rows(const ClientConnection &c)
{
    QList<std::tuple<Direction, Kind, QByteArray>> out;
    const MessageStore &s = *c.store();
    for (qint64 i = 0; i < s.count(); ++i)
        out.append({ s.row(i).direction, s.row(i).kind, s.payloadCopy(i) });
    return out;
}

bool tst_ClientConnection::hasRow(const ClientConnection &c, Direction d, Kind k, const QByteArray &payload)
{
    return rows(c).contains(std::make_tuple(d, k, payload));
}

static ConnectionOptions optionsFor(const QUrl &url)
{
    ConnectionOptions o;
    o.url = url;
    return o;
}

void tst_ClientConnection::connectSendReceive()
{
    EchoServer server;
    ClientConnection c;
    QSignalSpy states(&c, &ClientConnection::stateChanged);
    c.open(optionsFor(server.url()));
    QTRY_COMPARE(c.state(), State::Open);
    QCOMPARE(states.first().first().value<State>(), State::Connecting);
    c.sendText(QStringLiteral("h\u00e9llo"));
    c.sendBinary(QByteArray("\x00\x01\x02", 3));
    QTRY_VERIFY(hasRow(c, Direction::In, Kind::Text, QStringLiteral("h\u00e9llo").toUtf8()));
    QTRY_VERIFY(hasRow(c, Direction::In, Kind::Binary, QByteArray("\x00\x01\x02", 3)));
    QVERIFY(hasRow(c, Direction::Out, Kind::Text, QStringLiteral("h\u00e9llo").toUtf8()));
    QVERIFY(hasRow(c, Direction::Out, Kind::Binary, QByteArray("\x00\x01\x02", 3)));
    QVERIFY(hasRow(c, Direction::Event, Kind::Open, QByteArray()));
    const auto counters = c.store()->counters();
    QCOMPARE(counters.messagesOut, 2);
    QTRY_COMPARE(c.store()->counters().messagesIn, 2);
    QCOMPARE(c.store()->counters().bytesIn, qint64(QStringLiteral("h\u00e9llo").toUtf8().size() + 3));
}

void tst_ClientConnection::headersSubprotocolAndOrigin()
{
    EchoServer server;
    ClientConnection c;
    ConnectionOptions o = optionsFor(server.url(QStringLiteral("/feed?x=1")));
    o.headers = { { "X-Api-Key", "secret" }, { "Authorization", "Bearer t" } };
    o.subprotocols = { QStringLiteral("json"), QStringLiteral("chat") };
    o.origin = QStringLiteral("http://example.test");
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    QCOMPARE(c.status().subprotocol, QStringLiteral("json"));
    QVERIFY(hasRow(c, Direction::Event, Kind::Open, "json"));
    QCOMPARE(server.m_lastRequest.rawHeader("X-Api-Key"), QByteArray("secret"));
    QCOMPARE(server.m_lastRequest.rawHeader("Authorization"), QByteArray("Bearer t"));
    QCOMPARE(server.m_lastRequest.rawHeader("Origin"), QByteArray("http://example.test"));
    QCOMPARE(server.m_clients.first()->requestUrl().path(), QStringLiteral("/feed"));
    QCOMPARE(server.m_clients.first()->requestUrl().query(), QStringLiteral("x=1"));
}

void tst_ClientConnection::pingMeasuresRoundTripPerPayload()
{
    EchoServer server;
    ClientConnection c;
    c.open(optionsFor(server.url()));
    QTRY_COMPARE(c.state(), State::Open);
    QSignalSpy pongs(&c, &ClientConnection::pongReceived);
    QVERIFY(c.ping("first"));
    QTest::qWait(200);
    QVERIFY(c.ping("second"));
    QTRY_COMPARE(pongs.count(), 2);
    // Each round trip is measured from its own ping: on loopback both are far below the 200 ms gap
    // (Qt's own elapsedTime would count the first from the second ping and be off by ~200 ms).
    QCOMPARE(pongs.at(0).at(1).toByteArray(), QByteArray("first"));
    QCOMPARE(pongs.at(1).at(1).toByteArray(), QByteArray("second"));
    for (const auto &p : pongs) {
        const qint64 rtt = p.at(0).toLongLong();
        QVERIFY2(rtt >= 0 && rtt < 150000, qPrintable(QString::number(rtt)));
    }
    const MessageStore &s = *c.store();
    int pongRows = 0;
    for (qint64 i = 0; i < s.count(); ++i) {
        if (s.row(i).kind == Kind::Pong) {
            ++pongRows;
            QVERIFY(s.row(i).extra >= 0);
        }
    }
    QCOMPARE(pongRows, 2);
}

void tst_ClientConnection::clientClosesWithCodeAndReason_data()
{
    // Any code a Close frame may carry, not only what a browser lets a page send (1000,
    // 3000-4999): a tester checks how a server takes 1001, 1008, 1011... (1012-1014: Qt 6.4's
    // server, the peer here, refuses them with 1002; tst_IncomingFrames sends them to a raw one.)
    QTest::addColumn<int>("code");
    for (const int code : { 4001, 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000 })
        QTest::addRow("%d", code) << code;
}

void tst_ClientConnection::clientClosesWithCodeAndReason()
{
    QFETCH(int, code);
    EchoServer server;
    ClientConnection c;
    c.open(optionsFor(server.url()));
    QTRY_COMPARE(c.state(), State::Open);
    QVERIFY(c.close(code, QStringLiteral("done here")));
    QTRY_COMPARE(c.state(), State::Closed);
    QTRY_COMPARE(server.m_disconnects, 1);
    QCOMPARE(server.m_closeCode, code);
    QCOMPARE(server.m_closeReason, QStringLiteral("done here"));
    QVERIFY(c.status().closedByUs);
    QVERIFY(hasRow(c, Direction::Out, Kind::Close, "done here"));
}

void tst_ClientConnection::serverClosesWithCodeAndReason()
{
    EchoServer server;
    ClientConnection c;
    c.open(optionsFor(server.url()));
    QTRY_COMPARE(c.state(), State::Open);
    c.sendText(QStringLiteral("close:4321 server says bye"));
    QTRY_COMPARE(c.state(), State::Closed);
    QCOMPARE(c.status().closeCode, 4321);
    QCOMPARE(c.status().closeReason, QStringLiteral("server says bye"));
    QVERIFY(!c.status().closedByUs);
    const MessageStore &s = *c.store();
    const MessageRow &last = s.row(s.count() - 1);
    QCOMPARE(last.kind, Kind::Close);
    QCOMPARE(last.extra, 4321);
    QCOMPARE(s.payloadCopy(s.count() - 1), QByteArray("server says bye"));
}

void tst_ClientConnection::messageOverTheLimitCloses1009_data()
{
    QTest::addColumn<bool>("relay");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("closes");
    for (const bool relay : { true, false }) {
        const char *mode = relay ? "relay" : "direct";
        QTest::addRow("%s: over a 1 MiB limit", mode) << relay << qint64(1 << 20) << (1 << 20) + 1 << true;
        QTest::addRow("%s: at a 1 MiB limit", mode) << relay << qint64(1 << 20) << (1 << 20) << false;
        QTest::addRow("%s: 3 MiB under the default", mode)
            << relay << ConnectionOptions::DefaultMaxMessageSize << 3 << false;
    }
}

// An endless or huge message must not take all the memory: over the limit the client closes
// with 1009, as browsers do (the echo server sends back what the client sent).
void tst_ClientConnection::messageOverTheLimitCloses1009()
{
    QFETCH(bool, relay);
    QFETCH(qint64, limit);
    QFETCH(int, size);
    QFETCH(bool, closes);
    EchoServer server;
    ClientConnection c;
    ConnectionOptions options = optionsFor(server.url());
    options.useRelay = relay;
    options.maxMessageSize = limit;
    c.open(options);
    QTRY_COMPARE(c.state(), State::Open);
    c.sendBinary(QByteArray(size, 'x'));
    const MessageStore &s = *c.store();
    if (closes) {
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Closed, 10000);
        QCOMPARE(c.status().closeCode, 1009);
        for (qint64 i = 0; i < s.count(); ++i)
            QVERIFY2(
                !(s.row(i).direction == Direction::In && s.row(i).kind == Kind::Binary), "stored anyway");
    } else {
        auto received = [&s] {
            for (qint64 i = 0; i < s.count(); ++i) {
                if (s.row(i).direction == Direction::In && s.row(i).kind == Kind::Binary)
                    return qint64(s.row(i).size);
            }
            return qint64(-1);
        };
        QTRY_COMPARE_WITH_TIMEOUT(received(), qint64(size), 10000);
        QCOMPARE(c.state(), State::Open);
    }
}

void tst_ClientConnection::refusedPort()
{
    // A port that was just free: bind, note it, close.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    ClientConnection c;
    c.open(optionsFor(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port))));
    QTRY_COMPARE(c.state(), State::Error);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Refused);
    QVERIFY2(c.status().errorString.contains(QString::number(port)), qPrintable(c.status().errorString));
    QVERIFY(hasRow(c, Direction::Event, Kind::Error, c.status().errorString.toUtf8()));
}

void tst_ClientConnection::connectTimeout()
{
    // Accepts TCP (the kernel does, from the backlog) but never answers the handshake.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ClientConnection c;
    ConnectionOptions o = optionsFor(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort())));
    o.connectTimeoutMs = 300;
    QElapsedTimer t;
    t.start();
    c.open(o);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Error, 5000);
    QVERIFY(t.elapsed() >= 290);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Timeout);
    QVERIFY(c.status().errorString.contains(QStringLiteral("0.3 s")));
}

void tst_ClientConnection::handshakeRefusedByServer()
{
    // A server that answers the upgrade with 403: the connection fails (and does not hang, the
    // 6.4.2 bug), and the status says what the server answered.
    QTcpServer http;
    QVERIFY(http.listen(QHostAddress::LocalHost, 0));
    connect(&http, &QTcpServer::newConnection, this, [&http] {
        QTcpSocket *s = http.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [s] {
            if (s->readAll().contains("\r\n\r\n"))
                s->write("HTTP/1.1 403 Nope\r\nContent-Length: 0\r\nX-Why: test\r\n\r\n");
        });
    });
    ClientConnection c;
    c.open(optionsFor(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(http.serverPort()))));
    QTRY_COMPARE(c.state(), State::Error);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Handshake);
    QVERIFY2(c.status().errorString.contains(QStringLiteral("403")), qPrintable(c.status().errorString));
}

void tst_ClientConnection::urlValidation_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // normalised URL, or a word of the error
    QTest::newRow("plain") << QStringLiteral("ws://127.0.0.1:9000/x")
                           << QStringLiteral("ws://127.0.0.1:9000/x");
    QTest::newRow("empty path with query")
        << QStringLiteral("ws://h:1?x=1") << QStringLiteral("ws://h:1/?x=1");
    QTest::newRow("upper-case scheme") << QStringLiteral("WSS://h") << QStringLiteral("wss://h/");
    QTest::newRow("http") << QStringLiteral("http://x") << QStringLiteral("error:ws://");
    QTest::newRow("ftp") << QStringLiteral("ftp://x") << QStringLiteral("error:not supported");
    QTest::newRow("no scheme") << QStringLiteral("localhost:8080") << QStringLiteral("error:");
    QTest::newRow("missing colon") << QStringLiteral("ws//bad") << QStringLiteral("error:scheme");
    QTest::newRow("no host") << QStringLiteral("ws:///path") << QStringLiteral("error:host");
    QTest::newRow("fragment") << QStringLiteral("ws://h/#frag") << QStringLiteral("error:fragment");
    QTest::newRow("empty") << QStringLiteral("  ") << QStringLiteral("error:Enter a URL");
}

void tst_ClientConnection::urlValidation()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString error;
    const QUrl url = ConnectionOptions::parseUrl(text, &error);
    if (expected.startsWith(QLatin1String("error:"))) {
        QVERIFY(!url.isValid());
        QVERIFY2(error.contains(expected.mid(6)), qPrintable(error));
    } else {
        QVERIFY2(url.isValid(), qPrintable(error));
        QCOMPARE(url.toString(), expected);
    }
}

void tst_ClientConnection::forbiddenHeaders_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("words");
    QTest::newRow("Host") << QByteArray("Host") << QStringLiteral("URL");
    QTest::newRow("origin") << QByteArray("origin") << QStringLiteral("Origin field");
    QTest::newRow("Upgrade") << QByteArray("Upgrade") << QStringLiteral("handshake");
    QTest::newRow("Connection") << QByteArray("Connection") << QStringLiteral("handshake");
    QTest::newRow("key") << QByteArray("Sec-WebSocket-Key") << QStringLiteral("handshake");
    QTest::newRow("version") << QByteArray("SEC-WEBSOCKET-VERSION") << QStringLiteral("handshake");
    QTest::newRow("protocol") << QByteArray("Sec-WebSocket-Protocol") << QStringLiteral("Subprotocols");
    QTest::newRow("extensions") << QByteArray("Sec-WebSocket-Extensions")
                                << QStringLiteral("permessage-deflate");
    QTest::newRow("bad token") << QByteArray("X Bad") << QStringLiteral("not a valid header name");
    QTest::newRow("allowed") << QByteArray("Authorization") << QString();
}

void tst_ClientConnection::forbiddenHeaders()
{
    QFETCH(QByteArray, name);
    QFETCH(QString, words);
    const QString problem = ConnectionOptions::headerProblem(name);
    if (words.isEmpty()) {
        QVERIFY(problem.isEmpty());
        return;
    }
    QVERIFY2(problem.contains(words), qPrintable(problem));
    // A connection with such a header is refused before anything is sent.
    EchoServer server;
    ClientConnection c;
    ConnectionOptions o = optionsFor(server.url());
    o.headers = { { name, "x" } };
    c.open(o);
    QTRY_COMPARE(c.state(), State::Error);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::InvalidOptions);
    QTest::qWait(50);
    QCOMPARE(server.m_clients.size(), 0);
}

void tst_ClientConnection::invalidCloseAndPingAreRefused()
{
    ClientConnection c;
    QVERIFY(!c.close(1005)); // never on the wire: 1004 (reserved), 1005, 1006, 1015
    QVERIFY(!c.close(1004));
    QVERIFY(!c.close(1006));
    QVERIFY(!c.close(1015));
    QVERIFY(!c.close(999));
    QVERIFY(!c.close(2999));
    QVERIFY(!c.close(5000));
    QVERIFY(!c.close(1000, QString(124, u'x')));
    QVERIFY(!CloseCodes::validate(1000, QString(62, u'\u00e9')).isEmpty()); // 124 bytes
    QVERIFY(CloseCodes::validate(4999, QString(123, u'x')).isEmpty());
    QVERIFY(!c.ping(QByteArray(126, 'p')));
    QVERIFY(CloseCodes::description(1006).contains(QStringLiteral("abnormal")));
}

void tst_ClientConnection::sendWhileClosedIsAnErrorRow()
{
    ClientConnection c;
    c.sendText(QStringLiteral("nobody listens"));
    QTRY_COMPARE(c.store()->count(), 1);
    QCOMPARE(c.store()->row(0).kind, Kind::Error);
    QCOMPARE(c.store()->counters().messagesOut, 0);
}

void tst_ClientConnection::tlsErrorsCanBeIgnoredForOneConnection()
{
    // A self-signed certificate for localhost, made now; the system CAs do not trust it.
    TestCerts certs;
    QVERIFY2(certs.makeSelfSigned(), "openssl could not make a certificate");
    const QSslConfiguration tls = certs.serverConfiguration("self.pem", "self.key");

    QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server);
        connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &t) { s->sendTextMessage(t); });
    });
    const QUrl url(QStringLiteral("wss://localhost:%1/").arg(server.serverPort()));

    ClientConnection c;
    c.open(optionsFor(url));
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Error, 10000);
    QCOMPARE(c.status().errorKind, ClientConnection::ErrorKind::Tls);
    const QList<QSslError> errors = c.status().sslErrors;
    QVERIFY(!errors.isEmpty());
    QVERIFY(std::any_of(errors.cbegin(), errors.cend(),
        [](const QSslError &e) { return e.error() == QSslError::SelfSignedCertificate; }));

    // The user chooses to ignore exactly these errors for this connection.
    ConnectionOptions again = optionsFor(url);
    again.ignoredSslErrors = errors;
    c.open(again);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000);
    c.sendText(QStringLiteral("over tls"));
    QTRY_VERIFY(hasRow(c, Direction::In, Kind::Text, "over tls"));

    // A new connection without the choice fails again: nothing is remembered globally.
    ClientConnection other;
    other.open(optionsFor(url));
    QTRY_COMPARE_WITH_TIMEOUT(other.state(), State::Error, 10000);
}

void tst_ClientConnection::droppedConnectionIs1006()
{
    // The server vanishes without a Close frame: Qt's closeCode() would say 1000 "normal
    // closure", which would mislead; the relay knows no Close frame came.
    EchoServer server;
    ClientConnection c;
    c.open(optionsFor(server.url()));
    QTRY_COMPARE(c.state(), State::Open);
    QTRY_COMPARE(server.m_clients.size(), 1);
    server.m_clients.first()->abort();
    QTRY_COMPARE(c.state(), State::Closed);
    QCOMPARE(c.status().closeCode, 1006);
    QVERIFY(!c.status().closedByUs);
    const MessageStore &s = *c.store();
    QCOMPARE(s.row(s.count() - 1).extra, 1006);
    // A Close frame without a status code is 1005.
    ClientConnection d;
    d.open(optionsFor(server.url()));
    QTRY_COMPARE(d.state(), State::Open);
    QTRY_COMPARE(server.m_clients.size(), 2);
    server.m_clients.last()->close(QWebSocketProtocol::CloseCodeNormal);
    QTRY_COMPARE(d.state(), State::Closed);
    QCOMPARE(d.status().closeCode, 1000);
}

QTEST_GUILESS_MAIN(tst_ClientConnection)
#include "tst_ClientConnection.moc"
