#include "SessionRecorder.h"

#include "compose/ClientSettingsJson.h"
#include "HandshakeJson.h"
#include "SessionSchema.h"
#include "connection/ClientConnection.h"
#include "protocol/HandshakeRecord.h"
#include "server/LocalServer.h"
#include "messages/MessageStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QLockFile>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include <sqlite3.h>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <array>
#include <atomic>
#include <utility>

namespace wst {

namespace {

QString toJsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

bool maskSecrets(QSqlDatabase &copy, QString *error)
{
    QSqlQuery read(copy);
    QSqlQuery write(copy);
    auto fail = [error](const QSqlQuery &query) {
        if (error)
            *error = query.lastError().text();
        return false;
    };
    if (!copy.transaction())
        return fail(read);
    if (!read.exec(QStringLiteral("SELECT id, settings FROM tabs")))
        return fail(read);
    write.prepare(QStringLiteral("UPDATE tabs SET settings = ? WHERE id = ?"));
    QList<std::pair<qint64, QString>> tabs;
    while (read.next()) {
        QJsonObject settings = QJsonDocument::fromJson(read.value(1).toString().toUtf8()).object();
        ClientSettingsJson::maskSecrets(settings);
        tabs.append({ read.value(0).toLongLong(), toJsonText(settings) });
    }
    for (const auto &[id, settings] : tabs) {
        write.bindValue(0, settings);
        write.bindValue(1, id);
        if (!write.exec())
            return fail(write);
    }
    if (!read.exec(QStringLiteral("SELECT id, request, response FROM handshakes")))
        return fail(read);
    write.prepare(QStringLiteral("UPDATE handshakes SET request = ?, response = ? WHERE id = ?"));
    QList<std::tuple<qint64, QByteArray, QByteArray>> heads;
    while (read.next())
        heads.append({ read.value(0).toLongLong(), read.value(1).toByteArray(), read.value(2).toByteArray() });
    for (const auto &[id, request, response] : heads) {
        write.bindValue(0, maskHeaderSecrets(request));
        write.bindValue(1, maskHeaderSecrets(response));
        write.bindValue(2, id);
        if (!write.exec())
            return fail(write);
    }
    if (!write.exec(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES ('secrets', 'masked')")))
        return fail(write);
    if (!copy.commit())
        return fail(write);
    return true;
}

// QLockFile reports only "UnknownError" when it cannot write its file (a full disk, a file size
// limit, an I/O error): write a file of that name ourselves to learn the system's reason.
QString lockFileProblem(const QString &lockPath)
{
    QFile probe(lockPath);
    if (!probe.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return probe.errorString();
    const bool written = probe.write("0\n", 2) == 2 && probe.flush();
    const QString why = probe.errorString();
    probe.close();
    probe.remove();
    return written ? SessionRecorder::tr("the reason is unknown") : why;
}

} // namespace

QByteArray maskHeaderSecrets(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    bool changed = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (line.trimmed().isEmpty())
            break;
        if (colon <= 0 || !ClientSettingsJson::isSecretHeader(line.left(colon)))
            continue;
        const bool cr = line.endsWith('\r');
        line = line.left(colon + 1) + " (masked)" + (cr ? "\r" : "");
        changed = true;
    }
    return changed ? lines.join('\n') : head;
}

// The writer thread's side: the only user of the database connection.
class SessionWriter : public QObject
{
    Q_OBJECT
public:
    struct Source
    {
        std::shared_ptr<const MessageStore> store;
        qint64 written = 0;
    };

    using QObject::QObject;

    ~SessionWriter() override { closeDatabase(); }

    bool openDatabase(const QString &path, QString *error)
    {
#ifdef Q_OS_LINUX
        // The capture should not slow the connection it records: the writer gives way to the
        // relay and the GUI while they are busy (nice 5: about a quarter of a core against a busy
        // thread, all of an idle one) and catches up after. Nice is per thread on Linux.
        // bench/run session, record/plain: 0.75 at nice 0, 0.93 at nice 5, 0.96 at nice 10; at
        // nice 10 a flood under a parallel ctest left the file more than 1 s behind.
        setpriority(PRIO_PROCESS, id_t(gettid()), WriterNice);
#endif
        m_db = Schema::openForWriting(path, error);
        if (!m_db.isValid() || !m_db.isOpen())
            return false;
        sqlite3 *db = Schema::handle(m_db);
        // One statement for a row, one for a batch of rows: a multi-row INSERT costs about a
        // quarter less per row (one cursor seek and one statement run per batch).
        QByteArray batch = "INSERT OR REPLACE INTO messages(id, tab, seq, time_us, dir, kind, size, extra, conn, payload)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        for (int i = 1; i < BatchRows; ++i)
            batch += ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        const QByteArray single = batch.left(batch.indexOf(", ("));
        for (auto [sql, statement] : { std::pair(single.constData(), &m_insert), std::pair(batch.constData(), &m_insertBatch) }) {
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

    void closeDatabase()
    {
        if (m_timer)
            m_timer->stop();
        sqlite3_finalize(std::exchange(m_insert, nullptr));
        sqlite3_finalize(std::exchange(m_insertBatch, nullptr));
        if (m_db.isValid()) {
            // Back to a rollback journal: a finished capture is one self-contained file (the
            // switch checkpoints the WAL into it and removes it).
            QSqlQuery(m_db).exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
            Schema::close(m_db);
        }
    }

    // Writes every row the stores have gained, in one transaction.
    void writeRows()
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
            return;
        }
        if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
            reportFailure(QString::fromUtf8(sqlite3_errmsg(db)));
            return;
        }
        QHash<qint64, qint64> written;
        qint64 rows = 0;
        for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
            const MessageStore &store = *it->store;
            const qint64 end = store.count();
            qint64 seq = it->written;
            std::array<QByteArray, BatchRows> payloads; // alive until the statement has run
            while (seq < end) {
                const int n = end - seq >= BatchRows ? BatchRows : 1;
                sqlite3_stmt *insert = n == BatchRows ? m_insertBatch : m_insert;
                for (int i = 0; i < n; ++i, ++seq) {
                    const MessageRow &row = store.row(seq);
                    payloads[i] = store.payload(seq);
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
                    sqlite3_bind_blob64(insert, p + 10, payloads[i].constData(), sqlite3_uint64(payloads[i].size()),
                                        SQLITE_STATIC);
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
            if (source != m_sources.end())
                source->written = it.value();
        }
        m_rowsWritten.fetch_add(rows, std::memory_order_relaxed);
        m_failing = false;
        if (m_walPages >= CheckpointPages && (rows < QuietBatchRows || m_walPages >= MaxWalPages))
            checkpoint(db);
        changed();
    }

    static int walHook(void *writer, sqlite3 *, const char *, int pages)
    {
        static_cast<SessionWriter *>(writer)->m_walPages = pages;
        return SQLITE_OK;
    }

    // Copies the WAL into the file (PASSIVE: never waits for a reader); once all of it is in,
    // the next transaction starts the WAL over.
    void checkpoint(sqlite3 *db)
    {
        int walPages = 0;
        int done = 0;
        if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &walPages, &done) == SQLITE_OK)
            m_walPages = walPages - done;
    }

