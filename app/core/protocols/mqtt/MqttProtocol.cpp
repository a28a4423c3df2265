#include "MqttProtocol.h"

#include "MqttClient.h"
#include "MqttCodec.h"
#include "MqttServer.h"
#include "connection/ConnectionOptions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace wst {

using namespace mqtt;

namespace {
using Role = ProtocolMessage::Role;

QString yesNo(bool v)
{
    return v ? QStringLiteral("true") : QStringLiteral("false");
}

QString reasonText(quint8 code, PacketType type, int version)
{
    return QStringLiteral("0x%1 %2")
        .arg(code, 2, 16, QLatin1Char('0'))
        .arg(MqttCodec::reasonName(code, type, version));
}
} // namespace

MqttProtocol::MqttProtocol(const ProtocolOptions &options)
    : Protocol(options)
{
}

int MqttProtocol::version() const
{
    return options().integer(QStringLiteral("version"), Version311) == Version5 ? Version5 : Version311;
}

int MqttProtocol::keepAlive() const
{
    return qBound(0, options().integer(QStringLiteral("keepAlive"), 60), 65535);
}

MqttPacket MqttProtocol::connectPacket() const
{
    MqttPacket p;
    p.type = PacketType::Connect;
    p.protocolLevel = version();
    p.clientId = options().string(QStringLiteral("clientId"));
    if (p.clientId.isEmpty())
        p.clientId = QStringLiteral("wstester-%1")
                         .arg(QRandomGenerator::global()->bounded(0x1000000), 6, 16, QLatin1Char('0'));
    p.cleanStart = options().boolean(QStringLiteral("cleanStart"), true);
    p.keepAlive = quint16(keepAlive());
    p.username = options().string(QStringLiteral("username"));
    p.hasUsername = !p.username.isEmpty();
    const QString password = options().string(QStringLiteral("password"));
    p.password = password.toUtf8();
    p.hasPassword = !password.isEmpty();
    const QJsonObject will = options().params.value(QStringLiteral("will")).toObject();
    if (!will.value(QStringLiteral("topic")).toString().isEmpty()) {
        p.hasWill = true;
        p.willTopic = will.value(QStringLiteral("topic")).toString();
        const QJsonValue payload = will.value(QStringLiteral("payload"));
        p.willPayload = payload.isString()
            ? payload.toString().toUtf8()
            : QJsonDocument::fromVariant(payload.toVariant()).toJson(QJsonDocument::Compact);
        p.willQos = qBound(0, will.value(QStringLiteral("qos")).toInt(0), 2);
        p.willRetain = will.value(QStringLiteral("retain")).toBool(false);
    }
    const int expiry = options().integer(QStringLiteral("sessionExpiry"), 0);
    if (p.protocolLevel == Version5 && expiry > 0)
        p.properties.append(MqttProperty { 0x11, quint32(expiry), {}, {}, {} });
    return p;
}

QString MqttProtocol::validate() const
{
    const QJsonObject &params = options().params;
    const QJsonValue v = params.value(QStringLiteral("version"));
    if (!v.isUndefined() && v.toInt(-1) != Version311 && v.toInt(-1) != Version5)
        return tr("MQTT: \"version\" must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0).");
    const QJsonValue k = params.value(QStringLiteral("keepAlive"));
    if (!k.isUndefined() && (!k.isDouble() || k.toInt(-1) < 0 || k.toInt(-1) > 65535))
        return tr("MQTT: \"keepAlive\" must be a number of seconds from 0 to 65535.");
    if (options().string(QStringLiteral("clientId")).toUtf8().size() > 65535)
        return tr("MQTT: \"clientId\" is longer than 65535 bytes.");
    const QJsonValue w = params.value(QStringLiteral("will"));
    if (!w.isUndefined() && !w.isNull()) {
        if (!w.isObject())
            return tr("MQTT: \"will\" must be an object with \"topic\" and \"payload\".");
        const QJsonObject will = w.toObject();
        const QString topic = will.value(QStringLiteral("topic")).toString();
        if (!topic.isEmpty())
            if (const QString bad = MqttCodec::checkTopic(topic, false); !bad.isEmpty())
                return tr("MQTT: will topic: %1.").arg(bad);
        const int qos = will.value(QStringLiteral("qos")).toInt(0);
        if (qos < 0 || qos > 2)
            return tr("MQTT: the will's \"qos\" must be 0, 1 or 2.");
    }
    return {};
}

