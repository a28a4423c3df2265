#include "ClientWorker.h"

#include "WireRelay.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocol/NetworkThread.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolClient.h"

#include <QDateTime>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QPointer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace wst {

using State = ClientConnection::State;
using ErrorKind = ClientConnection::ErrorKind;

namespace {
constexpr int CloseTimeoutMs = 5000;
}

ClientWorker::ClientWorker(std::shared_ptr<MessageStore> store, std::shared_ptr<MessageStore> frames,
    std::shared_ptr<std::atomic_bool> recordFrames, std::shared_ptr<WireCounters> wireCounters)
    : m_store(std::move(store))
    , m_frames(std::move(frames))
    , m_recordFrames(std::move(recordFrames))
    , m_wireCounters(std::move(wireCounters))
    , m_connectTimer(new QTimer(this))
    , m_closeTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
{
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, [this] {
        const int attempt = m_reconnectAttempt;
        record(Direction::Event, Kind::Info, tr("Reconnect attempt %1").arg(attempt));
        const ConnectionOptions options = m_options;
        open(options);
        m_reconnectAttempt = attempt; // open() starts a new series only when the user asks
    });
    m_connectTimer->setSingleShot(true);
    m_connectTimer->setTimerType(Qt::PreciseTimer);
    m_closeTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, &ClientWorker::onConnectTimeout);
    connect(m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_status.state == State::Closing) {
            record(Direction::Event, Kind::Info,
                tr("The server did not complete the close handshake within %1 s; the connection was aborted.")
                    .arg(CloseTimeoutMs / 1000));
            m_socket->abort();
        }
    });
}

ClientWorker::~ClientWorker()
{
    dropProtocol();
    dropRelay();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
}

void ClientWorker::record(Direction dir, Kind kind, const QString &text, qint64 extra)
{
    m_store->appendText(dir, kind, text, nowUs(), extra);
}

void ClientWorker::setState(State state)
{
    m_status.state = state;
    Q_EMIT statusChanged(m_status);
}

void ClientWorker::fail(ErrorKind kind, const QString &message)
{
    m_connectTimer->stop();
    m_status.errorKind = kind;
    m_status.errorString = message;
    record(Direction::Event, Kind::Error, message);
    if (kind != ErrorKind::InvalidOptions)
        scheduleReconnect();
    setState(State::Error);
}

void ClientWorker::scheduleReconnect()
{
    if (!m_options.autoReconnect || m_status.closedByUs)
        return;
    const qint64 delay = qMin<qint64>(
        qint64(m_options.reconnectInitialMs) << qMin(m_reconnectAttempt, 20), m_options.reconnectMaxMs);
    ++m_reconnectAttempt;
    m_status.reconnectAttempt = m_reconnectAttempt;
    m_status.reconnectAtMs = QDateTime::currentMSecsSinceEpoch() + delay;
    record(Direction::Event, Kind::Info,
        tr("Reconnecting in %1 s (attempt %2)")
            .arg(double(delay) / 1000.0, 0, 'g', 3)
            .arg(m_reconnectAttempt));
    m_reconnectTimer->start(int(delay));
}

void ClientWorker::cancelReconnect()
{
    if (!m_reconnectTimer->isActive())
        return;
    m_reconnectTimer->stop();
    m_reconnectAttempt = 0;
    m_status.reconnectAttempt = 0;
    m_status.reconnectAtMs = 0;
    record(Direction::Event, Kind::Info, tr("Automatic reconnect cancelled."));
    Q_EMIT statusChanged(m_status);
}

void ClientWorker::dropRelay()
{
    if (!m_relay)
        return;
    disconnect(m_relay, nullptr, this, nullptr);
    m_relay->deleteLater();
    m_relay = nullptr;
}

void ClientWorker::dropSocket()
{
    // The relay stays until the next attempt: after a refusal it still records the body.
    if (!m_socket)
        return;
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
    m_pings.clear();
    protocolClosed();
}

