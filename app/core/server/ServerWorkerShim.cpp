// ServerWorker, continued: the clients that go through a ServerShim (permessage-deflate agreed,
// the pace and ping faults), and what the shim reports about them.
#include "ServerWorker.h"

#include "ServerShim.h"
#include "messages/MessageStore.h"
#include "protocol/HandshakeRecord.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

namespace wst {

namespace {
constexpr int ShimDrainMs = 1000; // how long stopped() waits for shims to pass on the last bytes
}

QTcpSocket *ServerWorker::shimIfNeeded(QTcpSocket *socket, const QByteArray &request, const QString &key)
{
    ServerShim::Settings settings;
    if (m_options.deflate) {
        QList<QByteArray> offers;
        for (const auto &[name, value] : HandshakeRecord::parseHeaders(request)) {
            if (name.compare("Sec-WebSocket-Extensions", Qt::CaseInsensitive) == 0)
                offers.append(value);
        }
        const DeflateAnswer answer = DeflateAnswer::fromOffers(offers);
        if (answer.accepted) {
            settings.deflate = answer.agreement;
            settings.extensionsValue = answer.headerValue;
        }
    }
    settings.dropPings = m_options.faults.ignorePings;
    settings.bytesPerSecond = m_options.faults.slowBytesPerSecond;
    if (m_options.maxMessageSize > 0)
        settings.maxMessageBytes = quint64(m_options.maxMessageSize);
    if (!settings.deflate && !settings.dropPings && settings.bytesPerSecond <= 0)
        return socket;
    auto *shim = new ServerShim(socket, request.size(), settings, this);
    QTcpSocket *inner = shim->innerSocket();
    if (!inner) {
        record(0, Direction::Event, Kind::Error, shim->errorString());
        socket->setParent(this);
        delete shim;
        m_handshakes.remove(key);
        socket->abort();
        socket->deleteLater();
        return nullptr;
    }
    Handshake &handshake = m_handshakes[key];
    handshake.tcp = inner;
    handshake.shim = shim;
    if (settings.deflate)
        handshake.info.extensions = settings.deflate->describe();
    connect(shim, &ServerShim::responseSent, this, [this, key, shim](const QByteArray &head) {
        if (const auto it = m_handshakes.find(key); it != m_handshakes.end() && it->shim == shim) {
            it->info.handshakeResponse = head;
            return;
        }
        for (auto &[id, client] : m_clients) {
            if (client.shim == shim) {
                client.info.handshakeResponse = head;
                markDirty();
            }
        }
    });
    return inner;
}

void ServerWorker::linkShim(quint32 id, ServerShim *shim)
{
    connect(shim, &ServerShim::pingsDropped, this, [this, id](const QList<QByteArray> &payloads) {
        for (const QByteArray &payload : payloads) {
            record(id, Direction::Event, Kind::Info,
                tr("Left a ping of %1 bytes unanswered (fault: stop answering pings).").arg(payload.size()));
        }
    });
    connect(shim, &ServerShim::failed, this, [this, id](int code, const QString &reason) {
        Client *client = find(id);
        if (!client)
            return;
        client->failCode = code;
        client->dropReason = reason;
        m_store->appendText(Direction::Out, Kind::Close, reason, nowUs(), code, id);
        record(id, Direction::Event, Kind::Error, tr("Failed the client with %1: %2").arg(code).arg(reason));
    });
}

void ServerWorker::drainShimsThenStop()
{
    // For a shimmed client, Qt's close() writes the Close into the socketpair and hangs up at
    // once, so the last client can be gone here before its shim has read that Close and written
    // it to the client. Whoever quits on stopped() (wstester serve) would then cut the client
    // off with 1006 instead of the 1001 it was sent. So stopped() waits for the shims, bounded:
    // a client that reads nothing is cut off after ShimDrainMs.
    const QList<ServerShim *> shims = findChildren<ServerShim *>(Qt::FindDirectChildrenOnly);
    m_stopPending = true;
    ++m_stopGeneration;
    m_drainingShims = int(shims.size());
    if (shims.isEmpty()) {
        emitStopped();
        return;
    }
    for (ServerShim *shim : shims) {
        connect(shim, &QObject::destroyed, this, [this, generation = m_stopGeneration] {
            if (generation == m_stopGeneration && m_stopPending && --m_drainingShims == 0)
                emitStopped();
        });
    }
    if (!m_drainTimer) {
        m_drainTimer = new QTimer(this);
        m_drainTimer->setSingleShot(true);
        connect(m_drainTimer, &QTimer::timeout, this, [this] {
            for (ServerShim *shim : findChildren<ServerShim *>(Qt::FindDirectChildrenOnly)) {
                if (QTcpSocket *client = shim->client())
                    client->abort();
            }
            emitStopped();
        });
    }
    m_drainTimer->start(ShimDrainMs);
}

void ServerWorker::emitStopped()
{
    if (!m_stopPending)
        return;
    m_stopPending = false;
    if (m_drainTimer)
        m_drainTimer->stop();
    Q_EMIT stopped();
}

} // namespace wst
