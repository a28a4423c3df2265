// Real WebSockets on 127.0.0.1 behind a ProtocolClient or ProtocolServer, standing in for the
// connection and server workers: what they send, note and notice is recorded for the tests.
#pragma once

#include "connection/ConnectionOptions.h"
#include "protocols/Protocol.h"
#include "protocols/ProtocolClient.h"
#include "protocols/ProtocolServer.h"

#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QWebSocketServer>

#include <map>

namespace wst::test {

class ClientHarness : public QObject, public ProtocolClientSink
{
public:
    explicit ClientHarness(const ProtocolOptions &options)
        : protocol(Protocol::create(options))
    {
        QObject::connect(&ws, &QWebSocket::connected, this, [this] {
            subprotocol = ws.subprotocol();
            client->opened();
        });
        QObject::connect(&ws, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            incoming.append(text.toUtf8());
            client->received(Kind::Text, text.toUtf8());
        });
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
            incoming.append(data);
            client->received(Kind::Binary, data);
        });
        QObject::connect(&ws, &QWebSocket::disconnected, this, [this] {
            disconnected = true;
            if (client)
                client->closed();
        });
    }
    ~ClientHarness() override
    {
        QObject::disconnect(&ws, nullptr, this, nullptr);
        ws.abort();
        client.reset();
    }
    void open(const QUrl &url)
    {
        ConnectionOptions options;
        options.url = url;
        protocol->prepare(options);
        offered = options.subprotocols;
        client = protocol->createClient(this);
        QWebSocketHandshakeOptions handshake;
        handshake.setSubprotocols(options.subprotocols);
        ws.open(QNetworkRequest(url), handshake);
    }
    void sendText(const QString &text) override
    {
        outgoing.append(text.toUtf8());
        ws.sendTextMessage(text);
    }
    void sendBinary(const QByteArray &data) override
    {
        outgoing.append(data);
        ws.sendBinaryMessage(data);
    }
    void note(Kind kind, const QString &text) override { notes.append({ kind, text }); }
    void notice(const ProtocolNotice &n) override { notices.append(n); }
    void closeConnection(int code, const QString &reason) override
    {
        ws.close(QWebSocketProtocol::CloseCode(code), reason);
    }

    QList<ProtocolNotice> noticesOf(ProtocolNotice::Type type) const
    {
        QList<ProtocolNotice> out;
        for (const ProtocolNotice &n : notices) {
            if (n.type == type)
                out.append(n);
        }
        return out;
    }
    // Incoming messages decoded, of one STOMP command ("MESSAGE", "heart-beat").
    QList<ProtocolMessage> decoded(const QString &type, bool out = false) const
    {
        QList<ProtocolMessage> result;
        for (const QByteArray &payload : out ? outgoing : incoming) {
            const ProtocolMessage m
                = protocol->decode(out ? Direction::Out : Direction::In, Kind::Text, payload);
            if (m.type == type)
                result.append(m);
        }
        return result;
    }

    std::shared_ptr<const Protocol> protocol;
    std::unique_ptr<ProtocolClient> client;
    QWebSocket ws;
    QString subprotocol;
    QStringList offered;
    QList<QByteArray> incoming;
    QList<QByteArray> outgoing;
    QList<QPair<Kind, QString>> notes;
    QList<ProtocolNotice> notices;
    bool disconnected = false;
};

class ServerHarness : public QObject, public ProtocolServerSink
{
public:
    explicit ServerHarness(const ProtocolOptions &options)
        : protocol(Protocol::create(options))
        , server(QStringLiteral("wst-test"), QWebSocketServer::NonSecureMode)
    {
        broker = protocol->createServer(this);
        server.setSupportedSubprotocols(protocol->serverSubprotocols());
        QObject::connect(&server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *ws = server.nextPendingConnection()) {
                const quint32 id = ++lastId;
                sockets[id] = ws;
                subprotocols[id] = ws->subprotocol();
                QObject::connect(ws, &QWebSocket::textMessageReceived, this,
                    [this, id](const QString &text) { broker->received(id, Kind::Text, text.toUtf8()); });
                QObject::connect(ws, &QWebSocket::binaryMessageReceived, this,
                    [this, id](const QByteArray &data) { broker->received(id, Kind::Binary, data); });
                QObject::connect(ws, &QWebSocket::disconnected, this, [this, id] {
                    if (const auto it = sockets.find(id); it != sockets.end()) {
                        it->second->deleteLater();
                        sockets.erase(it);
                        broker->clientClosed(id);
                    }
                });
                broker->clientOpened(id, ws->subprotocol(), ws->requestUrl().path());
            }
        });
    }
    ~ServerHarness() override
    {
        for (const auto &entry : sockets) {
            QObject::disconnect(entry.second, nullptr, this, nullptr);
            delete entry.second;
        }
        sockets.clear();
        broker.reset();
    }
    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/stomp").arg(server.serverPort())); }

    void sendText(quint32 id, const QString &text) override
    {
        sent[id].append(text.toUtf8());
        if (const auto it = sockets.find(id); it != sockets.end())
            it->second->sendTextMessage(text);
    }
    void sendBinary(quint32 id, const QByteArray &data) override
    {
        sent[id].append(data);
        if (const auto it = sockets.find(id); it != sockets.end())
            it->second->sendBinaryMessage(data);
    }
    void note(quint32 id, Kind kind, const QString &text) override { notes.append({ id, kind, text }); }
    void closeClient(quint32 id, int code, const QString &reason) override
    {
        closes.append({ id, code });
        if (const auto it = sockets.find(id); it != sockets.end())
            it->second->close(QWebSocketProtocol::CloseCode(code), reason);
    }
    QList<quint32> clientIds() const override
    {
        QList<quint32> ids;
        for (const auto &entry : sockets)
            ids.append(entry.first);
        return ids;
    }

    struct Note
    {
        quint32 id;
        Kind kind;
        QString text;
    };
    std::shared_ptr<const Protocol> protocol;
    std::unique_ptr<ProtocolServer> broker;
    QWebSocketServer server;
    std::map<quint32, QWebSocket *> sockets;
    std::map<quint32, QString> subprotocols;
    std::map<quint32, QList<QByteArray>> sent;
    QList<Note> notes;
    QList<QPair<quint32, int>> closes;
    quint32 lastId = 0;
};

} // namespace wst::test
