// The MQTT codec and MqttProtocol's decode()/toJson(): every packet of 3.1.1 and 5.0 both ways,
// properties, reason codes, several packets in one message, a packet split over messages, and
// malformed packets giving one clear line (never a crash).
#include "protocols/Protocol.h"
#include "protocols/mqtt/MqttCodec.h"
#include "protocols/mqtt/MqttProtocol.h"

#include <QJsonArray>
#include <QtTest>

using namespace wst;
using namespace wst::mqtt;
using Role = ProtocolMessage::Role;

class tst_MqttCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownConnectBytes();
    void roundTrip_data();
    void roundTrip();
    void everyProperty();
    void remainingLength();
    void severalPacketsAndSplits();
    void malformed_data();
    void malformed();
    void reasonNames();
    void topics();
    void decodeMessages();
    void toJsonKeys();
    void garbageNeverCrashes();
    void fuzzSeeds();
};

namespace {
QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

MqttPacket roundTripped(const MqttPacket &p, int version)
{
    const QByteArray bytes = MqttCodec::serialize(p, version);
    const MqttCodec::ReadResult r = MqttCodec::readAll(bytes, version);
    if (!r.error.isEmpty())
        qWarning() << "read error" << r.error << bytes.toHex();
    return r.packets.value(0);
}

ProtocolMessage decode(int version, const QByteArray &bytes, Kind kind = Kind::Binary)
{
    ProtocolOptions options;
    options.id = ProtocolId::Mqtt;
    options.params.insert(QStringLiteral("version"), version);
    return Protocol::create(options)->decode(Direction::In, kind, bytes);
}

QString field(const ProtocolMessage &m, const QString &name)
{
    for (const auto &f : m.fields)
        if (f.first == name)
            return f.second;
    return QStringLiteral("<none>");
}
} // namespace

void tst_MqttCodec::knownConnectBytes()
{
    // CONNECT, MQTT 3.1.1, clean session, keep alive 60, client id "a" (as mqtt.js writes it).
    const QByteArray wire = hex("100d00044d5154540402003c000161");
    MqttPacket p;
    p.type = PacketType::Connect;
    p.keepAlive = 60;
    p.clientId = QStringLiteral("a");
    QCOMPARE(MqttCodec::serialize(p, Version311).toHex(), wire.toHex());
    const MqttCodec::ReadResult r = MqttCodec::readAll(wire, Version311);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.packets.size(), 1);
    QCOMPARE(r.packets[0].clientId, QStringLiteral("a"));
    QCOMPARE(r.packets[0].keepAlive, quint16(60));
    QVERIFY(r.packets[0].cleanStart);
    // PUBLISH QoS 1 "a/b" id 10 payload "hi" and a v5 PUBACK with reason 0x10 and no properties.
    QCOMPARE(MqttCodec::readAll(hex("3209000361 2f62000a6869"), Version311).packets.value(0).topic,
        QStringLiteral("a/b"));
    const MqttPacket ack = MqttCodec::readAll(hex("4003000a10"), Version5).packets.value(0);
    QCOMPARE(ack.type, PacketType::Puback);
    QCOMPARE(ack.reasonCode, quint8(0x10));
}

void tst_MqttCodec::roundTrip_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("type");
    for (int version : { Version311, Version5 }) {
        for (int t = 1; t <= 15; ++t) {
            if (t == int(PacketType::Auth) && version != Version5)
                continue;
            QTest::addRow("v%d %s", version, qPrintable(MqttCodec::typeName(PacketType(t)))) << version << t;
        }
    }
}

