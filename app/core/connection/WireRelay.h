#pragma once

#include "ClientConnection.h"
#include "MessageTap.h"
#include "protocol/FrameBuilder.h"
#include "protocol/FrameDecoder.h"
#include "protocol/HandshakeRecord.h"
#include "protocol/PerMessageDeflate.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QNetworkProxy>

#include <QObject>
#include <QSslConfiguration>
#include <atomic>
#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QSslSocket;

namespace wst {

class DeflateStage;
class MessageStore;
class WireCounters;

// The in-process tap between one QWebSocket and its server (DESIGN.md decision 1; QT64-NOTES.md).
// It listens on 127.0.0.1 as an explicit HTTP CONNECT proxy for exactly one connection, checks
// the connection's tag, opens the upstream socket itself (TLS included, so that it holds the TLS
// session), and copies bytes both ways, recording the handshake exactly as it crosses.
// Once the QWebSocket has accepted the handshake (startTap()), the server's data messages go
// from the relay straight into the connection's store (MessageTap); the QWebSocket gets only the
// control frames. Made and started in the network thread, then moved to the relay thread, so
// that the server's bytes are read, decoded and stored on the other core.
class WireRelay : public QObject
{
    Q_OBJECT
public:
    struct Target
    {
        QString host;
        quint16 port = 0;
        bool tls = false;
        QSslConfiguration sslConfiguration;
        QList<QSslError> ignoredSslErrors;
        bool ignoreAllSslErrors = false;
        QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy); // an upstream proxy to chain through
        // The raw frame view: frames are decoded both ways and recorded while the flag is on.
        std::shared_ptr<MessageStore> frames;
        std::shared_ptr<std::atomic_bool> recordFrames;
        // The connection's history, where the tap writes what the server sends. Without it every
        // byte goes to the QWebSocket.
        std::shared_ptr<MessageStore> messages;
        quint64 maxMessageSize = MessageTap::MaxMessageBytes;
        bool observeMessages = false; // a protocol reads the server's messages: messagesObserved()
        // permessage-deflate, offered in the request and done by the relay (WireRelayDeflate.cpp).
        DeflateOffer deflate = DeflateOffer { .enabled = false };
        // Where the relay adds what compression did, once per read or write (may be null).
        std::shared_ptr<WireCounters> wireCounters;
    };

    WireRelay(const Target &target, QObject *parent = nullptr);
    ~WireRelay() override;

    // False when it could not listen; errorString() says why.
    bool listen();
    quint16 port() const;
    QByteArray tag() const { return m_tag; }
    static QByteArray tagHeader() { return QByteArrayLiteral("X-Wstester-Tag"); }
    const HandshakeRecord &record() const { return m_record; }
    QString errorString() const { return m_error; }
    // The QWebSocket has accepted the handshake: the server's messages from here on (and those
    // that came with the response, held until now) are the tap's. Call in the relay's thread.
    void startTap();
    // Hand-made frames (WireRelayInject.cpp): written straight to the server after the frame the
    // QWebSocket is writing, whose next bytes wait until the plan is out. In the relay's thread.
    void inject(const wst::FrameBuilder::Plan &plan);

Q_SIGNALS:
    // The record gained the request, the response or the start of a refusal's body.
    void recordChanged(const wst::HandshakeRecord &record);
    // The server could not be reached (before any HTTP): refused, not found, TLS failure.
    void upstreamFailed(wst::ClientConnection::ErrorKind kind, const QString &message);
    // The server sent a Close frame (code 1005 when it carried none). Qt's own closeCode()
    // says 1000 even when the connection just dropped; this is what really came.
    void closeFrameReceived(int code, const QString &reason);
    // The tap stored a pong (rttUs -1 when no ping of ours had its payload).
    void pongReceived(qint64 rttUs, const QByteArray &payload);
    // With Target::observeMessages: the data messages the tap stored from one read, in order.
    void messagesObserved(const QList<wst::ObservedMessage> &messages);
    // The server broke RFC 6455 in a way Qt 6.4 would let pass (a masked frame): the connection
    // must be failed with this code and reason. Nothing from that frame on reaches the QWebSocket.
    void serverViolatedProtocol(int closeCode, const QString &reason);
    // A hand-made plan is on the wire (sent false: the connection was gone first).
    void injectionFinished(bool sent);

private:
    void onDownstream();
    void readConnectRequest();
    void startUpstream();
    void onUpstreamReady();
    void onUpstreamError();
    // The message for a failure while the upstream proxy was still setting up the tunnel.
    QString proxyFailure(QAbstractSocket::SocketError error, ClientConnection::ErrorKind *kind) const;
    void fromClient();
    void fromServer();
    // Reads the server again once the QWebSocket has taken most of what it was given.
    void resumeFromServer();
    bool downstreamBacklogged(qint64 limit) const;
    void closeBoth();
    void recordFrame(Direction direction, const FrameInfo &frame);
    // Gives the server's bytes to the tap and the rest of them to the QWebSocket.
    void tapAndForward(const QByteArray &data, bool recordFrames);
    struct InjectChunk
    {
        QByteArray bytes;
        int delayMs = 0;
        std::optional<FrameInfo> frame; // recorded when its first byte goes
        bool lastOfPlan = false;
    };
    void injectNext();

