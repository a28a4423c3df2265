// The part of ProxyWorker that passes frames: unchanged and in order while nobody intercepts;
// whole messages held, edited, dropped and injected when someone does. Everything is recorded
// (data messages reassembled and inflated, pings, pongs, closes).
#include "ProxyWorker.h"

#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocol/FrameBuilder.h"
#include "server/ServerFaults.h"

#include <QRandomGenerator>
#include <QSslSocket>
#include <QtEndian>

namespace wst {

using W = ProxyServer::Way;

namespace {

QByteArray closePayload(int code, const QString &reason)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian<quint16>(quint16(code), payload.data());
    return payload + reason.toUtf8().left(CloseCodes::MaxReasonBytes);
}

} // namespace

QByteArray ProxyWorker::frameFor(W way, quint8 opcode, const QByteArray &payload, bool fin) const
{
    const bool masked = way == W::ToServer;
    const quint32 key = masked ? QRandomGenerator::global()->generate() : 0;
    return FrameBuilder::frame(
        opcode, fin, 0, masked, key, payload, quint64(payload.size()), FrameSpec::LengthForm::Shortest)
        .bytes;
}

void ProxyWorker::writeTo(Conn &conn, W way, const QByteArray &bytes)
{
    QTcpSocket *socket
        = way == W::ToServer ? static_cast<QTcpSocket *>(conn.upstream.data()) : conn.client.data();
    if (socket && socket->state() == QAbstractSocket::ConnectedState)
        socket->write(bytes);
}

void ProxyWorker::feed(Conn &conn, W way)
{
    Way &w = wayOf(conn, way);
    const quint32 id = conn.info.id;
    while (true) {
        const QByteArrayView rest = QByteArrayView(w.buffer).sliced(w.offset);
        FrameHeader header;
        const int size = FrameHeader::parse(rest, &header);
        if (size == 0)
            break;
        // Without a limit a frame still cannot be larger than what a QByteArray holds.
        const quint64 limit
            = m_options.maxMessageSize > 0 ? quint64(m_options.maxMessageSize) : quint64(1) << 40;
        if (header.length > limit) {
            const QString why
                = tr("A frame of %1 bytes (%2) is larger than the %3-byte limit: closed with 1009.")
                      .arg(header.length)
                      .arg(way == W::ToServer ? tr("client to server") : tr("server to client"))
                      .arg(limit);
            record(id, Direction::Event, Kind::Error, why);
            sendClose(conn, W::ToClient, 1009, tr("message too big"));
            sendClose(conn, W::ToServer, 1009, tr("message too big"));
            conn.phase = Phase::Closing;
            if (conn.client)
                conn.client->disconnectFromHost();
            if (conn.upstream)
                conn.upstream->disconnectFromHost();
            w.buffer.clear();
            w.offset = 0;
            return;
        }
        const qsizetype total = size + qsizetype(header.length);
        if (rest.size() < total)
            break;
        const QByteArrayView raw = rest.first(total);
        w.offset += total;
        if (!onFrame(conn, way, header, raw))
            return;
        if (!find(id) || conn.phase != Phase::Open)
            return;
    }
    if (w.offset > 0) {
        w.buffer.remove(0, w.offset);
        w.offset = 0;
    }
}

