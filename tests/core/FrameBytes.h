#pragma once

// Builds the bytes of one WebSocket frame (RFC 6455 section 5.2) for tests that play a peer or
// feed a decoder: any opcode, FIN and RSV bits, the shortest length form, an optional mask.
#include <QByteArray>
#include <QString> // with QT_USE_QSTRINGBUILDER, QByteArray + QByteArray is declared there

namespace wst::test {

inline QByteArray frameBytes(
    quint8 opcode, bool fin, const QByteArray &payload, quint32 mask = 0, quint8 rsv = 0)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const quint8 maskBit = mask ? 0x80 : 0;
    if (payload.size() < 126) {
        f.append(char(maskBit | payload.size()));
    } else if (payload.size() < 65536) {
        f.append(char(maskBit | 126));
        f.append(char(payload.size() >> 8));
        f.append(char(payload.size() & 0xff));
    } else {
        f.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            f.append(char((quint64(payload.size()) >> (8 * i)) & 0xff));
    }
    if (!mask)
        return f + payload;
    for (int i = 3; i >= 0; --i)
        f.append(char((mask >> (8 * i)) & 0xff));
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked[i] ^ char((mask >> (8 * (3 - (i & 3)))) & 0xff));
    return f + masked;
}

} // namespace wst::test
