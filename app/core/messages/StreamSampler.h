#pragma once

#include "StreamStats.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <optional>

namespace wst {

class MessageStore;

// Runs a StreamStats over a store on a worker thread a few times a second and hands the GUI
// thread a snapshot: the GUI thread never reads rows or parses payloads for the charts. One
// update runs at a time; a tick that finds one still running is skipped.
class StreamSampler : public QObject
{
    Q_OBJECT
public:
    explicit StreamSampler(std::shared_ptr<const MessageStore> store, QObject *parent = nullptr);
    StreamSampler(
        std::shared_ptr<const MessageStore> store, StreamStats::Options options, QObject *parent = nullptr);
    // Waits for a running update.
    ~StreamSampler() override;

    // Milliseconds between updates (default 250); 0 stops the timer (refresh() still works).
    void setInterval(int ms);
    int interval() const;

    // Checked at once (false and *error for a bad path), applied before the next update.
    bool setValuePath(const QString &path, QString *error = nullptr);
    bool setTopPath(const QString &path, QString *error = nullptr);
    QString valuePath() const { return m_valuePath; }
    QString topPath() const { return m_topPath; }
    // Starts again from the store's end before the next update.
    void reset();

    // Starts an update now unless one is running.
    void refresh();
    bool isUpdating() const { return m_running; }

    // The latest snapshot (the window's whole span) and what the updates cost the worker.
    const StreamStats::Snapshot &snapshot() const { return m_snapshot; }
    StreamStats::Work totalWork() const { return m_work; }
    qint64 updates() const { return m_updates; }
    qint64 lastUpdateUs() const { return m_lastUpdateUs; }
    int windowSeconds() const { return m_options.windowSeconds; }

Q_SIGNALS:
    void updated();

private:
    void finished(StreamStats::Snapshot snapshot, StreamStats::Work work, qint64 elapsedUs);

    StreamStats::Options m_options;
    std::shared_ptr<StreamStats> m_stats;
    QThreadPool m_pool;
    QTimer m_timer;
    bool m_running = false;
    std::optional<QString> m_pendingValuePath;
    std::optional<QString> m_pendingTopPath;
    bool m_pendingReset = false;
    QString m_valuePath;
    QString m_topPath;
    StreamStats::Snapshot m_snapshot;
    StreamStats::Work m_work;
    qint64 m_updates = 0;
    qint64 m_lastUpdateUs = 0;
};

} // namespace wst
