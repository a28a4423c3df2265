#include "MessageTap.h"

#include "messages/MessageStore.h"

#include <QtEndian>

#include <optional>

namespace wst {

namespace {

bool isControl(quint8 opcode)
{
    return opcode >= 0x8;
}

FrameInfo completeFrame(QByteArrayView header, QByteArrayView payload)
{
    const auto b0 = quint8(header[0]);
    FrameInfo f;
    f.fin = b0 & 0x80;
    f.rsv = (b0 >> 4) & 0x7;
    f.opcode = b0 & 0x0f;
    f.length = quint64(payload.size());
    f.header = header.toByteArray();
    const qsizetype limit = isControl(f.opcode) ? FrameInfo::ControlBytes : FrameInfo::HeadBytes;
    f.head = payload.first(qMin(payload.size(), limit)).toByteArray();
    return f;
}

} // namespace

void MessageTap::notePing(const QByteArray &payload)
{
    if (m_aside)
        return; // the QWebSocket gets the pongs now, and times them itself
    if (!m_clock.isValid())
        m_clock.start();
    m_pings[payload].append(m_clock.nsecsElapsed());
}

QByteArray MessageTap::feed(QByteArrayView data, MessageStore &store, qint64 timeUs, bool recordFrames,
                            const FrameSink &sink)
{
    if (m_aside) {
        m_asideFrames.feed(data, recordFrames, sink);
        return data.toByteArray();
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
    m_aside = true;
    const QByteArrayView rest = data.sliced(at);
    m_asideFrames.feed(rest, recordFrames, sink);
    forward += m_messageRaw;
    forward += rest;
    m_messageRaw.clear();
    m_messagePayload.clear();
    m_buffer.clear();
    return forward;
}

qsizetype MessageTap::consume(QByteArrayView data, MessageStore &store, qint64 timeUs, bool recordFrames,
                              const FrameSink &sink, QByteArray *forward, qsizetype *at)
{
    const auto *bytes = reinterpret_cast<const uchar *>(data.data());
    const qsizetype size = data.size();
    std::optional<MessageStore::Batch> batch;
    qsizetype i = 0;
    while (size - i >= 2) {
        const uchar *h = bytes + i;
        const bool fin = h[0] & 0x80;
        const quint8 rsv = (h[0] >> 4) & 0x7;
        const quint8 opcode = h[0] & 0x0f;
        const bool masked = h[1] & 0x80;
        const quint8 len7 = h[1] & 0x7f;
        const qsizetype headerSize = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
        if (size - i < headerSize)
            break;
        quint64 length = len7;
        if (len7 == 126)
            length = qFromBigEndian<quint16>(h + 2);
        else if (len7 == 127)
            length = qFromBigEndian<quint64>(h + 2);
        // What QWebSocket reads as a protocol error, or must refuse as too big, it judges itself.
        const bool shortestForm = len7 < 126 || (len7 == 126 && length >= 126) || (len7 == 127 && length > 0xffff);
        const bool knownOpcode = opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
        if (m_closeSeen || m_clientClosed || masked || rsv != 0 || !knownOpcode || !shortestForm || length > MaxMessageBytes
            || (isControl(opcode) && (!fin || length > 125)) || (opcode == 0x0 && !m_inMessage)
            || ((opcode == 0x1 || opcode == 0x2) && m_inMessage)
            || (opcode == 0x0 && quint64(m_messagePayload.size()) + length > MaxMessageBytes)) {
            *at = i;
            return -1;
        }
        if (quint64(size - i - headerSize) < length)
            break; // the rest of the frame is still on its way
        const qsizetype frameSize = headerSize + qsizetype(length);
        const QByteArrayView frame = data.sliced(i, frameSize);
        const QByteArrayView payload = frame.sliced(headerSize);
        if (opcode == 0xA) {
            // Stored here, in the order it came; the QWebSocket has no use for it.
            Pong pong;
            pong.payload = payload.toByteArray();
            if (auto it = m_pings.find(pong.payload); it != m_pings.end()) {
                pong.rttUs = (m_clock.nsecsElapsed() - it->takeFirst()) / 1000;
                if (it->isEmpty())
                    m_pings.erase(it);
            }
            if (!batch)
                batch.emplace(store);
            batch->appendBytes(Direction::In, Kind::Pong, payload, timeUs, pong.rttUs);
            m_pongs.append(pong);
        } else if (isControl(opcode)) {
            forward->append(frame);
            m_closeSeen = opcode == 0x8;
        } else if (fin && opcode != 0x0) {
            if (opcode == 0x1 && !payload.isValidUtf8()) {
                *at = i;
                return -1;
            }
            if (!batch)
                batch.emplace(store);
            batch->appendBytes(Direction::In, opcode == 0x1 ? Kind::Text : Kind::Binary, payload, timeUs);
        } else {
            // A fragment: the message is judged and stored whole once its last frame is here.
            if (opcode != 0x0) {
                m_inMessage = true;
                m_messageOpcode = opcode;
            }
            m_messagePayload.append(payload);
            if (fin) {
                if (m_messageOpcode == 0x1 && !QByteArrayView(m_messagePayload).isValidUtf8()) {
                    m_messagePayload.clear();
                    *at = i;
                    return -1;
                }
                if (!batch)
                    batch.emplace(store);
                batch->appendBytes(Direction::In, m_messageOpcode == 0x1 ? Kind::Text : Kind::Binary,
                                   m_messagePayload, timeUs);
                m_inMessage = false;
                m_messageRaw.clear();
                m_messagePayload.clear();
            } else {
                m_messageRaw.append(frame);
            }
        }
        if (recordFrames || opcode == 0x8)
            sink(completeFrame(frame.first(headerSize), payload));
        i += frameSize;
    }
    return i;
}

} // namespace wst
