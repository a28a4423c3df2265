#pragma once

#include "SessionTab.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QSqlDatabase>
#include <QVariant>

#include <atomic>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

class QTimer;

namespace wst {

class MessageStore;
class FilePayloadSource;

// The writer thread's side of a SessionRecorder: the only user of the file's database
// connection. Every method but the counters runs in the writer's thread; SessionRecorder calls
// them there in the order its own methods were called.
class SessionWriter : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~SessionWriter() override;

    // Opens (creating or replacing an unfinished file, see Schema::openForWriting) and starts the
    // batch timer. *notice: a line for the user when the file was replaced.
    bool openDatabase(const QString &path, QString *error, QString *notice);
    void closeDatabase();

    // The largest ids already in the file (so that new ones continue them).
    qint64 maxTabId() const { return m_maxTabId; }
    qint64 maxHandshakeId() const { return m_maxHandshakeId; }

    // Records the store's rows from `firstRow` on as the tab's history. Tells the store which
    // rows the file holds, so that past the budget their payloads leave memory (see
    // MessageStore::markPersisted).
    void addSource(qint64 tabId, std::shared_ptr<MessageStore> store, qint64 firstRow);
    // Payload bytes a tab's store keeps in memory before the oldest recorded ones are read back
    // from the file instead (0: never).
    void setMemoryBudget(qint64 bytes);
    // Writes what is pending, then stops following the tab's store.
    void removeSource(qint64 tabId);

    // Writes every row the stores have gained, in one transaction.
    void writeRows();
    void writeTab(const SessionTab &tab);
    void removeTab(qint64 id);
    void writeHandshake(qint64 id, qint64 tabId, quint32 conn, qint64 timeUs, const HandshakeRecord &record,
        const QString &side = QString());
    void writeMeta(const QString &key, const QVariant &value);
    void writeSavedMessages(qint64 tabId, const QJsonArray &messages);
    // Returns the error, or empty with *generation set to the changes the copy holds.
    QString saveAs(const QString &target, bool keepSecrets, qint64 *generation);

    // Safe from any thread.
    qint64 rowsWritten() const { return m_rowsWritten.load(std::memory_order_relaxed); }
    qint64 changes() const { return m_changes.load(std::memory_order_relaxed); }

Q_SIGNALS:
    void written();
    void failed(const QString &error);

private:
    struct Source
    {
        std::shared_ptr<MessageStore> store;
        qint64 written = 0;
    };
    void evict(qint64 tabId, Source &source, const QList<qint64> &masked);

    static int walHook(void *writer, sqlite3 *, const char *, int pages);
    void checkpoint(sqlite3 *db);
    bool exec(const QString &sql, const QVariantList &values);
    void changed();
    void reportFailure(const QString &why);

public:
    static constexpr qint64 DefaultMemoryBudget = qint64(256) << 20;

private:
    static constexpr int BatchRows = 32;
    static constexpr qint64 MaxCommitRows = 200000; // rows of one source in one transaction
    static constexpr int WriterNice = 5;
    static constexpr int CheckpointPages = 4096; // SQLite's default for its automatic checkpoint
    static constexpr int MaxWalPages = 65536; // 256 MiB of 4 KiB pages: checkpoint even in a flood
    static constexpr qint64 QuietBatchRows = 10000; // fewer rows per 100 ms: the writer is not pressed

    QSqlDatabase m_db;
    QString m_path;
    qint64 m_budget = DefaultMemoryBudget;
    std::shared_ptr<FilePayloadSource> m_payloads; // the file read back, opened at the first eviction
    QHash<qint64, Source> m_sources;
    std::atomic<qint64> m_rowsWritten { 0 };
    std::atomic<qint64> m_changes { 0 };
    qint64 m_maxTabId = 0;
    qint64 m_maxHandshakeId = 0;
    int m_walPages = 0;
    sqlite3_stmt *m_insert = nullptr;
    sqlite3_stmt *m_insertBatch = nullptr;
    QTimer *m_timer = nullptr;
    bool m_failing = false;
};

} // namespace wst
