// The frame decoder on any byte stream, cut into any chunks, with and without recording.
#include "FuzzSupport.h"
#include "protocol/FrameDecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QList<QByteArrayView> pieces = fuzz::chunks(data, size);
    for (const bool record : { true, false }) {
        FrameDecoder decoder;
        quint64 frames = 0;
        const auto sink = [&frames](const FrameInfo &f) {
            ++frames;
            // Invariants of a reported frame: a header of 2 to 14 bytes, never more head bytes
            // than the frame declares.
            if (f.header.size() < 2 || f.header.size() > 14 || quint64(f.head.size()) > f.length)
                abort();
            const FrameInfo back = FrameInfo::fromStored(f.toStored(), f.header.size(), f.length);
            if (back.opcode != f.opcode || back.fin != f.fin || back.length != f.length)
                abort();
            (void)f.opcodeName();
        };
        for (const QByteArrayView piece : pieces) {
            decoder.feed(piece, record, sink);
            if (decoder.failed())
                break;
        }
    }
    return 0;
}
