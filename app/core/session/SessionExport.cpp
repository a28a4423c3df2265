#include "SessionExport.h"

#include "RowJson.h"
#include "SessionReader.h"
#include "SessionSchema.h"
#include "protocol/HandshakeRecord.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace wst {

namespace {

constexpr qint64 BufferSize = 1 << 20;
constexpr qint64 ProgressEvery = 4096;

const char *const FormatNames[] = { "json", "ndjson", "csv", "har" };

// Header values and handshake bytes are not guaranteed UTF-8; JSON output must be.
QByteArray validUtf8(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8();
}

void appendCsvField(QByteArray &out, QByteArrayView field)
{
    qsizetype quotes = 0;
    bool quote = false;
    for (char c : field) {
        quotes += c == '"';
        quote |= c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
        out.append(field);
        return;
    }
    const qsizetype at = out.size();
    out.resize(at + field.size() + quotes + 2);
    char *o = out.data() + at;
    *o++ = '"';
    for (char c : field) {
        if (c == '"')
            *o++ = '"';
        *o++ = c;
    }
    *o = '"';
}

void appendMs(QByteArray &out, qint64 us)
{
    out.append(us < 0 ? QByteArrayLiteral("-1") : QByteArray::number(double(us) / 1000.0, 'f', 3));
}

void appendHarHeaders(QByteArray &out, const HandshakeRecord::Headers &headers)
{
    out.append('[');
    bool first = true;
    for (const auto &[name, value] : headers) {
        if (!first)
            out.append(',');
        first = false;
        out.append("{\"name\":");
        RowJson::appendString(out, validUtf8(name));
        out.append(",\"value\":");
        RowJson::appendString(out, validUtf8(value));
        out.append('}');
    }
    out.append(']');
}

// The request line's third word, or the status line's first.
QByteArray httpVersion(const QByteArray &line, int word)
{
    const QByteArray version = line.split(' ').value(word).trimmed();
    return version.startsWith("HTTP/") ? version : QByteArrayLiteral("HTTP/1.1");
}

qint64 detailUs(const QJsonObject &details, const char *key)
{
    const QJsonValue v = details.value(QLatin1StringView(key));
    return v.isDouble() ? qint64(v.toDouble()) : -1;
}

} // namespace

// One export run: the output buffer, the progress count and the four formats.
class SessionExport::Writer
{
public:
    Writer(SessionExport &owner, const SessionReader &session, QIODevice *out)
        : m_owner(owner)
        , m_session(session)
        , m_out(out)
    {
        m_buffer.reserve(BufferSize + (64 << 10));
    }

    Result run();

private:
    bool fail(const QString &message)
    {
        if (m_result == Result::Ok) {
            m_result = Result::Failed;
            m_owner.m_error = message;
        }
        return false;
    }
    bool flush();
    bool flushIfFull() { return m_buffer.size() < BufferSize || flush(); }
    bool visited(); // one more row read; false to stop
    bool progress();
    const QList<qint64> *ids() const { return m_owner.m_ids.isEmpty() ? nullptr : &m_owner.m_ids; }
    bool cursorEnded(const SessionReader::Cursor &cursor);

    bool writeLines(); // ndjson and csv
    bool writeJson();
    bool writeHar();
    bool writeHarClientTab(const SessionTab &tab, bool *firstEntry);
    bool writeHarServerTab(const SessionTab &tab, const QList<quint32> &clients, bool *firstEntry);
    void openHarEntry(
        const SessionTab &tab, const SessionHandshake *handshake, qint64 startUs, bool *firstEntry);
    void appendHarMessage(const SessionReader::Cursor &cursor, bool server, bool *firstMessage);

    SessionExport &m_owner;
    const SessionReader &m_session;
    QIODevice *m_out;
    QByteArray m_buffer;
    QList<SessionTab> m_tabs;
    qint64 m_done = 0;
    qint64 m_total = 0;
    Result m_result = Result::Ok;
};

bool SessionExport::Writer::flush()
{
    if (m_buffer.isEmpty())
        return true;
    if (m_out->write(m_buffer) != m_buffer.size())
        return fail(tr("Cannot write the export: %1").arg(m_out->errorString()));
    m_buffer.resize(0);
    return true;
}

bool SessionExport::Writer::progress()
{
    if (m_owner.m_progress && !m_owner.m_progress(m_done, m_total)) {
        m_result = Result::Cancelled;
        m_owner.m_error = tr("The export was cancelled.");
        return false;
    }
    return true;
}

bool SessionExport::Writer::visited()
{
    ++m_done;
    if (!flushIfFull())
        return false;
    return m_done % ProgressEvery != 0 || progress();
}

