// The part of ServerWorker that lets a protocol's server (Socket.IO server, GraphQL mock, STOMP
// or MQTT broker) answer the clients instead of the behaviour.
#include "ServerWorker.h"

#include "messages/MessageStore.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolServer.h"

#include <QWebSocket>

namespace wst {

class ServerWorker::ProtocolLink final : public ProtocolServerSink
{
public:
    explicit ProtocolLink(ServerWorker *worker)
        : m_worker(worker)
    {
    }
    void sendText(quint32 clientId, const QString &text) override
    {
        if (Client *client = m_worker->find(clientId))
            m_worker->sendTextTo(*client, text);
    }
    void sendBinary(quint32 clientId, const QByteArray &data) override
    {
        if (Client *client = m_worker->find(clientId))
            m_worker->sendBinaryTo(*client, data);
    }
    void note(quint32 clientId, Kind kind, const QString &text) override
    {
        m_worker->record(clientId, Direction::Event, kind, text);
    }
    void closeClient(quint32 clientId, int code, const QString &reason) override
    {
        m_worker->kick(clientId, code, reason);
    }
    QList<quint32> clientIds() const override
    {
        QList<quint32> ids;
        ids.reserve(qsizetype(m_worker->m_clients.size()));
        for (const auto &entry : m_worker->m_clients)
            ids.append(entry.first);
        return ids;
    }

private:
    ServerWorker *m_worker;
};

void ServerWorker::startProtocol()
{
    dropProtocol();
    m_protocol = Protocol::create(m_options.protocol);
    if (m_protocol->isRaw())
        return;
    m_protocolLink = new ProtocolLink(this);
    if (std::unique_ptr<ProtocolServer> server = m_protocol->createServer(m_protocolLink)) {
        m_protocolServer = server.release();
        m_protocolServer->setParent(this);
    }
    // The protocol's subprotocols come first: a client offering "mqtt" must get it.
    QStringList subprotocols = m_protocol->serverSubprotocols();
    for (const QString &own : std::as_const(m_options.subprotocols)) {
        if (!subprotocols.contains(own))
            subprotocols.append(own);
    }
    m_options.subprotocols = subprotocols;
}

void ServerWorker::dropProtocol()
{
    delete std::exchange(m_protocolServer, nullptr);
    delete std::exchange(m_protocolLink, nullptr);
}

bool ServerWorker::protocolOpened(quint32 id)
{
    Client *client = find(id);
    if (!m_protocolServer || !client)
        return false;
    const QUrl url = client->socket->requestUrl();
    m_protocolServer->clientOpened(
        id, client->info.subprotocol, url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    return true;
}

bool ServerWorker::protocolReceived(quint32 id, Kind kind, const QByteArray &payload)
{
    if (!m_protocolServer)
        return false;
    m_protocolServer->received(id, kind, payload);
    return true;
}

void ServerWorker::protocolClosed(quint32 id)
{
    if (m_protocolServer)
        m_protocolServer->clientClosed(id);
}

void ServerWorker::submit(quint32 clientId, const ProtocolCommand &command)
{
    QString problem;
    if (!m_protocolServer)
        problem = tr("Not sent: this server speaks raw WebSocket; start it with a protocol to send \"%1\".")
                      .arg(command.verb);
    else if (clientId != 0 && !find(clientId))
        problem = tr("\"%1\" not sent: client %2 is not connected.").arg(command.verb).arg(clientId);
    else
        problem = m_protocolServer->submit(clientId, command);
    if (!problem.isEmpty())
        record(clientId, Direction::Event, Kind::Error, problem);
}

} // namespace wst
