#include "MessageTap.h"

#include "messages/MessageStore.h"

#include <optional>

namespace wst {

namespace {

FrameInfo completeFrame(const FrameHeader &h, QByteArrayView header, QByteArrayView payload)
{
    FrameInfo f;
    static_cast<FrameHeader &>(f) = h;
    f.header = header.toByteArray();
    const qsizetype limit = h.isControl() ? FrameInfo::ControlBytes : FrameInfo::HeadBytes;
    f.head = payload.first(qMin(payload.size(), limit)).toByteArray();
    return f;
}

} // namespace

void MessageTap::notePing(const QByteArray &payload)
{
    if (m_aside)
        return; // the QWebSocket gets the pongs now, and times them itself
    m_pings.sent(payload);
}

QByteArray MessageTap::feed(
    QByteArrayView data, MessageStore &store, qint64 timeUs, bool recordFrames, const FrameSink &sink)
{
    if (m_aside || m_failure != Failure::None) {
        m_asideFrames.feed(data, recordFrames, sink);
        return m_aside ? data.toByteArray() : QByteArray();
    }
    QByteArray forward;
    qsizetype at = 0;
    qsizetype used = 0;
    if (m_buffer.isEmpty()) {
        used = consume(data, store, timeUs, recordFrames, sink, &forward, &at);
        if (used >= 0) {
            if (used < data.size())
                m_buffer = data.sliced(used).toByteArray();
            return forward;
        }
    } else {
        m_buffer.append(data);
        used = consume(m_buffer, store, timeUs, recordFrames, sink, &forward, &at);
        if (used >= 0) {
            m_buffer.remove(0, used);
            return forward;
        }
        data = m_buffer;
    }
    // Step aside: the QWebSocket gets the message concerned from its first frame, then the rest.
    // Or fail: the QWebSocket gets nothing more (a message in progress is never completed).
    const QByteArrayView rest = data.sliced(at);
    m_asideFrames.feed(rest, recordFrames, sink);
    if (m_failure == Failure::None) {
        m_aside = true;
        forward += messageFrames();
        forward += rest;
    }
    m_messageHeaders.clear();
    m_messagePayload.clear();
    m_buffer.clear();
    return forward;
}

qsizetype MessageTap::consume(QByteArrayView data, MessageStore &store, qint64 timeUs, bool recordFrames,
    const FrameSink &sink, QByteArray *forward, qsizetype *at)
{
    const qsizetype size = data.size();
    std::optional<MessageStore::Batch> batch;
    qsizetype i = 0;
    FrameHeader h;
    while (const int headerSize = FrameHeader::parse(data.sliced(i), &h)) {
        const bool fin = h.fin;
        const Opcode opcode = h.opcode;
        const quint64 length = h.length;
        if (m_closeSeen || m_clientClosed) {
            *at = i; // QWebSocket ignores what follows a Close
            return -1;
        }
        if (h.masked) {
            m_failure = Failure::MaskedFrame; // Qt 6.4 would unmask and deliver it
            *at = i;
            return -1;
        }
        // What QWebSocket reads as a protocol error, or must refuse as too big, it judges itself.
        if (h.rsv != 0 || !isKnown(opcode) || !h.isShortestLength() || length > m_maxMessageBytes
            || (isControl(opcode) && (!fin || length > 125))
            || (opcode == Opcode::Continuation && !m_inMessage)
            || ((opcode == Opcode::Text || opcode == Opcode::Binary) && m_inMessage)
            || (opcode == Opcode::Continuation
                && (quint64(m_messagePayload.size()) + length > m_maxMessageBytes
                    || m_messageHeaders.size() >= MaxFragmentHeaderBytes))) {
            *at = i;
            return -1;
        }
        if (quint64(size - i - headerSize) < length)
            break; // the rest of the frame is still on its way
        const qsizetype frameSize = headerSize + qsizetype(length);
        const QByteArrayView frame = data.sliced(i, frameSize);
        const QByteArrayView payload = frame.sliced(headerSize);
        if (opcode == Opcode::Pong) {
            // Stored here, in the order it came; the QWebSocket has no use for it.
            Pong pong;
            pong.payload = payload.toByteArray();
            pong.rttUs = m_pings.answered(payload);
            if (!batch)
                batch.emplace(store);
            batch->appendBytes(Direction::In, Kind::Pong, payload, timeUs, pong.rttUs);
            m_pongs.append(pong);
        } else if (isControl(opcode)) {
            forward->append(frame);
            m_closeSeen = opcode == Opcode::Close;
        } else if (fin && opcode != Opcode::Continuation) {
            if (opcode == Opcode::Text && !payload.isValidUtf8()) {
                *at = i;
                return -1;
            }
            if (!batch)
                batch.emplace(store);
            const Kind kind = opcode == Opcode::Text ? Kind::Text : Kind::Binary;
            batch->appendBytes(Direction::In, kind, payload, timeUs);
            if (m_observe)
                m_observed.append({ kind, payload.toByteArray() });
        } else {
            // A fragment: the message is judged and stored whole once its last frame is here.
            if (opcode != Opcode::Continuation) {
                m_inMessage = true;
                m_messageOpcode = opcode;
            }
            m_messagePayload.append(payload);
            if (fin) {
                if (m_messageOpcode == Opcode::Text && !QByteArrayView(m_messagePayload).isValidUtf8()) {
                    *at = i;
                    return -1;
                }
                if (!batch)
                    batch.emplace(store);
                const Kind kind = m_messageOpcode == Opcode::Text ? Kind::Text : Kind::Binary;
                batch->appendBytes(Direction::In, kind, m_messagePayload, timeUs);
                if (m_observe)
                    m_observed.append({ kind, m_messagePayload });
                m_inMessage = false;
                m_messageHeaders.clear();
                m_messagePayload.clear();
            } else {
                m_messageHeaders.append(frame.first(headerSize));
            }
        }
        if (recordFrames || opcode == Opcode::Close)
            sink(completeFrame(h, frame.first(headerSize), payload));
        i += frameSize;
    }
    return i;
}

QByteArray MessageTap::messageFrames() const
{
    QByteArray frames;
    frames.reserve(m_messageHeaders.size() + m_messagePayload.size());
    const QByteArrayView headers(m_messageHeaders);
    qsizetype h = 0;
    qsizetype p = 0;
    FrameHeader header;
    while (h < headers.size()) {
        const int size = FrameHeader::parse(headers.sliced(h), &header);
        Q_ASSERT(size > 0 && p + qsizetype(header.length) <= m_messagePayload.size());
        frames += headers.sliced(h, size);
        frames += QByteArrayView(m_messagePayload).sliced(p, qsizetype(header.length));
        h += size;
        p += qsizetype(header.length);
    }
    return frames;
}

} // namespace wst
