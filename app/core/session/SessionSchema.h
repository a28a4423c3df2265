#pragma once

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <functional>

struct sqlite3;

namespace wst {

// The session file: an SQLite database (readable with the sqlite3 tool) that wstester writes as
// it captures and that Save As copies. Schema version 1:
//
//   meta(key TEXT PRIMARY KEY, value)
//       format = 'wstester-session', created_us, app_version, name,
//       layout (JSON: the window's tab order and current tab), environment (JSON object of
//       {{variable}} values), secrets ('saved' or 'masked')
//   tabs(id INTEGER PRIMARY KEY, position, kind ('client' | 'server'), title, url,
//        settings (JSON, see SessionSettings), read_only (1: imported, never connected),
//        created_us)
//   messages(id INTEGER PRIMARY KEY, tab, seq, time_us, dir, kind, size, extra, conn, payload)
//       id = (tab << 40) | seq, so a tab's history is one rowid range and needs no index.
//       seq is the row's index in the tab's history (0, 1, 2, ...). dir and kind are
//       wst::Direction and wst::Kind (dir 0 in, 1 out, 2 event; kind 0 text, 1 binary, 2 ping,
//       3 pong, 4 close, 5 open, 6 error, 7 info). payload: UTF-8 for text and events, raw bytes
//       otherwise. extra: the close code of a close row, the round trip in µs of a pong.
//       conn: the local server's client id (0 in client tabs and for the server's own events).
//   handshakes(id INTEGER PRIMARY KEY, tab, conn, time_us, request, response, response_body,
//              details (JSON: see SessionSettings::handshakeToJson))
//   saved_messages(id INTEGER PRIMARY KEY, tab (NULL: the whole session), position, name,
//                  format ('text' | 'json' | 'hex' | 'base64'), body)
//   message_view: the messages with readable direction, kind and time (for the sqlite3 tool).
//
// PRAGMA application_id is Schema::ApplicationId and PRAGMA user_version is Schema::Version.
// Messages for the user are translated in the context "wst::Schema".
namespace Schema {

constexpr int Version = 1;
constexpr int ApplicationId = 0x57535453; // "WSTS"
constexpr int TabShift = 40;
inline qint64 messageId(qint64 tab, qint64 seq)
{
    return (tab << TabShift) | seq;
}
inline constexpr char FileSuffix[] = "wstsession";

// Creates the tables in an empty database and sets the version; false with *error on failure.
bool create(QSqlDatabase &db, QString *error);
// Sets the pragmas a capture uses (WAL, synchronous NORMAL).
bool configureForCapture(QSqlDatabase &db, QString *error);

// Checks that a file is a session wstester can read without changing it: it exists, is not
// empty, starts with SQLite's header, has our application id, a version not newer than
// Version, and our tables. On failure returns false with a message for the user.
bool checkFile(const QString &path, QString *error);
// Opens an existing session file read-only under a new unique connection name (checkFile()
// first). The caller removes the connection with close().
QSqlDatabase openReadOnly(const QString &path, QString *error);
// Opens a session file for writing. A missing file is created with createEmpty(); a file left
// unfinished is replaced (replaceUnfinished(), which sets *notice).
QSqlDatabase openForWriting(const QString &path, QString *error, QString *notice = nullptr);
// Creates a complete empty session (in WAL mode, as a capture uses it) under a temporary name in
// the same folder and renames it to `path`: at every instant `path` is either as it was or a
// whole session, whenever the process is killed.
bool createEmpty(const QString &path, QString *error);
// A file that an earlier wstester left while creating it (killed in its first moments) and that
// never held a message: empty, or an SQLite database with no table whose application id is ours
// or unset. Rolls back a leftover -journal (as any writer would) to see what the file holds.
bool isUnfinished(const QString &path);
enum class Unfinished { No, Replaced, Failed };
// Replaces an unfinished file (isUnfinished()) with a new empty session: Replaced with *notice
// (a line for the user), Failed with *error, or No when the file is not unfinished (untouched
// but for a rolled-back journal).
Unfinished replaceUnfinished(const QString &path, QString *notice, QString *error);
// Closes the connection and removes it from QSqlDatabase's registry.
void close(QSqlDatabase &db);

// The SQLite handle under a QSQLITE connection (for bulk inserts, reads and backups).
sqlite3 *handle(const QSqlDatabase &db);

// Copies the database behind `db` (a consistent snapshot, also while another connection keeps
// writing) to `target` atomically: into a temporary file next to it, then renamed over it.
// The copy uses the rollback journal (one self-contained file). On failure the target is
// untouched and *error says why.
// `prepare`, when given, runs on the copy before it is renamed (e.g. to mask secrets).
bool backupTo(const QSqlDatabase &db, const QString &target, QString *error,
    const std::function<bool(QSqlDatabase &copy, QString *error)> &prepare = {});

} // namespace Schema
} // namespace wst
