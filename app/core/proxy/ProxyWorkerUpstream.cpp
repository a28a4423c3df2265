// The part of ProxyWorker that talks to the upstream server: the connection (ws:// or wss://),
// the rewritten request, and the response passed back to the client.
#include "ProxyWorker.h"

#include "messages/MessageStore.h"
#include "server/ServerFaults.h"

#include <QSslCipher>
#include <QSslSocket>

namespace wst {

namespace {

constexpr qsizetype MaxRefusalBody = 4096;

QByteArray statusLine(int code, const QByteArray &text)
{
    return "HTTP/1.1 " + QByteArray::number(code) + ' ' + text + "\r\n";
}

} // namespace

void ProxyWorker::openUpstream(Conn &conn, const ProxyRequest &request, const QUrl &target)
{
    const quint32 id = conn.info.id;
    const bool tls = target.scheme() == QLatin1String("wss");
    const int port = target.port(tls ? 443 : 80);
    conn.info.upstream = target;
    QByteArray host = target.host().toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (target.port() > 0)
        host += ':' + QByteArray::number(target.port());
    QByteArray path = target.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/";
    if (target.hasQuery())
        path += '?' + target.query(QUrl::FullyEncoded).toUtf8();
    QList<QByteArray> remove = m_options.removeHeaders;
    if (!m_options.passCompression)
        remove.append("Sec-WebSocket-Extensions");
    conn.info.upstreamRecord.request = request.rewritten(path, host, m_options.setHeaders, remove);
    conn.info.upstreamRecord.target = target.host() + QLatin1Char(':') + QString::number(port);
    conn.info.upstreamRecord.tls = tls;
    auto *socket = new QSslSocket(this);
    conn.upstream = socket;
    if (tls && m_options.ignoreUpstreamTlsErrors)
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    connect(socket, &QSslSocket::sslErrors, this, [this, id](const QList<QSslError> &errors) {
        Conn *c = find(id);
        if (!c)
            return;
        c->info.upstreamRecord.sslErrors = errors;
        if (m_options.ignoreUpstreamTlsErrors)
            c->upstream->ignoreSslErrors();
    });
    connect(socket, &QSslSocket::connected, this, [this, id] {
        if (Conn *c = find(id)) {
            c->info.upstreamRecord.tcpConnectUs = nowUs() - c->connectStartUs;
            if (!c->info.upstreamRecord.tls)
                onUpstreamConnected(id);
        }
    });
    connect(socket, &QSslSocket::encrypted, this, [this, id] {
        if (Conn *c = find(id)) {
            HandshakeRecord &r = c->info.upstreamRecord;
            r.tlsHandshakeUs = nowUs() - c->connectStartUs - qMax<qint64>(0, r.tcpConnectUs);
            r.tlsProtocol = c->upstream->sessionProtocol() == QSsl::TlsV1_3 ? QStringLiteral("TLS 1.3")
                : c->upstream->sessionProtocol() == QSsl::TlsV1_2           ? QStringLiteral("TLS 1.2")
                                                                            : QStringLiteral("TLS");
            r.cipher = c->upstream->sessionCipher().name();
            r.peerChain = c->upstream->peerCertificateChain();
            onUpstreamConnected(id);
        }
    });
    connect(socket, &QSslSocket::readyRead, this, [this, id] { onUpstreamReadable(id); });
    connect(socket, &QSslSocket::disconnected, this, [this, id] { onSocketGone(id, false); });
    connect(socket, &QSslSocket::errorOccurred, this, [this, id](QAbstractSocket::SocketError error) {
        Conn *c = find(id);
        if (!c || (c->phase != Phase::Connecting && c->phase != Phase::Response))
            return;
        QString why = c->upstream->errorString();
        if (error == QAbstractSocket::SslHandshakeFailedError && !c->info.upstreamRecord.sslErrors.isEmpty())
            why = c->info.upstreamRecord.sslErrors.first().errorString();
        const QString line = tr("The upstream %1 failed: %2").arg(c->info.upstreamRecord.target, why);
        c->info.upstreamRecord.upstreamError = line;
        c->info.error = line;
        refuse(*c, statusLine(502, "Bad Gateway"), line);
    });
    conn.phase = Phase::Connecting;
    conn.timer->start(UpstreamTimeoutMs);
    conn.connectStartUs = nowUs();
    if (tls)
        socket->connectToHostEncrypted(target.host(), quint16(port));
    else
        socket->connectToHost(target.host(), quint16(port));
    markDirty();
}

void ProxyWorker::onUpstreamConnected(quint32 id)
{
    Conn *conn = find(id);
    if (!conn || conn->phase != Phase::Connecting)
        return;
    conn->phase = Phase::Response;
    conn->requestSentUs = nowUs();
    conn->upstream->write(conn->info.upstreamRecord.request);
}

void ProxyWorker::onUpstreamReadable(quint32 id)
{
    Conn *conn = find(id);
    if (!conn || !conn->upstream)
        return;
    switch (conn->phase) {
    case Phase::Response:
        conn->upstreamHead += conn->upstream->readAll();
        readResponse(*conn);
        break;
    case Phase::Open:
        conn->toClient.buffer += conn->upstream->readAll();
        feed(*conn, ProxyServer::Way::ToClient);
        break;
    case Phase::Refused:
    case Phase::Blind:
        if (conn->client)
            conn->client->write(conn->upstream->readAll());
        break;
    default:
        conn->upstream->readAll();
        break;
    }
}

void ProxyWorker::readResponse(Conn &conn)
{
    const qsizetype end = conn.upstreamHead.indexOf("\r\n\r\n");
    if (end < 0) {
        if (conn.upstreamHead.size() > ProxyRequest::MaxHeadBytes)
            refuse(conn, statusLine(502, "Bad Gateway"),
                tr("The upstream's response head is longer than %1 bytes.").arg(ProxyRequest::MaxHeadBytes));
        return;
    }
    conn.timer->stop();
    HandshakeRecord &up = conn.info.upstreamRecord;
    up.response = conn.upstreamHead.left(end + 4);
    up.handshakeUs = nowUs() - conn.requestSentUs;
    const QByteArray rest = conn.upstreamHead.mid(end + 4);
    conn.upstreamHead.clear();
    conn.info.downstream.response = up.response;
    conn.client->write(up.response);
    const int status = up.statusCode();
    if (status != 101) {
        up.responseBody = rest.left(MaxRefusalBody);
        conn.info.downstream.responseBody = up.responseBody;
        conn.info.error
            = tr("The upstream %1 answered %2.")
                  .arg(conn.info.upstream.toString(), QString::fromLatin1(up.statusLine().trimmed()));
        record(conn.info.id, Direction::Event, Kind::Error, conn.info.error);
        conn.phase = Phase::Refused;
        conn.client->write(rest);
        markDirty();
        return;
    }
    const HandshakeRecord::Headers headers = up.responseHeaders();
    QByteArray extensions;
    for (const auto &[name, value] : headers) {
        if (name.compare("Sec-WebSocket-Extensions", Qt::CaseInsensitive) == 0)
            extensions += (extensions.isEmpty() ? "" : ", ") + value;
    }
    conn.info.extensions = QString::fromLatin1(extensions);
    if (extensions.toLower().contains("permessage-deflate")) {
        const QByteArray lower = extensions.toLower();
        conn.deflate = true;
        conn.toServer.senderNoContextTakeover = lower.contains("client_no_context_takeover");
        conn.toClient.senderNoContextTakeover = lower.contains("server_no_context_takeover");
        const quint64 max
            = m_options.maxMessageSize > 0 ? quint64(m_options.maxMessageSize) : quint64(1) << 62;
        conn.toServer.inflater
            = std::make_unique<MessageInflater>(conn.toServer.senderNoContextTakeover, max);
        conn.toClient.inflater
            = std::make_unique<MessageInflater>(conn.toClient.senderNoContextTakeover, max);
        up.deflate = HandshakeRecord::Deflate::Unknown;
        up.extensions = conn.info.extensions;
    }
    conn.phase = Phase::Open;
    conn.opened = true;
    if (m_faults && m_faults->takesMessages())
        conn.toClient.diverged = true;
    record(conn.info.id, Direction::Event, Kind::Open,
        tr("%1:%2 → %3")
            .arg(conn.info.peerAddress.toString())
            .arg(conn.info.peerPort)
            .arg(conn.info.upstream.toString()));
    if (m_faults)
        m_faults->opened(conn.info.id);
    markDirty();
    const quint32 id = conn.info.id;
    if (!conn.toServer.buffer.isEmpty())
        feed(conn, ProxyServer::Way::ToServer);
    if (Conn *c = find(id); c && c->phase == Phase::Open) {
        c->toClient.buffer += rest;
        feed(*c, ProxyServer::Way::ToClient);
    }
}

} // namespace wst
