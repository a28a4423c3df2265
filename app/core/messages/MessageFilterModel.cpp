#include "MessageFilterModel.h"

#include "MessageLogModel.h"
#include "MessageStore.h"

namespace wst {

MessageFilterModel::MessageFilterModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

void MessageFilterModel::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = qobject_cast<MessageLogModel *>(source);
    Q_ASSERT(!source || m_log);
    QAbstractProxyModel::setSourceModel(source);
    if (m_log) {
        connect(m_log, &QAbstractItemModel::rowsInserted, this, &MessageFilterModel::onSourceRowsInserted);
        connect(m_log, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
        connect(m_log, &QAbstractItemModel::modelReset, this, [this] {
            rebuild();
            endResetModel();
        });
        connect(m_log, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                    const QModelIndex a = mapFromSource(tl);
                    const QModelIndex b = mapFromSource(br);
                    if (a.isValid() && b.isValid())
                        Q_EMIT dataChanged(a, b, roles);
                });
    }
    rebuild();
    endResetModel();
}

void MessageFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::setRegularExpression(bool on)
{
    if (on == m_regex)
        return;
    m_regex = on;
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::setCaseSensitive(bool on)
{
    if (on == m_caseSensitive)
        return;
    m_caseSensitive = on;
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::setDirections(quint32 mask)
{
    mask &= AllDirections;
    if (mask == m_directions)
        return;
    m_directions = mask;
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::setKinds(quint32 mask)
{
    mask &= AllKinds;
    if (mask == m_kinds)
        return;
    m_kinds = mask;
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::setConnectionId(qint64 id)
{
    if (id == m_connectionId)
        return;
    m_connectionId = id;
    beginResetModel();
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
}

void MessageFilterModel::rebuild()
{
    m_patternError.clear();
    m_textUtf8 = m_text.toUtf8();
    if (m_regex && !m_text.isEmpty()) {
        m_expression = QRegularExpression(m_text, m_caseSensitive ? QRegularExpression::NoPatternOption
                                                                  : QRegularExpression::CaseInsensitiveOption);
        if (!m_expression.isValid()) {
            m_patternError = tr("Invalid regular expression at offset %1: %2")
                                 .arg(m_expression.patternErrorOffset())
                                 .arg(m_expression.errorString());
        }
    }
    const bool textFilter = !m_text.isEmpty() && m_patternError.isEmpty();
    m_passThrough = !textFilter && m_directions == AllDirections && m_kinds == AllKinds && m_connectionId < 0;
    m_rows.clear();
    m_passCount = m_log ? m_log->rowCount() : 0;
    if (m_passThrough || !m_log)
        return;
    const int n = m_log->rowCount();
    for (int r = 0; r < n; ++r) {
        if (accepts(r))
            m_rows.append(r);
    }
}

bool MessageFilterModel::accepts(int sourceRow) const
{
    const MessageStore &store = m_log->store();
    const qint64 si = m_log->storeIndex(sourceRow);
    const MessageRow &row = store.row(si);
    if (!(m_directions & directionBit(row.direction)) || !(m_kinds & kindBit(row.kind)))
        return false;
    if (m_connectionId >= 0 && row.connectionId != m_connectionId)
        return false;
    if (m_text.isEmpty() || !m_patternError.isEmpty())
        return true;
    // Text and binary rows are searched in their payload; events in what the history shows.
    if ((row.kind == Kind::Text || row.kind == Kind::Binary) && !m_regex && m_caseSensitive)
        return store.payload(si).indexOf(m_textUtf8) >= 0;
    const QString haystack = row.kind == Kind::Text || row.kind == Kind::Binary
        ? QString::fromUtf8(store.payload(si))
        : MessageLogModel::summary(store, si);
    if (m_regex)
        return m_expression.match(haystack).hasMatch();
    return haystack.contains(m_text, m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
}

void MessageFilterModel::onSourceRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (m_passThrough) {
        beginInsertRows({}, first, last);
        m_passCount = last + 1;
        endInsertRows();
        return;
    }
    QList<int> accepted;
    for (int r = first; r <= last; ++r) {
        if (accepts(r))
            accepted.append(r);
    }
    if (accepted.isEmpty())
        return;
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at + int(accepted.size()) - 1);
    m_rows.append(accepted);
    endInsertRows();
}

QModelIndex MessageFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !m_log)
        return {};
    const int row = m_passThrough ? (proxyIndex.row() < m_passCount ? proxyIndex.row() : -1)
                                  : m_rows.value(proxyIndex.row(), -1);
    return row < 0 ? QModelIndex() : m_log->index(row, proxyIndex.column());
}

QModelIndex MessageFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    if (m_passThrough)
        return index(sourceIndex.row(), sourceIndex.column());
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), sourceIndex.row());
    if (it == m_rows.cend() || *it != sourceIndex.row())
        return {};
    return index(int(it - m_rows.cbegin()), sourceIndex.column());
}

QModelIndex MessageFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex MessageFilterModel::parent(const QModelIndex &) const
{
    return {};
}

int MessageFilterModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_log)
        return 0;
    return m_passThrough ? m_passCount : int(m_rows.size());
}

int MessageFilterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_log ? 0 : m_log->columnCount();
}

QVariant MessageFilterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_log || orientation != Qt::Horizontal)
        return QAbstractProxyModel::headerData(section, orientation, role);
    return m_log->headerData(section, orientation, role);
}

} // namespace wst
