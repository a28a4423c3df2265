#include "Scenario.h"

namespace wst {

bool MessageMatcher::isEmpty() const
{
    return !exact && !contains && !regex && json.isEmpty() && !hex && !base64 && !hasProtocolConditions();
}

const ScenarioConnection *Scenario::connection(const QString &name) const
{
    for (const ScenarioConnection &c : connections) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

} // namespace wst
