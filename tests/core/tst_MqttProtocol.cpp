// MQTT over WebSocket against the real libraries, both directions: wstester's MqttClient against
// aedes (3.1.1) and an mqtt-packet MQTT 5 broker, and the mqtt npm client (3.1.1 and 5) against
// wstester's MqttServer. Every packet of the QoS handshakes is checked as a history row.
#include "connection/ConnectionOptions.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolClient.h"
#include "protocols/ProtocolServer.h"
#include "protocols/mqtt/MqttCodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QWebSocketServer>
#include <QtTest>

#include <map>

using namespace wst;
using namespace wst::mqtt;
using NoticeType = ProtocolNotice::Type;

namespace {

std::shared_ptr<const Protocol> mqttProtocol(QJsonObject params)
{
    ProtocolOptions options;
    options.id = ProtocolId::Mqtt;
    options.params = std::move(params);
    return Protocol::create(options);
}

// A node peer, ended (killed and reaped) with the test function.
class PeerProcess : public QProcess
{
public:
    ~PeerProcess() override
    {
        kill();
        waitForFinished(5000);
    }
};

struct Row
{
    Direction direction;
    QByteArray bytes;
};

// The client side as ClientWorker will run it: a real QWebSocket offering "mqtt", every message
// recorded as a row, the session fed with what arrives.
class ClientHarness : public QObject, public ProtocolClientSink
{
public:
    explicit ClientHarness(QJsonObject params)
        : m_protocol(mqttProtocol(std::move(params)))
    {
        m_client = m_protocol->createClient(this);
        connect(&m_socket, &QWebSocket::connected, this, [this] { m_client->opened(); });
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
            m_rows.append({ Direction::In, data });
            m_client->received(Kind::Binary, data);
        });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] {
            m_closed = true;
            m_client->closed();
        });
    }
    // The socket may report its close while the members below are being destroyed.
    ~ClientHarness() override { m_socket.disconnect(); }
    void open(quint16 port)
    {
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({ QStringLiteral("mqtt") });
        m_socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)), options);
    }
    void sendText(const QString &) override { }
    void sendBinary(const QByteArray &data) override
    {
        m_rows.append({ Direction::Out, data });
        m_socket.sendBinaryMessage(data);
    }
    void note(Kind kind, const QString &text) override
    {
        m_notes.append((kind == Kind::Error ? QStringLiteral("error: ") : QStringLiteral("info: ")) + text);
    }
    void notice(const ProtocolNotice &notice) override { m_notices.append(notice); }
    void closeConnection(int code, const QString &reason) override
    {
        m_socket.close(QWebSocketProtocol::CloseCode(code), reason);
    }

    // "out CONNECT", "in PUBLISH t/a q1", ... as the history shows them.
    QStringList rows() const
    {
        QStringList out;
        for (const Row &row : m_rows) {
            const ProtocolMessage m = m_protocol->decode(row.direction, Kind::Binary, row.bytes);
            QString line
                = (row.direction == Direction::In ? QStringLiteral("in ") : QStringLiteral("out ")) + m.type;
            if (m.type == QLatin1String("PUBLISH"))
                line += QStringLiteral(" %1 q%2").arg(m.name).arg(m.qos);
            out.append(line);
        }
        return out;
    }
    QList<ProtocolNotice> notices(NoticeType type) const
    {
        QList<ProtocolNotice> out;
        for (const ProtocolNotice &n : m_notices)
            if (n.type == type)
                out.append(n);
        return out;
    }
    int count(const QString &row) const { return int(rows().count(row)); }
    QString submit(const QString &verb, const QString &name, int qos = 0, const QByteArray &body = {},
        bool retain = false, ProtocolFields headers = {})
    {
        ProtocolCommand c;
        c.verb = verb;
        c.name = name;
        c.qos = qos;
        c.body = body;
        c.retain = retain;
        c.headers = std::move(headers);
        return m_client->submit(c);
    }

    std::shared_ptr<const Protocol> m_protocol;
    std::unique_ptr<ProtocolClient> m_client;
    QWebSocket m_socket;
    QList<Row> m_rows;
    QStringList m_notes;
    QList<ProtocolNotice> m_notices;
    bool m_closed = false;
};

QString fieldOf(const ProtocolFields &fields, const QString &name)
{
    for (const auto &f : fields)
        if (f.first == name)
            return f.second;
    return QStringLiteral("<none>");
}