void MqttProtocol::prepare(ConnectionOptions &options) const
{
    if (options.subprotocols.isEmpty())
        options.subprotocols.append(QStringLiteral("mqtt"));
}

QStringList MqttProtocol::serverSubprotocols() const
{
    return { QStringLiteral("mqtt") };
}

QJsonValue MqttProtocol::payloadJson(const QByteArray &payload)
{
    if (payload.isEmpty())
        return QJsonValue::Undefined;
    QJsonParseError error;
    // Wrapped in an array so that scalars ("hi", 42, true) parse too.
    const QJsonDocument doc = QJsonDocument::fromJson('[' + payload + ']', &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return QJsonValue::Undefined;
    return doc.array().first();
}

void MqttProtocol::addProperties(ProtocolFields *fields, const MqttProperties &properties)
{
    for (const MqttProperty &p : properties)
        fields->append({ MqttCodec::propertyName(p.id), MqttCodec::propertyText(p) });
}

ProtocolMessage MqttProtocol::describe(const MqttPacket &p, int version)
{
    ProtocolMessage m;
    m.data = QJsonValue(QJsonValue::Undefined); // not null: "no content" prints nothing
    m.type = MqttCodec::typeName(p.type);
    const bool v5 = version == Version5;
    auto idText = [&p] { return QString::number(p.packetId); };
    switch (p.type) {
    case PacketType::Connect:
        m.role = Role::Handshake;
        m.name = p.clientId;
        m.fields.append({ QStringLiteral("protocol"),
            p.protocolLevel == Version5 ? QStringLiteral("MQTT 5.0")
                : p.protocolLevel == 3  ? QStringLiteral("MQTT 3.1")
                                        : QStringLiteral("MQTT 3.1.1") });
        m.fields.append({ QStringLiteral("client id"), p.clientId });
        m.fields.append({ QStringLiteral("clean start"), yesNo(p.cleanStart) });
        m.fields.append({ QStringLiteral("keep alive"), QString::number(p.keepAlive) });
        if (p.hasUsername)
            m.fields.append({ QStringLiteral("user name"), p.username });
        if (p.hasPassword)
            m.fields.append({ QStringLiteral("password"), QStringLiteral("••••") });
        if (p.hasWill) {
            m.fields.append({ QStringLiteral("will topic"), p.willTopic });
            m.fields.append({ QStringLiteral("will payload"), QString::fromUtf8(p.willPayload) });
            m.fields.append({ QStringLiteral("will qos"), QString::number(p.willQos) });
            m.fields.append({ QStringLiteral("will retain"), yesNo(p.willRetain) });
            addProperties(&m.fields, p.willProperties);
        }
        break;
    case PacketType::Connack:
        m.role = p.reasonCode == 0 ? Role::Handshake : Role::Error;
        if (p.reasonCode != 0)
            m.name = MqttCodec::reasonName(p.reasonCode, p.type, version);
        m.fields.append({ QStringLiteral("session present"), yesNo(p.sessionPresent) });
        m.fields.append({ QStringLiteral("reason code"), reasonText(p.reasonCode, p.type, version) });
        break;
    case PacketType::Publish:
        m.role = Role::Event;
        m.name = p.topic;
        m.qos = p.qos;
        if (p.qos > 0)
            m.id = idText();
        m.data = payloadJson(p.payload);
        if (m.data.isUndefined())
            m.body = p.payload;
        m.fields.append({ QStringLiteral("dup"), yesNo(p.dup) });
        m.fields.append({ QStringLiteral("retain"), yesNo(p.retain) });
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        m.role = p.reasonCode >= 0x80 ? Role::Error : Role::Reply;
        m.id = idText();
        if (p.reasonCode >= 0x80)
            m.name = MqttCodec::reasonName(p.reasonCode, p.type, version);
        if (v5)
            m.fields.append({ QStringLiteral("reason code"), reasonText(p.reasonCode, p.type, version) });
        break;
    case PacketType::Subscribe: {
        m.role = Role::Control;
        m.id = idText();
        QStringList names;
        for (const MqttSubscription &s : p.subscriptions) {
            names.append(s.filter);
            m.fields.append(
                { QStringLiteral("topic filter"), QStringLiteral("%1 (QoS %2)").arg(s.filter).arg(s.qos()) });
        }
        m.name = names.join(QStringLiteral(", "));
        m.qos = p.subscriptions.isEmpty() ? -1 : p.subscriptions.first().qos();
        break;
    }
    case PacketType::Suback:
    case PacketType::Unsuback: {
        m.role = Role::Reply;
        m.id = idText();
        QStringList codes;
        bool allFailed = !p.reasonCodes.isEmpty();
        for (quint8 code : p.reasonCodes) {
            codes.append(reasonText(code, p.type, version));
            allFailed = allFailed && code >= 0x80;
        }
        if (allFailed)
            m.role = Role::Error;
        if (p.type == PacketType::Suback && !p.reasonCodes.isEmpty() && p.reasonCodes.first() <= 2)
            m.qos = p.reasonCodes.first();
        if (!codes.isEmpty())
            m.fields.append({ QStringLiteral("reason codes"), codes.join(QStringLiteral(", ")) });
        break;
    }
    case PacketType::Unsubscribe:
        m.role = Role::Control;
        m.id = idText();
        m.name = p.filters.join(QStringLiteral(", "));
        break;
    case PacketType::Pingreq:
    case PacketType::Pingresp:
        m.role = Role::KeepAlive;
        break;
    case PacketType::Disconnect:
    case PacketType::Auth:
        m.role = p.type == PacketType::Auth ? Role::Handshake : Role::Control;
        if (p.reasonCode >= 0x80) {
            m.role = Role::Error;
            m.name = MqttCodec::reasonName(p.reasonCode, p.type, version);
        }
        if (v5)
            m.fields.append({ QStringLiteral("reason code"), reasonText(p.reasonCode, p.type, version) });
        break;
    case PacketType::Reserved:
        break;
    }
    addProperties(&m.fields, p.properties);
    return m;
}

ProtocolMessage MqttProtocol::decode(Direction, Kind kind, const QByteArray &payload) const
{
    if (kind != Kind::Text && kind != Kind::Binary)
        return {};
    ProtocolMessage m;
    m.data = QJsonValue(QJsonValue::Undefined);
    if (kind == Kind::Text) {
        m.role = Role::Error;
        m.type = QStringLiteral("MQTT");
        m.error = tr("MQTT: a text message (MQTT over WebSocket sends binary messages)");
        return m;
    }
    int readVersion = version();
    MqttCodec::ReadResult r = MqttCodec::readAll(payload, readVersion);
    if (!r.error.isEmpty() && r.packets.isEmpty()) {
        // A server tab hears clients of both versions: try the other one before giving up.
        const int other = readVersion == Version5 ? Version311 : Version5;
        MqttCodec::ReadResult second = MqttCodec::readAll(payload, other);
        if (second.error.isEmpty() && !second.packets.isEmpty()) {
            r = second;
            readVersion = other;
        }
    }
    if (r.packets.isEmpty()) {
        if (!r.error.isEmpty()) {
            m.role = Role::Error;
            m.type = payload.isEmpty() ? QStringLiteral("MQTT")
                                       : MqttCodec::typeName(PacketType(quint8(payload[0]) >> 4));
            if (m.type.isEmpty())
                m.type = QStringLiteral("MQTT");
            m.error = tr("MQTT: %1").arg(r.error);
            return m;
        }
        m.role = Role::Control;
        const QString type = MqttCodec::typeName(r.incompleteType);
        m.type = tr("%1 (incomplete)").arg(type.isEmpty() ? QStringLiteral("MQTT") : type);
        m.fields.append({ QStringLiteral("incomplete"),
            r.missing > 0
                ? tr("%n more byte(s) in the next message", nullptr, int(qMin<qint64>(r.missing, INT_MAX)))
                : tr("the packet's length is cut") });
        m.body = payload.left(200);
        return m;
    }
    // Packets after a CONNECT are read with its version; describe each with the version it had.
    m = describe(r.packets.first(),
        r.packets.first().type == PacketType::Connect ? r.packets.first().protocolLevel : readVersion);
    if (r.packets.size() > 1 || r.incomplete || !r.error.isEmpty()) {
        QStringList types;
        for (const MqttPacket &p : r.packets)
            types.append(MqttCodec::typeName(p.type));
        if (r.packets.size() > 1) {
            m.type = tr("%1 (+%n packet(s))", nullptr, int(r.packets.size() - 1)).arg(m.type);
            m.fields.prepend({ QStringLiteral("packets"),
                QStringLiteral("%1: %2").arg(r.packets.size()).arg(types.join(QStringLiteral(", "))) });
        }
        if (r.incomplete)
            m.fields.append({ QStringLiteral("incomplete"), tr("a packet continues in the next message") });
        if (!r.error.isEmpty()) {
            m.fields.append({ QStringLiteral("error"), r.error });
            m.role = Role::Error;
        }
    }
    return m;
}

QJsonObject MqttProtocol::toJson(const ProtocolMessage &message) const
{
    QJsonObject o = message.toJson();
    if (!message.isProtocol())
        return o;
    o.insert(QStringLiteral("packet"), message.type.section(QLatin1Char(' '), 0, 0));
    if (message.type.startsWith(QLatin1String("PUBLISH"))) {
        o.insert(QStringLiteral("topic"), message.name);
        if (!message.data.isUndefined())
            o.insert(QStringLiteral("payload"), message.data);
        else
            o.insert(QStringLiteral("payload"), QString::fromUtf8(message.body));
    }
    if (message.qos >= 0)
        o.insert(QStringLiteral("qos"), message.qos);
    QJsonObject properties;
    QJsonArray user;
    for (const auto &field : message.fields) {
        if (field.first == QLatin1String("retain"))
            o.insert(QStringLiteral("retain"), field.second == QLatin1String("true"));
        else if (field.first == QLatin1String("User Property"))
            user.append(QJsonArray { field.second.section(QStringLiteral(": "), 0, 0),
                field.second.section(QStringLiteral(": "), 1) });
        else if (field.first.contains(QLatin1Char(' ')) && field.first.at(0).isUpper())
            properties.insert(field.first, field.second); // property names are Title Case
    }
    if (!user.isEmpty())
        properties.insert(QStringLiteral("User Property"), user);
    if (!properties.isEmpty())
        o.insert(QStringLiteral("properties"), properties);
    return o;
}

std::unique_ptr<ProtocolClient> MqttProtocol::createClient(ProtocolClientSink *sink) const
{
    return std::make_unique<MqttClient>(shared_from_this(), sink);
}

std::unique_ptr<ProtocolServer> MqttProtocol::createServer(ProtocolServerSink *sink) const
{
    return std::make_unique<MqttServer>(shared_from_this(), sink);
}

QStringList MqttProtocol::verbs() const
{
    return { QStringLiteral("subscribe"), QStringLiteral("unsubscribe"), QStringLiteral("stop"),
        QStringLiteral("publish"), QStringLiteral("disconnect") };
}

} // namespace wst
