#include "ClientListModel.h"

#include "protocol/CloseCodes.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace wst {

namespace {

bool sameRow(const LocalServer::ClientInfo &a, const LocalServer::ClientInfo &b)
{
    return a.messagesIn == b.messagesIn && a.messagesOut == b.messagesOut && a.connected == b.connected
        && a.closeCode == b.closeCode && a.peerPort == b.peerPort && a.peerAddress == b.peerAddress
        && a.connectedUs == b.connectedUs;
}

} // namespace

ClientListModel::ClientListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ClientListModel::setServer(LocalServer *server)
{
    if (server == m_server)
        return;
    disconnect(m_connection);
    beginResetModel();
    m_server = server;
    m_clients.clear();
    endResetModel();
    if (m_server) {
        m_connection = connect(m_server, &LocalServer::clientsChanged, this, &ClientListModel::refresh);
        refresh();
    }
}

void ClientListModel::setAllRow(bool on)
{
    if (on == m_allRow)
        return;
    if (on) {
        beginInsertRows({}, 0, 0);
        m_allRow = true;
        endInsertRows();
    } else {
        beginRemoveRows({}, 0, 0);
        m_allRow = false;
        endRemoveRows();
    }
}

int ClientListModel::rowForClient(quint32 id) const
{
    if (id == 0)
        return m_allRow ? 0 : -1;
    const auto it = std::lower_bound(m_clients.cbegin(), m_clients.cend(), id,
        [](const LocalServer::ClientInfo &c, quint32 value) { return c.id < value; });
    if (it == m_clients.cend() || it->id != id)
        return -1;
    return int(it - m_clients.cbegin()) + offset();
}

quint32 ClientListModel::clientId(int row) const
{
    const LocalServer::ClientInfo *c = clientAt(row);
    return c ? c->id : 0;
}

const LocalServer::ClientInfo *ClientListModel::clientAt(int row) const
{
    const int i = row - offset();
    if (i < 0 || i >= m_clients.size())
        return nullptr;
    return &m_clients.at(i);
}

int ClientListModel::connectedCount() const
{
    return int(std::count_if(
        m_clients.cbegin(), m_clients.cend(), [](const LocalServer::ClientInfo &c) { return c.connected; }));
}

int ClientListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size()) + offset();
}

int ClientListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ClientListModel::peerText(const QHostAddress &address, quint16 port)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4) // also an IPv4-mapped IPv6 address of a server listening on ::
        return QHostAddress(v4).toString() + QLatin1Char(':') + QString::number(port);
    return QLatin1Char('[') + address.toString() + QLatin1String("]:") + QString::number(port);
}

QVariant ClientListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LocalServer::ClientInfo *c = clientAt(index.row());
    if (!c) { // the "All clients" row
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == IdColumn)
                return tr("All");
            if (index.column() == PeerColumn)
                return tr("All clients");
            if (index.column() == StateColumn)
                return tr("%n connected", nullptr, connectedCount());
            return {};
        case Qt::ToolTipRole:
            return tr("Every client's messages together, and the server's own events");
        case ClientIdRole:
            return quint32(0);
        case ConnectedRole:
            return connectedCount() > 0;
        case CloseCodeRole:
            return 0;
        default:
            return {};
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return c->id;
        case PeerColumn:
            return peerText(c->peerAddress, c->peerPort);
        case SinceColumn:
            return QDateTime::fromMSecsSinceEpoch(c->connectedUs / 1000).toString(QStringLiteral("HH:mm:ss"));
        case InColumn:
            return c->messagesIn;
        case OutColumn:
            return c->messagesOut;
        case StateColumn:
            if (c->connected)
                return tr("Connected");
            return tr("Closed (%1)").arg(c->closeCode);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case SinceColumn:
            return QLocale().toString(
                QDateTime::fromMSecsSinceEpoch(c->connectedUs / 1000), QLocale::LongFormat);
        case StateColumn:
            if (c->connected)
                return c->subprotocol.isEmpty() ? tr("Connected")
                                                : tr("Connected, subprotocol %1").arg(c->subprotocol);
            return tr("Closed with %1: %2").arg(c->closeCode).arg(CloseCodes::description(c->closeCode));
        default:
            return c->origin.isEmpty() ? QVariant() : QVariant(tr("Origin: %1").arg(c->origin));
        }
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == InColumn || index.column() == OutColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case ClientIdRole:
        return c->id;
    case ConnectedRole:
        return c->connected;
    case CloseCodeRole:
        return c->connected ? 0 : c->closeCode;
    default:
        return {};
    }
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn:
            return tr("Client");
        case PeerColumn:
            return tr("Peer");
        case SinceColumn:
            return tr("Since");
        case InColumn:
            return tr("In");
        case OutColumn:
            return tr("Out");
        case StateColumn:
            return tr("State");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case IdColumn:
            return tr("The client's id, as in the history's Client column");
        case PeerColumn:
            return tr("The client's address and port");
        case SinceColumn:
            return tr("When the client connected");
        case InColumn:
            return tr("Messages received from the client");
        case OutColumn:
            return tr("Messages sent to the client");
        case StateColumn:
            return tr("Connected, or closed with its close code");
        }
    }
    return {};
}

void ClientListModel::refresh()
{
    QList<LocalServer::ClientInfo> next = m_server ? m_server->clients() : QList<LocalServer::ClientInfo>();
    std::sort(next.begin(), next.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    QSet<quint32> nextIds;
    nextIds.reserve(next.size());
    for (const LocalServer::ClientInfo &c : std::as_const(next))
        nextIds.insert(c.id);

    // Removals, from the back, in runs of neighbouring rows.
    for (qsizetype i = m_clients.size() - 1; i >= 0;) {
        if (nextIds.contains(m_clients.at(i).id)) {
            --i;
            continue;
        }
        qsizetype first = i;
        while (first > 0 && !nextIds.contains(m_clients.at(first - 1).id))
            --first;
        beginRemoveRows({}, int(first) + offset(), int(i) + offset());
        m_clients.remove(first, i - first + 1);
        endRemoveRows();
        i = first - 1;
    }

    // What is left is a sorted subset of next: insert the new ones in runs, update the others.
    qsizetype changedFirst = -1;
    qsizetype changedLast = -1;
    qsizetype i = 0;
    for (qsizetype n = 0; n < next.size();) {
        if (i < m_clients.size() && m_clients.at(i).id == next.at(n).id) {
            if (!sameRow(m_clients.at(i), next.at(n))) {
                m_clients[i] = next.at(n);
                if (changedFirst < 0)
                    changedFirst = i;
                changedLast = i;
            }
            ++i;
            ++n;
            continue;
        }
        qsizetype end = n;
        while (end < next.size() && (i >= m_clients.size() || next.at(end).id < m_clients.at(i).id))
            ++end;
        beginInsertRows({}, int(i) + offset(), int(i + end - n - 1) + offset());
        for (qsizetype k = n; k < end; ++k)
            m_clients.insert(i + (k - n), next.at(k));
        endInsertRows();
        i += end - n;
        n = end;
    }
    if (changedFirst >= 0)
        Q_EMIT dataChanged(
            index(int(changedFirst) + offset(), 0), index(int(changedLast) + offset(), ColumnCount - 1));
    if (m_allRow)
        Q_EMIT dataChanged(index(0, StateColumn), index(0, StateColumn));
}

} // namespace wst
