#include "SessionHistory.h"

#include "HandshakeJson.h"
#include "SessionSchema.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace wst {

namespace {

sqlite3 *openRaw(const QString &path, QString *error)
{
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &db,
                                   SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be opened: %2")
                         .arg(path, QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
        sqlite3_close(db);
        return nullptr;
    }
    return db;
}

QJsonObject jsonObject(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

} // namespace

FilePayloadSource::~FilePayloadSource()
{
    sqlite3_finalize(m_blockQuery);
    sqlite3_close(m_db);
}

std::shared_ptr<FilePayloadSource> FilePayloadSource::open(const QString &path, QString *error)
{
    std::shared_ptr<FilePayloadSource> source(new FilePayloadSource);
    source->m_db = openRaw(path, error);
    if (!source->m_db)
        return {};
    if (sqlite3_prepare_v2(source->m_db, "SELECT id, payload FROM messages WHERE id BETWEEN ? AND ?", -1,
                           &source->m_blockQuery, nullptr)
        != SQLITE_OK) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be read: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(source->m_db)));
        return {};
    }
    return source;
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
    // A large payload is read alone: its neighbours would fill the cache for nothing.
    if (size > 64 * 1024)
        return readOne(reference);
    const quint64 first = reference - reference % BlockRows;
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
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
    sqlite3_bind_int64(m_blockQuery, 1, sqlite3_int64(first));
    sqlite3_bind_int64(m_blockQuery, 2, sqlite3_int64(first + BlockRows - 1));
    while (sqlite3_step(m_blockQuery) == SQLITE_ROW) {
        const quint64 id = quint64(sqlite3_column_int64(m_blockQuery, 0));
        const int bytes = sqlite3_column_bytes(m_blockQuery, 1);
        if (bytes > 64 * 1024)
            continue; // read alone when asked for
        block.payloads[qsizetype(id - first)] =
            QByteArray(static_cast<const char *>(sqlite3_column_blob(m_blockQuery, 1)), bytes);
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

bool readSessionContents(const QString &path, SessionContents *contents, QString *error)
{
    QSqlDatabase db = Schema::openReadOnly(path, error);
    if (!db.isOpen())
        return false;
    auto fail = [&](const QSqlQuery &query) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 is damaged: %2").arg(path, query.lastError().text());
        Schema::close(db);
        return false;
    };
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT key, value FROM meta")))
            return fail(query);
        while (query.next())
            contents->meta.insert(query.value(0).toString(), query.value(1));

        if (!query.exec(QStringLiteral("SELECT id, position, kind, title, url, settings, read_only, created_us FROM tabs"
                                       " ORDER BY position, id")))
            return fail(query);
        while (query.next()) {
            SessionTab tab;
            tab.id = query.value(0).toLongLong();
            tab.position = query.value(1).toInt();
            tab.kind = query.value(2).toString();
            tab.title = query.value(3).toString();
            tab.url = query.value(4).toString();
            tab.settings = jsonObject(query.value(5));
            tab.readOnly = query.value(6).toInt() != 0;
            tab.createdUs = query.value(7).toLongLong();
            contents->tabs.append(tab);
        }

        if (!query.exec(QStringLiteral("SELECT tab, conn, time_us, request, response, response_body, details"
                                       " FROM handshakes ORDER BY id")))
            return fail(query);
        while (query.next()) {
            SessionHandshake handshake;
            handshake.conn = query.value(1).toUInt();
            handshake.timeUs = query.value(2).toLongLong();
            handshake.record = handshakeFromRow(query.value(3).toByteArray(), query.value(4).toByteArray(),
                                                query.value(5).toByteArray(), jsonObject(query.value(6)));
            contents->handshakes[query.value(0).toLongLong()].append(handshake);
        }

        if (!query.exec(QStringLiteral("SELECT tab, name, format, body FROM saved_messages ORDER BY tab, position, id")))
            return fail(query);
        while (query.next()) {
            QJsonObject message;
            message.insert(QLatin1StringView("name"), query.value(1).toString());
            message.insert(QLatin1StringView("format"), query.value(2).toString());
            message.insert(QLatin1StringView("body"), query.value(3).toString());
            contents->savedMessages[query.value(0).toLongLong()].append(message);
        }

        // A tab's rows are seq 0, 1, 2, ... with no gap: the last one says how many there are,
        // found in the index at once instead of counting a million rows.
        for (const SessionTab &tab : std::as_const(contents->tabs)) {
            query.prepare(QStringLiteral("SELECT id FROM messages WHERE id BETWEEN ? AND ? ORDER BY id DESC LIMIT 1"));
            query.bindValue(0, Schema::messageId(tab.id, 0));
            query.bindValue(1, Schema::messageId(tab.id + 1, 0) - 1);
            if (!query.exec())
                return fail(query);
            contents->messageCounts.insert(
                tab.id, query.next() ? query.value(0).toLongLong() - Schema::messageId(tab.id, 0) + 1 : 0);
        }
    }
    Schema::close(db);
    return true;
}

qint64 loadSessionHistory(const QString &path, qint64 tabId, MessageStore &store,
                          const std::shared_ptr<PayloadSource> &payloads, QString *error,
                          const std::function<bool(qint64 rows)> &progress)
{
    sqlite3 *db = openRaw(path, error);
    if (!db)
        return -1;
    sqlite3_stmt *query = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, time_us, dir, kind, size, extra, conn FROM messages"
                           " WHERE id BETWEEN ? AND ? ORDER BY id",
                           -1, &query, nullptr)
        != SQLITE_OK) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be read: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return -1;
    }
    store.setPayloadSource(payloads);
    sqlite3_bind_int64(query, 1, Schema::messageId(tabId, 0));
    sqlite3_bind_int64(query, 2, Schema::messageId(tabId + 1, 0) - 1);
    qint64 rows = 0;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(query)) == SQLITE_ROW) {
        const int dir = sqlite3_column_int(query, 2);
        const int kind = sqlite3_column_int(query, 3);
        store.appendExternal(Direction(qBound(0, dir, DirectionCount - 1)), Kind(qBound(0, kind, KindCount - 1)),
                             quint32(sqlite3_column_int64(query, 4)), sqlite3_column_int64(query, 1),
                             sqlite3_column_int64(query, 5), quint32(sqlite3_column_int64(query, 6)),
                             quint64(sqlite3_column_int64(query, 0)));
        ++rows;
        if (progress && rows % 65536 == 0 && !progress(rows))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        if (error)
            *error = QCoreApplication::translate("wst::SessionHistory", "The file %1 is damaged after %2 messages: %3")
                         .arg(path)
                         .arg(rows)
                         .arg(QString::fromUtf8(sqlite3_errmsg(db)));
        rows = -1;
    }
    sqlite3_finalize(query);
    sqlite3_close(db);
    return rows;
}

} // namespace wst
