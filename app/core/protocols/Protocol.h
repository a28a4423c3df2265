#pragma once

#include "ProtocolMessage.h"
#include "ProtocolOptions.h"

#include <QCoreApplication>
#include <QStringList>

#include <memory>

namespace wst {

struct ConnectionOptions;
class ProtocolClient;
class ProtocolClientSink;
class ProtocolServer;
class ProtocolServerSink;

// One protocol over WebSocket (Socket.IO, GraphQL over WebSocket, STOMP, MQTT): the one interface
// the window, the CLI and scenarios use. A Protocol is made from ProtocolOptions by
// Protocol::create() and is immutable: decode() and toJson() may be called from any thread.
// The stateful halves (a client session, a server's broker) are made by createClient() and
// createServer() and live in the network thread next to their sockets.
class Protocol : public std::enable_shared_from_this<Protocol>
{
    Q_DECLARE_TR_FUNCTIONS(Protocol)
public:
    virtual ~Protocol();

    // Never null: Raw for ProtocolId::Raw (and a protocol with bad params still decodes; its
    // validate() says what is wrong).
    static std::shared_ptr<const Protocol> create(const ProtocolOptions &options);

    const ProtocolOptions &options() const { return m_options; }
    ProtocolId id() const { return m_options.id; }
    bool isRaw() const { return m_options.isRaw(); }

    // Empty when the params can be used; otherwise the first problem, naming the setting.
    virtual QString validate() const { return {}; }
    // Adjusts a client connection before it opens: the URL (Socket.IO's
    // /socket.io/?EIO=4&transport=websocket) and the subprotocols to offer (mqtt, v12.stomp,
    // graphql-transport-ws), keeping what the user set.
    virtual void prepare(ConnectionOptions &options) const;
    // The subprotocols a local server speaking this protocol accepts, in order of preference.
    virtual QStringList serverSubprotocols() const { return {}; }
    // The ProtocolCommand verbs a client session takes (ProtocolCommand.h); empty for Raw.
    // Scenario files are checked against it when they are read.
    virtual QStringList verbs() const { return {}; }

    // Reads one message of the history. `kind` is Text or Binary (other rows are not protocol
    // messages: the result's role is None). A malformed payload gives role Error with the
    // reason, never a crash.
    virtual ProtocolMessage decode(Direction direction, Kind kind, const QByteArray &payload) const;
    // The --json form of a decoded message; the default is message.toJson().
    virtual QJsonObject toJson(const ProtocolMessage &message) const;

    // The client session for one connection (null for Raw). Its sink outlives it.
    virtual std::unique_ptr<ProtocolClient> createClient(ProtocolClientSink *sink) const;
    // The server half for one local server (null for Raw).
    virtual std::unique_ptr<ProtocolServer> createServer(ProtocolServerSink *sink) const;

protected:
    explicit Protocol(const ProtocolOptions &options);

private:
    ProtocolOptions m_options;
};

} // namespace wst
