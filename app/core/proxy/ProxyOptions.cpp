#include "ProxyOptions.h"

namespace wst {

bool ProxyBreakpoint::operator==(const ProxyBreakpoint &other) const
{
    return direction == other.direction && match.match == other.match.match
        && match.value == other.match.value && match.field == other.match.field && enabled == other.enabled;
}

QString ProxyOptions::validate() const
{
    if (mode == Mode::Reverse) {
        if (!upstream.isValid() || upstream.host().isEmpty())
            return tr("The upstream URL is missing or not valid.");
        const QString scheme = upstream.scheme().toLower();
        if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
            return tr("The upstream URL must start with ws:// or wss://, not “%1”.").arg(upstream.scheme());
    }
    if (certificateFile.isEmpty() != keyFile.isEmpty())
        return tr("A certificate needs its key file, and a key its certificate file.");
    if (maxMessageSize < 0)
        return tr("The largest message size cannot be negative.");
    if (maxHeld < 1)
        return tr("At least one message must be allowed to be held.");
    for (const ProxyBreakpoint &breakpoint : breakpoints) {
        if (breakpoint.match.match == ReplyRule::Match::Regex
            && !QRegularExpression(breakpoint.match.value).isValid())
            return tr("The breakpoint pattern “%1” is not a valid regular expression.")
                .arg(breakpoint.match.value);
    }
    return faults.validate();
}

} // namespace wst
