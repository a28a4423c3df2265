#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>

namespace wst {

using StompHeaders = QList<QPair<QByteArray, QByteArray>>;

// One STOMP 1.2 frame (1.1 reads the same): a command line, headers, a blank line, the body and
// a NUL. EOL is LF or CRLF. Header names and values are kept unescaped here; the 1.2 escapes
// (\r \n \c \\) are applied on the wire, except on CONNECT and CONNECTED, which the spec leaves
// unescaped so that 1.0 peers can read them. A bare EOL between frames is a heart-beat; a
// WebSocket message may carry several frames.
struct StompFrame
{
    Q_DECLARE_TR_FUNCTIONS(StompFrame)
public:
    // Limits on what a peer may send (ActiveMQ's defaults): more is refused with a clear error.
    static constexpr int MaxHeaders = 1000;
    static constexpr int MaxHeaderLineBytes = 10 * 1024;
    static constexpr int MaxCommandBytes = 64;

    QByteArray command; // empty with heartbeat
    StompHeaders headers; // in order; a repeated header's first value is the one that counts
    QByteArray body;
    bool heartbeat = false;

    static StompFrame heartBeat();
    static StompFrame make(
        const QByteArray &command, const StompHeaders &headers = {}, const QByteArray &body = {});

    QByteArray header(const QByteArray &name, const QByteArray &fallback = {}) const;
    bool hasHeader(const QByteArray &name) const;
    // Replaces the first header of that name (and drops repeats), or appends it.
    void setHeader(const QByteArray &name, const QByteArray &value);
    void removeHeader(const QByteArray &name);

    QByteArray serialize() const;
    // Every frame of one WebSocket message, in order. A message made only of EOLs is one
    // heart-beat. On a malformed frame returns the frames before it and sets *error to one line
    // naming the problem.
    static QList<StompFrame> parseAll(const QByteArray &payload, QString *error);
    // Whether the command's headers are escaped (all but CONNECT and CONNECTED).
    static bool escapesHeaders(const QByteArray &command);
};

} // namespace wst
