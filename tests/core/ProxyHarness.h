#pragma once

// What the proxy's tests share: a python websockets peer started as a process (it prints its
// port first), a proxy started and waited for, a client connection through it, and look-ups in
// a store.
#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "proxy/ProxyServer.h"

#include <QProcess>
#include <QtTest>

namespace proxytest {

using namespace wst;

// A peer script run by Debian's python (see TESTING.md); port() is what it printed.
class Peer
{
public:
    explicit Peer(const QString &script, const QStringList &args = {})
    {
        m_process.start(QStringLiteral("/usr/bin/python3"),
            QStringList { QStringLiteral(WST_PEERS_DIR "/") + script } + args);
        if (!m_process.waitForStarted(10000))
            return;
        QElapsedTimer t;
        t.start();
        while (!m_process.canReadLine() && t.elapsed() < 20000)
            m_process.waitForReadyRead(100);
        m_port = quint16(m_process.readLine().trimmed().toUInt());
    }
    ~Peer()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    quint16 port() const { return m_port; }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_port).arg(path));
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

inline bool start(ProxyServer &proxy, const ProxyOptions &options)
{
    proxy.start(options);
    return QTest::qWaitFor([&proxy] { return proxy.state() != ProxyServer::State::Stopped; }, 10000)
        && proxy.state() == ProxyServer::State::Listening;
}

inline ProxyOptions reverseTo(const QUrl &upstream)
{
    ProxyOptions options;
    options.upstream = upstream;
    return options;
}

inline bool openThrough(ClientConnection &client, const QUrl &url, bool deflate = true)
{
    ConnectionOptions options;
    options.url = url;
    options.deflate.enabled = deflate;
    client.open(options);
    return QTest::qWaitFor(
               [&client] {
                   return client.state() == ClientConnection::State::Open
                       || client.state() == ClientConnection::State::Error
                       || client.state() == ClientConnection::State::Closed;
               },
               20000)
        && client.state() == ClientConnection::State::Open;
}

// The payloads of the data rows of one direction, in order.
inline QList<QByteArray> payloads(const MessageStore &store, Direction dir, quint32 connection = 0)
{
    QList<QByteArray> out;
    for (qint64 i = 0; i < store.count(); ++i) {
        const MessageRow &r = store.row(i);
        if (r.direction == dir && (r.kind == Kind::Text || r.kind == Kind::Binary)
            && (connection == 0 || r.connectionId == connection))
            out.append(store.payloadCopy(i));
    }
    return out;
}

inline qint64 countRows(const MessageStore &store, Direction dir, Kind kind)
{
    qint64 n = 0;
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).direction == dir && store.row(i).kind == kind)
            ++n;
    }
    return n;
}

// The first row of this direction and kind whose payload contains `part`, or -1.
inline qint64 findRow(const MessageStore &store, Direction dir, Kind kind, const QByteArray &part)
{
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).direction == dir && store.row(i).kind == kind && store.payloadCopy(i).contains(part))
            return i;
    }
    return -1;
}

inline QString dump(const MessageStore &store)
{
    QString out;
    for (qint64 i = 0; i < store.count(); ++i) {
        const MessageRow &r = store.row(i);
        out += QStringLiteral("%1 c%2 d%3 k%4 x%5 %6\n")
                   .arg(i)
                   .arg(r.connectionId)
                   .arg(int(r.direction))
                   .arg(int(r.kind))
                   .arg(r.extra)
                   .arg(QString::fromUtf8(store.payloadCopy(i).left(120)));
    }
    return out;
}

} // namespace proxytest
