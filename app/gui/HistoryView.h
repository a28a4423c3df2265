#pragma once

#include <QTableView>

namespace wst {

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

Q_SIGNALS:
    void followingChanged(bool following);

private:
    bool m_following = true;
};

} // namespace wst
