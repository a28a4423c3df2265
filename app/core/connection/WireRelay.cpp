#include "WireRelay.h"

#include "DeflateStage.h"
#include "messages/MessageStore.h"

#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QScopedValueRollback>
#include <QSslCipher>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

namespace wst {

namespace {
constexpr qsizetype MaxHeadBytes = 64 * 1024;
constexpr qsizetype MaxBodyBytes = 4096;

QString protocolName(QSsl::SslProtocol p)
{
    switch (p) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    default:
        return QStringLiteral("TLS");
    }
}
} // namespace

WireRelay::WireRelay(const Target &target, QObject *parent)
    : QObject(parent)
    , m_target(target)
{
    m_tag = QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    m_record.target = target.host + QLatin1Char(':') + QString::number(target.port);
    m_record.tls = target.tls;
    m_clock.start();
    m_tap.setMaxMessageBytes(target.maxMessageSize);
    m_tap.setObserveMessages(target.observeMessages);
}

WireRelay::~WireRelay()
{
    if (m_downstream)
        m_downstream->abort();
    if (m_upstream)
        m_upstream->abort();
}

bool WireRelay::listen()
{
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &WireRelay::onDownstream);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        m_error = tr("The wire relay cannot listen on 127.0.0.1: %1").arg(m_server->errorString());
        return false;
    }
    return true;
}

quint16 WireRelay::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void WireRelay::onDownstream()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        if (m_downstream) {
            socket->abort(); // one connection per relay
            socket->deleteLater();
            continue;
        }
        m_downstream = socket;
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, &WireRelay::readConnectRequest);
        connect(socket, &QTcpSocket::disconnected, this, &WireRelay::closeBoth);
        connect(socket, &QTcpSocket::bytesWritten, this, &WireRelay::resumeFromServer);
        readConnectRequest();
    }
    m_server->close();
}

void WireRelay::readConnectRequest()
{
    if (m_tunnelUp || m_upstream) {
        fromClient();
        return;
    }
    m_connectHead += m_downstream->readAll();
    const qsizetype end = m_connectHead.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_connectHead.size() > MaxHeadBytes)
            closeBoth();
        return;
    }
    const QByteArray head = m_connectHead.left(end + 4);
    m_pending = m_connectHead.mid(end + 4);
    m_connectHead.clear();
    // Only the QWebSocket this relay was made for may use it.
    if (!head.startsWith("CONNECT ")
        || HandshakeRecord::header(HandshakeRecord::parseHeaders(head), tagHeader()) != m_tag) {
        m_downstream->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        m_downstream->disconnectFromHost();
        return;
    }
    startUpstream();
}

void WireRelay::startUpstream()
{
    m_connectStartNs = m_clock.nsecsElapsed();
    if (m_target.tls) {
        m_ssl = new QSslSocket(this);
        m_ssl->setSslConfiguration(m_target.sslConfiguration);
        m_ssl->setPeerVerifyName(m_target.host);
        m_upstream = m_ssl;
        connect(m_ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            const bool ignore = m_target.ignoreAllSslErrors
                || std::all_of(errors.cbegin(), errors.cend(),
                    [this](const QSslError &e) { return m_target.ignoredSslErrors.contains(e); });
            m_record.sslErrors = errors;
            if (ignore)
                m_ssl->ignoreSslErrors(errors);
        });
        connect(m_ssl, &QSslSocket::encrypted, this, &WireRelay::onUpstreamReady);
        connect(m_ssl, &QTcpSocket::connected, this, [this] {
            m_tcpDoneNs = m_clock.nsecsElapsed();
            m_record.tcpConnectUs = (m_tcpDoneNs - m_connectStartNs) / 1000;
        });
    } else {
        m_upstream = new QTcpSocket(this);
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            m_tcpDoneNs = m_clock.nsecsElapsed();
            m_record.tcpConnectUs = (m_tcpDoneNs - m_connectStartNs) / 1000;
            onUpstreamReady();
        });
    }
    connect(m_upstream, &QAbstractSocket::errorOccurred, this, &WireRelay::onUpstreamError);
    connect(m_upstream, &QTcpSocket::readyRead, this, &WireRelay::fromServer);
    connect(m_upstream, &QTcpSocket::disconnected, this, &WireRelay::closeBoth);
    m_upstream->setReadBufferSize(UpstreamReadBuffer);
    m_upstream->setProxy(m_target.proxy);
    if (m_ssl)
        m_ssl->connectToHostEncrypted(m_target.host, m_target.port);
    else
        m_upstream->connectToHost(m_target.host, m_target.port);
}

