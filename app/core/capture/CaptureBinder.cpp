#include "CaptureBinder.h"

#include "connection/ClientConnection.h"
#include "messages/Message.h"
#include "protocol/HandshakeRecord.h"
#include "proxy/ProxyServer.h"
#include "server/LocalServer.h"
#include "session/SessionRecorder.h"

#include <QSet>

#include <memory>

namespace wst {

void CaptureBinder::follow(
    SessionRecorder *recorder, qint64 tabId, ClientConnection *connection, qint64 firstRow)
{
    recorder->attach(tabId, connection->store(), firstRow);
    // The relay reports the record as it grows (request, response, body); one row per attempt,
    // told apart by the request (each has its own Sec-WebSocket-Key).
    struct Attempt
    {
        QByteArray request;
        qint64 id = 0;
        qint64 timeUs = 0;
    };
    auto attempt = std::make_shared<Attempt>();
    QObject::connect(
        connection, &ClientConnection::handshakeChanged, recorder, [recorder, tabId, connection, attempt] {
            const HandshakeRecord &record = connection->handshake();
            if (record.request != attempt->request || attempt->id == 0) {
                attempt->request = record.request;
                attempt->id = 0;
                attempt->timeUs = nowUs();
            }
            attempt->id = recorder->recordHandshake(tabId, 0, record, attempt->timeUs, attempt->id);
        });
}

void CaptureBinder::follow(SessionRecorder *recorder, qint64 tabId, LocalServer *server, qint64 firstRow)
{
    recorder->attach(tabId, server->store(), firstRow);
    auto recorded = std::make_shared<QSet<quint32>>();
    QObject::connect(server, &LocalServer::clientsChanged, recorder, [recorder, tabId, server, recorded] {
        for (const LocalServer::ClientInfo &client : server->clients()) {
            if (recorded->contains(client.id))
                continue;
            recorded->insert(client.id);
            HandshakeRecord record;
            record.request = client.handshakeRequest;
            record.target = QStringLiteral("%1:%2").arg(client.peerAddress.toString()).arg(client.peerPort);
            recorder->recordHandshake(tabId, client.id, record, client.connectedUs);
        }
    });
}

void CaptureBinder::follow(SessionRecorder *recorder, qint64 tabId, ProxyServer *proxy, qint64 firstRow)
{
    recorder->attach(tabId, proxy->store(), firstRow);
    auto recorded = std::make_shared<QSet<quint32>>();
    QObject::connect(proxy, &ProxyServer::connectionsChanged, recorder, [recorder, tabId, proxy, recorded] {
        for (const ProxyServer::ConnectionInfo &c : proxy->connections()) {
            if (recorded->contains(c.id)
                || (c.upstreamRecord.response.isEmpty() && c.upstreamRecord.upstreamError.isEmpty()
                    && c.open))
                continue;
            recorded->insert(c.id);
            recorder->recordHandshake(tabId, c.id, c.upstreamRecord, c.connectedUs);
        }
    });
}

} // namespace wst
