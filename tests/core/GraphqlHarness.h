#pragma once
// Real sockets behind the protocol sinks, for the GraphQL-over-WebSocket tests: a QWebSocket
// client driving a ProtocolClient, and a QWebSocketServer driving a ProtocolServer.
#include "connection/ConnectionOptions.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolClient.h"
#include "protocols/ProtocolServer.h"

#include "NodePeer.h"

#include <QProcess>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QWebSocketServer>
#include <QtTest>

namespace wst::test {

inline ProtocolOptions graphqlOptions(const QJsonObject &params = {})
{
    ProtocolOptions o;
    o.id = ProtocolId::GraphqlWs;
    o.params = params;
    return o;
}

class ClientHarness : public QObject, public ProtocolClientSink
{
public:
    explicit ClientHarness(const ProtocolOptions &options)
        : protocol(Protocol::create(options))
        , client(protocol->createClient(this))
    {
        connect(&socket, &QWebSocket::connected, this, [this] { client->opened(); });
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            received.append(text);
            client->received(Kind::Text, text.toUtf8());
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closeCode = socket.closeCode();
            closed = true;
            client->closed();
        });
    }
    ~ClientHarness() override { disconnect(&socket, nullptr, this, nullptr); }
    void open(const QUrl &url, QStringList subprotocols = {})
    {
        ConnectionOptions options;
        options.url = url;
        options.subprotocols = subprotocols;
        protocol->prepare(options);
        QWebSocketHandshakeOptions handshake;
        handshake.setSubprotocols(options.subprotocols);
        socket.open(QNetworkRequest(url), handshake);
    }
    QString submit(const QString &verb, const QJsonValue &data, const QString &id = {})
    {
        ProtocolCommand c;
        c.verb = verb;
        c.data = data;
        c.id = id;
        return client->submit(c);
    }
    QList<ProtocolNotice> noticesOf(ProtocolNotice::Type type, const QString &id = {}) const
    {
        QList<ProtocolNotice> out;
        for (const ProtocolNotice &n : notices) {
            if (n.type == type && (id.isEmpty() || n.id == id))
                out.append(n);
        }
        return out;
    }
    // Decoded incoming messages of one type (and operation id).
    QList<ProtocolMessage> receivedOf(const QString &type, const QString &id = {}) const
    {
        QList<ProtocolMessage> out;
        for (const QString &text : received) {
            const ProtocolMessage m = protocol->decode(Direction::In, Kind::Text, text.toUtf8());
            if (m.type == type && (id.isEmpty() || m.id == id))
                out.append(m);
        }
        return out;
    }

    void sendText(const QString &text) override
    {
        sent.append(text);
        socket.sendTextMessage(text);
    }
    void sendBinary(const QByteArray &data) override { socket.sendBinaryMessage(data); }
    void note(Kind kind, const QString &text) override { notes.append({ kind, text }); }
    void notice(const ProtocolNotice &n) override { notices.append(n); }
    void closeConnection(int code, const QString &reason) override
    {
        socket.close(QWebSocketProtocol::CloseCode(code), reason);
    }

    std::shared_ptr<const Protocol> protocol;
    QWebSocket socket;
    std::unique_ptr<ProtocolClient> client;
    QStringList sent;
    QStringList received;
    QList<ProtocolNotice> notices;
    QList<QPair<Kind, QString>> notes;
    bool closed = false;
    int closeCode = -1;
};

class ServerHarness : public QObject, public ProtocolServerSink
{
public:
    explicit ServerHarness(const ProtocolOptions &options)
        : protocol(Protocol::create(options))
        , ws(QStringLiteral("graphql mock"), QWebSocketServer::NonSecureMode)
        , server(protocol->createServer(this))
    {
        ws.setSupportedSubprotocols(protocol->serverSubprotocols());
        connect(&ws, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = ws.nextPendingConnection()) {
                s->setParent(this); // the server hands them over unparented: LSan saw them leak
                const quint32 id = ++m_lastId;
                sockets.insert(id, s);
                subprotocols.append(s->subprotocol());
                connect(s, &QWebSocket::textMessageReceived, this, [this, id](const QString &text) {
                    received.append(text);
                    server->received(id, Kind::Text, text.toUtf8());
                });
                connect(s, &QWebSocket::disconnected, this, [this, id, s] {
                    closeCodes.append(s->closeCode());
                    sockets.remove(id);
                    server->clientClosed(id);
                    s->deleteLater();
                });
                server->clientOpened(id, s->subprotocol(), s->requestUrl().path());
            }
        });
    }
    ~ServerHarness() override
    {
        for (QWebSocket *s : std::as_const(sockets))
            disconnect(s, nullptr, this, nullptr);
    }
    bool listen() { return ws.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/graphql").arg(ws.serverPort())); }

    void sendText(quint32 clientId, const QString &text) override
    {
        sent.append(text);
        if (QWebSocket *s = sockets.value(clientId))
            s->sendTextMessage(text);
    }
    void sendBinary(quint32 clientId, const QByteArray &data) override
    {
        if (QWebSocket *s = sockets.value(clientId))
            s->sendBinaryMessage(data);
    }
    void note(quint32, Kind kind, const QString &text) override { notes.append({ kind, text }); }
    void closeClient(quint32 clientId, int code, const QString &reason) override
    {
        if (QWebSocket *s = sockets.value(clientId))
            s->close(QWebSocketProtocol::CloseCode(code), reason);
    }
    QList<quint32> clientIds() const override { return sockets.keys(); }

    std::shared_ptr<const Protocol> protocol;
    QWebSocketServer ws;
    std::unique_ptr<ProtocolServer> server;
    QHash<quint32, QWebSocket *> sockets;
    QStringList subprotocols;
    QStringList sent;
    QStringList received;
    QList<QPair<Kind, QString>> notes;
    QList<int> closeCodes;

private:
    quint32 m_lastId = 0;
};

} // namespace wst::test