void tst_MqttCodec::roundTrip()
{
    QFETCH(int, version);
    QFETCH(int, type);
    const bool v5 = version == Version5;
    MqttPacket p;
    p.type = PacketType(type);
    p.protocolLevel = version;
    p.packetId = 4242;
    if (v5)
        p.properties = { { 0x26, 0, QStringLiteral("k"), QStringLiteral("v"), {} },
            { 0x1F, 0, QStringLiteral("why"), {}, {} } };
    switch (p.type) {
    case PacketType::Connect:
        p.clientId = QStringLiteral("client-ü");
        p.keepAlive = 30;
        p.cleanStart = false;
        p.hasWill = true;
        p.willTopic = QStringLiteral("will/t");
        p.willPayload = "gone";
        p.willQos = 2;
        p.willRetain = true;
        p.hasUsername = true;
        p.username = QStringLiteral("user");
        p.hasPassword = true;
        p.password = QByteArray("p\0w", 3);
        if (v5)
            p.willProperties = { { 0x18, 5, {}, {}, {} } };
        if (v5)
            p.properties.removeLast();
        break;
    case PacketType::Connack:
        p.sessionPresent = true;
        p.reasonCode = v5 ? 0x87 : 5;
        break;
    case PacketType::Publish:
        p.topic = QStringLiteral("a/b/c");
        p.qos = 2;
        p.dup = true;
        p.retain = true;
        p.payload = QByteArray("\x00\x01{\"x\":1}", 9);
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
    case PacketType::Disconnect:
    case PacketType::Auth:
        p.reasonCode = v5 ? 0x10 : 0;
        break;
    case PacketType::Subscribe:
        p.subscriptions = { { QStringLiteral("a/+/c"), 1 }, { QStringLiteral("#"), quint8(v5 ? 0x2e : 2) } };
        break;
    case PacketType::Suback:
        p.reasonCodes = { 0, 1, 2, 0x80 };
        break;
    case PacketType::Unsubscribe:
        p.filters = { QStringLiteral("a/#"), QStringLiteral("b") };
        break;
    case PacketType::Unsuback:
        if (v5)
            p.reasonCodes = { 0, 0x11 };
        break;
    default:
        break;
    }
    if (p.type == PacketType::Pingreq || p.type == PacketType::Pingresp
        || (!v5 && p.type == PacketType::Disconnect))
        p.properties.clear();
    const MqttPacket q = roundTripped(p, version);
    QCOMPARE(q.type, p.type);
    switch (p.type) {
    case PacketType::Connect:
        QCOMPARE(q.clientId, p.clientId);
        QCOMPARE(q.protocolLevel, version);
        QCOMPARE(q.keepAlive, p.keepAlive);
        QCOMPARE(q.cleanStart, false);
        QCOMPARE(q.willTopic, p.willTopic);
        QCOMPARE(q.willPayload, p.willPayload);
        QCOMPARE(q.willQos, 2);
        QVERIFY(q.willRetain);
        QCOMPARE(q.username, p.username);
        QCOMPARE(q.password, p.password);
        QCOMPARE(q.willProperties, p.willProperties);
        break;
    case PacketType::Connack:
        QVERIFY(q.sessionPresent);
        QCOMPARE(q.reasonCode, p.reasonCode);
        break;
    case PacketType::Publish:
        QCOMPARE(q.topic, p.topic);
        QCOMPARE(q.qos, 2);
        QVERIFY(q.dup);
        QVERIFY(q.retain);
        QCOMPARE(q.payload, p.payload);
        QCOMPARE(q.packetId, p.packetId);
        break;
    case PacketType::Subscribe:
        QCOMPARE(q.subscriptions, p.subscriptions);
        QCOMPARE(q.packetId, p.packetId);
        break;
    case PacketType::Suback:
    case PacketType::Unsuback:
        QCOMPARE(q.reasonCodes, p.reasonCodes);
        QCOMPARE(q.packetId, p.packetId);
        break;
    case PacketType::Unsubscribe:
        QCOMPARE(q.filters, p.filters);
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        QCOMPARE(q.packetId, p.packetId);
        QCOMPARE(q.reasonCode, p.reasonCode);
        break;
    default:
        QCOMPARE(q.reasonCode, p.reasonCode);
        break;
    }
    QCOMPARE(q.properties, p.properties);
    // And decode() makes a protocol message of it with no error.
    const ProtocolMessage m = decode(version, MqttCodec::serialize(p, version));
    QVERIFY2(m.error.isEmpty(), qPrintable(m.error));
    QCOMPARE(m.type, MqttCodec::typeName(p.type));
}

