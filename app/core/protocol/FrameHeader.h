#pragma once

#include "Opcode.h"

#include <QByteArrayView>

namespace wst {

// The header of one WebSocket frame (RFC 6455 section 5.2): the one parser of frame headers,
// used by the relay's tap on its hot path, by the frame view's decoder and by stored frames.
struct FrameHeader
{
    static constexpr int MinSize = 2;
    static constexpr int MaxSize = 14;

    bool fin = false;
    quint8 rsv = 0; // RSV1..RSV3 as bits 2..0
    Opcode opcode = Opcode::Continuation;
    bool masked = false;
    quint32 maskKey = 0;
    quint64 length = 0; // the payload length as declared
    int size = 0; // the header's own bytes: 2 to 14

    // How many bytes the whole header has, known from its second byte.
    static int sizeFor(quint8 secondByte);
    // Parses the header at the start of data into *header. Returns the header's size (2 to 14),
    // or 0 while data holds only part of it (then *header is unchanged). Judges nothing: what
    // the header says is reported as it is (see isShortestLength()).
    static int parse(QByteArrayView data, FrameHeader *header);

    // RFC 6455 5.2: the length must be in its shortest form, and a 64-bit length has its top bit clear.
    bool isShortestLength() const;
    bool isControl() const { return wst::isControl(opcode); }
    // The mask key's byte for payload byte i.
    quint8 maskByte(quint64 i) const { return quint8(maskKey >> (8 * (3 - (i & 3)))); }
};

} // namespace wst
