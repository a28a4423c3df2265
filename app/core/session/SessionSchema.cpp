#include "SessionSchema.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <QtEndian>

#include <sqlite3.h>

#include <cerrno>
#ifdef Q_OS_UNIX
#include <signal.h>
#endif
#include <cstdio>
#include <cstring>

namespace wst::Schema {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wst::Schema", text);
}

QString uniqueConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("wst-session-%1").arg(counter.fetchAndAddRelaxed(1));
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

const char *const CreateStatements[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value)",
    "CREATE TABLE tabs(id INTEGER PRIMARY KEY, position INTEGER NOT NULL DEFAULT 0,"
    " kind TEXT NOT NULL DEFAULT 'client', title TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',"
    " settings TEXT NOT NULL DEFAULT '{}', read_only INTEGER NOT NULL DEFAULT 0, created_us INTEGER NOT NULL "
    "DEFAULT 0)",
    "CREATE TABLE messages(id INTEGER PRIMARY KEY, tab INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " time_us INTEGER NOT NULL, dir INTEGER NOT NULL, kind INTEGER NOT NULL, size INTEGER NOT NULL,"
    " extra INTEGER NOT NULL DEFAULT 0, conn INTEGER NOT NULL DEFAULT 0, payload BLOB)",
    "CREATE TABLE handshakes(id INTEGER PRIMARY KEY, tab INTEGER NOT NULL, conn INTEGER NOT NULL DEFAULT 0,"
    " time_us INTEGER NOT NULL DEFAULT 0, request BLOB, response BLOB, response_body BLOB,"
    " details TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX handshakes_tab ON handshakes(tab, conn)",
    "CREATE TABLE saved_messages(id INTEGER PRIMARY KEY, tab INTEGER, position INTEGER NOT NULL DEFAULT 0,"
    " name TEXT NOT NULL DEFAULT '', format TEXT NOT NULL DEFAULT 'text', body TEXT NOT NULL DEFAULT '')",
    "CREATE VIEW message_view AS SELECT tab, seq,"
    " strftime('%Y-%m-%dT%H:%M:%f', time_us / 1000000.0, 'unixepoch') AS time,"
    " CASE dir WHEN 0 THEN 'in' WHEN 1 THEN 'out' ELSE 'event' END AS dir,"
    " CASE kind WHEN 0 THEN 'text' WHEN 1 THEN 'binary' WHEN 2 THEN 'ping' WHEN 3 THEN 'pong'"
    " WHEN 4 THEN 'close' WHEN 5 THEN 'open' WHEN 6 THEN 'error' ELSE 'info' END AS kind,"
    " size, extra, conn, CASE WHEN kind IN (1, 2, 3) THEN hex(payload) ELSE CAST(payload AS TEXT) END AS data"
    " FROM messages",
};

const QLatin1StringView Tables[] = { QLatin1StringView("meta"), QLatin1StringView("tabs"),
    QLatin1StringView("messages"), QLatin1StringView("handshakes"), QLatin1StringView("saved_messages") };

} // namespace

sqlite3 *handle(const QSqlDatabase &db)
{
    const QVariant v = db.driver() ? db.driver()->handle() : QVariant();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

void close(QSqlDatabase &db)
{
    const QString name = db.connectionName();
    db.close();
    db = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

bool create(QSqlDatabase &db, QString *error)
{
    // The id and version go in first, in rollback mode, so that they are in the file's header
    // even if the process dies before the first checkpoint of the WAL.
    if (!exec(db, QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId), error)
        || !exec(db, QStringLiteral("PRAGMA user_version = %1").arg(Version), error))
        return false;
    if (!db.transaction()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    for (const char *statement : CreateStatements) {
        if (!exec(db, QString::fromLatin1(statement), error)) {
            db.rollback();
            return false;
        }
    }
    QSqlQuery meta(db);
    meta.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?)"));
    const std::pair<const char *, QVariant> values[] = {
        { "format", QStringLiteral("wstester-session") },
        { "created_us", QDateTime::currentMSecsSinceEpoch() * 1000 },
        { "app_version", QCoreApplication::applicationVersion() },
        { "secrets", QStringLiteral("saved") },
    };
    for (const auto &[key, value] : values) {
        meta.bindValue(0, QString::fromLatin1(key));
        meta.bindValue(1, value);
        if (!meta.exec()) {
            if (error)
                *error = meta.lastError().text();
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    return true;
}

bool configureForCapture(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next()
        || query.value(0).toString().compare(QLatin1StringView("wal"), Qt::CaseInsensitive) != 0) {
        if (error)
            *error = tr("The session file cannot use write-ahead logging: %1")
                         .arg(query.lastError().text().isEmpty() ? query.value(0).toString()
                                                                 : query.lastError().text());
        return false;
    }
    return exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), error)
        && exec(db, QStringLiteral("PRAGMA wal_autocheckpoint = 4096"), error);
}

