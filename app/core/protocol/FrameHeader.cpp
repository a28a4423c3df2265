#include "FrameHeader.h"

#include <QtEndian>

namespace wst {

int FrameHeader::sizeFor(quint8 secondByte)
{
    const quint8 len7 = secondByte & 0x7f;
    return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((secondByte & 0x80) ? 4 : 0);
}

int FrameHeader::parse(QByteArrayView data, FrameHeader *header)
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

bool FrameHeader::isShortestLength() const
{
    const int lengthBytes = size - 2 - (masked ? 4 : 0);
    if (lengthBytes == 0)
        return true;
    if (lengthBytes == 2)
        return length >= 126;
    return length > 0xffff && length < (quint64(1) << 63);
}

} // namespace wst
