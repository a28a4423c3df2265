// The relay's tap on what a server sends: any byte stream, cut into any chunks, stored into a
// real MessageStore. What the tap does not take must come out unchanged for the QWebSocket.
#include "FuzzSupport.h"
#include "connection/MessageTap.h"
#include "messages/MessageStore.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    QByteArrayView all;
    const QList<QByteArrayView> pieces = fuzz::chunks(data, size, &all);
    if (pieces.isEmpty())
        return 0;
    const bool recordFrames = data[0] & 1;
    MessageTap tap;
    if (data[0] & 2)
        tap.setMaxMessageBytes(data[0] >> 2); // messages over a small limit are handed over whole
    MessageStore store;
    tap.notePing(QByteArrayLiteral("ping"));
    QByteArray forwarded;
    qsizetype fed = 0;
    for (const QByteArrayView piece : pieces) {
        forwarded += tap.feed(piece, store, 1, recordFrames, [](const FrameInfo &) {});
        fed += piece.size();
        // The tap never hands on bytes it was not given.
        if (forwarded.size() > fed)
            abort();
    }
    (void)tap.takePongs();
    for (qint64 i = 0; i < store.count(); ++i)
        (void)store.payloadCopy(i);
    return 0;
}
