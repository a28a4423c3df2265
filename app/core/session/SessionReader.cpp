#include "SessionReader.h"

#include "HandshakeJson.h"
#include "SessionSchema.h"
#include "messages/MessageStore.h"

#include <QFile>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>
#include <limits>

namespace wst {

namespace {

constexpr qint64 FirstId(qint64 tab)
{
    return tab << Schema::TabShift;
}

constexpr qint64 LastId(qint64 tab)
{
    return ((tab + 1) << Schema::TabShift) - 1;
}

// A prepared statement that finalizes itself.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql)
        : m_db(db)
    {
        if (db && sqlite3_prepare_v2(db, sql, -1, &m_statement, nullptr) != SQLITE_OK)
            m_statement = nullptr;
    }
    ~Statement() { sqlite3_finalize(m_statement); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    explicit operator bool() const { return m_statement != nullptr; }
    sqlite3_stmt *get() const { return m_statement; }
    bool row() const { return sqlite3_step(m_statement) == SQLITE_ROW; }
    // Like row(), but an error (a damaged page) ends the walk with *failed set.
    bool row(bool *failed) const
    {
        const int rc = sqlite3_step(m_statement);
        *failed |= rc != SQLITE_ROW && rc != SQLITE_DONE;
        return rc == SQLITE_ROW;
    }
    void bind(int index, qint64 value) const { sqlite3_bind_int64(m_statement, index, value); }
    qint64 integer(int column) const { return sqlite3_column_int64(m_statement, column); }
    QByteArray bytes(int column) const
    {
        const void *data = sqlite3_column_blob(m_statement, column);
        return QByteArray(static_cast<const char *>(data), sqlite3_column_bytes(m_statement, column));
    }
    QString text(int column) const { return QString::fromUtf8(bytes(column)); }
    QJsonObject object(int column) const { return QJsonDocument::fromJson(bytes(column)).object(); }
    QVariant value(int column) const
    {
        switch (sqlite3_column_type(m_statement, column)) {
        case SQLITE_INTEGER:
            return integer(column);
        case SQLITE_FLOAT:
            return sqlite3_column_double(m_statement, column);
        case SQLITE_TEXT:
            return text(column);
        case SQLITE_BLOB:
            return bytes(column);
        default:
            return {};
        }
    }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(m_db)); }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

SessionHandshake handshakeOf(const Statement &query)
{
    SessionHandshake h;
    h.id = query.integer(0);
    h.tab = query.integer(1);
    h.conn = quint32(query.integer(2));
    h.timeUs = query.integer(3);
    h.details = query.object(7);
    h.record = handshakeFromRow(query.bytes(4), query.bytes(5), query.bytes(6), h.details);
    return h;
}

} // namespace

SessionReader::SessionReader() = default;

SessionReader::~SessionReader()
{
    close();
}

bool SessionReader::fail(const QString &message) const
{
    m_error = message;
    return false;
}

bool SessionReader::open(const QString &path, Check check)
{
    close();
    if (check == Check::None) {
        const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &m_handle,
            SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            const QString why = QString::fromUtf8(m_handle ? sqlite3_errmsg(m_handle) : sqlite3_errstr(rc));
            sqlite3_close(m_handle);
            m_handle = nullptr;
            return fail(QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be opened: %2")
                            .arg(path, why));
        }
        m_ownsHandle = true;
        m_path = path;
        return true;
    }
    QString error;
    m_db = Schema::openReadOnly(path, &error);
    if (!m_db.isOpen())
        return fail(error);
    m_ownsDb = true;
    m_path = path;
    m_handle = Schema::handle(m_db);
    if (!m_handle) {
        close();
        return fail(tr("The session file %1 cannot be read through SQLite.").arg(path));
    }
    return true;
}

bool SessionReader::attach(const QSqlDatabase &db)
{
    close();
    m_handle = Schema::handle(db);
    if (!m_handle)
        return fail(tr("The session is not open."));
    m_db = db;
    m_path = db.databaseName();
    return true;
}

