#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace wst::mqtt {

// MQTT control packet types (the high nibble of the fixed header).
enum class PacketType : quint8 {
    Reserved = 0,
    Connect = 1,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Pingreq,
    Pingresp,
    Disconnect,
    Auth, // MQTT 5 only
};

constexpr int Version311 = 4;
constexpr int Version5 = 5;

// The wire types of MQTT 5 properties (section 2.2.2.2).
enum class PropertyType : quint8 { Byte, TwoByte, FourByte, VarInt, String, Binary, StringPair };

// One MQTT 5 property: `number` for the integer types, `string` (+ `value` for a user property's
// value) for strings, `binary` for binary data.
struct MqttProperty
{
    quint8 id = 0;
    quint32 number = 0;
    QString string;
    QString value;
    QByteArray binary;

    bool operator==(const MqttProperty &o) const
    {
        return id == o.id && number == o.number && string == o.string && value == o.value
            && binary == o.binary;
    }
};
using MqttProperties = QList<MqttProperty>;

struct MqttSubscription
{
    QString filter;
    quint8 options = 0; // bits 0-1 QoS; MQTT 5: bit 2 no local, 3 retain as published, 4-5 retain handling
    int qos() const { return options & 0x03; }
    bool operator==(const MqttSubscription &o) const { return filter == o.filter && options == o.options; }
};

// One decoded control packet. Only the members of its type are meaningful.
struct MqttPacket
{
    PacketType type = PacketType::Reserved;
    quint8 flags = 0; // the fixed header's low nibble

    // CONNECT
    QString protocolName = QStringLiteral("MQTT");
    int protocolLevel = Version311;
    bool cleanStart = true;
    quint16 keepAlive = 0;
    QString clientId;
    bool hasWill = false;
    QString willTopic;
    QByteArray willPayload;
    int willQos = 0;
    bool willRetain = false;
    MqttProperties willProperties;
    bool hasUsername = false;
    QString username;
    bool hasPassword = false;
    QByteArray password;

    // CONNACK
    bool sessionPresent = false;
    // CONNACK, PUBACK..PUBCOMP, DISCONNECT, AUTH (MQTT 5 reason code; 3.1.1 CONNACK return code)
    quint8 reasonCode = 0;

    // PUBLISH
    QString topic;
    int qos = 0;
    bool dup = false;
    bool retain = false;
    QByteArray payload;

    // PUBLISH (QoS > 0), PUBACK..PUBCOMP, SUBSCRIBE..UNSUBACK
    quint16 packetId = 0;

    QList<MqttSubscription> subscriptions; // SUBSCRIBE
    QStringList filters; // UNSUBSCRIBE
    QList<quint8> reasonCodes; // SUBACK, UNSUBACK (MQTT 5)

    MqttProperties properties; // MQTT 5

    const MqttProperty *property(quint8 id) const;
    quint32 propertyNumber(quint8 id, quint32 fallback) const;
};

} // namespace wst::mqtt
