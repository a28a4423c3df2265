#include "HarImport.h"

#include "SessionSchema.h"
#include "messages/Message.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QUrl>

#include <sqlite3.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace wst {

namespace {

constexpr qint64 ProgressEvery = 4096;

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toString();
}

bool isWebSocketEntry(const QJsonObject &entry)
{
    if (str(entry, "_resourceType") == QLatin1StringView("websocket")
        || entry.value(QLatin1StringView("_webSocketMessages")).isArray())
        return true;
    const QString url = str(entry.value(QLatin1StringView("request")).toObject(), "url");
    const int status
        = entry.value(QLatin1StringView("response")).toObject().value(QLatin1StringView("status")).toInt();
    return status == 101
        && (url.startsWith(QLatin1StringView("ws://"), Qt::CaseInsensitive)
            || url.startsWith(QLatin1StringView("wss://"), Qt::CaseInsensitive));
}

// "2024-05-01T12:00:00.123456Z" (or with an offset) to µs, keeping every digit of the fraction
// that QDateTime would round to milliseconds.
qint64 parseIsoUs(const QString &text)
{
    static const QRegularExpression iso(
        QStringLiteral("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d+))?(Z|[+-]\\d\\d:?\\d\\d)?$"));
    const QRegularExpressionMatch m = iso.match(text.trimmed());
    if (!m.hasMatch())
        return 0;
    const QString zone = m.captured(3).isEmpty() ? QStringLiteral("Z") : m.captured(3);
    const QDateTime base = QDateTime::fromString(m.captured(1) + zone, Qt::ISODate);
    if (!base.isValid())
        return 0;
    const qint64 fraction = QString(m.captured(2) + QStringLiteral("000000")).left(6).toLongLong();
    return base.toMSecsSinceEpoch() * 1000 + fraction;
}

qint64 secondsToUs(double seconds)
{
    return qint64(std::llround(seconds * 1e6));
}

// HAR timings are ms with -1 for "did not happen".
qint64 msToUs(const QJsonObject &timings, const char *key)
{
    const QJsonValue v = timings.value(QLatin1StringView(key));
    return v.isDouble() && v.toDouble() >= 0 ? qint64(std::llround(v.toDouble() * 1000.0)) : -1;
}

bool isHandshakeHeader(const QString &name)
{
    const QString n = name.toLower();
    return n == QLatin1StringView("host") || n == QLatin1StringView("upgrade")
        || n == QLatin1StringView("connection") || n == QLatin1StringView("origin")
        || n.startsWith(QLatin1StringView("sec-websocket-"))
        || n.startsWith(QLatin1Char(':')); // HTTP/2 pseudo-headers
}

struct Header
{
    QString name;
    QString value;
};

QList<Header> headerList(const QJsonObject &message)
{
    QList<Header> headers;
    for (const QJsonValue &v : message.value(QLatin1StringView("headers")).toArray()) {
        const QJsonObject h = v.toObject();
        if (!str(h, "name").isEmpty())
            headers.append({ str(h, "name"), str(h, "value") });
    }
    return headers;
}

QString headerValue(const QList<Header> &headers, QLatin1StringView name)
{
    for (const Header &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h.value;
    }
    return {};
}

void appendHeaderLines(QByteArray &out, const QList<Header> &headers)
{
    for (const Header &h : headers) {
        if (h.name.startsWith(QLatin1Char(':')))
            continue;
        out += h.name.toUtf8() + ": " + h.value.toUtf8() + "\r\n";
    }
    out += "\r\n";
}

// The statements of one import into one open database, all in one transaction.
class Statements
{
public:
    explicit Statements(sqlite3 *db)
        : m_db(db)
    {
    }
    ~Statements()
    {
        for (sqlite3_stmt *s : { m_tab, m_handshake, m_message, m_meta })
            sqlite3_finalize(s);
    }
    bool prepare()
    {
        return prepare(&m_tab,
                   "INSERT INTO tabs(id, position, kind, title, url, settings, read_only, created_us)"
                   " VALUES (?, ?, 'client', ?, ?, ?, 1, ?)")
            && prepare(&m_handshake,
                "INSERT INTO handshakes(tab, conn, time_us, request, response, details)"
                " VALUES (?, 0, ?, ?, ?, ?)")
            && prepare(&m_message,
                "INSERT INTO messages(id, tab, seq, time_us, dir, kind, size, extra, conn, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)")
            && prepare(&m_meta, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    }
    bool exec(const char *sql) { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(m_db)); }

