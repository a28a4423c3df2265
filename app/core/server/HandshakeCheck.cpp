#include "HandshakeCheck.h"

#include <QList>

namespace wst {

namespace {

QList<QByteArray> headerLines(const QByteArray &request)
{
    QList<QByteArray> lines = request.split('\n');
    if (!lines.isEmpty())
        lines.removeFirst(); // the request line
    return lines;
}

// Every value of the headers of this name, in order.
QList<QByteArray> headerValues(const QByteArray &request, const QByteArray &name)
{
    QList<QByteArray> values;
    for (const QByteArray &raw : headerLines(request)) {
        const QByteArray line = raw.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            values.append(line.mid(colon + 1).trimmed());
    }
    return values;
}

// Whether a comma-separated header (all its lines together) holds this token.
bool hasToken(const QByteArray &request, const QByteArray &name, const QByteArray &token)
{
    for (const QByteArray &value : headerValues(request, name)) {
        for (const QByteArray &item : value.split(',')) {
            if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

QString escaped(QByteArrayView bytes)
{
    QString out;
    for (const char c : bytes) {
        const uchar u = uchar(c);
        if (u >= 0x20 && u < 0x7f && u != '\\')
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out;
}

HandshakeCheck::Refusal badRequest(const QString &why)
{
    return { "400 Bad Request", {}, why };
}

} // namespace

QByteArray HandshakeCheck::headerValue(const QByteArray &request, const QByteArray &name)
{
    const QList<QByteArray> values = headerValues(request, name);
    return values.isEmpty() ? QByteArray() : values.first();
}

int HandshakeCheck::headerCount(const QByteArray &request, const QByteArray &name)
{
    return int(headerValues(request, name).size());
}

QString HandshakeCheck::requestLine(const QByteArray &request)
{
    qsizetype end = request.indexOf("\r\n");
    if (end < 0)
        end = request.size();
    constexpr qsizetype Max = 200;
    QString line = escaped(request.left(qMin(end, Max)));
    if (end > Max)
        line += QStringLiteral("\u2026");
    return line;
}

HandshakeCheck::Refusal HandshakeCheck::check(const QByteArray &request)
{
    const qsizetype lineEnd = request.indexOf("\r\n");
    const QList<QByteArray> parts = request.left(qMax(lineEnd, qsizetype(0))).split(' ');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return badRequest(tr("The request line is not of the form \u201cGET /path HTTP/1.1\u201d."));
    if (parts.at(0) != "GET")
        return badRequest(tr("A WebSocket handshake is a GET request, not %1.").arg(escaped(parts.at(0))));
    const QByteArray &version = parts.at(2);
    const bool http11OrLater = version.size() == 8 && version.startsWith("HTTP/") && version.at(6) == '.'
        && version.at(5) >= '1' && version.at(5) <= '9' && version.at(7) >= '0' && version.at(7) <= '9'
        && !(version.at(5) == '1' && version.at(7) == '0');
    if (!http11OrLater)
        return badRequest(tr("A WebSocket handshake needs HTTP/1.1 or later, not %1.").arg(escaped(version)));
    if (headerCount(request, "Host") != 1)
        return badRequest(tr("The request needs exactly one Host header."));
    if (!hasToken(request, "Upgrade", "websocket"))
        return badRequest(tr("The request has no \u201cUpgrade: websocket\u201d header: it is a plain HTTP "
                             "request, not a WebSocket handshake."));
    if (!hasToken(request, "Connection", "Upgrade"))
        return badRequest(tr("The request's Connection header does not name \u201cUpgrade\u201d."));
    const QList<QByteArray> keys = headerValues(request, "Sec-WebSocket-Key");
    if (keys.isEmpty())
        return badRequest(tr("The request has no Sec-WebSocket-Key header."));
    if (keys.size() > 1)
        return badRequest(tr("The request has more than one Sec-WebSocket-Key header."));
    const QByteArray &key = keys.first();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.size() != 24 || !decoded || decoded.decoded.size() != 16)
        return badRequest(
            tr("Sec-WebSocket-Key must be 16 bytes in base64 (24 characters), not \u201c%1\u201d.")
                .arg(escaped(key.left(64))));
    const QList<QByteArray> versions = headerValues(request, "Sec-WebSocket-Version");
    if (versions.isEmpty())
        return badRequest(tr("The request has no Sec-WebSocket-Version header."));
    if (versions.size() > 1 || versions.first() != "13") {
        const QString offered = escaped(versions.join(", ").left(64));
        return { "426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n",
            tr("This server speaks WebSocket version 13, not %1.").arg(offered) };
    }
    return {};
}

QByteArray HandshakeCheck::response(const Refusal &refusal)
{
    const QByteArray body = refusal.why.toUtf8() + '\n';
    return "HTTP/1.1 " + refusal.status + "\r\n" + refusal.extraHeaders
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace wst