bool SessionExport::Writer::cursorEnded(const SessionReader::Cursor &cursor)
{
    if (!cursor.error().isEmpty())
        return fail(tr("Cannot read the session: %1").arg(cursor.error()));
    return true;
}

SessionExport::Result SessionExport::Writer::run()
{
    const qint64 onlyTab = m_owner.m_tab;
    const QList<SessionTab> all = m_session.tabs();
    for (const SessionTab &tab : all) {
        if (onlyTab >= 0 && tab.id != onlyTab)
            continue;
        if (ids()) {
            // Only the tabs that hold a chosen row.
            const auto it = std::lower_bound(ids()->cbegin(), ids()->cend(), Schema::messageId(tab.id, 0));
            if (it == ids()->cend() || (*it >> Schema::TabShift) != tab.id)
                continue;
        }
        m_tabs.append(tab);
    }
    if (onlyTab >= 0 && m_tabs.isEmpty() && !ids()) {
        QStringList known;
        for (const SessionTab &tab : all)
            known.append(QString::number(tab.id));
        fail(known.isEmpty() ? tr("There is no tab %1: the session has no tabs.").arg(onlyTab)
                             : tr("There is no tab %1 in the session (its tabs: %2).")
                                   .arg(onlyTab)
                                   .arg(known.join(QStringLiteral(", "))));
        return m_result;
    }
    const bool wholeTable
        = onlyTab < 0 && (m_owner.m_format == Format::Ndjson || m_owner.m_format == Format::Csv);
    if (ids()) {
        m_total = ids()->size();
    } else if (wholeTable) {
        m_total = m_session.messageCount();
    } else {
        for (const SessionTab &tab : std::as_const(m_tabs))
            m_total += m_session.messageCount(tab.id);
    }
    if (!progress())
        return m_result;

    bool ok = false;
    switch (m_owner.m_format) {
    case Format::Ndjson:
    case Format::Csv:
        ok = writeLines();
        break;
    case Format::Json:
        ok = writeJson();
        break;
    case Format::Har:
        ok = writeHar();
        break;
    }
    if (ok && flush()) {
        m_done = std::max(m_done, m_total);
        progress();
    }
    return m_result;
}

bool SessionExport::Writer::writeLines()
{
    const bool csv = m_owner.m_format == Format::Csv;
    if (csv)
        m_buffer.append("tab,seq,time,ts_us,client,dir,kind,size,code,encoding,data\r\n");
    SessionReader::Cursor cursor(m_session, m_owner.m_tab, ids());
    while (cursor.next()) {
        const MessageRow &r = cursor.row;
        if (!csv) {
            RowJson::appendObject(m_buffer, r, cursor.payload, cursor.tab, cursor.seq);
            m_buffer.append('\n');
        } else {
            RowJson::Piece head;
            head.addNumber(cursor.tab);
            head.add(',');
            head.addNumber(cursor.seq);
            head.add(',');
            head.addIsoTime(r.timeUs);
            head.add(',');
            head.addNumber(r.timeUs);
            head.add(',');
            if (r.connectionId != 0)
                head.addNumber(r.connectionId);
            head.add(',');
            head.addString(RowJson::directionKey(r.direction));
            head.add(',');
            head.addString(RowJson::kindKey(r.kind));
            head.add(',');
            head.addNumber(r.size);
            head.add(',');
            if (r.kind == Kind::Close)
                head.addNumber(r.extra);
            if (RowJson::isBinaryKind(r.kind)) {
                head.add(",base64,");
                head.appendTo(m_buffer);
                RowJson::appendBase64(m_buffer, cursor.payload);
            } else {
                head.add(",,");
                head.appendTo(m_buffer);
                appendCsvField(m_buffer, cursor.payload);
            }
            m_buffer.append("\r\n", 2);
        }
        ++m_owner.m_rowsWritten;
        if (!visited())
            return false;
    }
    return cursorEnded(cursor);
}

