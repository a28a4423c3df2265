#pragma once

#include "MqttPacket.h"
#include "protocols/ProtocolClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTimer>

namespace wst {

class MqttProtocol;

// An MQTT client session over one WebSocket: CONNECT on open, PINGREQ every keep-alive, the
// QoS 1/2 handshakes in both directions run by itself, packet identifiers allocated and freed.
class MqttClient final : public ProtocolClient
{
    Q_OBJECT
public:
    MqttClient(std::shared_ptr<const Protocol> protocol, ProtocolClientSink *sink);
    ~MqttClient() override;

    void opened() override;
    void received(Kind kind, const QByteArray &payload) override;
    void closed() override;

protected:
    QString execute(const ProtocolCommand &command) override;
    QString check(const ProtocolCommand &command) const override;

private:
    // What a packet identifier of ours waits for.
    struct Pending
    {
        mqtt::PacketType waitsFor = mqtt::PacketType::Reserved;
        QString name; // topic or topic filter
        int qos = 0;
        QElapsedTimer started;
        quint64 ticket = 0;
    };

    const MqttProtocol &mqttProtocol() const;
    void send(const mqtt::MqttPacket &packet);
    void handle(const mqtt::MqttPacket &packet);
    void handleConnack(const mqtt::MqttPacket &packet);
    void handleAck(const mqtt::MqttPacket &packet);
    void handlePublish(const mqtt::MqttPacket &packet);
    void keepAliveTick();
    quint16 allocateId();
    void reply(quint16 id, const Pending &pending, const mqtt::MqttPacket &packet);

    int m_version = 4;
    QByteArray m_buffer;
    bool m_connected = false;
    bool m_failed = false;
    QTimer m_keepAlive;
    bool m_awaitingPong = false;
    quint16 m_nextId = 1;
    QHash<quint16, Pending> m_pending;
    QSet<quint16> m_incomingQos2; // PUBREC sent, waiting for the PUBREL
    QStringList m_subscriptions;
};

} // namespace wst
