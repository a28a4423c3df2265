#pragma once

#include "ServerOptions.h"
#include "protocols/ProtocolCommand.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace wst {

class MessageStore;
class ServerWorker;

// A WebSocket server on this machine, for testing clients. Lives in the caller's thread; its
// sockets live in the network thread, which records every client's messages and events into
// store() with the client's id as the row's connection id (0 for the server's own events).
class LocalServer : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Listening, Error };
    Q_ENUM(State)

    struct ClientInfo
    {
        quint32 id = 0;
        QHostAddress peerAddress;
        quint16 peerPort = 0;
        qint64 connectedUs = 0;
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        bool connected = true;
        int closeCode = 0;
        QString subprotocol;
        QString origin;
        QByteArray handshakeRequest; // exactly as read from the wire
        // As written to the wire, when the server's shim relays the client (empty otherwise:
        // Qt writes the 101 itself).
        QByteArray handshakeResponse;
        QString extensions; // what was agreed (permessage-deflate's parameters), in words
    };

    explicit LocalServer(QObject *parent = nullptr);
    ~LocalServer() override;

    std::shared_ptr<MessageStore> store() const { return m_store; }
    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    QList<ClientInfo> clients() const { return m_clients; }
    ClientInfo client(quint32 id) const;

    void start(const ServerOptions &options);
    // Closes every client with 1001 and stops listening.
    void stop();
    // clientId 0 sends to every connected client.
    void sendText(quint32 clientId, const QString &text);
    void sendBinary(quint32 clientId, const QByteArray &data);
    bool ping(quint32 clientId, const QByteArray &payload = {});
    bool kick(quint32 clientId, int code, const QString &reason);
    // A command to the protocol the server speaks (emit to a client; 0: every client). A
    // refusal is an Error row in the history.
    void submit(quint32 clientId, const ProtocolCommand &command);

Q_SIGNALS:
    void stateChanged(wst::LocalServer::State state);
    void clientsChanged();
    // Every client is gone after stop().
    void stopped();

private:
    std::shared_ptr<MessageStore> m_store;
    QPointer<ServerWorker> m_worker;
    State m_state = State::Stopped;
    QUrl m_url;
    QString m_error;
    QList<ClientInfo> m_clients;
};

} // namespace wst

Q_DECLARE_METATYPE(wst::LocalServer::ClientInfo)
