#pragma once

#include "proxy/ProxyOptions.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace wst {

// A proxy's settings as JSON, as session files keep them:
// {"mode": "reverse" | "explicit", "address": "127.0.0.1", "port": 0, "upstream": "ws://…",
//  "certificateFile": "", "keyFile": "", "ignoreUpstreamTlsErrors": false,
//  "setHeaders": [["Name", "value"], …], "removeHeaders": ["Name", …], "passCompression": true,
//  "faults": {…} (FaultPlan's JSON), "breakpoints": [{"direction": "both" | "to-server" |
//  "to-client", "match": "exact" | "contains" | "regex" | "json", "value": "", "field": "",
//  "enabled": true}, …], "maxMessageSize": 67108864, "maxHeld": 10000}
// Unknown keys are ignored; a missing key keeps its default.
class ProxySettingsJson
{
    Q_DECLARE_TR_FUNCTIONS(ProxySettingsJson)
public:
    static QJsonObject toJson(const ProxyOptions &options);
    // On a problem sets *error (one line naming the key) and returns what could be read.
    static ProxyOptions fromJson(const QJsonObject &object, QString *error);

    static QJsonObject breakpointToJson(const ProxyBreakpoint &breakpoint);
    static ProxyBreakpoint breakpointFromJson(const QJsonObject &object, QString *error);
};

} // namespace wst