// `needles` appear in `haystack` in this order (other rows may come between).
bool inOrder(const QStringList &haystack, const QStringList &needles)
{
    qsizetype at = 0;
    for (const QString &n : needles) {
        at = haystack.indexOf(n, at);
        if (at < 0)
            return false;
        ++at;
    }
    return true;
}

// wstester's broker behind a real QWebSocketServer, as ServerWorker will run it.
class ServerHarness : public QObject, public ProtocolServerSink
{
public:
    explicit ServerHarness(QJsonObject params = {})
        : m_protocol(mqttProtocol(std::move(params)))
        , m_server(QStringLiteral("mqtt-test"), QWebSocketServer::NonSecureMode)
    {
        m_broker = m_protocol->createServer(this);
        m_server.setSupportedSubprotocols(m_protocol->serverSubprotocols());
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *s = m_server.nextPendingConnection();
            s->setParent(this);
            const quint32 id = ++m_lastId;
            m_sockets[id] = s;
            m_subprotocols.append(s->subprotocol());
            connect(s, &QWebSocket::binaryMessageReceived, this,
                [this, id](const QByteArray &d) { m_broker->received(id, Kind::Binary, d); });
            connect(s, &QWebSocket::textMessageReceived, this,
                [this, id](const QString &t) { m_broker->received(id, Kind::Text, t.toUtf8()); });
            connect(s, &QWebSocket::disconnected, this, [this, id] {
                m_sockets.erase(id);
                ++m_disconnects;
                m_broker->clientClosed(id);
            });
            m_broker->clientOpened(id, s->subprotocol(), s->requestUrl().path());
        });
    }
    ~ServerHarness() override
    {
        for (QWebSocket *s : findChildren<QWebSocket *>())
            s->disconnect(this);
    }
    quint16 port() const { return m_server.serverPort(); }
    void sendText(quint32, const QString &) override { }
    void sendBinary(quint32 id, const QByteArray &data) override
    {
        if (auto it = m_sockets.find(id); it != m_sockets.end())
            it->second->sendBinaryMessage(data);
    }
    void note(quint32, Kind, const QString &text) override { m_notes.append(text); }
    void closeClient(quint32 id, int code, const QString &reason) override
    {
        if (auto it = m_sockets.find(id); it != m_sockets.end())
            it->second->close(QWebSocketProtocol::CloseCode(code), reason);
    }
    QList<quint32> clientIds() const override
    {
        QList<quint32> ids;
        for (const auto &entry : m_sockets)
            ids.append(entry.first);
        return ids;
    }

    std::shared_ptr<const Protocol> m_protocol;
    std::unique_ptr<ProtocolServer> m_broker;
    QWebSocketServer m_server;
    std::map<quint32, QWebSocket *> m_sockets;
    QStringList m_subprotocols;
    QStringList m_notes;
    quint32 m_lastId = 0;
    int m_disconnects = 0;
};

} // namespace

class tst_MqttProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void prepareAndValidate();
    void clientAgainstAedes();
    void clientAgainstSplittingBroker();
    void clientV5AgainstPeer();
    void aedesRefusesV5();
    void keepAlivePings();
    void missingPingResp();
    void npmClientAgainstBroker_data();
    void npmClientAgainstBroker();
    void brokerWillAndKeepAliveTimeout();
    void brokerMalformedPacket();
    void headlessConnect();
    void headlessServe();

private:
    // Starts a node peer that prints its port; returns 0 on failure.
    quint16 startPeer(QProcess *process, const QString &script, const QStringList &args = {});
    QString m_node;
};

void tst_MqttProtocol::initTestCase()
{
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!m_node.isEmpty(), "node is not installed (scripts/setup.sh --tests installs it)");
    QVERIFY2(QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/aedes/package.json")),
        "run npm install in tests/peers (scripts/setup.sh --tests does)");
}

quint16 tst_MqttProtocol::startPeer(QProcess *process, const QString &script, const QStringList &args)
{
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(m_node, QStringList { QStringLiteral(WST_PEERS_DIR "/") + script } + args);
    if (!process->waitForStarted(10000))
        return 0;
    QElapsedTimer t;
    t.start();
    while (!process->canReadLine() && t.elapsed() < 15000 && process->state() == QProcess::Running)
        process->waitForReadyRead(500);
    return quint16(process->readLine().trimmed().toUInt());
}

