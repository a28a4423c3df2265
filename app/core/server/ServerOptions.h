#pragma once

#include "FaultPlan.h"
#include "ReplyRules.h"
#include "protocols/ProtocolOptions.h"

#include <QHostAddress>
#include <QMetaType>
#include <QStringList>

namespace wst {

// Everything a local server is started with. A plain value: copied to the network thread.
struct ServerOptions
{
    Q_DECLARE_TR_FUNCTIONS(ServerOptions)
public:
    enum class Behaviour { Echo, Broadcast, BroadcastOthers, Manual, Rules };

    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port
    QString certificateFile; // PEM; with keyFile: wss://
    QString keyFile;
    Behaviour behaviour = Behaviour::Echo;
    // Not Raw: the protocol's server (Socket.IO server, GraphQL mock, STOMP or MQTT broker)
    // answers the clients instead of the behaviour.
    ProtocolOptions protocol;
    QList<ReplyRule> rules;
    QString greeting; // sent to each client on connect (a reply template)
    int pushIntervalMs = 0; // 0: no periodic push
    QString pushText = QStringLiteral("{\"tick\":\"{{time}}\"}");
    // {{name}} → value in replies, the greeting and the push (the window's variables when started).
    QList<QPair<QString, QString>> variables;
    QStringList subprotocols; // supported, in order of preference
    QStringList allowedOrigins; // empty: any Origin
    int maxClients = 0; // 0: no limit
    // Defaults that bound the memory one client can make the server hold; a tester may raise them.
    static constexpr qint64 DefaultMaxMessageSize = qint64(64) << 20;
    static constexpr qint64 DefaultMaxSendBuffer = qint64(16) << 20;
    static constexpr qint64 QtMaxMessageSize = 2147483646; // QWebSocket's own ceiling
    // The largest message (and frame) a client may send, in bytes; a larger one closes it with
    // 1009. 0: no limit of ours (Qt's ceiling).
    qint64 maxMessageSize = DefaultMaxMessageSize;
    // Bytes queued for a client and not yet taken by it; a client over this when more is sent is
    // dropped (it is not reading). 0: no limit.
    qint64 maxSendBuffer = DefaultMaxSendBuffer;
    // Agree to permessage-deflate when a client offers it (RFC 7692), as real servers do.
    bool deflate = true;
    // Faults put on purpose into what the server sends (none by default).
    FaultPlan faults;

    bool isSecure() const { return !certificateFile.isEmpty(); }
    // Empty when the options can be used; otherwise the first problem found.
    QString validate() const;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ServerOptions)
