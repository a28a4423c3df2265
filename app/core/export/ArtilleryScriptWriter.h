#pragma once

#include <QByteArray>

namespace wst {

struct LoadPlan;

// Writes a LoadPlan as an Artillery 2 test script (YAML): config.target, one arrival, and a
// scenario per connection with `engine: ws` whose flow is its `send` and `think` steps, the
// pacing in milliseconds ("1250ms"; Artillery reads a bare fractional number as milliseconds,
// a whole one as seconds). One connection's headers and subprotocols go under config.ws; with
// several, each scenario's first step is a `connect` with its own. What Artillery's ws engine
// cannot express (binary sends, file sends, wstester's expects: it only matches the next
// message after a send) is written as a comment where the step was.
class ArtilleryScriptWriter
{
public:
    static QByteArray write(const LoadPlan &plan);
};

} // namespace wst
