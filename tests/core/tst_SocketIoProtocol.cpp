// Socket.IO against the real libraries, both ways: wstester's SocketIoClient against a
// `socket.io` 4 server (namespaces, auth, acks with their round-trip time, binary attachments,
// the server's pings over several intervals), and `socket.io-client` 4 against wstester's
// SocketIoServer (connect, emit with ack, binary, echo and broadcast, pings). The client and the
// server run behind small sinks over real QWebSockets on 127.0.0.1.
#include "NodePeer.h"
#include "connection/ConnectionOptions.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolClient.h"
#include "protocols/ProtocolServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;
using wst::test::NodePeer;

namespace {
std::shared_ptr<const Protocol> socketIo(const QJsonObject &params = {})
{
    ProtocolOptions options;
    options.id = ProtocolId::SocketIo;
    options.params = params;
    return Protocol::create(options);
}

// wstester's client half over a real QWebSocket.
class ClientHarness : public QObject, public ProtocolClientSink
{
public:
    explicit ClientHarness(std::shared_ptr<const Protocol> protocol)
        : m_protocol(std::move(protocol))
    {
        client = m_protocol->createClient(this);
        connect(&socket, &QWebSocket::connected, this, [this] { client->opened(); });
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            received.append(m_protocol->decode(Direction::In, Kind::Text, text.toUtf8()));
            client->received(Kind::Text, text.toUtf8());
        });
        connect(&socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
            received.append(m_protocol->decode(Direction::In, Kind::Binary, data));
            client->received(Kind::Binary, data);
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] { client->closed(); });
    }
    ~ClientHarness() override { QObject::disconnect(&socket, nullptr, this, nullptr); }
    void open(const QString &url)
    {
        ConnectionOptions options;
        options.url = QUrl(url);
        m_protocol->prepare(options);
        socket.open(options.url);
    }
    void sendText(const QString &text) override
    {
        sent.append(text);
        socket.sendTextMessage(text);
    }
    void sendBinary(const QByteArray &data) override { socket.sendBinaryMessage(data); }
    void note(Kind kind, const QString &text) override
    {
        (kind == Kind::Error ? errors : infos).append(text);
    }
    void notice(const ProtocolNotice &n) override { notices.append(n); }
    void closeConnection(int code, const QString &reason) override
    {
        socket.close(QWebSocketProtocol::CloseCode(code), reason);
    }
    int count(ProtocolNotice::Type type) const
    {
        return int(std::count_if(
            notices.cbegin(), notices.cend(), [type](const ProtocolNotice &n) { return n.type == type; }));
    }
    const ProtocolNotice *find(ProtocolNotice::Type type, const QString &name = {}) const
    {
        for (const ProtocolNotice &n : notices) {
            if (n.type == type && (name.isEmpty() || n.name == name))
                return &n;
        }
        return nullptr;
    }
    bool receivedEvent(const QString &name) const
    {
        return std::any_of(received.cbegin(), received.cend(), [&name](const ProtocolMessage &m) {
            return m.role == ProtocolMessage::Role::Event && m.name == name;
        });
    }

    QWebSocket socket;
    std::unique_ptr<ProtocolClient> client;
    QStringList sent, errors, infos;
    QList<ProtocolNotice> notices;
    QList<ProtocolMessage> received;

private:
    std::shared_ptr<const Protocol> m_protocol;
};