bool SessionExport::Writer::writeJson()
{
    m_buffer.append("{\"format\":\"wstester-export\",\"version\":1,\"tabs\":[");
    bool firstTab = true;
    for (const SessionTab &tab : std::as_const(m_tabs)) {
        m_buffer.append(firstTab ? "\n{\"id\":" : ",\n{\"id\":");
        firstTab = false;
        m_buffer.append(QByteArray::number(tab.id));
        m_buffer.append(",\"kind\":");
        RowJson::appendString(m_buffer, tab.kind.toUtf8());
        m_buffer.append(",\"title\":");
        RowJson::appendString(m_buffer, tab.title.toUtf8());
        m_buffer.append(",\"url\":");
        RowJson::appendString(m_buffer, tab.url.toUtf8());
        m_buffer.append(tab.readOnly ? ",\"read_only\":true" : ",\"read_only\":false");
        m_buffer.append(",\"settings\":");
        m_buffer.append(QJsonDocument(tab.settings).toJson(QJsonDocument::Compact));
        m_buffer.append(",\"handshakes\":[");
        bool firstHandshake = true;
        for (const SessionHandshake &h : m_session.handshakes(tab.id)) {
            if (!firstHandshake)
                m_buffer.append(',');
            firstHandshake = false;
            m_buffer.append("{\"conn\":");
            m_buffer.append(QByteArray::number(h.conn));
            m_buffer.append(",\"time\":\"");
            RowJson::appendIsoTime(m_buffer, h.timeUs);
            m_buffer.append("\",\"ts_us\":");
            m_buffer.append(QByteArray::number(h.timeUs));
            m_buffer.append(",\"request\":");
            RowJson::appendString(m_buffer, validUtf8(h.record.request));
            m_buffer.append(",\"response\":");
            RowJson::appendString(m_buffer, validUtf8(h.record.response));
            if (!h.record.responseBody.isEmpty()) {
                m_buffer.append(",\"response_body\":\"");
                m_buffer.append(h.record.responseBody.toBase64());
                m_buffer.append("\",\"response_body_encoding\":\"base64\"");
            }
            m_buffer.append(",\"details\":");
            m_buffer.append(QJsonDocument(h.details).toJson(QJsonDocument::Compact));
            m_buffer.append('}');
        }
        m_buffer.append("],\"messages\":[");
        bool firstMessage = true;
        SessionReader::Cursor cursor(m_session, tab.id, ids());
        while (cursor.next()) {
            m_buffer.append(firstMessage ? "\n" : ",\n");
            firstMessage = false;
            RowJson::appendObject(m_buffer, cursor.row, cursor.payload, cursor.tab, cursor.seq);
            ++m_owner.m_rowsWritten;
            if (!visited())
                return false;
        }
        if (!cursorEnded(cursor))
            return false;
        m_buffer.append("]}");
    }
    m_buffer.append("\n]}\n");
    return true;
}

bool SessionExport::Writer::writeHar()
{
    // A server tab is read once per client: count those passes in the total.
    QList<QList<quint32>> clients;
    if (!ids()) {
        m_total = 0;
        for (const SessionTab &tab : std::as_const(m_tabs)) {
            clients.append(tab.isServer() ? m_session.clientIds(tab.id) : QList<quint32>());
            m_total += m_session.messageCount(tab.id) * std::max<qint64>(1, clients.last().size());
        }
    } else {
        for (const SessionTab &tab : std::as_const(m_tabs))
            clients.append(tab.isServer() ? m_session.clientIds(tab.id) : QList<quint32>());
    }
    m_buffer.append(
        "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"wstester\",\"version\":\"" WST_VERSION
        "\"},\"pages\":[],\"entries\":[");
    bool firstEntry = true;
    for (qsizetype i = 0; i < m_tabs.size(); ++i) {
        const bool ok = m_tabs.at(i).isServer() ? writeHarServerTab(m_tabs.at(i), clients.at(i), &firstEntry)
                                                : writeHarClientTab(m_tabs.at(i), &firstEntry);
        if (!ok)
            return false;
    }
    m_buffer.append("\n]}}\n");
    return true;
}