bool checkFile(const QString &path, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return fail(tr("The file %1 does not exist.").arg(path));
    if (info.isDir())
        return fail(tr("%1 is a folder, not a session file.").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("The file %1 cannot be read: %2").arg(path, file.errorString()));
    if (info.size() == 0)
        return fail(tr("The file %1 is empty: it is not a wstester session.").arg(path));
    const QByteArray header = file.read(100);
    if (header.size() < 100 || !header.startsWith(QByteArrayView("SQLite format 3\0", 16)))
        return fail(tr("The file %1 is not a wstester session (it is not an SQLite database).").arg(path));

    // The header's page size and page count tell how long the file must be; a shorter file
    // was cut off (a copy that did not finish, a full disk).
    quint32 pageSize = qFromBigEndian<quint16>(header.constData() + 16);
    if (pageSize == 1)
        pageSize = 65536;
    const quint32 pages = qFromBigEndian<quint32>(header.constData() + 28);
    const bool hasWal = QFileInfo::exists(path + QLatin1StringView("-wal"));
    if (pages > 0 && qint64(pages) * pageSize > info.size() && !hasWal)
        return fail(tr("The file %1 is truncated: it holds %2 of the %3 bytes it should have.")
                        .arg(path)
                        .arg(info.size())
                        .arg(qint64(pages) * pageSize));
    file.close();

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), uniqueConnectionName());
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    auto failClosing = [&db, &fail](const QString &message) {
        close(db);
        return fail(message);
    };
    if (!db.open())
        return failClosing(tr("The file %1 cannot be opened: %2").arg(path, db.lastError().text()));
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA application_id")) || !query.next())
        return failClosing(tr("The file %1 is damaged: %2").arg(path, query.lastError().text()));
    const int applicationId = query.value(0).toInt();
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return failClosing(tr("The file %1 is damaged: %2").arg(path, query.lastError().text()));
    const int version = query.value(0).toInt();
    if (applicationId != ApplicationId)
        return failClosing(tr("The file %1 is an SQLite database, but not a wstester session.").arg(path));
    if (version > Version)
        return failClosing(
            tr("The file %1 was saved by a newer wstester (session format %2; this version reads "
               "up to %3). Update wstester to open it.")
                .arg(path)
                .arg(version)
                .arg(Version));
    if (version < 1)
        return failClosing(
            tr("The file %1 has no session format version: it is not a wstester session.").arg(path));
    if (!query.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")))
        return failClosing(tr("The file %1 is damaged: %2").arg(path, query.lastError().text()));
    QStringList tables;
    while (query.next())
        tables.append(query.value(0).toString());
    for (QLatin1StringView table : Tables) {
        if (!tables.contains(table))
            return failClosing(
                tr("The file %1 is damaged: the table \u201c%2\u201d is missing.").arg(path, table));
    }
    // A damaged page shows up as an error when the tables are read; check the small ones and
    // the last message now so that a broken file is refused before anything is shown.
    for (const char *sql : { "SELECT count(*) FROM tabs", "SELECT count(*) FROM meta",
             "SELECT count(*) FROM handshakes", "SELECT max(id) FROM messages" }) {
        if (!query.exec(QString::fromLatin1(sql)) || !query.next())
            return failClosing(tr("The file %1 is damaged: %2").arg(path, query.lastError().text()));
    }
    query.finish();
    close(db);
    return true;
}

