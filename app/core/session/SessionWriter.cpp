#include "SessionWriter.h"

#include "FilePayloadSource.h"
#include "HandshakeJson.h"
#include "SecretMasking.h"
#include "SessionSchema.h"
#include "compose/SecretValues.h"
#include "messages/MessageStore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <sqlite3.h>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <array>
#include <functional>
#include <utility>

namespace wst {

namespace {

QString toJsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

SessionWriter::~SessionWriter()
{
    closeDatabase();
}

bool SessionWriter::openDatabase(const QString &path, QString *error, QString *notice)
{
#ifdef Q_OS_LINUX
    // The capture should not slow the connection it records: the writer gives way to the
    // relay and the GUI while they are busy (nice 5: about a quarter of a core against a busy
    // thread, all of an idle one) and catches up after. Nice is per thread on Linux.
    // bench/run session, record/plain: 0.75 at nice 0, 0.93 at nice 5, 0.96 at nice 10; at
    // nice 10 a flood under a parallel ctest left the file more than 1 s behind.
    setpriority(PRIO_PROCESS, id_t(gettid()), WriterNice);
#endif
    m_path = path;
    m_db = Schema::openForWriting(path, error, notice);
    if (!m_db.isValid() || !m_db.isOpen())
        return false;
    sqlite3 *db = Schema::handle(m_db);
    // One statement for a row, one for a batch of rows: a multi-row INSERT costs about a
    // quarter less per row (one cursor seek and one statement run per batch).
    QByteArray batch
        = "INSERT OR REPLACE INTO messages(id, tab, seq, time_us, dir, kind, size, extra, conn, payload)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (int i = 1; i < BatchRows; ++i)
        batch += ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    const QByteArray single = batch.left(batch.indexOf(", ("));
    for (auto [sql, statement] :
        { std::pair(single.constData(), &m_insert), std::pair(batch.constData(), &m_insertBatch) }) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) != SQLITE_OK) {
            if (error)
                *error = QString::fromUtf8(sqlite3_errmsg(db));
            closeDatabase();
            return false;
        }
    }
    // The writer checkpoints the WAL itself (this replaces SQLite's automatic checkpoint):
    // not while a flood keeps it busy, which nearly doubles its work (bench_session's million
    // rows: 1.85 s with SQLite's checkpoints, 1.15 s without), but once it has caught up, or
    // when the WAL grows too big.
    sqlite3_wal_hook(db, &SessionWriter::walHook, this);
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("SELECT count(*) FROM messages")) && query.next())
        m_rowsWritten = query.value(0).toLongLong();
    if (query.exec(QStringLiteral("SELECT max(id) FROM tabs")) && query.next())
        m_maxTabId = query.value(0).toLongLong();
    if (query.exec(QStringLiteral("SELECT max(id) FROM handshakes")) && query.next())
        m_maxHandshakeId = query.value(0).toLongLong();
    // Made here, in the writer's thread.
    m_timer = new QTimer(this);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &SessionWriter::writeRows);
    m_timer->start();
    return true;
}

void SessionWriter::closeDatabase()
{
    if (m_timer)
        m_timer->stop();
    sqlite3_finalize(std::exchange(m_insert, nullptr));
    sqlite3_finalize(std::exchange(m_insertBatch, nullptr));
    if (m_payloads) {
        // The stores that read their payloads back open the file again when they need to.
        m_payloads->release();
        m_payloads.reset();
    }
    if (m_db.isValid()) {
        // Back to a rollback journal: a finished capture is one self-contained file (the
        // switch checkpoints the WAL into it and removes it).
        QSqlQuery(m_db).exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
        Schema::close(m_db);
    }
}

