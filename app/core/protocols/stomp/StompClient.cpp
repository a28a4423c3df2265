#include "StompClient.h"

#include "StompProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace wst {

namespace {
// "cx,cy" -> {cx, cy}; anything unreadable counts as 0 (no heart-beats), as the spec allows.
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

QByteArray utf8(const QString &s)
{
    return s.toUtf8();
}
} // namespace

StompClient::StompClient(std::shared_ptr<const Protocol> protocol, ProtocolClientSink *sink)
    : ProtocolClient(std::move(protocol), sink)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, [this] { tick(); });
    m_clock.start();
}

StompClient::~StompClient() = default;

const StompProtocol &StompClient::stomp() const
{
    return static_cast<const StompProtocol &>(protocol());
}

void StompClient::opened()
{
    m_open = true;
    const ProtocolOptions &o = protocol().options();
    StompFrame connect = StompFrame::make("CONNECT");
    connect.headers = {
        { "accept-version", stomp().acceptVersion() },
        { "host", utf8(stomp().connectHost()) },
    };
    if (const QString login = o.string(QStringLiteral("login")); !login.isEmpty())
        connect.headers.append({ "login", utf8(login) });
    if (const QString passcode = o.string(QStringLiteral("passcode")); !passcode.isEmpty())
        connect.headers.append({ "passcode", utf8(passcode) });
    connect.headers.append({ "heart-beat",
        QByteArray::number(stomp().heartbeatOutMs()) + ',' + QByteArray::number(stomp().heartbeatInMs()) });
    m_connectHeaders = connect.headers;
    sendFrame(connect);
}

void StompClient::received(Kind, const QByteArray &payload)
{
    m_lastReceivedMs = m_clock.elapsed();
    m_silenceNoted = false;
    QString error;
    const QList<StompFrame> frames = StompFrame::parseAll(payload, &error);
    // A malformed frame is shown by decode() on its own row; the frames before it still count.
    for (const StompFrame &frame : frames)
        handle(frame);
}

void StompClient::closed()
{
    m_open = false;
    m_timer->stop();
    setNotReady();
    m_receipts.clear();
    const QMap<QString, QString> subscriptions = std::exchange(m_subscriptions, {});
    for (auto it = subscriptions.cbegin(); it != subscriptions.cend(); ++it) {
        ProtocolNotice ended;
        ended.type = ProtocolNotice::Type::OperationEnded;
        ended.id = it.key();
        ended.name = it.value();
        ended.data = tr("the connection closed");
        sink().notice(ended);
    }
}

void StompClient::handle(const StompFrame &frame)
{
    if (frame.heartbeat)
        return;
    if (frame.command == "CONNECTED")
        onConnected(frame);
    else if (frame.command == "RECEIPT")
        onReceipt(frame);
    else if (frame.command == "ERROR")
        onError(frame);
}

