#pragma once

#include "SessionRecorder.h"
#include "protocol/HandshakeRecord.h"
#include "messages/MessageStore.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QVariantMap>

#include <functional>
#include <list>
#include <memory>
#include <mutex>

struct sqlite3;
struct sqlite3_stmt;

namespace wst {

// Reads payloads back from a session file for the rows that were loaded without them. Reads a
// block of neighbouring rows at a time and keeps the most recent blocks (a bounded cache), so
// scrolling and filtering read the file sequentially. Safe to call from any thread.
class FilePayloadSource : public PayloadSource
{
public:
    ~FilePayloadSource() override;
    static std::shared_ptr<FilePayloadSource> open(const QString &path, QString *error);

    QByteArray read(quint64 reference, quint32 size) override;

    static constexpr quint64 BlockRows = 256;
    static constexpr qint64 CacheBytes = qint64(32) << 20;

private:
    FilePayloadSource() = default;
    struct Block
    {
        quint64 first = 0;
        QList<QByteArray> payloads; // by id - first
        qint64 bytes = 0;
    };
    QByteArray readOne(quint64 reference);

    std::mutex m_mutex;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_blockQuery = nullptr;
    std::list<Block> m_cache; // most recently used first
    qint64 m_cacheBytes = 0;
};

struct SessionHandshake
{
    quint32 conn = 0;
    qint64 timeUs = 0;
    HandshakeRecord record;
};

// What a session file holds besides the histories.
struct SessionContents
{
    QVariantMap meta;
    QList<SessionTab> tabs; // by position
    QHash<qint64, QList<SessionHandshake>> handshakes; // by tab, oldest first
    QHash<qint64, QJsonArray> savedMessages; // by tab; 0: the session's own
    QHash<qint64, qint64> messageCounts; // by tab
};

// Reads everything but the histories (checks the file first). False with *error on failure.
bool readSessionContents(const QString &path, SessionContents *contents, QString *error);

// Appends the tab's history to `store` (row i is seq i), payloads left in the file and read
// through `payloads`. `progress` is called now and then with the rows loaded so far; returning
// false stops. Returns the rows loaded, or -1 with *error.
qint64 loadSessionHistory(const QString &path, qint64 tabId, MessageStore &store,
                          const std::shared_ptr<PayloadSource> &payloads, QString *error,
                          const std::function<bool(qint64 rows)> &progress = {});

} // namespace wst