void ClientWorker::open(const ConnectionOptions &requested)
{
    dropSocket();
    dropRelay();
    m_reconnectTimer->stop();
    m_reconnectAttempt = 0;
    m_closeTimer->stop();
    m_options = requested;
    m_status = {};
    // The protocol adds what it needs (Socket.IO's path, MQTT's subprotocol) to a copy: a
    // reconnect starts again from what was asked.
    m_protocol = Protocol::create(requested.protocol);
    ConnectionOptions options = requested;
    m_protocol->prepare(options);
    QString problem = options.validate();
    if (problem.isEmpty())
        problem = m_protocol->validate();
    if (!problem.isEmpty()) {
        fail(ErrorKind::InvalidOptions, problem);
        return;
    }
    record(Direction::Event, Kind::Info, tr("Connecting to %1").arg(options.url.toString()));
    setState(State::Connecting);

    m_socket = new QWebSocket(options.origin, QWebSocketProtocol::VersionLatest, this);
    // Qt keeps a whole frame before it checks the message size: limit both.
    m_socket->setMaxAllowedIncomingMessageSize(options.effectiveMaxMessageSize());
    m_socket->setMaxAllowedIncomingFrameSize(options.effectiveMaxMessageSize());
    connect(m_socket, &QWebSocket::connected, this, &ClientWorker::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ClientWorker::onDisconnected);
    connect(
        m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &ClientWorker::onError);
    connect(m_socket, &QWebSocket::sslErrors, this, &ClientWorker::onSslErrors);
    connect(m_socket, &QWebSocket::pong, this, &ClientWorker::onPong);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_store->appendText(Direction::In, Kind::Text, text, nowUs());
        if (m_protocolOpen)
            protocolReceived(Kind::Text, text.toUtf8());
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        m_store->appendBytes(Direction::In, Kind::Binary, data, nowUs());
        protocolReceived(Kind::Binary, data);
    });
    createProtocolClient();

    QUrl url = options.url;
    if (options.useRelay) {
        // wss:// goes to the relay as ws:// with the same authority, so the Host header stays
        // byte-identical; the relay speaks TLS to the server (QT64-NOTES.md).
        const bool tls = url.scheme() == QLatin1String("wss");
        WireRelay::Target target;
        target.host = url.host();
        target.port = quint16(url.port(tls ? 443 : 80));
        target.tls = tls;
        if (const QString problem = options.sslConfiguration(&target.sslConfiguration); !problem.isEmpty()) {
            fail(ErrorKind::InvalidOptions, problem);
            dropSocket();
            return;
        }
        target.ignoredSslErrors = options.ignoredSslErrors;
        target.ignoreAllSslErrors = options.ignoreAllSslErrors;
        target.proxy = options.proxy;
        target.frames = m_frames;
        target.recordFrames = m_recordFrames;
        target.messages = m_store;
        target.maxMessageSize = options.effectiveMaxMessageSize();
        target.observeMessages = m_protocolClient != nullptr;
        target.deflate = options.deflate;
        target.wireCounters = m_wireCounters;
        m_relay = new WireRelay(target);
        m_record = {};
        connect(m_relay, &WireRelay::recordChanged, this, [this](const HandshakeRecord &r) {
            m_record = r;
            Q_EMIT handshakeRecorded(r);
        });
        m_peerClose = {};
        connect(m_relay, &WireRelay::closeFrameReceived, this, [this](int code, const QString &reason) {
            m_peerClose = { true, code, reason };
        });
        // The tap stores pongs itself (in the order they came) and times them at the relay.
        connect(m_relay, &WireRelay::pongReceived, this, [this](qint64 rttUs, const QByteArray &payload) {
            m_pings.answered(payload); // the relay's time is the one shown
            Q_EMIT pongReceived(rttUs, payload);
        });
        // Qt 6.4 accepts what the tap refuses (a masked frame): fail the connection as
        // QWebSocket does for its own protocol errors, so the Close row carries the reason.
        connect(m_relay, &WireRelay::messagesObserved, this, &ClientWorker::protocolObserved);
        connect(m_relay, &WireRelay::serverViolatedProtocol, this, [this](int code, const QString &reason) {
            if (m_socket && m_status.state == State::Open)
                m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
        });
        connect(m_relay, &WireRelay::injectionFinished, this, [this](bool sent) {
            if (!sent)
                record(Direction::Event, Kind::Error,
                    tr("Hand-made frame not sent: the connection was closed."));
        });
        connect(m_relay, &WireRelay::upstreamFailed, this, [this](ErrorKind kind, const QString &message) {
            if (m_status.state != State::Connecting)
                return;
            m_status.sslErrors = m_record.sslErrors;
            if (!m_status.sslErrors.isEmpty()) {
                QStringList lines;
                for (const QSslError &e : std::as_const(m_status.sslErrors))
                    lines.append(e.errorString());
                record(Direction::Event, Kind::Error,
                    tr("Certificate verification failed: %1").arg(lines.join(QStringLiteral("; "))));
            }
            fail(kind, message);
            dropSocket();
        });
        if (!m_relay->listen()) {
            fail(ErrorKind::Network, m_relay->errorString());
            dropSocket();
            dropRelay();
            return;
        }
        if (tls)
            url.setScheme(QStringLiteral("ws"));
        QNetworkProxy proxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), m_relay->port());
        proxy.setRawHeader(WireRelay::tagHeader(), m_relay->tag());
        m_socket->setProxy(proxy);
        m_relay->moveToThread(NetworkThread::relayInstance());
    }
    QNetworkRequest request(url);
    for (const auto &header : options.headers)
        request.setRawHeader(header.first, header.second);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(options.subprotocols);
    m_connectTimer->start(options.connectTimeoutMs);
    m_socket->open(request, handshake);
}