    bool exec(const QString &sql, const QVariantList &values)
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

    void writeTab(const SessionTab &tab)
    {
        exec(QStringLiteral("INSERT OR REPLACE INTO tabs(id, position, kind, title, url, settings, read_only, created_us)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
             { tab.id, tab.position, tab.kind, tab.title, tab.url, toJsonText(tab.settings), int(tab.readOnly),
               tab.createdUs });
    }

    void removeTab(qint64 id)
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

    void writeSavedMessages(qint64 tabId, const QJsonArray &messages)
    {
        if (!m_db.transaction())
            return reportFailure(m_db.lastError().text());
        const QVariant tab = tabId ? QVariant(tabId) : QVariant(QMetaType::fromType<qint64>());
        bool ok = tabId ? exec(QStringLiteral("DELETE FROM saved_messages WHERE tab = ?"), { tab })
                        : exec(QStringLiteral("DELETE FROM saved_messages WHERE tab IS NULL"), {});
        for (qsizetype i = 0; ok && i < messages.size(); ++i) {
            const QJsonObject m = messages.at(i).toObject();
            ok = exec(QStringLiteral("INSERT INTO saved_messages(tab, position, name, format, body) VALUES (?, ?, ?, ?, ?)"),
                      { tab, int(i), m.value(QLatin1StringView("name")).toString(),
                        m.value(QLatin1StringView("format")).toString(QStringLiteral("text")),
                        m.value(QLatin1StringView("body")).toString() });
        }
        if (ok)
            m_db.commit();
        else
            m_db.rollback();
    }

    // Returns the error, or empty with *generation set to the changes the copy holds.
    QString saveAs(const QString &target, bool keepSecrets, qint64 *generation)
    {
        writeRows();
        QString error;
        std::function<bool(QSqlDatabase &, QString *)> prepare;
        if (!keepSecrets)
            prepare = maskSecrets;
        if (!Schema::backupTo(m_db, target, &error, prepare))
            return error;
        *generation = m_changes.load(std::memory_order_relaxed);
        return {};
    }

    void changed()
    {
        m_changes.fetch_add(1, std::memory_order_relaxed);
        Q_EMIT written();
    }

    void reportFailure(const QString &why)
    {
        if (m_failing)
            return;
        m_failing = true;
        Q_EMIT failed(tr("Writing the session file failed: %1. The capture goes on in memory; wstester keeps "
                         "trying.")
                          .arg(why));
    }

    QHash<qint64, Source> m_sources;
    std::atomic<qint64> m_rowsWritten { 0 };
    std::atomic<qint64> m_changes { 0 };
    qint64 m_maxTabId = 0;
    qint64 m_maxHandshakeId = 0;

Q_SIGNALS:
    void written();
    void failed(const QString &error);

private:
    QSqlDatabase m_db;
    static constexpr int BatchRows = 32;
    static constexpr int WriterNice = 5;
    static constexpr int CheckpointPages = 4096; // SQLite's default for its automatic checkpoint
    static constexpr int MaxWalPages = 65536; // 256 MiB of 4 KiB pages: checkpoint even in a flood
    static constexpr qint64 QuietBatchRows = 10000; // fewer rows per 100 ms: the writer is not pressed
    int m_walPages = 0;
    sqlite3_stmt *m_insert = nullptr;
    sqlite3_stmt *m_insertBatch = nullptr;
    QTimer *m_timer = nullptr;
    bool m_failing = false;
};

SessionRecorder::SessionRecorder(QObject *parent)
    : QObject(parent)
{
}

SessionRecorder::~SessionRecorder()
{
    close();
}

bool SessionRecorder::open(const QString &path, QString *error, bool lock)
{
    close();
    if (lock) {
        m_lock = std::make_unique<QLockFile>(path + QLatin1StringView(".lock"));
        m_lock->setStaleLockTime(0);
        if (!m_lock->tryLock(0)) {
            const QLockFile::LockError lockError = m_lock->error();
            m_lock.reset();
            if (error)
                *error = lockError == QLockFile::LockFailedError
                    ? tr("The session %1 is in use by another wstester.").arg(path)
                    : tr("The session %1 cannot be recorded: its lock file cannot be written (%2).")
                          .arg(path, lockFileProblem(path + QLatin1StringView(".lock")));
            return false;
        }
    }
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("wst-session-writer"));
    auto *writer = new SessionWriter;
    writer->moveToThread(m_thread);
    m_thread->start();
    bool ok = false;
    QString why;
    QMetaObject::invokeMethod(
        writer, [writer, path, &ok, &why] { ok = writer->openDatabase(path, &why); }, Qt::BlockingQueuedConnection);
    if (!ok) {
        QMetaObject::invokeMethod(writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        m_lock.reset();
        if (error)
            *error = why;
        return false;
    }
    m_writer = writer;
    m_path = path;
    // Continue the ids already in the file.
    m_nextTabId = writer->m_maxTabId + 1;
    m_nextHandshakeId = writer->m_maxHandshakeId + 1;
    m_savedGeneration = 0;
    m_marksPending = 0;
    connect(writer, &SessionWriter::written, this, &SessionRecorder::onWritten);
    connect(writer, &SessionWriter::failed, this, &SessionRecorder::writeFailed);
    setDirty(false);
    return true;
}

void SessionRecorder::close()
{
    if (!m_thread)
        return;
    SessionWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer,
        [writer] {
            writer->writeRows();
            delete writer;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_lock.reset();
    m_path.clear();
    m_writer = nullptr;
}

qint64 SessionRecorder::addTab(SessionTab tab)
{
    if (tab.id <= 0)
        tab.id = m_nextTabId++;
    else
        m_nextTabId = qMax(m_nextTabId, tab.id + 1);
    if (tab.createdUs == 0)
        tab.createdUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    updateTab(tab);
    return tab.id;
}

void SessionRecorder::updateTab(const SessionTab &tab)
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer, tab] { writer->writeTab(tab); });
}

