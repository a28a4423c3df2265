#pragma once

#include "protocol/HandshakeRecord.h"

#include <QJsonObject>
#include <QString>

namespace wst {

// A tab as the session file keeps it: what the recorder writes and the reader reads back.
struct SessionTab
{
    qint64 id = 0;
    int position = 0;
    QString kind = QStringLiteral("client"); // "client", "server" or "proxy"
    QString title;
    QString url;
    QJsonObject settings;
    bool readOnly = false;
    qint64 createdUs = 0;

    // Filled by SessionReader::countMessages() only (for `session info`).
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 events = 0;
    qint64 firstUs = 0; // 0 when the tab has no rows
    qint64 lastUs = 0;
    qint64 messageCount() const { return messagesIn + messagesOut + events; }
    bool isServer() const { return kind == QLatin1StringView("server"); }
    bool isProxy() const { return kind == QLatin1StringView("proxy"); }
    // Rows carry a connection id per client (a local server's clients, a proxy's connections).
    bool hasConnections() const { return isServer() || isProxy(); }
};

// A row of the handshakes table: a client tab's handshake (conn 0), a local server client's
// request (conn = the client's id), or one of a proxied connection's two handshakes (conn = the
// connection's id; details "side": "downstream" (the app ↔ the proxy) or "upstream" (the proxy ↔
// the server)).
struct SessionHandshake
{
    qint64 id = 0;
    qint64 tab = 0;
    quint32 conn = 0;
    qint64 timeUs = 0;
    HandshakeRecord record;
    // The `details` column as stored (see handshakeDetails()): also keys that a record does not
    // model, e.g. those of an imported HAR, which an export passes on.
    QJsonObject details;
    QString side() const { return details.value(QLatin1StringView("side")).toString(); }
    bool isUpstream() const { return side() == QLatin1StringView("upstream"); }
};

} // namespace wst
