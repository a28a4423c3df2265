#include "ProxyRequest.h"

#include "format/InputText.h"

namespace wst {

qsizetype ProxyRequest::headLength(const QByteArray &data)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return data.size() > MaxHeadBytes ? -1 : 0;
    if (end + 4 > MaxHeadBytes)
        return -1;
    return end + 4;
}

ProxyRequest ProxyRequest::parse(const QByteArray &head)
{
    ProxyRequest request;
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty() || lines.first().trimmed().isEmpty()) {
        request.error = tr("The request has no request line.");
        return request;
    }
    const QList<QByteArray> parts = lines.first().trimmed().split(' ');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty()) {
        request.error = tr("The request line “%1” is not METHOD TARGET VERSION.")
                            .arg(InputText::escaped(QString::fromLatin1(lines.first().trimmed().left(200))));
        return request;
    }
    request.method = parts.at(0);
    request.target = parts.at(1);
    request.version = parts.at(2);
    if (!request.version.startsWith("HTTP/1.")) {
        request.error = tr("The request is not HTTP/1.x (“%1”).")
                            .arg(InputText::escaped(QString::fromLatin1(request.version.left(40))));
        return request;
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.left(colon).trimmed().isEmpty()) {
            request.error = tr("Header line %1 has no name before a colon.").arg(i + 1);
            return request;
        }
        if (request.headers.size() >= MaxHeaders) {
            request.error = tr("The request has more than %1 headers.").arg(MaxHeaders);
            return request;
        }
        request.headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    return request;
}

QByteArray ProxyRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool ProxyRequest::isWebSocketUpgrade() const
{
    return method == "GET" && header("Upgrade").toLower().contains("websocket");
}

bool ProxyRequest::connectTarget(QString *host, quint16 *port, QString *error) const
{
    const qsizetype colon = target.lastIndexOf(':');
    bool ok = false;
    const uint number = colon > 0 ? target.mid(colon + 1).toUInt(&ok) : 0;
    QByteArray name = colon > 0 ? target.left(colon) : QByteArray();
    if (name.startsWith('[') && name.endsWith(']'))
        name = name.mid(1, name.size() - 2);
    if (!ok || number == 0 || number > 65535 || name.isEmpty()) {
        *error = tr("CONNECT target “%1” is not host:port.")
                     .arg(InputText::escaped(QString::fromLatin1(target.left(200))));
        return false;
    }
    *host = QString::fromLatin1(name);
    *port = quint16(number);
    return true;
}

QByteArray ProxyRequest::rewritten(const QByteArray &newTarget, const QByteArray &host,
    const QList<QPair<QByteArray, QByteArray>> &set, const QList<QByteArray> &remove) const
{
    auto named = [](const QList<QByteArray> &names, const QByteArray &name) {
        for (const QByteArray &n : names) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    QList<QByteArray> replaced;
    for (const auto &pair : set)
        replaced.append(pair.first);
    QByteArray out = method + ' ' + newTarget + ' ' + version + "\r\n";
    bool hostWritten = false;
    for (const auto &[key, value] : headers) {
        if (key.compare("Host", Qt::CaseInsensitive) == 0) {
            if (!hostWritten && !named(remove, key) && !named(replaced, key))
                out += key + ": " + host + "\r\n";
            hostWritten = true;
            continue;
        }
        if (key.compare("Proxy-Connection", Qt::CaseInsensitive) == 0
            || key.compare("Proxy-Authorization", Qt::CaseInsensitive) == 0)
            continue;
        if (named(remove, key) || named(replaced, key))
            continue;
        out += key + ": " + value + "\r\n";
    }
    if (!hostWritten && !named(replaced, "Host"))
        out += "Host: " + host + "\r\n";
    for (const auto &[key, value] : set)
        out += key + ": " + value + "\r\n";
    out += "\r\n";
    return out;
}

} // namespace wst
