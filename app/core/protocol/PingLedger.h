#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>

namespace wst {

// The pings a side has sent and not yet seen answered, for round-trip times: a pong answers the
// oldest ping with the same payload (RFC 6455 5.5.3). Qt 6.4's own elapsedTime counts from the
// most recent ping, whichever it was (QT64-NOTES.md), so every side keeps one of these instead.
// Bounded: a peer that never answers costs at most MaxOutstanding entries (the oldest go first).
class PingLedger
{
public:
    static constexpr qsizetype MaxOutstanding = 1024;

    // A ping with this payload goes out now (or at nowNs on the caller's own clock).
    void sent(const QByteArray &payload);
    void sentAt(const QByteArray &payload, qint64 nowNs);
    // A pong with this payload came: the round trip (µs) of the oldest ping it answers, which
    // leaves the ledger; -1 when no ping of ours had this payload.
    qint64 answered(QByteArrayView payload);
    qint64 answeredAt(QByteArrayView payload, qint64 nowNs);
    void clear() { m_pending.clear(); }
    qsizetype outstanding() const { return m_pending.size(); }

private:
    struct Ping
    {
        QByteArray payload;
        qint64 sentNs = 0;
    };
    qint64 nowNs();
    QElapsedTimer m_clock;
    // In the order sent. Few are ever outstanding, so a scan beats a hash of lists.
    QList<Ping> m_pending;
};

} // namespace wst
