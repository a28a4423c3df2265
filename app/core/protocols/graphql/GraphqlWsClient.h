#pragma once

#include "protocols/ProtocolClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

namespace wst {

class GraphqlWsProtocol;

// One GraphQL-over-WebSocket session: connection_init with the connection payload when the
// socket opens, Ready on connection_ack (closes with 4408 when none comes in time), pings
// answered. "subscribe" starts an operation (subscription, query or mutation) under the given
// id or the next free "1", "2", ...; several run at once. "stop" (id) completes one early.
class GraphqlWsClient final : public ProtocolClient
{
    Q_OBJECT
public:
    GraphqlWsClient(std::shared_ptr<const GraphqlWsProtocol> protocol, ProtocolClientSink *sink);
    ~GraphqlWsClient() override;

    void opened() override;
    void received(Kind kind, const QByteArray &payload) override;
    void closed() override;

protected:
    QString check(const ProtocolCommand &command) const override;
    QString execute(const ProtocolCommand &command) override;

private:
    struct Operation
    {
        QString name;
        QString kind; // query, mutation, subscription
        QElapsedTimer started;
        qint64 firstResultUs = -1;
        int results = 0;
        QJsonValue lastResult;
        quint64 ticket = 0;
    };

    void acknowledged(const QJsonValue &payload);
    void result(const QString &id, const QJsonValue &payload);
    void failed(const QString &id, const QJsonValue &errors);
    void completed(const QString &id);
    void end(const QString &id, const QString &reason, const QJsonValue &errors = {});
    QString nextId();
    void send(const QString &type, const QString &id = {}, const QJsonValue &payload = {});

    std::shared_ptr<const GraphqlWsProtocol> m_graphql;
    QTimer m_ackTimer;
    bool m_acknowledged = false;
    int m_lastId = 0;
    QHash<QString, Operation> m_operations;
};

} // namespace wst