bool ProxyWorker::onFrame(Conn &conn, W way, const FrameHeader &header, QByteArrayView raw)
{
    Way &w = wayOf(conn, way);
    const quint32 id = conn.info.id;
    QByteArray payload(raw.sliced(header.size).data(), raw.size() - header.size);
    if (header.masked) {
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ header.maskByte(quint64(i)));
    }
    if (header.isControl()) {
        const bool queueIt = !w.queue.empty();
        if (header.opcode == Opcode::Ping || header.opcode == Opcode::Pong) {
            m_store->appendBytes(directionOf(way), header.opcode == Opcode::Ping ? Kind::Ping : Kind::Pong,
                payload, nowUs(), 0, id);
        } else if (header.opcode == Opcode::Close) {
            int code = 1005;
            QString reason;
            if (payload.size() >= 2) {
                code = qFromBigEndian<quint16>(payload.constData());
                reason = QString::fromUtf8(payload.mid(2));
            }
            m_store->appendText(directionOf(way), Kind::Close, reason, nowUs(), code, id);
            w.closeSeen = true;
            if (conn.firstCloseCode == 0) {
                conn.firstCloseCode = code;
                conn.firstCloseReason = reason;
            }
        }
        if (queueIt) {
            Item item;
            item.control = true;
            item.raw = raw.toByteArray();
            enqueue(conn, way, std::move(item));
        } else {
            writeTo(conn, way, raw.toByteArray());
        }
        return true;
    }
    if (header.opcode != Opcode::Continuation) {
        if (w.inMessage) {
            record(id, Direction::Event, Kind::Error,
                tr("A new message began before the last one ended (%1): passed on as it is.")
                    .arg(way == W::ToServer ? tr("client to server") : tr("server to client")));
        }
        w.inMessage = true;
        w.kind = header.opcode == Opcode::Binary ? Kind::Binary : Kind::Text;
        w.compressed = conn.deflate && (header.rsv & 0x4);
        w.payload.clear();
        w.raw.clear();
        w.streaming = !intercepting(conn, way);
    } else if (!w.inMessage) {
        record(id, Direction::Event, Kind::Error,
            tr("A continuation frame came with no message to continue: passed on as it is."));
        writeTo(conn, way, raw.toByteArray());
        return true;
    }
    w.payload += payload;
    if (m_options.maxMessageSize > 0 && w.payload.size() > m_options.maxMessageSize) {
        record(id, Direction::Event, Kind::Error,
            tr("A message is larger than the %1-byte limit: closed with 1009.")
                .arg(m_options.maxMessageSize));
        sendClose(conn, W::ToClient, 1009, tr("message too big"));
        sendClose(conn, W::ToServer, 1009, tr("message too big"));
        conn.phase = Phase::Closing;
        if (conn.client)
            conn.client->disconnectFromHost();
        if (conn.upstream)
            conn.upstream->disconnectFromHost();
        return false;
    }
    if (w.streaming)
        writeTo(conn, way, raw.toByteArray());
    else
        w.raw += raw;
    if (header.fin) {
        onMessage(conn, way);
        w.inMessage = false;
        if (!w.queue.empty())
            pump(conn, way); // what was injected while this message streamed
    }
    return true;
}

void ProxyWorker::onMessage(Conn &conn, W way)
{
    Way &w = wayOf(conn, way);
    const quint32 id = conn.info.id;
    QByteArray message;
    if (w.compressed && w.inflater) {
        const MessageInflater::Result result = w.inflater->inflate(w.payload, &message);
        if (result != MessageInflater::Result::Ok) {
            record(id, Direction::Event, Kind::Error,
                result == MessageInflater::Result::TooBig
                    ? tr("A compressed message inflates to more than the %1-byte limit.")
                          .arg(m_options.maxMessageSize)
                    : tr("A compressed message could not be inflated (%1): passed on as it is.")
                          .arg(w.inflater->lastError()));
            message = w.payload;
        }
    } else {
        message = w.payload;
    }
    w.payload.clear();
    if (way == W::ToServer)
        ++conn.info.messagesToServer;
    else
        ++conn.info.messagesToClient;
    m_store->appendBytes(directionOf(way), w.kind, message, nowUs(), 0, id);
    markDirty();
    if (w.streaming)
        return;
    Item item;
    item.kind = w.kind;
    item.compressed = w.compressed;
    item.raw = std::move(w.raw);
    w.raw.clear();
    item.message = std::move(message);
    const bool paused = way == W::ToServer ? m_pausedToServer : m_pausedToClient;
    const int breakpoint = paused ? -1 : matchingBreakpoint(way, item.kind, item.message);
    if (paused || breakpoint >= 0) {
        if (m_held.size() >= m_options.maxHeld) {
            if (!m_heldLimitNoted)
                record(id, Direction::Event, Kind::Info,
                    tr("%1 messages are held, the limit: later ones pass.").arg(m_options.maxHeld));
            m_heldLimitNoted = true;
        } else {
            item.heldId = m_nextHeld++;
            item.decided = false;
            ProxyServer::HeldMessage held;
            held.id = item.heldId;
            held.connection = id;
            held.way = way;
            held.kind = item.kind;
            held.payload = item.message;
            held.heldUs = nowUs();
            held.breakpoint = breakpoint;
            m_held.append(held);
            record(id, Direction::Event, Kind::Info,
                breakpoint >= 0 ? tr("held #%1 (breakpoint %2)").arg(item.heldId).arg(breakpoint + 1)
                                : tr("held #%1 (paused)").arg(item.heldId));
            notifyHeld();
        }
    }
    enqueue(conn, way, std::move(item));
}

