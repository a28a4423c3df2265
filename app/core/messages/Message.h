#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace wst {

enum class Direction : quint8 { In = 0, Out = 1, Event = 2 };
enum class Kind : quint8 { Text = 0, Binary, Ping, Pong, Close, Open, Error, Info };

constexpr int DirectionCount = 3;
constexpr int KindCount = 8;

// Bit masks over Direction / Kind for filters.
constexpr quint32 directionBit(Direction d)
{
    return 1u << quint32(d);
}
constexpr quint32 kindBit(Kind k)
{
    return 1u << quint32(k);
}
constexpr quint32 AllDirections = (1u << DirectionCount) - 1;
constexpr quint32 AllKinds = (1u << KindCount) - 1;

// One history row as kept in the store: 40 bytes, payload elsewhere.
// `extra` carries the close code for Close rows and the measured round trip in µs for Pong rows.
struct MessageRow
{
    qint64 timeUs = 0; // wall clock, µs since the epoch
    quint64 location = 0; // where the payload lives in the store (internal)
    qint64 extra = 0;
    quint32 size = 0; // payload size in bytes
    quint32 connectionId = 0;
    Direction direction = Direction::Event;
    Kind kind = Kind::Info;
};

qint64 nowUs();

} // namespace wst

Q_DECLARE_METATYPE(wst::Direction)
Q_DECLARE_METATYPE(wst::Kind)