void SessionExport::Writer::openHarEntry(
    const SessionTab &tab, const SessionHandshake *handshake, qint64 startUs, bool *firstEntry)
{
    HandshakeRecord record;
    QJsonObject details;
    if (handshake) {
        record.request = handshake->record.request;
        record.response = handshake->record.response;
        details = handshake->details;
    }
    // A client tab's URL is the one the user typed; a server tab's is what each client asked for.
    QUrl url(tab.url);
    const QByteArray requestLine = record.requestLine();
    const HandshakeRecord::Headers requestHeaders = record.requestHeaders();
    if (tab.isServer() && !requestLine.isEmpty()) {
        const QByteArray host = HandshakeRecord::header(requestHeaders, "Host");
        const QByteArray target = requestLine.split(' ').value(1);
        const QUrl fromRequest(
            url.scheme() + QStringLiteral("://") + QString::fromUtf8(host) + QString::fromUtf8(target));
        if (!host.isEmpty() && fromRequest.isValid())
            url = fromRequest;
    }
    const qint64 connectUs = detailUs(details, "tcpConnectUs");
    const qint64 tlsUs = detailUs(details, "tlsHandshakeUs");
    const qint64 waitUs = detailUs(details, "handshakeUs");
    // HAR counts TLS inside "connect".
    const qint64 harConnectUs = connectUs < 0 ? -1 : connectUs + std::max<qint64>(0, tlsUs);
    const qint64 totalUs = std::max<qint64>(0, harConnectUs) + std::max<qint64>(0, waitUs);

    QByteArray &b = m_buffer;
    b.append(*firstEntry ? "\n{\"startedDateTime\":\"" : ",\n{\"startedDateTime\":\"");
    *firstEntry = false;
    RowJson::appendIsoTime(b, handshake ? handshake->timeUs : startUs);
    b.append("\",\"time\":");
    appendMs(b, totalUs);
    b.append(",\"request\":{\"method\":\"GET\",\"url\":");
    RowJson::appendString(b, url.toString(QUrl::FullyEncoded).toUtf8());
    b.append(",\"httpVersion\":\"");
    b.append(httpVersion(requestLine, 2));
    b.append("\",\"headers\":");
    appendHarHeaders(b, requestHeaders);
    b.append(",\"queryString\":[");
    const auto query = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (qsizetype i = 0; i < query.size(); ++i) {
        b.append(i ? ",{\"name\":" : "{\"name\":");
        RowJson::appendString(b, query.at(i).first.toUtf8());
        b.append(",\"value\":");
        RowJson::appendString(b, query.at(i).second.toUtf8());
        b.append('}');
    }
    b.append("],\"cookies\":[],\"headersSize\":-1,\"bodySize\":0},\"response\":{\"status\":");
    const QByteArray statusLine = record.statusLine();
    b.append(QByteArray::number(record.statusCode()));
    b.append(",\"statusText\":");
    RowJson::appendString(b, validUtf8(statusLine.split(' ').mid(2).join(' ')));
    b.append(",\"httpVersion\":\"");
    b.append(httpVersion(statusLine, 0));
    b.append("\",\"headers\":");
    appendHarHeaders(b, record.responseHeaders());
    b.append(",\"cookies\":[],\"content\":{\"size\":0,\"mimeType\":\"x-unknown\"},\"redirectURL\":\"\","
             "\"headersSize\":-1,\"bodySize\":-1},\"cache\":{},\"timings\":{\"blocked\":-1,\"dns\":-1,"
             "\"connect\":");
    appendMs(b, harConnectUs);
    b.append(",\"ssl\":");
    appendMs(b, tlsUs);
    b.append(",\"send\":0,\"wait\":");
    appendMs(b, std::max<qint64>(0, waitUs));
    b.append(",\"receive\":0}");
    const QString peer = details.value(QLatin1StringView("peer")).toString();
    if (!peer.isEmpty()) {
        b.append(",\"_peer\":");
        RowJson::appendString(b, peer.toUtf8());
    }
    b.append(",\"_resourceType\":\"websocket\",\"_webSocketMessages\":[");
}

void SessionExport::Writer::appendHarMessage(
    const SessionReader::Cursor &cursor, bool server, bool *firstMessage)
{
    const MessageRow &r = cursor.row;
    if ((r.kind != Kind::Text && r.kind != Kind::Binary) || r.direction == Direction::Event)
        return;
    // From the client's point of view: what a server tab received, its client sent.
    const bool sent = (r.direction == Direction::Out) != server;
    RowJson::Piece head;
    head.addString(*firstMessage ? "\n{\"type\":\"" : ",\n{\"type\":\"");
    *firstMessage = false;
    head.addString(sent ? "send" : "receive");
    head.add("\",\"time\":");
    head.addSeconds(r.timeUs);
    if (r.kind == Kind::Text) {
        head.add(",\"opcode\":1,\"data\":");
        head.appendTo(m_buffer);
        RowJson::appendString(m_buffer, cursor.payload);
    } else {
        head.add(",\"opcode\":2,\"data\":\"");
        head.appendTo(m_buffer);
        RowJson::appendBase64(m_buffer, cursor.payload);
        m_buffer.append('"');
    }
    m_buffer.append('}');
    ++m_owner.m_rowsWritten;
}