void tst_MqttProtocol::prepareAndValidate()
{
    const auto protocol = mqttProtocol({});
    ConnectionOptions options;
    protocol->prepare(options);
    QCOMPARE(options.subprotocols, QStringList { QStringLiteral("mqtt") });
    options.subprotocols = { QStringLiteral("mqttv3.1") };
    protocol->prepare(options);
    QCOMPARE(options.subprotocols, QStringList { QStringLiteral("mqttv3.1") });
    QCOMPARE(protocol->serverSubprotocols(), QStringList { QStringLiteral("mqtt") });
    QVERIFY(protocol->validate().isEmpty());
    QVERIFY(mqttProtocol({ { QStringLiteral("version"), 3 } })
                ->validate()
                .contains(QLatin1String("\"version\"")));
    QVERIFY(mqttProtocol({ { QStringLiteral("keepAlive"), 70000 } })
                ->validate()
                .contains(QLatin1String("\"keepAlive\"")));
    QVERIFY(mqttProtocol(
        { { QStringLiteral("will"), QJsonObject { { QStringLiteral("topic"), QStringLiteral("a/#") } } } })
                ->validate()
                .contains(QLatin1String("wildcard")));
    QVERIFY(mqttProtocol({ { QStringLiteral("will"),
                             QJsonObject { { QStringLiteral("topic"), QStringLiteral("a") },
                                 { QStringLiteral("qos"), 3 } } } })
                ->validate()
                .contains(QLatin1String("qos")));
    // Commands are checked before they are queued.
    ClientHarness client({});
    QVERIFY(
        client.submit(QStringLiteral("publish"), QStringLiteral("a/+")).contains(QLatin1String("wildcard")));
    QVERIFY(client.submit(QStringLiteral("publish"), QStringLiteral("a"), 3).contains(QLatin1String("QoS")));
    QVERIFY(client.submit(QStringLiteral("subscribe"), QStringLiteral("a/#/b")).contains(QLatin1String("#")));
    QVERIFY(client.submit(QStringLiteral("emit"), QStringLiteral("a"))
                .contains(QLatin1String("unknown command")));
    QVERIFY(client
                .submit(QStringLiteral("publish"), QStringLiteral("a"), 0, "x", false,
                    { { QStringLiteral("k"), QStringLiteral("v") } })
                .contains(QLatin1String("MQTT 5")));
}

