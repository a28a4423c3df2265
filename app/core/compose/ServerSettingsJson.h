#pragma once

#include "server/ServerOptions.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace wst {

// A local server's settings as JSON, as session files keep them:
// {"address": "127.0.0.1", "port": 0, "certificateFile": "", "keyFile": "",
//  "behaviour": "echo" | "broadcast" | "broadcast-others" | "manual" | "rules",
//  "rules": {"rules": [...]} (the reply rules document), "greeting": "", "pushIntervalMs": 0,
//  "pushText": "", "subprotocols": [], "allowedOrigins": [], "maxClients": 0,
//  "maxMessageSize": 67108864, "maxSendBuffer": 16777216} (bytes; 0: no limit)
// Unknown keys are ignored; a missing key keeps its default.
class ServerSettingsJson
{
    Q_DECLARE_TR_FUNCTIONS(ServerSettingsJson)
public:
    static QJsonObject toJson(const ServerOptions &options);
    // On a problem sets *error (naming the key) and returns what could be read.
    static ServerOptions fromJson(const QJsonObject &object, QString *error);
};

} // namespace wst