void SessionRecorder::removeTab(qint64 id)
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer, id] { writer->removeTab(id); });
}

void SessionRecorder::attach(qint64 tabId, std::shared_ptr<const MessageStore> store, qint64 firstRow)
{
    if (SessionWriter *writer = m_writer) {
        QMetaObject::invokeMethod(writer, [writer, tabId, store = std::move(store), firstRow] {
            writer->m_sources.insert(tabId, { store, firstRow });
        });
    }
}

void SessionRecorder::detach(qint64 tabId)
{
    if (SessionWriter *writer = m_writer) {
        QMetaObject::invokeMethod(writer, [writer, tabId] {
            writer->writeRows();
            writer->m_sources.remove(tabId);
        });
    }
}

qint64 SessionRecorder::recordHandshake(qint64 tabId, quint32 conn, const HandshakeRecord &record, qint64 timeUs,
                                        qint64 id)
{
    SessionWriter *writer = m_writer;
    if (!writer || (record.request.isEmpty() && record.response.isEmpty() && record.upstreamError.isEmpty()))
        return id;
    if (id <= 0)
        id = m_nextHandshakeId++;
    const QString details = toJsonText(handshakeDetails(record));
    QMetaObject::invokeMethod(writer, [writer, id, tabId, conn, record, details, timeUs] {
        writer->exec(QStringLiteral("INSERT OR REPLACE INTO handshakes(id, tab, conn, time_us, request, response,"
                                    " response_body, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                     { id, tabId, conn, timeUs, record.request, record.response, record.responseBody, details });
    });
    return id;
}

void SessionRecorder::follow(qint64 tabId, ClientConnection *connection, qint64 firstRow)
{
    attach(tabId, connection->store(), firstRow);
    // The relay reports the record as it grows (request, response, body); one row per attempt,
    // told apart by the request (each has its own Sec-WebSocket-Key).
    struct Attempt
    {
        QByteArray request;
        qint64 id = 0;
        qint64 timeUs = 0;
    };
    auto attempt = std::make_shared<Attempt>();
    connect(connection, &ClientConnection::handshakeChanged, this, [this, tabId, connection, attempt] {
        const HandshakeRecord &record = connection->handshake();
        if (record.request != attempt->request || attempt->id == 0) {
            attempt->request = record.request;
            attempt->id = 0;
            attempt->timeUs = nowUs();
        }
        attempt->id = recordHandshake(tabId, 0, record, attempt->timeUs, attempt->id);
    });
}

void SessionRecorder::follow(qint64 tabId, LocalServer *server, qint64 firstRow)
{
    attach(tabId, server->store(), firstRow);
    auto recorded = std::make_shared<QSet<quint32>>();
    connect(server, &LocalServer::clientsChanged, this, [this, tabId, server, recorded] {
        for (const LocalServer::ClientInfo &client : server->clients()) {
            if (recorded->contains(client.id))
                continue;
            recorded->insert(client.id);
            HandshakeRecord record;
            record.request = client.handshakeRequest;
            record.target = QStringLiteral("%1:%2").arg(client.peerAddress.toString()).arg(client.peerPort);
            recordHandshake(tabId, client.id, record, client.connectedUs);
        }
    });
}

void SessionRecorder::setMeta(const QString &key, const QVariant &value)
{
    if (SessionWriter *writer = m_writer) {
        QMetaObject::invokeMethod(writer, [writer, key, value] {
            writer->exec(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"), { key, value });
        });
    }
}

void SessionRecorder::setSavedMessages(qint64 tabId, const QJsonArray &messages)
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer, tabId, messages] { writer->writeSavedMessages(tabId, messages); });
}

