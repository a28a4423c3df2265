#pragma once

#include "protocol/FrameHeader.h"
#include "protocol/PerMessageDeflate.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace wst {

// The local server's byte shim between a client and QWebSocketServer (ServerShim), without the
// sockets: what Qt 6.4 cannot do on the server side. From the client: every frame must be masked
// (RFC 6455 5.1), RSV1 is judged (RFC 7692 6.1), compressed messages are inflated and handed to
// Qt as one plain frame, pings may be held back (the "stop answering pings" fault). From Qt:
// data messages are compressed into one frame with RSV1 when permessage-deflate was agreed.
// Frames that need no change stream through as they come (only their headers are read), and a
// chunk that passes whole is handed on without a copy.
class ServerFrameStage
{
    Q_DECLARE_TR_FUNCTIONS(ServerFrameStage)
public:
    ServerFrameStage(const std::optional<DeflateAgreement> &deflate, quint64 maxMessageBytes);

    void setDropPings(bool drop) { m_dropPings = drop; }
    // The client's bytes in, Qt's out. After a failure nothing more comes out.
    QByteArray fromClient(const QByteArray &wire);
    // Qt's bytes in, the wire's out.
    QByteArray fromServer(const QByteArray &plain);
    // True when what fromServer() handed on ends with a whole frame (a Close of the shim's own
    // may follow).
    bool serverAtFrameBoundary() const { return m_fromQt.atBoundary(); }

    // Why the client must be failed: its close code (1002, 1007, 1009) and one line.
    int failureCode() const { return m_failureCode; }
    QString failureReason() const { return m_failureReason; }
    // The payloads of the pings held back since last asked.
    QList<QByteArray> takeDroppedPings() { return std::exchange(m_droppedPings, {}); }

    struct Totals
    {
        quint64 wireIn = 0; // compressed message payload bytes, each way
        quint64 messageIn = 0;
        quint64 wireOut = 0;
        quint64 messageOut = 0;
    };
    const Totals &totals() const { return m_totals; }

    // A frame header and payload; masked with the key 0 (a valid mask that changes nothing).
    static QByteArray frame(quint8 firstByte, QByteArrayView payload, bool maskWithZero);
    static QByteArray closeFrame(int code, const QString &reason);

    // One direction's frames, header by header: each frame passes as its bytes come, is
    // collected whole for a handler, or stops the stream.
    class FrameStream
    {
    public:
        enum class Action { Pass, Collect, Stop };
        template <typename Decide, typename Collected>
        QByteArray feed(const QByteArray &wire, Decide decide, Collected collected);
        bool atBoundary() const { return m_passLeft == 0 && m_collectLeft == 0 && m_header.isEmpty(); }
        qsizetype collectedSoFar() const { return m_frame.size(); }

    private:
        QByteArray m_header; // a header split between two chunks
        quint64 m_passLeft = 0;
        quint64 m_collectLeft = 0;
        FrameHeader m_h;
        QByteArray m_frame; // the payload being collected
        bool m_stopped = false;
    };

private:
    FrameStream::Action decideFromClient(const FrameHeader &h);
    QByteArray clientFrame(const FrameHeader &h, QByteArray &payload);
    FrameStream::Action decideFromQt(const FrameHeader &h);
    QByteArray qtFrame(const FrameHeader &h, QByteArray &payload);
    void fail(int code, const QString &reason);

    std::optional<MessageInflater> m_inflater;
    std::optional<MessageDeflater> m_deflater;
    quint64 m_maxMessageBytes;
    bool m_dropPings = false;
    FrameStream m_fromClient;
    FrameStream m_fromQt;
    bool m_inCompressed = false; // a compressed message from the client is in progress
    quint8 m_inOpcode = 0;
    QByteArray m_inPayload;
    bool m_outInMessage = false;
    quint8 m_outOpcode = 0;
    QByteArray m_outPayload;
    int m_failureCode = 0;
    QString m_failureReason;
    QList<QByteArray> m_droppedPings;
    Totals m_totals;
};

} // namespace wst