void ClientWorker::onConnected()
{
    m_connectTimer->stop();
    m_status.subprotocol = m_socket->subprotocol();
    m_reconnectAttempt = 0;
    m_status.reconnectAttempt = 0;
    m_status.reconnectAtMs = 0;
    m_store->appendText(Direction::Event, Kind::Open, m_status.subprotocol, nowUs());
    // From here the relay stores the server's messages itself, after this Open row.
    if (m_relay)
        QMetaObject::invokeMethod(m_relay, &WireRelay::startTap, Qt::QueuedConnection);
    setState(State::Open);
    protocolOpened();
}

void ClientWorker::onDisconnected()
{
    m_connectTimer->stop();
    m_closeTimer->stop();
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    if (m_status.state == State::Connecting) {
        // Qt emits disconnected() before error() when the TCP connection is refused: let the
        // error arrive first, and fail with a generic message only if none does.
        QTimer::singleShot(0, this, [this, guard = QPointer<QWebSocket>(socket)] {
            if (!guard || guard != m_socket || m_status.state != State::Connecting)
                return;
            fail(ErrorKind::Network,
                guard->errorString().isEmpty()
                    ? tr("The connection was closed during the WebSocket handshake.")
                    : guard->errorString());
            dropSocket();
        });
        return;
    }
    if (m_relay && !m_disconnectDeferred) {
        // The relay's close frame report is posted before the bytes that ended the connection;
        // read it first.
        m_disconnectDeferred = true;
        QMetaObject::invokeMethod(
            this,
            [this, guard = QPointer<QWebSocket>(socket)] {
                if (guard && guard == m_socket)
                    onDisconnected();
                m_disconnectDeferred = false;
            },
            Qt::QueuedConnection);
        return;
    }
    if (m_status.state != State::Error) {
        m_status.closeCode = int(socket->closeCode());
        m_status.closeReason = socket->closeReason();
        const bool weFailedIt = socket->closeCode() != QWebSocketProtocol::CloseCodeNormal;
        // A close the user asked for keeps the user's code, whatever the server answered (the
        // frame view shows the answer), as on a direct connection, where Qt 6.4 drops TCP
        // without waiting for it.
        if (m_relay && m_peerClose.seen && !m_status.closedByUs
            && (CloseCodes::isValidOnTheWire(m_peerClose.code) || !weFailedIt)) {
            m_status.closeCode = m_peerClose.code;
            m_status.closeReason = m_peerClose.reason;
        } else if (m_relay && !m_status.closedByUs && !weFailedIt && !m_peerClose.seen) {
            m_status.closeCode = 1006; // no Close frame came: Qt would say 1000
            m_status.closeReason.clear();
        }
        // (Otherwise QWebSocket failed the connection itself, with 1002, 1007…, because of what
        // the server sent, a bad Close frame included: closeCode() is what it sent, as on a
        // direct connection.)
        m_store->appendText(Direction::Event, Kind::Close, m_status.closeReason, nowUs(), m_status.closeCode);
        protocolClosed();
        scheduleReconnect();
        setState(State::Closed);
    }
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->deleteLater();
    m_pings.clear();
}

