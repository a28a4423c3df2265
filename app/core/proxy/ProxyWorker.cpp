#include "ProxyWorker.h"

#include "messages/MessageStore.h"
#include "server/ServerFaults.h"
#include "server/ServerTls.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>

namespace wst {

namespace {

constexpr qsizetype MaxGone = 1000;

QByteArray statusLine(int code, const QByteArray &text)
{
    return "HTTP/1.1 " + QByteArray::number(code) + ' ' + text + "\r\n";
}

} // namespace

ProxyWorker::ProxyWorker(std::shared_ptr<MessageStore> store)
    : m_store(std::move(store))
    , m_notifyTimer(new QTimer(this))
    , m_stopTimer(new QTimer(this))
{
    m_notifyTimer->setSingleShot(true);
    m_notifyTimer->setInterval(100);
    m_stopTimer->setSingleShot(true);
    connect(m_notifyTimer, &QTimer::timeout, this, &ProxyWorker::notify);
    connect(m_stopTimer, &QTimer::timeout, this, &ProxyWorker::finishStop);
}

ProxyWorker::~ProxyWorker()
{
    dropFaults();
    for (auto &[id, conn] : m_conns) {
        if (conn->client) {
            disconnect(conn->client, nullptr, this, nullptr);
            conn->client->abort();
            delete conn->client.data();
        }
        if (conn->upstream) {
            disconnect(conn->upstream, nullptr, this, nullptr);
            conn->upstream->abort();
            delete conn->upstream.data();
        }
    }
    m_conns.clear();
}

void ProxyWorker::record(quint32 id, Direction dir, Kind kind, const QString &text, qint64 extra)
{
    m_store->appendText(dir, kind, text, nowUs(), extra, id);
}

void ProxyWorker::markDirty()
{
    if (!m_notifyTimer->isActive())
        m_notifyTimer->start();
}

void ProxyWorker::notify()
{
    QList<ProxyServer::ConnectionInfo> all = m_gone;
    for (const auto &[id, conn] : m_conns)
        all.append(conn->info);
    Q_EMIT connectionsChanged(all);
}

void ProxyWorker::notifyHeld()
{
    Q_EMIT heldChanged(m_held);
}

ProxyWorker::Conn *ProxyWorker::find(quint32 id)
{
    const auto it = m_conns.find(id);
    return it == m_conns.end() ? nullptr : it->second.get();
}

void ProxyWorker::start(const ProxyOptions &options)
{
    if (m_server) {
        Q_EMIT failed(tr("The proxy is already running."));
        return;
    }
    const QString problem = options.validate();
    if (!problem.isEmpty()) {
        record(0, Direction::Event, Kind::Error, problem);
        Q_EMIT failed(problem);
        return;
    }
    m_options = options;
    for (ProxyBreakpoint &breakpoint : m_options.breakpoints) {
        if (breakpoint.match.match == ReplyRule::Match::Regex)
            breakpoint.match.regex = QRegularExpression(breakpoint.match.value);
    }
    m_stopping = false;
    const bool secure = options.isSecure() && options.mode == ProxyOptions::Mode::Reverse;
    if (secure) {
        QString message;
        const std::optional<QSslConfiguration> tls
            = listeningTls(options.certificateFile, options.keyFile, &message);
        if (!tls) {
            record(0, Direction::Event, Kind::Error, message);
            Q_EMIT failed(message);
            return;
        }
        auto *server = new QSslServer(this);
        server->setSslConfiguration(*tls);
        connect(server, &QSslServer::errorOccurred, this, [this](QSslSocket *, QAbstractSocket::SocketError) {
            record(0, Direction::Event, Kind::Error, tr("A client failed the TLS handshake."));
        });
        m_server = server;
    } else {
        m_server = new QTcpServer(this);
    }
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ProxyWorker::onNewConnection);
    m_server->setListenBacklogSize(1024);
    if (!m_server->listen(options.address, options.port)) {
        const QString message = tr("Cannot listen on %1 port %2: %3")
                                    .arg(options.address.toString())
                                    .arg(options.port)
                                    .arg(m_server->errorString());
        delete m_server;
        m_server = nullptr;
        record(0, Direction::Event, Kind::Error, message);
        Q_EMIT failed(message);
        return;
    }
    QUrl url;
    url.setScheme(options.mode == ProxyOptions::Mode::Explicit ? QStringLiteral("http")
            : secure                                           ? QStringLiteral("wss")
                                                               : QStringLiteral("ws"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(m_server->serverPort());
    url.setPath(QStringLiteral("/"));
    if (options.mode == ProxyOptions::Mode::Reverse)
        record(0, Direction::Event, Kind::Info,
            tr("Listening on %1, forwarding to %2").arg(url.toString(), options.upstream.toString()));
    else
        record(0, Direction::Event, Kind::Info, tr("Listening on %1 as an HTTP proxy").arg(url.toString()));
    startFaults();
    Q_EMIT started(url);
}

void ProxyWorker::onNewConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        if (m_stopping) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const quint32 id = m_nextId++;
        auto conn = std::make_unique<Conn>();
        conn->info.id = id;
        conn->info.peerAddress = socket->peerAddress();
        conn->info.peerPort = socket->peerPort();
        conn->info.connectedUs = nowUs();
        conn->info.downstream.target
            = socket->peerAddress().toString() + QLatin1Char(':') + QString::number(socket->peerPort());
        conn->info.downstream.tls = qobject_cast<QSslSocket *>(socket) != nullptr;
        conn->client = socket;
        socket->setParent(this);
        conn->timer = new QTimer(socket);
        conn->timer->setSingleShot(true);
        connect(conn->timer, &QTimer::timeout, this, [this, id] {
            Conn *c = find(id);
            if (!c)
                return;
            if (c->phase == Phase::Request || c->phase == Phase::Tunnel)
                fail(*c, tr("The client sent no complete request within %1 s.").arg(RequestTimeoutMs / 1000));
            else if (c->phase == Phase::Connecting || c->phase == Phase::Response)
                refuse(*c, statusLine(504, "Gateway Timeout"),
                    tr("The upstream %1 did not answer within %2 s.")
                        .arg(c->info.upstream.toString())
                        .arg(UpstreamTimeoutMs / 1000));
        });
        conn->timer->start(RequestTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, id] { onClientReadable(id); });
        connect(socket, &QTcpSocket::disconnected, this, [this, id] { onSocketGone(id, true); });
        m_conns.emplace(id, std::move(conn));
        markDirty();
        onClientReadable(id);
    }
}

