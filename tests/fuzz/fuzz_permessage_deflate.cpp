// permessage-deflate: a server's Sec-WebSocket-Extensions answer against an offer, or a
// server's byte stream through the relay's inflating stage (any chunking), which must never
// inflate past its limit nor hand on more than whole frames; the same bytes also go through the
// client side's deflating stage.
#include "FuzzSupport.h"
#include "connection/DeflateStage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    if (size < 2)
        return 0;
    const quint8 mode = data[1];
    QByteArrayView all;
    const QList<QByteArrayView> pieces = fuzz::chunks(data + 1, size - 1, &all);
    if (mode & 0x80) {
        fuzz::ensureApplication(); // the errors are translated
        DeflateOffer offer;
        offer.serverNoContextTakeover = mode & 1;
        offer.serverMaxWindowBits = (mode & 2) ? 10 : -1;
        offer.clientMaxWindowBits = (mode & 4) ? 12 : ((mode & 8) ? -1 : 0);
        const DeflateNegotiation n = DeflateNegotiation::fromResponse(offer, all.toByteArray().split('\n'));
        if (n.outcome == DeflateNegotiation::Outcome::Accepted
            && (n.agreement.clientMaxWindowBits < 9 || n.agreement.clientMaxWindowBits > 15
                || n.agreement.serverMaxWindowBits < 8 || n.agreement.serverMaxWindowBits > 15))
            abort();
        return 0;
    }
    DeflateAgreement agreement;
    agreement.serverNoContextTakeover = mode & 1;
    agreement.clientNoContextTakeover = mode & 2;
    agreement.clientMaxWindowBits = 9 + (mode >> 2) % 7;
    constexpr quint64 Limit = 1 << 20;
    DeflateStage in(agreement, Limit);
    DeflateStage out(agreement, Limit);
    QByteArray plain;
    for (const QByteArrayView piece : pieces) {
        plain += in.fromServer(piece);
        (void)out.fromClient(piece);
    }
    // No message inflated past the limit; nothing handed on that was not given or inflated.
    quint64 inflated = 0;
    for (const DeflateStage::Sizes &s : in.takeInflated()) {
        if (s.message > Limit)
            abort();
        inflated += s.message + 14;
    }
    if (quint64(plain.size()) > quint64(all.size()) + inflated)
        abort();
    return 0;
}
