#pragma once

#include "ConnectionOptions.h"
#include "messages/Message.h"
#include "protocol/FrameSpec.h"
#include "protocol/HandshakeRecord.h"
#include "protocols/ProtocolCommand.h"
#include "protocols/ProtocolState.h"

#include <QAbstractSocket>
#include <QObject>
#include <QPointer>
#include <QSslError>

#include <atomic>
#include <memory>

namespace wst {

class MessageStore;
class ClientWorker;
class WireCounters;
class Protocol;

// One client connection. Lives in the caller's thread; its QWebSocket lives in the network
// thread, which records every message and event into the store() itself, so the caller's thread
// only ever sees batches. Calls are asynchronous: they are carried out in the network thread in
// the order they were made.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Open, Closing, Closed, Error };
    Q_ENUM(State)
    enum class ErrorKind { None, InvalidOptions, Refused, HostNotFound, Timeout, Tls, Handshake, Network };
    Q_ENUM(ErrorKind)

    // A snapshot of the connection, sent from the network thread with every change.
    struct Status
    {
        State state = State::Idle;
        ErrorKind errorKind = ErrorKind::None;
        QString errorString;
        QString subprotocol;
        int closeCode = 0; // 0 while no close has happened
        QString closeReason;
        bool closedByUs = false;
        QList<QSslError> sslErrors;
        // Auto-reconnect: the next attempt's number and when it starts (0: none scheduled).
        int reconnectAttempt = 0;
        qint64 reconnectAtMs = 0; // QDateTime::currentMSecsSinceEpoch() based
    };

    explicit ClientConnection(QObject *parent = nullptr);
    ~ClientConnection() override;

    std::shared_ptr<MessageStore> store() const { return m_store; }
    // The raw frame view: every frame both ways (control frames included), recorded by the relay
    // while setRecordFrames(true). Rows: payload = header bytes + first bytes, extra = (length << 4) | header
    // size.
    std::shared_ptr<MessageStore> frames() const { return m_frames; }
    void setRecordFrames(bool on);
    // What permessage-deflate did, over every attempt of this connection: readable at any time
    // (the relay adds to it as it goes; nothing is signalled).
    std::shared_ptr<const WireCounters> wireCounters() const { return m_wireCounters; }
    bool recordsFrames() const;
    const Status &status() const { return m_status; }
    State state() const { return m_status.state; }
    ConnectionOptions options() const { return m_options; }
    // What the wire relay recorded of the last connection attempt.
    const HandshakeRecord &handshake() const { return m_handshake; }

    // Starts connecting with these options; a connection still open is aborted first. Invalid
    // options are refused at once (state Error, kind InvalidOptions) and nothing is sent.
    void open(const ConnectionOptions &options);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    // Payloads over 125 bytes are refused (Qt would cut them silently).
    bool ping(const QByteArray &payload = {});
    // Refuses codes and reasons that cannot be sent (see CloseCodes::validate; sendAnyway lets
    // 1005, 1006 and 1015 through, for testing servers).
    bool close(int code = 1000, const QString &reason = {}, bool sendAnyway = false);
    void abort();
    // A hand-made frame (or fragmented message) written by the wire relay straight to the server:
    // the QWebSocket never sees it. Needs the relay (ConnectionOptions::useRelay); the history
    // gets a row saying what was sent, the frame view the frames.
    void sendFrame(const wst::FrameSpec &spec);
    // Stops a scheduled automatic reconnect.
    void cancelReconnect();
    // The protocol spoken over the connection (Raw, Socket.IO, GraphQL, STOMP, MQTT), made from
    // the options of the last open(): decodes the history's messages. Never null.
    std::shared_ptr<const Protocol> protocol() const { return m_protocol; }
    // Sends a protocol command (emit, subscribe, publish, ...). Before the protocol's handshake
    // is done it waits; a refusal is an Error row in the history and commandRefused().
    // Returns a ticket that commandHandled() names when the protocol has taken the command
    // (sent, or queued until its handshake is done) or refused it.
    quint64 submit(const ProtocolCommand &command);
    // The protocol session as known from its notices: ready, handshake fields, operations.
    const ProtocolState &protocolState() const { return m_protocolState; }
    // Shows a handshake recorded earlier (a reopened session) until the next attempt.
    void restoreHandshake(const HandshakeRecord &record);
    // Adds an info row to the history (from the caller's thread, in order with the calls above).
    void note(const QString &text);

    static QString stateName(State state);

Q_SIGNALS:
    void stateChanged(wst::ClientConnection::State state);
    // A pong arrived; rttUs is measured by wstester per payload (-1 for an unsolicited pong).
    void pongReceived(qint64 rttUs, const QByteArray &payload);
    void handshakeChanged();
    void protocolNotice(const wst::ProtocolNotice &notice);
    // The protocol state changed (ready, handshake fields, operations).
    void protocolStateChanged();
    void commandRefused(const QString &problem);
    // Every submit() is answered: problem is empty when the command was taken.
    void commandHandled(quint64 ticket, const QString &problem);

private:
    void applyStatus(const wst::ClientConnection::Status &status);

    std::shared_ptr<MessageStore> m_store;
    std::shared_ptr<MessageStore> m_frames;
    std::shared_ptr<std::atomic_bool> m_recordFrames;
    std::shared_ptr<WireCounters> m_wireCounters;
    QPointer<ClientWorker> m_worker;
    ConnectionOptions m_options;
    Status m_status;
    HandshakeRecord m_handshake;
    std::shared_ptr<const Protocol> m_protocol;
    ProtocolState m_protocolState;
    quint64 m_nextTicket = 1;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ClientConnection::Status)
