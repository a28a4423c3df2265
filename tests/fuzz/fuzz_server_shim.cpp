// The local server's shim: a client's offers read into an answer (the mode byte's bit 7), or a
// client's byte stream (any chunking) through ServerFrameStage, which must never hand Qt more
// than it was given plus what it inflated, nor inflate past its limit; the same bytes also go
// through its deflating side, as if Qt had sent them.
#include "FuzzSupport.h"
#include "server/ServerFrameStage.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication(); // the errors are translated
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    if (size < 2)
        return 0;
    const quint8 mode = data[1];
    QByteArrayView all;
    const QList<QByteArrayView> pieces = fuzz::chunks(data + 1, size - 1, &all);
    if (mode & 0x80) {
        // The offers follow the mode byte (the view is empty when the input had nothing after it).
        const QByteArrayView offers = all.isEmpty() ? all : all.sliced(1);
        const DeflateAnswer a = DeflateAnswer::fromOffers(offers.toByteArray().split('\n'));
        if (a.accepted
            && (!a.headerValue.startsWith("permessage-deflate") || a.agreement.serverMaxWindowBits < 9
                || a.agreement.serverMaxWindowBits > 15 || a.agreement.clientMaxWindowBits < 8
                || a.agreement.clientMaxWindowBits > 15))
            abort();
        return 0;
    }
    std::optional<DeflateAgreement> agreement;
    if (mode & 1) {
        agreement.emplace();
        agreement->serverNoContextTakeover = mode & 2;
        agreement->clientNoContextTakeover = mode & 4;
        agreement->serverMaxWindowBits = 9 + (mode >> 3) % 7;
    }
    constexpr quint64 Limit = 1 << 20;
    ServerFrameStage stage(agreement, Limit);
    stage.setDropPings(mode & 0x40);
    QByteArray toQt;
    for (const QByteArrayView piece : pieces) {
        toQt += stage.fromClient(piece.toByteArray());
        (void)stage.fromServer(piece.toByteArray());
    }
    // Each inflated message came from a frame of 6 bytes or more and leaves with a header of 14 at most.
    if (quint64(toQt.size()) > 3 * quint64(all.size()) + stage.totals().messageIn)
        abort();
    if (stage.failureCode() && stage.failureReason().isEmpty())
        abort();
    return 0;
}