void ProxyWorker::onClientReadable(quint32 id)
{
    Conn *conn = find(id);
    if (!conn || !conn->client || conn->notReading)
        return;
    switch (conn->phase) {
    case Phase::Request:
        conn->clientHead += conn->client->readAll();
        readRequest(*conn);
        break;
    case Phase::Tunnel:
        conn->clientHead += conn->client->readAll();
        readTunnel(*conn);
        break;
    case Phase::Open:
        conn->toServer.buffer += conn->client->readAll();
        feed(*conn, ProxyServer::Way::ToServer);
        break;
    case Phase::Blind:
        if (conn->upstream && conn->upstream->state() == QAbstractSocket::ConnectedState)
            conn->upstream->write(conn->client->readAll());
        else
            conn->clientHead += conn->client->readAll();
        break;
    case Phase::Connecting:
    case Phase::Response:
    case Phase::Refused:
    case Phase::Closing:
        // Kept until the upstream answers (a client may send its first frames right away).
        if (conn->phase == Phase::Closing || conn->phase == Phase::Refused)
            conn->client->readAll();
        else
            conn->toServer.buffer += conn->client->readAll();
        break;
    }
}

void ProxyWorker::readRequest(Conn &conn)
{
    const qsizetype length = ProxyRequest::headLength(conn.clientHead);
    if (length < 0) {
        refuse(conn, statusLine(431, "Request Header Fields Too Large"),
            tr("The client's request head is longer than %1 bytes.").arg(ProxyRequest::MaxHeadBytes));
        return;
    }
    if (length == 0)
        return;
    const QByteArray head = conn.clientHead.left(length);
    conn.toServer.buffer = conn.clientHead.mid(length);
    conn.clientHead = head;
    const ProxyRequest request = ProxyRequest::parse(head);
    if (!request.isValid()) {
        refuse(conn, statusLine(400, "Bad Request"), request.error);
        return;
    }
    if (m_options.mode == ProxyOptions::Mode::Explicit && request.isConnect()) {
        QString why;
        if (!request.connectTarget(&conn.tunnelHost, &conn.tunnelPort, &why)) {
            refuse(conn, statusLine(400, "Bad Request"), why);
            return;
        }
        conn.client->write("HTTP/1.1 200 Connection established\r\n\r\n");
        record(conn.info.id, Direction::Event, Kind::Info,
            tr("CONNECT %1:%2").arg(conn.tunnelHost).arg(conn.tunnelPort));
        conn.phase = Phase::Tunnel;
        conn.clientHead = conn.toServer.buffer;
        conn.toServer.buffer.clear();
        readTunnel(conn);
        return;
    }
    if (!request.isWebSocketUpgrade()) {
        refuse(conn, statusLine(400, "Bad Request"),
            tr("The client's request is not a WebSocket upgrade (%1 %2).")
                .arg(QString::fromLatin1(request.method.left(20)),
                    QString::fromLatin1(request.target.left(200))));
        return;
    }
    conn.info.downstream.request = head;
    int status = 0;
    QString why;
    if (m_faults && m_faults->refuseNext(&status, &why)) {
        conn.client->write(FaultPlan::statusLine(status) + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        conn.info.downstream.response = FaultPlan::statusLine(status);
        record(conn.info.id, Direction::Event, Kind::Info, why);
        conn.phase = Phase::Refused;
        conn.client->disconnectFromHost();
        markDirty();
        return;
    }
    QUrl target;
    const QUrl absolute(QString::fromLatin1(request.target));
    if (m_options.mode == ProxyOptions::Mode::Explicit) {
        if (absolute.isRelative() || absolute.host().isEmpty()) {
            refuse(conn, statusLine(400, "Bad Request"),
                tr("An HTTP proxy needs CONNECT or an absolute URL, not “%1”.")
                    .arg(QString::fromLatin1(request.target.left(200))));
            return;
        }
        target = absolute;
        if (target.scheme() == QLatin1String("http"))
            target.setScheme(QStringLiteral("ws"));
        else if (target.scheme() == QLatin1String("https"))
            target.setScheme(QStringLiteral("wss"));
    } else {
        target = m_options.upstream;
        const QUrl relative(QString::fromLatin1(request.target));
        QString base = target.path();
        if (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        QString path = relative.path();
        if (path.isEmpty())
            path = QStringLiteral("/");
        target.setPath(base.isEmpty() || path != QLatin1String("/") ? base + path : base);
        if (relative.hasQuery())
            target.setQuery(relative.query());
    }
    openUpstream(conn, request, target);
}

void ProxyWorker::refuse(Conn &conn, const QByteArray &status, const QString &why)
{
    conn.timer->stop();
    if (conn.info.error.isEmpty())
        conn.info.error = why;
    record(conn.info.id, Direction::Event, Kind::Error, why);
    if (conn.client && conn.client->state() == QAbstractSocket::ConnectedState) {
        const QByteArray body = why.toUtf8() + '\n';
        const QByteArray response = status + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
        conn.info.downstream.response = response;
        conn.client->write(response + body);
        conn.client->disconnectFromHost();
    }
    conn.phase = Phase::Closing;
    if (conn.upstream)
        conn.upstream->abort();
    markDirty();
}

void ProxyWorker::fail(Conn &conn, const QString &why)
{
    conn.timer->stop();
    if (conn.info.error.isEmpty())
        conn.info.error = why;
    record(conn.info.id, Direction::Event, Kind::Error, why);
    conn.phase = Phase::Closing;
    if (conn.client)
        conn.client->abort();
    if (conn.upstream)
        conn.upstream->abort();
    markDirty();
}

void ProxyWorker::onSocketGone(quint32 id, bool client)
{
    Conn *conn = find(id);
    if (!conn)
        return;
    // Closes the other side: true when it is gone already (a socket that never connected sends
    // no disconnected()).
    auto closeOther = [](QTcpSocket *socket) {
        if (!socket)
            return true;
        if (socket->state() == QAbstractSocket::ConnectedState) {
            socket->disconnectFromHost();
            return socket->state() == QAbstractSocket::UnconnectedState;
        }
        socket->abort();
        return true;
    };
    if (client) {
        conn->clientGone = true;
        if (closeOther(conn->upstream))
            conn->upstreamGone = true;
    } else {
        conn->upstreamGone = true;
        if (conn->phase == Phase::Response || conn->phase == Phase::Connecting) {
            refuse(*conn, statusLine(502, "Bad Gateway"),
                tr("The upstream %1 closed the connection before answering.")
                    .arg(conn->info.upstream.toString()));
        }
        if (closeOther(conn->client))
            conn->clientGone = true;
    }
    if (conn->clientGone && conn->upstreamGone && !conn->finishing) {
        // Not now: the caller may be the abort() of a function still using the connection.
        conn->finishing = true;
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                if (Conn *c = find(id))
                    finishConnection(*c);
            },
            Qt::QueuedConnection);
    }
}