void StompClient::onConnected(const StompFrame &frame)
{
    m_version = frame.header("version", "1.0");
    // CONNECT's cx,cy against CONNECTED's sx,sy: each side beats at the slower of what one can
    // send and the other wants; 0 on either side turns that direction off.
    const auto [sx, sy] = heartBeatPair(frame.header("heart-beat", "0,0"));
    const int cx = stomp().heartbeatOutMs();
    const int cy = stomp().heartbeatInMs();
    m_sendEveryMs = cx > 0 && sy > 0 ? qMax(cx, sy) : 0;
    m_expectEveryMs = cy > 0 && sx > 0 ? qMax(cy, sx) : 0;
    int tickMs = 0;
    for (const int every : { m_sendEveryMs, m_expectEveryMs }) {
        if (every > 0)
            tickMs = tickMs == 0 ? every / 2 : qMin(tickMs, every / 2);
    }
    if (tickMs > 0)
        m_timer->start(qMax(10, tickMs));

    ProtocolNotice hs;
    hs.type = ProtocolNotice::Type::Handshake;
    hs.name = QStringLiteral("CONNECTED");
    hs.id = QString::fromUtf8(frame.header("session"));
    for (const auto &h : std::as_const(m_connectHeaders)) {
        hs.fields.append({ QStringLiteral("CONNECT ") + QString::fromUtf8(h.first),
            h.first == "passcode" ? QStringLiteral("***") : QString::fromUtf8(h.second) });
    }
    for (const auto &h : frame.headers)
        hs.fields.append({ QString::fromUtf8(h.first), QString::fromUtf8(h.second) });
    auto every = [](int ms) { return ms > 0 ? tr("every %1 ms").arg(ms) : tr("off"); };
    hs.fields.append({ tr("heart-beats sent"), every(m_sendEveryMs) });
    hs.fields.append({ tr("heart-beats expected"), every(m_expectEveryMs) });
    QJsonObject data;
    data.insert(QStringLiteral("version"), QString::fromUtf8(m_version));
    data.insert(QStringLiteral("server"), QString::fromUtf8(frame.header("server")));
    data.insert(QStringLiteral("session"), hs.id);
    data.insert(QStringLiteral("heartbeatOutMs"), m_sendEveryMs);
    data.insert(QStringLiteral("heartbeatInMs"), m_expectEveryMs);
    hs.data = data;
    sink().notice(hs);
    setReady();
}

void StompClient::onReceipt(const StompFrame &frame)
{
    const QByteArray id = frame.header("receipt-id");
    const auto it = m_receipts.constFind(id);
    if (it == m_receipts.cend())
        return; // a receipt nobody asked for: its row in the history is enough
    const Pending pending = *it;
    m_receipts.erase(it);
    ProtocolNotice reply;
    reply.type = ProtocolNotice::Type::Reply;
    reply.id = QString::fromUtf8(id);
    reply.name = pending.what;
    reply.rttUs = (m_clock.nsecsElapsed() - pending.sentNs) / 1000;
    reply.ticket = pending.ticket;
    for (const auto &h : frame.headers)
        reply.fields.append({ QString::fromUtf8(h.first), QString::fromUtf8(h.second) });
    sink().notice(reply);
    if (pending.disconnect)
        sink().closeConnection(1000, QStringLiteral("DISCONNECT"));
}

void StompClient::onError(const StompFrame &frame)
{
    const QByteArray receipt = frame.header("receipt-id");
    ProtocolNotice error;
    error.type = ProtocolNotice::Type::Error;
    error.id = QString::fromUtf8(receipt);
    error.name = QString::fromUtf8(frame.header("message"));
    if (const auto it = m_receipts.constFind(receipt); !receipt.isEmpty() && it != m_receipts.cend()) {
        error.fields.append({ tr("in answer to"), it->what });
        error.ticket = it->ticket;
        m_receipts.erase(it);
    }
    for (const auto &h : frame.headers)
        error.fields.append({ QString::fromUtf8(h.first), QString::fromUtf8(h.second) });
    const QJsonValue json = StompProtocol::bodyJson(frame.body);
    error.data = json.isUndefined() ? QJsonValue(QString::fromUtf8(frame.body)) : json;
    sink().notice(error);
    // The server closes after an ERROR (STOMP 1.2): no command can follow.
    setNotReady();
}

void StompClient::sendFrame(const StompFrame &frame)
{
    const QByteArray bytes = frame.serialize();
    // Text unless the body is not UTF-8 (stompjs does the same with binary bodies).
    if (bytes.isValidUtf8())
        sink().sendText(QString::fromUtf8(bytes));
    else
        sink().sendBinary(bytes);
    m_lastSentMs = m_clock.elapsed();
}

