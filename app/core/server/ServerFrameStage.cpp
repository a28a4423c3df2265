#include "ServerFrameStage.h"

#include "protocol/FrameHeader.h"

#include <QtEndian>

namespace wst {

namespace {
constexpr quint8 Rsv1 = 0x4; // FrameHeader::rsv keeps RSV1..3 as bits 2..0
}

ServerFrameStage::ServerFrameStage(const std::optional<DeflateAgreement> &deflate, quint64 maxMessageBytes)
    : m_maxMessageBytes(maxMessageBytes)
{
    if (deflate) {
        m_inflater.emplace(deflate->clientNoContextTakeover, maxMessageBytes);
        m_deflater.emplace(deflate->serverMaxWindowBits, deflate->serverNoContextTakeover);
    }
}

QByteArray ServerFrameStage::frame(quint8 firstByte, QByteArrayView payload, bool maskWithZero)
{
    QByteArray out;
    const quint64 n = quint64(payload.size());
    out.reserve(payload.size() + 14);
    out.append(char(firstByte));
    const char maskBit = maskWithZero ? char(0x80) : char(0);
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
    if (maskWithZero)
        out.append(4, '\0');
    out.append(payload);
    return out;
}

QByteArray ServerFrameStage::closeFrame(int code, const QString &reason)
{
    QByteArray payload(2, '\0');
    qToBigEndian<quint16>(quint16(code), payload.data());
    payload += reason.toUtf8().left(123);
    return frame(0x88, payload, false);
}

void ServerFrameStage::fail(int code, const QString &reason)
{
    if (m_failureCode)
        return;
    m_failureCode = code;
    m_failureReason = reason;
    m_inPayload.clear();
}

template <typename Decide, typename Collected>
QByteArray ServerFrameStage::FrameStream::feed(const QByteArray &wire, Decide decide, Collected collected)
{
    if (m_stopped)
        return {};
    const qsizetype size = wire.size();
    qsizetype pos = 0;
    // While everything handed on is one run from the chunk's start, nothing is copied.
    bool contiguous = true;
    qsizetype contiguousEnd = 0;
    QByteArray out;
    const auto breakRun = [&] {
        if (contiguous) {
            out = wire.left(contiguousEnd);
            contiguous = false;
        }
    };
    const auto emitRange = [&](qsizetype start, qsizetype n) {
        if (contiguous && start == contiguousEnd) {
            contiguousEnd += n;
            return;
        }
        breakRun();
        out.append(wire.constData() + start, n);
    };
    const auto emitBytes = [&](const QByteArray &bytes) {
        if (bytes.isEmpty())
            return;
        breakRun();
        out.append(bytes);
    };
    while (pos < size && !m_stopped) {
        if (m_passLeft > 0) {
            const qsizetype n = qsizetype(qMin<quint64>(m_passLeft, quint64(size - pos)));
            emitRange(pos, n);
            pos += n;
            m_passLeft -= quint64(n);
            continue;
        }
        if (m_collectLeft > 0) {
            const qsizetype n = qsizetype(qMin<quint64>(m_collectLeft, quint64(size - pos)));
            m_frame.append(wire.constData() + pos, n);
            pos += n;
            m_collectLeft -= quint64(n);
            if (m_collectLeft == 0)
                emitBytes(collected(m_h, m_frame));
            continue;
        }
        const bool split = !m_header.isEmpty();
        const qsizetype headerStart = pos;
        int headerSize = 0;
        if (!split) {
            headerSize = FrameHeader::parse(QByteArrayView(wire).sliced(pos), &m_h);
            if (!headerSize) {
                m_header = wire.mid(pos);
                break;
            }
            pos += headerSize;
        } else {
            while (!(headerSize = FrameHeader::parse(m_header, &m_h)) && pos < size)
                m_header.append(wire.at(pos++));
            if (!headerSize)
                break;
        }
        const Action action = decide(m_h);
        if (action == Action::Stop) {
            m_stopped = true;
            break;
        }
        if (action == Action::Pass) {
            if (split)
                emitBytes(std::exchange(m_header, {}));
            else
                emitRange(headerStart, headerSize);
            m_passLeft = m_h.length;
            continue;
        }
        m_header.clear();
        m_frame.clear();
        m_collectLeft = m_h.length;
        if (m_collectLeft == 0)
            emitBytes(collected(m_h, m_frame));
    }
    if (contiguous)
        return contiguousEnd == size ? wire : wire.left(contiguousEnd);
    return out;
}

ServerFrameStage::FrameStream::Action ServerFrameStage::decideFromClient(const FrameHeader &h)
{
    using Action = FrameStream::Action;
    if (m_failureCode)
        return Action::Stop;
    const bool rsv1 = h.rsv & Rsv1;
    const quint8 op = quint8(h.opcode);
    const bool data = op == 0x1 || op == 0x2;
    const bool continuation = op == 0x0;
    if (!h.masked) {
        fail(1002, tr("The client sent an unmasked frame (RFC 6455 section 5.1)."));
        return Action::Stop;
    }
    if (rsv1 && !m_inflater) {
        fail(1002, tr("The client set RSV1 without permessage-deflate agreed (RFC 6455 section 5.2)."));
        return Action::Stop;
    }
    if (rsv1 && h.isControl()) {
        fail(1002, tr("The client set RSV1 on a control frame (RFC 7692 section 6.1)."));
        return Action::Stop;
    }
    if (rsv1 && continuation) {
        fail(1002, tr("The client set RSV1 on a continuation frame (RFC 7692 section 6.1)."));
        return Action::Stop;
    }
    if (data && m_inCompressed) {
        fail(1002, tr("The client began a new message inside a compressed fragmented one."));
        return Action::Stop;
    }
    if ((data && rsv1) || (continuation && m_inCompressed)) {
        // Checked before the frame is collected: a header announcing 2 GiB is not waited for.
        if (quint64(m_inPayload.size()) + h.length > m_maxMessageBytes) {
            fail(1009, tr("A message from the client is over the %1-byte limit.").arg(m_maxMessageBytes));
            return Action::Stop;
        }
        if (data) {
            m_inCompressed = true;
            m_inOpcode = op;
            m_inPayload.clear();
        }
        return Action::Collect;
    }
    // Only a ping Qt would answer is held back; a broken one is Qt's to judge.
    if (h.opcode == Opcode::Ping && m_dropPings && h.length <= 125 && h.fin && !h.rsv && h.isShortestLength())
        return Action::Collect;
    return Action::Pass;
}

QByteArray ServerFrameStage::clientFrame(const FrameHeader &h, QByteArray &payload)
{
    char *p = payload.data();
    for (qsizetype k = 0; k < payload.size(); ++k)
        p[k] ^= char(h.maskByte(quint64(k)));
    if (h.opcode == Opcode::Ping) {
        m_droppedPings.append(std::exchange(payload, {}));
        return {};
    }
    if (m_inPayload.isEmpty())
        m_inPayload = std::exchange(payload, {});
    else
        m_inPayload.append(payload);
    if (!h.fin)
        return {};
    m_inCompressed = false;
    QByteArray message;
    const MessageInflater::Result r = m_inflater->inflate(m_inPayload, &message);
    if (r == MessageInflater::Result::TooBig) {
        fail(1009,
            tr("A compressed message from the client inflates to more than the %1-byte limit.")
                .arg(m_maxMessageBytes));
        return {};
    }
    if (r == MessageInflater::Result::BadData) {
        fail(1007, tr("The client sent invalid deflate data (%1).").arg(m_inflater->lastError()));
        return {};
    }
    m_totals.wireIn += quint64(m_inPayload.size());
    m_totals.messageIn += quint64(message.size());
    m_inPayload.clear();
    return frame(quint8(0x80 | m_inOpcode), message, true);
}

QByteArray ServerFrameStage::fromClient(const QByteArray &wire)
{
    if (m_failureCode)
        return {};
    QByteArray out = m_fromClient.feed(
        wire, [this](const FrameHeader &h) { return decideFromClient(h); },
        [this](const FrameHeader &h, QByteArray &payload) { return clientFrame(h, payload); });
    return m_failureCode ? QByteArray() : out;
}

ServerFrameStage::FrameStream::Action ServerFrameStage::decideFromQt(const FrameHeader &h)
{
    using Action = FrameStream::Action;
    const quint8 op = quint8(h.opcode);
    // Control frames, frames made broken on purpose (faults) and what Qt does not send pass as
    // they are.
    if (!m_deflater || h.isControl() || h.rsv || op > 0x2 || (op == 0x0 && !m_outInMessage)
        || (op != 0x0 && m_outInMessage))
        return Action::Pass;
    if (op != 0x0) {
        m_outInMessage = true;
        m_outOpcode = op;
        m_outPayload.clear();
    }
    return Action::Collect;
}

QByteArray ServerFrameStage::qtFrame(const FrameHeader &h, QByteArray &payload)
{
    if (h.masked) {
        char *p = payload.data();
        for (qsizetype k = 0; k < payload.size(); ++k)
            p[k] ^= char(h.maskByte(quint64(k)));
    }
    if (m_outPayload.isEmpty())
        m_outPayload = std::exchange(payload, {});
    else
        m_outPayload.append(payload);
    if (!h.fin)
        return {};
    m_outInMessage = false;
    const QByteArray compressed = m_deflater->deflate(m_outPayload);
    m_totals.messageOut += quint64(m_outPayload.size());
    m_totals.wireOut += quint64(compressed.size());
    m_outPayload.clear();
    return frame(quint8(0x80 | (Rsv1 << 4) | m_outOpcode), compressed, false);
}

QByteArray ServerFrameStage::fromServer(const QByteArray &plain)
{
    return m_fromQt.feed(
        plain, [this](const FrameHeader &h) { return decideFromQt(h); },
        [this](const FrameHeader &h, QByteArray &payload) { return qtFrame(h, payload); });
}

} // namespace wst
