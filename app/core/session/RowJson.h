#pragma once

#include "messages/Message.h"

#include <QByteArray>
#include <QByteArrayView>

namespace wst {

// One history row as a JSON object, the shape that `wstester connect --json`, `serve --json`
// and the session exports (NDJSON, JSON) share: time (ISO 8601 UTC with µs), ts_us, client
// (when conn != 0), dir, kind, size, code (close) or rtt_ms (pong), and data (base64 with
// "encoding":"base64" for binary, ping and pong), or reason (close), peer or subprotocol (open).
// Written by hand into a byte buffer: a million rows must cost well under a second.
namespace RowJson {

const char *directionKey(Direction direction);
const char *kindKey(Kind kind);
// Binary, ping and pong payloads are raw bytes; the other kinds are UTF-8 text.
bool isBinaryKind(Kind kind);

// Appends `utf8` as a quoted JSON string (escaping quotes, backslashes and control characters).
void appendString(QByteArray &out, QByteArrayView utf8);
// Appends "2024-05-01T12:00:00.123456Z" (no quotes).
void appendIsoTime(QByteArray &out, qint64 timeUs);
// Appends seconds since the epoch with exactly six decimals ("1714564800.123456"), computed
// from the integer so that the µs survive a round trip through a double.
void appendSeconds(QByteArray &out, qint64 timeUs);

// Appends the object's members without the braces, so that a caller can put its own members
// (the session exports add "tab" and "seq") in front.
void appendMembers(QByteArray &out, const MessageRow &row, QByteArrayView payload);
// The whole object and a newline: one line of NDJSON.
QByteArray line(const MessageRow &row, QByteArrayView payload);

} // namespace RowJson
} // namespace wst
