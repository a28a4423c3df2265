#include "PingLedger.h"

namespace wst {

qint64 PingLedger::nowNs()
{
    if (!m_clock.isValid())
        m_clock.start();
    return m_clock.nsecsElapsed();
}

void PingLedger::sent(const QByteArray &payload)
{
    sentAt(payload, nowNs());
}

void PingLedger::sentAt(const QByteArray &payload, qint64 nowNs)
{
    if (m_pending.size() >= MaxOutstanding)
        m_pending.removeFirst();
    m_pending.append({ payload, nowNs });
}

qint64 PingLedger::answered(QByteArrayView payload)
{
    if (m_pending.isEmpty())
        return -1;
    return answeredAt(payload, nowNs());
}

qint64 PingLedger::answeredAt(QByteArrayView payload, qint64 nowNs)
{
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).payload == payload) {
            const qint64 rttUs = (nowNs - m_pending.at(i).sentNs) / 1000;
            m_pending.remove(i);
            return rttUs;
        }
    }
    return -1;
}

} // namespace wst
