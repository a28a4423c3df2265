#pragma once

#include "ProxyServer.h"

#include <QAbstractTableModel>

namespace wst {

struct SessionHandshake;

// A proxy's connections as a table, for the proxy tab's list: who connected, where it was
// forwarded, its state, the messages each way and the close code. Row 0 is "All connections"
// (id 0). Follows setConnections() with insertions and dataChanged (a reset only when a
// connection vanished), so the view keeps its selection while counters tick. A reopened session's
// connections come from their recorded handshakes (setRecorded()).
class ProxyConnectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        PeerColumn,
        UpstreamColumn,
        StateColumn,
        ToServerColumn,
        ToClientColumn,
        CloseColumn,
        ColumnCount
    };
    enum Role {
        ConnectionIdRole = Qt::UserRole + 1, // quint32 (0: "All connections")
        OpenRole, // bool
    };

    explicit ProxyConnectionModel(QObject *parent = nullptr);

    void setConnections(const QList<ProxyServer::ConnectionInfo> &connections);
    // The connections of a recorded session: one per connection id, from its two handshakes
    // (side "downstream" and "upstream"); counts from the recorded rows are not known here.
    static QList<ProxyServer::ConnectionInfo> fromHandshakes(const QList<SessionHandshake> &handshakes);
    const QList<ProxyServer::ConnectionInfo> &connections() const { return m_connections; }

    int rowForConnection(quint32 id) const; // -1 when not listed; 0 for id 0
    quint32 connectionId(int row) const;
    const ProxyServer::ConnectionInfo *connectionAt(int row) const;
    const ProxyServer::ConnectionInfo *connection(quint32 id) const;
    int openCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString peerText(const QHostAddress &address, quint16 port);
    // "open", "closed", "failed", in the language of the moment.
    static QString stateText(const ProxyServer::ConnectionInfo &info);

private:
    QList<ProxyServer::ConnectionInfo> m_connections; // sorted by id
};

} // namespace wst