    bool meta(const char *key, const QByteArray &value)
    {
        sqlite3_bind_text(m_meta, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(m_meta, 2, value.constData(), int(value.size()), SQLITE_STATIC);
        return done(m_meta);
    }
    bool tab(qint64 id, const QByteArray &title, const QByteArray &url, const QByteArray &settings,
        qint64 createdUs)
    {
        sqlite3_bind_int64(m_tab, 1, id);
        sqlite3_bind_int64(m_tab, 2, id - 1);
        sqlite3_bind_text(m_tab, 3, title.constData(), int(title.size()), SQLITE_STATIC);
        sqlite3_bind_text(m_tab, 4, url.constData(), int(url.size()), SQLITE_STATIC);
        sqlite3_bind_text(m_tab, 5, settings.constData(), int(settings.size()), SQLITE_STATIC);
        sqlite3_bind_int64(m_tab, 6, createdUs);
        return done(m_tab);
    }
    bool handshake(qint64 tab, qint64 timeUs, const QByteArray &request, const QByteArray &response,
        const QByteArray &details)
    {
        sqlite3_bind_int64(m_handshake, 1, tab);
        sqlite3_bind_int64(m_handshake, 2, timeUs);
        sqlite3_bind_blob(m_handshake, 3, request.constData(), int(request.size()), SQLITE_STATIC);
        sqlite3_bind_blob(m_handshake, 4, response.constData(), int(response.size()), SQLITE_STATIC);
        sqlite3_bind_text(m_handshake, 5, details.constData(), int(details.size()), SQLITE_STATIC);
        return done(m_handshake);
    }
    bool message(qint64 tab, qint64 seq, qint64 timeUs, Direction dir, Kind kind, QByteArrayView payload)
    {
        sqlite3_bind_int64(m_message, 1, Schema::messageId(tab, seq));
        sqlite3_bind_int64(m_message, 2, tab);
        sqlite3_bind_int64(m_message, 3, seq);
        sqlite3_bind_int64(m_message, 4, timeUs);
        sqlite3_bind_int(m_message, 5, int(dir));
        sqlite3_bind_int(m_message, 6, int(kind));
        sqlite3_bind_int64(m_message, 7, payload.size());
        // A zero-length blob must still be a blob, not NULL.
        sqlite3_bind_blob(
            m_message, 8, payload.data() ? payload.data() : "", int(payload.size()), SQLITE_STATIC);
        return done(m_message);
    }

private:
    bool prepare(sqlite3_stmt **s, const char *sql)
    {
        return sqlite3_prepare_v2(m_db, sql, -1, s, nullptr) == SQLITE_OK;
    }
    static bool done(sqlite3_stmt *s)
    {
        const bool ok = sqlite3_step(s) == SQLITE_DONE;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return ok;
    }
    sqlite3 *m_db;
    sqlite3_stmt *m_tab = nullptr;
    sqlite3_stmt *m_handshake = nullptr;
    sqlite3_stmt *m_message = nullptr;
    sqlite3_stmt *m_meta = nullptr;
};

} // namespace

// Writes the parsed entries into an open session database.
class HarImport::Writer
{
public:
    Writer(HarImport &owner, Statements &db, const QString &sourceName, qint64 total)
        : m_owner(owner)
        , m_db(db)
        , m_source(sourceName)
        , m_total(total)
    {
    }
    // False with the owner's error (or cancelled).
    bool entry(const QJsonObject &entry, int index, qint64 tabId);
    bool progress()
    {
        if (m_owner.m_progress && !m_owner.m_progress(m_done, m_total)) {
            m_cancelled = true;
            return false;
        }
        return true;
    }
    bool cancelled() const { return m_cancelled; }
    qint64 done() const { return m_done; }

private:
    bool dbFailed()
    {
        m_owner.m_error = tr("Cannot write the session: %1").arg(m_db.error());
        return false;
    }
    HarImport &m_owner;
    Statements &m_db;
    QString m_source;
    qint64 m_total;
    qint64 m_done = 0;
    bool m_cancelled = false;
    QHash<QString, int> m_titles; // how many tabs have had each title
};

