#include "FrameDecoder.h"

#include <QtEndian>

namespace wst {

QString FrameInfo::opcodeName() const
{
    switch (opcode) {
    case 0x0:
        return FrameDecoder::tr("continuation");
    case 0x1:
        return FrameDecoder::tr("text");
    case 0x2:
        return FrameDecoder::tr("binary");
    case 0x8:
        return FrameDecoder::tr("close");
    case 0x9:
        return FrameDecoder::tr("ping");
    case 0xA:
        return FrameDecoder::tr("pong");
    default:
        return FrameDecoder::tr("reserved 0x%1").arg(opcode, 1, 16);
    }
}

FrameInfo FrameInfo::fromStored(QByteArrayView stored, qint64 headerLength, quint64 length)
{
    FrameInfo f;
    f.header = stored.first(qMin<qsizetype>(headerLength, stored.size())).toByteArray();
    f.head = stored.sliced(f.header.size()).toByteArray();
    f.length = length;
    if (f.header.size() >= 2) {
        const auto b0 = quint8(f.header[0]);
        const auto b1 = quint8(f.header[1]);
        f.fin = b0 & 0x80;
        f.rsv = (b0 >> 4) & 0x7;
        f.opcode = b0 & 0x0f;
        f.masked = b1 & 0x80;
        if (f.masked && f.header.size() >= 6)
            f.maskKey = qFromBigEndian<quint32>(f.header.constData() + f.header.size() - 4);
    }
    return f;
}

void FrameDecoder::finishHeader()
{
    const auto *h = reinterpret_cast<const uchar *>(m_header.constData());
    m_frame = {};
    m_frame.fin = h[0] & 0x80;
    m_frame.rsv = (h[0] >> 4) & 0x7;
    m_frame.opcode = h[0] & 0x0f;
    m_frame.masked = h[1] & 0x80;
    const quint8 len7 = h[1] & 0x7f;
    qsizetype at = 2;
    if (len7 == 126) {
        m_frame.length = qFromBigEndian<quint16>(h + 2);
        at = 4;
    } else if (len7 == 127) {
        m_frame.length = qFromBigEndian<quint64>(h + 2);
        at = 10;
    } else {
        m_frame.length = len7;
    }
    if (m_frame.masked)
        m_frame.maskKey = qFromBigEndian<quint32>(h + at);
    m_frame.header = m_header;
    m_payloadLeft = m_frame.length;
    m_payloadSeen = 0;
    m_inPayload = true;
    m_reported = false;
}

void FrameDecoder::feed(QByteArrayView data, bool record, const Sink &sink)
{
    qsizetype i = 0;
    while (i < data.size() && !m_failed) {
        if (!m_inPayload) {
            // Collect the header: 2 bytes tell how long the rest of it is.
            const qsizetype take = qMin(m_headerNeeded - m_header.size(), data.size() - i);
            m_header.append(data.data() + i, take);
            i += take;
            if (m_header.size() < m_headerNeeded)
                return;
            if (m_headerNeeded == 2) {
                const auto b1 = quint8(m_header[1]);
                const quint8 len7 = b1 & 0x7f;
                m_headerNeeded = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) ? 4 : 0);
                if (m_headerNeeded > 2)
                    continue;
            }
            finishHeader();
            // Control frames are always reported: the relay learns the close codes and the ping
            // times (for round trips) from them.
            m_recordThis = record || m_frame.opcode >= 0x8;
            m_header.clear();
            m_headerNeeded = 2;
        }
        const qsizetype take = qsizetype(qMin<quint64>(m_payloadLeft, quint64(data.size() - i)));
        const qsizetype headLimit = m_frame.opcode >= 0x8 ? FrameInfo::ControlBytes : FrameInfo::HeadBytes;
        if (m_recordThis && m_frame.head.size() < headLimit) {
            const qsizetype want = qMin<qsizetype>(take, headLimit - m_frame.head.size());
            for (qsizetype k = 0; k < want; ++k) {
                char c = data[i + k];
                if (m_frame.masked)
                    c = char(quint8(c) ^ quint8(m_frame.maskKey >> (8 * (3 - ((m_payloadSeen + k) & 3)))));
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
