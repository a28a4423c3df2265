#pragma once

#include "ProxyServer.h"

#include <QAbstractTableModel>

namespace wst {

// The messages intercept holds, waiting for Forward, Edit & forward or Drop: connection, way,
// kind, size and a one-line preview (the payload is read only for the rows shown).
class ProxyHeldModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ConnectionColumn, WayColumn, KindColumn, SizeColumn, PreviewColumn, ColumnCount };
    enum Role {
        HeldIdRole = Qt::UserRole + 1, // quint64
    };

    explicit ProxyHeldModel(QObject *parent = nullptr);

    // Held messages come and go in order; the list is replaced as a whole (it is short: a user
    // decides on each).
    void setHeld(const QList<ProxyServer::HeldMessage> &held);
    const QList<ProxyServer::HeldMessage> &held() const { return m_held; }
    const ProxyServer::HeldMessage *heldAt(int row) const;
    int rowForId(quint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "→ server" / "→ client".
    static QString wayText(ProxyServer::Way way);
    // The first line of a payload, at most `max` characters; hex for binary.
    static QString preview(Kind kind, const QByteArray &payload, int max = 120);

private:
    QList<ProxyServer::HeldMessage> m_held;
};

} // namespace wst
