// ServerWorker, continued: a connection from its TCP accept to the hand-over to
// QWebSocketServer: the request read and checked (HandshakeCheck, the refusal faults), or
// refused with an HTTP status of our own.
#include "ServerWorker.h"

#include "HandshakeCheck.h"
#include "ServerFaults.h"
#include "ServerShim.h"
#include "messages/MessageStore.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocketServer>

namespace wst {

namespace {

constexpr qsizetype MaxHandshakeBytes = 16 * 1024;
constexpr int HandshakeTimeoutMs = 10000;

} // namespace

void ServerWorker::dropHandshakesInProgress()
{
    // Requests handed to QWebSocketServer and not yet upgraded: their sockets have no parent,
    // and the server that would delete them on disconnect goes away with this worker or stop().
    for (const Handshake &handshake : std::as_const(m_handshakes)) {
        if (QTcpSocket *tcp = handshake.tcp.data()) {
            tcp->abort();
            delete tcp;
        }
    }
    m_handshakes.clear();
}

void ServerWorker::onTcpConnection()
{
    while (m_tcp && m_tcp->hasPendingConnections()) {
        QTcpSocket *socket = m_tcp->nextPendingConnection();
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readHandshake(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // A timer of the socket's own, gone with its handshake: QTimer::singleShot() would keep
        // an object for the full 10 s after the socket is gone, 20,000 of them at 2,000
        // connections a second (measured: 6-28 MB in use in the network thread's heap).
        auto *timeout = new QTimer(socket);
        timeout->setObjectName(QStringLiteral("wstHandshakeTimeout"));
        timeout->setSingleShot(true);
        connect(timeout, &QTimer::timeout, socket, [socket] {
            // Still not handed over: a client that never finished its request.
            if (socket->property("wstHandshakeDone").isNull())
                socket->abort();
        });
        timeout->start(HandshakeTimeoutMs);
        if (socket->bytesAvailable())
            readHandshake(socket);
    }
}

void ServerWorker::refuse(
    QTcpSocket *socket, const QByteArray &status, const QString &why, const QByteArray &extraHeaders)
{
    socket->setProperty("wstHandshakeDone", true);
    delete socket->findChild<QTimer *>(QStringLiteral("wstHandshakeTimeout"), Qt::FindDirectChildrenOnly);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    const QByteArray request = socket->peek(MaxHandshakeBytes);
    // What the client sends after its request is read and dropped: closing with unread bytes
    // would make the kernel answer with a reset, and the client could lose the answer.
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    socket->write(HandshakeCheck::response({ status, extraHeaders, why }));
    socket->disconnectFromHost();
    record(0, Direction::Event, Kind::Error,
        tr("Refused %1:%2 (%3) with %4: %5")
            .arg(socket->peerAddress().toString())
            .arg(socket->peerPort())
            .arg(HandshakeCheck::requestLine(request), QString::fromLatin1(status), why));
}

void ServerWorker::readHandshake(QTcpSocket *socket)
{
    if (!socket->property("wstHandshakeDone").isNull())
        return;
    const QByteArray head = socket->peek(MaxHandshakeBytes);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= MaxHandshakeBytes)
            refuse(
                socket, "431 Request Header Fields Too Large", tr("The handshake request is over 16 KiB."));
        return;
    }
    // A copy of its own: left() of the whole peek would share the peek's 16 KiB buffer, and the
    // client list keeps the request of the last 1,000 clients (16 MB instead of 0.3 MB).
    const QByteArray request(head.constData(), end + 4);
    const HandshakeCheck::Refusal refusal = HandshakeCheck::check(request);
    if (refusal.isRefused()) {
        refuse(socket, refusal.status, refusal.why, refusal.extraHeaders);
        return;
    }
    if (faultRefuses(socket))
        return;
    const QString origin = QString::fromUtf8(HandshakeCheck::headerValue(request, "Origin"));
    if (!m_options.allowedOrigins.isEmpty() && !m_options.allowedOrigins.contains(origin)) {
        refuse(socket, "403 Forbidden",
            origin.isEmpty() ? tr("The request has no Origin header and only listed origins are allowed.")
                             : tr("Origin %1 is not allowed.").arg(origin));
        return;
    }
    if (m_options.maxClients > 0 && qsizetype(m_clients.size()) >= m_options.maxClients) {
        refuse(socket, "503 Service Unavailable",
            tr("The server already has %1 clients, its maximum.").arg(m_options.maxClients));
        return;
    }
    socket->setProperty("wstHandshakeDone", true);
    delete socket->findChild<QTimer *>(QStringLiteral("wstHandshakeTimeout"), Qt::FindDirectChildrenOnly);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    LocalServer::ClientInfo info;
    info.peerAddress = socket->peerAddress();
    info.peerPort = socket->peerPort();
    info.origin = origin;
    info.handshakeRequest = request;
    // Requests Qt refused after ours accepted them (or whose client left first) leave no entry behind.
    m_handshakes.removeIf([](const auto &it) { return it.value().tcp.isNull(); });
    const QString key = peerKey(info.peerAddress, info.peerPort);
    m_handshakes.insert(key, { info, socket, nullptr });
    disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
    QTcpSocket *handOver = shimIfNeeded(socket, request, key);
    if (!handOver)
        return;
    handOver->setParent(nullptr);
    m_ws->handleConnection(handOver);
}

} // namespace wst
