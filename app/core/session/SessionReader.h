#pragma once

#include "messages/Message.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace wst {

// A tab as stored in a session file, with (after SessionReader::countMessages) the numbers
// that `session info` shows.
struct StoredTab
{
    qint64 id = 0;
    int position = 0;
    QString kind; // "client" or "server"
    QString title;
    QString url;
    QByteArray settings; // the JSON text as stored
    bool readOnly = false;
    qint64 createdUs = 0;

    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 events = 0;
    qint64 firstUs = 0; // 0 when the tab has no rows
    qint64 lastUs = 0;
    qint64 messageCount() const { return messagesIn + messagesOut + events; }
    bool isServer() const { return kind == QLatin1StringView("server"); }
};

struct StoredHandshake
{
    qint64 id = 0;
    qint64 tab = 0;
    quint32 conn = 0;
    qint64 timeUs = 0;
    QByteArray request;
    QByteArray response;
    QByteArray responseBody;
    QByteArray details; // the JSON text as stored
};

// Reads a session file without changing it, through SQLite directly: the small tables into
// lists, the messages through a forward-only cursor (never the whole history in memory).
// Messages for the user are translated in the context "SessionReader".
class SessionReader
{
    Q_DECLARE_TR_FUNCTIONS(SessionReader)
public:
    SessionReader();
    ~SessionReader();
    SessionReader(const SessionReader &) = delete;
    SessionReader &operator=(const SessionReader &) = delete;

    // Opens a session file read-only (Schema::checkFile first). False with errorString().
    bool open(const QString &path);
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

    // Ordered by position, then id.
    QList<StoredTab> tabs() const;
    // Fills messagesIn/Out, events, firstUs and lastUs (one pass over the tab's rows).
    bool countMessages(StoredTab *tab) const;
    // All rows (tab < 0) or one tab's rows.
    qint64 messageCount(qint64 tab = -1) const;
    // Ordered by time, then id.
    QList<StoredHandshake> handshakes(qint64 tab) const;
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
    sqlite3 *m_handle = nullptr;
    QString m_path;
    mutable QString m_error;
};

} // namespace wst
