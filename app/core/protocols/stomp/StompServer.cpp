#include "StompServer.h"

#include "StompProtocol.h"

#include <QTimer>

namespace wst {

namespace {
QPair<int, int> heartBeatPair(const QByteArray &value)
{
    const QList<QByteArray> parts = value.split(',');
    if (parts.size() != 2)
        return { 0, 0 };
    bool ok1 = false, ok2 = false;
    const int a = parts.at(0).trimmed().toInt(&ok1);
    const int b = parts.at(1).trimmed().toInt(&ok2);
    return { ok1 && a > 0 ? a : 0, ok2 && b > 0 ? b : 0 };
}

// Segments split on '/' and '.' alike (RabbitMQ and ActiveMQ name destinations either way).
QList<QByteArray> segments(const QByteArray &destination)
{
    QByteArray d = destination;
    d.replace('.', '/');
    return d.split('/');
}

bool matches(const QByteArray &pattern, const QByteArray &destination)
{
    if (pattern == destination)
        return true;
    if (!pattern.contains('*') && !pattern.contains('#'))
        return false;
    const QList<QByteArray> p = segments(pattern);
    const QList<QByteArray> d = segments(destination);
    for (qsizetype i = 0; i < p.size(); ++i) {
        if (i == p.size() - 1 && (p.at(i) == "**" || p.at(i) == "#"))
            return d.size() >= p.size();
        if (i >= d.size() || (p.at(i) != "*" && p.at(i) != d.at(i)))
            return false;
    }
    return p.size() == d.size();
}

const QByteArrayList &clientCommands()
{
    static const QByteArrayList c { "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT",
        "ABORT", "DISCONNECT", "CONNECT", "STOMP" };
    return c;
}
} // namespace

StompServer::StompServer(std::shared_ptr<const Protocol> protocol, ProtocolServerSink *sink)
    : ProtocolServer(std::move(protocol), sink)
{
    m_clock.start();
}

StompServer::~StompServer() = default;

StompServer::Session *StompServer::session(quint32 clientId)
{
    const auto it = m_sessions.find(clientId);
    return it == m_sessions.end() ? nullptr : &it->second;
}

int StompServer::subscriptionCount() const
{
    int n = 0;
    for (const auto &entry : m_sessions)
        n += int(entry.second.subscriptions.size());
    return n;
}

int StompServer::unackedCount(quint32 clientId) const
{
    const auto it = m_sessions.find(clientId);
    return it == m_sessions.end() ? 0 : int(it->second.unacked.size());
}

void StompServer::clientOpened(quint32 clientId, const QString &, const QString &)
{
    Session &s = m_sessions[clientId];
    s.lastReceivedMs = m_clock.elapsed();
}

void StompServer::clientClosed(quint32 clientId)
{
    const auto it = m_sessions.find(clientId);
    if (it == m_sessions.end())
        return;
    // Later: this may run inside that timer's own timeout (a missed heart-beat closes the client).
    if (QTimer *timer = it->second.timer) {
        timer->stop();
        timer->deleteLater();
    }
    m_sessions.erase(it);
}

void StompServer::received(quint32 clientId, Kind, const QByteArray &payload)
{
    Session *s = session(clientId);
    if (!s || s->closing)
        return;
    s->lastReceivedMs = m_clock.elapsed();
    QString error;
    const QList<StompFrame> frames = StompFrame::parseAll(payload, &error);
    for (const StompFrame &frame : frames) {
        handle(clientId, frame);
        s = session(clientId);
        if (!s || s->closing)
            return;
    }
    if (!error.isEmpty())
        fail(clientId, QStringLiteral("malformed frame"), error, nullptr);
}

void StompServer::sendFrame(quint32 clientId, const StompFrame &frame)
{
    const QByteArray bytes = frame.serialize();
    if (bytes.isValidUtf8())
        sink().sendText(clientId, QString::fromUtf8(bytes));
    else
        sink().sendBinary(clientId, bytes);
    if (Session *s = session(clientId))
        s->lastSentMs = m_clock.elapsed();
}

// The ERROR's message and body are protocol data for the peer: English whatever the UI language,
// like the command names around them.
void StompServer::fail(
    quint32 clientId, const QString &message, const QString &detail, const StompFrame *cause)
{
    Session *s = session(clientId);
    if (!s || s->closing)
        return;
    StompFrame error = StompFrame::make("ERROR", { { "message", message.toUtf8() } });
    if (cause && cause->hasHeader("receipt"))
        error.headers.append({ "receipt-id", cause->header("receipt") });
    const QByteArray body = detail.toUtf8();
    error.headers.append({ "content-type", QByteArrayLiteral("text/plain") });
    error.headers.append({ "content-length", QByteArray::number(body.size()) });
    error.body = body;
    sendFrame(clientId, error);
    s->closing = true;
    if (s->timer)
        s->timer->stop();
    // STOMP 1.2: the server closes the connection after an ERROR frame.
    sink().closeClient(clientId, 1000, QString(QStringLiteral("STOMP ERROR: ") + message).left(120));
}

void StompServer::handle(quint32 clientId, const StompFrame &frame)
{
    Session &s = *session(clientId);
    if (frame.heartbeat)
        return;
    const QByteArray &c = frame.command;
    if (!clientCommands().contains(c)) {
        fail(clientId, QStringLiteral("unknown command"),
            QStringLiteral("%1 is not a STOMP client frame.").arg(QString::fromLatin1(c)), &frame);
        return;
    }
    if (c == "CONNECT" || c == "STOMP") {
        if (s.connected)
            fail(clientId, QStringLiteral("already connected"),
                QStringLiteral("%1 was sent twice.").arg(QString::fromLatin1(c)), &frame);
        else
            onConnect(clientId, frame);
        return;
    }
    if (!s.connected) {
        fail(clientId, QStringLiteral("not connected"),
            QStringLiteral("The first frame must be CONNECT or STOMP."), &frame);
        return;
    }
    bool ok = true;
    if (c == "SUBSCRIBE")
        ok = onSubscribe(clientId, frame);
    else if (c == "UNSUBSCRIBE")
        ok = onUnsubscribe(clientId, frame);
    else if (c == "BEGIN" || c == "COMMIT" || c == "ABORT")
        ok = onTransaction(clientId, frame);
    else if (c == "DISCONNECT")
        ok = true;
    else if (const QByteArray tx = frame.header("transaction"); !tx.isEmpty()) {
        if (!s.transactions.contains(tx)) {
            fail(clientId, QStringLiteral("unknown transaction"),
                QStringLiteral("There is no transaction \"%1\" (BEGIN it first).").arg(QString::fromUtf8(tx)),
                &frame);
            return;
        }
        s.transactions[tx].append(frame);
    } else {
        ok = apply(clientId, frame);
    }
    if (!ok)
        return;
    if (frame.hasHeader("receipt"))
        sendFrame(clientId, StompFrame::make("RECEIPT", { { "receipt-id", frame.header("receipt") } }));
    if (c == "DISCONNECT") {
        s.closing = true;
        if (s.timer)
            s.timer->stop();
        sink().closeClient(clientId, 1000, QStringLiteral("DISCONNECT"));
    }
}

void StompServer::onConnect(quint32 clientId, const StompFrame &frame)
{
    Session &s = *session(clientId);
    const auto &stomp = static_cast<const StompProtocol &>(protocol());
    const QByteArrayList offered = frame.header("accept-version", "1.0").split(',');
    const QByteArrayList ours = stomp.acceptVersion().split(',');
    for (const QByteArray &v : ours) {
        if (offered.contains(v) && s.version.isEmpty())
            s.version = v;
    }
    if (s.version.isEmpty() && offered.contains("1.0"))
        s.version = "1.0";
    if (s.version.isEmpty()) {
        fail(clientId, QStringLiteral("unsupported version"),
            QStringLiteral("Supported protocol versions are %1.")
                .arg(QString::fromLatin1(stomp.acceptVersion())),
            &frame);
        return;
    }
    const QString login = protocol().options().string(QStringLiteral("login"));
    if (!login.isEmpty()
        && (frame.header("login") != login.toUtf8()
            || frame.header("passcode")
                != protocol().options().string(QStringLiteral("passcode")).toUtf8())) {
        fail(clientId, QStringLiteral("access refused"), QStringLiteral("Bad login or passcode."), &frame);
        return;
    }
    const auto [cx, cy] = heartBeatPair(frame.header("heart-beat", "0,0"));
    const int sx = stomp.heartbeatOutMs();
    const int sy = stomp.heartbeatInMs();
    s.sendEveryMs = sx > 0 && cy > 0 ? qMax(sx, cy) : 0;
    s.expectEveryMs = sy > 0 && cx > 0 ? qMax(sy, cx) : 0;
    s.connected = true;
    StompFrame connected = StompFrame::make("CONNECTED");
    if (s.version != "1.0")
        connected.headers.append({ "version", s.version });
    connected.headers.append({ "server", QByteArrayLiteral("wstester/") + WST_VERSION });
    connected.headers.append({ "session", "session-" + QByteArray::number(clientId) });
    connected.headers.append({ "heart-beat", QByteArray::number(sx) + ',' + QByteArray::number(sy) });
    if (frame.hasHeader("login"))
        connected.headers.append({ "user-name", frame.header("login") });
    sendFrame(clientId, connected);
    int tickMs = 0;
    for (const int every : { s.sendEveryMs, s.expectEveryMs }) {
        if (every > 0)
            tickMs = tickMs == 0 ? every / 2 : qMin(tickMs, every / 2);
    }
    if (tickMs > 0) {
        s.timer = new QTimer(this);
        connect(s.timer, &QTimer::timeout, this, [this, clientId] { tick(clientId); });
        s.timer->start(qMax(10, tickMs));
    }
}

void StompServer::tick(quint32 clientId)
{
    Session *s = session(clientId);
    if (!s || s->closing)
        return;
    const qint64 now = m_clock.elapsed();
    if (s->sendEveryMs > 0 && now - s->lastSentMs >= s->sendEveryMs / 2)
        sendFrame(clientId, StompFrame::heartBeat());
    if (s->expectEveryMs > 0 && now - s->lastReceivedMs > 2 * qint64(s->expectEveryMs)) {
        sink().note(clientId, Kind::Error,
            tr("STOMP: no heart-beat from the client for %1 ms (negotiated: every %2 ms); closing")
                .arg(now - s->lastReceivedMs)
                .arg(s->expectEveryMs));
        s->closing = true;
        s->timer->stop();
        sink().closeClient(clientId, 1000, QStringLiteral("STOMP heart-beat missed"));
    }
}

bool StompServer::onSubscribe(quint32 clientId, const StompFrame &frame)
{
    Session &s = *session(clientId);
    const QByteArray id = frame.header("id");
    const QByteArray destination = frame.header("destination");
    const QByteArray ack = frame.header("ack", "auto");
    if (destination.isEmpty() || (id.isEmpty() && s.version != "1.0")) {
        fail(clientId, QStringLiteral("missing header"),
            QStringLiteral("SUBSCRIBE needs a destination and an id header."), &frame);
        return false;
    }
    if (ack != "auto" && ack != "client" && ack != "client-individual") {
        fail(clientId, QStringLiteral("bad ack mode"),
            QStringLiteral("Ack mode \"%1\" is not auto, client or client-individual.")
                .arg(QString::fromUtf8(ack)),
            &frame);
        return false;
    }
    for (const Subscription &sub : std::as_const(s.subscriptions)) {
        if (sub.id == id) {
            fail(clientId, QStringLiteral("duplicate subscription"),
                QStringLiteral("Subscription id \"%1\" is already in use.").arg(QString::fromUtf8(id)),
                &frame);
            return false;
        }
    }
    s.subscriptions.append({ id.isEmpty() ? destination : id, destination, ack });
    return true;
}

bool StompServer::onUnsubscribe(quint32 clientId, const StompFrame &frame)
{
    Session &s = *session(clientId);
    const QByteArray id = frame.header("id", frame.header("destination"));
    const qsizetype removed
        = s.subscriptions.removeIf([&id](const Subscription &sub) { return sub.id == id; });
    if (removed == 0) {
        fail(clientId, QStringLiteral("unknown subscription"),
            QStringLiteral("There is no subscription \"%1\".").arg(QString::fromUtf8(id)), &frame);
        return false;
    }
    s.unacked.removeIf([&id](const Unacked &u) { return u.subscription == id; });
    return true;
}

bool StompServer::onTransaction(quint32 clientId, const StompFrame &frame)
{
    Session &s = *session(clientId);
    const QByteArray tx = frame.header("transaction");
    if (tx.isEmpty()) {
        fail(clientId, QStringLiteral("missing header"),
            QStringLiteral("%1 needs a transaction header.").arg(QString::fromLatin1(frame.command)), &frame);
        return false;
    }
    if (frame.command == "BEGIN") {
        if (s.transactions.contains(tx)) {
            fail(clientId, QStringLiteral("duplicate transaction"),
                QStringLiteral("Transaction \"%1\" has already begun.").arg(QString::fromUtf8(tx)), &frame);
            return false;
        }
        s.transactions.insert(tx, {});
        return true;
    }
    if (!s.transactions.contains(tx)) {
        fail(clientId, QStringLiteral("unknown transaction"),
            QStringLiteral("There is no transaction \"%1\" (BEGIN it first).").arg(QString::fromUtf8(tx)),
            &frame);
        return false;
    }
    const QList<StompFrame> buffered = s.transactions.take(tx);
    if (frame.command == "ABORT")
        return true;
    for (const StompFrame &f : buffered) {
        if (!apply(clientId, f))
            return false;
    }
    return true;
}

bool StompServer::apply(quint32 clientId, const StompFrame &frame)
{
    if (frame.command == "ACK" || frame.command == "NACK")
        return onAck(clientId, frame);
    const QByteArray destination = frame.header("destination");
    if (destination.isEmpty()) {
        fail(clientId, QStringLiteral("missing header"), QStringLiteral("SEND needs a destination header."),
            &frame);
        return false;
    }
    deliver(destination, frame, 0);
    return true;
}

bool StompServer::onAck(quint32 clientId, const StompFrame &frame)
{
    Session &s = *session(clientId);
    const bool v12 = s.version == "1.2";
    const QByteArray id = v12 ? frame.header("id") : frame.header("message-id");
    qsizetype found = -1;
    for (qsizetype i = 0; i < s.unacked.size() && found < 0; ++i) {
        if (s.unacked.at(i).ackId == id)
            found = i;
    }
    if (found < 0) {
        fail(clientId, QStringLiteral("unknown message"),
            QStringLiteral("No message awaits %1 with %2 \"%3\".")
                .arg(QString::fromLatin1(frame.command),
                    v12 ? QStringLiteral("id") : QStringLiteral("message-id"), QString::fromUtf8(id)),
            &frame);
        return false;
    }
    const Unacked target = s.unacked.at(found);
    QByteArray mode = "client-individual";
    for (const Subscription &sub : std::as_const(s.subscriptions)) {
        if (sub.id == target.subscription)
            mode = sub.ack;
    }
    // client mode is cumulative: the ACK (or NACK) covers every earlier message of the subscription.
    QList<Unacked> covered;
    for (qsizetype i = 0; i < s.unacked.size();) {
        const Unacked &u = s.unacked.at(i);
        const bool hit = u.order == target.order
            || (mode == "client" && u.subscription == target.subscription && u.order < target.order);
        if (hit)
            covered.append(s.unacked.takeAt(i));
        else
            ++i;
    }
    if (frame.command == "ACK")
        return true;
    for (const Unacked &u : std::as_const(covered)) {
        if (u.redelivered)
            continue; // NACKed twice: dropped
        for (const Subscription &sub : std::as_const(s.subscriptions)) {
            if (sub.id == u.subscription) {
                deliverTo(clientId, sub, u.message, true);
                break;
            }
        }
    }
    return true;
}

void StompServer::deliver(const QByteArray &destination, const StompFrame &send, quint32 onlyClient)
{
    StompFrame message = StompFrame::make("MESSAGE", {}, send.body);
    for (const auto &h : send.headers) {
        if (h.first != "receipt" && h.first != "transaction" && h.first != "content-length"
            && h.first != "destination" && h.first != "subscription" && h.first != "message-id"
            && h.first != "ack")
            message.headers.append(h);
    }
    message.headers.prepend({ "destination", destination });
    message.headers.prepend({ "message-id", "msg-" + QByteArray::number(m_nextMessage++) });
    message.headers.append({ "content-length", QByteArray::number(message.body.size()) });
    // Collected first: delivering may not change the sessions, but keeps the loop simple to read.
    QList<QPair<quint32, Subscription>> targets;
    for (const auto &entry : m_sessions) {
        if ((onlyClient != 0 && entry.first != onlyClient) || !entry.second.connected || entry.second.closing)
            continue;
        for (const Subscription &sub : entry.second.subscriptions) {
            if (matches(sub.destination, destination))
                targets.append({ entry.first, sub });
        }
    }
    for (const auto &target : std::as_const(targets))
        deliverTo(target.first, target.second, message, false);
}

void StompServer::deliverTo(quint32 clientId, const Subscription &sub, StompFrame message, bool redelivered)
{
    Session *s = session(clientId);
    if (!s)
        return;
    message.setHeader("subscription", sub.id);
    if (redelivered)
        message.setHeader("redelivered", "true");
    if (sub.ack != "auto") {
        Unacked u;
        u.subscription = sub.id;
        u.order = m_order++;
        u.redelivered = redelivered;
        if (s->version == "1.2") {
            u.ackId = "ack-" + QByteArray::number(m_nextAck++);
            message.setHeader("ack", u.ackId);
        } else {
            // 1.1 acknowledges by message-id: a redelivery gets a fresh one so the two differ.
            if (redelivered)
                message.setHeader("message-id", "msg-" + QByteArray::number(m_nextMessage++));
            u.ackId = message.header("message-id");
        }
        message.removeHeader("redelivered");
        u.message = message;
        if (redelivered)
            message.setHeader("redelivered", "true");
        s->unacked.append(u);
    }
    sendFrame(clientId, message);
}

QString StompServer::submit(quint32 clientId, const ProtocolCommand &command)
{
    if (command.verb != QLatin1String("send"))
        return tr("The STOMP broker can only \"send\" (a MESSAGE to the subscribers of a destination).");
    if (command.name.trimmed().isEmpty())
        return tr("STOMP send needs a destination.");
    if (clientId != 0 && !session(clientId))
        return tr("There is no client %1.").arg(clientId);
    StompFrame send = StompFrame::make("SEND", {}, command.body);
    send.headers.append({ "content-type",
        QByteArray(
            StompProtocol::bodyJson(command.body).isUndefined() ? "text/plain" : "application/json") });
    for (const auto &h : command.headers)
        send.setHeader(h.first.toUtf8(), h.second.toUtf8());
    deliver(command.name.toUtf8(), send, clientId);
    return {};
}

} // namespace wst