void SessionReader::close()
{
    if (m_ownsHandle)
        sqlite3_close(m_handle);
    m_ownsHandle = false;
    m_handle = nullptr;
    if (m_ownsDb)
        Schema::close(m_db);
    m_db = QSqlDatabase();
    m_ownsDb = false;
    m_path.clear();
}

QString SessionReader::meta(const char *key) const
{
    Statement query(m_handle, "SELECT value FROM meta WHERE key = ?");
    if (!query)
        return {};
    sqlite3_bind_text(query.get(), 1, key, -1, SQLITE_STATIC);
    return query.row() ? query.text(0) : QString();
}

int SessionReader::formatVersion() const
{
    Statement query(m_handle, "PRAGMA user_version");
    return query && query.row() ? int(query.integer(0)) : 0;
}

QList<SessionTab> SessionReader::tabs() const
{
    QList<SessionTab> result;
    Statement query(m_handle,
        "SELECT id, position, kind, title, url, settings, read_only, created_us FROM tabs"
        " ORDER BY position, id");
    if (!query) {
        fail(query.error());
        return result;
    }
    bool failed = false;
    while (query.row(&failed)) {
        SessionTab tab;
        tab.id = query.integer(0);
        tab.position = int(query.integer(1));
        tab.kind = query.text(2);
        tab.title = query.text(3);
        tab.url = query.text(4);
        tab.settings = query.object(5);
        tab.readOnly = query.integer(6) != 0;
        tab.createdUs = query.integer(7);
        result.append(tab);
    }
    if (failed)
        fail(query.error());
    return result;
}

bool SessionReader::countMessages(SessionTab *tab) const
{
    Statement query(m_handle,
        "SELECT dir, count(*), min(time_us), max(time_us) FROM messages"
        " WHERE id BETWEEN ? AND ? GROUP BY dir");
    if (!query)
        return fail(query.error());
    query.bind(1, FirstId(tab->id));
    query.bind(2, LastId(tab->id));
    tab->messagesIn = tab->messagesOut = tab->events = 0;
    tab->firstUs = tab->lastUs = 0;
    bool any = false;
    while (query.row()) {
        const qint64 count = query.integer(1);
        switch (Direction(query.integer(0))) {
        case Direction::In:
            tab->messagesIn = count;
            break;
        case Direction::Out:
            tab->messagesOut = count;
            break;
        default:
            tab->events += count;
        }
        const qint64 first = query.integer(2);
        const qint64 last = query.integer(3);
        tab->firstUs = any ? std::min(tab->firstUs, first) : first;
        tab->lastUs = any ? std::max(tab->lastUs, last) : last;
        any = true;
    }
    return true;
}

qint64 SessionReader::messageCount(qint64 tab) const
{
    if (tab < 0) {
        Statement query(m_handle, "SELECT count(*) FROM messages");
        return query && query.row() ? query.integer(0) : 0;
    }
    Statement query(m_handle, "SELECT count(*) FROM messages WHERE id BETWEEN ? AND ?");
    if (!query)
        return 0;
    query.bind(1, FirstId(tab));
    query.bind(2, LastId(tab));
    return query.row() ? query.integer(0) : 0;
}

QList<SessionHandshake> SessionReader::handshakes(qint64 tab) const
{
    QList<SessionHandshake> result;
    Statement query(m_handle,
        "SELECT id, tab, conn, time_us, request, response, response_body, details"
        " FROM handshakes WHERE tab = ? ORDER BY time_us, id");
    if (!query) {
        fail(query.error());
        return result;
    }
    query.bind(1, tab);
    while (query.row())
        result.append(handshakeOf(query));
    return result;
}