void StompClient::tick()
{
    const qint64 now = m_clock.elapsed();
    if (m_sendEveryMs > 0 && now - m_lastSentMs >= m_sendEveryMs / 2)
        sendFrame(StompFrame::heartBeat());
    if (m_expectEveryMs > 0 && !m_silenceNoted && now - m_lastReceivedMs > 2 * qint64(m_expectEveryMs)) {
        m_silenceNoted = true;
        sink().note(Kind::Error,
            tr("STOMP: no heart-beat from the server for %1 ms (negotiated: every %2 ms)")
                .arg(now - m_lastReceivedMs)
                .arg(m_expectEveryMs));
    }
}

void StompClient::addReceipt(
    StompFrame &frame, const ProtocolCommand &command, const QString &what, bool disconnect)
{
    QByteArray receipt = frame.header("receipt");
    if (receipt.isEmpty() && !command.expectReply && !disconnect)
        return;
    if (receipt.isEmpty()) {
        receipt = "rcpt-" + QByteArray::number(m_nextReceipt++);
        frame.setHeader("receipt", receipt);
    }
    m_receipts.insert(receipt, { what, m_clock.nsecsElapsed(), disconnect, command.ticket });
}

QString StompClient::check(const ProtocolCommand &command) const
{
    const QString &verb = command.verb;
    if (!StompProtocol::commandVerbs().contains(verb))
        return tr("STOMP cannot do \"%1\" (it can: %2).")
            .arg(verb, StompProtocol::commandVerbs().join(QStringLiteral(", ")));
    if ((verb == QLatin1String("subscribe") || verb == QLatin1String("send"))
        && command.name.trimmed().isEmpty())
        return tr("STOMP %1 needs a destination.").arg(verb.toUpper());
    const bool needsId = verb == QLatin1String("unsubscribe") || verb == QLatin1String("stop")
        || verb == QLatin1String("ack") || verb == QLatin1String("nack") || verb == QLatin1String("begin")
        || verb == QLatin1String("commit") || verb == QLatin1String("abort");
    if (needsId && command.id.trimmed().isEmpty()) {
        if (verb == QLatin1String("ack") || verb == QLatin1String("nack"))
            return tr("STOMP %1 needs the id of the message (its ack header).").arg(verb.toUpper());
        if (verb == QLatin1String("begin") || verb == QLatin1String("commit")
            || verb == QLatin1String("abort"))
            return tr("STOMP %1 needs a transaction id.").arg(verb.toUpper());
        return tr("STOMP UNSUBSCRIBE needs the subscription id.");
    }
    const QString ack = command.options.value(QStringLiteral("ack")).toString(QStringLiteral("auto"));
    if (verb == QLatin1String("subscribe") && ack != QLatin1String("auto") && ack != QLatin1String("client")
        && ack != QLatin1String("client-individual"))
        return tr("STOMP ack mode \"%1\" is not auto, client or client-individual.").arg(ack);
    for (const auto &h : command.headers) {
        if (h.first.isEmpty())
            return tr("A STOMP header has an empty name.");
    }
    return {};
}

