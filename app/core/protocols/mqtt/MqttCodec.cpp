#include "MqttCodec.h"

#include <QStringDecoder>

namespace wst::mqtt {

namespace {

// A cursor over one packet's body. The first failure is kept; later reads return zeros so the
// parser can run on and report that one failure.
class Reader
{
public:
    explicit Reader(const QByteArray &data)
        : m_data(data)
    {
    }
    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    void fail(const QString &error)
    {
        if (m_error.isEmpty())
            m_error = error;
    }
    qsizetype remaining() const { return failed() ? 0 : m_data.size() - m_pos; }
    bool atEnd() const { return remaining() <= 0; }

    bool need(qsizetype n, const char *what)
    {
        if (failed())
            return false;
        if (m_data.size() - m_pos < n) {
            fail(MqttCodec::tr("the packet ends inside its %1").arg(QLatin1String(what)));
            return false;
        }
        return true;
    }
    quint8 byte(const char *what)
    {
        if (!need(1, what))
            return 0;
        return quint8(m_data[m_pos++]);
    }
    quint16 u16(const char *what)
    {
        if (!need(2, what))
            return 0;
        const quint16 v = quint16((quint8(m_data[m_pos]) << 8) | quint8(m_data[m_pos + 1]));
        m_pos += 2;
        return v;
    }
    quint32 u32(const char *what)
    {
        if (!need(4, what))
            return 0;
        quint32 v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | quint8(m_data[m_pos + i]);
        m_pos += 4;
        return v;
    }
    quint32 varInt(const char *what)
    {
        quint32 value = 0;
        for (int i = 0; i < 4; ++i) {
            const quint8 b = byte(what);
            if (failed())
                return 0;
            value |= quint32(b & 0x7f) << (7 * i);
            if (!(b & 0x80))
                return value;
        }
        fail(MqttCodec::tr("the %1 is longer than 4 bytes").arg(QLatin1String(what)));
        return 0;
    }
    QByteArray binary(const char *what)
    {
        const quint16 n = u16(what);
        if (!need(n, what))
            return {};
        const QByteArray v = m_data.mid(m_pos, n);
        m_pos += n;
        return v;
    }
    QString string(const char *what)
    {
        const QByteArray raw = binary(what);
        if (failed())
            return {};
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString s = decoder(raw);
        if (decoder.hasError())
            fail(MqttCodec::tr("the %1 is not valid UTF-8").arg(QLatin1String(what)));
        else if (s.contains(QChar(0)))
            fail(MqttCodec::tr("the %1 contains a null character").arg(QLatin1String(what)));
        return s;
    }
    QByteArray rest()
    {
        if (failed())
            return {};
        const QByteArray v = m_data.mid(m_pos);
        m_pos = m_data.size();
        return v;
    }

private:
    const QByteArray &m_data;
    qsizetype m_pos = 0;
    QString m_error;
};

void readProperties(Reader &r, MqttProperties *out)
{
    const quint32 length = r.varInt("property length");
    if (!r.need(qsizetype(length), "properties"))
        return;
    const qsizetype end = r.remaining() - qsizetype(length);
    while (!r.failed() && r.remaining() > end) {
        MqttProperty p;
        p.id = quint8(r.varInt("property identifier"));
        const std::optional<PropertyType> type = MqttCodec::propertyType(p.id);
        if (!type) {
            r.fail(MqttCodec::tr("unknown property identifier 0x%1").arg(p.id, 2, 16, QLatin1Char('0')));
            return;
        }
        switch (*type) {
        case PropertyType::Byte:
            p.number = r.byte("property");
            break;
        case PropertyType::TwoByte:
            p.number = r.u16("property");
            break;
        case PropertyType::FourByte:
            p.number = r.u32("property");
            break;
        case PropertyType::VarInt:
            p.number = r.varInt("property");
            break;
        case PropertyType::String:
            p.string = r.string("property");
            break;
        case PropertyType::Binary:
            p.binary = r.binary("property");
            break;
        case PropertyType::StringPair:
            p.string = r.string("user property name");
            p.value = r.string("user property value");
            break;
        }
        out->append(p);
    }
    if (!r.failed() && r.remaining() != end)
        r.fail(MqttCodec::tr("a property runs past the property length"));
}

// Reads the optional reason code and properties of PUBACK..PUBCOMP, DISCONNECT and AUTH (v5).
void readReasonAndProperties(Reader &r, MqttPacket *p)
{
    if (r.atEnd())
        return;
    p->reasonCode = r.byte("reason code");
    if (!r.atEnd())
        readProperties(r, &p->properties);
}

void readConnect(Reader &r, MqttPacket *p)
{
    p->protocolName = r.string("protocol name");
    p->protocolLevel = r.byte("protocol level");
    if (r.failed())
        return;
    if (p->protocolName != QLatin1String("MQTT") && p->protocolName != QLatin1String("MQIsdp")) {
        r.fail(MqttCodec::tr("unknown protocol name \"%1\" (expected MQTT)").arg(p->protocolName.left(40)));
        return;
    }
    if (p->protocolLevel != 3 && p->protocolLevel != Version311 && p->protocolLevel != Version5) {
        r.fail(MqttCodec::tr("unsupported protocol level %1 (4 = MQTT 3.1.1, 5 = MQTT 5)")
                   .arg(p->protocolLevel));
        return;
    }
    const quint8 flags = r.byte("connect flags");
    p->keepAlive = r.u16("keep alive");
    if (r.failed())
        return;
    if (flags & 0x01) {
        r.fail(MqttCodec::tr("the reserved connect flag is set"));
        return;
    }
    p->cleanStart = flags & 0x02;
    p->hasWill = flags & 0x04;
    p->willQos = (flags >> 3) & 0x03;
    p->willRetain = flags & 0x20;
    p->hasPassword = flags & 0x40;
    p->hasUsername = flags & 0x80;
    if (p->willQos == 3 || (!p->hasWill && (p->willQos != 0 || p->willRetain))) {
        r.fail(MqttCodec::tr("invalid will flags"));
        return;
    }
    const bool v5 = p->protocolLevel == Version5;
    if (v5)
        readProperties(r, &p->properties);
    p->clientId = r.string("client identifier");
    if (p->hasWill) {
        if (v5)
            readProperties(r, &p->willProperties);
        p->willTopic = r.string("will topic");
        p->willPayload = r.binary("will payload");
    }
    if (p->hasUsername)
        p->username = r.string("user name");
    if (p->hasPassword)
        p->password = r.binary("password");
}

void readPublish(Reader &r, MqttPacket *p, bool v5)
{
    p->dup = p->flags & 0x08;
    p->qos = (p->flags >> 1) & 0x03;
    p->retain = p->flags & 0x01;
    if (p->qos == 3) {
        r.fail(MqttCodec::tr("PUBLISH with QoS 3"));
        return;
    }
    if (p->qos == 0 && p->dup) {
        r.fail(MqttCodec::tr("PUBLISH at QoS 0 with the DUP flag"));
        return;
    }
    p->topic = r.string("topic name");
    if (!r.failed() && (p->topic.contains(QLatin1Char('+')) || p->topic.contains(QLatin1Char('#'))))
        r.fail(MqttCodec::tr("the topic name \"%1\" contains a wildcard").arg(p->topic.left(80)));
    if (p->qos > 0) {
        p->packetId = r.u16("packet identifier");
        if (!r.failed() && p->packetId == 0)
            r.fail(MqttCodec::tr("packet identifier 0"));
    }
    if (v5)
        readProperties(r, &p->properties);
    p->payload = r.rest();
}

quint16 readPacketId(Reader &r)
{
    const quint16 id = r.u16("packet identifier");
    if (!r.failed() && id == 0)
        r.fail(MqttCodec::tr("packet identifier 0"));
    return id;
}

} // namespace

quint8 MqttCodec::expectedFlags(PacketType type)
{
    switch (type) {
    case PacketType::Pubrel:
    case PacketType::Subscribe:
    case PacketType::Unsubscribe:
        return 0x02;
    default:
        return 0;
    }
}

MqttCodec::ReadResult MqttCodec::readAll(const QByteArray &data, int version)
{
    ReadResult result;
    result.version = version;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const quint8 first = quint8(data[pos]);
        quint32 length = 0;
        qsizetype i = 1;
        bool lengthDone = false;
        for (; i <= 4 && pos + i < data.size(); ++i) {
            const quint8 b = quint8(data[pos + i]);
            length |= quint32(b & 0x7f) << (7 * (i - 1));
            if (!(b & 0x80)) {
                lengthDone = true;
                break;
            }
        }
        if (!lengthDone) {
            if (i > 4) {
                result.error = tr("the remaining length is longer than 4 bytes");
                return result;
            }
            result.incomplete = true;
            result.incompleteType = PacketType(first >> 4);
            return result;
        }
        const qsizetype headerSize = i + 1;
        if (data.size() - pos - headerSize < qsizetype(length)) {
            result.incomplete = true;
            result.incompleteType = PacketType(first >> 4);
            result.missing = qsizetype(length) - (data.size() - pos - headerSize);
            return result;
        }
        MqttPacket packet;
        QString error;
        if (!parse(first, data.mid(pos + headerSize, length), result.version, &packet, &error)) {
            result.error = error;
            return result;
        }
        if (packet.type == PacketType::Connect)
            result.version = packet.protocolLevel == Version5 ? Version5 : Version311;
        result.packets.append(packet);
        pos += headerSize + length;
        result.consumed = pos;
    }
    return result;
}

