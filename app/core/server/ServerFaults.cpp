#include "ServerFaults.h"

#include <QTimer>

namespace wst {

ServerFaults::ServerFaults(Sink *sink, QObject *parent)
    : QObject(parent)
    , m_sink(sink)
{
}

ServerFaults::~ServerFaults() = default;

void ServerFaults::start(const FaultPlan &plan)
{
    stop();
    m_plan = plan;
    m_refused = 0;
    m_clock.start();
    // A seed of its own each start unless one is given; the history names it so that a run
    // can be made again.
    m_seed = plan.seed != 0 ? plan.seed : (QRandomGenerator::global()->generate() | 1u);
    if (!plan.isEmpty())
        m_sink->note(0, tr("Faults on: %1 (seed %2).").arg(plan.describe()).arg(m_seed));
}

void ServerFaults::stop()
{
    for (auto &[id, state] : m_clients)
        delete state->guard;
    m_clients.clear();
}

bool ServerFaults::refuseNext(int *status, QString *why)
{
    if (m_refused >= m_plan.refuseCount)
        return false;
    ++m_refused;
    *status = m_plan.refuseStatus;
    *why = tr("fault: refused handshake %1 of %2").arg(m_refused).arg(m_plan.refuseCount);
    return true;
}

ServerFaults::ClientState *ServerFaults::find(quint32 id)
{
    const auto it = m_clients.find(id);
    return it == m_clients.end() ? nullptr : it->second.get();
}

void ServerFaults::opened(quint32 id)
{
    if (m_plan.isEmpty())
        return;
    auto state = std::make_unique<ClientState>();
    // Per client, so that one client's share of drops does not depend on how the others' messages interleave.
    state->random.seed(m_seed + id);
    state->guard = new QObject(this);
    state->queueTimer = new QTimer(state->guard);
    state->queueTimer->setSingleShot(true);
    connect(state->queueTimer, &QTimer::timeout, this, [this, id] { releaseDue(id); });
    QObject *guard = state->guard;
    m_clients[id] = std::move(state);
    auto arm = [this, id, guard](bool abort, const FaultPlan::Trigger &t) {
        if (t.messages > 0)
            return;
        // Queued even with no delay: the server is still setting the client up.
        QTimer::singleShot(t.ms, guard, [this, id, abort, t] {
            if (ClientState *s = find(id))
                end(id, *s, abort, t.ms > 0 ? tr("after %1 ms").arg(t.ms) : tr("on connect"));
        });
    };
    if (m_plan.closeCode != 0)
        arm(false, m_plan.closeAfter);
    if (m_plan.abort)
        arm(true, m_plan.abortAfter);
    if (m_plan.stopReading && m_plan.stopReadingAfter.messages == 0) {
        const int ms = m_plan.stopReadingAfter.ms;
        QTimer::singleShot(ms, guard, [this, id, ms] {
            if (ClientState *s = find(id))
                stopReading(id, *s, ms > 0 ? tr("after %1 ms").arg(ms) : tr("on connect"));
        });
    }
}

void ServerFaults::closed(quint32 id)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    delete it->second->guard;
    m_clients.erase(it);
}

void ServerFaults::send(quint32 id, Kind kind, const QByteArray &payload)
{
    ClientState *state = find(id);
    if (!state) {
        m_sink->deliver(id, kind, payload, 1);
        return;
    }
    if (state->ended)
        return;
    const qint64 number = ++state->offered;
    if (m_plan.dropPercent > 0 && int(state->random.bounded(100)) < m_plan.dropPercent) {
        m_sink->note(
            id, tr("Fault: dropped message %1 (%2 bytes), not sent.").arg(number).arg(payload.size()));
        return;
    }
    int delay = m_plan.delayMs;
    if (m_plan.jitterMs > 0)
        delay += int(state->random.bounded(2 * m_plan.jitterMs + 1)) - m_plan.jitterMs;
    delay = qMax(0, delay);
    const qint64 now = m_clock.elapsed();
    // Never before a message queued earlier: TCP does not reorder, and neither does this.
    const qint64 due = qMax(now + delay, state->lastDueMs);
    state->lastDueMs = due;
    Pending message { due, kind, payload, number };
    if (due <= now && state->queue.empty()) {
        deliverNow(id, *state, message);
        return;
    }
    m_sink->note(id, tr("Fault: delayed message %1 by %2 ms.").arg(number).arg(due - now));
    state->queue.push_back(std::move(message));
    if (!state->queueTimer->isActive())
        state->queueTimer->start(int(qMax<qint64>(0, state->queue.front().dueMs - now)));
}