QList<quint32> SessionReader::clientIds(qint64 tab) const
{
    QList<quint32> result;
    Statement query(m_handle,
        "SELECT conn FROM handshakes WHERE tab = ?1 AND conn != 0"
        " UNION SELECT DISTINCT conn FROM messages WHERE id BETWEEN ?2 AND ?3 AND conn != 0"
        " ORDER BY 1");
    if (!query) {
        fail(query.error());
        return result;
    }
    query.bind(1, tab);
    query.bind(2, FirstId(tab));
    query.bind(3, LastId(tab));
    while (query.row())
        result.append(quint32(query.integer(0)));
    return result;
}

SessionReader::Cursor::Cursor(const SessionReader &reader, qint64 tab, const QList<qint64> *ids)
    : m_ids(ids)
{
    const char *sql = ids
        ? "SELECT id, time_us, dir, kind, size, extra, conn, payload FROM messages WHERE id = ?"
        : "SELECT id, time_us, dir, kind, size, extra, conn, payload FROM messages"
          " WHERE id BETWEEN ? AND ? ORDER BY id";
    if (sqlite3_prepare_v2(reader.handle(), sql, -1, &m_statement, nullptr) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(reader.handle()));
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
        return;
    }
    const qint64 first = tab < 0 ? 0 : FirstId(tab);
    m_lastId = tab < 0 ? std::numeric_limits<qint64>::max() : LastId(tab);
    if (ids) {
        m_nextId = std::lower_bound(ids->cbegin(), ids->cend(), first) - ids->cbegin();
    } else {
        sqlite3_bind_int64(m_statement, 1, first);
        sqlite3_bind_int64(m_statement, 2, m_lastId);
    }
}

SessionReader::Cursor::~Cursor()
{
    sqlite3_finalize(m_statement);
}

bool SessionReader::Cursor::step()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        m_error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_statement)));
    return false;
}

bool SessionReader::Cursor::next()
{
    if (!m_statement)
        return false;
    if (m_ids) {
        // Point look-ups in id order; ids without a row are passed over.
        for (;;) {
            if (m_nextId >= m_ids->size() || m_ids->at(m_nextId) > m_lastId)
                return false;
            sqlite3_reset(m_statement);
            sqlite3_bind_int64(m_statement, 1, m_ids->at(m_nextId++));
            if (step())
                break;
            if (!m_error.isEmpty())
                return false;
        }
    } else if (!step()) {
        return false;
    }
    const qint64 id = sqlite3_column_int64(m_statement, 0);
    tab = id >> Schema::TabShift;
    seq = id & ((qint64(1) << Schema::TabShift) - 1);
    row.timeUs = sqlite3_column_int64(m_statement, 1);
    row.direction = Direction(sqlite3_column_int(m_statement, 2));
    row.kind = Kind(sqlite3_column_int(m_statement, 3));
    row.size = quint32(sqlite3_column_int64(m_statement, 4));
    row.extra = sqlite3_column_int64(m_statement, 5);
    row.connectionId = quint32(sqlite3_column_int64(m_statement, 6));
    const void *data = sqlite3_column_blob(m_statement, 7);
    payload = QByteArrayView(static_cast<const char *>(data), sqlite3_column_bytes(m_statement, 7));
    return true;
}

