// A WebSocket server by hand on 127.0.0.1 (port 0) that records the exact close codes a client
// puts in its Close frames, even codes that a QWebSocketServer would refuse or rewrite (1005,
// 1006, 1015). It answers the upgrade with a correct 101, decodes the client's frames and
// answers a Close with a Close 1000, then ends the TCP connection.
#pragma once

#include <QCryptographicHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtEndian>

namespace wst::guitest {

class RawCloseServer : public QObject
{
public:
    RawCloseServer() { connect(&m_server, &QTcpServer::newConnection, this, &RawCloseServer::accept); }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/raw").arg(m_server.serverPort()); }
    // The codes of the client's Close frames, in order (-1 for one without a code).
    QList<int> closeCodes;

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            m_socket = socket;
            m_buffer.clear();
            m_upgraded = false;
            connect(socket, &QTcpSocket::readyRead, this, &RawCloseServer::read);
        }
    }

    void read()
    {
        m_buffer += m_socket->readAll();
        if (!m_upgraded) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            QByteArray key;
            for (const QByteArray &line : m_buffer.left(end).split('\n')) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-key")
                    key = line.mid(colon + 1).trimmed();
            }
            m_buffer.remove(0, end + 4);
            m_upgraded = true;
            m_socket->write(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: "
                + QCryptographicHash::hash(
                    QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                      .toBase64()
                + "\r\n\r\n");
        }
        // Client frames are short here: a 7-bit length and a mask.
        while (m_buffer.size() >= 6) {
            const quint8 opcode = quint8(m_buffer.at(0)) & 0x0f;
            const qsizetype length = quint8(m_buffer.at(1)) & 0x7f;
            if (length > 125 || m_buffer.size() < 6 + length)
                return;
            QByteArray payload = m_buffer.mid(6, length);
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload.at(i) ^ m_buffer.at(2 + i % 4));
            m_buffer.remove(0, 6 + length);
            if (opcode == 0x8) {
                closeCodes.append(
                    payload.size() >= 2 ? int(qFromBigEndian<quint16>(payload.constData())) : -1);
                m_socket->write(QByteArray::fromHex("8802") + QByteArray::fromHex("03e8"));
                m_socket->disconnectFromHost();
                return;
            }
        }
    }

    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_upgraded = false;
};

} // namespace wst::guitest
