// The names of MQTT packet types, reason codes and properties, and topic checks: the tables of
// the specification, kept apart from the codec's parsing.
#include "MqttCodec.h"

#include <QStringList>

namespace wst::mqtt {

namespace {
struct PropertyInfo
{
    quint8 id;
    PropertyType type;
    const char *name;
};

constexpr PropertyInfo Properties[] = {
    { 0x01, PropertyType::Byte, "Payload Format Indicator" },
    { 0x02, PropertyType::FourByte, "Message Expiry Interval" },
    { 0x03, PropertyType::String, "Content Type" },
    { 0x08, PropertyType::String, "Response Topic" },
    { 0x09, PropertyType::Binary, "Correlation Data" },
    { 0x0B, PropertyType::VarInt, "Subscription Identifier" },
    { 0x11, PropertyType::FourByte, "Session Expiry Interval" },
    { 0x12, PropertyType::String, "Assigned Client Identifier" },
    { 0x13, PropertyType::TwoByte, "Server Keep Alive" },
    { 0x15, PropertyType::String, "Authentication Method" },
    { 0x16, PropertyType::Binary, "Authentication Data" },
    { 0x17, PropertyType::Byte, "Request Problem Information" },
    { 0x18, PropertyType::FourByte, "Will Delay Interval" },
    { 0x19, PropertyType::Byte, "Request Response Information" },
    { 0x1A, PropertyType::String, "Response Information" },
    { 0x1C, PropertyType::String, "Server Reference" },
    { 0x1F, PropertyType::String, "Reason String" },
    { 0x21, PropertyType::TwoByte, "Receive Maximum" },
    { 0x22, PropertyType::TwoByte, "Topic Alias Maximum" },
    { 0x23, PropertyType::TwoByte, "Topic Alias" },
    { 0x24, PropertyType::Byte, "Maximum QoS" },
    { 0x25, PropertyType::Byte, "Retain Available" },
    { 0x26, PropertyType::StringPair, "User Property" },
    { 0x27, PropertyType::FourByte, "Maximum Packet Size" },
    { 0x28, PropertyType::Byte, "Wildcard Subscription Available" },
    { 0x29, PropertyType::Byte, "Subscription Identifier Available" },
    { 0x2A, PropertyType::Byte, "Shared Subscription Available" },
};

const PropertyInfo *findProperty(quint8 id)
{
    for (const PropertyInfo &p : Properties)
        if (p.id == id)
            return &p;
    return nullptr;
}

const char *reason5(quint8 code)
{
    switch (code) {
    case 0x00:
        return "Success";
    case 0x01:
        return "Granted QoS 1";
    case 0x02:
        return "Granted QoS 2";
    case 0x04:
        return "Disconnect with Will Message";
    case 0x10:
        return "No matching subscribers";
    case 0x11:
        return "No subscription existed";
    case 0x18:
        return "Continue authentication";
    case 0x19:
        return "Re-authenticate";
    case 0x80:
        return "Unspecified error";
    case 0x81:
        return "Malformed Packet";
    case 0x82:
        return "Protocol Error";
    case 0x83:
        return "Implementation specific error";
    case 0x84:
        return "Unsupported Protocol Version";
    case 0x85:
        return "Client Identifier not valid";
    case 0x86:
        return "Bad User Name or Password";
    case 0x87:
        return "Not authorized";
    case 0x88:
        return "Server unavailable";
    case 0x89:
        return "Server busy";
    case 0x8A:
        return "Banned";
    case 0x8B:
        return "Server shutting down";
    case 0x8C:
        return "Bad authentication method";
    case 0x8D:
        return "Keep Alive timeout";
    case 0x8E:
        return "Session taken over";
    case 0x8F:
        return "Topic Filter invalid";
    case 0x90:
        return "Topic Name invalid";
    case 0x91:
        return "Packet Identifier in use";
    case 0x92:
        return "Packet Identifier not found";
    case 0x93:
        return "Receive Maximum exceeded";
    case 0x94:
        return "Topic Alias invalid";
    case 0x95:
        return "Packet too large";
    case 0x96:
        return "Message rate too high";
    case 0x97:
        return "Quota exceeded";
    case 0x98:
        return "Administrative action";
    case 0x99:
        return "Payload format invalid";
    case 0x9A:
        return "Retain not supported";
    case 0x9B:
        return "QoS not supported";
    case 0x9C:
        return "Use another server";
    case 0x9D:
        return "Server moved";
    case 0x9E:
        return "Shared Subscriptions not supported";
    case 0x9F:
        return "Connection rate exceeded";
    case 0xA0:
        return "Maximum connect time";
    case 0xA1:
        return "Subscription Identifiers not supported";
    case 0xA2:
        return "Wildcard Subscriptions not supported";
    default:
        return nullptr;
    }
}
} // namespace

const MqttProperty *MqttPacket::property(quint8 id) const
{
    for (const MqttProperty &p : properties)
        if (p.id == id)
            return &p;
    return nullptr;
}

quint32 MqttPacket::propertyNumber(quint8 id, quint32 fallback) const
{
    const MqttProperty *p = property(id);
    return p ? p->number : fallback;
}

QString MqttCodec::typeName(PacketType type)
{
    static const char *const names[]
        = { "", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
              "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH" };
    const int i = int(type);
    return i >= 0 && i < 16 ? QLatin1String(names[i]) : QString();
}

// Reason code names are the specification's own words (like the packet names), not translated.
QString MqttCodec::reasonName(quint8 code, PacketType type, int version)
{
    // CONNACK codes 1-5 are 3.1.1 return codes even on a v5 connection (see MqttCodec::parse).
    if (version != Version5 || (type == PacketType::Connack && code > 0 && code < 6)) {
        if (type == PacketType::Connack) {
            static const char *const names[] = { "Connection Accepted", "Unacceptable protocol version",
                "Identifier rejected", "Server unavailable", "Bad user name or password", "Not authorized" };
            return code < 6 ? QLatin1String(names[code]) : QStringLiteral("Unknown return code %1").arg(code);
        }
        if (type == PacketType::Suback) {
            if (code <= 2)
                return QStringLiteral("Granted QoS %1").arg(code);
            return code == 0x80 ? QStringLiteral("Failure")
                                : QStringLiteral("Unknown return code %1").arg(code);
        }
    }
    if (code == 0x00) {
        if (type == PacketType::Suback)
            return QStringLiteral("Granted QoS 0");
        if (type == PacketType::Disconnect)
            return QStringLiteral("Normal disconnection");
    }
    if (const char *name = reason5(code))
        return QLatin1String(name);
    return QStringLiteral("Unknown reason code 0x%1").arg(code, 2, 16, QLatin1Char('0'));
}

QString MqttCodec::propertyName(quint8 id)
{
    const PropertyInfo *p = findProperty(id);
    return p ? QLatin1String(p->name) : QString();
}

std::optional<PropertyType> MqttCodec::propertyType(quint8 id)
{
    const PropertyInfo *p = findProperty(id);
    return p ? std::optional<PropertyType>(p->type) : std::nullopt;
}

QString MqttCodec::propertyText(const MqttProperty &property)
{
    const std::optional<PropertyType> type = propertyType(property.id);
    if (!type)
        return {};
    switch (*type) {
    case PropertyType::Byte:
    case PropertyType::TwoByte:
    case PropertyType::FourByte:
    case PropertyType::VarInt:
        return QString::number(property.number);
    case PropertyType::String:
        return property.string;
    case PropertyType::Binary:
        return QString::fromLatin1(property.binary.toHex());
    case PropertyType::StringPair:
        return property.string + QStringLiteral(": ") + property.value;
    }
    return {};
}

QString MqttCodec::checkTopic(const QString &topic, bool filter)
{
    if (topic.isEmpty())
        return filter ? tr("empty topic filter") : tr("empty topic name");
    if (topic.toUtf8().size() > 0xffff)
        return tr("the topic is longer than 65535 bytes");
    if (!filter) {
        if (topic.contains(QLatin1Char('+')) || topic.contains(QLatin1Char('#')))
            return tr("the topic name \"%1\" contains a wildcard (+ or #)").arg(topic.left(80));
        return {};
    }
    const QStringList levels = topic.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const QString &level = levels[i];
        if (level.contains(QLatin1Char('#')) && (level.size() != 1 || i != levels.size() - 1))
            return tr("in the topic filter \"%1\", # must be a whole last level").arg(topic.left(80));
        if (level.contains(QLatin1Char('+')) && level.size() != 1)
            return tr("in the topic filter \"%1\", + must be a whole level").arg(topic.left(80));
    }
    return {};
}

bool MqttCodec::topicMatches(const QString &filter, const QString &topic)
{
    // Wildcards at the first level do not match $SYS-like topics (4.7.2).
    if (topic.startsWith(QLatin1Char('$'))
        && (filter.startsWith(QLatin1Char('+')) || filter.startsWith(QLatin1Char('#'))))
        return false;
    const QStringList f = filter.split(QLatin1Char('/'));
    const QStringList t = topic.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < f.size(); ++i) {
        if (f[i] == QLatin1String("#"))
            return true; // also matches the parent level: "a/#" matches "a"
        if (i >= t.size())
            return false;
        if (f[i] != QLatin1String("+") && f[i] != t[i])
            return false;
    }
    return f.size() == t.size();
}

} // namespace wst::mqtt
