#pragma once

#include "Message.h"
#include "StoreTableModel.h"

#include <memory>

namespace wst {

class MessageStore;

// The history of one connection as a table (batched like every StoreTableModel). Previews are
// made in data() for the rows the view asks for, and only from the first bytes.
class MessageLogModel : public StoreTableModel
{
    Q_OBJECT
public:
    // ClientColumn (the local server's client id) comes last so that views can hide it.
    enum Column {
        IdColumn,
        TimeColumn,
        DirectionColumn,
        KindColumn,
        SizeColumn,
        PreviewColumn,
        ClientColumn,
        ColumnCount
    };
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

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Text describing one row of the store, for previews, filters and copying.
    static QString summary(const MessageStore &store, qint64 index, int maxChars = -1);
    static QString directionName(Direction d);
    static QString directionArrow(Direction d);
    static QString kindName(Kind k);
};

} // namespace wst
