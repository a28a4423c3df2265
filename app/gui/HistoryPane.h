#pragma once

#include "messages/Message.h"

#include <QWidget>

namespace wst {

class MessageLogModel;
class MessageFilterModel;
class HistoryView;
class DetailPane;

// The history of one connection: filter bar, the table, the detail pane of the selected row,
// and the actions on rows (clear, copy, resend) and the counters.
class HistoryPane : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryPane(QWidget *parent = nullptr);
    ~HistoryPane() override;

    // The model is not owned; it must outlive the pane or be unset first.
    void setLogModel(MessageLogModel *model);
    MessageLogModel *logModel() const { return m_log; }
    MessageFilterModel *filterModel() const { return m_filter; }
    HistoryView *view() const { return m_view; }
    DetailPane *detailPane() const { return m_detail; }

    // "12 in / 3 out, 4.1 KiB in / 120 B out, 35 msg/s": for the status bar.
    QString countersText() const { return m_countersText; }

Q_SIGNALS:
    // The user asked to send the selected message again.
    void resendRequested(wst::Kind kind, const QByteArray &payload);
    void countersChanged(const QString &text);

private:
    MessageLogModel *m_log = nullptr;
    MessageFilterModel *m_filter = nullptr;
    HistoryView *m_view = nullptr;
    DetailPane *m_detail = nullptr;
    QString m_countersText;
};

} // namespace wst
