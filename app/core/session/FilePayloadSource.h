#pragma once

#include "messages/MessageStore.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <list>
#include <memory>
#include <mutex>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace wst {

// Reads payloads back from a session file for the rows that were loaded without them, or that
// left memory (MessageStore's eviction) while the writer goes on writing the file. Reads a
// block of neighbouring rows at a time and keeps the most recent blocks (a bounded cache), so
// scrolling and filtering read the file sequentially. Safe to call from any thread.
class FilePayloadSource : public PayloadSource
{
public:
    ~FilePayloadSource() override;
    static std::shared_ptr<FilePayloadSource> open(const QString &path, QString *error);

    QByteArray read(quint64 reference, quint32 size) override;
    // Closes the file until the next read (which opens it again): lets the writer of a live
    // file turn it back into one self-contained file when it closes.
    void release();
    // In pieces of ScanRows, one query each; the cache is left as it was. Each scan reads
    // through a connection of its own, so scans in several threads read the file in parallel.
    void scan(
        quint64 first, quint64 last, const std::function<bool(quint64, QByteArrayView)> &visit) override;

    static constexpr quint64 BlockRows = 256;
    static constexpr qint64 CacheBytes = qint64(32) << 20;
    static constexpr quint64 ScanRows = 1024;

private:
    FilePayloadSource() = default;
    struct Block
    {
        quint64 first = 0;
        quint64 end = 0; // ids from here on were not in the file yet (a live capture's file)
        QList<QByteArray> payloads; // by id - first
        qint64 bytes = 0;
    };
    // A connection and its range query, for one scan at a time.
    struct Reader
    {
        sqlite3 *db = nullptr;
        sqlite3_stmt *query = nullptr;
        quint64 generation = 0; // release() closes what is older
    };
    QByteArray readOne(quint64 reference);
    bool openLocked(QString *error);
    bool openReader(Reader *reader, QString *error) const;
    static void closeReader(Reader *reader);
    Reader takeReader();
    void giveBack(Reader reader);

    QString m_path;

    std::mutex m_mutex;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_blockQuery = nullptr;
    std::list<Block> m_cache; // most recently used first
    qint64 m_cacheBytes = 0;
    std::vector<Reader> m_idleReaders; // a few kept open between scans
    quint64 m_generation = 0;
};

} // namespace wst