void SessionRecorder::flush()
{
    if (SessionWriter *writer = m_writer)
        QMetaObject::invokeMethod(writer, [writer] { writer->writeRows(); }, Qt::BlockingQueuedConnection);
}

void SessionRecorder::saveAs(const QString &target, bool keepSecrets)
{
    SessionWriter *writer = m_writer;
    if (!writer) {
        Q_EMIT saveFinished(target, tr("No session is open."));
        return;
    }
    QPointer<SessionRecorder> self(this);
    QMetaObject::invokeMethod(writer, [writer, target, keepSecrets, self] {
        qint64 generation = 0;
        const QString error = writer->saveAs(target, keepSecrets, &generation);
        QMetaObject::invokeMethod(self, [self, target, error, generation] {
            if (!self)
                return;
            if (error.isEmpty())
                self->saved(generation);
            Q_EMIT self->saveFinished(target, error);
        });
    });
}

bool SessionRecorder::saveAsBlocking(const QString &target, bool keepSecrets, QString *error)
{
    SessionWriter *writer = m_writer;
    if (!writer) {
        if (error)
            *error = tr("No session is open.");
        return false;
    }
    QString why;
    qint64 generation = 0;
    QMetaObject::invokeMethod(
        writer, [writer, target, keepSecrets, &why, &generation] { why = writer->saveAs(target, keepSecrets, &generation); },
        Qt::BlockingQueuedConnection);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    saved(generation);
    return true;
}

