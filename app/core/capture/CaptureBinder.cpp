#include "CaptureBinder.h"

#include "connection/ClientConnection.h"
#include "messages/Message.h"
#include "protocol/HandshakeRecord.h"
#include "proxy/ProxyServer.h"
#include "server/LocalServer.h"
#include "session/SessionRecorder.h"

#include <QHash>
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
            record.response = client.handshakeResponse;
            record.target = QStringLiteral("%1:%2").arg(client.peerAddress.toString()).arg(client.peerPort);
            recorder->recordHandshake(tabId, client.id, record, client.connectedUs);
        }
    });
}

void CaptureBinder::follow(SessionRecorder *recorder, qint64 tabId, ProxyServer *proxy, qint64 firstRow)
{
    recorder->attach(tabId, proxy->store(), firstRow);
    // One row per connection and side; written again only when the record grew (the upstream
    // response arrives after the downstream request, an error after both).
    struct Written
    {
        qint64 id = 0;
        qsizetype size = -1;
    };
    auto written = std::make_shared<QHash<quint64, Written>>();
    QObject::connect(proxy, &ProxyServer::connectionsChanged, recorder, [recorder, tabId, proxy, written] {
        for (const ProxyServer::ConnectionInfo &c : proxy->connections()) {
            const std::pair<const HandshakeRecord *, const char *> sides[]
                = { { &c.downstream, "downstream" }, { &c.upstreamRecord, "upstream" } };
            for (int side = 0; side < 2; ++side) {
                const HandshakeRecord &record = *sides[side].first;
                const qsizetype size = record.request.size() + record.response.size()
                    + record.responseBody.size() + record.upstreamError.size() + record.peerChain.size();
                Written &w = (*written)[(quint64(c.id) << 1) | quint64(side)];
                if (size == w.size)
                    continue;
                w.size = size;
                HandshakeRecord kept = record;
                // The downstream side's target is the app's address, as a server tab keeps it.
                if (side == 0 && kept.target.isEmpty() && !c.peerAddress.isNull())
                    kept.target = QStringLiteral("%1:%2").arg(c.peerAddress.toString()).arg(c.peerPort);
                w.id = recorder->recordHandshake(
                    tabId, c.id, kept, c.connectedUs, w.id, QLatin1StringView(sides[side].second));
            }
        }
    });
}

} // namespace wst
