#pragma once

#include "SocketIoCodec.h"
#include "protocols/ProtocolServer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <optional>

namespace wst {

class SocketIoProtocol;

// The local server speaking Socket.IO: sends each client the Engine.IO open packet, pings every
// pingInterval (v4; a v3 client pings and gets pongs), accepts a CONNECT to any namespace with a
// new sid, echoes or broadcasts events (with their binary attachments), answers acks with the
// event's own args, and emits what the server tab's user submits.
class SocketIoServer final : public ProtocolServer
{
    Q_OBJECT
public:
    SocketIoServer(std::shared_ptr<const SocketIoProtocol> protocol, ProtocolServerSink *sink);
    ~SocketIoServer() override;

    void clientOpened(quint32 clientId, const QString &subprotocol, const QString &path) override;
    void received(quint32 clientId, Kind kind, const QByteArray &payload) override;
    void clientClosed(quint32 clientId) override;
    // "emit" (name, args, expectReply; options.namespace, default "/") to one client or all.
    QString submit(quint32 clientId, const ProtocolCommand &command) override;

private:
    struct PendingAck
    {
        QString event;
        QElapsedTimer sent;
    };
    struct Client
    {
        int eio = 4;
        QString sid;
        QHash<QString, QString> namespaces; // namespace -> its sid
        bool awaitingPong = false;
        QElapsedTimer pingSent;
        std::optional<SocketIoCodec::Packet> binaryPacket;
        QList<QByteArray> attachments;
        QHash<qint64, PendingAck> pendingAcks;
        qint64 nextAckId = 0;
    };

    void handlePacket(quint32 clientId, Client &client, const SocketIoCodec::Packet &packet);
    void handleEvent(quint32 clientId, Client &client, const SocketIoCodec::Packet &packet,
        const QList<QByteArray> &attachments);
    void sendPacket(quint32 clientId, const Client &client, const SocketIoCodec::Packet &packet,
        const QList<QByteArray> &attachments = {});
    void onPingTick();

    const SocketIoProtocol &sio() const { return *m_sio; }

    std::shared_ptr<const SocketIoProtocol> m_sio;
    QHash<quint32, Client> m_clients;
    QTimer m_pingTimer;
};

} // namespace wst
