#pragma once

#include "connection/WireCounters.h"
#include "messages/Message.h"
#include "messages/MessageStore.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
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

public Q_SLOTS:
    void clearHistory();
    void copySelection();
    void resendSelected();
    // Reads the store's counters now (a timer does it once a second).
    void updateCounters();
    // Opens the message of that row (the selected one when invalid) in a window of its own.
    MessageWindow *openMessageWindow(const QModelIndex &index);

Q_SIGNALS:
    // The user asked to send the selected message again.
    void resendRequested(wst::Kind kind, const QByteArray &payload);
    void countersChanged(const QString &text);

private:
    void onCurrentRowChanged(const QModelIndex &current);
    void onFilterAboutToReset();
    void onFilterReset();
    void updateActions();

    MessageLogModel *m_log = nullptr;
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