void ClientWorker::onError(QAbstractSocket::SocketError error)
{
    if (!m_socket)
        return;
    const QString message = m_socket->errorString();
    if (m_status.state != State::Connecting) {
        // The connection was open: the error explains the disconnect that follows.
        if (m_status.state != State::Error)
            record(Direction::Event, Kind::Error, message);
        return;
    }
    if (m_relay && !m_errorDeferred) {
        // The relay's record (or its upstream failure) is posted from the relay thread before the
        // bytes that made QWebSocket fail; handle the error after it, so the message can say what
        // the server answered.
        m_errorDeferred = true;
        QMetaObject::invokeMethod(
            this,
            [this, error, guard = QPointer<QWebSocket>(m_socket)] {
                if (guard && guard == m_socket && m_status.state == State::Connecting)
                    onError(error);
                m_errorDeferred = false;
            },
            Qt::QueuedConnection);
        return;
    }
    ErrorKind kind = ErrorKind::Network;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        // Qt reports a refused handshake (a 403, say) with the same code as a refused TCP connection.
        kind = message.contains(QLatin1String("refused"), Qt::CaseInsensitive) ? ErrorKind::Refused
                                                                               : ErrorKind::Handshake;
        break;
    case QAbstractSocket::HostNotFoundError:
        kind = ErrorKind::HostNotFound;
        break;
    case QAbstractSocket::SslHandshakeFailedError:
        kind = ErrorKind::Tls;
        break;
    default:
        break;
    }
    const bool tls = m_options.url.scheme() == QLatin1String("wss");
    const QString where
        = m_options.url.host() + QLatin1Char(':') + QString::number(m_options.url.port(tls ? 443 : 80));
    if (kind == ErrorKind::Refused || kind == ErrorKind::HostNotFound) {
        fail(kind, tr("%1 (%2)").arg(message, where));
    } else if (kind == ErrorKind::Handshake && m_record.statusCode() > 0) {
        // The relay saw what the server answered: say that, not only Qt's summary.
        fail(kind,
            tr("The server answered \u201c%1\u201d instead of 101 Switching Protocols.")
                .arg(QString::fromUtf8(m_record.statusLine())));
    } else {
        fail(kind, message);
    }
    // Qt 6.4.2 leaves the socket connecting after a non-101 answer: end it ourselves.
    dropSocket();
}

void ClientWorker::onSslErrors(const QList<QSslError> &errors)
{
    bool allIgnored = m_options.ignoreAllSslErrors;
    if (!allIgnored) {
        allIgnored = std::all_of(errors.cbegin(), errors.cend(),
            [this](const QSslError &e) { return m_options.ignoredSslErrors.contains(e); });
    }
    QStringList lines;
    for (const QSslError &e : errors)
        lines.append(e.errorString());
    if (allIgnored) {
        m_socket->ignoreSslErrors(errors);
        record(Direction::Event, Kind::Info,
            tr("Certificate errors ignored for this connection: %1").arg(lines.join(QStringLiteral("; "))));
        return;
    }
    m_status.sslErrors = errors;
    record(Direction::Event, Kind::Error,
        tr("Certificate verification failed: %1").arg(lines.join(QStringLiteral("; "))));
}

