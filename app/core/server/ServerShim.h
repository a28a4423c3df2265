#pragma once

#include "ServerFrameStage.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QTcpSocket;
class QTimer;

namespace wst {

// A byte shim between one client's socket and QWebSocketServer, for what Qt 6.4's server cannot
// do: permessage-deflate, failing unmasked frames, the faults "send slowly" and "stop answering
// pings". QWebSocketServer gets one end of a socketpair (innerSocket(), which reports the
// client's address); the shim relays the client's bytes to the other end through a
// ServerFrameStage and back. Only clients that need it are shimmed: the relay costs a copy each
// way. Lives in the network thread; the client's socket becomes its child.
class ServerShim : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        std::optional<DeflateAgreement> deflate;
        QByteArray extensionsValue; // the 101's Sec-WebSocket-Extensions when deflate
        quint64 maxMessageBytes = quint64(64) << 20;
        bool dropPings = false;
        qint64 bytesPerSecond = 0; // 0: as fast as the client takes them
    };

    // client: its handshake request (requestSize bytes) still unread in its buffer.
    ServerShim(QTcpSocket *client, qsizetype requestSize, const Settings &settings, QObject *parent);
    ~ServerShim() override;

    // The socket to hand to QWebSocketServer (no parent; Qt's code owns it then); null when the
    // socketpair could not be made (then errorString() says why).
    QTcpSocket *innerSocket() const { return m_innerForQt; }
    QString errorString() const { return m_error; }
    QTcpSocket *client() const { return m_client; }
    void setDropPings(bool drop) { m_stage.setDropPings(drop); }
    const ServerFrameStage::Totals &totals() const { return m_stage.totals(); }

Q_SIGNALS:
    // The 101 (or refusal) as written to the client.
    void responseSent(const QByteArray &head);
    void pingsDropped(const QList<QByteArray> &payloads);
    // The client broke the protocol: the shim sent it a Close with this code and hangs up.
    void failed(int code, const QString &reason);

private:
    void fromClient();
    void fromQt();
    void writeToClient(const QByteArray &bytes);
    void pace();
    void closeBoth();
    void failClient();
    QByteArray editHead(const QByteArray &head) const;

    QPointer<QTcpSocket> m_client;
    QTcpSocket *m_outer = nullptr; // our end of the pair
    QTcpSocket *m_innerForQt = nullptr;
    ServerFrameStage m_stage;
    Settings m_settings;
    qsizetype m_requestLeft; // request bytes still to pass unchanged
    QByteArray m_head; // Qt's response head, held until whole
    bool m_headDone = false;
    bool m_passThrough = false; // Qt refused: its bytes pass unchanged
    bool m_failed = false;
    QByteArray m_slowQueue;
    QTimer *m_paceTimer = nullptr;
    QString m_error;
};

} // namespace wst
