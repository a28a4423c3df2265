// permessage-deflate in the relay (RFC 7692). Qt 6.4's QWebSocket negotiates no extension and
// fails on RSV1 (QT64-NOTES.md), so the relay does all of it where the QWebSocket cannot see:
// it adds the offer to the request, reads the 101 and hands the QWebSocket a 101 without the
// extension, then inflates the server's messages and compresses the client's (DeflateStage).
// The handshake record keeps the real bytes of both heads.
#include "WireRelay.h"

#include "DeflateStage.h"
#include "WireCounters.h"
#include "messages/MessageStore.h"

#include <QLocale>
#include <QTcpSocket>

#include <algorithm>

namespace wst {

namespace {
constexpr qsizetype MaxHeadBytes = 64 * 1024;
const QByteArray ExtensionsHeader = QByteArrayLiteral("sec-websocket-extensions");
} // namespace

bool WireRelay::offerDeflate(QByteArray *data)
{
    // The head is held whole so that the offer goes in before its blank line.
    m_headHeld += *data;
    const qsizetype end = m_headHeld.indexOf("\r\n\r\n");
    if (end < 0 && m_headHeld.size() <= MaxHeadBytes)
        return false;
    *data = std::exchange(m_headHeld, {});
    m_target.deflate.enabled = false; // offered once
    if (end < 0)
        return true;
    const HandshakeRecord::Headers headers = HandshakeRecord::parseHeaders(data->left(end + 4));
    for (const auto &header : headers) {
        if (header.first.toLower() == ExtensionsHeader)
            return true; // someone else's offer: left as it is
    }
    data->insert(
        end + 2, QByteArrayLiteral("Sec-WebSocket-Extensions: ") + m_target.deflate.headerValue() + "\r\n");
    m_deflateOffered = true;
    return true;
}

bool WireRelay::holdResponseHead(QByteArray *data)
{
    m_headHeld += *data;
    if (m_headHeld.indexOf("\r\n\r\n") < 0 && m_headHeld.size() <= MaxHeadBytes)
        return false;
    *data = std::exchange(m_headHeld, {});
    return true;
}

bool WireRelay::negotiateDeflate(QByteArray *data, const QByteArray &rest)
{
    // data: the whole head (and rest, the frames after it, when there is no tap).
    const qsizetype headSize = m_record.response.size();
    QList<QByteArray> values;
    const HandshakeRecord::Headers headers = m_record.responseHeaders();
    for (const auto &header : headers) {
        if (header.first.toLower() == ExtensionsHeader)
            values.append(header.second);
    }
    DeflateOffer offer = m_target.deflate;
    offer.enabled = true;
    const DeflateNegotiation n = DeflateNegotiation::fromResponse(offer, values);
    if (n.outcome == DeflateNegotiation::Outcome::Failed) {
        m_record.deflate = HandshakeRecord::Deflate::Failed;
        m_record.deflateError = n.error;
        m_failed = true;
        Q_EMIT recordChanged(m_record);
        Q_EMIT upstreamFailed(ClientConnection::ErrorKind::Handshake, n.error);
        m_upstream->abort();
        return false;
    }
    if (n.outcome == DeflateNegotiation::Outcome::Declined) {
        m_record.deflate = HandshakeRecord::Deflate::Declined;
        if (m_target.frames && !rest.isEmpty())
            m_serverFrames.feed(rest, m_target.recordFrames->load(std::memory_order_relaxed),
                [this](const FrameInfo &f) { recordFrame(Direction::In, f); });
        return true;
    }
    m_deflate = std::make_unique<DeflateStage>(n.agreement, m_target.maxMessageSize);
    m_record.deflate = HandshakeRecord::Deflate::Agreed;
    if (m_target.wireCounters)
        m_target.wireCounters->setAgreed();
    m_record.deflateAgreement = n.agreement;
    // The QWebSocket's copy of the head: without the extension, which it would refuse.
    QByteArray head;
    for (const QByteArray &line : m_record.response.left(headSize - 2).split('\n')) {
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == ExtensionsHeader)
            continue;
        head += line + '\n';
    }
    if (!n.remainingExtensions.isEmpty())
        head += "Sec-WebSocket-Extensions: " + n.remainingExtensions + "\r\n";
    head += "\r\n";
    *data = head;
    if (!rest.isEmpty())
        *data += inflateFromServer(
            rest, m_target.recordFrames && m_target.recordFrames->load(std::memory_order_relaxed));
    return true;
}

QByteArray WireRelay::inflateFromServer(const QByteArray &wire, bool recordFrames)
{
    if (m_target.frames) {
        m_serverFrames.feed(
            wire, recordFrames, [this](const FrameInfo &f) { recordFrame(Direction::In, f); });
    }
    const QByteArray plain = m_deflate->fromServer(wire);
    for (const DeflateStage::Sizes &s : m_deflate->takeInflated())
        noteDeflateSizes(Direction::In, s.message, s.wire);
    publishDeflateTotals();
    if (m_deflate->failureCode() && !std::exchange(m_violationReported, true))
        Q_EMIT serverViolatedProtocol(m_deflate->failureCode(), m_deflate->failureReason());
    return plain;
}

QByteArray WireRelay::deflateFromClient(const QByteArray &plain)
{
    const QByteArray wire = m_deflate->fromClient(plain);
    for (const DeflateStage::Sizes &s : m_deflate->takeDeflated())
        noteDeflateSizes(Direction::Out, s.message, s.wire);
    publishDeflateTotals();
    return wire;
}

void WireRelay::publishDeflateTotals()
{
    if (!m_target.wireCounters)
        return;
    const DeflateStage::Totals &t = m_deflate->totals();
    const quint64 now[4] = { t.messageIn, t.wireIn, t.messageOut, t.wireOut };
    if (std::equal(std::begin(now), std::end(now), std::begin(m_published)))
        return;
    m_target.wireCounters->add(
        now[0] - m_published[0], now[1] - m_published[1], now[2] - m_published[2], now[3] - m_published[3]);
    std::copy(std::begin(now), std::end(now), std::begin(m_published));
}

void WireRelay::noteDeflateSizes(Direction direction, quint64 message, quint64 wire)
{
    if (!m_target.frames || !m_target.recordFrames->load(std::memory_order_relaxed))
        return;
    // A row of its own in the frame view, after the message's frames: extra is the message size.
    const QLocale c = QLocale::c();
    const QString text = direction == Direction::In ? tr("inflated %1 bytes on the wire to %2 (%3:1)")
                                                    : tr("deflated %2 bytes to %1 on the wire (%3:1)");
    const double ratio = wire ? double(message) / double(wire) : 0.0;
    m_target.frames->appendText(Direction::Event, Kind::Info,
        text.arg(c.toString(wire), c.toString(message), QString::number(ratio, 'f', 1)), nowUs(),
        qint64(message));
}

} // namespace wst
