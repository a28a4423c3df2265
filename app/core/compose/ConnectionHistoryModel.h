#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace wst {

class ConnectionHistory;
struct ConnectionHistoryEntry;

// The connection history as a table, newest first: URL, outcome, when, how long it was open
// (what a narrow sidebar shows first comes first).
// Qt::UserRole of any column is the entry's id.
class ConnectionHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Url, Outcome, When, OpenFor, ColumnCount };
    static constexpr int IdRole = Qt::UserRole;

    explicit ConnectionHistoryModel(ConnectionHistory *history, QObject *parent = nullptr);

    ConnectionHistory *history() const { return m_history; }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "Opened (chat)", "Refused: 403", "Failed: Connection refused (127.0.0.1:1)".
    static QString outcomeText(const ConnectionHistoryEntry &entry);
    // "2.5 s", "3 min 12 s", "open" (still open or not known).
    static QString durationText(qint64 ms);

private:
    QPointer<ConnectionHistory> m_history;
};

} // namespace wst
