#include "StoreTableModel.h"

#include "MessageStore.h"

namespace wst {

StoreTableModel::StoreTableModel(std::shared_ptr<const MessageStore> store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(std::move(store))
{
    m_timer.setInterval(m_baseInterval);
    connect(&m_timer, &QTimer::timeout, this, &StoreTableModel::publish);
    m_timer.start();
}

void StoreTableModel::setBatchInterval(int ms)
{
    m_baseInterval = ms;
    m_timer.setInterval(ms);
}

void StoreTableModel::publish()
{
    const qint64 available = m_store->count() - m_first;
    const int target = int(qMin<qint64>(available, std::numeric_limits<int>::max() - 1));
    if (target <= m_rows)
        return;
    const int added = target - m_rows;
    beginInsertRows({}, m_rows, target - 1);
    m_rows = target;
    endInsertRows();
    const int interval = qMax(m_baseInterval, qMin(MaxBatchIntervalMs, m_rows / RowsPerIntervalMs));
    if (interval != m_timer.interval())
        m_timer.setInterval(interval);
    Q_EMIT rowsPublished(added);
}

void StoreTableModel::clear()
{
    beginResetModel();
    m_first += m_rows;
    m_rows = 0;
    endResetModel();
    m_timer.setInterval(m_baseInterval);
}

int StoreTableModel::rowForStoreIndex(qint64 index) const
{
    const qint64 row = index - m_first;
    return row >= 0 && row < m_rows ? int(row) : -1;
}

int StoreTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

} // namespace wst