void tst_MqttProtocol::clientAgainstAedes()
{
    PeerProcess peer;
    const quint16 port = startPeer(&peer, QStringLiteral("mqtt_broker.js"));
    QVERIFY(port);
    ClientHarness c(
        { { QStringLiteral("version"), 4 }, { QStringLiteral("clientId"), QStringLiteral("wst-a") } });
    // Queued before the handshake, sent once CONNACK arrives.
    QVERIFY(c.submit(QStringLiteral("subscribe"), QStringLiteral("t/#"), 2).isEmpty());
    c.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(c.m_client->isReady(), 10000);
    QCOMPARE(c.m_socket.subprotocol(), QStringLiteral("mqtt"));
    const QList<ProtocolNotice> handshake = c.notices(NoticeType::Handshake);
    QCOMPARE(handshake.size(), 1);
    QCOMPARE(fieldOf(handshake[0].fields, QStringLiteral("reason code")),
        QStringLiteral("0x00 Connection Accepted"));
    QCOMPARE(fieldOf(handshake[0].fields, QStringLiteral("session present")), QStringLiteral("false"));
    QTRY_COMPARE_WITH_TIMEOUT(c.notices(NoticeType::OperationStarted).size(), 1, 10000);
    QCOMPARE(c.notices(NoticeType::OperationStarted)[0].id, QStringLiteral("t/#"));
    QCOMPARE(c.notices(NoticeType::Reply).value(0).data.toObject().value(QStringLiteral("reason")).toString(),
        QStringLiteral("Granted QoS 2"));

    for (int qos = 0; qos <= 2; ++qos)
        QVERIFY(c.submit(QStringLiteral("publish"), QStringLiteral("t/a"), qos,
                     QStringLiteral("{\"qos\":%1}").arg(qos).toUtf8())
                    .isEmpty());
    QTRY_VERIFY2_WITH_TIMEOUT(c.count(QStringLiteral("in PUBLISH t/a q2")) == 1
            && c.count(QStringLiteral("out PUBCOMP")) == 1 && c.count(QStringLiteral("in PUBCOMP")) == 1,
        qPrintable(c.rows().join(QLatin1Char('|')) + c.m_notes.join(QLatin1Char('|'))), 10000);
    const QStringList rows = c.rows();
    QVERIFY2(inOrder(rows,
                 { QStringLiteral("out CONNECT"), QStringLiteral("in CONNACK"),
                     QStringLiteral("out SUBSCRIBE"), QStringLiteral("in SUBACK") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    // Our QoS 1 and 2 publishes, with the broker's answers.
    QVERIFY2(inOrder(rows, { QStringLiteral("out PUBLISH t/a q1"), QStringLiteral("in PUBACK") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    QVERIFY2(inOrder(rows,
                 { QStringLiteral("out PUBLISH t/a q2"), QStringLiteral("in PUBREC"),
                     QStringLiteral("out PUBREL"), QStringLiteral("in PUBCOMP") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    // The broker's deliveries to our subscription, acknowledged by the session itself.
    QVERIFY2(inOrder(rows, { QStringLiteral("in PUBLISH t/a q1"), QStringLiteral("out PUBACK") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    QVERIFY2(inOrder(rows,
                 { QStringLiteral("in PUBLISH t/a q2"), QStringLiteral("out PUBREC"),
                     QStringLiteral("in PUBREL"), QStringLiteral("out PUBCOMP") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    QCOMPARE(c.count(QStringLiteral("in PUBLISH t/a q0")), 1);
    // The final acks as Reply notices, timed.
    QTRY_COMPARE(c.notices(NoticeType::Reply).size(), 3);
    const ProtocolNotice puback = c.notices(NoticeType::Reply)[1];
    QCOMPARE(puback.data.toObject().value(QStringLiteral("packet")).toString(), QStringLiteral("PUBACK"));
    QCOMPARE(puback.name, QStringLiteral("t/a"));
    QVERIFY(puback.rttUs >= 0);
    QCOMPARE(c.notices(NoticeType::Reply)[2].data.toObject().value(QStringLiteral("packet")).toString(),
        QStringLiteral("PUBCOMP"));

    // Retained: kept by the broker, delivered on a later subscription with the retain flag.
    QVERIFY(c.submit(QStringLiteral("publish"), QStringLiteral("r/kept"), 1, "kept", true).isEmpty());
    QTRY_COMPARE(c.notices(NoticeType::Reply).size(), 4);
    QVERIFY(c.submit(QStringLiteral("subscribe"), QStringLiteral("r/#"), 1).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(c.count(QStringLiteral("in PUBLISH r/kept q1")), 1, 10000);
    ProtocolMessage retained;
    for (const Row &row : c.m_rows)
        if (row.direction == Direction::In
            && c.m_protocol->decode(Direction::In, Kind::Binary, row.bytes).name == QLatin1String("r/kept"))
            retained = c.m_protocol->decode(Direction::In, Kind::Binary, row.bytes);
    QCOMPARE(fieldOf(retained.fields, QStringLiteral("retain")), QStringLiteral("true"));
    QCOMPARE(retained.body, QByteArray("kept"));

    QVERIFY(c.submit(QStringLiteral("unsubscribe"), QStringLiteral("t/#")).isEmpty());
    QTRY_COMPARE(c.notices(NoticeType::OperationEnded).size(), 1);
    QCOMPARE(c.notices(NoticeType::OperationEnded)[0].id, QStringLiteral("t/#"));
    QVERIFY2(c.m_notes.isEmpty(), qPrintable(c.m_notes.join(QLatin1Char('\n'))));
    c.m_socket.close();
    QTRY_VERIFY(c.m_closed);
    // The remaining subscription ends with the connection.
    QCOMPARE(c.notices(NoticeType::OperationEnded).size(), 2);
}

void tst_MqttProtocol::clientAgainstSplittingBroker()
{
    // aedes's own chunks as messages: every packet arrives in two or three pieces.
    PeerProcess peer;
    const quint16 port = startPeer(&peer, QStringLiteral("mqtt_broker.js"), { QStringLiteral("--split") });
    QVERIFY(port);
    ClientHarness c({});
    c.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(c.m_client->isReady(), 10000);
    QVERIFY(c.submit(QStringLiteral("subscribe"), QStringLiteral("s/#"), 2).isEmpty());
    QVERIFY(c.submit(QStringLiteral("publish"), QStringLiteral("s/x"), 2,
                 "{\"big\":\"" + QByteArray(300, 'x') + "\"}")
                .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(c.notices(NoticeType::Reply).size(), 2, 10000);
    QCOMPARE(c.notices(NoticeType::Reply)[1].data.toObject().value(QStringLiteral("packet")).toString(),
        QStringLiteral("PUBCOMP"));
    // The delivery to our own subscription was reassembled and acknowledged by the session.
    QTRY_COMPARE_WITH_TIMEOUT(c.count(QStringLiteral("out PUBCOMP")), 1, 10000);
    QVERIFY(c.count(QStringLiteral("out PUBREC")) == 1);
    QVERIFY(c.rows().contains(QStringLiteral("in PUBLISH (incomplete)")));
    QVERIFY2(c.m_notes.isEmpty(), qPrintable(c.m_notes.join(QLatin1Char('\n'))));
}

void tst_MqttProtocol::clientV5AgainstPeer()
{
    PeerProcess peer;
    // The broker's Server Keep Alive (1 s) overrides the client's 60 s.
    const quint16 port = startPeer(&peer, QStringLiteral("mqtt5_broker.js"), { QStringLiteral("1") });
    QVERIFY(port);
    ClientHarness c({ { QStringLiteral("version"), 5 }, { QStringLiteral("sessionExpiry"), 30 } });
    c.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(c.m_client->isReady(), 10000);
    const ProtocolNotice handshake = c.notices(NoticeType::Handshake).value(0);
    QCOMPARE(fieldOf(handshake.fields, QStringLiteral("protocol")), QStringLiteral("MQTT 5.0"));
    QCOMPARE(fieldOf(handshake.fields, QStringLiteral("Receive Maximum")), QStringLiteral("20"));
    QCOMPARE(fieldOf(handshake.fields, QStringLiteral("keep alive")), QStringLiteral("1"));
    QCOMPARE(fieldOf(handshake.fields, QStringLiteral("reason code")), QStringLiteral("0x00 Success"));
    const ProtocolMessage connect
        = c.m_protocol->decode(Direction::Out, Kind::Binary, c.m_rows.first().bytes);
    QCOMPARE(fieldOf(connect.fields, QStringLiteral("Session Expiry Interval")), QStringLiteral("30"));
    QVERIFY(connect.name.startsWith(QLatin1String("wstester-")));

    QVERIFY(c.submit(QStringLiteral("subscribe"), QStringLiteral("v5/+"), 2).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(c.notices(NoticeType::OperationStarted).size(), 1, 10000);
    for (int qos = 0; qos <= 2; ++qos)
        QVERIFY(c.submit(QStringLiteral("publish"), QStringLiteral("v5/x"), qos, "hello", false,
                     { { QStringLiteral("origin"), QStringLiteral("wstester") } })
                    .isEmpty());
    QTRY_VERIFY2_WITH_TIMEOUT(c.count(QStringLiteral("in PUBLISH v5/x q2")) == 1
            && c.count(QStringLiteral("out PUBCOMP")) == 1 && c.count(QStringLiteral("in PUBCOMP")) == 1,
        qPrintable(c.rows().join(QLatin1Char('|')) + c.m_notes.join(QLatin1Char('|'))), 10000);
    const QStringList rows = c.rows();
    QVERIFY2(inOrder(rows,
                 { QStringLiteral("out PUBLISH v5/x q2"), QStringLiteral("in PUBREC"),
                     QStringLiteral("out PUBREL"), QStringLiteral("in PUBCOMP") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    QVERIFY2(inOrder(rows, { QStringLiteral("in PUBLISH v5/x q1"), QStringLiteral("out PUBACK") }),
        qPrintable(rows.join(QLatin1Char('|'))));
    // The user property came back on the delivery.
    bool sawProperty = false;
    for (const Row &row : c.m_rows) {
        const ProtocolMessage m = c.m_protocol->decode(row.direction, Kind::Binary, row.bytes);
        if (row.direction == Direction::In && m.type == QLatin1String("PUBLISH"))
            sawProperty = sawProperty
                || fieldOf(m.fields, QStringLiteral("User Property")) == QLatin1String("origin: wstester");
    }
    QVERIFY(sawProperty);
    // Pings every second (the server's keep alive), each answered.
    QTRY_VERIFY_WITH_TIMEOUT(c.count(QStringLiteral("in PINGRESP")) >= 1, 5000);
    QVERIFY(c.count(QStringLiteral("out PINGREQ")) >= 1);
    QVERIFY2(c.m_notes.isEmpty(), qPrintable(c.m_notes.join(QLatin1Char('\n'))));
}

void tst_MqttProtocol::aedesRefusesV5()
{
    PeerProcess peer;
    const quint16 port = startPeer(&peer, QStringLiteral("mqtt_broker.js"));
    QVERIFY(port);
    ClientHarness c({ { QStringLiteral("version"), 5 } });
    QVERIFY(c.submit(QStringLiteral("publish"), QStringLiteral("a"), 1, "x").isEmpty()); // queued
    c.open(port);
    QTRY_COMPARE_WITH_TIMEOUT(c.notices(NoticeType::Error).size(), 1, 10000);
    QCOMPARE(
        c.notices(NoticeType::Error)[0].data.toString(), QStringLiteral("Unacceptable protocol version"));
    QVERIFY(!c.m_client->isReady());
    QVERIFY(c.m_notes.join(QLatin1Char('\n'))
                .contains(QLatin1String("refused the connection: Unacceptable protocol version")));
    const ProtocolMessage connack
        = c.m_protocol->decode(Direction::In, Kind::Binary, c.m_rows.value(1).bytes);
    QCOMPARE(connack.role, ProtocolMessage::Role::Error);
    QCOMPARE(connack.name, QStringLiteral("Unacceptable protocol version"));
    QCOMPARE(c.count(QStringLiteral("out PUBLISH a q1")), 0); // the queued command never went out
    QTRY_VERIFY_WITH_TIMEOUT(c.m_closed, 5000); // closed by us if the broker does not
    QCOMPARE(c.m_socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
}

void tst_MqttProtocol::keepAlivePings()
{
    PeerProcess peer;
    const quint16 port = startPeer(&peer, QStringLiteral("mqtt_broker.js"));
    QVERIFY(port);
    ClientHarness c({ { QStringLiteral("keepAlive"), 1 } });
    c.open(port);
    QTRY_VERIFY_WITH_TIMEOUT(c.m_client->isReady(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(c.count(QStringLiteral("in PINGRESP")) >= 2, 8000);
    QVERIFY(c.count(QStringLiteral("out PINGREQ")) >= 2);
    QCOMPARE(c.m_protocol->decode(Direction::Out, Kind::Binary, QByteArray::fromHex("c000")).role,
        ProtocolMessage::Role::KeepAlive);
    QVERIFY2(c.m_notes.isEmpty(), qPrintable(c.m_notes.join(QLatin1Char('\n'))));
}

void tst_MqttProtocol::missingPingResp()
{
    // A broker that accepts the CONNECT and then never answers a PINGREQ.
    QWebSocketServer server(QStringLiteral("mute"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({ QStringLiteral("mqtt") });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server);
        connect(s, &QWebSocket::binaryMessageReceived, s, [s](const QByteArray &data) {
            if (!data.isEmpty() && quint8(data[0]) == 0x10)
                s->sendBinaryMessage(QByteArray::fromHex("20020000"));
        });
    });
    ClientHarness c({ { QStringLiteral("keepAlive"), 1 } });
    c.open(server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(c.m_client->isReady(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!c.m_notes.isEmpty(), 8000);
    QVERIFY2(c.m_notes.first().contains(QLatin1String("no PINGRESP")), qPrintable(c.m_notes.first()));
}

void tst_MqttProtocol::npmClientAgainstBroker_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("3.1.1") << 4;
    QTest::newRow("5.0") << 5;
}

void tst_MqttProtocol::npmClientAgainstBroker()
{
    QFETCH(int, version);
    ServerHarness broker;
    QProcess client;
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.start(m_node,
        { QStringLiteral(WST_PEERS_DIR "/mqtt_client.js"),
            QStringLiteral("ws://127.0.0.1:%1").arg(broker.port()), QString::number(version) });
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QProcess::NotRunning, 25000);
    const QByteArray output = client.readAllStandardOutput();
    QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0, output.constData());
    QVERIFY(broker.m_subprotocols.contains(QStringLiteral("mqtt")));
    QList<QJsonObject> messages;
    QJsonObject late;
    for (const QByteArray &line : output.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("event")) == QLatin1String("message")
            && o.value(QStringLiteral("client")) == QLatin1String("sub"))
            messages.append(o);
        if (o.value(QStringLiteral("event")) == QLatin1String("late"))
            late = o;
    }
    // The retained message on subscribing (QoS min(1, 1)), then t/a at QoS 0, 1, 2.
    QVERIFY2(messages.size() >= 4, output.constData());
    QCOMPARE(messages[0].value(QStringLiteral("topic")).toString(), QStringLiteral("r/kept"));
    QCOMPARE(messages[0].value(QStringLiteral("retain")).toBool(), true);
    QCOMPARE(messages[0].value(QStringLiteral("qos")).toInt(), 1);
    if (version == 5)
        QCOMPARE(
            messages[0].value(QStringLiteral("user")).toObject().value(QStringLiteral("origin")).toString(),
            QStringLiteral("node"));
    for (int qos = 0; qos <= 2; ++qos) {
        const QJsonObject m = messages[qos + 1];
        QCOMPARE(m.value(QStringLiteral("topic")).toString(), QStringLiteral("t/a"));
        QCOMPARE(m.value(QStringLiteral("qos")).toInt(), qos);
        QCOMPARE(m.value(QStringLiteral("retain")).toBool(), false);
        QCOMPARE(QJsonDocument::fromJson(m.value(QStringLiteral("payload")).toString().toUtf8())
                     .object()
                     .value(QStringLiteral("qos"))
                     .toInt(),
            qos);
    }
    // The empty retained publish cleared r/kept: a later subscriber sees only its own marker.
    QCOMPARE(late.value(QStringLiteral("topics")).toVariant().toStringList(),
        QStringList { QStringLiteral("r/zz") });
    QVERIFY2(broker.m_notes.isEmpty(), qPrintable(broker.m_notes.join(QLatin1Char('\n'))));
}

void tst_MqttProtocol::brokerWillAndKeepAliveTimeout()
{
    ServerHarness broker;
    ClientHarness watcher(
        { { QStringLiteral("version"), 5 }, { QStringLiteral("clientId"), QStringLiteral("watcher") } });
    watcher.open(broker.port());
    QTRY_VERIFY_WITH_TIMEOUT(watcher.m_client->isReady(), 10000);
    QVERIFY(watcher.submit(QStringLiteral("subscribe"), QStringLiteral("wills/#"), 1).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(watcher.notices(NoticeType::OperationStarted).size(), 1, 10000);

    // A client that disconnects cleanly: no will.
    ClientHarness clean({ { QStringLiteral("clientId"), QStringLiteral("clean") },
        { QStringLiteral("will"),
            QJsonObject { { QStringLiteral("topic"), QStringLiteral("wills/clean") },
                { QStringLiteral("payload"), QStringLiteral("x") } } } });
    clean.open(broker.port());
    QTRY_VERIFY_WITH_TIMEOUT(clean.m_client->isReady(), 10000);
    QVERIFY(clean.submit(QStringLiteral("disconnect"), QString()).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(clean.m_closed, 10000);
    QCOMPARE(clean.rows().last(), QStringLiteral("out DISCONNECT"));

    // A client whose connection drops (no DISCONNECT): its retained will is published and kept.
    ClientHarness dropped({ { QStringLiteral("clientId"), QStringLiteral("dropped") },
        { QStringLiteral("will"),
            QJsonObject { { QStringLiteral("topic"), QStringLiteral("wills/dropped") },
                { QStringLiteral("payload"), QStringLiteral("lost") }, { QStringLiteral("qos"), 1 },
                { QStringLiteral("retain"), true } } } });
    dropped.open(broker.port());
    QTRY_VERIFY_WITH_TIMEOUT(dropped.m_client->isReady(), 10000);
    dropped.m_socket.abort();
    QTRY_COMPARE_WITH_TIMEOUT(watcher.count(QStringLiteral("in PUBLISH wills/dropped q1")), 1, 10000);
    ClientHarness later({ { QStringLiteral("clientId"), QStringLiteral("later") } });
    later.open(broker.port());
    QVERIFY(later.submit(QStringLiteral("subscribe"), QStringLiteral("wills/+"), 0).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(later.count(QStringLiteral("in PUBLISH wills/dropped q0")), 1, 10000);

    // A raw client that promises a 1 s keep-alive and then sends nothing: dropped after 1.5 s,
    // its will published.
    QWebSocket silent;
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ QStringLiteral("mqtt") });
    bool silentClosed = false;
    connect(&silent, &QWebSocket::disconnected, this, [&silentClosed] { silentClosed = true; });
    connect(&silent, &QWebSocket::connected, this, [&silent] {
        MqttPacket connect;
        connect.type = PacketType::Connect;
        connect.clientId = QStringLiteral("silent");
        connect.keepAlive = 1;
        connect.hasWill = true;
        connect.willTopic = QStringLiteral("wills/silent");
        connect.willPayload = "gone";
        connect.willQos = 1;
        silent.sendBinaryMessage(MqttCodec::serialize(connect, Version311));
    });
    QElapsedTimer timer;
    timer.start();
    silent.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(broker.port())), options);
    QTRY_VERIFY_WITH_TIMEOUT(silentClosed, 10000);
    QVERIFY2(timer.elapsed() >= 1400, qPrintable(QString::number(timer.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(watcher.count(QStringLiteral("in PUBLISH wills/silent q1")), 1, 10000);
    QCOMPARE(watcher.count(QStringLiteral("in PUBLISH wills/clean q0")), 0);
    QVERIFY(broker.m_notes.join(QLatin1Char('\n')).contains(QLatin1String("keep-alive")));
}

void tst_MqttProtocol::brokerMalformedPacket()
{
    ServerHarness broker;
    QWebSocket raw;
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({ QStringLiteral("mqtt") });
    bool closed = false;
    connect(&raw, &QWebSocket::disconnected, this, [&closed] { closed = true; });
    connect(&raw, &QWebSocket::connected, this,
        [&raw] { raw.sendBinaryMessage(QByteArray::fromHex("100d00044d5154540702003c000161")); });
    raw.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(broker.port())), options);
    QTRY_VERIFY_WITH_TIMEOUT(closed, 10000);
    QCOMPARE(raw.closeCode(), QWebSocketProtocol::CloseCodeProtocolError);
    QVERIFY2(broker.m_notes.value(0).contains(QLatin1String("unsupported protocol level 7")),
        qPrintable(broker.m_notes.value(0)));
}

void tst_MqttProtocol::headlessConnect()
{
    PeerProcess peer;
    const quint16 port = startPeer(&peer, QStringLiteral("mqtt_broker.js"));
    QVERIFY(port);
    QProcess wst;
    wst.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // SUBACK, the PUBACK of our QoS 1 publish and its delivery to our own subscription: 3 events.
    wst.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1").arg(port),
            QStringLiteral("--protocol"), QStringLiteral("mqtt"), QStringLiteral("--protocol-option"),
            QStringLiteral("clientId=headless"), QStringLiteral("--subscribe"), QStringLiteral("t/#"),
            QStringLiteral("--qos"), QStringLiteral("1"), QStringLiteral("--publish"), QStringLiteral("t/a"),
            QStringLiteral("{\"x\":1}"), QStringLiteral("-n"), QStringLiteral("3"),
            QStringLiteral("--json") });
    wst.closeWriteChannel();
    QVERIFY(wst.waitForFinished(20000));
    const QByteArray out = wst.readAllStandardOutput();
    QVERIFY2(wst.exitCode() == 0, out.constData());
    QJsonObject publish;
    QStringList packets;
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject o
            = QJsonDocument::fromJson(line).object().value(QStringLiteral("protocol")).toObject();
        if (o.isEmpty())
            continue;
        packets.append(
            QStringLiteral("%1 %2")
                .arg(o.value(QStringLiteral("dir")).toString(), o.value(QStringLiteral("packet")).toString())
                .trimmed());
        if (o.value(QStringLiteral("packet")) == QLatin1String("PUBLISH"))
            publish = o;
    }
    QVERIFY2(packets.contains(QStringLiteral("SUBACK")) && packets.contains(QStringLiteral("PUBACK")),
        out.constData());
    QCOMPARE(publish.value(QStringLiteral("topic")).toString(), QStringLiteral("t/a"));
    QCOMPARE(publish.value(QStringLiteral("payload")).toObject().value(QStringLiteral("x")).toInt(), 1);
    QCOMPARE(publish.value(QStringLiteral("qos")).toInt(), 1);
    QCOMPARE(publish.value(QStringLiteral("retain")).toBool(), false);
}

void tst_MqttProtocol::headlessServe()
{
    PeerProcess serve;
    serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serve.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
            QStringLiteral("--protocol"), QStringLiteral("mqtt") });
    QVERIFY(serve.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), 10000);
    const QByteArray first = serve.readLine().trimmed();
    QVERIFY2(first.startsWith("listening "), first.constData());
    const QString url = QString::fromUtf8(first.mid(10));
    for (const QString &version : { QStringLiteral("4"), QStringLiteral("5") }) {
        QProcess client;
        client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        client.start(m_node, { QStringLiteral(WST_PEERS_DIR "/mqtt_client.js"), url, version });
        QVERIFY(client.waitForFinished(25000));
        const QByteArray out = client.readAllStandardOutput();
        QVERIFY2(client.exitCode() == 0, out.constData());
        QVERIFY(out.contains("\"event\":\"late\",\"client\":\"late\",\"topics\":[\"r/zz\"]"));
    }
}

QTEST_GUILESS_MAIN(tst_MqttProtocol)
#include "tst_MqttProtocol.moc"
