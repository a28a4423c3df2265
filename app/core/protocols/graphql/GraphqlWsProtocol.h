#pragma once

#include "protocols/Protocol.h"

namespace wst {

// GraphQL over WebSocket: "graphql-transport-ws" (the graphql-ws library) and the legacy
// "graphql-ws" subprotocol of subscriptions-transport-ws.
//
// Params (ProtocolOptions::params), client:
//   "subprotocol"      "graphql-transport-ws" (default) or "graphql-ws" (legacy): the messages
//                      the client speaks; prepare() offers it unless the user lists one already.
//   "connectionParams" object: the connection_init payload (auth tokens); none by default.
//   "ackTimeoutMs"     no connection_ack within this time closes with 4408, as graphql-ws's own
//                      client does (default 10000; 0 waits forever).
// Server (the local mock; it accepts either subprotocol, "subprotocol" is its preference):
//   "count"            values a subscription emits (default 5), then complete.
//   "intervalMs"       time between them (default 200).
//   "failOperation"    a regular expression: an operation whose name or query matches it is
//                      answered with an error (so is a query containing the word "error").
//   "keepAliveMs"      legacy clients get "ka" right after the ack and then this often (default
//                      0: only once).
class GraphqlWsProtocol final : public Protocol
{
    Q_DECLARE_TR_FUNCTIONS(GraphqlWsProtocol)
public:
    explicit GraphqlWsProtocol(const ProtocolOptions &options);

    bool isLegacy() const { return m_legacy; }
    QString subprotocol() const;
    QJsonObject connectionParams() const;
    int ackTimeoutMs() const;

    QString validate() const override;
    void prepare(ConnectionOptions &options) const override;
    QStringList verbs() const override;
    QStringList serverSubprotocols() const override;
    ProtocolMessage decode(Direction direction, Kind kind, const QByteArray &payload) const override;
    QJsonObject toJson(const ProtocolMessage &message) const override;
    std::unique_ptr<ProtocolClient> createClient(ProtocolClientSink *sink) const override;
    std::unique_ptr<ProtocolServer> createServer(ProtocolServerSink *sink) const override;

    // The name shown for an operation: its operationName, else the name in the query, else
    // the first field it selects ("count" for `subscription { count }`).
    static QString operationName(const QJsonObject &subscribePayload);

private:
    bool m_legacy = false;
};

} // namespace wst
