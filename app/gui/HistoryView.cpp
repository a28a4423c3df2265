#include "HistoryView.h"

namespace wst {

HistoryView::HistoryView(QWidget *parent)
    : QTableView(parent)
{
}

void HistoryView::setModel(QAbstractItemModel *model)
{
    QTableView::setModel(model);
}

void HistoryView::setFollowing(bool follow)
{
    m_following = follow;
}

} // namespace wst
