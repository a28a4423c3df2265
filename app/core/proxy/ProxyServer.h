#pragma once

#include "ProxyOptions.h"
#include "messages/Message.h"
#include "protocol/HandshakeRecord.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace wst {

class MessageStore;
class ProxyWorker;

// An intercepting WebSocket proxy on this machine: a real app (browser, client) on one side, a
// real server on the other. Lives in the caller's thread; its sockets live in the network thread
// (like LocalServer). Every proxied connection gets an id; store() records its messages and
// events with that id as the row's connection id (0: the proxy's own events):
//   Direction::Out  client → server (what the app sent),
//   Direction::In   server → client,
//   Direction::Event opened, closed (code, reason, who), errors, and what intercept and faults
//                    did ("held", "edited", "dropped", "injected", "delayed 300 ms").
// With nobody intercepting, frames pass through unchanged and in order.
class ProxyServer : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Listening, Error };
    Q_ENUM(State)

    // Which way a message travels.
    enum class Way { ToServer, ToClient };
    Q_ENUM(Way)

    struct ConnectionInfo
    {
        quint32 id = 0;
        QHostAddress peerAddress;
        quint16 peerPort = 0;
        QUrl upstream; // where it was forwarded
        qint64 connectedUs = 0;
        qint64 messagesToServer = 0;
        qint64 messagesToClient = 0;
        bool open = true;
        int closeCode = 0;
        QString closeReason;
        QString error; // why the upstream side failed, when it did
        QString extensions; // negotiated, e.g. "permessage-deflate; client_max_window_bits=15"
        // Both sides' handshakes exactly as they crossed: client ↔ proxy and proxy ↔ server.
        HandshakeRecord downstream;
        HandshakeRecord upstreamRecord;
    };

    // A data message stopped by intercept (a paused way or a breakpoint), waiting for a decision.
    struct HeldMessage
    {
        quint64 id = 0; // unique per proxy run
        quint32 connection = 0;
        Way way = Way::ToServer;
        Kind kind = Kind::Text; // Text or Binary
        QByteArray payload; // the message as sent (inflated, when it was compressed)
        qint64 heldUs = 0;
        int breakpoint = -1; // index into ProxyOptions::breakpoints; -1: the way is paused
    };

    explicit ProxyServer(QObject *parent = nullptr);
    ~ProxyServer() override;

    std::shared_ptr<MessageStore> store() const { return m_store; }
    State state() const { return m_state; }
    // The address clients connect to (ws:// or wss://; for Explicit, the http:// proxy address).
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    ProxyOptions options() const { return m_options; }
    QList<ConnectionInfo> connections() const { return m_connections; }
    ConnectionInfo connection(quint32 id) const;
    QList<HeldMessage> held() const { return m_held; }

    void start(const ProxyOptions &options);
    // Closes both sides of every connection with 1001 and stops listening.
    void stop();

    // Intercept. A paused way holds every data message of every connection going that way;
    // later messages of that connection and way wait behind a held one, so order is kept.
    void setPaused(Way way, bool paused);
    bool isPaused(Way way) const;
    void setBreakpoints(const QList<ProxyBreakpoint> &breakpoints);
    void setFaults(const FaultPlan &faults);
    // Decisions on held messages. forward() with a payload sends that instead (an edit).
    void forward(quint64 heldId);
    void forward(quint64 heldId, Kind kind, const QByteArray &payload);
    void drop(quint64 heldId);
    void forwardAll(); // every held message, in order; paused ways stay paused
    // A new message into one way of a connection (replay: the payload of a recorded row).
    void inject(quint32 connection, Way way, Kind kind, const QByteArray &payload);
    // Closes one connection: Close `code` to the client and 1001 to the server.
    void closeConnection(quint32 connection, int code, const QString &reason);

Q_SIGNALS:
    void stateChanged(wst::ProxyServer::State state);
    void connectionsChanged();
    // held() changed: a message was held, forwarded, edited or dropped.
    void heldChanged();
    void stopped();

private:
    std::shared_ptr<MessageStore> m_store;
    QPointer<ProxyWorker> m_worker;
    ProxyOptions m_options;
    State m_state = State::Stopped;
    QUrl m_url;
    QString m_error;
    QList<ConnectionInfo> m_connections;
    QList<HeldMessage> m_held;
    bool m_pausedToServer = false;
    bool m_pausedToClient = false;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ProxyServer::ConnectionInfo)
Q_DECLARE_METATYPE(wst::ProxyServer::HeldMessage)
