#pragma once

#include <QAbstractTableModel>
#include <QTimer>

#include <memory>

namespace wst {

class MessageStore;

// A table over the first rowCount() rows of a MessageStore that learns of new rows by polling
// the store's published count on a timer, so a flood costs the GUI thread one beginInsertRows
// per batch, not per message. The history and the raw frame view are both this.
class StoreTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit StoreTableModel(std::shared_ptr<const MessageStore> store, QObject *parent = nullptr);

    const MessageStore &store() const { return *m_store; }
    // The store, for work on other threads that must keep it alive.
    std::shared_ptr<const MessageStore> sharedStore() const { return m_store; }
    qint64 storeIndex(int row) const { return m_first + row; }
    int rowForStoreIndex(qint64 index) const;
    int rowCount(const QModelIndex &parent = {}) const override;

    // How often new rows are published to views (ms). A history of millions of rows is published
    // less often, up to every MaxBatchIntervalMs: each batch costs the views time in proportion
    // to the rows they hold (QHeaderView keeps a record per row and walks all of them after an
    // insertion), so a fixed rate would take ever more of the GUI thread.
    void setBatchInterval(int ms);
    int batchInterval() const { return m_baseInterval; }
    // The interval in use now (batchInterval() or longer for a large history).
    int currentBatchInterval() const { return m_timer.interval(); }
    // A batch costs about 60 ns a new row plus 0.7 ns a row held (Qt 6.4, 10 M rows: 7 ms):
    // 2.5 M rows and more are published every 25 to 100 ms (10 M rows and more).
    static constexpr int MaxBatchIntervalMs = 100;
    static constexpr int RowsPerIntervalMs = 100000;
    // Publishes what the store has now (the timer calls this; tests may call it directly).
    void publish();
    // Hides every row held so far; the store keeps them.
    void clear();

Q_SIGNALS:
    // Emitted after each batch of published rows, with how many were added.
    void rowsPublished(int added);

protected:
    std::shared_ptr<const MessageStore> m_store;
    qint64 m_first = 0; // the store index of row 0 (after clear())
    int m_rows = 0;

private:
    QTimer m_timer;
    int m_baseInterval = 25;
};

} // namespace wst
