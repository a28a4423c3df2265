#pragma once

#include "StoreTableModel.h"

#include <memory>

namespace wst {

class MessageStore;
struct FrameInfo;
struct MessageRow;

// The raw frame view of a connection: one row per frame as it crossed the wire, from the store
// the wire relay fills (ClientConnection::frames()). Published in batches like the history.
class FrameLogModel : public StoreTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        TimeColumn,
        DirectionColumn,
        OpcodeColumn,
        FinColumn,
        RsvColumn,
        MaskColumn,
        LengthColumn,
        BytesColumn,
        ColumnCount
    };

    explicit FrameLogModel(std::shared_ptr<const MessageStore> store, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    FrameInfo frame(int row) const;

private:
    QVariant noteData(qint64 si, const MessageRow &r, int column) const;
};

} // namespace wst
