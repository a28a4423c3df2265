#pragma once

#include "ProtocolId.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QMetaType>

namespace wst {

// The protocol a client tab or a local server speaks, with its settings. A plain value: part of
// ConnectionOptions and ServerOptions, copied to the network thread, saved in sessions,
// collections and profiles as {"name": "socket.io", ...params}.
//
// The params are the protocol's own keys (each protocol documents them in its header and reads
// them with a default when missing), e.g. socket.io: "namespace", "auth"; graphql-ws:
// "subprotocol", "connectionParams"; stomp: "login", "passcode", "host", "heartbeatOutMs";
// mqtt: "version", "clientId", "keepAlive", "username", "password", "will".
struct ProtocolOptions
{
    Q_DECLARE_TR_FUNCTIONS(ProtocolOptions)
public:
    ProtocolId id = ProtocolId::Raw;
    QJsonObject params;

    bool isRaw() const { return id == ProtocolId::Raw; }
    QString string(const QString &key, const QString &fallback = {}) const;
    int integer(const QString &key, int fallback) const;
    bool boolean(const QString &key, bool fallback) const;

    // {"name": key, ...params}; a raw protocol with no params is {"name": "raw"}.
    QJsonObject toJson() const;
    // Accepts what toJson() wrote, or a bare string ("mqtt"). On a problem sets *error.
    static ProtocolOptions fromJson(const QJsonValue &value, QString *error);

    bool operator==(const ProtocolOptions &other) const { return id == other.id && params == other.params; }
    bool operator!=(const ProtocolOptions &other) const { return !(*this == other); }
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ProtocolOptions)