void tst_MqttCodec::everyProperty()
{
    MqttPacket p;
    p.type = PacketType::Publish;
    p.topic = QStringLiteral("t");
    const quint8 ids[] = { 0x01, 0x02, 0x03, 0x08, 0x09, 0x0B, 0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19,
        0x1A, 0x1C, 0x1F, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A };
    for (quint8 id : ids) {
        MqttProperty prop;
        prop.id = id;
        QVERIFY2(!MqttCodec::propertyName(id).isEmpty(), qPrintable(QString::number(id)));
        switch (*MqttCodec::propertyType(id)) {
        case PropertyType::Byte:
            prop.number = 1;
            break;
        case PropertyType::TwoByte:
            prop.number = 0xBEEF;
            break;
        case PropertyType::FourByte:
            prop.number = 0xDEADBEEF;
            break;
        case PropertyType::VarInt:
            prop.number = 268435455;
            break;
        case PropertyType::String:
            prop.string = QStringLiteral("s%1").arg(id);
            break;
        case PropertyType::Binary:
            prop.binary = QByteArray("\x00\xff", 2);
            break;
        case PropertyType::StringPair:
            prop.string = QStringLiteral("name");
            prop.value = QStringLiteral("value");
            break;
        }
        p.properties.append(prop);
    }
    QCOMPARE(roundTripped(p, Version5).properties, p.properties);
    const ProtocolMessage m = decode(Version5, MqttCodec::serialize(p, Version5));
    QCOMPARE(field(m, QStringLiteral("Message Expiry Interval")), QStringLiteral("3735928559"));
    QCOMPARE(field(m, QStringLiteral("Correlation Data")), QStringLiteral("00ff"));
    QCOMPARE(field(m, QStringLiteral("User Property")), QStringLiteral("name: value"));
    QCOMPARE(field(m, QStringLiteral("Subscription Identifier")), QStringLiteral("268435455"));
    QVERIFY(MqttCodec::propertyName(0x04).isEmpty());
}

void tst_MqttCodec::remainingLength()
{
    for (int size : { 0, 127, 128, 16383, 16384, 2097151, 2097152 }) {
        MqttPacket p;
        p.type = PacketType::Publish;
        p.topic = QStringLiteral("t");
        p.payload = QByteArray(size, 'x');
        const QByteArray bytes = MqttCodec::serialize(p, Version311);
        const int body = size + 3;
        const int lengthBytes = body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : 4;
        QCOMPARE(bytes.size(), 1 + lengthBytes + body);
        QCOMPARE(roundTripped(p, Version311).payload.size(), size);
    }
    // Five length bytes: malformed, said so.
    const MqttCodec::ReadResult r = MqttCodec::readAll(hex("30ffffffff01"), Version311);
    QVERIFY(r.packets.isEmpty());
    QVERIFY2(r.error.contains(QLatin1String("longer than 4 bytes")), qPrintable(r.error));
}

void tst_MqttCodec::severalPacketsAndSplits()
{
    MqttPacket ping;
    ping.type = PacketType::Pingresp;
    MqttPacket pub;
    pub.type = PacketType::Publish;
    pub.topic = QStringLiteral("x/y");
    pub.payload = "{\"n\":1}";
    const QByteArray three = MqttCodec::serialize(pub, Version311) + MqttCodec::serialize(ping, Version311)
        + MqttCodec::serialize(pub, Version311);
    MqttCodec::ReadResult r = MqttCodec::readAll(three, Version311);
    QCOMPARE(r.packets.size(), 3);
    QCOMPARE(r.consumed, three.size());

    ProtocolMessage m = decode(Version311, three);
    QCOMPARE(m.role, Role::Event);
    QCOMPARE(m.name, QStringLiteral("x/y"));
    QCOMPARE(field(m, QStringLiteral("packets")), QStringLiteral("3: PUBLISH, PINGRESP, PUBLISH"));
    QVERIFY2(m.type.startsWith(QLatin1String("PUBLISH (+2")), qPrintable(m.type));

    // A packet split over two messages: the first part is "incomplete", not an error.
    const QByteArray whole = MqttCodec::serialize(pub, Version311);
    for (int cut = 1; cut < whole.size(); ++cut) {
        r = MqttCodec::readAll(whole.left(cut), Version311);
        QVERIFY(r.error.isEmpty());
        QVERIFY(r.incomplete);
        QCOMPARE(r.consumed, 0);
        m = decode(Version311, whole.left(cut));
        QCOMPARE(m.role, Role::Control);
        QVERIFY2(m.type.contains(QLatin1String("incomplete")), qPrintable(m.type));
        QVERIFY(m.error.isEmpty());
    }
    r = MqttCodec::readAll(whole.left(3), Version311);
    QCOMPARE(r.incompleteType, PacketType::Publish);
    QCOMPARE(r.missing, qint64(whole.size() - 3));
    // One whole packet and the start of the next.
    m = decode(Version311, whole + whole.left(4));
    QCOMPARE(m.role, Role::Event);
    QCOMPARE(
        field(m, QStringLiteral("incomplete")), QStringLiteral("a packet continues in the next message"));
}

