// The compression cases of `wstester check` (group 12): the offer is in the request, the
// frames are deflated once the server's answer says how, and the server's compressed messages
// are inflated before they are judged.
#include "ServerCheck.h"

#include "protocol/HandshakeRecord.h"

namespace wst {

bool ServerCheck::agreeDeflate(const QByteArray &head)
{
    QList<QByteArray> values;
    for (const auto &[name, value] : HandshakeRecord::parseHeaders(head)) {
        if (name.toLower() == "sec-websocket-extensions")
            values.append(value);
    }
    const DeflateNegotiation n = DeflateNegotiation::fromResponse(DeflateOffer(), values);
    if (n.outcome == DeflateNegotiation::Outcome::Declined) {
        conclude(Verdict::Skipped, tr("declined permessage-deflate"));
        return false;
    }
    if (n.outcome == DeflateNegotiation::Outcome::Failed) {
        conclude(Verdict::Fail, n.error);
        return false;
    }
    m_deflater = std::make_unique<MessageDeflater>(
        n.agreement.clientMaxWindowBits, n.agreement.clientNoContextTakeover);
    m_inflater
        = std::make_unique<MessageInflater>(n.agreement.serverNoContextTakeover, quint64(MaxFrameBytes));
    const CheckCase &c = m_cases.at(m_index);
    QList<FrameSpec> frames = c.frames;
    for (FrameSpec &spec : frames) {
        if (c.compress && (spec.rsv & 0x4) && (spec.opcode == 0x1 || spec.opcode == 0x2))
            spec.payload = m_deflater->deflate(spec.payload);
    }
    queueFrames(frames);
    return true;
}

bool ServerCheck::inflateMessage(bool compressed, QByteArray *payload)
{
    if (!compressed)
        return true;
    if (!m_inflater) {
        conclude(Verdict::Fail, tr("set RSV1 without permessage-deflate agreed"));
        return false;
    }
    QByteArray message;
    if (m_inflater->inflate(*payload, &message) != MessageInflater::Result::Ok) {
        conclude(Verdict::Fail, tr("sent a message that does not inflate (%1)").arg(m_inflater->lastError()));
        return false;
    }
    *payload = message;
    return true;
}

} // namespace wst
