#pragma once

#include "protocols/ProtocolServer.h"

#include <QHash>
#include <QRegularExpression>
#include <QTimer>

namespace wst {

class GraphqlWsProtocol;

// The local server's GraphQL mock, for developing a client with no GraphQL server installed.
// Speaks whichever subprotocol each client chose. A subscription emits "count" values
// ({"data": {<first field>: n}}) every "intervalMs", then completes; a query or mutation
// answers once, echoing its variables; an operation containing the word "error" (or matching
// "failOperation") is answered with a GraphQL error. Stop/complete from the client is honoured.
class GraphqlWsServer final : public ProtocolServer
{
    Q_OBJECT
public:
    GraphqlWsServer(std::shared_ptr<const GraphqlWsProtocol> protocol, ProtocolServerSink *sink);
    ~GraphqlWsServer() override;

    void clientOpened(quint32 clientId, const QString &subprotocol, const QString &path) override;
    void received(quint32 clientId, Kind kind, const QByteArray &payload) override;
    void clientClosed(quint32 clientId) override;
    QString submit(quint32 clientId, const ProtocolCommand &command) override;

private:
    struct Client
    {
        bool legacy = false;
        bool initialised = false;
        bool acknowledged = false;
        QHash<QString, QTimer *> subscriptions; // id -> its emitter (owned by the server)
    };

    void send(quint32 clientId, const QString &type, const QString &id = {}, const QJsonValue &payload = {});
    void protocolError(quint32 clientId, int code, const QString &reason);
    void initialise(quint32 clientId);
    void start(quint32 clientId, const QString &id, const QJsonObject &payload);
    void stop(quint32 clientId, const QString &id);
    void emitNext(quint32 clientId, const QString &id, const QString &field);
    bool shouldFail(const QJsonObject &payload) const;

    std::shared_ptr<const GraphqlWsProtocol> m_graphql;
    QHash<quint32, Client> m_clients;
    QRegularExpression m_failOperation;
    QTimer m_keepAlive;
};

} // namespace wst
