#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace wst {

// Gives the memory of large messages back to the system once they are gone. Qt buffers a whole
// frame in the socket's read buffer, in pieces small enough for glibc to place in the network
// thread's heap; when they are freed, one small live allocation above them keeps the heap from
// shrinking, and the process stays 60 MB larger after one 60 MB echo (measured). malloc_trim(0)
// returns those free pages; it runs a little after a large message, and again while large sends
// are still draining.
class MemoryTrimmer : public QObject
{
    Q_OBJECT
public:
    // queuedBytes: how much is still waiting to be sent to clients.
    explicit MemoryTrimmer(std::function<qint64()> queuedBytes, QObject *parent = nullptr);

    // A message of this size was received, sent or dropped.
    void noteMessage(qint64 bytes);

    static constexpr qint64 LargeBytes = qint64(1) << 20;
    static constexpr int DelayMs = 200;

private:
    void trim();

    std::function<qint64()> m_queuedBytes;
    QTimer *m_timer = nullptr; // a child: it moves to the network thread with us
    qint64 m_lastQueued = -1;
};

} // namespace wst
