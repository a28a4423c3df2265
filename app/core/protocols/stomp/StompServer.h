#pragma once

#include "StompFrame.h"
#include "protocols/ProtocolServer.h"

#include <QElapsedTimer>
#include <QHash>

#include <map>

class QTimer;

namespace wst {

// A small STOMP 1.2/1.1 broker for the local server. CONNECT (or STOMP) is answered with
// CONNECTED (version, session, heart-beat negotiated from the server's heartbeatOutMs and
// heartbeatInMs params); when the server's params set "login", other credentials get an ERROR.
// SUBSCRIBE/UNSUBSCRIBE; SEND delivers a MESSAGE to every subscription whose destination matches
// (exactly, or a pattern whose segments may be "*" for one segment and a last "**" or "#" for
// the rest: "/topic/*" matches "/topic/a", not "/topic/a/b"), the sender's own included.
// Ack modes: auto forgets a message once sent; client and client-individual keep it until its
// ACK (client: cumulative, everything up to it on that subscription). NACK redelivers the
// message once to the same subscription with "redelivered:true"; a message NACKed again is
// dropped. BEGIN/COMMIT/ABORT buffer SEND, ACK and NACK until COMMIT. Any frame with a receipt
// header gets a RECEIPT. A bad frame gets an ERROR (message header + the reason in the body)
// and the connection is closed, as STOMP requires. Heart-beats are sent at the negotiated
// interval; a client silent for twice its interval is closed.
// The server tab's "send" command (name = destination, body, headers) publishes from the broker
// to every matching subscription (clientId 0) or to one client's.
class StompServer final : public ProtocolServer
{
    Q_OBJECT
public:
    StompServer(std::shared_ptr<const Protocol> protocol, ProtocolServerSink *sink);
    ~StompServer() override;

    void clientOpened(quint32 clientId, const QString &subprotocol, const QString &path) override;
    void received(quint32 clientId, Kind kind, const QByteArray &payload) override;
    void clientClosed(quint32 clientId) override;
    QString submit(quint32 clientId, const ProtocolCommand &command) override;

    // For tests and the server tab: what the broker holds.
    int subscriptionCount() const;
    int unackedCount(quint32 clientId) const;

private:
    struct Subscription
    {
        QByteArray id;
        QByteArray destination;
        QByteArray ack; // auto, client, client-individual
    };
    struct Unacked
    {
        QByteArray ackId; // the MESSAGE's ack header (1.2) or message-id (1.1)
        QByteArray subscription;
        StompFrame message;
        qint64 order = 0;
        bool redelivered = false;
    };
    struct Session
    {
        bool connected = false;
        bool closing = false;
        QByteArray version;
        QList<Subscription> subscriptions;
        QList<Unacked> unacked;
        QHash<QByteArray, QList<StompFrame>> transactions;
        int sendEveryMs = 0;
        int expectEveryMs = 0;
        qint64 lastSentMs = 0;
        qint64 lastReceivedMs = 0;
        QTimer *timer = nullptr;
    };

    Session *session(quint32 clientId);
    void handle(quint32 clientId, const StompFrame &frame);
    void onConnect(quint32 clientId, const StompFrame &frame);
    bool onSubscribe(quint32 clientId, const StompFrame &frame);
    bool onUnsubscribe(quint32 clientId, const StompFrame &frame);
    bool onTransaction(quint32 clientId, const StompFrame &frame);
    // SEND, ACK and NACK: at once, or when their transaction commits.
    bool apply(quint32 clientId, const StompFrame &frame);
    bool onAck(quint32 clientId, const StompFrame &frame);
    void deliver(const QByteArray &destination, const StompFrame &send, quint32 onlyClient);
    void deliverTo(quint32 clientId, const Subscription &sub, StompFrame message, bool redelivered);
    void sendFrame(quint32 clientId, const StompFrame &frame);
    void fail(quint32 clientId, const QString &message, const QString &detail, const StompFrame *cause);
    void tick(quint32 clientId);

    std::map<quint32, Session> m_sessions;
    QElapsedTimer m_clock;
    qint64 m_nextMessage = 0;
    qint64 m_nextAck = 0;
    qint64 m_order = 0;
};

} // namespace wst
