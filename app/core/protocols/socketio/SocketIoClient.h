#pragma once

#include "SocketIoCodec.h"
#include "protocols/ProtocolClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <optional>

namespace wst {

class SocketIoProtocol;

// One Socket.IO session on a client connection: waits for the Engine.IO open packet, connects
// the namespace (with the auth payload), answers the server's pings (Engine.IO v4; in v3 the
// client pings), emits events and matches their acks, and puts binary events back together
// from their placeholders and the binary frames that follow.
class SocketIoClient final : public ProtocolClient
{
    Q_OBJECT
public:
    SocketIoClient(std::shared_ptr<const SocketIoProtocol> protocol, ProtocolClientSink *sink);
    ~SocketIoClient() override;

    void opened() override;
    void received(Kind kind, const QByteArray &payload) override;
    void closed() override;

protected:
    QString execute(const ProtocolCommand &command) override;
    QString check(const ProtocolCommand &command) const override;

private:
    struct PendingAck
    {
        QString event;
        QElapsedTimer sent;
        quint64 ticket = 0;
    };

    void handleOpen(const QByteArray &data);
    void handlePacket(const SocketIoCodec::Packet &packet);
    void handleComplete(const SocketIoCodec::Packet &packet, const QList<QByteArray> &attachments);
    void sendConnect();
    void onWatchdog();
    void onClientPing();

    const SocketIoProtocol &sio() const { return *m_sio; }

    std::shared_ptr<const SocketIoProtocol> m_sio;
    const QString m_nsp; // read once: the check runs for every message
    QTimer m_watchdog; // no open packet yet / no ping from the server (v4) / no pong (v3)
    QTimer m_pinger; // Engine.IO v3: the client pings
    bool m_open = false;
    bool m_awaitingPong = false;
    bool m_silenceNoted = false;
    int m_pingInterval = 25000;
    int m_pingTimeout = 20000;
    qint64 m_nextAckId = 0;
    QHash<qint64, PendingAck> m_pendingAcks;
    std::optional<SocketIoCodec::Packet> m_binaryPacket; // waiting for its attachments
    QList<QByteArray> m_attachments;
};

} // namespace wst