// wstester's server half over a real QWebSocketServer.
class ServerHarness : public QObject, public ProtocolServerSink
{
public:
    explicit ServerHarness(const std::shared_ptr<const Protocol> &protocol)
        : wsServer(QStringLiteral("sio"), QWebSocketServer::NonSecureMode)
    {
        server = protocol->createServer(this);
        connect(&wsServer, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = wsServer.nextPendingConnection()) {
                s->setParent(this); // the server hands them over unparented: LSan saw them leak
                const quint32 id = ++m_lastId;
                m_sockets.insert(id, s);
                connect(s, &QWebSocket::textMessageReceived, this, [this, id](const QString &text) {
                    if (text == QLatin1String("3"))
                        ++pongs;
                    server->received(id, Kind::Text, text.toUtf8());
                });
                connect(s, &QWebSocket::binaryMessageReceived, this,
                    [this, id](const QByteArray &data) { server->received(id, Kind::Binary, data); });
                connect(s, &QWebSocket::disconnected, this, [this, id, s] {
                    m_sockets.remove(id);
                    server->clientClosed(id);
                    s->deleteLater();
                });
                const QUrl url = s->requestUrl();
                server->clientOpened(id, s->subprotocol(), url.path() + QLatin1Char('?') + url.query());
            }
        });
        wsServer.listen(QHostAddress::LocalHost, 0);
    }
    ~ServerHarness() override
    {
        for (QWebSocket *s : std::as_const(m_sockets))
            QObject::disconnect(s, nullptr, this, nullptr);
    }
    QString httpUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(wsServer.serverPort()); }
    void sendText(quint32 id, const QString &text) override
    {
        if (QWebSocket *s = m_sockets.value(id))
            s->sendTextMessage(text);
    }
    void sendBinary(quint32 id, const QByteArray &data) override
    {
        if (QWebSocket *s = m_sockets.value(id))
            s->sendBinaryMessage(data);
    }
    void note(quint32, Kind kind, const QString &text) override
    {
        (kind == Kind::Error ? errors : infos).append(text);
    }
    void closeClient(quint32 id, int code, const QString &reason) override
    {
        if (QWebSocket *s = m_sockets.value(id))
            s->close(QWebSocketProtocol::CloseCode(code), reason);
    }
    QList<quint32> clientIds() const override { return m_sockets.keys(); }

    QWebSocketServer wsServer;
    std::unique_ptr<ProtocolServer> server;
    QStringList errors, infos;
    int pongs = 0;

private:
    QHash<quint32, QWebSocket *> m_sockets;
    quint32 m_lastId = 0;
};

} // namespace

class tst_SocketIoProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientDefaultNamespace();
    void clientAdminNamespaceWithAuth();
    void clientRefusedNamespace();
    void clientAnswersPingsOverSeveralIntervals();
    void clientNotesMissingPing();
    void clientRefusesBadCommands();
    void serverEchoWithSocketIoClient();
    void serverAnyNamespace();
    void serverBroadcast();
    void serverPingsAndSubmit();
    void eio3ClientAgainstOwnServer();
    void headlessConnect();
    void headlessServe();
};