void tst_MqttCodec::malformed_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("type 0") << 4 << hex("0000") << "packet type 0";
    QTest::newRow("AUTH in 3.1.1") << 4 << hex("f000") << "packet type 15";
    QTest::newRow("PUBREL flags") << 4 << hex("60020001") << "invalid fixed header flags";
    QTest::newRow("SUBSCRIBE flags") << 4 << hex("80060001000161 00") << "invalid fixed header flags";
    QTest::newRow("PUBLISH QoS 3") << 4 << hex("3603000161") << "QoS 3";
    QTest::newRow("PUBLISH wildcard") << 4 << hex("300300012b") << "wildcard";
    QTest::newRow("PUBLISH id 0") << 4 << hex("32050001610000") << "packet identifier 0";
    QTest::newRow("string past end") << 4 << hex("30020009") << "ends inside its topic name";
    QTest::newRow("bad UTF-8") << 4 << hex("30030001ff") << "not valid UTF-8";
    QTest::newRow("null in string") << 4 << hex("3003000100") << "null character";
    QTest::newRow("CONNECT protocol")
        << 4 << hex("100c00044d51545804020000000161") << "unknown protocol name";
    QTest::newRow("CONNECT level") << 4 << hex("100d00044d5154540702003c000161")
                                   << "unsupported protocol level 7";
    QTest::newRow("CONNECT reserved flag")
        << 4 << hex("100d00044d5154540403003c000161") << "reserved connect flag";
    QTest::newRow("CONNECT will qos w/o will")
        << 4 << hex("100d00044d5154540408003c000161") << "invalid will flags";
    QTest::newRow("CONNACK extra") << 4 << hex("2003000000") << "unexpected byte";
    QTest::newRow("SUBSCRIBE empty") << 4 << hex("82020001") << "without a topic filter";
    QTest::newRow("SUBSCRIBE qos 3") << 4 << hex("820600010001 6103") << "invalid subscription options";
    QTest::newRow("SUBSCRIBE bad #") << 4 << hex("82070001000261 2300") << "# must be";
    QTest::newRow("SUBACK empty") << 4 << hex("90020001") << "no reason codes";
    QTest::newRow("PINGREQ body") << 4 << hex("c00100") << "unexpected byte";
    QTest::newRow("v5 unknown property")
        << 5 << hex("3006000161020400") << "unknown property identifier 0x04";
    QTest::newRow("v5 property past length") << 5 << hex("30070001610102 0101") << "";
    QTest::newRow("v5 property length past end") << 5 << hex("300400016109") << "ends inside its properties";
    QTest::newRow("v5 user property cut") << 5 << hex("3008000161042600 0161") << "";
}

void tst_MqttCodec::malformed()
{
    QFETCH(int, version);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const MqttCodec::ReadResult r = MqttCodec::readAll(bytes, version);
    QVERIFY(r.packets.isEmpty());
    QVERIFY2(!r.error.isEmpty(), bytes.toHex().constData());
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    QVERIFY(!r.error.contains(QLatin1Char('\n')));
    const ProtocolMessage m = decode(version, bytes);
    // decode() tries the other version before it calls a packet malformed.
    if (m.role == Role::Error) {
        QVERIFY(m.error.startsWith(QLatin1String("MQTT: ")));
        QCOMPARE(m.summary(), m.error);
    }
}

