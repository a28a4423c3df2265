#include "FrameDecoder.h"

#include <utility>

namespace wst {

QString FrameInfo::opcodeName() const
{
    switch (opcode) {
    case Opcode::Continuation:
        return FrameDecoder::tr("continuation");
    case Opcode::Text:
        return FrameDecoder::tr("text");
    case Opcode::Binary:
        return FrameDecoder::tr("binary");
    case Opcode::Close:
        return FrameDecoder::tr("close");
    case Opcode::Ping:
        return FrameDecoder::tr("ping");
    case Opcode::Pong:
        return FrameDecoder::tr("pong");
    }
    return FrameDecoder::tr("reserved 0x%1").arg(quint8(opcode), 1, 16);
}

FrameInfo FrameInfo::fromStored(QByteArrayView stored, qint64 headerLength, quint64 length)
{
    FrameInfo f;
    const QByteArrayView header = stored.first(qMin<qsizetype>(headerLength, stored.size()));
    // A stored header is whole (the store keeps its length); a damaged one keeps the defaults.
    FrameHeader::parse(header, &f);
    f.header = header.toByteArray();
    f.head = stored.sliced(header.size()).toByteArray();
    f.length = length;
    return f;
}

void FrameDecoder::feed(QByteArrayView data, bool record, const Sink &sink)
{
    qsizetype i = 0;
    while (i < data.size() && !m_failed) {
        if (!m_inPayload) {
            // Collect the header: its first 2 bytes tell how long the rest of it is.
            const qsizetype take = qMin(m_headerNeeded - m_header.size(), data.size() - i);
            m_header.append(data.data() + i, take);
            i += take;
            if (m_header.size() < m_headerNeeded)
                return;
            if (m_header.size() == FrameHeader::MinSize) {
                m_headerNeeded = FrameHeader::sizeFor(quint8(m_header[1]));
                if (m_headerNeeded > FrameHeader::MinSize)
                    continue;
            }
            m_frame = {};
            FrameHeader::parse(m_header, &m_frame);
            m_frame.header = std::exchange(m_header, {});
            m_headerNeeded = FrameHeader::MinSize;
            m_payloadLeft = m_frame.length;
            m_payloadSeen = 0;
            m_inPayload = true;
            m_reported = false;
            // Control frames are always reported: the relay learns the close codes and the ping
            // times (for round trips) from them.
            m_recordThis = record || m_frame.isControl();
        }
        const qsizetype take = qsizetype(qMin<quint64>(m_payloadLeft, quint64(data.size() - i)));
        const qsizetype headLimit = m_frame.isControl() ? FrameInfo::ControlBytes : FrameInfo::HeadBytes;
        if (m_recordThis && m_frame.head.size() < headLimit) {
            const qsizetype want = qMin<qsizetype>(take, headLimit - m_frame.head.size());
            for (qsizetype k = 0; k < want; ++k) {
                char c = data[i + k];
                if (m_frame.masked)
                    c = char(quint8(c) ^ m_frame.maskByte(m_payloadSeen + k));
                m_frame.head.append(c);
            }
        }
        i += take;
        m_payloadLeft -= quint64(take);
        m_payloadSeen += quint64(take);
        const bool headComplete = m_frame.head.size() >= headLimit || m_payloadLeft == 0;
        if (m_recordThis && !m_reported && headComplete) {
            m_reported = true;
            sink(m_frame);
        }
        if (m_payloadLeft == 0)
            m_inPayload = false;
    }
}

} // namespace wst