void tst_SocketIoProtocol::clientDefaultNamespace()
{
    NodePeer peer;
    QVERIFY2(peer.start(QStringLiteral("socketio_server.js"), {}),
        "node and tests/peers' npm packages are needed");
    const int port = peer.port();
    QVERIFY(port > 0);
    ClientHarness h(socketIo());
    ProtocolCommand echo;
    echo.verb = QStringLiteral("emit");
    echo.name = QStringLiteral("echo");
    echo.args = { QJsonObject { { QStringLiteral("n"), 1 } }, QStringLiteral("two") };
    echo.expectReply = true;
    // Submitted before the handshake: queued, sent once the namespace is connected.
    QCOMPARE(h.client->submit(echo), QString());
    h.open(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QTRY_VERIFY_WITH_TIMEOUT(h.client->isReady(), 10000);
    QCOMPARE(h.socket.requestUrl().path(), QStringLiteral("/socket.io/"));
    const ProtocolNotice *open = h.find(ProtocolNotice::Type::Handshake, QStringLiteral("OPEN"));
    QVERIFY(open);
    QVERIFY(open->fields.contains({ QStringLiteral("pingInterval"), QStringLiteral("25000") }));
    QVERIFY(!open->data.toObject().value(QStringLiteral("sid")).toString().isEmpty());
    const ProtocolNotice *connected = h.find(ProtocolNotice::Type::Handshake, QStringLiteral("CONNECT"));
    QVERIFY(connected);
    QCOMPARE(connected->fields.value(1).first, QStringLiteral("namespace sid"));
    QCOMPARE(h.sent.value(0), QStringLiteral("40"));

    QTRY_VERIFY_WITH_TIMEOUT(h.find(ProtocolNotice::Type::Reply), 5000);
    const ProtocolNotice reply = *h.find(ProtocolNotice::Type::Reply);
    QCOMPARE(reply.id, QStringLiteral("0"));
    QCOMPARE(reply.name, QStringLiteral("echo"));
    QCOMPARE(reply.data, QJsonValue(echo.args));
    QVERIFY(reply.rttUs > 0);
    QTRY_VERIFY(h.receivedEvent(QStringLiteral("welcome")));
    QTRY_VERIFY(h.receivedEvent(QStringLiteral("echo")));

    // A binary event from the server: the placeholder packet, then its bytes, put together.
    ProtocolCommand binary;
    binary.verb = QStringLiteral("emit");
    binary.name = QStringLiteral("binary");
    binary.expectReply = true;
    QCOMPARE(h.client->submit(binary), QString());
    QTRY_COMPARE_WITH_TIMEOUT(h.count(ProtocolNotice::Type::Reply), 2, 5000);
    QCOMPARE(h.notices.last().data.toArray().first().toObject().value(QStringLiteral("base64")).toString(),
        QStringLiteral("b2s="));
    QTRY_VERIFY(std::any_of(h.infos.cbegin(), h.infos.cend(), [](const QString &s) {
        return s.contains(QLatin1String("\"file\"")) && s.contains(QLatin1String("\"base64\":\"AQID\""));
    }));
    QVERIFY(std::any_of(h.received.cbegin(), h.received.cend(), [](const ProtocolMessage &m) {
        return m.type == QLatin1String("ATTACHMENT") && m.body == QByteArray("\x01\x02\x03");
    }));
    QCOMPARE(h.errors, QStringList());
}

void tst_SocketIoProtocol::clientAdminNamespaceWithAuth()
{
    NodePeer peer;
    QVERIFY(peer.start(QStringLiteral("socketio_server.js"), {}));
    const int port = peer.port();
    QVERIFY(port > 0);
    ClientHarness h(socketIo({ { QStringLiteral("namespace"), QStringLiteral("/admin") },
        { QStringLiteral("auth"), QJsonObject { { QStringLiteral("token"), QStringLiteral("secret") } } } }));
    h.open(QStringLiteral("ws://127.0.0.1:%1").arg(port));
    QTRY_VERIFY_WITH_TIMEOUT(h.client->isReady(), 10000);
    QCOMPARE(h.sent.value(0), QStringLiteral("40/admin,{\"token\":\"secret\"}"));
    QTRY_VERIFY(peer.readAll().contains("{\"connect\":\"/admin\",\"auth\":{\"token\":\"secret\"}}"));
    QTRY_VERIFY(std::any_of(h.received.cbegin(), h.received.cend(), [](const ProtocolMessage &m) {
        return m.name == QLatin1String("welcome")
            && m.fields.contains({ QStringLiteral("namespace"), QStringLiteral("/admin") });
    }));
    ProtocolCommand echo;
    echo.verb = QStringLiteral("emit");
    echo.name = QStringLiteral("echo");
    echo.args = { 42 };
    echo.expectReply = true;
    QCOMPARE(h.client->submit(echo), QString());
    QVERIFY(h.sent.last().startsWith(QLatin1String("42/admin,0[\"echo\",42]")));
    QTRY_VERIFY_WITH_TIMEOUT(h.find(ProtocolNotice::Type::Reply), 5000);
    QCOMPARE(h.find(ProtocolNotice::Type::Reply)->data, QJsonValue(QJsonArray { 42 }));
}

void tst_SocketIoProtocol::clientRefusedNamespace()
{
    NodePeer peer;
    QVERIFY(peer.start(QStringLiteral("socketio_server.js"), {}));
    const int port = peer.port();
    QVERIFY(port > 0);
    ClientHarness h(socketIo({ { QStringLiteral("namespace"), QStringLiteral("/admin") },
        { QStringLiteral("auth"), QJsonObject { { QStringLiteral("token"), QStringLiteral("wrong") } } } }));
    h.open(QStringLiteral("ws://127.0.0.1:%1").arg(port));
    QTRY_VERIFY_WITH_TIMEOUT(h.find(ProtocolNotice::Type::Error), 10000);
    QCOMPARE(h.errors.size(), 1);
    QVERIFY2(
        h.errors.first().contains(QLatin1String("/admin: not authorized")), qPrintable(h.errors.first()));
    QVERIFY(!h.client->isReady());
}

void tst_SocketIoProtocol::clientAnswersPingsOverSeveralIntervals()
{
    NodePeer peer;
    QVERIFY(peer.start(QStringLiteral("socketio_server.js"), { QStringLiteral("250") }));
    const int port = peer.port();
    QVERIFY(port > 0);
    ClientHarness h(socketIo());
    h.open(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QTRY_VERIFY_WITH_TIMEOUT(h.client->isReady(), 10000);
    // Three pings answered: more than two intervals, longer than pingInterval + pingTimeout.
    QTRY_VERIFY_WITH_TIMEOUT(h.sent.count(QStringLiteral("3")) >= 3, 10000);
    QCOMPARE(h.socket.state(), QAbstractSocket::ConnectedState);
    ProtocolCommand echo;
    echo.verb = QStringLiteral("emit");
    echo.name = QStringLiteral("echo");
    echo.expectReply = true;
    QCOMPARE(h.client->submit(echo), QString());
    QTRY_VERIFY_WITH_TIMEOUT(h.find(ProtocolNotice::Type::Reply), 5000);
    QVERIFY(!peer.readAll().contains("disconnect"));
    QCOMPARE(h.errors, QStringList());
}

void tst_SocketIoProtocol::clientNotesMissingPing()
{
    // A server that opens the session and then never pings.
    QWebSocketServer silent(QStringLiteral("silent"), QWebSocketServer::NonSecureMode);
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    connect(&silent, &QWebSocketServer::newConnection, &silent, [&silent] {
        QWebSocket *s = silent.nextPendingConnection();
        s->setParent(&silent);
        s->sendTextMessage(
            QStringLiteral("0{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":100,\"pingTimeout\":100}"));
        connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &text) {
            if (text.startsWith(QLatin1String("40")))
                s->sendTextMessage(QStringLiteral("40{\"sid\":\"n\"}"));
        });
    });
    ClientHarness h(socketIo());
    h.open(QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort()));
    QTRY_VERIFY_WITH_TIMEOUT(h.client->isReady(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.errors.size(), 1, 5000);
    QVERIFY2(h.errors.first().contains(QLatin1String("no ping from the server for 200 ms")),
        qPrintable(h.errors.first()));
}

