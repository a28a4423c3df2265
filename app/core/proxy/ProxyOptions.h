#pragma once

#include "server/FaultPlan.h"
#include "server/ReplyRules.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace wst {

// Where a breakpoint stops messages: which direction, and which messages (the reply rules'
// matcher: exact, contains, regex, JSON field).
struct ProxyBreakpoint
{
    enum class Direction { Both, ToServer, ToClient };
    Direction direction = Direction::Both;
    ReplyRule match; // only match/value/field/regex are used
    bool enabled = true;
    bool operator==(const ProxyBreakpoint &other) const;
};

// Everything a proxy is started with. A plain value: copied to the network thread.
struct ProxyOptions
{
    Q_DECLARE_TR_FUNCTIONS(ProxyOptions)
public:
    enum class Mode {
        // Every client that connects to the listening address is forwarded to `upstream`; the
        // request's path and query are appended to the upstream URL's path.
        Reverse,
        // An HTTP proxy a browser or app is pointed at: CONNECT host:port (ws:// and, with a
        // certificate wstester signs for that host, wss://) or an absolute-URI GET for ws://.
        Explicit,
    };

    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port
    Mode mode = Mode::Reverse;
    QUrl upstream; // ws:// or wss://; Reverse only
    // PEM files: with both the proxy listens as wss:// (Reverse) or decrypts CONNECT tunnels
    // to wss:// servers (Explicit, where the certificate is the CA that signs per-host ones).
    QString certificateFile;
    QString keyFile;
    bool ignoreUpstreamTlsErrors = false;
    // Request headers rewritten on the way up: set (replace or add) and removed, by name.
    QList<QPair<QByteArray, QByteArray>> setHeaders;
    QList<QByteArray> removeHeaders;
    // The proxy's own permessage-deflate handling is the implementation's; the offer of the
    // client is passed on unless this is false (then stripped: both sides talk uncompressed).
    bool passCompression = true;
    // Faults applied to what goes to the client (server → client), as a local server's.
    FaultPlan faults;
    // Messages matching an enabled breakpoint are held (see ProxyServer::messageHeld).
    QList<ProxyBreakpoint> breakpoints;
    static constexpr qint64 DefaultMaxMessageSize = qint64(64) << 20;
    qint64 maxMessageSize = DefaultMaxMessageSize; // a larger one fails that connection (1009)
    static constexpr int DefaultMaxHeld = 10000;
    int maxHeld = DefaultMaxHeld; // held messages per proxy; beyond it a direction forwards again

    bool isSecure() const { return !certificateFile.isEmpty(); }
    // Empty when the options can be used; otherwise the first problem, one line.
    QString validate() const;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ProxyOptions)
