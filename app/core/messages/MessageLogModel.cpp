#include "MessageLogModel.h"

#include "MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocols/Protocol.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <limits>

namespace wst {

namespace {

constexpr int PreviewChars = 200;

// A preview line: at most PreviewChars, an ellipsis where it was cut.
QString cutPreview(QString line)
{
    if (line.size() > PreviewChars) {
        line.truncate(PreviewChars);
        line += QChar(0x2026);
    }
    return line;
}

// The time column's HH:mm:ss.zzz in local time. QDateTime asks the C library for the zone at
// every call (tzset() and a stat of /etc/localtime), which showed in the traces of a painted
// history; the offset from UTC is looked up once per quarter hour instead, the step at which
// zones change their offsets (at :00, :15, :30 or :45 UTC, +05:45 and the like included). A zone
// changed under the running app shows once another quarter hour is looked up.
QString clockText(qint64 ms)
{
    constexpr qint64 QuarterMs = 15 * 60 * 1000;
    constexpr qint64 DayMs = 24 * 60 * 60 * 1000;
    thread_local qint64 cachedQuarter = std::numeric_limits<qint64>::min();
    thread_local qint64 cachedOffsetMs = 0;
    const qint64 quarter = ms >= 0 ? ms / QuarterMs : -((-ms + QuarterMs - 1) / QuarterMs);
    if (quarter != cachedQuarter) {
        cachedOffsetMs = qint64(QDateTime::fromMSecsSinceEpoch(quarter * QuarterMs).offsetFromUtc()) * 1000;
        cachedQuarter = quarter;
    }
    const qint64 t = ((ms + cachedOffsetMs) % DayMs + DayMs) % DayMs;
    const int h = int(t / 3600000);
    const int m = int(t / 60000 % 60);
    const int s = int(t / 1000 % 60);
    const int z = int(t % 1000);
    const char text[] = { char('0' + h / 10), char('0' + h % 10), ':', char('0' + m / 10), char('0' + m % 10),
        ':', char('0' + s / 10), char('0' + s % 10), '.', char('0' + z / 100), char('0' + z / 10 % 10),
        char('0' + z % 10) };
    return QString::fromLatin1(text, sizeof text);
}

// A decoded document on one line, as compact JSON, cut at PreviewChars.
QString previewOf(const QJsonValue &value)
{
    QByteArray json;
    if (value.isObject())
        json = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    else if (value.isArray())
        json = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else // a scalar: an array of one, without its brackets
        json = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact).chopped(1).mid(1);
    return cutPreview(QString::fromUtf8(json.left(PreviewChars * 4)));
}

QString previewText(QByteArrayView bytes, int maxChars)
{
    // Decode only what the preview can show; a UTF-8 character is at most 4 bytes.
    const bool cut = maxChars >= 0 && bytes.size() > qsizetype(maxChars) * 4;
    QString text = QString::fromUtf8(cut ? bytes.first(qsizetype(maxChars) * 4) : bytes);
    if (maxChars >= 0 && text.size() > maxChars) {
        text.truncate(maxChars);
        text += QChar(0x2026);
    }
    for (QChar &c : text) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            c = u' ';
    }
    return text;
}

QString hexPreview(QByteArrayView bytes, int maxChars)
{
    const qsizetype maxBytes = maxChars < 0 ? bytes.size() : qMax(1, maxChars / 3);
    QString s = QString::fromLatin1(bytes.first(qMin(bytes.size(), maxBytes)).toByteArray().toHex(' '));
    if (bytes.size() > maxBytes)
        s += QChar(0x2026);
    return s;
}

} // namespace

MessageLogModel::MessageLogModel(std::shared_ptr<const MessageStore> store, QObject *parent)
    : StoreTableModel(std::move(store), parent)
{
    // A cleared history numbers its rows from 0 again.
    connect(this, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_decoded.clear();
        m_documents.clear();
        m_decodedPreviews.clear();
        m_highlightOf.clear();
    });
}

MessageLogModel::~MessageLogModel() = default;

void MessageLogModel::setProtocol(std::shared_ptr<const Protocol> protocol)
{
    if (protocol && protocol->isRaw())
        protocol = nullptr;
    if (protocol == m_protocol)
        return;
    beginResetModel();
    m_protocol = std::move(protocol);
    m_decoded.clear();
    endResetModel();
}

ProtocolMessage MessageLogModel::decoded(qint64 storeIndex) const
{
    if (!m_protocol || storeIndex < 0 || storeIndex >= m_store->count())
        return {};
    const MessageRow &r = m_store->row(storeIndex);
    if ((r.kind != Kind::Text && r.kind != Kind::Binary) || r.size > MaxDecodedForList)
        return {};
    if (const ProtocolMessage *cached = m_decoded.object(storeIndex))
        return *cached;
    auto *message
        = new ProtocolMessage(m_protocol->decode(r.direction, r.kind, m_store->payload(storeIndex)));
    const ProtocolMessage copy = *message;
    m_decoded.insert(storeIndex, message);
    return copy;
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount + int(m_jsonColumns.size());
}

