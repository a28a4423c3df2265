#pragma once

#include "ClientConnection.h"
#include "protocol/FrameSpec.h"
#include "protocol/HandshakeRecord.h"
#include "protocol/PingLedger.h"
#include "protocols/ProtocolCommand.h"

#include <QObject>
#include <QTimer>

#include <memory>

class QWebSocket;

namespace wst {

class WireRelay;
class WireCounters;
class Protocol;
class ProtocolClient;
struct ObservedMessage;

// The network-thread half of a ClientConnection: owns the QWebSocket and writes the history.
class ClientWorker : public QObject
{
    Q_OBJECT
public:
    ClientWorker(std::shared_ptr<MessageStore> store, std::shared_ptr<MessageStore> frames,
        std::shared_ptr<std::atomic_bool> recordFrames, std::shared_ptr<WireCounters> wireCounters);
    ~ClientWorker() override;

    void open(const wst::ConnectionOptions &options);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    void ping(const QByteArray &payload);
    void close(int code, const QString &reason);
    void sendFrame(const wst::FrameSpec &spec);
    void abort();
    void note(const QString &text);
    void cancelReconnect();
    // A protocol command (ClientWorkerProtocol.cpp): queued until the protocol's handshake is
    // done; a refusal is an Error row and commandRefused(). commandHandled() answers every
    // submit, with the ticket the connection gave it.
    void submit(const wst::ProtocolCommand &command, quint64 ticket);

Q_SIGNALS:
    void statusChanged(const wst::ClientConnection::Status &status);
    void pongReceived(qint64 rttUs, const QByteArray &payload);
    void handshakeRecorded(const wst::HandshakeRecord &record);
    void protocolNotice(const wst::ProtocolNotice &notice);
    void commandRefused(const QString &problem);
    void commandHandled(quint64 ticket, const QString &problem);

private:
    void setState(ClientConnection::State state);
    void scheduleReconnect(); // before the state that ended the connection is reported
    void fail(ClientConnection::ErrorKind kind, const QString &message);
    void dropSocket();
    void dropRelay();
    void onConnected();
    void onDisconnected();
    void onError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void onPong(quint64 elapsed, const QByteArray &payload);
    void onConnectTimeout();
    bool requireOpen(const QString &what);
    void record(Direction dir, Kind kind, const QString &text, qint64 extra = 0);
    // The protocol over the WebSocket (ClientWorkerProtocol.cpp).
    class ProtocolLink;
    void createProtocolClient();
    void protocolOpened();
    void protocolReceived(Kind kind, const QByteArray &payload);
    void protocolObserved(const QList<wst::ObservedMessage> &messages);
    void protocolClosed();
    void dropProtocol();

    std::shared_ptr<MessageStore> m_store;
    std::shared_ptr<MessageStore> m_frames;
    std::shared_ptr<std::atomic_bool> m_recordFrames;
    std::shared_ptr<WireCounters> m_wireCounters;
    QWebSocket *m_socket = nullptr;
    WireRelay *m_relay = nullptr; // lives in the relay thread: only signals cross
    HandshakeRecord m_record; // the relay's latest record
    bool m_errorDeferred = false;
    bool m_disconnectDeferred = false;
    struct PeerClose
    {
        bool seen = false;
        int code = 0;
        QString reason;
    } m_peerClose; // from the relay
    QTimer *m_connectTimer = nullptr;
    QTimer *m_closeTimer = nullptr;
    QTimer *m_reconnectTimer = nullptr;
    int m_reconnectAttempt = 0; // consecutive attempts without an open connection
    ConnectionOptions m_options;
    ClientConnection::Status m_status;
    PingLedger m_pings; // direct connections time pongs here; through the relay the tap does
    std::shared_ptr<const Protocol> m_protocol; // never null once open() ran
    ProtocolLink *m_protocolLink = nullptr; // owned; deleted by dropProtocol()
    ProtocolClient *m_protocolClient = nullptr; // a child; one per attempt
    bool m_protocolOpen = false;
};

} // namespace wst
