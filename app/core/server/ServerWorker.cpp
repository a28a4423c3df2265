#include "ServerWorker.h"

#include "ServerTls.h"

#include "HandshakeCheck.h"
#include "MemoryTrimmer.h"
#include "ServerFaults.h"
#include "ServerShim.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace wst {

namespace {

constexpr int StopGraceMs = 2000;
constexpr qsizetype MaxGoneClients = 1000;

} // namespace

QString ServerWorker::peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

ServerWorker::ServerWorker(std::shared_ptr<MessageStore> store)
    : m_store(std::move(store))
    , m_pushTimer(new QTimer(this))
    , m_notifyTimer(new QTimer(this))
    , m_stopTimer(new QTimer(this))
    , m_trimmer(new MemoryTrimmer(
          [this] {
              qint64 queued = 0;
              for (const auto &[id, client] : m_clients)
                  queued += client.socket->bytesToWrite();
              return queued;
          },
          this))
{
    m_notifyTimer->setSingleShot(true);
    m_notifyTimer->setInterval(100);
    m_stopTimer->setSingleShot(true);
    connect(m_pushTimer, &QTimer::timeout, this, &ServerWorker::push);
    connect(m_notifyTimer, &QTimer::timeout, this, &ServerWorker::notifyClients);
    connect(m_stopTimer, &QTimer::timeout, this, &ServerWorker::finishStop);
}

ServerWorker::~ServerWorker()
{
    dropProtocol();
    dropFaults();
    // Deleted now, not later: this runs last in the network thread when the application ends,
    // and what deleteLater() posts then is never run (LeakSanitizer found the sockets of
    // connected clients left behind). A client's QTcpSocket has no parent (QWebSocketServer
    // takes it parentless and deletes it when it disconnects, later).
    for (auto &[id, client] : m_clients) {
        disconnect(client.socket, nullptr, this, nullptr);
        const QPointer<QTcpSocket> tcp = client.tcp;
        client.socket->abort();
        delete client.socket;
        delete tcp.data();
    }
    m_clients.clear();
    dropHandshakesInProgress();
}

void ServerWorker::record(quint32 id, Direction dir, Kind kind, const QString &text, qint64 extra)
{
    m_store->appendText(dir, kind, text, nowUs(), extra, id);
}

void ServerWorker::markDirty()
{
    if (!m_notifyTimer->isActive())
        m_notifyTimer->start();
}

ServerWorker::Client *ServerWorker::find(quint32 id)
{
    const auto it = m_clients.find(id);
    return it == m_clients.end() ? nullptr : &it->second;
}