void SessionRecorder::markSaved()
{
    SessionWriter *writer = m_writer;
    if (!writer) {
        setDirty(false);
        return;
    }
    // Clean at once (the window's title must not flicker to "modified" while the writer, which
    // may be busy, sends back the change count this mark covers); written() notes that come in
    // meanwhile are settled when it arrives.
    ++m_marksPending;
    setDirty(false);
    QPointer<SessionRecorder> self(this);
    QMetaObject::invokeMethod(writer, [writer, self] {
        const qint64 generation = writer->m_changes.load(std::memory_order_relaxed);
        QMetaObject::invokeMethod(self, [self, generation] {
            if (!self)
                return;
            self->m_marksPending = qMax(0, self->m_marksPending - 1);
            self->saved(generation);
        });
    });
}

void SessionRecorder::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

qint64 SessionRecorder::rowsWritten() const
{
    return m_writer ? m_writer->m_rowsWritten.load(std::memory_order_relaxed) : 0;
}

void SessionRecorder::onWritten()
{
    if (m_marksPending > 0)
        return;
    if (SessionWriter *writer = m_writer)
        setDirty(writer->m_changes.load(std::memory_order_relaxed) > m_savedGeneration);
}

void SessionRecorder::saved(qint64 generation)
{
    m_savedGeneration = qMax(m_savedGeneration, generation);
    onWritten();
}

} // namespace wst

#include "SessionRecorder.moc"
