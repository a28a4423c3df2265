// Writing MQTT packets (3.1.1 and 5.0): MqttCodec::serialize and its helpers.
#include "MqttCodec.h"

namespace wst::mqtt {

namespace {

void putU16(QByteArray &out, quint32 v)
{
    out.append(char((v >> 8) & 0xff));
    out.append(char(v & 0xff));
}

void putVarInt(QByteArray &out, quint32 v)
{
    do {
        quint8 b = v & 0x7f;
        v >>= 7;
        if (v)
            b |= 0x80;
        out.append(char(b));
    } while (v);
}

void putBinary(QByteArray &out, const QByteArray &data)
{
    const QByteArray d = data.left(0xffff);
    putU16(out, quint32(d.size()));
    out.append(d);
}

void putString(QByteArray &out, const QString &s)
{
    putBinary(out, s.toUtf8());
}

void putProperties(QByteArray &out, const MqttProperties &properties)
{
    QByteArray body;
    for (const MqttProperty &p : properties) {
        const std::optional<PropertyType> type = MqttCodec::propertyType(p.id);
        if (!type)
            continue;
        putVarInt(body, p.id);
        switch (*type) {
        case PropertyType::Byte:
            body.append(char(p.number & 0xff));
            break;
        case PropertyType::TwoByte:
            putU16(body, p.number);
            break;
        case PropertyType::FourByte:
            putU16(body, p.number >> 16);
            putU16(body, p.number & 0xffff);
            break;
        case PropertyType::VarInt:
            putVarInt(body, qMin(p.number, MqttCodec::MaxRemainingLength));
            break;
        case PropertyType::String:
            putString(body, p.string);
            break;
        case PropertyType::Binary:
            putBinary(body, p.binary);
            break;
        case PropertyType::StringPair:
            putString(body, p.string);
            putString(body, p.value);
            break;
        }
    }
    putVarInt(out, quint32(body.size()));
    out.append(body);
}

// PUBACK..PUBCOMP, DISCONNECT, AUTH in MQTT 5: the reason code and properties may be left out
// when they are Success and empty.
void putReasonAndProperties(QByteArray &out, const MqttPacket &p)
{
    if (p.reasonCode == 0 && p.properties.isEmpty())
        return;
    out.append(char(p.reasonCode));
    if (!p.properties.isEmpty())
        putProperties(out, p.properties);
}

} // namespace

QByteArray MqttCodec::serialize(const MqttPacket &p, int version)
{
    const bool v5 = (p.type == PacketType::Connect ? p.protocolLevel : version) == Version5;
    QByteArray body;
    quint8 flags = expectedFlags(p.type);
    switch (p.type) {
    case PacketType::Connect: {
        putString(body, p.protocolName);
        body.append(char(p.protocolLevel));
        quint8 cf = 0;
        if (p.cleanStart)
            cf |= 0x02;
        if (p.hasWill)
            cf |= 0x04 | quint8((p.willQos & 0x03) << 3) | (p.willRetain ? 0x20 : 0);
        if (p.hasPassword)
            cf |= 0x40;
        if (p.hasUsername)
            cf |= 0x80;
        body.append(char(cf));
        putU16(body, p.keepAlive);
        if (v5)
            putProperties(body, p.properties);
        putString(body, p.clientId);
        if (p.hasWill) {
            if (v5)
                putProperties(body, p.willProperties);
            putString(body, p.willTopic);
            putBinary(body, p.willPayload);
        }
        if (p.hasUsername)
            putString(body, p.username);
        if (p.hasPassword)
            putBinary(body, p.password);
        break;
    }
    case PacketType::Connack:
        body.append(char(p.sessionPresent ? 1 : 0));
        body.append(char(p.reasonCode));
        if (v5)
            putProperties(body, p.properties);
        break;
    case PacketType::Publish:
        flags = quint8((p.dup ? 0x08 : 0) | ((p.qos & 0x03) << 1) | (p.retain ? 0x01 : 0));
        putString(body, p.topic);
        if (p.qos > 0)
            putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        body.append(p.payload);
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        putU16(body, p.packetId);
        if (v5)
            putReasonAndProperties(body, p);
        break;
    case PacketType::Subscribe:
        putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        for (const MqttSubscription &s : p.subscriptions) {
            putString(body, s.filter);
            body.append(char(s.options));
        }
        break;
    case PacketType::Suback:
    case PacketType::Unsuback:
        putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        if (p.type == PacketType::Suback || v5)
            for (quint8 code : p.reasonCodes)
                body.append(char(code));
        break;
    case PacketType::Unsubscribe:
        putU16(body, p.packetId);
        if (v5)
            putProperties(body, p.properties);
        for (const QString &f : p.filters)
            putString(body, f);
        break;
    case PacketType::Disconnect:
    case PacketType::Auth:
        if (v5)
            putReasonAndProperties(body, p);
        break;
    case PacketType::Pingreq:
    case PacketType::Pingresp:
    case PacketType::Reserved:
        break;
    }
    QByteArray out;
    out.append(char((quint8(p.type) << 4) | flags));
    putVarInt(out, quint32(qMin<qsizetype>(body.size(), MaxRemainingLength)));
    out.append(body);
    return out;
}

} // namespace wst::mqtt
