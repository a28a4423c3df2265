#include "FilePayloadSource.h"

#include <QCoreApplication>
#include <QFile>

#include <sqlite3.h>

#include <utility>
#include <vector>

namespace wst {

FilePayloadSource::~FilePayloadSource()
{
    sqlite3_finalize(m_blockQuery);
    sqlite3_close(m_db);
    for (Reader &reader : m_idleReaders)
        closeReader(&reader);
}

std::shared_ptr<FilePayloadSource> FilePayloadSource::open(const QString &path, QString *error)
{
    std::shared_ptr<FilePayloadSource> source(new FilePayloadSource);
    source->m_path = path;
    if (!source->openLocked(error))
        return {};
    return source;
}

bool FilePayloadSource::openReader(Reader *reader, QString *error) const
{
    // Each connection is used by one thread at a time (under m_mutex, or by the one scan that
    // took it): SQLite's own lock around each call (FULLMUTEX) would only add four lock pairs
    // to every row a scan reads.
    const int rc = sqlite3_open_v2(QFile::encodeName(m_path).constData(), &reader->db,
        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be opened: %2")
                         .arg(m_path,
                             QString::fromUtf8(reader->db ? sqlite3_errmsg(reader->db) : sqlite3_errstr(rc)));
        closeReader(reader);
        return false;
    }
    // While the writer closes the file (its switch back to a rollback journal) a read is briefly
    // busy: wait for it, or a scan would hand out rows without their payloads (ASan's timing
    // showed it in tst_StoreEviction::scansReadTheFileInParallel).
    sqlite3_busy_timeout(reader->db, 5000);
    if (sqlite3_prepare_v2(reader->db, "SELECT id, payload FROM messages WHERE id BETWEEN ? AND ?", -1,
            &reader->query, nullptr)
        != SQLITE_OK) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be read: %2")
                         .arg(m_path, QString::fromUtf8(sqlite3_errmsg(reader->db)));
        closeReader(reader);
        return false;
    }
    return true;
}

void FilePayloadSource::closeReader(Reader *reader)
{
    sqlite3_finalize(std::exchange(reader->query, nullptr));
    sqlite3_close(std::exchange(reader->db, nullptr));
}

bool FilePayloadSource::openLocked(QString *error)
{
    if (m_blockQuery)
        return true;
    Reader reader;
    if (!openReader(&reader, error))
        return false;
    m_db = reader.db;
    m_blockQuery = reader.query;
    return true;
}

void FilePayloadSource::release()
{
    std::lock_guard lock(m_mutex);
    sqlite3_finalize(std::exchange(m_blockQuery, nullptr));
    sqlite3_close(std::exchange(m_db, nullptr));
    for (Reader &reader : m_idleReaders)
        closeReader(&reader);
    m_idleReaders.clear();
    ++m_generation; // a scan under way closes its connection at its next piece
}

FilePayloadSource::Reader FilePayloadSource::takeReader()
{
    std::lock_guard lock(m_mutex);
    Reader reader;
    if (!m_idleReaders.empty()) {
        reader = m_idleReaders.back();
        m_idleReaders.pop_back();
        return reader;
    }
    reader.generation = m_generation;
    openReader(&reader, nullptr); // on failure db stays null and the scan ends
    return reader;
}

void FilePayloadSource::giveBack(Reader reader)
{
    std::lock_guard lock(m_mutex);
    if (reader.db && reader.generation == m_generation && m_idleReaders.size() < 2)
        m_idleReaders.push_back(reader);
    else
        closeReader(&reader);
}

QByteArray FilePayloadSource::readOne(quint64 reference)
{
    QByteArray bytes;
    sqlite3_bind_int64(m_blockQuery, 1, sqlite3_int64(reference));
    sqlite3_bind_int64(m_blockQuery, 2, sqlite3_int64(reference));
    if (sqlite3_step(m_blockQuery) == SQLITE_ROW) {
        bytes = QByteArray(static_cast<const char *>(sqlite3_column_blob(m_blockQuery, 1)),
            sqlite3_column_bytes(m_blockQuery, 1));
    }
    sqlite3_reset(m_blockQuery);
    return bytes;
}