void ServerFaults::releaseDue(quint32 id)
{
    ClientState *state = find(id);
    while (state && !state->queue.empty() && state->queue.front().dueMs <= m_clock.elapsed()) {
        const Pending message = std::move(state->queue.front());
        state->queue.pop_front();
        if (!state->ended)
            deliverNow(id, *state, message);
        state = find(id); // delivering may have ended the client
    }
    if (state && !state->queue.empty())
        state->queueTimer->start(int(qMax<qint64>(0, state->queue.front().dueMs - m_clock.elapsed())));
}

void ServerFaults::deliverNow(quint32 id, ClientState &state, const Pending &message)
{
    if (m_plan.corrupt != FaultPlan::Corruption::None && message.number == m_plan.corruptAt) {
        const QString what[] = { QString(), tr("invalid UTF-8"), tr("reserved opcode 3"), tr("RSV1-3 set") };
        m_sink->note(id,
            tr("Fault: message %1 sent as a broken frame (%2).")
                .arg(message.number)
                .arg(what[int(m_plan.corrupt)]));
        m_sink->writeRaw(
            id, message.kind, message.payload, corruptFrame(m_plan.corrupt, message.kind, message.payload));
    } else {
        int frames = 1;
        if (m_plan.fragments > 1 && message.payload.size() > 1) {
            const qsizetype size = (message.payload.size() + m_plan.fragments - 1) / m_plan.fragments;
            frames = int((message.payload.size() + size - 1) / size);
            m_sink->note(id, tr("Fault: message %1 sent in %2 frames.").arg(message.number).arg(frames));
        }
        m_sink->deliver(id, message.kind, message.payload, frames);
    }
    if (ClientState *s = find(id); s == &state)
        afterDelivered(id, state);
}

void ServerFaults::afterDelivered(quint32 id, ClientState &state)
{
    ++state.delivered;
    const QString when = FaultPlan::afterMessages(state.delivered);
    if (m_plan.stopReading && m_plan.stopReadingAfter.messages == state.delivered)
        stopReading(id, state, when);
    if (m_plan.closeCode != 0 && m_plan.closeAfter.messages == state.delivered)
        end(id, state, false, when);
    else if (m_plan.abort && m_plan.abortAfter.messages == state.delivered)
        end(id, state, true, when);
}

void ServerFaults::end(quint32 id, ClientState &state, bool abort, const QString &when)
{
    if (state.ended)
        return;
    state.ended = true;
    if (abort) {
        const QString why = tr("Fault: dropped the connection without a Close %1.").arg(when);
        m_sink->note(id, why);
        m_sink->abort(id, why);
    } else {
        m_sink->note(id, tr("Fault: closed with %1 %2.").arg(m_plan.closeCode).arg(when));
        m_sink->close(id, m_plan.closeCode, m_plan.closeReason);
    }
}

void ServerFaults::stopReading(quint32 id, ClientState &state, const QString &when)
{
    if (state.notReading)
        return;
    state.notReading = true;
    m_sink->note(id, tr("Fault: stopped reading from this client %1.").arg(when));
    m_sink->stopReading(id);
}

QByteArray ServerFaults::corruptFrame(FaultPlan::Corruption how, Kind kind, const QByteArray &payload)
{
    quint8 first = 0x80 | (kind == Kind::Binary ? 0x2 : 0x1);
    QByteArray body = payload;
    switch (how) {
    case FaultPlan::Corruption::Utf8:
        first = 0x81;
        body += "\xff\xfe"; // bytes that never occur in UTF-8
        break;
    case FaultPlan::Corruption::Opcode:
        first = 0x83;
        break;
    case FaultPlan::Corruption::Rsv:
        first |= 0x70;
        break;
    case FaultPlan::Corruption::None:
        break;
    }
    QByteArray frame;
    frame.append(char(first));
    const quint64 n = quint64(body.size());
    if (n < 126) {
        frame.append(char(n));
    } else if (n <= 0xffff) {
        frame.append(char(126));
        frame.append(char(n >> 8));
        frame.append(char(n & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((n >> shift) & 0xff));
    }
    return frame + body;
}

} // namespace wst
