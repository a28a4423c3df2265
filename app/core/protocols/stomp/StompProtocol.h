#pragma once

#include "protocols/Protocol.h"

#include <QMutex>

namespace wst {

struct StompFrame;

// STOMP 1.2 (1.1 accepted) over WebSocket, key "stomp". Params (ProtocolOptions::params):
//   "login", "passcode"  credentials sent in CONNECT (a local broker with a login set refuses
//                        other credentials with an ERROR); default none
//   "host"               the CONNECT host header; default the URL's host
//   "heartbeatOutMs"     how often we can send heart-beats (CONNECT/CONNECTED heart-beat cx/sx);
//                        default 10000, 0 = never
//   "heartbeatInMs"      how often we want the peer's heart-beats; default 10000, 0 = never
//   "version"            "1.2" (offers 1.2 and 1.1) or "1.1" (offers 1.1 only); default "1.2"
// A client offers the subprotocols v12.stomp and v11.stomp (v11.stomp alone with version 1.1)
// unless the user set some; a local server also accepts v10.stomp (and then speaks 1.1 rules).
class StompProtocol final : public Protocol
{
    Q_DECLARE_TR_FUNCTIONS(StompProtocol)
public:
    static constexpr int DefaultHeartbeatMs = 10000;

    explicit StompProtocol(const ProtocolOptions &options);

    QString validate() const override;
    void prepare(ConnectionOptions &options) const override;
    QStringList verbs() const override { return commandVerbs(); }
    static const QStringList &commandVerbs();
    QStringList serverSubprotocols() const override;
    ProtocolMessage decode(Direction direction, Kind kind, const QByteArray &payload) const override;
    QJsonObject toJson(const ProtocolMessage &message) const override;
    std::unique_ptr<ProtocolClient> createClient(ProtocolClientSink *sink) const override;
    std::unique_ptr<ProtocolServer> createServer(ProtocolServerSink *sink) const override;

    int heartbeatOutMs() const;
    int heartbeatInMs() const;
    // "1.2,1.1" or "1.1": what a CONNECT offers.
    QByteArray acceptVersion() const;
    // The CONNECT host: the "host" param, else the host of the URL prepare() last saw.
    QString connectHost() const;
    // One frame as a protocol message (the history's columns, the detail pane).
    static ProtocolMessage describe(const StompFrame &frame);
    // The body as JSON when it parses as JSON (objects, arrays and scalars); undefined otherwise.
    static QJsonValue bodyJson(const QByteArray &body);

private:
    // prepare() is the one place a protocol sees the URL; the client made afterwards needs its
    // host for CONNECT. Written and read in the network thread; the mutex keeps it safe anyway.
    mutable QMutex m_urlMutex;
    mutable QString m_urlHost;
};

} // namespace wst
