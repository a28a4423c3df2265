#include "StreamSampler.h"

#include "MessageStore.h"

#include <QElapsedTimer>

namespace wst {

StreamSampler::StreamSampler(std::shared_ptr<const MessageStore> store, QObject *parent)
    : StreamSampler(std::move(store), StreamStats::Options(), parent)
{
}

StreamSampler::StreamSampler(
    std::shared_ptr<const MessageStore> store, StreamStats::Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(std::make_shared<StreamStats>(std::move(store), options))
{
    m_options = m_stats->options();
    m_pool.setMaxThreadCount(1);
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &StreamSampler::refresh);
    m_timer.start();
}

StreamSampler::~StreamSampler()
{
    m_timer.stop();
    m_pool.waitForDone();
}

void StreamSampler::setInterval(int ms)
{
    if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.setInterval(ms);
    m_timer.start();
}

int StreamSampler::interval() const
{
    return m_timer.isActive() ? m_timer.interval() : 0;
}

namespace {

// The path trimmed into *out when it is empty or parses; otherwise false with the parser's reason.
bool acceptPath(const QString &path, QString *out, QString *error)
{
    const QString trimmed = path.trimmed();
    QString reason;
    if (!trimmed.isEmpty() && !JsonPath::parse(trimmed, &reason)) {
        if (error)
            *error = reason;
        return false;
    }
    if (error)
        error->clear();
    *out = trimmed;
    return true;
}

} // namespace

bool StreamSampler::setValuePath(const QString &path, QString *error)
{
    if (!acceptPath(path, &m_valuePath, error))
        return false;
    m_pendingValuePath = m_valuePath;
    return true;
}

bool StreamSampler::setTopPath(const QString &path, QString *error)
{
    if (!acceptPath(path, &m_topPath, error))
        return false;
    m_pendingTopPath = m_topPath;
    return true;
}

void StreamSampler::reset()
{
    m_pendingReset = true;
}

void StreamSampler::refresh()
{
    if (m_running)
        return;
    // The worker is idle: the stats are this thread's until the job starts.
    if (m_pendingReset) {
        m_stats->reset();
        m_pendingReset = false;
    }
    if (m_pendingValuePath) {
        m_stats->setValuePath(*m_pendingValuePath);
        m_pendingValuePath.reset();
    }
    if (m_pendingTopPath) {
        m_stats->setTopPath(*m_pendingTopPath);
        m_pendingTopPath.reset();
    }
    m_running = true;
    const std::shared_ptr<StreamStats> stats = m_stats;
    const int seconds = m_options.windowSeconds;
    m_pool.start([this, stats, seconds] {
        QElapsedTimer timer;
        timer.start();
        const StreamStats::Work work = stats->update();
        StreamStats::Snapshot snapshot = stats->snapshot(nowUs(), seconds);
        const qint64 elapsed = timer.nsecsElapsed() / 1000;
        // The destructor waits for this job, so `this` is alive; a queued call to an object
        // deleted meanwhile is dropped by Qt.
        QMetaObject::invokeMethod(
            this,
            [this, snapshot = std::move(snapshot), work, elapsed]() mutable {
                finished(std::move(snapshot), work, elapsed);
            },
            Qt::QueuedConnection);
    });
}

void StreamSampler::finished(StreamStats::Snapshot snapshot, StreamStats::Work work, qint64 elapsedUs)
{
    m_running = false;
    m_snapshot = std::move(snapshot);
    m_work += work;
    ++m_updates;
    m_lastUpdateUs = elapsedUs;
    Q_EMIT updated();
}

} // namespace wst
