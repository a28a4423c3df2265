#pragma once

#include "ProxyRequest.h"
#include "ProxyServer.h"
#include "protocol/FrameHeader.h"
#include "protocol/PerMessageDeflate.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>

class QSslSocket;
class QTcpServer;
class QTcpSocket;

namespace wst {

class ServerFaults;

// The network-thread half of a ProxyServer: accepts clients, opens their upstream connections,
// and passes frames both ways (ProxyWorker.cpp: listening and handshakes; ProxyWorkerFrames.cpp:
// frames, recording and intercept; ProxyWorkerTunnel.cpp: CONNECT and faults;
// ProxyWorkerUpstream.cpp: the upstream connection and its handshake).
class ProxyWorker : public QObject
{
    Q_OBJECT
public:
    explicit ProxyWorker(std::shared_ptr<MessageStore> store);
    ~ProxyWorker() override;

    void start(const wst::ProxyOptions &options);
    void stop();
    void setPaused(ProxyServer::Way way, bool paused);
    void setBreakpoints(const QList<wst::ProxyBreakpoint> &breakpoints);
    void setFaults(const wst::FaultPlan &faults);
    // edited: send kind/payload instead of the held message.
    void decide(quint64 heldId, bool forward, bool edited, Kind kind, const QByteArray &payload);
    void forwardAll();
    void inject(quint32 connection, ProxyServer::Way way, Kind kind, const QByteArray &payload);
    void closeConnection(quint32 connection, int code, const QString &reason);

    static constexpr int RequestTimeoutMs = 10000;
    static constexpr int UpstreamTimeoutMs = 10000;
    static constexpr int StopGraceMs = 2000;

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &error);
    void connectionsChanged(const QList<wst::ProxyServer::ConnectionInfo> &connections);
    void heldChanged(const QList<wst::ProxyServer::HeldMessage> &held);
    void stopped();

private:
    // Something waiting in one way's queue: a held message, or what came after it.
    struct Item
    {
        quint64 heldId = 0; // non-zero while held and undecided
        bool decided = true;
        bool drop = false;
        bool rebuild = false; // send `message` as a new uncompressed frame (edited, injected)
        bool control = false;
        bool compressed = false;
        Kind kind = Kind::Text;
        QByteArray raw; // the frames exactly as read
        QByteArray message; // the data message (inflated)
        bool injected = false;
    };
    // One direction of a connection.
    struct Way
    {
        QByteArray buffer; // read, not yet a whole frame
        qsizetype offset = 0; // parsed up to here
        bool inMessage = false;
        bool streaming = false; // the current message's frames are forwarded as they come
        bool compressed = false;
        Kind kind = Kind::Text;
        QByteArray payload; // the current message so far (as on the wire, unmasked)
        QByteArray raw; // its frames, when not streaming
        std::unique_ptr<MessageInflater> inflater;
        bool senderNoContextTakeover = false;
        // A compressed message was dropped or changed: the receiver's inflater no longer follows
        // the sender's deflater, so every later message goes out inflated, uncompressed.
        bool diverged = false;
        std::deque<Item> queue;
        bool closeSeen = false;
    };
    enum class Phase { Request, Tunnel, Connecting, Response, Open, Refused, Blind, Closing };
    struct Conn
    {
        ProxyServer::ConnectionInfo info;
        QPointer<QTcpSocket> client;
        QPointer<QSslSocket> upstream;
        Phase phase = Phase::Request;
        QByteArray clientHead; // read before the upgrade
        QByteArray upstreamHead;
        QTimer *timer = nullptr;
        bool deflate = false;
        Way toServer;
        Way toClient;
        bool clientGone = false;
        bool upstreamGone = false;
        bool notReading = false;
        bool opened = false; // the upgrade passed
        bool finishing = false;
        qint64 requestSentUs = 0;
        qint64 connectStartUs = 0;
        int firstCloseCode = 0;
        QString firstCloseReason;
        QString tunnelHost;
        quint16 tunnelPort = 0;
    };

    void onNewConnection();
    void onClientReadable(quint32 id);
    void onUpstreamReadable(quint32 id);
    void readRequest(Conn &conn);
    void openUpstream(Conn &conn, const ProxyRequest &request, const QUrl &target);
    void onUpstreamConnected(quint32 id);
    void readResponse(Conn &conn);
    // Answers the client with an error status and closes; records why (one line).
    void refuse(Conn &conn, const QByteArray &status, const QString &why);
    void fail(Conn &conn, const QString &why);
    void onSocketGone(quint32 id, bool client);
    void finishConnection(Conn &conn);
    Conn *find(quint32 id);
    void record(quint32 id, Direction dir, Kind kind, const QString &text, qint64 extra = 0);
    void markDirty();
    void notify();
    void notifyHeld();
    void finishStop();

    // Frames (ProxyWorkerFrames.cpp).
    void feed(Conn &conn, ProxyServer::Way way);
    // False when the connection was failed.
    bool onFrame(Conn &conn, ProxyServer::Way way, const FrameHeader &header, QByteArrayView raw);
    void onMessage(Conn &conn, ProxyServer::Way way);
    bool intercepting(const Conn &conn, ProxyServer::Way way) const;
    int matchingBreakpoint(ProxyServer::Way way, Kind kind, const QByteArray &message) const;
    void enqueue(Conn &conn, ProxyServer::Way way, Item item);
    void pump(Conn &conn, ProxyServer::Way way);
    void deliver(Conn &conn, ProxyServer::Way way, const Item &item);
    void writeTo(Conn &conn, ProxyServer::Way way, const QByteArray &bytes);
    QByteArray frameFor(
        ProxyServer::Way way, quint8 opcode, const QByteArray &payload, bool fin = true) const;
    void sendClose(Conn &conn, ProxyServer::Way way, int code, const QString &reason);
    Way &wayOf(Conn &conn, ProxyServer::Way way)
    {
        return way == ProxyServer::Way::ToServer ? conn.toServer : conn.toClient;
    }
    static Direction directionOf(ProxyServer::Way way)
    {
        return way == ProxyServer::Way::ToServer ? Direction::Out : Direction::In;
    }
    void releaseHeld(Conn &conn);

    // CONNECT tunnels and faults (ProxyWorkerTunnel.cpp).
    void readTunnel(Conn &conn);
    void startBlind(Conn &conn);
    class FaultLink;
    void startFaults();
    // Deletes the faults and then their sink (ProxyWorkerTunnel.cpp, where FaultLink is whole).
    void dropFaults();
    bool faultsTake(Conn &conn, const Item &item);

    std::shared_ptr<MessageStore> m_store;
    ProxyOptions m_options;
    QTcpServer *m_server = nullptr;
    std::map<quint32, std::unique_ptr<Conn>> m_conns;
    QList<ProxyServer::ConnectionInfo> m_gone;
    QList<ProxyServer::HeldMessage> m_held;
    QTimer *m_notifyTimer = nullptr;
    QTimer *m_stopTimer = nullptr;
    quint32 m_nextId = 1;
    quint64 m_nextHeld = 1;
    bool m_pausedToServer = false;
    bool m_pausedToClient = false;
    bool m_stopping = false;
    bool m_heldLimitNoted = false;
    FaultLink *m_faultLink = nullptr;
    ServerFaults *m_faults = nullptr;
};

} // namespace wst
