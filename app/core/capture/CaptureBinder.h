#pragma once

#include <QtGlobal>

namespace wst {

class ClientConnection;
class LocalServer;
class ProxyServer;
class SessionRecorder;

// Binds live objects to a session recorder, so that the file layer (session/) knows no socket:
// a client connection's history and each handshake attempt, or a local server's history and
// each client's request, are recorded as they happen. The bindings last as long as both the
// recorder and the connection or server.
class CaptureBinder
{
public:
    // Rows below firstRow are in the file already (see SessionRecorder::attach()).
    static void follow(
        SessionRecorder *recorder, qint64 tabId, ClientConnection *connection, qint64 firstRow = 0);
    static void follow(SessionRecorder *recorder, qint64 tabId, LocalServer *server, qint64 firstRow = 0);
    // A proxy: its history and both handshakes of each connection (sides "downstream" and
    // "upstream"), rewritten as they grow.
    static void follow(SessionRecorder *recorder, qint64 tabId, ProxyServer *proxy, qint64 firstRow = 0);
};

} // namespace wst
