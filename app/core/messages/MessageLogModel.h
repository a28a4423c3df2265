#pragma once

#include "HighlightRules.h"
#include "Message.h"
#include "MessageDocument.h"
#include "StoreTableModel.h"
#include "format/JsonPath.h"
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
        HighlightRole, // int: the colour (HighlightRules::Colour) of the first matching rule, or -1
        JsonPathRole, // QString: a JSON column's path (header data), empty for the fixed columns
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

    // JSON columns: after the fixed ones (ColumnCount + i), each the first value a JSON path
    // selects in the message's document, made for the rows on screen only.
    bool addJsonColumn(const QString &path, QString *error);
    void removeJsonColumn(int index); // index among the JSON columns
    QStringList jsonColumns() const;
    int jsonColumnCount() const { return int(m_jsonColumns.size()); }
    static bool isJsonColumn(int column) { return column >= ColumnCount; }
    // The JSON column's path (column = ColumnCount + i).
    const JsonPath *jsonColumnPath(int column) const;

    // How a payload becomes a JSON document (MessageDocument::fromPayload unless set): binary
    // decoders plug in here. With one set, the preview of a binary row is its decoded document
    // (compact JSON) instead of hex, where it decodes: text, when given, as the decoder writes it
    // (its keys in the order the details show them), else the document's.
    void setDocumentDecoder(DocumentDecoder decoder, DocumentTextDecoder text = {});
    bool hasBinaryDecoder() const { return m_binaryDecoder; }
    // A payload as the tab's decoder reads it (any size; the diff's two messages).
    QJsonValue document(Direction direction, Kind kind, const QByteArray &payload) const
    {
        return m_decoder(direction, kind, payload);
    }
    // The row's document, decoded now (not cached: for scans over many rows); undefined for rows
    // that are not JSON or are larger than MaxDecodedForList.
    QJsonValue decodeDocument(qint64 storeIndex) const;
    // The same through a small cache, for the rows on screen.
    QJsonValue document(qint64 storeIndex) const;

    void setHighlightRules(const HighlightRules &rules);
    const HighlightRules &highlightRules() const { return m_highlight; }

Q_SIGNALS:
    // The JSON columns or the highlight rules changed (what a session saves).
    void viewSettingsChanged();

private:
    struct JsonColumn
    {
        QString text;
        JsonPath path;
    };
    QList<JsonColumn> m_jsonColumns;
    DocumentDecoder m_decoder = MessageDocument::defaultDecoder();
    bool m_binaryDecoder = false;
    DocumentTextDecoder m_textDecoder;
    mutable QCache<qint64, QJsonValue> m_documents { 1000 };
    mutable QCache<qint64, QString> m_decodedPreviews { 1000 }; // binary rows' decoded previews
    HighlightRules m_highlight;
    mutable QCache<qint64, int> m_highlightOf { 4000 };
    std::shared_ptr<const Protocol> m_protocol;
    // The view asks for the same rows' columns again and again while painting.
    mutable QCache<qint64, ProtocolMessage> m_decoded { 2000 };
};

} // namespace wst
