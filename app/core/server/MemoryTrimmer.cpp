#include "MemoryTrimmer.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace wst {

MemoryTrimmer::MemoryTrimmer(std::function<qint64()> queuedBytes, QObject *parent)
    : QObject(parent)
    , m_queuedBytes(std::move(queuedBytes))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(DelayMs);
    connect(m_timer, &QTimer::timeout, this, &MemoryTrimmer::trim);
}

void MemoryTrimmer::noteMessage(qint64 bytes)
{
    if (bytes >= LargeBytes && !m_timer->isActive())
        m_timer->start();
}

void MemoryTrimmer::trim()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    // Sends still draining free their buffers as they go: look again while the queue shrinks,
    // but not for ever behind a client that stopped reading (it is dropped at its limit).
    const qint64 queued = m_queuedBytes ? m_queuedBytes() : 0;
    if (queued >= LargeBytes && (m_lastQueued < 0 || queued < m_lastQueued)) {
        m_lastQueued = queued;
        m_timer->start();
    } else {
        m_lastQueued = -1;
    }
}

} // namespace wst
