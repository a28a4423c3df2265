#include "ServerShim.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wst {

namespace {

// Bytes one side may have queued before the shim stops reading the other: the back-pressure
// reaches the sender as it would without the shim (and ServerWorker's send buffer limit still
// sees what Qt cannot write).
constexpr qint64 MaxPending = 1 << 20;
constexpr qsizetype MaxHeadBytes = 64 * 1024;
constexpr int PaceMs = 50;

// What QWebSocketServer reads from: one end of the pair, reporting the client's address (Qt's
// QWebSocket and the server's client list take it from here).
class ShimSocket : public QTcpSocket
{
public:
    void setPeer(const QHostAddress &address, quint16 port)
    {
        setPeerAddress(address);
        setPeerPort(port);
    }
};

} // namespace

ServerShim::ServerShim(QTcpSocket *client, qsizetype requestSize, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_stage(settings.deflate, settings.maxMessageBytes)
    , m_settings(settings)
    , m_requestLeft(requestSize)
{
    m_stage.setDropPings(settings.dropPings);
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        m_error = tr("Cannot make a socket pair: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    auto *inner = new ShimSocket;
    m_outer = new QTcpSocket(this);
    const bool innerTaken = inner->setSocketDescriptor(pair[0]);
    if (!innerTaken || !m_outer->setSocketDescriptor(pair[1])) {
        m_error = tr("Cannot use a socket pair: %1")
                      .arg(innerTaken ? m_outer->errorString() : inner->errorString());
        delete inner; // closes pair[0] once it took it; closing it again could hit a reused number
        if (!innerTaken)
            ::close(pair[0]);
        ::close(pair[1]);
        return;
    }
    inner->setPeer(client->peerAddress(), client->peerPort());
    m_innerForQt = inner;
    client->setParent(this);
    connect(client, &QTcpSocket::readyRead, this, &ServerShim::fromClient);
    connect(client, &QTcpSocket::bytesWritten, this, &ServerShim::fromQt);
    connect(client, &QTcpSocket::disconnected, this, [this] {
        fromClient();
        if (m_outer->state() == QAbstractSocket::ConnectedState)
            m_outer->disconnectFromHost();
        closeBoth();
    });
    connect(m_outer, &QTcpSocket::readyRead, this, &ServerShim::fromQt);
    connect(m_outer, &QTcpSocket::bytesWritten, this, &ServerShim::fromClient);
    connect(m_outer, &QTcpSocket::disconnected, this, [this] {
        fromQt();
        closeBoth();
    });
    if (settings.bytesPerSecond > 0) {
        m_paceTimer = new QTimer(this);
        m_paceTimer->setInterval(PaceMs);
        connect(m_paceTimer, &QTimer::timeout, this, &ServerShim::pace);
    }
    fromClient();
}

ServerShim::~ServerShim() = default;

void ServerShim::closeBoth()
{
    // The client hangs up once what is queued for it has gone; the shim goes with both ends.
    if (m_client && m_client->state() == QAbstractSocket::ConnectedState
        && m_outer->state() != QAbstractSocket::ConnectedState && m_outer->bytesAvailable() == 0
        && m_slowQueue.isEmpty())
        m_client->disconnectFromHost();
    const bool clientGone = !m_client || m_client->state() == QAbstractSocket::UnconnectedState;
    if (clientGone && m_outer->state() == QAbstractSocket::UnconnectedState)
        deleteLater();
}

void ServerShim::fromClient()
{
    if (!m_client || m_failed || !m_outer || m_outer->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_outer->bytesToWrite() > MaxPending)
        return; // resumed by the pair's bytesWritten
    QByteArray data = m_client->read(qMin(MaxPending, m_client->bytesAvailable()));
    if (data.isEmpty())
        return;
    if (m_requestLeft > 0) {
        const qsizetype n = qMin(m_requestLeft, data.size());
        m_outer->write(data.constData(), n);
        data.remove(0, n);
        m_requestLeft -= n;
    }
    if (!data.isEmpty()) {
        const QByteArray plain = m_stage.fromClient(data);
        if (!plain.isEmpty())
            m_outer->write(plain);
        if (QList<QByteArray> pings = m_stage.takeDroppedPings(); !pings.isEmpty())
            Q_EMIT pingsDropped(pings);
        if (m_stage.failureCode()) {
            failClient();
            return;
        }
    }
    if (m_client->bytesAvailable())
        QMetaObject::invokeMethod(this, &ServerShim::fromClient, Qt::QueuedConnection);
}

QByteArray ServerShim::editHead(const QByteArray &head) const
{
    if (!head.startsWith("HTTP/1.1 101") || !m_settings.deflate)
        return head;
    return head.left(head.size() - 2) + "Sec-WebSocket-Extensions: " + m_settings.extensionsValue
        + "\r\n\r\n";
}

void ServerShim::failClient()
{
    m_failed = true;
    if (m_client->state() == QAbstractSocket::ConnectedState) {
        m_client->write(std::exchange(m_slowQueue, {}));
        // A Close of our own only between two of Qt's frames; in the middle of one, the client
        // gets a reset (the history still says why).
        if (m_stage.serverAtFrameBoundary()) {
            m_client->write(ServerFrameStage::closeFrame(m_stage.failureCode(), m_stage.failureReason()));
            m_client->disconnectFromHost();
        } else {
            m_client->abort();
        }
    }
    Q_EMIT failed(m_stage.failureCode(), m_stage.failureReason());
    m_outer->abort();
    closeBoth();
}

void ServerShim::fromQt()
{
    if (!m_client || m_failed)
        return;
    if (m_client->bytesToWrite() + m_slowQueue.size() > MaxPending)
        return; // resumed by the client's bytesWritten
    QByteArray data = m_outer->read(qMin(MaxPending, m_outer->bytesAvailable()));
    if (data.isEmpty())
        return;
    if (!m_headDone) {
        m_head += data;
        qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0 && m_head.size() <= MaxHeadBytes)
            return;
        m_headDone = true;
        if (end < 0)
            end = m_head.size() - 4;
        const QByteArray head = editHead(m_head.left(end + 4));
        data = m_head.mid(end + 4);
        m_head.clear();
        m_passThrough = !head.startsWith("HTTP/1.1 101");
        m_client->write(head);
        Q_EMIT responseSent(head);
    }
    writeToClient(m_passThrough ? data : m_stage.fromServer(data));
    if (m_outer->bytesAvailable())
        QMetaObject::invokeMethod(this, &ServerShim::fromQt, Qt::QueuedConnection);
    else if (m_outer->state() != QAbstractSocket::ConnectedState)
        closeBoth(); // Qt hung up and everything it wrote is on its way
}

void ServerShim::writeToClient(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    if (m_settings.bytesPerSecond <= 0) {
        m_client->write(bytes);
        return;
    }
    m_slowQueue += bytes;
    if (!m_paceTimer->isActive()) {
        m_paceTimer->start();
        pace();
    }
}

void ServerShim::pace()
{
    if (!m_client || m_client->state() != QAbstractSocket::ConnectedState) {
        m_paceTimer->stop();
        return;
    }
    const qsizetype budget = qsizetype(qMax<qint64>(1, m_settings.bytesPerSecond * PaceMs / 1000));
    m_client->write(m_slowQueue.left(budget));
    m_slowQueue.remove(0, qMin(budget, m_slowQueue.size()));
    if (m_slowQueue.isEmpty()) {
        m_paceTimer->stop();
        closeBoth();
        fromQt();
    }
}

} // namespace wst
