#pragma once

#include "messages/Message.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace wst {

// One history row as a JSON object, the shape that `wstester connect --json`, `serve --json`
// and the session exports (NDJSON, JSON) share: time (ISO 8601 UTC with µs), ts_us, client
// (when conn != 0), dir, kind, size, code (close) or rtt_ms (pong), and data (base64 with
// "encoding":"base64" for binary, ping and pong), or reason (close), peer or subprotocol (open).
// Written by hand: an export of a million rows must take about a second, and QByteArray's
// append (a general insert) and number() (an allocation) cost more than the formatting.
namespace RowJson {

const char *directionKey(Direction direction);
const char *kindKey(Kind kind);
// Binary, ping and pong payloads are raw bytes; the other kinds are UTF-8 text.
bool isBinaryKind(Kind kind);

// A short piece of output built on the stack and appended to a QByteArray in one go. Each
// add must fit: a piece holds a row's fixed fields, never a payload.
class Piece
{
public:
    static constexpr int Capacity = 512;
    void add(char c) { *m_end++ = c; }
    void add(const char *text, qsizetype size)
    {
        Q_ASSERT(m_end + size <= m_buffer + Capacity);
        memcpy(m_end, text, size_t(size));
        m_end += size;
    }
    template <qsizetype N> void add(const char (&literal)[N]) { add(literal, N - 1); }
    void addString(const char *text) { add(text, qsizetype(strlen(text))); }
    void addNumber(qint64 value);
    // "2024-05-01T12:00:00.123456Z" (no quotes).
    void addIsoTime(qint64 timeUs);
    // Seconds since the epoch with exactly six decimals, from the integer (no rounding).
    void addSeconds(qint64 timeUs);
    void appendTo(QByteArray &out) const;

private:
    char m_buffer[Capacity];
    char *m_end = m_buffer;
};

// Appends `utf8` as a quoted JSON string (escaping quotes, backslashes and control characters).
void appendString(QByteArray &out, QByteArrayView utf8);
// Appends the base64 of `bytes` (no quotes).
void appendBase64(QByteArray &out, QByteArrayView bytes);
// Appends "2024-05-01T12:00:00.123456Z" (no quotes).
void appendIsoTime(QByteArray &out, qint64 timeUs);
// Appends seconds since the epoch with exactly six decimals ("1714564800.123456"), computed
// from the integer so that the µs survive a round trip through a double (up to 2^53 µs).
void appendSeconds(QByteArray &out, qint64 timeUs);

// Appends the row's object, without a newline. The session exports put "tab" and "seq" first
// (when not negative).
void appendObject(
    QByteArray &out, const MessageRow &row, QByteArrayView payload, qint64 tab = -1, qint64 seq = -1);
// The object and a newline: one line of NDJSON.
QByteArray line(const MessageRow &row, QByteArrayView payload);

} // namespace RowJson
} // namespace wst