void SessionWriter::writeRows()
{
    if (!m_insert)
        return;
    qint64 pending = 0;
    for (const Source &source : std::as_const(m_sources))
        pending += source.store->count() - source.written;
    sqlite3 *db = Schema::handle(m_db);
    if (pending == 0) {
        if (m_walPages >= CheckpointPages)
            checkpoint(db);
        // Chunks that a reader held back at the last eviction are unmapped now.
        for (const Source &source : std::as_const(m_sources))
            source.store->markPersisted(source.written);
        return;
    }
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
        reportFailure(QString::fromUtf8(sqlite3_errmsg(db)));
        return;
    }
    bool more = false; // rows left for the next transaction
    QHash<qint64, qint64> written;
    QHash<qint64, QList<qint64>> masked; // rows whose payload differs in the file
    qint64 rows = 0;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        const MessageStore &store = *it->store;
        // A backlog goes in several transactions: each commit lets the store evict what it
        // holds, so memory stays bounded while the writer catches up with a flood.
        const qint64 end = qMin(store.count(), it->written + MaxCommitRows);
        more = more || end < store.count();
        qint64 seq = it->written;
        std::array<QByteArray, BatchRows> payloads; // alive until the statement has run
        while (seq < end) {
            const int n = end - seq >= BatchRows ? BatchRows : 1;
            sqlite3_stmt *insert = n == BatchRows ? m_insertBatch : m_insert;
            for (int i = 0; i < n; ++i, ++seq) {
                const MessageRow &row = store.row(seq);
                // The file never holds a secret variable's value: {{name}} stands where it went.
                bool changed = false;
                payloads[i] = SecretValues::mask(store.payload(seq), &changed);
                if (changed)
                    masked[it.key()].append(seq);
                const int p = i * 10;
                sqlite3_bind_int64(insert, p + 1, Schema::messageId(it.key(), seq));
                sqlite3_bind_int64(insert, p + 2, it.key());
                sqlite3_bind_int64(insert, p + 3, seq);
                sqlite3_bind_int64(insert, p + 4, row.timeUs);
                sqlite3_bind_int(insert, p + 5, int(row.direction));
                sqlite3_bind_int(insert, p + 6, int(row.kind));
                sqlite3_bind_int64(insert, p + 7, row.size);
                sqlite3_bind_int64(insert, p + 8, row.extra);
                sqlite3_bind_int64(insert, p + 9, row.connectionId);
                sqlite3_bind_blob64(insert, p + 10, payloads[i].constData(),
                    sqlite3_uint64(payloads[i].size()), SQLITE_STATIC);
            }
            const int rc = sqlite3_step(insert);
            sqlite3_reset(insert);
            if (rc != SQLITE_DONE) {
                const QString why = QString::fromUtf8(sqlite3_errmsg(db));
                sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
                reportFailure(why);
                return;
            }
        }
        rows += seq - it->written;
        written.insert(it.key(), seq);
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        const QString why = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        reportFailure(why);
        return;
    }
    for (auto it = written.cbegin(); it != written.cend(); ++it) {
        auto source = m_sources.find(it.key());
        if (source != m_sources.end()) {
            source->written = it.value();
            evict(it.key(), *source, masked.value(it.key()));
        }
    }
    m_rowsWritten.fetch_add(rows, std::memory_order_relaxed);
    m_failing = false;
    if (m_walPages >= CheckpointPages && (rows < QuietBatchRows || m_walPages >= MaxWalPages))
        checkpoint(db);
    changed();
    if (more)
        QMetaObject::invokeMethod(this, &SessionWriter::writeRows, Qt::QueuedConnection);
}

int SessionWriter::walHook(void *writer, sqlite3 *, const char *, int pages)
{
    static_cast<SessionWriter *>(writer)->m_walPages = pages;
    return SQLITE_OK;
}

// Copies the WAL into the file (PASSIVE: never waits for a reader); once all of it is in,
// the next transaction starts the WAL over.
void SessionWriter::checkpoint(sqlite3 *db)
{
    int walPages = 0;
    int done = 0;
    if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &walPages, &done) == SQLITE_OK)
        m_walPages = walPages - done;
}

bool SessionWriter::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery query(m_db);
    query.prepare(sql);
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (!query.exec()) {
        reportFailure(query.lastError().text());
        return false;
    }
    changed();
    return true;
}

void SessionWriter::writeTab(const SessionTab &tab)
{
    exec(QStringLiteral(
             "INSERT OR REPLACE INTO tabs(id, position, kind, title, url, settings, read_only, created_us)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        { tab.id, tab.position, tab.kind, SecretValues::mask(tab.title), SecretValues::mask(tab.url),
            SecretValues::mask(toJsonText(tab.settings)), int(tab.readOnly), tab.createdUs });
}