void tst_SocketIoProtocol::clientRefusesBadCommands()
{
    ClientHarness h(socketIo());
    ProtocolCommand c;
    c.verb = QStringLiteral("subscribe");
    c.name = QStringLiteral("x");
    QVERIFY(h.client->submit(c).contains(QLatin1String("\"subscribe\"")));
    c.verb = QStringLiteral("emit");
    c.name = QStringLiteral("disconnect");
    QVERIFY(h.client->submit(c).contains(QLatin1String("reserved")));
    c.name.clear();
    QVERIFY(h.client->submit(c).contains(QLatin1String("name")));
}

void tst_SocketIoProtocol::serverEchoWithSocketIoClient()
{
    ServerHarness s(socketIo());
    QVERIFY(s.wsServer.isListening());
    NodePeer client;
    QVERIFY(client.start(QStringLiteral("socketio_client.js"), { s.httpUrl() }));
    QTRY_COMPARE_WITH_TIMEOUT(client.process.state(), QProcess::NotRunning, 20000);
    const QByteArray out = client.readAll();
    QVERIFY2(client.process.exitCode() == 0, out.constData());
    QVERIFY(out.contains("{\"connected\":true}"));
    QVERIFY2(out.contains("{\"ack\":[{\"n\":1}]}"), out.constData());
    QVERIFY(out.contains("{\"event\":\"echo\",\"args\":[{\"n\":1}]}"));
    QVERIFY(out.contains("{\"ack\":[{\"binary\":\"AQID\"}]}"));
    QVERIFY(out.contains("{\"event\":\"bin\",\"args\":[{\"binary\":\"AQID\"}]}"));
    QVERIFY(
        s.infos.contains(QStringLiteral("Socket.IO: joined namespace / with auth {\"token\":\"node\"}.")));
    QCOMPARE(s.errors, QStringList());
}