bool SessionExport::Writer::writeHarClientTab(const SessionTab &tab, bool *firstEntry)
{
    QList<SessionHandshake> handshakes;
    for (const SessionHandshake &h : m_session.handshakes(tab.id)) {
        if (h.conn == 0)
            handshakes.append(h);
    }
    // One entry a connection: a row belongs to the last handshake made before it.
    SessionReader::Cursor cursor(m_session, tab.id, ids());
    qsizetype current = -1;
    bool firstMessage = true;
    auto openNext = [&](qint64 startUs) {
        if (current >= 0)
            m_buffer.append("]}");
        ++current;
        firstMessage = true;
        openHarEntry(
            tab, current < handshakes.size() ? &handshakes.at(current) : nullptr, startUs, firstEntry);
    };
    while (cursor.next()) {
        if (current < 0)
            openNext(cursor.row.timeUs);
        while (current + 1 < handshakes.size() && cursor.row.timeUs >= handshakes.at(current + 1).timeUs)
            openNext(cursor.row.timeUs);
        appendHarMessage(cursor, false, &firstMessage);
        if (!visited())
            return false;
    }
    if (!cursorEnded(cursor))
        return false;
    while (current + 1 < handshakes.size())
        openNext(tab.createdUs);
    if (current >= 0)
        m_buffer.append("]}");
    return true;
}

bool SessionExport::Writer::writeHarServerTab(
    const SessionTab &tab, const QList<quint32> &clients, bool *firstEntry)
{
    const QList<SessionHandshake> handshakes = m_session.handshakes(tab.id);
    for (quint32 client : clients) {
        const auto handshake = std::find_if(handshakes.cbegin(), handshakes.cend(),
            [client](const SessionHandshake &h) { return h.conn == client; });
        bool opened = false;
        bool firstMessage = true;
        if (handshake != handshakes.cend()) {
            openHarEntry(tab, &*handshake, handshake->timeUs, firstEntry);
            opened = true;
        }
        SessionReader::Cursor cursor(m_session, tab.id, ids());
        while (cursor.next()) {
            if (cursor.row.connectionId == client) {
                if (!opened) {
                    openHarEntry(tab, nullptr, cursor.row.timeUs, firstEntry);
                    opened = true;
                }
                appendHarMessage(cursor, true, &firstMessage);
            }
            if (!visited())
                return false;
        }
        if (!cursorEnded(cursor))
            return false;
        if (opened)
            m_buffer.append("]}");
    }
    return true;
}

SessionExport::SessionExport(Format format)
    : m_format(format)
{
}

std::optional<SessionExport::Format> SessionExport::formatFromName(QStringView name)
{
    for (int i = 0; i < 4; ++i) {
        if (name.compare(QLatin1StringView(FormatNames[i]), Qt::CaseInsensitive) == 0)
            return Format(i);
    }
    return std::nullopt;
}

QString SessionExport::formatName(Format format)
{
    return QString::fromLatin1(FormatNames[int(format)]);
}

QString SessionExport::fileSuffix(Format format)
{
    return formatName(format);
}

void SessionExport::setTab(qint64 tab)
{
    m_tab = tab;
}

void SessionExport::setRows(const QList<RowRef> &rows)
{
    m_ids.clear();
    m_ids.reserve(rows.size());
    for (const RowRef &r : rows)
        m_ids.append(Schema::messageId(r.tab, r.seq));
    std::sort(m_ids.begin(), m_ids.end());
    m_ids.erase(std::unique(m_ids.begin(), m_ids.end()), m_ids.end());
}

void SessionExport::setProgress(const Progress &progress)
{
    m_progress = progress;
}

SessionExport::Result SessionExport::write(const SessionReader &session, QIODevice *out)
{
    m_error.clear();
    m_rowsWritten = 0;
    if (!session.isOpen()) {
        m_error = tr("The session is not open.");
        return Result::Failed;
    }
    if (!out || !out->isWritable()) {
        m_error = tr("The export's output is not open for writing.");
        return Result::Failed;
    }
    return Writer(*this, session, out).run();
}

SessionExport::Result SessionExport::write(const QString &sessionPath, QIODevice *out)
{
    SessionReader session;
    if (!session.open(sessionPath)) {
        m_error = session.errorString();
        return Result::Failed;
    }
    return write(session, out);
}

SessionExport::Result SessionExport::writeFile(const SessionReader &session, const QString &target)
{
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = tr("Cannot write %1: %2").arg(target, file.errorString());
        return Result::Failed;
    }
    const Result result = write(session, &file);
    if (result != Result::Ok) {
        file.cancelWriting();
        return result;
    }
    if (!file.commit()) {
        m_error = tr("Cannot write %1: %2").arg(target, file.errorString());
        return Result::Failed;
    }
    return Result::Ok;
}

SessionExport::Result SessionExport::writeFile(const QString &sessionPath, const QString &target)
{
    SessionReader session;
    if (!session.open(sessionPath)) {
        m_error = session.errorString();
        return Result::Failed;
    }
    return writeFile(session, target);
}

} // namespace wst
