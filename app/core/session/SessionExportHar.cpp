// HAR 1.2 with Chrome's WebSocket extension: one entry a connection, its messages in
// "_webSocketMessages".
#include "RowJson.h"
#include "SessionExportWriter_p.h"
#include "SessionSchema.h"
#include "protocol/HandshakeRecord.h"

#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace wst {

using ExportDetail::validUtf8;

namespace {

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

bool SessionExport::Writer::writeHar()
{
    // A server tab is read once per client: count those passes in the total.
    QList<QList<quint32>> clients;
    if (!ids()) {
        m_total = 0;
        for (const SessionTab &tab : std::as_const(m_tabs)) {
            clients.append(tab.hasConnections() ? m_session.clientIds(tab.id) : QList<quint32>());
            m_total += m_session.messageCount(tab.id) * std::max<qint64>(1, clients.last().size());
        }
    } else {
        for (const SessionTab &tab : std::as_const(m_tabs))
            clients.append(tab.hasConnections() ? m_session.clientIds(tab.id) : QList<quint32>());
    }
    m_buffer.append(
        "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"wstester\",\"version\":\"" WST_VERSION
        "\"},\"pages\":[],\"entries\":[");
    bool firstEntry = true;
    for (qsizetype i = 0; i < m_tabs.size(); ++i) {
        const bool ok = m_tabs.at(i).hasConnections()
            ? writeHarServerTab(m_tabs.at(i), clients.at(i), &firstEntry)
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
        record.request = exportedHead(handshake->record.request);
        record.response = exportedHead(handshake->record.response);
        details = handshake->details;
    }
    // A client tab's URL is the one the user typed; a server tab's is what each client asked for;
    // a proxy tab's is where the proxy forwarded the connection (its upstream handshake).
    QUrl url(tab.url);
    if (tab.isProxy())
        url.setScheme(
            details.value(QLatin1StringView("tls")).toBool() ? QStringLiteral("wss") : QStringLiteral("ws"));
    const QByteArray requestLine = record.requestLine();
    const HandshakeRecord::Headers requestHeaders = record.requestHeaders();
    if (tab.hasConnections() && !requestLine.isEmpty()) {
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
        RowJson::appendString(m_buffer, exportedPayload(cursor.payload));
    } else {
        head.add(",\"opcode\":2,\"data\":\"");
        head.appendTo(m_buffer);
        RowJson::appendBase64(m_buffer, exportedPayload(cursor.payload));
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
        // A proxied connection has two: the one with the real server is the HAR's entry.
        auto handshake = std::find_if(handshakes.cbegin(), handshakes.cend(),
            [client](const SessionHandshake &h) { return h.conn == client && h.isUpstream(); });
        if (handshake == handshakes.cend()) {
            handshake = std::find_if(handshakes.cbegin(), handshakes.cend(),
                [client](const SessionHandshake &h) { return h.conn == client; });
        }
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
                appendHarMessage(cursor, tab.isServer(), &firstMessage);
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

} // namespace wst