void tst_SocketIoProtocol::serverAnyNamespace()
{
    ServerHarness s(socketIo());
    NodePeer client;
    QVERIFY(client.start(QStringLiteral("socketio_client.js"),
        { s.httpUrl(), QStringLiteral("--nsp"), QStringLiteral("/admin") }));
    QTRY_COMPARE_WITH_TIMEOUT(client.process.state(), QProcess::NotRunning, 20000);
    const QByteArray out = client.readAll();
    QVERIFY2(client.process.exitCode() == 0, out.constData());
    QVERIFY(out.contains("{\"ack\":[{\"n\":1}]}"));
    QVERIFY(s.infos.first().contains(QLatin1String("/admin")));
}

void tst_SocketIoProtocol::serverBroadcast()
{
    ServerHarness s(socketIo({ { QStringLiteral("mode"), QStringLiteral("broadcast") } }));
    NodePeer listener;
    QVERIFY(listener.start(QStringLiteral("socketio_client.js"),
        { s.httpUrl(), QStringLiteral("--listen"), QStringLiteral("2") }));
    QTRY_VERIFY_WITH_TIMEOUT(listener.readAll().contains("connected"), 10000);
    NodePeer sender;
    QVERIFY(sender.start(QStringLiteral("socketio_client.js"), { s.httpUrl() }));
    QTRY_COMPARE_WITH_TIMEOUT(listener.process.state(), QProcess::NotRunning, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sender.process.state(), QProcess::NotRunning, 20000);
    const QByteArray heard = listener.readAll();
    QVERIFY2(listener.process.exitCode() == 0, heard.constData());
    QVERIFY(heard.contains("{\"event\":\"echo\",\"args\":[{\"n\":1}]}"));
    QVERIFY(heard.contains("{\"event\":\"bin\",\"args\":[{\"binary\":\"AQID\"}]}"));
    QVERIFY2(sender.process.exitCode() == 0, sender.readAll().constData());
}

void tst_SocketIoProtocol::serverPingsAndSubmit()
{
    ServerHarness s(
        socketIo({ { QStringLiteral("pingInterval"), 200 }, { QStringLiteral("pingTimeout"), 2000 } }));
    ProtocolCommand hello;
    hello.verb = QStringLiteral("emit");
    hello.name = QStringLiteral("hello");
    hello.args = { QStringLiteral("from the server tab") };
    QVERIFY(s.server->submit(0, hello).contains(QLatin1String("no client")));
    NodePeer listener;
    QVERIFY(listener.start(QStringLiteral("socketio_client.js"),
        { s.httpUrl(), QStringLiteral("--listen"), QStringLiteral("1") }));
    QTRY_VERIFY_WITH_TIMEOUT(listener.readAll().contains("connected"), 10000);
    // socket.io-client answers the pings and stays (it gives up after pingInterval + pingTimeout).
    QTRY_VERIFY_WITH_TIMEOUT(s.pongs >= 3, 10000);
    QCOMPARE(s.clientIds().size(), 1);
    QCOMPARE(s.server->submit(0, hello), QString());
    QTRY_COMPARE_WITH_TIMEOUT(listener.process.state(), QProcess::NotRunning, 10000);
    QVERIFY(listener.readAll().contains("{\"event\":\"hello\",\"args\":[\"from the server tab\"]}"));
    QCOMPARE(s.errors, QStringList());
}

