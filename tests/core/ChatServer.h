#pragma once

// An in-process WebSocket server that scenario tests script: a small chat with a few commands.
//   {"op":"join","user":U}  -> the sender gets {"op":"welcome","token":HEX}, everyone else "U joined"
//   "__json"                -> {"id":"abc123","n":5,"items":[{"id":1},{"id":2}]}
//   "__noise N then TEXT"   -> N messages "noise i", then TEXT
//   "__delay MS TEXT"       -> TEXT after MS milliseconds
//   "__close CODE"          -> closes with CODE
//   "__error"               -> "error: boom"
//   anything else           -> echoed (binary too)
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

class ChatServer : public QObject
{
public:
    explicit ChatServer(QObject *parent = nullptr)
        : QObject(parent)
        , m_server(QStringLiteral("chat"), QWebSocketServer::NonSecureMode)
    {
        m_server.setSupportedSubprotocols({ QStringLiteral("chat") });
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                m_clients.append(s);
                m_lastUser = QString::fromUtf8(s->request().rawHeader("X-User"));
                connect(
                    s, &QWebSocket::textMessageReceived, this, [this, s](const QString &m) { onText(s, m); });
                connect(s, &QWebSocket::binaryMessageReceived, s,
                    [s](const QByteArray &data) { s->sendBinaryMessage(data); });
                connect(s, &QWebSocket::disconnected, this, [this, s] {
                    m_clients.removeAll(s);
                    s->deleteLater();
                });
            }
        });
    }
    // The members go before QObject's children: a client socket closed by m_server's destructor
    // would otherwise reach m_clients after it is freed (ASan: heap-use-after-free at exit).
    ~ChatServer() override
    {
        const QList<QWebSocket *> sockets = findChildren<QWebSocket *>();
        for (QWebSocket *socket : sockets)
            socket->disconnect(this);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    void close() { m_server.close(); }
    QString lastUserHeader() const { return m_lastUser; }

private:
    void onText(QWebSocket *s, const QString &m)
    {
        const QJsonObject o = QJsonDocument::fromJson(m.toUtf8()).object();
        if (o.value(QLatin1String("op")).toString() == QLatin1String("join")) {
            const QString token = QString::number(QRandomGenerator::global()->generate() | 0x10000000u, 16);
            s->sendTextMessage(QString::fromUtf8(QJsonDocument(
                QJsonObject { { QStringLiteral("op"), QStringLiteral("welcome") },
                    { QStringLiteral("token"),
                        token } }).toJson(QJsonDocument::Compact)));
            for (QWebSocket *other : std::as_const(m_clients)) {
                if (other != s)
                    other->sendTextMessage(
                        o.value(QLatin1String("user")).toString() + QStringLiteral(" joined"));
            }
        } else if (m == QLatin1String("__json")) {
            s->sendTextMessage(QStringLiteral(R"({"id":"abc123","n":5,"items":[{"id":1},{"id":2}]})"));
        } else if (m.startsWith(QLatin1String("__noise "))) {
            const QStringList parts = m.split(u' ');
            for (int i = 1; i <= parts.value(1).toInt(); ++i)
                s->sendTextMessage(QStringLiteral("noise %1").arg(i));
            s->sendTextMessage(m.section(u' ', 3));
        } else if (m.startsWith(QLatin1String("__delay "))) {
            QTimer::singleShot(m.section(u' ', 1, 1).toInt(), s,
                [s, text = m.section(u' ', 2)] { s->sendTextMessage(text); });
        } else if (m.startsWith(QLatin1String("__close "))) {
            s->close(QWebSocketProtocol::CloseCode(m.section(u' ', 1, 1).toInt()), m.section(u' ', 2));
        } else if (m == QLatin1String("__error")) {
            s->sendTextMessage(QStringLiteral("error: boom"));
        } else {
            s->sendTextMessage(m);
        }
    }

    QWebSocketServer m_server;
    QList<QWebSocket *> m_clients;
    QString m_lastUser;
};
