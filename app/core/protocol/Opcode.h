#pragma once

#include <QtGlobal>

namespace wst {

// A frame's opcode (RFC 6455 section 5.2). Reserved values (0x3-0x7, 0xB-0xF) are kept as they
// came: a frame view must be able to show them.
enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Control frames (Close, Ping, Pong and the reserved 0xB-0xF) have the top bit of the opcode set.
constexpr bool isControl(Opcode opcode)
{
    return quint8(opcode) >= 0x8;
}

// Whether RFC 6455 defines the opcode (the others are a protocol error).
constexpr bool isKnown(Opcode opcode)
{
    return quint8(opcode) <= 0x2 || (quint8(opcode) >= 0x8 && quint8(opcode) <= 0xA);
}

} // namespace wst