bool ProxyWorker::intercepting(const Conn &conn, W way) const
{
    const Way &w = way == W::ToServer ? conn.toServer : conn.toClient;
    if (!w.queue.empty() || w.diverged)
        return true;
    if (way == W::ToServer ? m_pausedToServer : m_pausedToClient)
        return true;
    for (const ProxyBreakpoint &b : m_options.breakpoints) {
        if (b.enabled
            && (b.direction == ProxyBreakpoint::Direction::Both
                || (b.direction == ProxyBreakpoint::Direction::ToServer) == (way == W::ToServer)))
            return true;
    }
    return false;
}

int ProxyWorker::matchingBreakpoint(W way, Kind kind, const QByteArray &message) const
{
    QString text;
    bool converted = false;
    for (qsizetype i = 0; i < m_options.breakpoints.size(); ++i) {
        const ProxyBreakpoint &b = m_options.breakpoints.at(i);
        if (!b.enabled
            || (b.direction != ProxyBreakpoint::Direction::Both
                && (b.direction == ProxyBreakpoint::Direction::ToServer) != (way == W::ToServer)))
            continue;
        if (!converted) {
            text = kind == Kind::Binary ? QString::fromLatin1(message) : QString::fromUtf8(message);
            converted = true;
        }
        if (b.match.matches(text))
            return int(i);
    }
    return -1;
}

void ProxyWorker::enqueue(Conn &conn, W way, Item item)
{
    wayOf(conn, way).queue.push_back(std::move(item));
    pump(conn, way);
}

void ProxyWorker::pump(Conn &conn, W way)
{
    Way &w = wayOf(conn, way);
    // Not into the middle of a message whose frames are being passed on as they come.
    if (w.inMessage && w.streaming)
        return;
    while (!w.queue.empty() && w.queue.front().decided) {
        const Item item = std::move(w.queue.front());
        w.queue.pop_front();
        deliver(conn, way, item);
    }
}

void ProxyWorker::deliver(Conn &conn, W way, const Item &item)
{
    Way &w = wayOf(conn, way);
    if (item.drop) {
        if (item.compressed && !w.senderNoContextTakeover)
            w.diverged = true;
        return;
    }
    if (item.control) {
        writeTo(conn, way, item.raw);
        return;
    }
    if (item.rebuild && item.compressed && !w.senderNoContextTakeover)
        w.diverged = true; // an edit replaced a compressed message the receiver's inflater expected
    if (way == W::ToClient && faultsTake(conn, item))
        return;
    if (item.rebuild || (item.compressed && w.diverged))
        writeTo(conn, way, frameFor(way, item.kind == Kind::Binary ? 0x2 : 0x1, item.message));
    else
        writeTo(conn, way, item.raw);
}

void ProxyWorker::sendClose(Conn &conn, W way, int code, const QString &reason)
{
    writeTo(conn, way, frameFor(way, 0x8, closePayload(code, reason)));
}

void ProxyWorker::releaseHeld(Conn &conn)
{
    const qsizetype before = m_held.size();
    m_held.removeIf([&](const ProxyServer::HeldMessage &h) { return h.connection == conn.info.id; });
    conn.toServer.queue.clear();
    conn.toClient.queue.clear();
    if (m_held.size() != before)
        notifyHeld();
}