void ServerWorker::start(const ServerOptions &options)
{
    if (m_tcp) {
        Q_EMIT failed(tr("The server is already running."));
        return;
    }
    const QString problem = options.validate();
    if (!problem.isEmpty()) {
        record(0, Direction::Event, Kind::Error, problem);
        Q_EMIT failed(problem);
        return;
    }
    // A stop still waiting for its shims ends now, so that stopped() comes before started().
    emitStopped();
    m_options = options;
    m_stopping = false;
    startProtocol();
    if (options.isSecure()) {
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
        m_tcp = server;
    } else {
        m_tcp = new QTcpServer(this);
    }
    m_ws = new QWebSocketServer(QStringLiteral("wstester"), QWebSocketServer::NonSecureMode, this);
    m_ws->setSupportedSubprotocols(m_options.subprotocols);
    connect(m_ws, &QWebSocketServer::newConnection, this, &ServerWorker::onWebSocket);
    connect(m_tcp, &QTcpServer::pendingConnectionAvailable, this, &ServerWorker::onTcpConnection);
    // Qt's default backlog of 50 drops SYNs when hundreds of clients connect at once (a browser
    // test suite, a load test); the kernel then retries after seconds.
    m_tcp->setListenBacklogSize(1024);
    if (!m_tcp->listen(options.address, options.port)) {
        const QString message = tr("Cannot listen on %1 port %2: %3")
                                    .arg(options.address.toString())
                                    .arg(options.port)
                                    .arg(m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        delete m_ws;
        m_ws = nullptr;
        record(0, Direction::Event, Kind::Error, message);
        Q_EMIT failed(message);
        return;
    }
    QUrl url;
    url.setScheme(options.isSecure() ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(m_tcp->serverAddress().toString());
    url.setPort(m_tcp->serverPort());
    url.setPath(QStringLiteral("/"));
    record(0, Direction::Event, Kind::Info, tr("Listening on %1").arg(url.toString()));
    startFaults();
    if (options.pushIntervalMs > 0)
        m_pushTimer->start(options.pushIntervalMs);
    Q_EMIT started(url);
}

void ServerWorker::onWebSocket()
{
    while (m_ws->hasPendingConnections()) {
        QWebSocket *socket = m_ws->nextPendingConnection();
        socket->setParent(this);
        if (m_options.maxMessageSize > 0) {
            // The frame limit too: Qt buffers a whole frame before it looks at the message size,
            // so one frame header announcing 2 GiB would otherwise be buffered to the end.
            socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxMessageSize));
            socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxMessageSize));
        }
        const quint32 id = m_nextId++;
        Client client;
        const Handshake handshake = m_handshakes.take(peerKey(socket->peerAddress(), socket->peerPort()));
        client.info = handshake.info;
        client.tcp = handshake.tcp;
        client.shim = handshake.shim;
        client.info.id = id;
        client.info.peerAddress = socket->peerAddress();
        client.info.peerPort = socket->peerPort();
        client.info.connectedUs = nowUs();
        client.info.subprotocol = socket->subprotocol();
        client.socket = socket;
        m_clients.emplace(id, client);

        connect(
            socket, &QWebSocket::textMessageReceived, this, [this, id](const QString &t) { onText(id, t); });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, id](const QByteArray &b) { onBinary(id, b); });
        connect(socket, &QWebSocket::disconnected, this, [this, id] { onDisconnected(id); });
        connect(socket, &QWebSocket::pong, this, [this, id](quint64, const QByteArray &payload) {
            Client *c = find(id);
            if (!c)
                return;
            const qint64 rttUs = c->pings.answered(payload);
            m_store->appendBytes(Direction::In, Kind::Pong, payload, nowUs(), rttUs, id);
        });
        const QString peer
            = client.info.peerAddress.toString() + QLatin1Char(':') + QString::number(client.info.peerPort);
        m_store->appendText(Direction::Event, Kind::Open, peer, client.info.connectedUs, 0, id);
        if (client.shim)
            linkShim(id, client.shim);
        openedFaults(id);
        if (protocolOpened(id))
            markDirty();
        else if (!m_options.greeting.isEmpty())
            sendTextTo(m_clients[id],
                ReplyRules::expand(
                    m_options.greeting, QString(), id, QDateTime::currentDateTime(), m_options.variables));
        markDirty();
    }
}

