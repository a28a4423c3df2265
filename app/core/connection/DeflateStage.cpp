#include "DeflateStage.h"

#include "protocol/FrameHeader.h"

#include <QRandomGenerator>
#include <QtEndian>

namespace wst {

namespace {
constexpr quint8 Rsv1 = 0x4; // FrameHeader::rsv keeps RSV1..3 as bits 2..0
}

DeflateStage::DeflateStage(const DeflateAgreement &agreement, quint64 maxMessageBytes)
    : m_inflater(agreement.serverNoContextTakeover, maxMessageBytes)
    , m_deflater(agreement.clientMaxWindowBits, agreement.clientNoContextTakeover)
    , m_maxMessageBytes(maxMessageBytes)
{
}

QByteArray DeflateStage::frame(quint8 firstByte, QByteArrayView payload, bool mask)
{
    QByteArray out;
    const quint64 n = quint64(payload.size());
    out.reserve(payload.size() + 14);
    out.append(char(firstByte));
    const char maskBit = mask ? char(0x80) : char(0);
    if (n < 126) {
        out.append(char(maskBit | char(n)));
    } else if (n <= 0xffff) {
        out.append(char(maskBit | 126));
        char len[2];
        qToBigEndian<quint16>(quint16(n), len);
        out.append(len, 2);
    } else {
        out.append(char(maskBit | 127));
        char len[8];
        qToBigEndian<quint64>(n, len);
        out.append(len, 8);
    }
    if (!mask) {
        out.append(payload);
        return out;
    }
    const quint32 key = QRandomGenerator::global()->generate();
    char k[4];
    qToBigEndian<quint32>(key, k);
    out.append(k, 4);
    const qsizetype at = out.size();
    out.append(payload);
    char *p = out.data() + at;
    for (qsizetype i = 0; i < payload.size(); ++i)
        p[i] ^= k[i & 3];
    return out;
}

void DeflateStage::fail(int code, const QString &reason)
{
    if (m_failureCode)
        return;
    m_failureCode = code;
    m_failureReason = reason;
    m_serverBuffer.clear();
    m_serverPayload.clear();
}

QByteArray DeflateStage::fromServer(QByteArrayView wire)
{
    if (m_failureCode)
        return {};
    if (m_aside)
        return wire.toByteArray();
    m_serverBuffer.append(wire);
    QByteArray out;
    qsizetype i = 0;
    FrameHeader h;
    while (const int headerSize = FrameHeader::parse(QByteArrayView(m_serverBuffer).sliced(i), &h)) {
        const bool rsv1 = h.rsv & Rsv1;
        const quint8 op = quint8(h.opcode);
        const bool data = op == 0x1 || op == 0x2;
        const bool continuation = op == 0x0;
        // RFC 7692 6.1: RSV1 on a control frame or a continuation frame is a protocol error.
        if (rsv1 && h.isControl()) {
            fail(1002, tr("The server set RSV1 on a control frame (RFC 7692 section 6.1)."));
            break;
        }
        if (rsv1 && continuation) {
            fail(1002, tr("The server set RSV1 on a continuation frame (RFC 7692 section 6.1)."));
            break;
        }
        if (data && m_serverCompressed) {
            fail(1002, tr("The server began a new message inside a compressed fragmented one."));
            break;
        }
        const bool ours = (data && rsv1) || (continuation && m_serverCompressed);
        if (ours && (h.masked || (h.rsv & 0x3))) {
            // What QWebSocket judges itself (a masked frame, RSV2/3): passed on as it is.
            out.append(QByteArrayView(m_serverBuffer).sliced(i));
            i = m_serverBuffer.size();
            m_aside = true;
            break;
        }
        if (ours && quint64(m_serverPayload.size()) + h.length > m_maxMessageBytes) {
            fail(1009,
                tr("A compressed message from the server is over the %1-byte limit.").arg(m_maxMessageBytes));
            break;
        }
        if (quint64(m_serverBuffer.size() - i - headerSize) < h.length)
            break; // the rest of the frame is still on its way
        const qsizetype frameSize = headerSize + qsizetype(h.length);
        const QByteArrayView payload
            = QByteArrayView(m_serverBuffer).sliced(i + headerSize, qsizetype(h.length));
        if (data)
            m_serverInMessage = !h.fin;
        if (!ours) {
            if (data || continuation) {
                m_totals.wireIn += h.length;
                m_totals.messageIn += h.length;
                if (continuation && h.fin)
                    m_serverInMessage = false;
            }
            out.append(QByteArrayView(m_serverBuffer).sliced(i, frameSize));
            i += frameSize;
            continue;
        }
        if (data) {
            m_serverCompressed = true;
            m_serverOpcode = op;
            m_serverPayload.clear();
        }
        m_serverPayload.append(payload);
        i += frameSize;
        if (!h.fin)
            continue;
        m_serverCompressed = false;
        m_serverInMessage = false;
        QByteArray message;
        const MessageInflater::Result r = m_inflater.inflate(m_serverPayload, &message);
        if (r == MessageInflater::Result::TooBig) {
            fail(1009,
                tr("A compressed message from the server inflates to more than the %1-byte limit.")
                    .arg(m_maxMessageBytes));
            break;
        }
        if (r == MessageInflater::Result::BadData) {
            fail(1007, tr("The server sent invalid deflate data (%1).").arg(m_inflater.lastError()));
            break;
        }
        m_totals.wireIn += quint64(m_serverPayload.size());
        m_totals.messageIn += quint64(message.size());
        ++m_totals.compressedIn;
        m_inflated.append({ quint64(m_serverPayload.size()), quint64(message.size()) });
        m_serverPayload.clear();
        out.append(frame(quint8(0x80 | m_serverOpcode), message, false));
    }
    if (m_failureCode)
        return out;
    m_serverBuffer.remove(0, i);
    return out;
}

QByteArray DeflateStage::fromClient(QByteArrayView plain)
{
    m_clientBuffer.append(plain);
    QByteArray out;
    qsizetype i = 0;
    FrameHeader h;
    while (const int headerSize = FrameHeader::parse(QByteArrayView(m_clientBuffer).sliced(i), &h)) {
        if (quint64(m_clientBuffer.size() - i - headerSize) < h.length)
            break;
        const qsizetype frameSize = headerSize + qsizetype(h.length);
        const quint8 op = quint8(h.opcode);
        if (h.isControl() || h.rsv || (op != 0x0 && op != 0x1 && op != 0x2)
            || (op == 0x0 && !m_clientInMessage)) {
            out.append(QByteArrayView(m_clientBuffer).sliced(i, frameSize));
            i += frameSize;
            continue;
        }
        if (op != 0x0) {
            m_clientInMessage = true;
            m_clientOpcode = op;
            m_clientPayload.clear();
        }
        const qsizetype at = m_clientPayload.size();
        m_clientPayload.append(QByteArrayView(m_clientBuffer).sliced(i + headerSize, qsizetype(h.length)));
        if (h.masked) {
            char *p = m_clientPayload.data() + at;
            for (qsizetype k = 0; k < qsizetype(h.length); ++k)
                p[k] ^= char(h.maskByte(quint64(k)));
        }
        i += frameSize;
        if (!h.fin)
            continue;
        m_clientInMessage = false;
        const QByteArray compressed = m_deflater.deflate(m_clientPayload);
        m_totals.messageOut += quint64(m_clientPayload.size());
        m_totals.wireOut += quint64(compressed.size());
        ++m_totals.compressedOut;
        m_deflated.append({ quint64(compressed.size()), quint64(m_clientPayload.size()) });
        m_clientPayload.clear();
        out.append(frame(quint8(0x80 | (Rsv1 << 4) | m_clientOpcode), compressed, true));
    }
    m_clientBuffer.remove(0, i);
    return out;
}

} // namespace wst
