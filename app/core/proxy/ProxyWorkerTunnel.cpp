// The part of ProxyWorker that serves as an explicit HTTP proxy (CONNECT tunnels) and puts faults
// into what goes to the client.
#include "ProxyWorker.h"

#include "messages/MessageStore.h"
#include "server/ServerFaults.h"

#include <QSslSocket>

namespace wst {

using W = ProxyServer::Way;

class ProxyWorker::FaultLink final : public ServerFaults::Sink
{
public:
    explicit FaultLink(ProxyWorker *worker)
        : m_worker(worker)
    {
    }
    void deliver(quint32 id, Kind kind, const QByteArray &payload, int frames) override
    {
        Conn *conn = m_worker->find(id);
        if (!conn || conn->phase != Phase::Open)
            return;
        const quint8 opcode = kind == Kind::Binary ? 0x2 : 0x1;
        if (frames <= 1 || payload.size() < 2) {
            m_worker->writeTo(*conn, W::ToClient, m_worker->frameFor(W::ToClient, opcode, payload));
            return;
        }
        const qsizetype step = (payload.size() + frames - 1) / frames;
        for (qsizetype at = 0; at < payload.size(); at += step) {
            const bool last = at + step >= payload.size();
            m_worker->writeTo(*conn, W::ToClient,
                m_worker->frameFor(W::ToClient, at == 0 ? opcode : 0x0, payload.mid(at, step), last));
        }
    }
    void writeRaw(quint32 id, Kind, const QByteArray &, const QByteArray &frame) override
    {
        if (Conn *conn = m_worker->find(id); conn && conn->phase == Phase::Open)
            m_worker->writeTo(*conn, W::ToClient, frame);
    }
    void close(quint32 id, int code, const QString &reason) override
    {
        m_worker->closeConnection(id, code, reason);
    }
    void abort(quint32 id, const QString &why) override
    {
        Conn *conn = m_worker->find(id);
        if (!conn)
            return;
        m_worker->record(id, Direction::Event, Kind::Info, why);
        // Not now: the faults may be walking their own lists.
        QMetaObject::invokeMethod(
            m_worker,
            [w = m_worker, id] {
                if (Conn *c = w->find(id)) {
                    c->phase = Phase::Closing;
                    if (c->client)
                        c->client->abort();
                    if (Conn *d = w->find(id); d && d->upstream)
                        d->upstream->disconnectFromHost();
                }
            },
            Qt::QueuedConnection);
    }
    void stopReading(quint32 id) override
    {
        if (Conn *conn = m_worker->find(id); conn && conn->client) {
            conn->notReading = true;
            conn->client->setReadBufferSize(64 * 1024);
        }
    }
    void note(quint32 id, const QString &text) override
    {
        m_worker->record(id, Direction::Event, Kind::Info, text);
    }

private:
    ProxyWorker *m_worker;
};

void ProxyWorker::startFaults()
{
    delete m_faults;
    m_faults = nullptr;
    if (!m_faultLink)
        m_faultLink = new FaultLink(this);
    m_faults = new ServerFaults(m_faultLink, this);
    m_faults->start(m_options.faults);
}

void ProxyWorker::dropFaults()
{
    delete m_faults;
    m_faults = nullptr;
    delete m_faultLink;
    m_faultLink = nullptr;
}

void ProxyWorker::setFaults(const FaultPlan &faults)
{
    m_options.faults = faults;
    if (!m_server)
        return;
    startFaults();
    for (auto &[id, conn] : m_conns) {
        if (conn->phase == Phase::Open) {
            m_faults->opened(id);
            if (m_faults->takesMessages())
                conn->toClient.diverged = true;
        }
    }
}

bool ProxyWorker::faultsTake(Conn &conn, const Item &item)
{
    if (!m_faults || !m_faults->takesMessages())
        return false;
    m_faults->send(conn.info.id, item.kind, item.message);
    return true;
}

void ProxyWorker::readTunnel(Conn &conn)
{
    if (conn.clientHead.isEmpty())
        return;
    // A TLS ClientHello: wss:// inside the tunnel.
    if (quint8(conn.clientHead.at(0)) == 0x16) {
        startBlind(conn);
        return;
    }
    const qsizetype length = ProxyRequest::headLength(conn.clientHead);
    if (length < 0) {
        fail(conn,
            tr("The request inside the tunnel is longer than %1 bytes.").arg(ProxyRequest::MaxHeadBytes));
        return;
    }
    if (length == 0)
        return;
    const QByteArray head = conn.clientHead.left(length);
    conn.toServer.buffer = conn.clientHead.mid(length);
    conn.clientHead = head;
    const ProxyRequest request = ProxyRequest::parse(head);
    if (!request.isValid() || !request.isWebSocketUpgrade()) {
        fail(conn,
            request.isValid() ? tr("The request inside the tunnel to %1:%2 is not a WebSocket upgrade.")
                                    .arg(conn.tunnelHost)
                                    .arg(conn.tunnelPort)
                              : request.error);
        return;
    }
    conn.info.downstream.request = head;
    QUrl target;
    target.setScheme(QStringLiteral("ws"));
    target.setHost(conn.tunnelHost);
    target.setPort(conn.tunnelPort);
    const QUrl relative(QString::fromLatin1(request.target));
    target.setPath(relative.path().isEmpty() ? QStringLiteral("/") : relative.path());
    if (relative.hasQuery())
        target.setQuery(relative.query());
    openUpstream(conn, request, target);
}

void ProxyWorker::startBlind(Conn &conn)
{
    // Decrypting needs a certificate for this host signed by a CA the client trusts (the
    // certificate maker's; ProxyOptions::certificateFile in Explicit mode). Until then the
    // bytes pass unread.
    const quint32 id = conn.info.id;
    conn.timer->stop();
    conn.phase = Phase::Blind;
    conn.opened = true;
    conn.info.upstream.setScheme(QStringLiteral("wss"));
    conn.info.upstream.setHost(conn.tunnelHost);
    conn.info.upstream.setPort(conn.tunnelPort);
    conn.info.upstreamRecord.target = conn.tunnelHost + QLatin1Char(':') + QString::number(conn.tunnelPort);
    conn.info.upstreamRecord.tls = true;
    record(id, Direction::Event, Kind::Info,
        tr("TLS inside the tunnel to %1:%2 passes through unread: it cannot be decrypted without a CA.")
            .arg(conn.tunnelHost)
            .arg(conn.tunnelPort));
    auto *socket = new QSslSocket(this);
    conn.upstream = socket;
    connect(socket, &QSslSocket::connected, this, [this, id] {
        if (Conn *c = find(id)) {
            c->upstream->write(c->clientHead);
            c->clientHead.clear();
        }
    });
    connect(socket, &QSslSocket::readyRead, this, [this, id] { onUpstreamReadable(id); });
    connect(socket, &QSslSocket::disconnected, this, [this, id] { onSocketGone(id, false); });
    connect(socket, &QSslSocket::errorOccurred, this, [this, id](QAbstractSocket::SocketError) {
        Conn *c = find(id);
        if (!c || c->upstream->state() == QAbstractSocket::ConnectedState)
            return;
        const QString line
            = tr("The upstream %1 failed: %2").arg(c->info.upstreamRecord.target, c->upstream->errorString());
        c->info.error = line;
        fail(*c, line);
    });
    socket->connectToHost(conn.tunnelHost, conn.tunnelPort);
    markDirty();
}

} // namespace wst
