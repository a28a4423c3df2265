#pragma once

#include "LocalServer.h"
#include "messages/Message.h"
#include "protocol/PingLedger.h"
#include "protocols/ProtocolCommand.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

#include <map>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace wst {

class MemoryTrimmer;
class ServerFaults;
class ServerShim;
class Protocol;
class ProtocolServer;

// The network-thread half of a LocalServer. Accepts TCP itself so that it can read each
// client's handshake exactly as sent, then hands the socket to QWebSocketServer.
class ServerWorker : public QObject
{
    Q_OBJECT
public:
    explicit ServerWorker(std::shared_ptr<MessageStore> store);
    ~ServerWorker() override;

    void start(const wst::ServerOptions &options);
    void stop();
    void sendText(quint32 clientId, const QString &text);
    void sendBinary(quint32 clientId, const QByteArray &data);
    void ping(quint32 clientId, const QByteArray &payload);
    void kick(quint32 clientId, int code, const QString &reason);
    // A protocol command to one client (0: all) of a server speaking a protocol
    // (ServerWorkerProtocol.cpp); a refusal is an Error row.
    void submit(quint32 clientId, const wst::ProtocolCommand &command);

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &error);
    void clientsChanged(const QList<wst::LocalServer::ClientInfo> &clients);
    void stopped();

private:
    struct Client
    {
        LocalServer::ClientInfo info;
        QWebSocket *socket = nullptr;
        QPointer<QTcpSocket> tcp; // the socket under `socket` (Qt offers no way to reach it)
        PingLedger pings;
        bool dropping = false; // over the send buffer limit, being aborted
        QString dropReason; // why it is being aborted, when not for the send buffer
        QPointer<ServerShim> shim; // between the client and Qt, when it needs one
        int failCode = 0; // the shim failed the client with this code (dropReason says why)
    };

    void onTcpConnection();
    void readHandshake(QTcpSocket *socket);
    // The key of a request handed to QWebSocketServer, to find it again once upgraded.
    static QString peerKey(const QHostAddress &address, quint16 port);
    void refuse(QTcpSocket *socket, const QByteArray &status, const QString &why,
        const QByteArray &extraHeaders = {});
    void onWebSocket();
    // Aborts and deletes the sockets whose handshake QWebSocketServer has not finished.
    void dropHandshakesInProgress();
    void onText(quint32 id, const QString &text);
    void onBinary(quint32 id, const QByteArray &data);
    void onDisconnected(quint32 id);
    // Echo or broadcast a message from `from`, as the behaviour says.
    void forward(quint32 from, const std::function<void(Client &)> &send);
    // rule: the index of the rule whose actions these are (its own faults apply to its replies).
    void runActions(quint32 id, const QString &message, qsizetype rule, qsizetype from);
    void sendRuleReply(Client &client, qsizetype rule, const QString &text);
    // False (and the client dropped) when the client has more unsent bytes than the limit.
    bool canSendTo(Client &client);
    void sendTextTo(Client &client, const QString &text);
    void sendBinaryTo(Client &client, const QByteArray &data);
    void push();
    void markDirty();
    void record(quint32 id, Direction dir, Kind kind, const QString &text, qint64 extra = 0);
    Client *find(quint32 id);
    void finishStop();
    // stopped() waits (bounded) for the shims to pass on what Qt wrote last (ServerWorkerShim.cpp).
    void drainShimsThenStop();
    void emitStopped();
    void notifyClients();
    // The protocol the server speaks, when not Raw (ServerWorkerProtocol.cpp).
    class ProtocolLink;
    void startProtocol();
    void dropProtocol();
    bool protocolOpened(quint32 id);
    bool protocolReceived(quint32 id, Kind kind, const QByteArray &payload);
    void protocolClosed(quint32 id);
    // Faults on purpose (ServerWorkerFaults.cpp).
    class FaultLink;
    void startFaults();
    void dropFaults();
    // True when the faults took the message (to send later, changed, or never).
    bool faultsTake(Client &client, Kind kind, const QString &text, const QByteArray &data);
    bool faultRefuses(QTcpSocket *socket);
    void openedFaults(quint32 id); // the server's faults and the rules' own
    void closedFaults(quint32 id);
    // The socket to hand to QWebSocketServer: the client's own, or the inner end of a shim
    // (permessage-deflate, unmasked frames, the pace and ping faults; ServerWorkerShim.cpp).
    QTcpSocket *shimIfNeeded(QTcpSocket *socket, const QByteArray &request, const QString &key);
    void linkShim(quint32 id, ServerShim *shim);

    std::shared_ptr<MessageStore> m_store;
    ServerOptions m_options;
    QTcpServer *m_tcp = nullptr;
    QWebSocketServer *m_ws = nullptr;
    std::map<quint32, Client> m_clients; // connected
    QList<LocalServer::ClientInfo> m_gone; // disconnected, most recent last
    struct Handshake
    {
        LocalServer::ClientInfo info;
        QPointer<QTcpSocket> tcp;
        QPointer<ServerShim> shim;
    };
    QHash<QString, Handshake> m_handshakes; // "addr:port" -> read, not yet upgraded
    QTimer *m_pushTimer = nullptr;
    QTimer *m_notifyTimer = nullptr;
    QTimer *m_stopTimer = nullptr;
    MemoryTrimmer *m_trimmer = nullptr;
    quint32 m_nextId = 1;
    bool m_stopping = false;
    bool m_stopPending = false; // stopped, but shims are still passing on the last bytes
    int m_drainingShims = 0;
    quint64 m_stopGeneration = 0;
    QTimer *m_drainTimer = nullptr;
    std::shared_ptr<const Protocol> m_protocol;
    ProtocolLink *m_protocolLink = nullptr; // owned
    ProtocolServer *m_protocolServer = nullptr; // owned; null for Raw
    FaultLink *m_faultLink = nullptr; // owned
    ServerFaults *m_faults = nullptr;
    QList<ServerFaults *> m_ruleFaults; // a rule's own faults (owned; null: the server's apply)
    bool m_faultDelivering = false; // the faults are sending: do not take the message again
};

} // namespace wst
