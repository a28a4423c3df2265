#pragma once

#include "protocols/Protocol.h"

namespace wst {

// Socket.IO v4 over Engine.IO v4 on the WebSocket transport only (no long-polling), and
// Socket.IO v2 over Engine.IO v3 when "eio" is 3.
//
// Params (ProtocolOptions::params), each with its default:
//   "namespace": "/"            the namespace to connect to ("/admin")
//   "auth": {}                  a JSON object sent in the namespace CONNECT packet (v4 only)
//   "path": "/socket.io/"       the server's Engine.IO path
//   "eio": 4                    4 (Socket.IO v3/v4) or 3 (Socket.IO v2)
// Local server only:
//   "mode": "echo"              "echo" (an event goes back to its sender) or "broadcast" (to
//                               every client connected to the event's namespace)
//   "pingInterval": 25000, "pingTimeout": 20000, "maxPayload": 1000000   sent in the open packet
//
// prepare() turns ws://host:port/ into ws://host:port/socket.io/?EIO=4&transport=websocket; a URL
// that already names EIO= is left as it is, and a path other than "/" is kept (a server
// mounted elsewhere).
//
// Commands: "emit" with name = the event, args = its arguments, expectReply = ask for an ack
// (the ack comes back as a Reply notice with rttUs); options.namespace on the local server.
class SocketIoProtocol final : public Protocol
{
    Q_DECLARE_TR_FUNCTIONS(SocketIoProtocol)
public:
    explicit SocketIoProtocol(const ProtocolOptions &options);

    QString validate() const override;
    void prepare(ConnectionOptions &options) const override;
    QStringList verbs() const override;
    ProtocolMessage decode(Direction direction, Kind kind, const QByteArray &payload) const override;
    // {"type", "role", "event"?, "args"?, "id"?, "namespace", ...the generic keys}.
    QJsonObject toJson(const ProtocolMessage &message) const override;
    std::unique_ptr<ProtocolClient> createClient(ProtocolClientSink *sink) const override;
    std::unique_ptr<ProtocolServer> createServer(ProtocolServerSink *sink) const override;

    QString nsp() const;
    QJsonObject auth() const;
    QString path() const;
    int eio() const;
    QString mode() const;
    int pingInterval() const;
    int pingTimeout() const;
    int maxPayload() const;
};

} // namespace wst