bool HarImport::Writer::entry(const QJsonObject &entry, int index, qint64 tabId)
{
    const QJsonObject request = entry.value(QLatin1StringView("request")).toObject();
    const QJsonObject response = entry.value(QLatin1StringView("response")).toObject();
    const QString urlText = str(request, "url");
    const QUrl url(urlText);
    const bool tls = url.scheme().compare(QLatin1StringView("wss"), Qt::CaseInsensitive) == 0
        || url.scheme().compare(QLatin1StringView("https"), Qt::CaseInsensitive) == 0;
    const qint64 startUs = parseIsoUs(str(entry, "startedDateTime"));
    const QList<Header> requestHeaders = headerList(request);
    const QList<Header> responseHeaders = headerList(response);

    // The tab's settings, as a client tab would have them to connect again.
    QJsonArray headers;
    QJsonArray subprotocols;
    for (const Header &h : requestHeaders) {
        if (h.name.compare(QLatin1StringView("Sec-WebSocket-Protocol"), Qt::CaseInsensitive) == 0) {
            for (const QString &p : h.value.split(QLatin1Char(','), Qt::SkipEmptyParts))
                subprotocols.append(p.trimmed());
        } else if (!isHandshakeHeader(h.name)) {
            headers.append(QJsonArray { h.name, h.value });
        }
    }
    // A page often opens the same socket again: "host/path (2)" tells the tabs apart.
    QString title = url.host() + (url.path().isEmpty() ? QStringLiteral("/") : url.path());
    const int seen = ++m_titles[title];
    if (seen > 1)
        title = tr("%1 (%2)").arg(title).arg(seen);
    const QJsonObject settings { { QStringLiteral("url"), urlText }, { QStringLiteral("headers"), headers },
        { QStringLiteral("subprotocols"), subprotocols },
        { QStringLiteral("origin"), headerValue(requestHeaders, QLatin1StringView("Origin")) },
        { QStringLiteral("connectTimeoutMs"), 10000 }, { QStringLiteral("tabName"), title } };
    if (!m_db.tab(tabId, title.toUtf8(), urlText.toUtf8(),
            QJsonDocument(settings).toJson(QJsonDocument::Compact), startUs))
        return dbFailed();

    // The handshake as it would have crossed the wire.
    const QString pathAndQuery
        = url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::FullyEncoded);
    QByteArray requestBytes
        = "GET " + (pathAndQuery.isEmpty() ? QByteArray("/") : pathAndQuery.toUtf8()) + " HTTP/1.1\r\n";
    if (headerValue(requestHeaders, QLatin1StringView("Host")).isEmpty()) {
        const QString authority = url.authority(QUrl::FullyEncoded);
        requestBytes += "Host: " + authority.toUtf8() + "\r\n";
    }
    appendHeaderLines(requestBytes, requestHeaders);
    const int status = response.value(QLatin1StringView("status")).toInt();
    QByteArray responseBytes;
    if (status > 0) {
        responseBytes
            = "HTTP/1.1 " + QByteArray::number(status) + ' ' + str(response, "statusText").toUtf8() + "\r\n";
        appendHeaderLines(responseBytes, responseHeaders);
    }
    const QJsonObject timings = entry.value(QLatin1StringView("timings")).toObject();
    const qint64 connectUs = msToUs(timings, "connect");
    const qint64 sslUs = msToUs(timings, "ssl");
    const qint64 waitUs = msToUs(timings, "wait");
    const int port = url.port(tls ? 443 : 80);
    // HAR counts TLS inside "connect".
    const qint64 tcpUs = connectUs < 0 ? -1 : std::max<qint64>(0, connectUs - std::max<qint64>(0, sslUs));
    const QJsonObject details { { QStringLiteral("target"),
                                    QString(url.host() + QLatin1Char(':') + QString::number(port)) },
        { QStringLiteral("tls"), tls }, { QStringLiteral("tcpConnectUs"), tcpUs },
        { QStringLiteral("tlsHandshakeUs"), sslUs }, { QStringLiteral("handshakeUs"), waitUs },
        { QStringLiteral("tlsProtocol"), QString() }, { QStringLiteral("cipher"), QString() },
        { QStringLiteral("source"), QStringLiteral("har") } };
    if (!m_db.handshake(tabId, startUs, requestBytes, responseBytes,
            QJsonDocument(details).toJson(QJsonDocument::Compact)))
        return dbFailed();

    qint64 seq = 0;
    qint64 lastUs = startUs;
    const QByteArray subprotocol
        = headerValue(responseHeaders, QLatin1StringView("Sec-WebSocket-Protocol")).toUtf8();
    if (!m_db.message(tabId, seq++, startUs, Direction::Event, Kind::Open, subprotocol))
        return dbFailed();

    const QJsonArray messages = entry.value(QLatin1StringView("_webSocketMessages")).toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        const QString type = str(m, "type");
        const int opcode = m.value(QLatin1StringView("opcode")).toInt();
        const QJsonValue time = m.value(QLatin1StringView("time"));
        if (time.isDouble())
            lastUs = secondsToUs(time.toDouble());
        const bool known = (type == QLatin1StringView("send") || type == QLatin1StringView("receive"))
            && (opcode == 1 || opcode == 2);
        if (known) {
            const Direction dir = type == QLatin1StringView("send") ? Direction::Out : Direction::In;
            const QString data = str(m, "data");
            bool ok = true;
            if (opcode == 1) {
                ok = m_db.message(tabId, seq++, lastUs, dir, Kind::Text, data.toUtf8());
            } else {
                const auto decoded = QByteArray::fromBase64Encoding(
                    data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded) {
                    m_owner.m_error = tr("Entry %1 (%2), message %3: the binary data is not valid base64.")
                                          .arg(index)
                                          .arg(urlText)
                                          .arg(i);
                    return false;
                }
                ok = m_db.message(tabId, seq++, lastUs, dir, Kind::Binary, *decoded);
            }
            if (!ok)
                return dbFailed();
            ++m_owner.m_messages;
        }
        if (++m_done % ProgressEvery == 0 && !progress())
            return false;
    }
    const QByteArray note
        = tr("Imported from %1 (HAR entry %2); read-only.").arg(m_source).arg(index).toUtf8();
    if (!m_db.message(tabId, seq, lastUs, Direction::Event, Kind::Info, note))
        return dbFailed();
    return true;
}

