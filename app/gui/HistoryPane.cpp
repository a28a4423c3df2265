#include "HistoryPane.h"

#include "HistoryView.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"

#include <QVBoxLayout>

namespace wst {

// Placeholder implementation: the real pane is being written.
HistoryPane::HistoryPane(QWidget *parent)
    : QWidget(parent)
    , m_filter(new MessageFilterModel(this))
    , m_view(new HistoryView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_view->setModel(m_filter);
}

HistoryPane::~HistoryPane() = default;

void HistoryPane::setLogModel(MessageLogModel *model)
{
    m_log = model;
    m_filter->setSourceModel(model);
}

} // namespace wst
