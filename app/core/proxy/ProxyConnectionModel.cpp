#include "ProxyConnectionModel.h"

#include "protocol/CloseCodes.h"
#include "session/SessionTab.h"

#include <QMap>

#include <algorithm>

namespace wst {

ProxyConnectionModel::ProxyConnectionModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProxyConnectionModel::setConnections(const QList<ProxyServer::ConnectionInfo> &connections)
{
    QList<ProxyServer::ConnectionInfo> sorted = connections;
    std::sort(sorted.begin(), sorted.end(),
        [](const ProxyServer::ConnectionInfo &a, const ProxyServer::ConnectionInfo &b) {
            return a.id < b.id;
        });
    // The usual change: counters ticked and new connections came at the end.
    bool prefix = sorted.size() >= m_connections.size();
    for (qsizetype i = 0; prefix && i < m_connections.size(); ++i)
        prefix = sorted.at(i).id == m_connections.at(i).id;
    if (!prefix) {
        beginResetModel();
        m_connections = sorted;
        endResetModel();
        return;
    }
    const qsizetype old = m_connections.size();
    if (old > 0) {
        for (qsizetype i = 0; i < old; ++i)
            m_connections[i] = sorted.at(i);
        Q_EMIT dataChanged(index(1, 0), index(int(old), ColumnCount - 1));
    }
    if (sorted.size() > old) {
        beginInsertRows({}, int(old) + 1, int(sorted.size()));
        for (qsizetype i = old; i < sorted.size(); ++i)
            m_connections.append(sorted.at(i));
        endInsertRows();
    }
}

QList<ProxyServer::ConnectionInfo> ProxyConnectionModel::fromHandshakes(
    const QList<SessionHandshake> &handshakes)
{
    QMap<quint32, ProxyServer::ConnectionInfo> byId;
    for (const SessionHandshake &h : handshakes) {
        if (h.conn == 0)
            continue;
        ProxyServer::ConnectionInfo &info = byId[h.conn];
        info.id = h.conn;
        info.open = false;
        if (h.isUpstream()) {
            info.upstreamRecord = h.record;
            const QByteArray host = HandshakeRecord::header(h.record.requestHeaders(), "Host");
            const QByteArray target = h.record.requestLine().split(' ').value(1);
            if (!host.isEmpty()) {
                info.upstream = QUrl((h.record.tls ? QStringLiteral("wss://") : QStringLiteral("ws://"))
                    + QString::fromUtf8(host) + QString::fromUtf8(target));
            } else if (!h.record.target.isEmpty()) {
                info.upstream = QUrl(
                    (h.record.tls ? QStringLiteral("wss://") : QStringLiteral("ws://")) + h.record.target);
            }
            info.error = h.record.upstreamError;
        } else {
            info.downstream = h.record;
            info.connectedUs = h.timeUs;
            // The downstream record's target is the peer, "address:port".
            const QString target = h.record.target;
            const int colon = int(target.lastIndexOf(QLatin1Char(':')));
            if (colon > 0) {
                QString host = target.left(colon);
                if (host.startsWith(QLatin1Char('[')))
                    host = host.mid(1, host.size() - 2);
                info.peerAddress = QHostAddress(host);
                info.peerPort = quint16(target.mid(colon + 1).toUInt());
            }
        }
    }
    return byId.values();
}

int ProxyConnectionModel::rowForConnection(quint32 id) const
{
    if (id == 0)
        return 0;
    for (qsizetype i = 0; i < m_connections.size(); ++i) {
        if (m_connections.at(i).id == id)
            return int(i) + 1;
    }
    return -1;
}

quint32 ProxyConnectionModel::connectionId(int row) const
{
    const ProxyServer::ConnectionInfo *info = connectionAt(row);
    return info ? info->id : 0;
}

const ProxyServer::ConnectionInfo *ProxyConnectionModel::connectionAt(int row) const
{
    if (row < 1 || row > m_connections.size())
        return nullptr;
    return &m_connections.at(row - 1);
}

const ProxyServer::ConnectionInfo *ProxyConnectionModel::connection(quint32 id) const
{
    return id ? connectionAt(rowForConnection(id)) : nullptr;
}

int ProxyConnectionModel::openCount() const
{
    return int(std::count_if(m_connections.cbegin(), m_connections.cend(),
        [](const ProxyServer::ConnectionInfo &c) { return c.open; }));
}

int ProxyConnectionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_connections.size()) + 1;
}

int ProxyConnectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProxyConnectionModel::peerText(const QHostAddress &address, quint16 port)
{
    if (address.isNull())
        return QString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

QString ProxyConnectionModel::stateText(const ProxyServer::ConnectionInfo &info)
{
    if (info.open)
        return tr("open");
    if (!info.error.isEmpty())
        return tr("failed");
    return tr("closed");
}

QVariant ProxyConnectionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    if (index.row() == 0) {
        if (role == ConnectionIdRole)
            return 0u;
        if (role == OpenRole)
            return false;
        if (role == Qt::DisplayRole && index.column() == IdColumn)
            return tr("All connections");
        if (role == Qt::ToolTipRole)
            return tr("Every connection's messages together");
        return {};
    }
    const ProxyServer::ConnectionInfo &c = m_connections.at(index.row() - 1);
    switch (role) {
    case ConnectionIdRole:
        return c.id;
    case OpenRole:
        return c.open;
    case Qt::ToolTipRole:
        if (!c.error.isEmpty())
            return c.error;
        if (!c.closeReason.isEmpty())
            return tr("Closed %1: %2").arg(c.closeCode).arg(c.closeReason);
        if (!c.extensions.isEmpty())
            return c.extensions;
        return c.upstream.toString();
    case Qt::TextAlignmentRole:
        if (index.column() == ToServerColumn || index.column() == ToClientColumn || index.column() == IdColumn
            || index.column() == CloseColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case IdColumn:
        return QString::number(c.id);
    case PeerColumn:
        return peerText(c.peerAddress, c.peerPort);
    case UpstreamColumn:
        return c.upstream.toString();
    case StateColumn:
        return stateText(c);
    case ToServerColumn:
        return c.open || c.messagesToServer ? QVariant(QString::number(c.messagesToServer)) : QVariant();
    case ToClientColumn:
        return c.open || c.messagesToClient ? QVariant(QString::number(c.messagesToClient)) : QVariant();
    case CloseColumn:
        return c.closeCode ? QVariant(QString::number(c.closeCode)) : QVariant();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ProxyConnectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case IdColumn:
            return tr("The connection's number; the history's rows carry it");
        case PeerColumn:
            return tr("The app's address and port, as the proxy saw it");
        case UpstreamColumn:
            return tr("The server the proxy forwarded the connection to");
        case StateColumn:
            return tr("Open, closed, or failed (the server could not be reached)");
        case ToServerColumn:
            return tr("Messages the app sent to the server");
        case ToClientColumn:
            return tr("Messages the server sent to the app");
        case CloseColumn:
            return tr("The close code, once the connection closed");
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case IdColumn:
        return tr("#");
    case PeerColumn:
        return tr("Client");
    case UpstreamColumn:
        return tr("Server");
    case StateColumn:
        return tr("State");
    case ToServerColumn:
        return tr("→ server");
    case ToClientColumn:
        return tr("→ client");
    case CloseColumn:
        return tr("Close");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace wst