void tst_MqttCodec::reasonNames()
{
    QCOMPARE(MqttCodec::reasonName(0x87, PacketType::Connack, Version5), QStringLiteral("Not authorized"));
    QCOMPARE(MqttCodec::reasonName(5, PacketType::Connack, Version311), QStringLiteral("Not authorized"));
    QCOMPARE(MqttCodec::reasonName(1, PacketType::Connack, Version5),
        QStringLiteral("Unacceptable protocol version"));
    QCOMPARE(MqttCodec::reasonName(0, PacketType::Suback, Version5), QStringLiteral("Granted QoS 0"));
    QCOMPARE(MqttCodec::reasonName(0x80, PacketType::Suback, Version311), QStringLiteral("Failure"));
    QCOMPARE(
        MqttCodec::reasonName(0x10, PacketType::Puback, Version5), QStringLiteral("No matching subscribers"));
    QCOMPARE(
        MqttCodec::reasonName(0, PacketType::Disconnect, Version5), QStringLiteral("Normal disconnection"));
    QCOMPARE(
        MqttCodec::reasonName(0x8D, PacketType::Disconnect, Version5), QStringLiteral("Keep Alive timeout"));
    QCOMPARE(MqttCodec::reasonName(0x42, PacketType::Puback, Version5),
        QStringLiteral("Unknown reason code 0x42"));

    // A CONNACK refusal decodes as an Error row named by its reason code.
    ProtocolMessage m = decode(Version5, hex("2003008700"));
    QCOMPARE(m.role, Role::Error);
    QCOMPARE(m.name, QStringLiteral("Not authorized"));
    QCOMPARE(field(m, QStringLiteral("reason code")), QStringLiteral("0x87 Not authorized"));
    m = decode(Version311, hex("20020005"));
    QCOMPARE(m.role, Role::Error);
    QCOMPARE(m.name, QStringLiteral("Not authorized"));
    // aedes answers an MQTT 5 CONNECT with a 3.1.1 CONNACK (no properties): read, not malformed.
    m = decode(Version5, hex("20020001"));
    QCOMPARE(m.role, Role::Error);
    QCOMPARE(m.name, QStringLiteral("Unacceptable protocol version"));
}

void tst_MqttCodec::topics()
{
    QVERIFY(MqttCodec::topicMatches(QStringLiteral("a/+/c"), QStringLiteral("a/b/c")));
    QVERIFY(!MqttCodec::topicMatches(QStringLiteral("a/+/c"), QStringLiteral("a/b/d")));
    QVERIFY(MqttCodec::topicMatches(QStringLiteral("a/#"), QStringLiteral("a")));
    QVERIFY(MqttCodec::topicMatches(QStringLiteral("a/#"), QStringLiteral("a/b/c")));
    QVERIFY(MqttCodec::topicMatches(QStringLiteral("#"), QStringLiteral("x/y")));
    QVERIFY(!MqttCodec::topicMatches(QStringLiteral("#"), QStringLiteral("$SYS/x")));
    QVERIFY(!MqttCodec::topicMatches(QStringLiteral("+/x"), QStringLiteral("$SYS/x")));
    QVERIFY(MqttCodec::topicMatches(QStringLiteral("$SYS/#"), QStringLiteral("$SYS/x")));
    QVERIFY(MqttCodec::topicMatches(QStringLiteral("a/+"), QStringLiteral("a/")));
    QVERIFY(!MqttCodec::topicMatches(QStringLiteral("a/b"), QStringLiteral("a/b/c")));
    QVERIFY(MqttCodec::checkTopic(QStringLiteral("a/#/b"), true).contains(QLatin1String("# must be")));
    QVERIFY(MqttCodec::checkTopic(QStringLiteral("a+"), true).contains(QLatin1String("+ must be")));
    QVERIFY(MqttCodec::checkTopic(QStringLiteral("a/+"), false).contains(QLatin1String("wildcard")));
    QVERIFY(MqttCodec::checkTopic(QString(), true).contains(QLatin1String("empty")));
    QVERIFY(MqttCodec::checkTopic(QStringLiteral("a/+/#"), true).isEmpty());
}

