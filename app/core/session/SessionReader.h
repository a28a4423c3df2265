#pragma once

#include "SessionTab.h"
#include "messages/Message.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantMap>

#include <functional>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace wst {

class MessageStore;
class PayloadSource;

// What a session file holds besides the histories.
struct SessionContents
{
    QVariantMap meta;
    QList<SessionTab> tabs; // by position
    QHash<qint64, QList<SessionHandshake>> handshakes; // by tab, oldest first
    QHash<qint64, QJsonArray> savedMessages; // by tab; 0: the session's own
    QHash<qint64, qint64> messageCounts; // by tab
};

// Reads a session file without changing it, through SQLite directly: the small tables into
// lists, the messages through a forward-only cursor (never the whole history in memory) or into
// a MessageStore. The one reader of session files: `session info` and the exports, the window
// restoring a session, the tests.
// Messages for the user are translated in the context "SessionReader".
class SessionReader
{
    Q_DECLARE_TR_FUNCTIONS(SessionReader)
public:
    SessionReader();
    ~SessionReader();
    SessionReader(const SessionReader &) = delete;
    SessionReader &operator=(const SessionReader &) = delete;

    enum class Check { File, None };
    // Opens a session file read-only (Schema::checkFile first, unless the caller has just checked
    // it). False with errorString().
    bool open(const QString &path, Check check = Check::File);
    // Reads through a connection that the caller keeps open (e.g. the capture's own file).
    bool attach(const QSqlDatabase &db);
    void close();
    bool isOpen() const { return m_handle != nullptr; }
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }
    sqlite3 *handle() const { return m_handle; }

    // A value of the meta table (empty when missing) and PRAGMA user_version.
    QString meta(const char *key) const;
    int formatVersion() const;

    // Everything but the histories. False with errorString() when a table cannot be read.
    bool readContents(SessionContents *contents) const;
    // Appends the tab's history to `store` (row i is seq i), payloads left in the file and read
    // through `payloads`. `progress` is called now and then with the rows loaded so far;
    // returning false stops. Returns the rows loaded, or -1 with errorString().
    qint64 loadHistory(qint64 tabId, MessageStore &store, const std::shared_ptr<PayloadSource> &payloads,
        const std::function<bool(qint64 rows)> &progress = {}) const;

    // Ordered by position, then id.
    QList<SessionTab> tabs() const;
    // Fills messagesIn/Out, events, firstUs and lastUs (one pass over the tab's rows).
    bool countMessages(SessionTab *tab) const;
    // All rows (tab < 0) or one tab's rows.
    qint64 messageCount(qint64 tab = -1) const;
    // Ordered by time, then id.
    QList<SessionHandshake> handshakes(qint64 tab) const;
    // The local server's client ids that have a handshake or a row in the tab, ascending.
    QList<quint32> clientIds(qint64 tab) const;

    // Walks message rows in id order (so by tab, then seq): all of them, one tab's, or (with
    // `ids`, sorted ascending: Schema::messageId values) only the listed ones that exist.
    class Cursor
    {
    public:
        Cursor(const SessionReader &reader, qint64 tab = -1, const QList<qint64> *ids = nullptr);
        ~Cursor();
        Cursor(const Cursor &) = delete;
        Cursor &operator=(const Cursor &) = delete;
        // Steps to the next row; false at the end or on an error (then error() is not empty).
        bool next();
        QString error() const { return m_error; }

        qint64 tab = 0;
        qint64 seq = 0;
        MessageRow row; // row.location is unused here
        QByteArrayView payload; // valid until the next call of next()

    private:
        bool step();
        sqlite3_stmt *m_statement = nullptr;
        const QList<qint64> *m_ids = nullptr;
        qsizetype m_nextId = 0;
        qint64 m_lastId = 0;
        QString m_error;
    };

private:
    bool fail(const QString &message) const;
    QSqlDatabase m_db;
    bool m_ownsDb = false;
    bool m_ownsHandle = false; // opened without a check: a bare SQLite handle
    sqlite3 *m_handle = nullptr;
    QString m_path;
    mutable QString m_error;
};

// Reads everything but the histories (SessionReader::open() and readContents()). False with
// *error on failure.
bool readSessionContents(const QString &path, SessionContents *contents, QString *error);
// SessionReader::loadHistory() of a file already checked (e.g. by readSessionContents()):
// returns the rows loaded, or -1 with *error.
qint64 loadSessionHistory(const QString &path, qint64 tabId, MessageStore &store,
    const std::shared_ptr<PayloadSource> &payloads, QString *error,
    const std::function<bool(qint64 rows)> &progress = {});

} // namespace wst