bool ServerWorker::canSendTo(Client &client)
{
    if (client.dropping)
        return false;
    const qint64 queued = client.socket->bytesToWrite();
    if (m_options.maxSendBuffer <= 0 || queued <= m_options.maxSendBuffer)
        return true;
    // A close frame would wait behind everything queued, and so would a graceful close: drop it.
    client.dropping = true;
    m_trimmer->noteMessage(queued); // freed by the abort
    m_store->appendText(Direction::Event, Kind::Error,
        tr("Dropped: %1 bytes sent to this client are still not taken, over the send buffer limit "
           "of %2 bytes (the client is not reading).")
            .arg(queued)
            .arg(m_options.maxSendBuffer),
        nowUs(), 0, client.info.id);
#ifdef Q_OS_UNIX
    // A reset, not a FIN behind megabytes the kernel would go on trying to deliver on its own.
    QTcpSocket *wire = client.shim ? client.shim->client() : client.tcp.data();
    if (wire && wire->socketDescriptor() >= 0) {
        const linger reset { 1, 0 };
        ::setsockopt(int(wire->socketDescriptor()), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
#endif
    // Not now: the caller may be walking the client list, and abort() leaves it at once.
    QMetaObject::invokeMethod(client.socket, &QWebSocket::abort, Qt::QueuedConnection);
    return false;
}

void ServerWorker::sendTextTo(Client &client, const QString &text)
{
    if (faultsTake(client, Kind::Text, text, {}) || !canSendTo(client))
        return;
    client.socket->sendTextMessage(text);
    m_trimmer->noteMessage(text.size());
    ++client.info.messagesOut;
    m_store->appendText(Direction::Out, Kind::Text, text, nowUs(), 0, client.info.id);
    markDirty();
}

void ServerWorker::sendBinaryTo(Client &client, const QByteArray &data)
{
    if (faultsTake(client, Kind::Binary, {}, data) || !canSendTo(client))
        return;
    client.socket->sendBinaryMessage(data);
    m_trimmer->noteMessage(data.size());
    ++client.info.messagesOut;
    m_store->appendBytes(Direction::Out, Kind::Binary, data, nowUs(), 0, client.info.id);
    markDirty();
}

void ServerWorker::onText(quint32 id, const QString &text)
{
    Client *client = find(id);
    if (!client)
        return;
    ++client->info.messagesIn;
    m_trimmer->noteMessage(text.size());
    m_store->appendText(Direction::In, Kind::Text, text, nowUs(), 0, id);
    markDirty();
    if (protocolReceived(id, Kind::Text, text.toUtf8()))
        return;
    if (m_options.behaviour != ServerOptions::Behaviour::Rules) {
        forward(id, [this, &text](Client &to) { sendTextTo(to, text); });
        return;
    }
    for (qsizetype i = 0; i < m_options.rules.size(); ++i) {
        if (m_options.rules.at(i).matches(text)) {
            runActions(id, text, i, 0);
            break;
        }
    }
}

void ServerWorker::forward(quint32 from, const std::function<void(Client &)> &send)
{
    switch (m_options.behaviour) {
    case ServerOptions::Behaviour::Echo:
        if (Client *client = find(from))
            send(*client);
        break;
    case ServerOptions::Behaviour::Broadcast:
    case ServerOptions::Behaviour::BroadcastOthers:
        for (auto &[otherId, other] : m_clients) {
            if (otherId != from || m_options.behaviour == ServerOptions::Behaviour::Broadcast)
                send(other);
        }
        break;
    case ServerOptions::Behaviour::Rules: // rules answer text only, in onText()
    case ServerOptions::Behaviour::Manual:
        break;
    }
}

void ServerWorker::onBinary(quint32 id, const QByteArray &data)
{
    Client *client = find(id);
    if (!client)
        return;
    ++client->info.messagesIn;
    m_trimmer->noteMessage(data.size());
    m_store->appendBytes(Direction::In, Kind::Binary, data, nowUs(), 0, id);
    markDirty();
    if (protocolReceived(id, Kind::Binary, data))
        return;
    forward(id, [this, &data](Client &to) { sendBinaryTo(to, data); });
}

void ServerWorker::runActions(quint32 id, const QString &message, qsizetype rule, qsizetype from)
{
    const QList<ReplyAction> &actions = m_options.rules.at(rule).actions;
    for (qsizetype i = from; i < actions.size(); ++i) {
        Client *client = find(id);
        if (!client)
            return; // the client left while we waited
        const ReplyAction &action = actions.at(i);
        switch (action.type) {
        case ReplyAction::Type::Reply:
            sendRuleReply(*client, rule,
                ReplyRules::expand(
                    action.text, message, id, QDateTime::currentDateTime(), m_options.variables));
            break;
        case ReplyAction::Type::Broadcast: {
            const QString text = ReplyRules::expand(
                action.text, message, id, QDateTime::currentDateTime(), m_options.variables);
            for (auto &[otherId, other] : m_clients) {
                if (otherId != id)
                    sendRuleReply(other, rule, text);
            }
            break;
        }
        case ReplyAction::Type::Delay:
            QTimer::singleShot(
                action.delayMs, this, [this, id, message, rule, i] { runActions(id, message, rule, i + 1); });
            return;
        case ReplyAction::Type::Close:
            kick(id, action.closeCode, action.closeReason);
            return;
        }
    }
}

void ServerWorker::push()
{
    const QDateTime now = QDateTime::currentDateTime();
    for (auto &[id, client] : m_clients)
        sendTextTo(client, ReplyRules::expand(m_options.pushText, QString(), id, now, m_options.variables));
}

void ServerWorker::onDisconnected(quint32 id)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    Client client = it->second;
    m_clients.erase(it);
    client.info.connected = false;
    // After abort() Qt still reports its initial 1000; a dropped client got no Close frame.
    client.info.closeCode = client.failCode ? client.failCode
        : client.dropping                   ? 1006
                                            : int(client.socket->closeCode());
    const QString reason = client.failCode ? client.dropReason
        : !client.dropping                 ? client.socket->closeReason()
        : client.dropReason.isEmpty()      ? tr("dropped: send buffer full")
                                           : client.dropReason;
    m_store->appendText(Direction::Event, Kind::Close, reason, nowUs(), client.info.closeCode, id);
    protocolClosed(id);
    closedFaults(id);
    disconnect(client.socket, nullptr, this, nullptr);
    client.socket->deleteLater();
    // Its QTcpSocket too: QWebSocketServer deletes it on the socket's disconnected(), which
    // comes after this (Qt emits it after the state change that ends the QWebSocket), and when
    // this was the last client of a stopping server, that QWebSocketServer is gone by then.
    if (client.tcp)
        client.tcp->deleteLater();
    m_gone.append(client.info);
    if (m_gone.size() > MaxGoneClients)
        m_gone.removeFirst();
    markDirty();
    if (m_stopping && m_clients.empty())
        finishStop();
}

void ServerWorker::sendText(quint32 clientId, const QString &text)
{
    if (clientId == 0) {
        for (auto &[id, client] : m_clients)
            sendTextTo(client, text);
    } else if (Client *c = find(clientId)) {
        sendTextTo(*c, text);
    } else {
        record(clientId, Direction::Event, Kind::Error,
            tr("Not sent: client %1 is not connected.").arg(clientId));
    }
}

void ServerWorker::sendBinary(quint32 clientId, const QByteArray &data)
{
    if (clientId == 0) {
        for (auto &[id, client] : m_clients)
            sendBinaryTo(client, data);
    } else if (Client *c = find(clientId)) {
        sendBinaryTo(*c, data);
    } else {
        record(clientId, Direction::Event, Kind::Error,
            tr("Not sent: client %1 is not connected.").arg(clientId));
    }
}

void ServerWorker::ping(quint32 clientId, const QByteArray &payload)
{
    for (auto &[id, client] : m_clients) {
        if (clientId != 0 && id != clientId)
            continue;
        client.pings.sent(payload);
        m_store->appendBytes(Direction::Out, Kind::Ping, payload, nowUs(), 0, id);
        client.socket->ping(payload);
    }
}

void ServerWorker::kick(quint32 clientId, int code, const QString &reason)
{
    Client *c = find(clientId);
    if (!c)
        return;
    m_store->appendText(Direction::Out, Kind::Close, reason, nowUs(), code, clientId);
    c->socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ServerWorker::stop()
{
    if (!m_tcp || m_stopping)
        return;
    m_stopping = true;
    m_pushTimer->stop();
    m_tcp->close();
    record(0, Direction::Event, Kind::Info, tr("Stopping: closing every client with 1001."));
    if (m_clients.empty()) {
        finishStop();
        return;
    }
    QList<QWebSocket *> sockets;
    for (auto &[id, client] : m_clients) {
        m_store->appendText(Direction::Out, Kind::Close, tr("server stopping"), nowUs(), 1001, id);
        sockets.append(client.socket);
    }
    for (QWebSocket *socket : sockets)
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, tr("server stopping"));
    m_stopTimer->start(StopGraceMs);
}

void ServerWorker::notifyClients()
{
    QList<LocalServer::ClientInfo> all = m_gone;
    for (const auto &[id, client] : m_clients)
        all.append(client.info);
    std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    Q_EMIT clientsChanged(all);
}

void ServerWorker::finishStop()
{
    if (!m_tcp)
        return;
    m_stopTimer->stop();
    // Clients that did not answer the close in time are dropped.
    std::map<quint32, Client> remaining = std::exchange(m_clients, {});
    for (auto &[id, client] : remaining) {
        disconnect(client.socket, nullptr, this, nullptr);
        client.socket->abort();
        client.socket->deleteLater();
        if (client.tcp)
            client.tcp->deleteLater(); // as in onDisconnected()
        client.info.connected = false;
        client.info.closeCode = 1006;
        m_store->appendText(Direction::Event, Kind::Close, QString(), nowUs(), 1006, id);
        m_gone.append(client.info);
    }
    dropProtocol();
    m_faults->stop();
    for (ServerFaults *faults : std::as_const(m_ruleFaults)) {
        if (faults)
            faults->stop();
    }
    delete m_tcp;
    m_tcp = nullptr;
    dropHandshakesInProgress();
    delete m_ws;
    m_ws = nullptr;
    m_stopping = false;
    record(0, Direction::Event, Kind::Info, tr("Stopped."));
    // The final list goes out before stopped(), not 100 ms later: whoever quits on stopped()
    // has seen every client.
    m_notifyTimer->stop();
    notifyClients();
    drainShimsThenStop();
}

} // namespace wst