void tst_MqttCodec::decodeMessages()
{
    MqttPacket pub;
    pub.type = PacketType::Publish;
    pub.topic = QStringLiteral("sensors/1");
    pub.qos = 1;
    pub.packetId = 7;
    pub.retain = true;
    pub.payload = "{\"t\":21.5}";
    ProtocolMessage m = decode(Version311, MqttCodec::serialize(pub, Version311));
    QCOMPARE(m.role, Role::Event);
    QCOMPARE(m.type, QStringLiteral("PUBLISH"));
    QCOMPARE(m.name, QStringLiteral("sensors/1"));
    QCOMPARE(m.id, QStringLiteral("7"));
    QCOMPARE(m.qos, 1);
    QCOMPARE(m.data.toObject().value(QStringLiteral("t")).toDouble(), 21.5);
    QCOMPARE(field(m, QStringLiteral("retain")), QStringLiteral("true"));
    QCOMPARE(m.summary(), QStringLiteral("PUBLISH sensors/1 #7 q1 {\"t\":21.5}"));

    pub.payload = QByteArray("\x01\x02not json", 10);
    m = decode(Version311, MqttCodec::serialize(pub, Version311));
    QVERIFY(m.data.isUndefined());
    QCOMPARE(m.body, pub.payload);

    MqttPacket p;
    p.type = PacketType::Pingreq;
    QCOMPARE(decode(Version311, MqttCodec::serialize(p, Version311)).role, Role::KeepAlive);
    p.type = PacketType::Pingresp;
    QCOMPARE(decode(Version5, MqttCodec::serialize(p, Version5)).role, Role::KeepAlive);
    p.type = PacketType::Connack;
    QCOMPARE(decode(Version5, MqttCodec::serialize(p, Version5)).role, Role::Handshake);
    p.type = PacketType::Pubcomp;
    p.packetId = 3;
    m = decode(Version5, MqttCodec::serialize(p, Version5));
    QCOMPARE(m.summary(), QStringLiteral("PUBCOMP #3"));
    QCOMPARE(m.role, Role::Reply);
    QCOMPARE(m.id, QStringLiteral("3"));
    QCOMPARE(field(m, QStringLiteral("reason code")), QStringLiteral("0x00 Success"));
    p.type = PacketType::Suback;
    p.reasonCodes = { 1 };
    m = decode(Version311, MqttCodec::serialize(p, Version311));
    QCOMPARE(m.role, Role::Reply);
    QCOMPARE(m.qos, 1);
    QCOMPARE(field(m, QStringLiteral("reason codes")), QStringLiteral("0x01 Granted QoS 1"));
    p.reasonCodes = { 0x80 };
    QCOMPARE(decode(Version311, MqttCodec::serialize(p, Version311)).role, Role::Error);

    // A v5 packet in a tab set to 3.1.1 (a server hears both): read as v5 when 3.1.1 fails.
    MqttPacket v5sub;
    v5sub.type = PacketType::Subscribe;
    v5sub.packetId = 2;
    v5sub.subscriptions = { { QStringLiteral("a/#"), 0x05 } };
    v5sub.properties = { { 0x26, 0, QStringLiteral("a"), QStringLiteral("b"), {} } };
    m = decode(Version311, MqttCodec::serialize(v5sub, Version5));
    QCOMPARE(m.role, Role::Control);
    QCOMPARE(field(m, QStringLiteral("User Property")), QStringLiteral("a: b"));

    // A text message is not MQTT over WebSocket.
    m = decode(Version311, "hello", Kind::Text);
    QCOMPARE(m.role, Role::Error);
    QVERIFY(m.error.contains(QLatin1String("binary")));
    QCOMPARE(decode(Version311, "x", Kind::Ping).role, Role::None);
}

