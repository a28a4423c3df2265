#pragma once

#include "messages/Message.h"
#include "protocol/FrameDecoder.h"
#include "protocol/PingLedger.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <functional>
#include <utility>

namespace wst {

class MessageStore;

// A complete data message as the server sent it (Text: UTF-8).
struct ObservedMessage
{
    Kind kind = Kind::Text;
    QByteArray payload;
};

// The relay's reading of what a server sends once the QWebSocket has accepted the handshake.
// Complete data messages (text and binary, fragmented or not) go straight into the connection's
// store, and so do pongs, with their round trip measured at the relay (from the client's ping
// passing the relay to the pong coming back), each in the order it came. Pings and Close frames
// go on to the QWebSocket, which answers pings and runs the close handshake as it always does.
// The QWebSocket thus never parses, converts or copies the data it would only have handed back
// to be stored.
//
// Whatever QWebSocket would have to judge makes the tap step aside for good: a protocol error
// (a reserved-bit frame, a reserved opcode, a bad continuation, an oversized or
// fragmented control frame, a length not in its shortest form), invalid UTF-8 in a text message,
// a message over QWebSocket's size limit, anything after the server's or the client's Close.
// From the first byte of the message concerned, every byte then goes to the QWebSocket
// unchanged, and it reacts exactly as without the tap (a close with 1002, 1007 or 1009). What
// the tap recorded before stays recorded. One difference is deliberate: UTF-8 is checked over
// the whole message, as RFC 6455 says, where Qt 6.4 checks each fragment on its own.
//
// What Qt 6.4 would wrongly accept, the tap refuses instead: a masked frame from the server
// (RFC 6455 5.1). Then failure() says so: from that frame on nothing is stored and nothing
// reaches the QWebSocket, whose owner fails the connection with 1002 and says why.
class MessageTap
{
public:
    using FrameSink = std::function<void(const FrameInfo &)>;

    // QWebSocket's own ceiling for maxAllowedIncomingMessageSize (QT64-NOTES.md).
    static constexpr quint64 MaxMessageBytes = 2147483646;
    // The connection's limit: a larger message is left to the QWebSocket, which has the same
    // limit and closes with 1009.
    void setMaxMessageBytes(quint64 bytes) { m_maxMessageBytes = qMin(bytes, MaxMessageBytes); }

    // Takes the next bytes from the server. Messages completed by them are appended to the store
    // with this arrival time; the return value is what must go on to the QWebSocket. Frames are
    // reported to the sink while recordFrames is set (control frames always).
    QByteArray feed(
        QByteArrayView data, MessageStore &store, qint64 timeUs, bool recordFrames, const FrameSink &sink);
    bool steppedAside() const { return m_aside; }
    // Why the connection must be failed (checked after each feed()).
    enum class Failure { None, MaskedFrame };
    Failure failure() const { return m_failure; }

    // The client sent a ping with this payload: the first pong with the same payload measures
    // the round trip.
    void notePing(const QByteArray &payload);
    // The client sent its Close: from here the QWebSocket gets everything (Qt 6.4 drops the
    // connection right after its Close, so nothing more is received, as on a direct connection).
    void noteClientClose() { m_clientClosed = true; }
    struct Pong
    {
        qint64 rttUs = -1; // -1: no ping of ours had this payload
        QByteArray payload;
    };
    // The pongs stored since the last call.
    QList<Pong> takePongs() { return std::exchange(m_pongs, {}); }
    // A protocol over the WebSocket (Socket.IO, MQTT, ...) reads the messages too: while on, the
    // data messages stored are also kept for takeObserved().
    void setObserveMessages(bool on) { m_observe = on; }
    QList<ObservedMessage> takeObserved() { return std::exchange(m_observed, {}); }
    // Bytes waiting for the rest of their frame.
    qsizetype pendingBytes() const
    {
        return m_buffer.size() + m_messageHeaders.size() + m_messagePayload.size();
    }
    // The headers of one fragmented message the tap keeps before it leaves the message to the
    // QWebSocket: endless empty fragments would otherwise grow them without limit, where the
    // QWebSocket keeps nothing for them.
    static constexpr qsizetype MaxFragmentHeaderBytes = 1 << 20;

private:
    // Parses complete frames of data from the start; returns how many bytes were consumed, or
    // -1 when the tap must step aside at `*at` (the start of the frame concerned).
    qsizetype consume(QByteArrayView data, MessageStore &store, qint64 timeUs, bool recordFrames,
        const FrameSink &sink, QByteArray *forward, qsizetype *at);

    QByteArray m_buffer; // the start of a frame whose end has not arrived
    bool m_aside = false;
    Failure m_failure = Failure::None;
    bool m_closeSeen = false; // nothing may follow a Close frame: QWebSocket ignores what does
    bool m_clientClosed = false;
    // The frames of the fragmented message in progress, as they came: given to the QWebSocket if
    // the tap steps aside before the message is complete.
    QByteArray messageFrames() const;

    // A fragmented message in progress: its frames' headers, one after another, and its payload
    // so far. The frames are these two interleaved; the payload is not kept twice.
    bool m_inMessage = false;
    Opcode m_messageOpcode = Opcode::Continuation;
    QByteArray m_messageHeaders;
    QByteArray m_messagePayload;
    FrameDecoder m_asideFrames; // the frame view's decoder once the tap has stepped aside or failed
    PingLedger m_pings;
    QList<Pong> m_pongs;
    bool m_observe = false;
    QList<ObservedMessage> m_observed;
    quint64 m_maxMessageBytes = MaxMessageBytes;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ObservedMessage)
