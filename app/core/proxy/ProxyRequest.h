#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace wst {

// The head of an HTTP request a proxy reads from a client: "GET /path HTTP/1.1" (a WebSocket
// upgrade), "CONNECT host:port HTTP/1.1" (an explicit proxy's tunnel) or "GET ws://host/path"
// (an absolute URI). Parsed from the bytes up to and including the blank line.
struct ProxyRequest
{
    Q_DECLARE_TR_FUNCTIONS(ProxyRequest)
public:
    static constexpr int MaxHeadBytes = 16 * 1024;
    static constexpr int MaxHeaders = 100;

    QByteArray method;
    QByteArray target; // as in the request line
    QByteArray version; // "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers; // wire order, values trimmed
    QString error; // one line; empty when parsed

    // The length of the head (up to and including "\r\n\r\n") at the start of data, 0 while it
    // is incomplete, -1 when it is already longer than MaxHeadBytes.
    static qsizetype headLength(const QByteArray &data);
    static ProxyRequest parse(const QByteArray &head);

    bool isValid() const { return error.isEmpty(); }
    bool isConnect() const { return method == "CONNECT"; }
    QByteArray header(const QByteArray &name) const; // first of that name, case-insensitive
    bool isWebSocketUpgrade() const;
    // CONNECT: the host and port of the target ("example.com:443", "[::1]:8080"). False with
    // *error when the target is not host:port.
    bool connectTarget(QString *host, quint16 *port, QString *error) const;
    // The request line and headers again, with the target replaced, Host set to `host`, and the
    // headers named in `remove` taken out and those in `set` replaced or added.
    QByteArray rewritten(const QByteArray &newTarget, const QByteArray &host,
        const QList<QPair<QByteArray, QByteArray>> &set, const QList<QByteArray> &remove) const;
};

} // namespace wst
