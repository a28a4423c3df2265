#pragma once

#include "MqttPacket.h"
#include "protocols/Protocol.h"

namespace wst {

// MQTT 3.1.1 and 5.0 over WebSocket (subprotocol "mqtt", binary messages).
//
// Params (ProtocolOptions::params), with their defaults:
//   "version"       4 (MQTT 3.1.1) or 5 (MQTT 5.0); default 4
//   "clientId"      the CONNECT client identifier; default "wstester-" + 6 random hex digits
//   "cleanStart"    true (Clean Session in 3.1.1)
//   "keepAlive"     seconds between PINGREQs, 0 = none; default 60 (an MQTT 5 Server Keep
//                   Alive in the CONNACK wins)
//   "username", "password"   sent when non-empty
//   "will"          {"topic", "payload", "qos" (0), "retain" (false)}; none when absent
//   "sessionExpiry" MQTT 5 Session Expiry Interval in seconds; default 0 (not sent)
//
// Commands: see ProtocolCommand.h ("subscribe", "unsubscribe"/"stop", "publish"), and
// "disconnect": a DISCONNECT before the close, so that the broker drops the will (closing the
// WebSocket alone is an unclean end: the will is published).
// QoS 1/2 publishes always end in a Reply notice (PUBACK / PUBCOMP, timed); a QoS 0 publish
// gets one at once only when it asked for one (expectReply, `--ack`).
class MqttProtocol final : public Protocol
{
    Q_DECLARE_TR_FUNCTIONS(MqttProtocol)
public:
    explicit MqttProtocol(const ProtocolOptions &options);

    int version() const;
    int keepAlive() const;
    // The CONNECT this client sends (a client id is generated when the params have none).
    mqtt::MqttPacket connectPacket() const;

    QString validate() const override;
    void prepare(ConnectionOptions &options) const override;
    QStringList verbs() const override;
    QStringList serverSubprotocols() const override;
    ProtocolMessage decode(Direction direction, Kind kind, const QByteArray &payload) const override;
    // Adds "packet", "topic", "qos", "payload", "retain" and "properties" to the generic form.
    QJsonObject toJson(const ProtocolMessage &message) const override;
    std::unique_ptr<ProtocolClient> createClient(ProtocolClientSink *sink) const override;
    std::unique_ptr<ProtocolServer> createServer(ProtocolServerSink *sink) const override;

    // One packet as a history message (also used for the notices' fields).
    static ProtocolMessage describe(const mqtt::MqttPacket &packet, int version);
    static void addProperties(ProtocolFields *fields, const mqtt::MqttProperties &properties);
    // The payload as JSON when it parses (objects, arrays and scalars), else undefined.
    static QJsonValue payloadJson(const QByteArray &payload);
};

} // namespace wst