void ProxyWorker::finishConnection(Conn &conn)
{
    const quint32 id = conn.info.id;
    conn.info.open = false;
    if (conn.info.closeCode == 0)
        conn.info.closeCode = conn.firstCloseCode ? conn.firstCloseCode : 1006;
    conn.info.closeReason = conn.firstCloseReason;
    if (conn.opened)
        record(id, Direction::Event, Kind::Close, conn.info.closeReason, conn.info.closeCode);
    if (m_faults)
        m_faults->closed(id);
    releaseHeld(conn);
    m_gone.append(conn.info);
    if (m_gone.size() > MaxGone)
        m_gone.removeFirst();
    if (conn.client) {
        disconnect(conn.client, nullptr, this, nullptr);
        conn.client->deleteLater();
    }
    if (conn.upstream) {
        disconnect(conn.upstream, nullptr, this, nullptr);
        conn.upstream->deleteLater();
    }
    m_conns.erase(id);
    markDirty();
    if (m_stopping && m_conns.empty())
        finishStop();
}

void ProxyWorker::stop()
{
    if (!m_server) {
        Q_EMIT stopped();
        return;
    }
    m_stopping = true;
    m_server->close();
    record(0, Direction::Event, Kind::Info, tr("Stopping: closing every connection with 1001."));
    QList<quint32> ids;
    for (const auto &[id, conn] : m_conns)
        ids.append(id);
    for (quint32 id : ids) {
        Conn *conn = find(id);
        if (!conn)
            continue;
        if (conn->phase == Phase::Open) {
            closeConnection(id, 1001, tr("proxy stopping"));
        } else {
            if (conn->client)
                conn->client->abort();
            if (Conn *c = find(id); c && c->upstream)
                c->upstream->abort();
        }
    }
    if (m_conns.empty())
        finishStop();
    else
        m_stopTimer->start(StopGraceMs);
}

void ProxyWorker::finishStop()
{
    if (!m_server)
        return;
    m_stopping = false;
    m_stopTimer->stop();
    QList<quint32> ids;
    for (const auto &[id, conn] : m_conns)
        ids.append(id);
    for (quint32 id : ids) {
        if (Conn *conn = find(id)) {
            conn->clientGone = conn->upstreamGone = true;
            finishConnection(*conn);
        }
    }
    delete m_faults;
    m_faults = nullptr;
    m_server->deleteLater();
    m_server = nullptr;
    record(0, Direction::Event, Kind::Info, tr("Stopped."));
    notify();
    Q_EMIT stopped();
}

} // namespace wst
