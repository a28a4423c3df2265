#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace wst {

// What a client tab or a local server speaks over its WebSocket connection.
enum class ProtocolId { Raw, SocketIo, GraphqlWs, Stomp, Mqtt };

class ProtocolNames
{
    Q_DECLARE_TR_FUNCTIONS(ProtocolNames)
public:
    // Every protocol, in the order menus list them.
    static QList<ProtocolId> all();
    // The key used in files and on the command line: raw, socket.io, graphql-ws, stomp, mqtt.
    static QString key(ProtocolId id);
    static std::optional<ProtocolId> fromKey(const QString &key);
    // The name shown to the user ("Socket.IO", "GraphQL over WebSocket", ...).
    static QString displayName(ProtocolId id);
    // "raw, socket.io, graphql-ws, stomp, mqtt" for messages that list the choices.
    static QString keyList();
};

} // namespace wst
