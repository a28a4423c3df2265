#include "SessionExport.h"

#include "RowJson.h"
#include "SecretMasking.h"
#include "SessionExportWriter_p.h"
#include "SessionReader.h"
#include "SessionSchema.h"
#include "compose/ClientSettingsJson.h"
#include "compose/SecretValues.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

namespace wst {

using ExportDetail::validUtf8;

namespace {

const char *const FormatNames[] = { "json", "ndjson", "csv", "har", "k6", "artillery" };
constexpr int FormatCount = 6;

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

} // namespace

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
    return m_done % ExportDetail::ProgressEvery != 0 || progress();
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
    case Format::K6:
    case Format::Artillery:
        ok = writeLoadScript();
        break;
    }
    if (ok && flush()) {
        m_done = std::max(m_done, m_total);
        progress();
    }
    return m_result;
}

QByteArray SessionExport::Writer::exportedHead(const QByteArray &head)
{
    if (m_owner.m_keepSecrets)
        return SecretValues::restore(head);
    const QByteArray masked = SecretMasking::maskHeaders(head);
    m_owner.m_secretsMasked += masked != head;
    return masked;
}

QByteArrayView SessionExport::Writer::exportedPayload(QByteArrayView payload)
{
    if (!m_owner.m_keepSecrets || SecretValues::isEmpty())
        return payload;
    m_restored = SecretValues::restore(payload.toByteArray());
    return m_restored;
}

QJsonObject SessionExport::Writer::exportedSettings(const QJsonObject &settings)
{
    if (m_owner.m_keepSecrets)
        return settings;
    QJsonObject masked = settings;
    ClientSettingsJson::maskSecrets(masked);
    m_owner.m_secretsMasked += masked != settings;
    return masked;
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
            RowJson::appendObject(m_buffer, r, exportedPayload(cursor.payload), cursor.tab, cursor.seq);
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
                RowJson::appendBase64(m_buffer, exportedPayload(cursor.payload));
            } else {
                head.add(",,");
                head.appendTo(m_buffer);
                appendCsvField(m_buffer, exportedPayload(cursor.payload));
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
        m_buffer.append(QJsonDocument(exportedSettings(tab.settings)).toJson(QJsonDocument::Compact));
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
            RowJson::appendString(m_buffer, validUtf8(exportedHead(h.record.request)));
            m_buffer.append(",\"response\":");
            RowJson::appendString(m_buffer, validUtf8(exportedHead(h.record.response)));
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
            RowJson::appendObject(
                m_buffer, cursor.row, exportedPayload(cursor.payload), cursor.tab, cursor.seq);
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

SessionExport::SessionExport(Format format)
    : m_format(format)
{
}

std::optional<SessionExport::Format> SessionExport::formatFromName(QStringView name)
{
    for (int i = 0; i < FormatCount; ++i) {
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
    if (format == Format::K6)
        return QStringLiteral("js");
    if (format == Format::Artillery)
        return QStringLiteral("yml");
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

void SessionExport::setKeepSecrets(bool keep)
{
    m_keepSecrets = keep;
}

void SessionExport::setProgress(const Progress &progress)
{
    m_progress = progress;
}

SessionExport::Result SessionExport::write(const SessionReader &session, QIODevice *out)
{
    m_error.clear();
    m_rowsWritten = 0;
    m_secretsMasked = 0;
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