void tst_SocketIoProtocol::eio3ClientAgainstOwnServer()
{
    // Socket.IO v2 (Engine.IO 3): the server joins "/" by itself and the client pings. No v2
    // server is installed here, so both halves are wstester's own.
    ServerHarness s(
        socketIo({ { QStringLiteral("pingInterval"), 100 }, { QStringLiteral("pingTimeout"), 1000 } }));
    ClientHarness h(socketIo({ { QStringLiteral("eio"), 3 } }));
    h.open(QStringLiteral("ws://127.0.0.1:%1/").arg(s.wsServer.serverPort()));
    QTRY_VERIFY_WITH_TIMEOUT(h.client->isReady(), 5000);
    QVERIFY(h.socket.requestUrl().query().contains(QLatin1String("EIO=3")));
    QVERIFY(!h.sent.contains(QStringLiteral("40"))); // v2 joins "/" without asking
    QTRY_VERIFY_WITH_TIMEOUT(h.sent.count(QStringLiteral("2")) >= 3, 5000);
    QVERIFY(std::count_if(h.received.cbegin(), h.received.cend(), [](const ProtocolMessage &m) {
        return m.type == QLatin1String("PONG");
    }) >= 2);
    ProtocolCommand echo;
    echo.verb = QStringLiteral("emit");
    echo.name = QStringLiteral("echo");
    echo.args = { true };
    echo.expectReply = true;
    QCOMPARE(h.client->submit(echo), QString());
    QTRY_VERIFY_WITH_TIMEOUT(h.find(ProtocolNotice::Type::Reply), 5000);
    QCOMPARE(h.find(ProtocolNotice::Type::Reply)->data, QJsonValue(QJsonArray { true }));
    QCOMPARE(h.errors, QStringList());
    QCOMPARE(s.errors, QStringList());
}

void tst_SocketIoProtocol::headlessConnect()
{
    NodePeer peer;
    QVERIFY(peer.start(QStringLiteral("socketio_server.js"), {}));
    const int port = peer.port();
    QVERIFY(port > 0);
    QProcess wstester;
    wstester.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port),
            QStringLiteral("--protocol"), QStringLiteral("socket.io"), QStringLiteral("--protocol-option"),
            QStringLiteral("namespace=/admin"), QStringLiteral("--protocol-option"),
            QStringLiteral("auth={\"token\":\"secret\"}"), QStringLiteral("--emit"), QStringLiteral("echo"),
            QStringLiteral("{\"n\":1}"), QStringLiteral("--ack"), QStringLiteral("-n"), QStringLiteral("3"),
            QStringLiteral("--json") });
    QTRY_COMPARE_WITH_TIMEOUT(wstester.state(), QProcess::NotRunning, 20000);
    const QByteArray out = wstester.readAllStandardOutput();
    QVERIFY2(wstester.exitCode() == 0, QByteArray(out + wstester.readAllStandardError()).constData());
    // The protocol's --json keys on the decoded rows: event/args, id, namespace.
    QVERIFY2(out.contains("\"event\":\"welcome\""), out.constData());
    QVERIFY(out.contains("\"args\":[{\"n\":1}],\"data\":[{\"n\":1}],\"event\":\"echo\""));
    QVERIFY(out.contains("\"type\":\"ACK\""));
    QVERIFY(out.contains("\"namespace\":\"/admin\""));
}

void tst_SocketIoProtocol::headlessServe()
{
    QProcess serve;
    serve.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("serve"), QStringLiteral("--protocol"), QStringLiteral("socket.io"),
            QStringLiteral("--protocol-option"), QStringLiteral("mode=broadcast") });
    QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), 10000);
    const QByteArray first = serve.readLine().trimmed(); // listening ws://127.0.0.1:PORT/
    const QUrl url(QString::fromUtf8(first.mid(first.indexOf("ws://"))));
    QVERIFY2(url.port() > 0, first.constData());
    NodePeer client;
    QVERIFY(client.start(
        QStringLiteral("socketio_client.js"), { QStringLiteral("http://127.0.0.1:%1").arg(url.port()) }));
    QTRY_COMPARE_WITH_TIMEOUT(client.process.state(), QProcess::NotRunning, 20000);
    const QByteArray out = client.readAll();
    QVERIFY2(client.process.exitCode() == 0, out.constData());
    QVERIFY(out.contains("{\"ack\":[{\"binary\":\"AQID\"}]}"));
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));
    QVERIFY(serve.readAllStandardOutput().contains(
        "Socket.IO: joined namespace / with auth {\"token\":\"node\"}."));
}

QTEST_GUILESS_MAIN(tst_SocketIoProtocol)
#include "tst_SocketIoProtocol.moc"
