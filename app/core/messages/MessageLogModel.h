#pragma once

#include "Message.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <memory>

namespace wst {

class MessageStore;

// The history of one connection as a table. It does not copy rows: it shows the first
// rowCount() rows of the store and learns of new ones by polling the store's published count
// on a timer, so a flood costs the GUI thread one beginInsertRows per batch, not per message.
// Previews are made in data() for the rows the view asks for, and only from the first bytes.
class MessageLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // ClientColumn (the local server's client id) comes last so that views can hide it.
    enum Column { IdColumn, TimeColumn, DirectionColumn, KindColumn, SizeColumn, PreviewColumn, ClientColumn, ColumnCount };
    enum Role {
        StoreIndexRole = Qt::UserRole + 1, // qint64: index in the store
        DirectionRole, // int (wst::Direction)
        KindRole, // int (wst::Kind)
        TimeUsRole, // qint64
        SizeRole, // qint64
        ExtraRole, // qint64: close code / round trip µs
        PayloadRole, // QByteArray: the whole payload
        SummaryRole, // QString: a description of the row as text (for events and copying)
        ConnectionIdRole, // quint32: the local server's client id (0: the server itself, or a client tab)
    };

    explicit MessageLogModel(std::shared_ptr<const MessageStore> store, QObject *parent = nullptr);
    ~MessageLogModel() override;

    const MessageStore &store() const { return *m_store; }
    qint64 storeIndex(int row) const { return m_first + row; }
    int rowForStoreIndex(qint64 index) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // How often new rows are published to views (ms).
    void setBatchInterval(int ms);
    int batchInterval() const { return m_timer.interval(); }

    // Publishes what the store has now (the timer calls this; tests may call it directly).
    void publish();
    // Hides every row held so far; the store keeps them.
    void clear();

    // Text describing one row of the store, for previews, filters and copying.
    static QString summary(const MessageStore &store, qint64 index, int maxChars = -1);
    static QString directionName(Direction d);
    static QString directionArrow(Direction d);
    static QString kindName(Kind k);

Q_SIGNALS:
    // Emitted after each batch of published rows, with how many were added.
    void rowsPublished(int added);

private:
    std::shared_ptr<const MessageStore> m_store;
    qint64 m_first = 0; // the store index of row 0 (after clear())
    int m_rows = 0;
    QTimer m_timer;
};

} // namespace wst
