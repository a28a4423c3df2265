// The part of ServerWorker that puts faults on purpose into what the server sends (FaultPlan,
// ServerFaults): the faults decide, this file does the sending and the recording.
#include "ServerWorker.h"

#include "HandshakeCheck.h"
#include "ServerFaults.h"
#include "messages/MessageStore.h"

#include <QTcpSocket>
#include <QWebSocket>

namespace wst {

namespace {

constexpr quint64 QtDefaultFrameSize = 512 * 1024;
constexpr qint64 ReadBufferWhenNotReading = 64 * 1024;

} // namespace

class ServerWorker::FaultLink final : public ServerFaults::Sink
{
public:
    explicit FaultLink(ServerWorker *worker)
        : m_worker(worker)
    {
    }
    void deliver(quint32 id, Kind kind, const QByteArray &payload, int frames) override
    {
        Client *client = m_worker->find(id);
        if (!client)
            return;
        if (frames > 1)
            client->socket->setOutgoingFrameSize(quint64((payload.size() + frames - 1) / frames));
        m_worker->m_faultDelivering = true;
        if (kind == Kind::Binary)
            m_worker->sendBinaryTo(*client, payload);
        else
            m_worker->sendTextTo(*client, QString::fromUtf8(payload));
        m_worker->m_faultDelivering = false;
        if (frames > 1)
            client->socket->setOutgoingFrameSize(QtDefaultFrameSize);
    }
    void writeRaw(quint32 id, Kind kind, const QByteArray &payload, const QByteArray &frame) override
    {
        Client *client = m_worker->find(id);
        if (!client || !client->tcp || !m_worker->canSendTo(*client))
            return;
        // QWebSocket writes whole frames into the socket at once, so a frame written here
        // between two of its messages lands on a frame boundary.
        client->tcp->write(frame);
        ++client->info.messagesOut;
        m_worker->m_store->appendBytes(Direction::Out, kind, payload, nowUs(), 0, id);
        m_worker->markDirty();
    }
    void close(quint32 id, int code, const QString &reason) override { m_worker->kick(id, code, reason); }
    void abort(quint32 id, const QString &why) override
    {
        Client *client = m_worker->find(id);
        if (!client || client->dropping)
            return;
        client->dropping = true;
        client->dropReason = why;
        // Not now: the caller may be walking the client list, and abort() leaves it at once.
        QMetaObject::invokeMethod(client->socket, &QWebSocket::abort, Qt::QueuedConnection);
    }
    void stopReading(quint32 id) override
    {
        Client *client = m_worker->find(id);
        if (!client || !client->tcp)
            return;
        // QWebSocket reads on the socket's readyRead. Without it, and with a bounded read
        // buffer, what the client sends stays in the kernel, whose buffer fills, then the client's.
        QObject::disconnect(client->tcp, &QTcpSocket::readyRead, nullptr, nullptr);
        client->tcp->setReadBufferSize(ReadBufferWhenNotReading);
    }
    void note(quint32 id, const QString &text) override
    {
        m_worker->record(id, Direction::Event, Kind::Info, text);
    }

private:
    ServerWorker *m_worker;
};

void ServerWorker::startFaults()
{
    if (!m_faults) {
        m_faultLink = new FaultLink(this);
        m_faults = new ServerFaults(m_faultLink, this);
    }
    m_faults->start(m_options.faults);
    qDeleteAll(std::exchange(m_ruleFaults, {}));
    for (const ReplyRule &rule : std::as_const(m_options.rules)) {
        ServerFaults *faults = nullptr;
        if (m_options.behaviour == ServerOptions::Behaviour::Rules && !rule.faults.isEmpty()) {
            faults = new ServerFaults(m_faultLink, this);
            faults->start(rule.faults);
        }
        m_ruleFaults.append(faults);
    }
}

void ServerWorker::sendRuleReply(Client &client, qsizetype rule, const QString &text)
{
    ServerFaults *faults = m_ruleFaults.value(rule);
    if (!faults || m_faultDelivering) {
        sendTextTo(client, text);
        return;
    }
    faults->send(client.info.id, Kind::Text, text.toUtf8());
}

void ServerWorker::openedFaults(quint32 id)
{
    m_faults->opened(id);
    for (ServerFaults *faults : std::as_const(m_ruleFaults)) {
        if (faults)
            faults->opened(id);
    }
}

void ServerWorker::closedFaults(quint32 id)
{
    m_faults->closed(id);
    for (ServerFaults *faults : std::as_const(m_ruleFaults)) {
        if (faults)
            faults->closed(id);
    }
}

void ServerWorker::dropFaults()
{
    qDeleteAll(std::exchange(m_ruleFaults, {}));
    delete m_faults;
    m_faults = nullptr;
    delete m_faultLink;
    m_faultLink = nullptr;
}

bool ServerWorker::faultsTake(Client &client, Kind kind, const QString &text, const QByteArray &data)
{
    if (m_faultDelivering || !m_faults || !m_faults->takesMessages())
        return false;
    m_faults->send(client.info.id, kind, kind == Kind::Binary ? data : text.toUtf8());
    return true;
}

bool ServerWorker::faultRefuses(QTcpSocket *socket)
{
    int status = 0;
    QString why;
    if (!m_faults || !m_faults->refuseNext(&status, &why))
        return false;
    refuse(socket, FaultPlan::statusLine(status), why);
    return true;
}

} // namespace wst