QSqlDatabase openReadOnly(const QString &path, QString *error)
{
    if (!checkFile(path, error))
        return {};
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), uniqueConnectionName());
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    if (!db.open()) {
        if (error)
            *error = tr("The file %1 cannot be opened: %2").arg(path, db.lastError().text());
        close(db);
        return {};
    }
    return db;
}

namespace {

// Leftovers that SQLite would apply to a file of the same name: stale next to a new file.
void removeCompanions(const QString &path)
{
    for (const char *suffix : { "-journal", "-wal", "-shm" })
        QFile::remove(path + QLatin1StringView(suffix));
}

// Temporaries that a wstester killed while creating the same file left behind (their process
// is gone): hidden, but they would pile up.
void removeStaleTemporaries(const QFileInfo &target)
{
#ifdef Q_OS_UNIX
    const QString prefix = QStringLiteral(".%1.creating-").arg(target.fileName());
    const QDir dir(target.absolutePath());
    const QStringList names = dir.entryList(QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : names) {
        if (!name.startsWith(prefix))
            continue;
        bool ok = false;
        const pid_t pid = pid_t(name.mid(prefix.size()).section(QLatin1Char('-'), 0, 0).toLongLong(&ok));
        if (ok && pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
            QFile::remove(dir.filePath(name));
    }
#else
    Q_UNUSED(target)
#endif
}

} // namespace

bool createEmpty(const QString &path, QString *error)
{
    const QFileInfo info(path);
    removeStaleTemporaries(info);
    const QString temporary = QStringLiteral("%1/.%2.creating-%3")
                                  .arg(info.absolutePath(), info.fileName())
                                  .arg(QCoreApplication::applicationPid());
    QFile::remove(temporary);
    removeCompanions(temporary);
    QString why;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), uniqueConnectionName());
        db.setDatabaseName(temporary);
        bool ok = db.open();
        if (!ok)
            why = db.lastError().text();
        // WAL is kept in the file's header: the renamed file needs no journal-mode change,
        // which would otherwise be one more moment with a hot journal beside it.
        ok = ok && create(db, &why) && configureForCapture(db, &why);
        close(db); // the last connection: the WAL is checkpointed into the file and removed
        if (!ok) {
            QFile::remove(temporary);
            removeCompanions(temporary);
            if (error)
                *error = why;
            return false;
        }
    }
    removeCompanions(path);
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData()) != 0) {
        if (error)
            *error = QString::fromLocal8Bit(std::strerror(errno));
        QFile::remove(temporary);
        removeCompanions(temporary);
        return false;
    }
    return true;
}

bool isUnfinished(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    if (info.size() == 0)
        return true;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = file.read(100);
    file.close();
    if (header.size() < 100 || !header.startsWith(QByteArrayView("SQLite format 3\0", 16)))
        return false;
    const auto applicationId = qFromBigEndian<qint32>(header.constData() + 68);
    if (applicationId != 0 && applicationId != ApplicationId)
        return false;
    sqlite3 *db = nullptr;
    bool unfinished = false;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr)
        == SQLITE_OK) {
        sqlite3_stmt *query = nullptr;
        // The first read rolls back a hot journal; then no table at all: nothing was ever kept.
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &query, nullptr) == SQLITE_OK
            && sqlite3_step(query) == SQLITE_ROW)
            unfinished = sqlite3_column_int64(query, 0) == 0;
        sqlite3_finalize(query);
    }
    sqlite3_close(db);
    return unfinished;
}

Unfinished replaceUnfinished(const QString &path, QString *notice, QString *error)
{
    if (checkFile(path, nullptr) || !isUnfinished(path))
        return Unfinished::No;
    QString why;
    if (!createEmpty(path, &why)) {
        if (error)
            *error = tr("The session file %1 was left unfinished and cannot be made anew: %2").arg(path, why);
        return Unfinished::Failed;
    }
    if (notice)
        *notice
            = tr("The session file %1 was left unfinished by a wstester that stopped while creating it and "
                 "held no message: it is now a new empty session.")
                  .arg(path);
    return Unfinished::Replaced;
}