bool MessageLogModel::addJsonColumn(const QString &path, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QString text = path.trimmed();
    if (!text.startsWith(u'$')) {
        *error = tr("A JSON column's path starts with \"$\", as in $.type or $.data.price");
        return false;
    }
    std::optional<JsonPath> parsed = JsonPath::parse(text, error);
    if (!parsed)
        return false;
    const int column = columnCount();
    beginInsertColumns({}, column, column);
    m_jsonColumns.append({ text, std::move(*parsed) });
    endInsertColumns();
    Q_EMIT viewSettingsChanged();
    return true;
}

void MessageLogModel::removeJsonColumn(int index)
{
    if (index < 0 || index >= m_jsonColumns.size())
        return;
    beginRemoveColumns({}, ColumnCount + index, ColumnCount + index);
    m_jsonColumns.removeAt(index);
    endRemoveColumns();
    Q_EMIT viewSettingsChanged();
}

QStringList MessageLogModel::jsonColumns() const
{
    QStringList paths;
    for (const JsonColumn &c : m_jsonColumns)
        paths << c.text;
    return paths;
}

const JsonPath *MessageLogModel::jsonColumnPath(int column) const
{
    const int i = column - ColumnCount;
    return i >= 0 && i < m_jsonColumns.size() ? &m_jsonColumns.at(i).path : nullptr;
}

void MessageLogModel::setDocumentDecoder(DocumentDecoder decoder, DocumentTextDecoder text)
{
    m_binaryDecoder = bool(decoder);
    m_decoder = decoder ? std::move(decoder) : MessageDocument::defaultDecoder();
    m_textDecoder = m_binaryDecoder ? std::move(text) : DocumentTextDecoder();
    m_documents.clear();
    m_decodedPreviews.clear();
    m_highlightOf.clear();
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, columnCount() - 1));
}

QJsonValue MessageLogModel::decodeDocument(qint64 storeIndex) const
{
    if (storeIndex < 0 || storeIndex >= m_store->count())
        return QJsonValue(QJsonValue::Undefined);
    const MessageRow &r = m_store->row(storeIndex);
    if ((r.kind != Kind::Text && r.kind != Kind::Binary) || r.size > MaxDecodedForList)
        return QJsonValue(QJsonValue::Undefined);
    return m_decoder(r.direction, r.kind, m_store->payload(storeIndex));
}

QJsonValue MessageLogModel::document(qint64 storeIndex) const
{
    if (const QJsonValue *cached = m_documents.object(storeIndex))
        return *cached;
    auto *value = new QJsonValue(decodeDocument(storeIndex));
    const QJsonValue copy = *value;
    m_documents.insert(storeIndex, value);
    return copy;
}

void MessageLogModel::setHighlightRules(const HighlightRules &rules)
{
    m_highlight = rules;
    m_highlightOf.clear();
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, columnCount() - 1), { HighlightRole });
    Q_EMIT viewSettingsChanged();
}

QString MessageLogModel::directionName(Direction d)
{
    switch (d) {
    case Direction::In:
        return tr("in");
    case Direction::Out:
        return tr("out");
    case Direction::Event:
        return tr("event");
    }
    return {};
}

QString MessageLogModel::directionArrow(Direction d)
{
    switch (d) {
    case Direction::In:
        return QStringLiteral("\u2193 ") + tr("in");
    case Direction::Out:
        return QStringLiteral("\u2191 ") + tr("out");
    case Direction::Event:
        return QStringLiteral("\u2022 ") + tr("event");
    }
    return {};
}

QString MessageLogModel::kindName(Kind k)
{
    switch (k) {
    case Kind::Text:
        return tr("text");
    case Kind::Binary:
        return tr("binary");
    case Kind::Ping:
        return tr("ping");
    case Kind::Pong:
        return tr("pong");
    case Kind::Close:
        return tr("close");
    case Kind::Open:
        return tr("open");
    case Kind::Error:
        return tr("error");
    case Kind::Info:
        return tr("info");
    }
    return {};
}