QByteArray FilePayloadSource::read(quint64 reference, quint32 size)
{
    std::lock_guard lock(m_mutex);
    if (!openLocked(nullptr))
        return {};
    // A large payload is read alone: its neighbours would fill the cache for nothing.
    if (size > 64 * 1024)
        return readOne(reference);
    const quint64 first = reference - reference % BlockRows;
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
        if (it->first == first && reference >= it->end) {
            // Read while the row was not committed yet: read the block again.
            m_cacheBytes -= it->bytes;
            m_cache.erase(it);
            break;
        }
        if (it->first == first) {
            if (it != m_cache.begin())
                m_cache.splice(m_cache.begin(), m_cache, it);
            const quint64 slot = reference - first;
            return slot < quint64(it->payloads.size()) ? it->payloads.at(qsizetype(slot)) : QByteArray();
        }
    }
    Block block;
    block.first = first;
    block.payloads.resize(qsizetype(BlockRows));
    block.end = first;
    sqlite3_bind_int64(m_blockQuery, 1, sqlite3_int64(first));
    sqlite3_bind_int64(m_blockQuery, 2, sqlite3_int64(first + BlockRows - 1));
    while (sqlite3_step(m_blockQuery) == SQLITE_ROW) {
        const quint64 id = quint64(sqlite3_column_int64(m_blockQuery, 0));
        const int bytes = sqlite3_column_bytes(m_blockQuery, 1);
        block.end = id + 1;
        if (bytes > 64 * 1024)
            continue; // read alone when asked for
        block.payloads[qsizetype(id - first)]
            = QByteArray(static_cast<const char *>(sqlite3_column_blob(m_blockQuery, 1)), bytes);
        block.bytes += bytes;
    }
    sqlite3_reset(m_blockQuery);
    const QByteArray result = block.payloads.at(qsizetype(reference - first));
    m_cacheBytes += block.bytes;
    m_cache.push_front(std::move(block));
    while (m_cacheBytes > CacheBytes && m_cache.size() > 1) {
        m_cacheBytes -= m_cache.back().bytes;
        m_cache.pop_back();
    }
    return result;
}

void FilePayloadSource::scan(
    quint64 first, quint64 last, const std::function<bool(quint64, QByteArrayView)> &visit)
{
    // A piece is copied out of SQLite and visited after it: a visitor may read another payload
    // (this source again) without holding the reader's statement open.
    Reader reader = takeReader();
    QByteArray bytes;
    std::vector<std::pair<quint64, qsizetype>> rows; // id, end offset in bytes
    for (quint64 from = first; reader.db && from <= last; from += ScanRows) {
        {
            // After release() the file is opened again, as read() does.
            std::lock_guard lock(m_mutex);
            if (reader.generation != m_generation) {
                closeReader(&reader);
                reader.generation = m_generation;
                if (!openReader(&reader, nullptr))
                    break;
            }
        }
        const quint64 to = qMin(last, from + ScanRows - 1);
        bytes.clear();
        rows.clear();
        sqlite3_bind_int64(reader.query, 1, sqlite3_int64(from));
        sqlite3_bind_int64(reader.query, 2, sqlite3_int64(to));
        while (sqlite3_step(reader.query) == SQLITE_ROW) {
            bytes.append(static_cast<const char *>(sqlite3_column_blob(reader.query, 1)),
                sqlite3_column_bytes(reader.query, 1));
            rows.emplace_back(quint64(sqlite3_column_int64(reader.query, 0)), bytes.size());
        }
        sqlite3_reset(reader.query);
        qsizetype at = 0;
        bool stopped = false;
        for (const auto &[id, end] : rows) {
            if (!visit(id, QByteArrayView(bytes.constData() + at, end - at))) {
                stopped = true;
                break;
            }
            at = end;
        }
        if (stopped || to == last)
            break;
    }
    giveBack(reader);
}

} // namespace wst