void WireRelay::onUpstreamReady()
{
    if (m_ssl) {
        m_record.tlsHandshakeUs = (m_clock.nsecsElapsed() - m_tcpDoneNs) / 1000;
        const QSslCipher cipher = m_ssl->sessionCipher();
        m_record.tlsProtocol = protocolName(m_ssl->sessionProtocol());
        m_record.cipher = cipher.name();
        m_record.peerChain = m_ssl->peerCertificateChain();
    }
    m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_downstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_tunnelUp = true;
    m_downstream->write("HTTP/1.1 200 Connection established\r\n\r\n");
    fromClient();
}

void WireRelay::onUpstreamError()
{
    if (m_tunnelUp || m_failed)
        return;
    m_failed = true;
    const QAbstractSocket::SocketError error = m_upstream->error();
    ClientConnection::ErrorKind kind = ClientConnection::ErrorKind::Network;
    if (error == QAbstractSocket::ConnectionRefusedError)
        kind = ClientConnection::ErrorKind::Refused;
    else if (error == QAbstractSocket::HostNotFoundError)
        kind = ClientConnection::ErrorKind::HostNotFound;
    else if (error == QAbstractSocket::SslHandshakeFailedError || !m_record.sslErrors.isEmpty())
        kind = ClientConnection::ErrorKind::Tls;
    m_record.upstreamError = m_upstream->errorString();
    // Before connected() (m_tcpDoneNs still 0) a proxied socket is still with its proxy.
    const QString message = m_target.proxy.type() != QNetworkProxy::NoProxy && m_tcpDoneNs == 0
        ? proxyFailure(error, &kind)
        : tr("%1 (%2)").arg(m_upstream->errorString(), m_record.target);
    Q_EMIT recordChanged(m_record);
    // No "502" to the QWebSocket: the connection's owner fails it with this message instead,
    // which is what a direct connection would have said.
    Q_EMIT upstreamFailed(kind, message);
}

QString WireRelay::proxyFailure(QAbstractSocket::SocketError error, ClientConnection::ErrorKind *kind) const
{
    // Qt's own texts name neither the proxy nor which side failed ("Proxy authentication failed",
    // "Connection refused" for a SOCKS5 reply 0x05), and the target in brackets read as if the
    // target had refused: say which proxy, and whether it or the connection behind it failed.
    const QNetworkProxy &proxy = m_target.proxy;
    const QString type
        = proxy.type() == QNetworkProxy::Socks5Proxy ? QStringLiteral("SOCKS5") : QStringLiteral("HTTP");
    const QString host = proxy.hostName().contains(QLatin1Char(':'))
        ? QLatin1Char('[') + proxy.hostName() + QLatin1Char(']')
        : proxy.hostName();
    const QString where = host + QLatin1Char(':') + QString::number(proxy.port());
    switch (error) {
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        *kind = ClientConnection::ErrorKind::Network;
        if (proxy.user().isEmpty() && proxy.password().isEmpty())
            return tr("The %1 proxy %2 requires authentication: give its user name and password in the proxy "
                      "address (user:password@host:port).")
                .arg(type, where);
        return tr("The %1 proxy %2 rejected the user name or password (authentication failed).")
            .arg(type, where);
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
        *kind = ClientConnection::ErrorKind::Network;
        return tr("Cannot use the %1 proxy %2: %3").arg(type, where, m_upstream->errorString());
    default:
        // The proxy was reached and answered that it could not connect (a refusal keeps its kind).
        return tr("The %1 proxy %2 could not connect to %3: %4")
            .arg(type, where, m_record.target, m_upstream->errorString());
    }
}

void WireRelay::fromClient()
{
    if (!m_tunnelUp)
        return;
    if (m_injecting) {
        m_pending += m_downstream->readAll(); // after the hand-made frames (injectNext())
        return;
    }
    QByteArray data = std::exchange(m_pending, {});
    data += m_downstream->readAll();
    if (data.isEmpty())
        return;
    if (!m_requestDone) {
        if (m_target.deflate.enabled && !offerDeflate(&data))
            return;
        const qsizetype before = m_record.request.size();
        m_record.request += data;
        const qsizetype end = m_record.request.indexOf("\r\n\r\n");
        if (end >= 0) {
            m_record.request.truncate(end + 4);
            m_requestDone = true;
            m_requestSentNs = m_clock.nsecsElapsed();
            Q_EMIT recordChanged(m_record);
        } else if (m_record.request.size() > MaxHeadBytes) {
            m_record.request.truncate(before);
            m_requestDone = true;
        }
    } else {
        if (m_deflate)
            data = deflateFromClient(data);
        if (m_target.frames) {
            m_clientFrames.feed(data, m_target.recordFrames->load(std::memory_order_relaxed),
                [this](const FrameInfo &f) { recordFrame(Direction::Out, f); });
        }
    }
    m_upstream->write(data);
}