    // permessage-deflate (WireRelayDeflate.cpp). Each returns false while it holds the bytes.
    bool offerDeflate(QByteArray *data);
    bool holdResponseHead(QByteArray *data);
    bool negotiateDeflate(QByteArray *data, const QByteArray &rest);
    QByteArray inflateFromServer(const QByteArray &wire, bool recordFrames);
    QByteArray deflateFromClient(const QByteArray &plain);
    void noteDeflateSizes(Direction direction, quint64 message, quint64 wire);
    void publishDeflateTotals();

    Target m_target;
    QByteArray m_headHeld; // the request or response head, held whole while deflate is offered
    bool m_deflateOffered = false;
    std::unique_ptr<DeflateStage> m_deflate;
    // What the deflate stage had counted when its totals were last added to the wire counters.
    quint64 m_published[4] = {};
    QByteArray m_tag;
    QTcpServer *m_server = nullptr;
    QTcpSocket *m_downstream = nullptr;
    QTcpSocket *m_upstream = nullptr;
    QSslSocket *m_ssl = nullptr;
    QByteArray m_pending; // client bytes that arrived before the tunnel was up
    QByteArray m_connectHead;
    HandshakeRecord m_record;
    QElapsedTimer m_clock;
    qint64 m_connectStartNs = 0;
    qint64 m_tcpDoneNs = 0;
    qint64 m_requestSentNs = 0;
    bool m_tunnelUp = false;
    bool m_requestDone = false;
    bool m_responseDone = false;
    bool m_failed = false;
    bool m_draining = false;
    bool m_upgraded = false; // the response was 101
    bool m_tapStarted = false;
    bool m_closeWaiting = false; // the server is gone; the held bytes go to the QWebSocket first
    bool m_violationReported = false;
    // Qt 6.4 drops the TCP connection right after its own Close frame; the server's answer is
    // still read (for the frame view and scenario close steps) for up to CloseLingerMs.
    bool m_clientClosed = false;
    bool m_serverClosed = false;
    bool m_lingering = false;
    bool m_lingerDone = false;
    static constexpr int CloseLingerMs = 1000;
    QByteArray m_serverHeld; // server bytes after the 101, until the tap starts
    // Flow control: while more than MaxDownstreamBacklog bytes wait for the QWebSocket, the
    // server is not read (its bytes wait in the kernel, and TCP slows the server down) until
    // half of them are gone. The upstream socket buffers at most UpstreamReadBuffer bytes.
    static constexpr qint64 MaxDownstreamBacklog = 4 << 20;
    static constexpr qint64 UpstreamReadBuffer = 4 << 20;
    bool m_serverWaiting = false;
    bool m_ignoreBacklog = false; // closing: whatever the server sent goes on
    MessageTap m_tap;
    QString m_error;
    FrameDecoder m_clientFrames;
    FrameDecoder m_serverFrames;
    QList<InjectChunk> m_injectQueue;
    bool m_injecting = false; // the QWebSocket's bytes wait in m_pending meanwhile
};

} // namespace wst
