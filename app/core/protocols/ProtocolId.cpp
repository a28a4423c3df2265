#include "ProtocolId.h"

#include <QStringList>

namespace wst {

QList<ProtocolId> ProtocolNames::all()
{
    return { ProtocolId::Raw, ProtocolId::SocketIo, ProtocolId::GraphqlWs, ProtocolId::Stomp,
        ProtocolId::Mqtt };
}

QString ProtocolNames::key(ProtocolId id)
{
    switch (id) {
    case ProtocolId::Raw:
        return QStringLiteral("raw");
    case ProtocolId::SocketIo:
        return QStringLiteral("socket.io");
    case ProtocolId::GraphqlWs:
        return QStringLiteral("graphql-ws");
    case ProtocolId::Stomp:
        return QStringLiteral("stomp");
    case ProtocolId::Mqtt:
        return QStringLiteral("mqtt");
    }
    return QStringLiteral("raw");
}

std::optional<ProtocolId> ProtocolNames::fromKey(const QString &key)
{
    const QString k = key.trimmed().toLower();
    for (ProtocolId id : all()) {
        if (k == ProtocolNames::key(id))
            return id;
    }
    if (k == QLatin1String("socketio"))
        return ProtocolId::SocketIo;
    if (k == QLatin1String("graphql") || k == QLatin1String("graphql-transport-ws"))
        return ProtocolId::GraphqlWs;
    return std::nullopt;
}

QString ProtocolNames::displayName(ProtocolId id)
{
    switch (id) {
    case ProtocolId::Raw:
        return tr("Raw WebSocket");
    case ProtocolId::SocketIo:
        return tr("Socket.IO");
    case ProtocolId::GraphqlWs:
        return tr("GraphQL over WebSocket");
    case ProtocolId::Stomp:
        return tr("STOMP");
    case ProtocolId::Mqtt:
        return tr("MQTT");
    }
    return {};
}

QString ProtocolNames::keyList()
{
    QStringList keys;
    for (ProtocolId id : all())
        keys.append(key(id));
    return keys.join(QStringLiteral(", "));
}

} // namespace wst