bool MqttCodec::parse(quint8 first, const QByteArray &body, int version, MqttPacket *p, QString *error)
{
    *p = MqttPacket();
    p->type = PacketType(first >> 4);
    p->flags = first & 0x0f;
    const bool v5 = version == Version5;
    const QString name = typeName(p->type);
    auto failWith = [&](const QString &why) {
        *error = name.isEmpty() ? why : QStringLiteral("%1: %2").arg(name, why);
        return false;
    };
    if (p->type == PacketType::Reserved || (p->type == PacketType::Auth && !v5))
        return failWith(tr("packet type %1 is not an MQTT %2 packet")
                            .arg(first >> 4)
                            .arg(v5 ? QStringLiteral("5") : QStringLiteral("3.1.1")));
    if (p->type != PacketType::Publish && p->flags != MqttCodec::expectedFlags(p->type))
        return failWith(tr("invalid fixed header flags 0x%1").arg(p->flags, 1, 16));

    Reader r(body);
    switch (p->type) {
    case PacketType::Connect:
        readConnect(r, p);
        break;
    case PacketType::Connack: {
        const quint8 ack = r.byte("acknowledge flags");
        if (!r.failed() && (ack & 0xfe))
            r.fail(tr("reserved acknowledge flags are set"));
        p->sessionPresent = ack & 0x01;
        p->reasonCode = r.byte("reason code");
        // A broker that does not speak MQTT 5 answers a v5 CONNECT with a 3.1.1 CONNACK
        // (return code 1): read it rather than call it malformed.
        if (v5 && !r.atEnd())
            readProperties(r, &p->properties);
        break;
    }
    case PacketType::Publish:
        readPublish(r, p, v5);
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        p->packetId = readPacketId(r);
        if (v5)
            readReasonAndProperties(r, p);
        break;
    case PacketType::Subscribe:
        p->packetId = readPacketId(r);
        if (v5)
            readProperties(r, &p->properties);
        while (!r.failed() && !r.atEnd()) {
            MqttSubscription s;
            s.filter = r.string("topic filter");
            s.options = r.byte("subscription options");
            if (r.failed())
                break;
            if (s.qos() == 3 || (s.options & (v5 ? 0xc0 : 0xfc)) || ((s.options >> 4) & 0x03) == 3)
                r.fail(tr("invalid subscription options 0x%1 for \"%2\"")
                           .arg(s.options, 2, 16, QLatin1Char('0'))
                           .arg(s.filter.left(80)));
            else if (const QString bad = checkTopic(s.filter, true); !bad.isEmpty())
                r.fail(bad);
            p->subscriptions.append(s);
        }
        if (!r.failed() && p->subscriptions.isEmpty())
            r.fail(tr("SUBSCRIBE without a topic filter"));
        break;
    case PacketType::Suback:
    case PacketType::Unsuback:
        p->packetId = readPacketId(r);
        if (v5)
            readProperties(r, &p->properties);
        if (p->type == PacketType::Suback || v5) {
            while (!r.failed() && !r.atEnd())
                p->reasonCodes.append(r.byte("reason code"));
            if (!r.failed() && p->reasonCodes.isEmpty())
                r.fail(tr("no reason codes"));
        }
        break;
    case PacketType::Unsubscribe:
        p->packetId = readPacketId(r);
        if (v5)
            readProperties(r, &p->properties);
        while (!r.failed() && !r.atEnd()) {
            p->filters.append(r.string("topic filter"));
            if (!r.failed())
                if (const QString bad = checkTopic(p->filters.last(), true); !bad.isEmpty())
                    r.fail(bad);
        }
        if (!r.failed() && p->filters.isEmpty())
            r.fail(tr("UNSUBSCRIBE without a topic filter"));
        break;
    case PacketType::Pingreq:
    case PacketType::Pingresp:
        break;
    case PacketType::Disconnect:
    case PacketType::Auth:
        if (v5)
            readReasonAndProperties(r, p);
        break;
    case PacketType::Reserved:
        break;
    }
    if (r.failed())
        return failWith(r.error());
    if (!r.atEnd())
        return failWith(tr("%n unexpected byte(s) at the end", nullptr, int(r.remaining())));
    return true;
}

} // namespace wst::mqtt