void HarImport::setProgress(const Progress &progress)
{
    m_progress = progress;
}

HarImport::Result HarImport::fail(const QString &message)
{
    m_error = message;
    return Result::Failed;
}

HarImport::Result HarImport::importFile(const QString &harPath, const QString &target)
{
    QFile file(harPath);
    const QFileInfo info(harPath);
    if (info.isDir())
        return fail(tr("%1 is a folder, not a HAR file.").arg(harPath));
    if (!info.exists())
        return fail(tr("The file %1 does not exist.").arg(harPath));
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("The file %1 cannot be read: %2").arg(harPath, file.errorString()));
    // Mapped, not read: a HAR of a long capture is hundreds of megabytes.
    const qint64 size = file.size();
    uchar *mapped = size > 0 ? file.map(0, size) : nullptr;
    const QByteArray data
        = mapped ? QByteArray::fromRawData(reinterpret_cast<const char *>(mapped), size) : file.readAll();
    return importData(data, target, QFileInfo(harPath).fileName());
}

HarImport::Result HarImport::importData(
    const QByteArray &har, const QString &target, const QString &sourceName)
{
    m_error.clear();
    m_tabs = 0;
    m_messages = 0;
    m_skippedEntries = 0;
    const QString source = sourceName.isEmpty() ? tr("a HAR file") : sourceName;

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(har, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(tr("%1 is not a HAR file: it is not valid JSON (%2 at byte %3).")
                        .arg(source, parseError.errorString())
                        .arg(parseError.offset));
    const QJsonValue entriesValue
        = doc.object().value(QLatin1StringView("log")).toObject().value(QLatin1StringView("entries"));
    if (!entriesValue.isArray())
        return fail(tr("%1 is not a HAR file: it has no \u201clog.entries\u201d list.").arg(source));
    const QJsonArray entries = entriesValue.toArray();
    QList<int> webSockets;
    qint64 total = 0;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        if (!isWebSocketEntry(entry)) {
            ++m_skippedEntries;
            continue;
        }
        webSockets.append(int(i));
        total += entry.value(QLatin1StringView("_webSocketMessages")).toArray().size();
    }
    if (webSockets.isEmpty())
        return fail(
            tr("%1 holds %2 requests but no WebSocket connection. In Chrome DevTools, keep the Network "
               "panel open while the page connects, then save with \u201cSave all as HAR with content\u201d.")
                .arg(source)
                .arg(entries.size()));

    const QFileInfo targetInfo(target);
    const QString folder = targetInfo.absolutePath();
    if (!QFileInfo(folder).isDir())
        return fail(tr("The folder %1 does not exist.").arg(folder));
    if (targetInfo.isDir())
        return fail(tr("%1 is a folder.").arg(target));
    const QString temporary = QStringLiteral("%1/.%2.importing-%3")
                                  .arg(folder, targetInfo.fileName())
                                  .arg(QCoreApplication::applicationPid());
    auto removeTemporary = [&temporary] {
        for (const char *suffix : { "", "-journal", "-wal", "-shm" })
            QFile::remove(temporary + QLatin1StringView(suffix));
    };
    removeTemporary();

    QString why;
    QSqlDatabase db = Schema::openForWriting(temporary, &why);
    if (!db.isOpen()) {
        removeTemporary();
        return fail(tr("Cannot write the session %1: %2").arg(target, why));
    }
    Result result = Result::Ok;
    {
        Statements statements(Schema::handle(db));
        // A fresh file that is deleted on failure needs no journal; one commit syncs it.
        if (!statements.exec("PRAGMA journal_mode = DELETE") || !statements.exec("PRAGMA journal_mode = OFF")
            || !statements.exec("PRAGMA synchronous = NORMAL") || !statements.prepare()
            || !statements.exec("BEGIN")) {
            result = fail(tr("Cannot write the session %1: %2").arg(target, statements.error()));
        } else {
            Writer writer(*this, statements, source, total);
            const QFileInfo sourceInfo(source);
            bool ok = statements.meta("name", sourceInfo.completeBaseName().toUtf8())
                && statements.meta("imported_from", source.toUtf8());
            if (!ok)
                m_error = tr("Cannot write the session: %1").arg(statements.error());
            ok = ok && writer.progress();
            for (int i = 0; ok && i < webSockets.size(); ++i) {
                ok = writer.entry(entries.at(webSockets.at(i)).toObject(), webSockets.at(i), i + 1);
                m_tabs += ok;
            }
            ok = ok && writer.progress();
            if (ok && !statements.exec("COMMIT")) {
                m_error = tr("Cannot write the session %1: %2").arg(target, statements.error());
                ok = false;
            }
            if (!ok) {
                statements.exec("ROLLBACK");
                result = writer.cancelled() ? Result::Cancelled : Result::Failed;
                if (writer.cancelled())
                    m_error = tr("The import was cancelled.");
            }
        }
    }
    Schema::close(db);
    if (result != Result::Ok) {
        removeTemporary();
        return result;
    }
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target).constData()) != 0) {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        removeTemporary();
        return fail(tr("Cannot replace %1: %2").arg(target, reason));
    }
    return Result::Ok;
}

} // namespace wst
