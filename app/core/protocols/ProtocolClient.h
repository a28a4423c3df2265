#pragma once

#include "ProtocolCommand.h"

#include <QCoreApplication>
#include <QObject>

#include <memory>

namespace wst {

class Protocol;

// What a client session may do with its connection. Implemented by the connection's worker in
// the network thread; every call is made in that thread.
class ProtocolClientSink
{
public:
    virtual ~ProtocolClientSink();
    // Sent and recorded in the history as outgoing messages, like the user's own.
    virtual void sendText(const QString &text) = 0;
    virtual void sendBinary(const QByteArray &data) = 0;
    // An Info or Error row in the history ("Engine.IO: the server stopped answering pings").
    virtual void note(Kind kind, const QString &text) = 0;
    virtual void notice(const ProtocolNotice &notice) = 0;
    // Closes the WebSocket (a protocol failure the session cannot recover from).
    virtual void closeConnection(int code, const QString &reason) = 0;
};

// One protocol session on one client connection: answers keep-alives, runs the protocol's
// handshake, turns commands into frames, matches replies to what asked for them. Lives in the
// network thread; made by Protocol::createClient() for every connection attempt (a reconnect
// gets a new one). Timers it needs are its own children.
class ProtocolClient : public QObject
{
    Q_OBJECT
public:
    ProtocolClient(std::shared_ptr<const Protocol> protocol, ProtocolClientSink *sink);
    ~ProtocolClient() override;

    // The WebSocket is open: start the protocol's handshake (or wait for the server's, as
    // Engine.IO does).
    virtual void opened() = 0;
    // A complete message from the server (Text payloads are UTF-8), in the order they came.
    virtual void received(Kind kind, const QByteArray &payload) = 0;
    // The WebSocket closed: stop the timers; pending operations end.
    virtual void closed() = 0;

    // A command from the user. Before the protocol's handshake is done it is queued and sent
    // once it is (in order); refused at once when it cannot be carried out: returns why, in one
    // line (also what the caller shows), or an empty string.
    QString submit(const ProtocolCommand &command);
    bool isReady() const { return m_ready; }

protected:
    // Carries out a command now (the handshake is done). Returns why not, or "".
    virtual QString execute(const ProtocolCommand &command) = 0;
    // Checks a command before it is queued (bad JSON, unknown verb, a QoS out of range). The
    // default accepts everything.
    virtual QString check(const ProtocolCommand &command) const;
    // The handshake is done: sends a Ready notice and the queued commands.
    void setReady();
    // The connection is no longer usable for commands (closed or refused).
    void setNotReady() { m_ready = false; }

    const Protocol &protocol() const { return *m_protocol; }
    ProtocolClientSink &sink() const { return *m_sink; }

private:
    std::shared_ptr<const Protocol> m_protocol;
    ProtocolClientSink *m_sink;
    bool m_ready = false;
    QList<ProtocolCommand> m_queue;
};

} // namespace wst
