#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace wst {

class ConnectionHistory;
class ConnectionHistoryModel;

// The workspace's "History" page: every connection a client tab made, newest first, searchable
// by URL and outcome. Enter or a double-click opens one again in a new tab; the context menu
// opens, copies the URL, deletes, or clears the history.
class ConnectionHistoryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionHistoryPanel(ConnectionHistory *history, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // The ids of the selected entries (the current one when none is selected).
    QStringList selectedIds() const;
    void openSelected();
    void copySelectedUrl();
    void deleteSelected();
    // Asks first (through Dialogs).
    void clearHistory();

Q_SIGNALS:
    // Open the URL in a new tab with these settings (empty: the URL alone).
    void openRequested(const QString &url, const QJsonObject &settings);

private:
    void showContextMenu(const QPoint &pos);
    void updateProblem();

    ConnectionHistory *m_history = nullptr;
    ConnectionHistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_filter = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_problem = nullptr;
    QTableView *m_view = nullptr;
    QAction *m_open = nullptr;
    QAction *m_copy = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_clear = nullptr;
};

} // namespace wst
