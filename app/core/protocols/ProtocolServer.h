#pragma once

#include "ProtocolCommand.h"

#include <QCoreApplication>
#include <QList>
#include <QObject>

#include <memory>

namespace wst {

class Protocol;

// What a protocol server may do with the local server's clients. Implemented by the server's
// worker in the network thread; every call is made in that thread. Client ids are the server's.
class ProtocolServerSink
{
public:
    virtual ~ProtocolServerSink();
    // Sent and recorded in that client's history.
    virtual void sendText(quint32 clientId, const QString &text) = 0;
    virtual void sendBinary(quint32 clientId, const QByteArray &data) = 0;
    virtual void note(quint32 clientId, Kind kind, const QString &text) = 0;
    virtual void closeClient(quint32 clientId, int code, const QString &reason) = 0;
    virtual QList<quint32> clientIds() const = 0;
};

// The server half of a protocol for one running local server: a Socket.IO server, a GraphQL
// mock, a STOMP or MQTT broker. Holds what is shared between the clients (rooms, subscriptions,
// retained messages). Lives in the server's network thread; timers are its own children.
class ProtocolServer : public QObject
{
    Q_OBJECT
public:
    ProtocolServer(std::shared_ptr<const Protocol> protocol, ProtocolServerSink *sink);
    ~ProtocolServer() override;

    // A client's WebSocket is open (with this subprotocol and request path, e.g.
    // "/socket.io/?EIO=4&transport=websocket").
    virtual void clientOpened(quint32 clientId, const QString &subprotocol, const QString &path) = 0;
    virtual void received(quint32 clientId, Kind kind, const QByteArray &payload) = 0;
    virtual void clientClosed(quint32 clientId) = 0;
    // A command from the server tab's user, to one client (0: every client). Returns why not.
    virtual QString submit(quint32 clientId, const ProtocolCommand &command);

protected:
    const Protocol &protocol() const { return *m_protocol; }
    ProtocolServerSink &sink() const { return *m_sink; }

private:
    std::shared_ptr<const Protocol> m_protocol;
    ProtocolServerSink *m_sink;
};

} // namespace wst
