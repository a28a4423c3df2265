#pragma once

#include "StompFrame.h"
#include "protocols/ProtocolClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>

class QTimer;

namespace wst {

class StompProtocol;

// A STOMP session on one client connection: CONNECT with accept-version, host, login/passcode
// and heart-beat; CONNECTED makes it ready (a Handshake notice with the version, server, session
// and negotiated heart-beats). Heart-beats are sent and watched at the negotiated intervals: a
// server silent for twice its interval is noted once (the connection is left open, so the user
// sees what the server does next).
// Verbs (ProtocolCommand.h): "subscribe" (name = destination, options.ack = auto | client |
// client-individual, id optional: "sub-0", "sub-1"...) -> OperationStarted; "unsubscribe" or
// "stop" (id) -> OperationEnded; "send" (name = destination, body or data, headers; content-type
// defaults to application/json when the body parses as JSON, else text/plain; content-length is
// always set; options.transaction); "ack"/"nack" (id = the MESSAGE's ack header in 1.2, its
// message-id in 1.1 with options.subscription; options.transaction); "begin"/"commit"/"abort"
// (id = transaction); "disconnect". expectReply adds a receipt header: the RECEIPT comes back as
// a Reply notice with rttUs. An ERROR frame becomes an Error notice (name = its message header,
// data = its body).
class StompClient final : public ProtocolClient
{
    Q_OBJECT
public:
    StompClient(std::shared_ptr<const Protocol> protocol, ProtocolClientSink *sink);
    ~StompClient() override;

    void opened() override;
    void received(Kind kind, const QByteArray &payload) override;
    void closed() override;

    // Negotiated by CONNECTED (0: none in that direction).
    int sendEveryMs() const { return m_sendEveryMs; }
    int expectEveryMs() const { return m_expectEveryMs; }
    QByteArray version() const { return m_version; }

protected:
    QString check(const ProtocolCommand &command) const override;
    QString execute(const ProtocolCommand &command) override;

private:
    struct Pending
    {
        QString what;
        qint64 sentNs = 0;
        bool disconnect = false;
        quint64 ticket = 0;
    };

    const StompProtocol &stomp() const;
    void handle(const StompFrame &frame);
    void onConnected(const StompFrame &frame);
    void onReceipt(const StompFrame &frame);
    void onError(const StompFrame &frame);
    void sendFrame(const StompFrame &frame);
    void addReceipt(
        StompFrame &frame, const ProtocolCommand &command, const QString &what, bool disconnect = false);
    void tick();

    QHash<QByteArray, Pending> m_receipts;
    QMap<QString, QString> m_subscriptions; // id -> destination
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    qint64 m_lastSentMs = 0;
    qint64 m_lastReceivedMs = 0;
    int m_sendEveryMs = 0;
    int m_expectEveryMs = 0;
    bool m_open = false;
    bool m_silenceNoted = false;
    int m_nextSubscription = 0;
    int m_nextReceipt = 0;
    QByteArray m_version;
    StompHeaders m_connectHeaders; // what CONNECT offered, for the Handshake notice
};

} // namespace wst