QSqlDatabase openForWriting(const QString &path, QString *error, QString *notice)
{
    QString why;
    if (!QFileInfo::exists(path)) {
        if (!createEmpty(path, &why)) {
            if (error)
                *error = tr("The session file %1 cannot be created: %2").arg(path, why);
            return {};
        }
    } else if (const Unfinished unfinished = replaceUnfinished(path, notice, error);
               unfinished == Unfinished::Failed) {
        return {};
    } else if (unfinished == Unfinished::No && !checkFile(path, error)) {
        return {};
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), uniqueConnectionName());
    db.setDatabaseName(path);
    if (!db.open()) {
        if (error)
            *error = tr("The session file %1 cannot be opened: %2").arg(path, db.lastError().text());
        close(db);
        return {};
    }
    if (!configureForCapture(db, &why)) {
        if (error)
            *error = tr("The session file %1 cannot be written: %2").arg(path, why);
        close(db);
        return {};
    }
    return db;
}

bool backupTo(const QSqlDatabase &db, const QString &target, QString *error,
    const std::function<bool(QSqlDatabase &copy, QString *error)> &prepare)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    sqlite3 *source = handle(db);
    if (!source)
        return fail(tr("The session is not open."));
    const QFileInfo targetInfo(target);
    const QString folder = targetInfo.absolutePath();
    if (!QFileInfo(folder).isDir())
        return fail(tr("The folder %1 does not exist.").arg(folder));
    if (targetInfo.isDir())
        return fail(tr("%1 is a folder.").arg(target));
    const QString temporary = QStringLiteral("%1/.%2.saving-%3")
                                  .arg(folder, targetInfo.fileName())
                                  .arg(QCoreApplication::applicationPid());
    auto removeTemporary = [&temporary] {
        QFile::remove(temporary);
        QFile::remove(temporary + QLatin1StringView("-journal"));
        QFile::remove(temporary + QLatin1StringView("-wal"));
        QFile::remove(temporary + QLatin1StringView("-shm"));
    };
    removeTemporary();

    sqlite3 *copy = nullptr;
    int rc = sqlite3_open_v2(
        QFile::encodeName(temporary).constData(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const QString why
            = copy ? QString::fromUtf8(sqlite3_errmsg(copy)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close(copy);
        removeTemporary();
        return fail(tr("Cannot write in %1: %2").arg(folder, why));
    }
    // One step copies every page under one read transaction: a consistent snapshot, while the
    // capture goes on writing to its WAL.
    sqlite3_backup *backup = sqlite3_backup_init(copy, "main", source, "main");
    if (!backup) {
        const QString why = QString::fromUtf8(sqlite3_errmsg(copy));
        sqlite3_close(copy);
        removeTemporary();
        return fail(tr("Cannot copy the session: %1").arg(why));
    }
    rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        const QString why = QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close(copy);
        removeTemporary();
        if (rc == SQLITE_FULL)
            return fail(tr("The disk is full: the session could not be saved to %1.").arg(target));
        return fail(tr("Cannot copy the session to %1: %2").arg(target, why));
    }
    char *message = nullptr;
    rc = sqlite3_exec(copy, "PRAGMA journal_mode = DELETE", nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const QString why = QString::fromUtf8(message ? message : sqlite3_errstr(rc));
        sqlite3_free(message);
        sqlite3_close(copy);
        removeTemporary();
        return fail(tr("Cannot finish the copy at %1: %2").arg(target, why));
    }
    sqlite3_close(copy);

    if (prepare) {
        QSqlDatabase copyDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), uniqueConnectionName());
        copyDb.setDatabaseName(temporary);
        QString why;
        bool ok = copyDb.open();
        if (!ok)
            why = copyDb.lastError().text();
        else
            ok = prepare(copyDb, &why);
        close(copyDb);
        if (!ok) {
            removeTemporary();
            return fail(tr("Cannot prepare the copy at %1: %2").arg(target, why));
        }
    }

    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target).constData()) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        removeTemporary();
        return fail(tr("Cannot replace %1: %2").arg(target, why));
    }
    return true;
}

} // namespace wst::Schema
