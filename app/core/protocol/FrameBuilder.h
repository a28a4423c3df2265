#pragma once

#include "FrameDecoder.h"
#include "FrameSpec.h"

#include <QList>

namespace wst {

// The exact bytes of a hand-made frame (FrameSpec), and how to pace them onto the wire.
class FrameBuilder
{
public:
    struct Frame
    {
        FrameInfo info; // as the frame view records it (header exactly as sent, head unmasked)
        QByteArray bytes; // header + masked payload
    };
    // A write of the plan: its bytes, after a pause (0 for the first, and between frames unless
    // the spec asks for one).
    struct Chunk
    {
        QByteArray bytes;
        int delayMs = 0;
        int frame = -1; // the frame that starts with this chunk (-1: none)
    };
    struct Plan
    {
        QList<Frame> frames;
        QList<Chunk> chunks;
        QByteArray bytes() const; // everything, in order
    };

    // randomKey() is called for every masked frame without a fixed key.
    static Plan build(const FrameSpec &spec);
    static Plan build(const FrameSpec &spec, quint32 (*randomKey)());
    // One frame's bytes: the header (declaring declaredLength, in the chosen length form), then
    // the payload masked with key (when masked).
    static Frame frame(quint8 opcode, bool fin, quint8 rsv, bool masked, quint32 key,
        const QByteArray &payload, quint64 declaredLength, FrameSpec::LengthForm form);
};

} // namespace wst