bool WireRelay::downstreamBacklogged(qint64 limit) const
{
    return m_upgraded && m_downstream && m_downstream->bytesToWrite() > limit;
}

void WireRelay::resumeFromServer()
{
    if (!m_serverWaiting || downstreamBacklogged(MaxDownstreamBacklog / 2))
        return;
    m_serverWaiting = false;
    if (m_upstream && m_upstream->bytesAvailable())
        fromServer();
}

void WireRelay::fromServer()
{
    if (!m_ignoreBacklog && downstreamBacklogged(MaxDownstreamBacklog)) {
        // The QWebSocket reads slower than the server sends (a message it must judge itself, an
        // endless one, say): without this the relay would hold whatever the server can send.
        m_serverWaiting = true;
        return;
    }
    QByteArray data = m_upstream->readAll();
    if (data.isEmpty())
        return;
    const bool recordFrames = m_target.recordFrames && m_target.recordFrames->load(std::memory_order_relaxed);
    auto frameSink = [this](const FrameInfo &f) { recordFrame(Direction::In, f); };
    if (!m_responseDone) {
        if (m_deflateOffered && !holdResponseHead(&data))
            return;
        m_record.response += data;
        const qsizetype end = m_record.response.indexOf("\r\n\r\n");
        if (end >= 0) {
            // The head's end is in this read (or it would have been found before): what follows
            // it is a suffix of data.
            const QByteArray rest = m_record.response.mid(end + 4);
            m_record.responseBody = rest.left(MaxBodyBytes);
            m_record.response.truncate(end + 4);
            m_responseDone = true;
            m_record.handshakeUs = (m_clock.nsecsElapsed() - m_requestSentNs) / 1000;
            m_upgraded = m_record.statusCode() == 101;
            if (m_upgraded) {
                // What follows a 101 is frames (a greeting may share the packet with the 101).
                m_record.responseBody.clear();
                if (m_target.messages) {
                    // Held until the QWebSocket has accepted the handshake, so that nothing is
                    // stored before its Open row, nor for a handshake it refuses.
                    m_serverHeld = rest;
                    data.chop(rest.size());
                } else if (m_target.frames && !rest.isEmpty() && !m_deflateOffered) {
                    m_serverFrames.feed(rest, recordFrames, frameSink);
                }
                if (m_deflateOffered && !negotiateDeflate(&data, m_target.messages ? QByteArray() : rest))
                    return;
            }
            Q_EMIT recordChanged(m_record);
        } else if (m_record.response.size() > MaxHeadBytes) {
            m_responseDone = true;
        }
    } else if (!m_upgraded) {
        if (m_record.responseBody.size() < MaxBodyBytes) {
            m_record.responseBody += data.left(MaxBodyBytes - m_record.responseBody.size());
            Q_EMIT recordChanged(m_record);
        }
    } else if (m_target.messages) {
        if (!m_tapStarted) {
            m_serverHeld += data;
            return;
        }
        tapAndForward(data, recordFrames);
        return;
    } else if (m_deflate) {
        data = inflateFromServer(data, recordFrames);
    } else if (m_target.frames) {
        m_serverFrames.feed(data, recordFrames, frameSink);
    }
    if (!data.isEmpty() && m_downstream && m_downstream->state() == QAbstractSocket::ConnectedState)
        m_downstream->write(data);
}

void WireRelay::startTap()
{
    if (m_tapStarted || !m_target.messages)
        return;
    m_tapStarted = true;
    const QByteArray held = std::exchange(m_serverHeld, {});
    if (!held.isEmpty())
        tapAndForward(held, m_target.recordFrames && m_target.recordFrames->load(std::memory_order_relaxed));
    if (std::exchange(m_closeWaiting, false))
        closeBoth();
}

