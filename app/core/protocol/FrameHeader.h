#pragma once

#include "Opcode.h"

#include <QByteArrayView>
#include <QtEndian>

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

// Defined here, inline, against the house rule: the tap parses one header per message on its
// hot path, and out of line these three calls cost it ~46 instructions a message (4-5 % of the
// tap's work on 256-byte messages, measured with callgrind).

inline int FrameHeader::sizeFor(quint8 secondByte)
{
    const quint8 len7 = secondByte & 0x7f;
    return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((secondByte & 0x80) ? 4 : 0);
}

inline int FrameHeader::parse(QByteArrayView data, FrameHeader *header)
{
    if (data.size() < 2)
        return 0;
    const auto *h = reinterpret_cast<const uchar *>(data.data());
    const int size = sizeFor(h[1]);
    if (data.size() < size)
        return 0;
    header->fin = h[0] & 0x80;
    header->rsv = (h[0] >> 4) & 0x7;
    header->opcode = Opcode(h[0] & 0x0f);
    header->masked = h[1] & 0x80;
    const quint8 len7 = h[1] & 0x7f;
    int at = 2;
    if (len7 == 126) {
        header->length = qFromBigEndian<quint16>(h + 2);
        at = 4;
    } else if (len7 == 127) {
        header->length = qFromBigEndian<quint64>(h + 2);
        at = 10;
    } else {
        header->length = len7;
    }
    header->maskKey = header->masked ? qFromBigEndian<quint32>(h + at) : 0;
    header->size = size;
    return size;
}

inline bool FrameHeader::isShortestLength() const
{
    const int lengthBytes = size - 2 - (masked ? 4 : 0);
    if (lengthBytes == 0)
        return true;
    if (lengthBytes == 2)
        return length >= 126;
    return length > 0xffff && length < (quint64(1) << 63);
}

} // namespace wst
