#include "WorkspaceDock.h"

#include <QTabWidget>

namespace wst {

WorkspaceDock::WorkspaceDock(QWidget *parent)
    : QDockWidget(tr("Workspace"), parent)
    , m_pages(new QTabWidget(this))
{
    setObjectName(QStringLiteral("workspaceDock"));
    setAccessibleName(tr("Workspace"));
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    m_pages->setObjectName(QStringLiteral("workspacePages"));
    m_pages->setAccessibleName(tr("Workspace pages"));
    m_pages->setDocumentMode(true);
    m_pages->setUsesScrollButtons(true);
    setWidget(m_pages);
}

int WorkspaceDock::addPage(QWidget *page, const QString &title)
{
    return m_pages->addTab(page, title);
}

void WorkspaceDock::showPage(QWidget *page)
{
    show();
    raise();
    m_pages->setCurrentWidget(page);
}

QWidget *WorkspaceDock::currentPage() const
{
    return m_pages->currentWidget();
}

} // namespace wst