void WireRelay::tapAndForward(const QByteArray &wire, bool recordFrames)
{
    // With deflate the frame view shows the wire's frames (recorded as they are inflated), and
    // the tap the inflated ones.
    const QByteArray data = m_deflate ? inflateFromServer(wire, recordFrames) : wire;
    const QByteArray forward = m_tap.feed(
        data, *m_target.messages, nowUs(), recordFrames && !m_deflate, [this](const FrameInfo &f) {
            if (!m_deflate)
                recordFrame(Direction::In, f);
        });
    for (const MessageTap::Pong &pong : m_tap.takePongs())
        Q_EMIT pongReceived(pong.rttUs, pong.payload);
    if (m_target.observeMessages) {
        if (QList<ObservedMessage> observed = m_tap.takeObserved(); !observed.isEmpty())
            Q_EMIT messagesObserved(observed);
    }
    if (!forward.isEmpty() && m_downstream && m_downstream->state() == QAbstractSocket::ConnectedState)
        m_downstream->write(forward);
    if (m_tap.failure() == MessageTap::Failure::MaskedFrame && !std::exchange(m_violationReported, true)) {
        // The client's own words: they go to the server as the Close reason and into the history.
        Q_EMIT serverViolatedProtocol(1002, tr("The server sent a masked frame (RFC 6455 section 5.1)."));
    }
}

void WireRelay::recordFrame(Direction direction, const FrameInfo &frame)
{
    if (frame.opcode == Opcode::Close && direction == Direction::In) {
        const int code = frame.head.size() >= 2 ? qFromBigEndian<quint16>(frame.head.constData()) : 1005;
        Q_EMIT closeFrameReceived(code, QString::fromUtf8(frame.head.mid(2)));
        m_serverClosed = true;
        if (m_lingering)
            QMetaObject::invokeMethod(this, &WireRelay::closeBoth, Qt::QueuedConnection);
    } else if (frame.opcode == Opcode::Ping && direction == Direction::Out) {
        m_tap.notePing(frame.head); // a control frame's head is its whole payload
    } else if (frame.opcode == Opcode::Close && direction == Direction::Out) {
        m_tap.noteClientClose();
        m_clientClosed = true;
    }
    if (!m_target.recordFrames->load(std::memory_order_relaxed))
        return; // close frames come here while the frame view is off
    Kind kind = Kind::Info; // continuation and reserved opcodes
    switch (frame.opcode) {
    case Opcode::Text:
        kind = Kind::Text;
        break;
    case Opcode::Binary:
        kind = Kind::Binary;
        break;
    case Opcode::Close:
        kind = Kind::Close;
        break;
    case Opcode::Ping:
        kind = Kind::Ping;
        break;
    case Opcode::Pong:
        kind = Kind::Pong;
        break;
    case Opcode::Continuation:
        break;
    }
    // extra: the declared payload length above 4 bits of header length (2..14).
    const qint64 extra = qint64(frame.length << 4) | qint64(frame.header.size());
    m_target.frames->appendBytes(direction, kind, frame.toStored(), nowUs(), extra);
}

void WireRelay::closeBoth()
{
    if (m_upgraded && m_target.messages && !m_tapStarted && m_downstream
        && m_downstream->state() == QAbstractSocket::ConnectedState) {
        // The server is gone before the QWebSocket took the 101: what it sent after the 101 (a
        // Close frame, perhaps) is held for the tap, and must reach the QWebSocket first.
        if (m_upstream && m_upstream->bytesAvailable()) {
            const QScopedValueRollback flush(m_ignoreBacklog, true);
            fromServer();
        }
        m_closeWaiting = true;
        return;
    }
    const bool refused = m_responseDone && !m_upgraded;
    if (refused && m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState
        && m_record.responseBody.size() < MaxBodyBytes && !m_draining) {
        // QWebSocket gives up at the status line; the body of a refusal may still be on its way.
        m_draining = true;
        QTimer::singleShot(500, this, &WireRelay::closeBoth);
        return;
    }
    if (m_upstream && m_upstream->bytesAvailable()) {
        // Bytes held back for flow control are still readable after the server is gone.
        const QScopedValueRollback flush(m_ignoreBacklog, true);
        fromServer();
    }
    if (m_upstream && m_upstream->state() != QAbstractSocket::UnconnectedState) {
        if (m_clientClosed && !m_serverClosed && !m_lingerDone) {
            if (!std::exchange(m_lingering, true)) {
                QTimer::singleShot(CloseLingerMs, this, [this] {
                    m_lingerDone = true;
                    closeBoth();
                });
            }
        } else {
            m_upstream->disconnectFromHost();
        }
    }
    if (m_downstream && m_downstream->state() != QAbstractSocket::UnconnectedState) {
        if (m_tunnelUp && m_downstream->bytesAvailable())
            fromClient();
        m_downstream->disconnectFromHost();
    }
}

} // namespace wst