QString StompClient::execute(const ProtocolCommand &command)
{
    if (!m_open)
        return tr("STOMP: the connection is closed.");
    const QString &verb = command.verb;
    const QString id = command.id.trimmed();
    const QString transaction = command.options.value(QStringLiteral("transaction")).toString();
    StompFrame frame;
    QString what;
    if (verb == QLatin1String("subscribe")) {
        QString subId = id;
        if (subId.isEmpty()) {
            do
                subId = QStringLiteral("sub-") + QString::number(m_nextSubscription++);
            while (m_subscriptions.contains(subId));
        }
        if (m_subscriptions.contains(subId))
            return tr("STOMP: there is already a subscription \"%1\".").arg(subId);
        const QString ack = command.options.value(QStringLiteral("ack")).toString(QStringLiteral("auto"));
        frame = StompFrame::make("SUBSCRIBE",
            { { "id", utf8(subId) }, { "destination", utf8(command.name) }, { "ack", utf8(ack) } });
        for (const auto &h : command.headers)
            frame.setHeader(utf8(h.first), utf8(h.second));
        what = QStringLiteral("SUBSCRIBE ") + command.name;
        addReceipt(frame, command, what);
        m_subscriptions.insert(subId, command.name);
        sendFrame(frame);
        ProtocolNotice started;
        started.type = ProtocolNotice::Type::OperationStarted;
        started.id = subId;
        started.name = command.name;
        started.fields = { { QStringLiteral("ack"), ack } };
        sink().notice(started);
        return {};
    }
    if (verb == QLatin1String("unsubscribe") || verb == QLatin1String("stop")) {
        const auto it = m_subscriptions.constFind(id);
        if (it == m_subscriptions.cend())
            return tr("STOMP: there is no subscription \"%1\".").arg(id);
        const QString destination = *it;
        m_subscriptions.erase(it);
        frame = StompFrame::make("UNSUBSCRIBE", { { "id", utf8(id) } });
        for (const auto &h : command.headers)
            frame.setHeader(utf8(h.first), utf8(h.second));
        addReceipt(frame, command, QStringLiteral("UNSUBSCRIBE ") + id);
        sendFrame(frame);
        ProtocolNotice ended;
        ended.type = ProtocolNotice::Type::OperationEnded;
        ended.id = id;
        ended.name = destination;
        ended.data = tr("unsubscribed");
        sink().notice(ended);
        return {};
    }
    if (verb == QLatin1String("send")) {
        QByteArray body = command.body;
        if (body.isEmpty() && !command.data.isUndefined() && !command.data.isNull()) {
            const QJsonValue &d = command.data;
            body = d.isString() ? utf8(d.toString())
                : d.isObject()  ? QJsonDocument(d.toObject()).toJson(QJsonDocument::Compact)
                : d.isArray()
                ? QJsonDocument(d.toArray()).toJson(QJsonDocument::Compact)
                : QJsonDocument(QJsonArray { d }).toJson(QJsonDocument::Compact).mid(1).chopped(1);
        }
        frame = StompFrame::make("SEND", { { "destination", utf8(command.name) } }, body);
        const bool json = !StompProtocol::bodyJson(body).isUndefined();
        frame.headers.append({ "content-type", QByteArray(json ? "application/json" : "text/plain") });
        for (const auto &h : command.headers)
            frame.setHeader(utf8(h.first), utf8(h.second));
        frame.setHeader("content-length", QByteArray::number(body.size()));
        what = QStringLiteral("SEND ") + command.name;
    } else if (verb == QLatin1String("ack") || verb == QLatin1String("nack")) {
        frame = StompFrame::make(utf8(verb.toUpper()));
        if (m_version == "1.2") {
            frame.headers.append({ "id", utf8(id) });
        } else {
            frame.headers.append({ "message-id", utf8(id) });
            const QString sub = command.options.value(QStringLiteral("subscription")).toString();
            if (!sub.isEmpty())
                frame.headers.append({ "subscription", utf8(sub) });
        }
        for (const auto &h : command.headers)
            frame.setHeader(utf8(h.first), utf8(h.second));
        what = verb.toUpper() + QLatin1Char(' ') + id;
    } else if (verb == QLatin1String("begin") || verb == QLatin1String("commit")
        || verb == QLatin1String("abort")) {
        frame = StompFrame::make(utf8(verb.toUpper()), { { "transaction", utf8(id) } });
        for (const auto &h : command.headers)
            frame.setHeader(utf8(h.first), utf8(h.second));
        what = verb.toUpper() + QLatin1Char(' ') + id;
    } else { // disconnect
        frame = StompFrame::make("DISCONNECT");
        addReceipt(frame, command, QStringLiteral("DISCONNECT"), true);
        setNotReady();
        sendFrame(frame);
        return {};
    }
    if (!transaction.isEmpty() && frame.command != "BEGIN" && frame.command != "COMMIT"
        && frame.command != "ABORT")
        frame.setHeader("transaction", utf8(transaction));
    addReceipt(frame, command, what);
    sendFrame(frame);
    return {};
}

} // namespace wst