void ProxyWorker::setPaused(W way, bool paused)
{
    (way == W::ToServer ? m_pausedToServer : m_pausedToClient) = paused;
    record(0, Direction::Event, Kind::Info,
        way == W::ToServer ? (paused ? tr("Paused client → server.") : tr("Resumed client → server."))
                           : (paused ? tr("Paused server → client.") : tr("Resumed server → client.")));
}

void ProxyWorker::setBreakpoints(const QList<ProxyBreakpoint> &breakpoints)
{
    m_options.breakpoints = breakpoints;
    for (ProxyBreakpoint &breakpoint : m_options.breakpoints) {
        if (breakpoint.match.match == ReplyRule::Match::Regex)
            breakpoint.match.regex = QRegularExpression(breakpoint.match.value);
    }
}

void ProxyWorker::decide(quint64 heldId, bool forward, bool edited, Kind kind, const QByteArray &payload)
{
    for (auto &[id, conn] : m_conns) {
        for (W way : { W::ToServer, W::ToClient }) {
            Way &w = wayOf(*conn, way);
            for (Item &item : w.queue) {
                if (item.heldId != heldId || item.decided)
                    continue;
                item.decided = true;
                item.drop = !forward;
                if (edited) {
                    item.rebuild = true;
                    item.kind = kind;
                    item.message = payload;
                }
                m_held.removeIf([heldId](const ProxyServer::HeldMessage &h) { return h.id == heldId; });
                if (m_held.size() < m_options.maxHeld)
                    m_heldLimitNoted = false;
                record(id, Direction::Event, Kind::Info,
                    !forward ? tr("dropped #%1").arg(heldId)
                        : edited
                        ? tr("edited #%1: forwarded %2 bytes instead").arg(heldId).arg(payload.size())
                        : tr("forwarded #%1").arg(heldId));
                if (edited)
                    m_store->appendBytes(directionOf(way), kind, payload, nowUs(), 0, id);
                notifyHeld();
                pump(*conn, way);
                return;
            }
        }
    }
}

void ProxyWorker::forwardAll()
{
    QList<quint64> ids;
    for (const ProxyServer::HeldMessage &h : m_held)
        ids.append(h.id);
    for (quint64 heldId : ids)
        decide(heldId, true, false, Kind::Text, {});
}

void ProxyWorker::inject(quint32 connection, W way, Kind kind, const QByteArray &payload)
{
    Conn *conn = find(connection);
    if (!conn || conn->phase != Phase::Open) {
        record(connection, Direction::Event, Kind::Error,
            tr("Connection %1 is not open: nothing injected.").arg(connection));
        return;
    }
    record(connection, Direction::Event, Kind::Info,
        tr("injected %1 bytes (%2)")
            .arg(payload.size())
            .arg(way == W::ToServer ? tr("client → server") : tr("server → client")));
    m_store->appendBytes(directionOf(way), kind, payload, nowUs(), 0, connection);
    Item item;
    item.rebuild = true;
    item.injected = true;
    item.kind = kind;
    item.message = payload;
    enqueue(*conn, way, std::move(item));
}

void ProxyWorker::closeConnection(quint32 connection, int code, const QString &reason)
{
    Conn *conn = find(connection);
    if (!conn)
        return;
    if (conn->phase != Phase::Open) {
        fail(*conn, tr("Closed by the proxy before the upgrade."));
        return;
    }
    m_store->appendText(Direction::Event, Kind::Close, reason, nowUs(), code, connection);
    conn->phase = Phase::Closing;
    if (conn->firstCloseCode == 0) {
        conn->firstCloseCode = code;
        conn->firstCloseReason = reason;
    }
    sendClose(*conn, W::ToClient, code, reason);
    sendClose(*conn, W::ToServer, 1001, tr("closed by the proxy"));
    releaseHeld(*conn);
    if (conn->client)
        conn->client->disconnectFromHost();
    if (Conn *c = find(connection); c && c->upstream)
        c->upstream->disconnectFromHost();
}

} // namespace wst
