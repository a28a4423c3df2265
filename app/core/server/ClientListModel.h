#pragma once

#include "LocalServer.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace wst {

// The clients of a LocalServer as a table, for the server tab's client list. It follows the
// server's clientsChanged() with row insertions, removals and dataChanged (never a reset), so a
// view keeps its selection while counters tick. Optionally row 0 is an "All clients" entry.
class ClientListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { IdColumn, PeerColumn, SinceColumn, InColumn, OutColumn, StateColumn, ColumnCount };
    enum Role {
        ClientIdRole = Qt::UserRole + 1, // quint32: the client's id (0: the "All clients" row)
        ConnectedRole, // bool
        CloseCodeRole, // int: 0 while connected
    };

    explicit ClientListModel(QObject *parent = nullptr);

    void setServer(LocalServer *server);
    LocalServer *server() const { return m_server; }

    // Whether row 0 is an "All clients" entry (client id 0).
    void setAllRow(bool on);
    bool hasAllRow() const { return m_allRow; }

    // The row of a client (-1 when it is not listed), and the client of a row (0 for "All").
    int rowForClient(quint32 id) const;
    quint32 clientId(int row) const;
    const LocalServer::ClientInfo *clientAt(int row) const;
    int connectedCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Reads the server's list now (the server's clientsChanged() calls it).
    void refresh();

    static QString peerText(const QHostAddress &address, quint16 port);

private:
    int offset() const { return m_allRow ? 1 : 0; }

    QPointer<LocalServer> m_server;
    QList<LocalServer::ClientInfo> m_clients; // sorted by id
    QMetaObject::Connection m_connection;
    bool m_allRow = false;
};

} // namespace wst
