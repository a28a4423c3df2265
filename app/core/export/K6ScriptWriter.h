#pragma once

#include <QByteArray>

namespace wst {

struct LoadPlan;

// Writes a LoadPlan as a k6 script (an ES module) on k6's WebSocket module `k6/websockets`
// (k6 0.54 or newer; the browser-like API). Chosen over the older `k6/ws` because `k6/ws`
// blocks its virtual user in one connection until it closes, and a scenario's steps move
// between connections ("a" sends, "b" expects): `k6/websockets` runs every connection of a
// virtual user on one event loop, so the steps keep their order across connections.
//
// Each flow is an async function; the default function runs them all at once. Expects become
// `check`s (exact, contains, regex, JSON path conditions, binary equals; a failed one ends its
// flow like a failed step ends a run); what k6 cannot observe (the handshake's status and
// response headers, close codes) is said in a comment where the step is. Imports: k6,
// k6/websockets, k6/timers, k6/encoding, nothing else.
class K6ScriptWriter
{
public:
    static QByteArray write(const LoadPlan &plan);
};

} // namespace wst