void SessionWriter::removeTab(qint64 id)
{
    m_sources.remove(id);
    const qint64 first = Schema::messageId(id, 0);
    const qint64 last = Schema::messageId(id + 1, 0) - 1;
    if (!m_db.transaction())
        return reportFailure(m_db.lastError().text());
    const bool ok = exec(QStringLiteral("DELETE FROM messages WHERE id BETWEEN ? AND ?"), { first, last })
        && exec(QStringLiteral("DELETE FROM handshakes WHERE tab = ?"), { id })
        && exec(QStringLiteral("DELETE FROM saved_messages WHERE tab = ?"), { id })
        && exec(QStringLiteral("DELETE FROM tabs WHERE id = ?"), { id });
    if (ok)
        m_db.commit();
    else
        m_db.rollback();
}

void SessionWriter::writeSavedMessages(qint64 tabId, const QJsonArray &messages)
{
    if (!m_db.transaction())
        return reportFailure(m_db.lastError().text());
    const QVariant tab = tabId ? QVariant(tabId) : QVariant(QMetaType::fromType<qint64>());
    bool ok = tabId ? exec(QStringLiteral("DELETE FROM saved_messages WHERE tab = ?"), { tab })
                    : exec(QStringLiteral("DELETE FROM saved_messages WHERE tab IS NULL"), {});
    for (qsizetype i = 0; ok && i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        ok = exec(QStringLiteral(
                      "INSERT INTO saved_messages(tab, position, name, format, body) VALUES (?, ?, ?, ?, ?)"),
            { tab, int(i), m.value(QLatin1StringView("name")).toString(),
                m.value(QLatin1StringView("format")).toString(QStringLiteral("text")),
                m.value(QLatin1StringView("body")).toString() });
    }
    if (ok)
        m_db.commit();
    else
        m_db.rollback();
}

QString SessionWriter::saveAs(const QString &target, bool keepSecrets, qint64 *generation)
{
    writeRows();
    QString error;
    std::function<bool(QSqlDatabase &, QString *)> prepare;
    if (!keepSecrets)
        prepare = SecretMasking::maskSession;
    if (!Schema::backupTo(m_db, target, &error, prepare))
        return error;
    *generation = m_changes.load(std::memory_order_relaxed);
    return {};
}

void SessionWriter::changed()
{
    m_changes.fetch_add(1, std::memory_order_relaxed);
    Q_EMIT written();
}

void SessionWriter::reportFailure(const QString &why)
{
    if (m_failing)
        return;
    m_failing = true;
    Q_EMIT failed(tr("Writing the session file failed: %1. The capture goes on in memory; wstester keeps "
                     "trying.")
                      .arg(why));
}

void SessionWriter::addSource(qint64 tabId, std::shared_ptr<MessageStore> store, qint64 firstRow)
{
    m_sources.insert(tabId, { std::move(store), firstRow });
}

void SessionWriter::setMemoryBudget(qint64 bytes)
{
    m_budget = qMax<qint64>(bytes, 0);
}

// After a commit: the store learns what the file holds; past the budget it lets the oldest
// payloads go (the file is read back for them). The file is opened for reading at the first
// such store only: a short capture never has a second connection to its file.
void SessionWriter::evict(qint64 tabId, Source &source, const QList<qint64> &masked)
{
    MessageStore &store = *source.store;
    if (m_budget > 0 && !store.evictionEnabled() && store.payloadBytes() > m_budget) {
        if (!m_payloads)
            m_payloads = FilePayloadSource::open(m_path, nullptr);
        if (m_payloads)
            store.enableEviction(m_payloads, quint64(Schema::messageId(tabId, 0)), m_budget);
    }
    store.markPersisted(source.written, masked);
}

void SessionWriter::removeSource(qint64 tabId)
{
    writeRows();
    m_sources.remove(tabId);
}

void SessionWriter::writeHandshake(
    qint64 id, qint64 tabId, quint32 conn, qint64 timeUs, const HandshakeRecord &record, const QString &side)
{
    QJsonObject details = handshakeDetails(record);
    if (!side.isEmpty())
        details.insert(QLatin1StringView("side"), side);
    exec(QStringLiteral("INSERT OR REPLACE INTO handshakes(id, tab, conn, time_us, request, response,"
                        " response_body, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        { id, tabId, conn, timeUs, SecretValues::mask(record.request), SecretValues::mask(record.response),
            SecretValues::mask(record.responseBody), SecretValues::mask(toJsonText(details)) });
}

void SessionWriter::writeMeta(const QString &key, const QVariant &value)
{
    exec(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"), { key, value });
}

} // namespace wst
