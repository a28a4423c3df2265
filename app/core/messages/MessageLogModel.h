#pragma once

#include "Message.h"
#include "StoreTableModel.h"
#include "protocols/ProtocolMessage.h"

#include <QCache>

#include <memory>

namespace wst {

class MessageStore;
class Protocol;

// The history of one connection as a table (batched like every StoreTableModel). Previews are
// made in data() for the rows the view asks for, and only from the first bytes.
class MessageLogModel : public StoreTableModel
{
    Q_OBJECT
public:
    // ClientColumn (the local server's client id) and the protocol columns come last so that
    // views can hide them (and move them before the preview when shown).
    enum Column {
        IdColumn,
        TimeColumn,
        DirectionColumn,
        KindColumn,
        SizeColumn,
        PreviewColumn,
        ClientColumn,
        ProtocolNameColumn, // event / operation / destination / topic
        ProtocolIdColumn, // ack id, operation id, message id, packet id
        ProtocolQosColumn, // MQTT QoS
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
        ProtocolRoleRole, // int (ProtocolMessage::Role): None on a raw connection and for events
        ProtocolDetailRole, // QString: the whole message decoded (ProtocolMessage::detailText), or ""
    };

    explicit MessageLogModel(std::shared_ptr<const MessageStore> store, QObject *parent = nullptr);
    ~MessageLogModel() override;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Messages are read as this protocol's (previews, protocol columns, filters); null or Raw:
    // as raw messages.
    void setProtocol(std::shared_ptr<const Protocol> protocol);
    std::shared_ptr<const Protocol> protocol() const { return m_protocol; }
    bool hasProtocol() const { return m_protocol != nullptr; }
    // The message at this store index as the protocol reads it (role None when there is no
    // protocol, the row is not a message, or it is too big to decode for a list).
    ProtocolMessage decoded(qint64 storeIndex) const;
    // Messages larger than this are not decoded for the list (the detail pane still does).
    static constexpr quint32 MaxDecodedForList = 256 * 1024;

    // Text describing one row of the store, for previews, filters and copying.
    static QString summary(const MessageStore &store, qint64 index, int maxChars = -1);
    static QString directionName(Direction d);
    static QString directionArrow(Direction d);
    static QString kindName(Kind k);

private:
    std::shared_ptr<const Protocol> m_protocol;
    // The view asks for the same rows' columns again and again while painting.
    mutable QCache<qint64, ProtocolMessage> m_decoded { 2000 };
};

} // namespace wst
