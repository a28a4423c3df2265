// The part of ClientWorker that runs a protocol (Socket.IO, GraphQL, STOMP, MQTT) over the
// connection: one ProtocolClient per attempt, fed every complete message from the server.
#include "ClientWorker.h"

#include "MessageTap.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolClient.h"

namespace wst {

// The session's way back into the worker: sends go through the same path as the user's own
// (recorded as outgoing rows), notes become history rows.
class ClientWorker::ProtocolLink final : public ProtocolClientSink
{
public:
    explicit ProtocolLink(ClientWorker *worker)
        : m_worker(worker)
    {
    }
    void sendText(const QString &text) override { m_worker->sendText(text); }
    void sendBinary(const QByteArray &data) override { m_worker->sendBinary(data); }
    void note(Kind kind, const QString &text) override { m_worker->record(Direction::Event, kind, text); }
    void notice(const ProtocolNotice &notice) override { Q_EMIT m_worker->protocolNotice(notice); }
    void closeConnection(int code, const QString &reason) override { m_worker->close(code, reason); }

private:
    ClientWorker *m_worker;
};

void ClientWorker::createProtocolClient()
{
    protocolClosed();
    if (m_protocolClient) {
        m_protocolClient->deleteLater();
        m_protocolClient = nullptr;
    }
    if (!m_protocolLink)
        m_protocolLink = new ProtocolLink(this);
    if (std::unique_ptr<ProtocolClient> client = m_protocol->createClient(m_protocolLink)) {
        m_protocolClient = client.release();
        m_protocolClient->setParent(this);
    }
}

void ClientWorker::protocolOpened()
{
    if (!m_protocolClient || m_protocolOpen)
        return;
    m_protocolOpen = true;
    m_protocolClient->opened();
}

void ClientWorker::protocolReceived(Kind kind, const QByteArray &payload)
{
    if (m_protocolClient && m_protocolOpen)
        m_protocolClient->received(kind, payload);
}

void ClientWorker::protocolObserved(const QList<ObservedMessage> &messages)
{
    for (const ObservedMessage &message : messages)
        protocolReceived(message.kind, message.payload);
}

void ClientWorker::protocolClosed()
{
    if (m_protocolClient && std::exchange(m_protocolOpen, false))
        m_protocolClient->closed();
}

void ClientWorker::dropProtocol()
{
    delete std::exchange(m_protocolClient, nullptr);
    delete std::exchange(m_protocolLink, nullptr);
    m_protocolOpen = false;
}

void ClientWorker::submit(const ProtocolCommand &command, quint64 ticket)
{
    QString problem;
    if (!m_protocol || m_protocol->isRaw()) {
        problem = tr("Not sent: this connection speaks raw WebSocket; choose a protocol to send \"%1\".")
                      .arg(command.verb);
    } else if (!m_protocolClient
        || (m_status.state != ClientConnection::State::Open
            && m_status.state != ClientConnection::State::Connecting)) {
        problem = tr("\"%1\" not sent: the connection is not open.").arg(command.verb);
    } else {
        ProtocolCommand ticketed = command;
        ticketed.ticket = ticket; // the replies name it
        problem = m_protocolClient->submit(ticketed);
    }
    if (!problem.isEmpty()) {
        record(Direction::Event, Kind::Error, problem);
        Q_EMIT commandRefused(problem);
    }
    Q_EMIT commandHandled(ticket, problem);
}

} // namespace wst
