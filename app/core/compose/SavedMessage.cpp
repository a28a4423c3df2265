#include "SavedMessage.h"

#include "MessageFormat.h"

#include <QJsonDocument>

#include <algorithm>

namespace wst {

QStringList SavedMessage::formats()
{
    QStringList keys;
    for (MessageFormat::Type type : MessageFormat::all()) {
        if (type != MessageFormat::Type::File) // a saved message carries its bytes, not a path
            keys.append(MessageFormat::key(type));
    }
    return keys;
}

bool SavedMessage::isValidFormat(const QString &format)
{
    return formats().contains(format);
}

bool SavedMessage::isBinary() const
{
    return MessageFormat::isBinary(MessageFormat::fromKey(format, MessageFormat::Type::Text));
}

bool SavedMessage::encode(const QString &format, const QString &body, bool *binary, QByteArray *payload,
    QString *error, const PayloadCodec *codec)
{
    if (!isValidFormat(format)) {
        *error = tr("Unknown message format \u201c%1\u201d.").arg(format);
        return false;
    }
    MessageFormat::Encoded encoded = MessageFormat::encode(*MessageFormat::fromKey(format), body, codec);
    *binary = encoded.binary;
    *payload = std::move(encoded.payload);
    *error = encoded.error;
    return error->isEmpty();
}

QString SavedMessage::preview(int maxChars) const
{
    QString text = body.simplified();
    if (text.size() > maxChars)
        text = text.left(maxChars - 1) + QChar(0x2026);
    return text;
}

namespace {

// At most `max` characters, cut after a whole word when there is one, with "…" when cut.
QString shortened(const QString &text, int max)
{
    if (text.size() <= max)
        return text;
    QString cut = text.left(max - 1);
    const qsizetype space = cut.lastIndexOf(QLatin1Char(' '));
    if (space >= max / 2)
        cut.truncate(space);
    return cut.trimmed() + QChar(0x2026);
}

} // namespace

QString SavedMessage::suggestName(const QString &body)
{
    const QString trimmed = body.trimmed();
    if (trimmed.startsWith(QLatin1Char('{'))) {
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toUtf8());
        if (doc.isObject()) {
            const QJsonObject object = doc.object();
            for (const char *key : { "type", "event", "action", "op", "method", "command" }) {
                const QJsonValue v = object.value(QLatin1StringView(key));
                if (v.isString() && !v.toString().simplified().isEmpty())
                    return shortened(v.toString().simplified(), MaxSuggestedName);
            }
            if (!object.isEmpty()) {
                // In the order written, not QJsonObject's sorted one.
                QList<std::pair<qsizetype, QString>> written;
                for (const QString &k : object.keys())
                    written.append({ trimmed.indexOf(QLatin1Char('"') + k + QLatin1Char('"')), k });
                std::sort(written.begin(), written.end());
                QStringList first;
                for (qsizetype n = 0; n < written.size() && n < 3; ++n)
                    first.append(written.at(n).second);
                const QString more = object.size() > 3 ? QStringLiteral(", \u2026") : QString();
                return shortened(
                    QLatin1Char('{') + first.join(QStringLiteral(", ")) + more + QLatin1Char('}'),
                    MaxSuggestedName);
            }
        }
    }
    const QString firstLine = trimmed.section(QLatin1Char('\n'), 0, 0).simplified();
    return shortened(firstLine.isEmpty() ? trimmed.simplified() : firstLine, MaxSuggestedName);
}

QJsonObject SavedMessage::toJson() const
{
    return { { QStringLiteral("name"), name }, { QStringLiteral("format"), format },
        { QStringLiteral("body"), body } };
}

SavedMessage SavedMessage::fromJson(const QJsonObject &object, QString *error)
{
    SavedMessage m;
    error->clear();
    for (const char *key : { "name", "format", "body" }) {
        const QJsonValue v = object.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isString()) {
            *error = tr("\u201c%1\u201d must be a string.").arg(QLatin1String(key));
            return m;
        }
    }
    m.name = object.value(QLatin1String("name")).toString();
    m.body = object.value(QLatin1String("body")).toString();
    m.format = object.value(QLatin1String("format")).toString(QStringLiteral("text"));
    if (!isValidFormat(m.format))
        *error = tr("\u201c"
                    "format\u201d must be text, json, hex or base64, not \u201c%1\u201d.")
                     .arg(m.format);
    return m;
}

SavedMessageList::SavedMessageList(QObject *parent)
    : QAbstractListModel(parent)
{
}

int SavedMessageList::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant SavedMessageList::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_messages.size())
        return {};
    const SavedMessage &m = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return m.name;
    case Qt::ToolTipRole:
        return m.body.left(2000);
    case FormatRole:
        return m.format;
    case BodyRole:
        return m.body;
    case PreviewRole:
        return m.preview();
    default:
        return {};
    }
}

QHash<int, QByteArray> SavedMessageList::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(FormatRole, "format");
    names.insert(BodyRole, "body");
    names.insert(PreviewRole, "preview");
    return names;
}

void SavedMessageList::setMessages(const QList<SavedMessage> &messages)
{
    if (messages == m_messages)
        return;
    beginResetModel();
    m_messages = messages;
    endResetModel();
    Q_EMIT changed();
}

int SavedMessageList::indexOf(const QString &name) const
{
    for (int i = 0; i < m_messages.size(); ++i) {
        if (m_messages.at(i).name == name)
            return i;
    }
    return -1;
}

int SavedMessageList::add(const SavedMessage &message)
{
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.append(message);
    endInsertRows();
    Q_EMIT changed();
    return row;
}

bool SavedMessageList::edit(int row, const SavedMessage &message)
{
    if (row < 0 || row >= m_messages.size())
        return false;
    if (m_messages.at(row) == message)
        return true;
    m_messages[row] = message;
    Q_EMIT dataChanged(index(row), index(row));
    Q_EMIT changed();
    return true;
}

bool SavedMessageList::remove(int row)
{
    if (row < 0 || row >= m_messages.size())
        return false;
    beginRemoveRows({}, row, row);
    m_messages.removeAt(row);
    endRemoveRows();
    Q_EMIT changed();
    return true;
}

bool SavedMessageList::move(int from, int to)
{
    const int n = int(m_messages.size());
    if (from < 0 || from >= n || to < 0 || to >= n)
        return false;
    if (from == to)
        return true;
    // Qt's destination is the row the item goes before, counted before the move.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return false;
    m_messages.move(from, to);
    endMoveRows();
    Q_EMIT changed();
    return true;
}

void SavedMessageList::clear()
{
    setMessages({});
}

QJsonArray SavedMessageList::toJson() const
{
    QJsonArray array;
    for (const SavedMessage &m : m_messages)
        array.append(m.toJson());
    return array;
}

bool SavedMessageList::fromJson(const QJsonArray &array, QString *error)
{
    QList<SavedMessage> messages;
    QString first;
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString problem;
        if (!array.at(i).isObject()) {
            problem = SavedMessage::tr("Saved message %1 is not an object.").arg(i + 1);
        } else {
            const SavedMessage m = SavedMessage::fromJson(array.at(i).toObject(), &problem);
            if (problem.isEmpty())
                messages.append(m);
            else
                problem = SavedMessage::tr("Saved message %1: %2").arg(i + 1).arg(problem);
        }
        if (first.isEmpty())
            first = problem;
    }
    setMessages(messages);
    if (error)
        *error = first;
    return first.isEmpty();
}

} // namespace wst
