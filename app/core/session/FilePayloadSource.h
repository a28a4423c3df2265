#pragma once

#include "messages/MessageStore.h"

#include <QByteArray>
#include <QList>
#include <QString>

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

} // namespace wst