QString MessageLogModel::summary(const MessageStore &store, qint64 index, int maxChars)
{
    const MessageRow &r = store.row(index);
    // No copy of a big payload for its one-line preview.
    const MessageStore::ReadGuard guard(store);
    const QByteArray bytes = store.payload(index, guard);
    switch (r.kind) {
    case Kind::Text:
    case Kind::Error:
    case Kind::Info:
        return previewText(bytes, maxChars);
    case Kind::Binary:
        return hexPreview(bytes, maxChars);
    case Kind::Open:
        // A local server's rows carry the client id and, for Open, the client's address.
        if (r.connectionId != 0)
            return tr("Client %1 connected from %2").arg(r.connectionId).arg(previewText(bytes, maxChars));
        return bytes.isEmpty()
            ? tr("Connected")
            : tr("Connected, subprotocol \u201c%1\u201d").arg(previewText(bytes, maxChars));
    case Kind::Close: {
        QString s = tr("Close %1 (%2)").arg(r.extra).arg(CloseCodes::description(int(r.extra)));
        if (!bytes.isEmpty())
            s += QStringLiteral(": ") + previewText(bytes, maxChars);
        return s;
    }
    case Kind::Ping:
        return bytes.isEmpty() ? tr("Ping") : tr("Ping: %1").arg(previewText(bytes, maxChars));
    case Kind::Pong: {
        QString s = r.extra >= 0 ? tr("Pong, round trip %1 ms").arg(double(r.extra) / 1000.0, 0, 'f', 2)
                                 : tr("Pong (unsolicited)");
        if (!bytes.isEmpty())
            s += QStringLiteral(": ") + previewText(bytes, maxChars);
        return s;
    }
    }
    return {};
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    const qint64 si = m_first + index.row();
    const MessageRow &r = m_store->row(si);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return si + 1;
        case TimeColumn:
            return clockText(r.timeUs / 1000);
        case DirectionColumn:
            return directionArrow(r.direction);
        case KindColumn:
            return kindName(r.kind);
        case SizeColumn:
            return QLocale().toString(qint64(r.size));
        case PreviewColumn:
            if (m_protocol) {
                if (const ProtocolMessage m = decoded(si); m.isProtocol())
                    return cutPreview(m.summary()).replace(u'\n', u' ');
            }
            if (m_binaryDecoder && r.kind == Kind::Binary) {
                // Serialised once per row, not at every paint.
                if (const QString *line = m_decodedPreviews.object(si))
                    return *line;
                if (m_textDecoder && r.size <= MaxDecodedForList) {
                    const QByteArray json = m_textDecoder(r.direction, m_store->payload(si));
                    if (!json.isEmpty()) {
                        const QString line = cutPreview(QString::fromUtf8(json.left(PreviewChars * 4)));
                        m_decodedPreviews.insert(si, new QString(line));
                        return line;
                    }
                }
                const QJsonValue value = document(si);
                if (!value.isUndefined()) {
                    const QString line = previewOf(value);
                    m_decodedPreviews.insert(si, new QString(line));
                    return line;
                }
            }
            return summary(*m_store, si, PreviewChars);
        case ClientColumn:
            return r.connectionId ? QVariant(r.connectionId) : QVariant();
        case ProtocolNameColumn:
            return m_protocol ? decoded(si).name : QString();
        case ProtocolIdColumn:
            return m_protocol ? decoded(si).id : QString();
        case ProtocolQosColumn: {
            const int qos = m_protocol ? decoded(si).qos : -1;
            return qos >= 0 ? QVariant(qos) : QVariant();
        }
        }
        if (const JsonPath *path = jsonColumnPath(index.column())) {
            if (r.kind != Kind::Text && r.kind != Kind::Binary)
                return {};
            const QJsonValue value = path->first(document(si));
            return value.isUndefined() ? QVariant() : QVariant(JsonPath::scalarText(value));
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == SizeColumn || index.column() == ClientColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000).toString(Qt::ISODateWithMs);
        return {};
    case StoreIndexRole:
        return si;
    case DirectionRole:
        return int(r.direction);
    case KindRole:
        return int(r.kind);
    case TimeUsRole:
        return r.timeUs;
    case SizeRole:
        return qint64(r.size);
    case ExtraRole:
        return r.extra;
    case PayloadRole:
        return m_store->payloadCopy(si);
    case SummaryRole:
        return summary(*m_store, si, -1);
    case ConnectionIdRole:
        return r.connectionId;
    case HighlightRole: {
        if (m_highlight.isEmpty() || (r.kind != Kind::Text && r.kind != Kind::Binary))
            return -1;
        if (const int *cached = m_highlightOf.object(si))
            return *cached;
        const int colour = m_highlight.match(document(si));
        m_highlightOf.insert(si, new int(colour));
        return colour;
    }
    case ProtocolRoleRole:
        return int(m_protocol ? decoded(si).role : ProtocolMessage::Role::None);
    case ProtocolDetailRole: {
        // For the selected message only: decoded whole, whatever its size.
        if (!m_protocol || (r.kind != Kind::Text && r.kind != Kind::Binary))
            return QString();
        const ProtocolMessage m = m_protocol->decode(r.direction, r.kind, m_store->payload(si));
        return m.isProtocol() ? m.detailText() : QString();
    }
    }
    return {};
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (isJsonColumn(section) && section < columnCount()) {
        const QString path = m_jsonColumns.at(section - ColumnCount).text;
        if (role == Qt::DisplayRole || role == JsonPathRole)
            return path;
        if (role == Qt::ToolTipRole)
            return tr("JSON column %1: right-click the header to remove it").arg(path);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return tr("Dir");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Size");
    case PreviewColumn:
        return tr("Preview");
    case ClientColumn:
        return tr("Client");
    case ProtocolNameColumn:
        return tr("Event / topic");
    case ProtocolIdColumn:
        return tr("Id");
    case ProtocolQosColumn:
        return tr("QoS");
    }
    return {};
}

} // namespace wst
