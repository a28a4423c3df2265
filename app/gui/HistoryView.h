#pragma once

#include <QTableView>

namespace wst {

class HistoryDelegate;

// The history table: fixed row height, a light delegate, and auto-scroll that follows new rows
// while the view is at the bottom and pauses when the user scrolls up.
class HistoryView : public QTableView
{
    Q_OBJECT

public:
    explicit HistoryView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);
    // Whether the last row is in view (the scroll bar is at its end).
    bool isAtBottom() const;
    // The client id column matters only in a local server's views; hidden by default.
    void setClientColumnVisible(bool visible);
    bool isClientColumnVisible() const { return m_clientColumnVisible; }
    // The protocol columns (event / topic, id, QoS) show while the history is read as a
    // protocol's (MessageLogModel::setProtocol).
    bool areProtocolColumnsVisible() const;

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    QItemSelectionModel::SelectionFlags selectionCommand(
        const QModelIndex &index, const QEvent *event = nullptr) const override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onRowsInserted();
    void onUserScrolled();
    void applyMetrics();
    void updateProtocolColumns();
    void placeJsonColumns(int first, int last);

    HistoryDelegate *m_delegate = nullptr;
    bool m_following = true;
    bool m_clientColumnVisible = false;
    QList<QMetaObject::Connection> m_modelConnections;
};

} // namespace wst