bool SessionReader::readContents(SessionContents *contents) const
{
    auto damaged = [this](const Statement &query) {
        return fail(QCoreApplication::translate("wst::SessionHistory", "The file %1 is damaged: %2")
                        .arg(m_path, query.error()));
    };
    m_error.clear();
    bool failed = false;
    {
        Statement query(m_handle, "SELECT key, value FROM meta");
        while (query && query.row(&failed))
            contents->meta.insert(query.text(0), query.value(1));
        if (!query || failed)
            return damaged(query);
    }
    contents->tabs = tabs();
    if (!m_error.isEmpty())
        return false;
    {
        Statement query(m_handle,
            "SELECT id, tab, conn, time_us, request, response, response_body, details FROM handshakes ORDER "
            "BY id");
        while (query && query.row(&failed)) {
            const SessionHandshake h = handshakeOf(query);
            contents->handshakes[h.tab].append(h);
        }
        if (!query || failed)
            return damaged(query);
    }
    {
        Statement query(
            m_handle, "SELECT tab, name, format, body FROM saved_messages ORDER BY tab, position, id");
        while (query && query.row(&failed)) {
            QJsonObject message;
            message.insert(QLatin1StringView("name"), query.text(1));
            message.insert(QLatin1StringView("format"), query.text(2));
            message.insert(QLatin1StringView("body"), query.text(3));
            contents->savedMessages[query.integer(0)].append(message);
        }
        if (!query || failed)
            return damaged(query);
    }
    // A tab's rows are seq 0, 1, 2, ... with no gap: the last one says how many there are,
    // found in the index at once instead of counting a million rows.
    Statement last(m_handle, "SELECT id FROM messages WHERE id BETWEEN ? AND ? ORDER BY id DESC LIMIT 1");
    if (!last)
        return damaged(last);
    for (const SessionTab &tab : std::as_const(contents->tabs)) {
        sqlite3_reset(last.get());
        last.bind(1, FirstId(tab.id));
        last.bind(2, LastId(tab.id));
        const bool any = last.row(&failed);
        if (failed)
            return damaged(last);
        contents->messageCounts.insert(tab.id, any ? last.integer(0) - FirstId(tab.id) + 1 : 0);
    }
    return true;
}

qint64 SessionReader::loadHistory(qint64 tabId, MessageStore &store,
    const std::shared_ptr<PayloadSource> &payloads, const std::function<bool(qint64 rows)> &progress) const
{
    Statement query(m_handle,
        "SELECT id, time_us, dir, kind, size, extra, conn FROM messages WHERE id BETWEEN ? AND ? ORDER BY "
        "id");
    if (!query) {
        fail(QCoreApplication::translate("wst::SessionHistory", "The file %1 cannot be read: %2")
                 .arg(m_path, query.error()));
        return -1;
    }
    store.setPayloadSource(payloads);
    query.bind(1, FirstId(tabId));
    query.bind(2, LastId(tabId));
    sqlite3_stmt *row = query.get();
    qint64 rows = 0;
    bool failed = false;
    while (query.row(&failed)) {
        const int dir = sqlite3_column_int(row, 2);
        const int kind = sqlite3_column_int(row, 3);
        store.appendExternal(Direction(qBound(0, dir, DirectionCount - 1)),
            Kind(qBound(0, kind, KindCount - 1)), quint32(sqlite3_column_int64(row, 4)),
            sqlite3_column_int64(row, 1), sqlite3_column_int64(row, 5), quint32(sqlite3_column_int64(row, 6)),
            quint64(sqlite3_column_int64(row, 0)));
        ++rows;
        if (progress && rows % 65536 == 0 && !progress(rows))
            break;
    }
    if (failed) {
        fail(
            QCoreApplication::translate("wst::SessionHistory", "The file %1 is damaged after %2 messages: %3")
                .arg(m_path)
                .arg(rows)
                .arg(query.error()));
        return -1;
    }
    return rows;
}

bool readSessionContents(const QString &path, SessionContents *contents, QString *error)
{
    SessionReader reader;
    if (reader.open(path) && reader.readContents(contents))
        return true;
    if (error)
        *error = reader.errorString();
    return false;
}

qint64 loadSessionHistory(const QString &path, qint64 tabId, MessageStore &store,
    const std::shared_ptr<PayloadSource> &payloads, QString *error,
    const std::function<bool(qint64 rows)> &progress)
{
    SessionReader reader;
    qint64 rows = -1;
    if (reader.open(path, SessionReader::Check::None))
        rows = reader.loadHistory(tabId, store, payloads, progress);
    if (rows < 0 && error)
        *error = reader.errorString();
    return rows;
}

} // namespace wst
