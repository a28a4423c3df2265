#pragma once

#include "MqttPacket.h"
#include "protocols/ProtocolServer.h"

#include <QHash>
#include <QSet>
#include <QTimer>

#include <map>
#include <memory>
#include <vector>

namespace wst {

// A small MQTT broker for the local server: CONNECT/CONNACK for 3.1.1 and 5.0, subscriptions
// with + and # wildcards, PUBLISH routed to every matching subscriber at min(publish QoS,
// subscription QoS) with the QoS 1/2 flows both ways, retained messages, will messages on an
// unclean drop, and the keep-alive timeout (1.5 x the client's keep-alive). No persistent
// sessions: every connection starts clean.
class MqttServer final : public ProtocolServer
{
    Q_OBJECT
public:
    MqttServer(std::shared_ptr<const Protocol> protocol, ProtocolServerSink *sink);
    ~MqttServer() override;

    void clientOpened(quint32 clientId, const QString &subprotocol, const QString &path) override;
    void received(quint32 clientId, Kind kind, const QByteArray &payload) override;
    void clientClosed(quint32 clientId) override;
    // "publish" (name = topic, body, qos, retain) from the server tab: to every matching
    // subscriber (clientId 0), or straight to one client.
    QString submit(quint32 clientId, const ProtocolCommand &command) override;

private:
    struct Session
    {
        bool connected = false;
        bool closing = false; // a clean DISCONNECT, a refusal or a takeover: no will
        bool dropped = false; // closeClient() was called: nothing more is read
        int version = 4;
        QString clientId;
        QByteArray buffer;
        QHash<QString, quint8> subscriptions; // filter -> subscription options
        bool hasWill = false;
        mqtt::MqttPacket will;
        QTimer keepAlive;
        quint16 nextId = 1;
        QHash<quint16, mqtt::PacketType> outgoing; // our QoS 1/2 deliveries: what each waits for
        QSet<quint16> incomingQos2; // PUBREC sent, PUBREL not yet received
    };

    void send(quint32 clientId, Session &session, const mqtt::MqttPacket &packet);
    void fail(quint32 clientId, Session &session, quint8 reasonCode, const QString &why);
    void handle(quint32 clientId, Session &session, const mqtt::MqttPacket &packet);
    void handleConnect(quint32 clientId, Session &session, const mqtt::MqttPacket &packet);
    void handleSubscribe(quint32 clientId, Session &session, const mqtt::MqttPacket &packet);
    void handlePublish(quint32 clientId, Session &session, const mqtt::MqttPacket &packet);
    void route(const mqtt::MqttPacket &publish, quint32 fromClient);
    void deliver(quint32 clientId, Session &session, const mqtt::MqttPacket &publish, int qos, bool retain);
    void keepRetained(const mqtt::MqttPacket &publish);

    void drop(quint32 clientId, Session &session, int code, const QString &reason);

    std::map<quint32, std::unique_ptr<Session>> m_sessions;
    // Closed sessions wait here until the next client opens: the sink may report a close from
    // inside closeClient(), i.e. from inside a session's own keep-alive timer.
    std::vector<std::unique_ptr<Session>> m_closed;
    std::map<QString, mqtt::MqttPacket> m_retained; // by topic, in topic order
    quint32 m_assigned = 0;
};

} // namespace wst