void ClientWorker::onPong(quint64, const QByteArray &payload)
{
    const qint64 rttUs = m_pings.answered(payload);
    m_store->appendBytes(Direction::In, Kind::Pong, payload, nowUs(), rttUs);
    Q_EMIT pongReceived(rttUs, payload);
}

void ClientWorker::onConnectTimeout()
{
    if (m_status.state != State::Connecting)
        return;
    fail(ErrorKind::Timeout,
        tr("No WebSocket handshake from %1 within %2 s.")
            .arg(m_options.url.toString())
            .arg(m_options.connectTimeoutMs / 1000.0, 0, 'g', 3));
    dropSocket();
}

bool ClientWorker::requireOpen(const QString &what)
{
    if (m_socket && m_status.state == State::Open)
        return true;
    record(Direction::Event, Kind::Error, tr("%1 not sent: the connection is not open.").arg(what));
    return false;
}

void ClientWorker::sendText(const QString &text)
{
    if (!requireOpen(tr("Message")))
        return;
    m_socket->sendTextMessage(text);
    m_store->appendText(Direction::Out, Kind::Text, text, nowUs());
}

void ClientWorker::sendBinary(const QByteArray &data)
{
    if (!requireOpen(tr("Message")))
        return;
    m_socket->sendBinaryMessage(data);
    m_store->appendBytes(Direction::Out, Kind::Binary, data, nowUs());
}

void ClientWorker::ping(const QByteArray &payload)
{
    if (!requireOpen(tr("Ping")))
        return;
    m_pings.sent(payload);
    m_store->appendBytes(Direction::Out, Kind::Ping, payload, nowUs());
    m_socket->ping(payload);
}

void ClientWorker::sendFrame(const FrameSpec &spec)
{
    if (!requireOpen(tr("Hand-made frame")))
        return;
    if (!m_relay) {
        record(Direction::Event, Kind::Error,
            tr("Hand-made frame not sent: it needs the wire relay, which this connection does not use."));
        return;
    }
    // The history says what went out; the frame view shows the frames as the relay wrote them.
    m_store->appendText(Direction::Out, Kind::Info, spec.describe(), nowUs());
    QMetaObject::invokeMethod(
        m_relay, [r = m_relay, plan = FrameBuilder::build(spec)] { r->inject(plan); }, Qt::QueuedConnection);
}

void ClientWorker::close(int code, const QString &reason)
{
    if (!m_socket)
        return;
    if (m_status.state == State::Connecting) {
        record(Direction::Event, Kind::Info, tr("Connection attempt cancelled."));
        m_status.closedByUs = true;
        m_status.closeCode = code;
        m_connectTimer->stop();
        dropSocket();
        setState(State::Closed);
        return;
    }
    if (m_status.state != State::Open)
        return;
    m_status.closedByUs = true;
    m_store->appendText(Direction::Out, Kind::Close, reason, nowUs(), code);
    setState(State::Closing);
    m_closeTimer->start(CloseTimeoutMs);
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ClientWorker::abort()
{
    if (!m_socket)
        return;
    record(Direction::Event, Kind::Info, tr("Connection aborted."));
    m_status.closedByUs = true;
    m_socket->abort();
    if (m_socket) {
        // Aborted before the TCP connection was up: Qt emits no disconnected().
        dropSocket();
        m_connectTimer->stop();
        setState(State::Closed);
    }
}

void ClientWorker::note(const QString &text)
{
    record(Direction::Event, Kind::Info, text);
}

} // namespace wst
