#pragma once

#include "connection/WireCounters.h"
#include "messages/HighlightRules.h"
#include "messages/Message.h"
#include "messages/MessageStore.h"

#include <QJsonObject>

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QMenu;
class QModelIndex;
class QSplitter;
class QToolButton;

namespace wst {

class MessageLogModel;
class MessageFilterModel;
class HistoryView;
class DetailPane;
class FilterBar;
class MessageWindow;
class DiffDialog;
class HighlightRulesDialog;

// The history of one connection: filter bar, the table, the detail pane of the selected row,
// and the actions on rows (clear, copy, resend) and the counters.
class HistoryPane : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit HistoryPane(QWidget *parent = nullptr);
    ~HistoryPane() override;

    // The model is not owned; it must outlive the pane or be unset first.
    void setLogModel(MessageLogModel *model);
    MessageLogModel *logModel() const { return m_log; }
    MessageFilterModel *filterModel() const { return m_filter; }
    HistoryView *view() const { return m_view; }
    DetailPane *detailPane() const { return m_detail; }
    FilterBar *filterBar() const { return m_filterBar; }
    QSplitter *splitter() const { return m_splitter; }

    // "12 in / 3 out, 4.1 KiB in / 120 B out, 35 msg/s": for the status bar. With wire
    // counters whose connection agreed compression, what it did follows ("↓ 1.2 MB msgs / …").
    QString countersText() const { return m_countersText; }
    // A client's compression counters (read with the others, once a second); not owned.
    void setWireCounters(std::shared_ptr<const WireCounters> counters);

    // The selected rows as text, one line each: time, direction, kind, summary.
    QString selectedRowsText() const;
    // The store indexes of the selected rows, in order.
    QList<qint64> selectedStoreIndexes() const;
    // Selects the row of that stored message and scrolls to it; false when it is not shown
    // (cleared, or hidden by the filter).
    bool selectStoreIndex(qint64 storeIndex);

    QAction *copyAction() const { return m_copyAction; }
    QAction *resendAction() const { return m_resendAction; }
    QAction *clearAction() const { return m_clearAction; }
    QAction *followAction() const { return m_followAction; }
    QAction *addJsonColumnAction() const { return m_addColumnAction; }
    QAction *highlightRulesAction() const { return m_highlightAction; }
    QAction *compareAction() const { return m_compareAction; }

    // JSON columns (per pane, applied to whichever log model it shows). False with *error when
    // the path is not one.
    bool addJsonColumn(const QString &path, QString *error = nullptr);
    void removeJsonColumn(int index);
    QStringList jsonColumns() const { return m_jsonPaths; }
    void setHighlightRules(const QList<HighlightRules::Rule> &rules);
    QList<HighlightRules::Rule> highlightRules() const { return m_rules; }
    // The history header's menu for that column (-1: none), as shown on a right-click.
    QMenu *createHeaderMenu(int logicalColumn, QWidget *parent);
    // Sorts by the column (Qt::AscendingOrder / DescendingOrder), or back to arrival order (-1).
    void sortByColumn(int column, Qt::SortOrder order);

    // What a session keeps of the view: {"jsonColumns": [...], "highlightRules": [...]}; empty
    // when there is nothing to keep.
    QJsonObject viewStateJson() const;
    // Applies what viewStateJson() gave. Bad entries are skipped, each with a line in *errors.
    void setViewStateJson(const QJsonObject &state, QStringList *errors);

public Q_SLOTS:
    void clearHistory();
    void copySelection();
    void resendSelected();
    // Reads the store's counters now (a timer does it once a second).
    void updateCounters();
    // Opens the message of that row (the selected one when invalid) in a window of its own.
    MessageWindow *openMessageWindow(const QModelIndex &index);
    // Asks for a JSON path and adds its column.
    void promptAddJsonColumn();
    // Opens the highlight rules editor (not modal-blocking: applied when accepted).
    HighlightRulesDialog *editHighlightRules();
    // Compares the two selected messages in a dialog (nullptr unless exactly two are selected).
    DiffDialog *compareSelected();

Q_SIGNALS:
    // The user asked to send the selected message again.
    void resendRequested(wst::Kind kind, const QByteArray &payload);
    void countersChanged(const QString &text);
    // The JSON columns or the highlight rules changed.
    void viewStateChanged();

private:
    void onCurrentRowChanged(const QModelIndex &current);
    void onFilterAboutToReset();
    void onFilterReset();
    void updateActions();
    void onHeaderClicked(int logicalColumn);
    void updateSortIndicator();

    MessageLogModel *m_log = nullptr;
    QStringList m_jsonPaths;
    QList<HighlightRules::Rule> m_rules;
    QAction *m_addColumnAction = nullptr;
    QAction *m_highlightAction = nullptr;
    QAction *m_compareAction = nullptr;
    MessageFilterModel *m_filter = nullptr;
    void forEachSelected(const std::function<void(qint64 storeIndex)> &visit) const;

    HistoryView *m_view = nullptr;
    DetailPane *m_detail = nullptr;
    FilterBar *m_filterBar = nullptr;
    QSplitter *m_splitter = nullptr;
    QToolButton *m_followButton = nullptr;
    QLabel *m_countersLabel = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_resendAction = nullptr;
    QAction *m_clearAction = nullptr;
    QAction *m_followAction = nullptr;
    QString m_countersText;

    // The store index of the row shown in the detail pane, kept across filter changes.
    qint64 m_selectedStoreIndex = -1;
    QTimer m_countersTimer;
    QElapsedTimer m_rateClock;
    qint64 m_rateLastMessages = 0;
    double m_rate = 0;
    // The store's counters at the last Clear: the counters shown count from there.
    MessageStore::Counters m_countersBase;
    std::shared_ptr<const WireCounters> m_wireCounters;
    WireCounters::Totals m_wireBase;
};

} // namespace wst
