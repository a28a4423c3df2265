#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace wst {

class ClientTab;
class ConnectionHistory;
class ConnectionHistoryModel;

// The workspace's "History" page: every connection a client tab made, newest first, searchable
// by URL and outcome. Enter or a double-click opens one again in a new tab; the context menu
// opens, copies the URL, deletes, or clears the history.
class ConnectionHistoryPanel : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    // newTab makes a new, current client tab in the window.
    using TabFactory = std::function<ClientTab *()>;
    ConnectionHistoryPanel(ConnectionHistory *history, TabFactory newTab, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // The ids of the selected entries (the current one when none is selected).
    QStringList selectedIds() const;
    // A new tab with the current entry's URL and settings, connected at once unless a secret of
    // its settings was not kept (the user fills it in first). nullptr when there is no entry.
    ClientTab *openSelected();
    void copySelectedUrl();
    void deleteSelected();
    // Asks first (through Dialogs).
    void clearHistory();

Q_SIGNALS:
    // A line for the status bar.
    void message(const QString &text, int timeoutMs);

private:
    void showContextMenu(const QPoint &pos);
    void updateProblem();

    ConnectionHistory *m_history = nullptr;
    TabFactory m_newTab;
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