void tst_MqttCodec::toJsonKeys()
{
    ProtocolOptions options;
    options.id = ProtocolId::Mqtt;
    options.params.insert(QStringLiteral("version"), 5);
    const auto protocol = Protocol::create(options);
    MqttPacket pub;
    pub.type = PacketType::Publish;
    pub.topic = QStringLiteral("a/b");
    pub.qos = 2;
    pub.packetId = 9;
    pub.retain = true;
    pub.payload = "[1,2]";
    pub.properties = { { 0x26, 0, QStringLiteral("k"), QStringLiteral("v"), {} },
        { 0x03, 0, QStringLiteral("application/json"), {}, {} } };
    const QJsonObject o = protocol->toJson(
        protocol->decode(Direction::In, Kind::Binary, MqttCodec::serialize(pub, Version5)));
    QCOMPARE(o.value(QStringLiteral("packet")).toString(), QStringLiteral("PUBLISH"));
    QCOMPARE(o.value(QStringLiteral("topic")).toString(), QStringLiteral("a/b"));
    QCOMPARE(o.value(QStringLiteral("qos")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("payload")).toArray(), (QJsonArray { 1, 2 }));
    QCOMPARE(o.value(QStringLiteral("retain")).toBool(), true);
    const QJsonObject props = o.value(QStringLiteral("properties")).toObject();
    QCOMPARE(props.value(QStringLiteral("Content Type")).toString(), QStringLiteral("application/json"));
    QJsonArray userProperties; // by hand: with clang, QJsonArray { QJsonArray { … } } is the copy
    userProperties.append(QJsonArray { QStringLiteral("k"), QStringLiteral("v") });
    QCOMPARE(props.value(QStringLiteral("User Property")).toArray(), userProperties);
    pub.payload = "plain text";
    pub.properties.clear();
    const QJsonObject plain = protocol->toJson(
        protocol->decode(Direction::In, Kind::Binary, MqttCodec::serialize(pub, Version5)));
    QCOMPARE(plain.value(QStringLiteral("payload")).toString(), QStringLiteral("plain text"));
    QVERIFY(!plain.contains(QStringLiteral("properties")));
}

void tst_MqttCodec::garbageNeverCrashes()
{
    // Every prefix and every one-byte corruption of a rich v5 packet sequence, both versions.
    MqttPacket c;
    c.type = PacketType::Connect;
    c.protocolLevel = Version5;
    c.clientId = QStringLiteral("id");
    c.hasWill = true;
    c.willTopic = QStringLiteral("w");
    c.willProperties = { { 0x26, 0, QStringLiteral("a"), QStringLiteral("b"), {} } };
    c.properties = { { 0x11, 60, {}, {}, {} } };
    MqttPacket s;
    s.type = PacketType::Subscribe;
    s.packetId = 1;
    s.subscriptions = { { QStringLiteral("a/#"), 2 } };
    const QByteArray seq = MqttCodec::serialize(c, Version5) + MqttCodec::serialize(s, Version5);
    int errors = 0;
    for (int version : { Version311, Version5 }) {
        for (int i = 0; i < seq.size(); ++i) {
            (void)decode(version, seq.left(i)).summary();
            for (int bit = 0; bit < 8; ++bit) {
                QByteArray bad = seq;
                bad[i] = char(bad[i] ^ (1 << bit));
                const ProtocolMessage m = decode(version, bad);
                (void)m.summary();
                if (m.role == Role::Error)
                    ++errors;
            }
        }
    }
    QVERIFY(errors > 0);
}

void tst_MqttCodec::fuzzSeeds()
{
    // The seeds of fuzz_protocols are real packets (0x26: 3.1.1, 0x27: 5; 0x10 set: outgoing):
    // each decodes as what its name says, so the fuzzer starts from valid MQTT.
    const QDir dir(QStringLiteral(WST_SOURCE_DIR "/tests/fuzz/corpus/protocols"));
    const QStringList seeds = dir.entryList({ QStringLiteral("mqtt*") }, QDir::Files);
    QVERIFY(seeds.size() >= 10);
    for (const QString &name : seeds) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const quint8 selector = quint8(bytes.at(0));
        QVERIFY2((selector & 0x2f) == 0x26 || (selector & 0x2f) == 0x27, qPrintable(name));
        const ProtocolMessage m = decode((selector & 0x0f) == 0x07 ? Version5 : Version311, bytes.mid(1));
        if (name == QLatin1String("mqtt-long-length"))
            QVERIFY(m.error.contains(QLatin1String("longer than 4 bytes")));
        else if (name == QLatin1String("mqtt-split"))
            QCOMPARE(m.type, QStringLiteral("PUBLISH (incomplete)"));
        else
            QVERIFY2(m.error.isEmpty() && field(m, QStringLiteral("error")) == QLatin1String("<none>"),
                qPrintable(name + QStringLiteral(": ") + m.summary()));
    }
}

QTEST_GUILESS_MAIN(tst_MqttCodec)
#include "tst_MqttCodec.moc"
