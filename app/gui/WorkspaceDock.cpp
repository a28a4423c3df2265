#include "WorkspaceDock.h"

#include <QEvent>
#include <QMainWindow>
#include <QStyle>
#include <QTabWidget>

namespace wst {

WorkspaceDock::WorkspaceDock(QWidget *parent)
    : QDockWidget(parent)
    , m_pages(new QTabWidget(this))
{
    setObjectName(QStringLiteral("workspaceDock"));
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    setFeatures(
        QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_pages->setObjectName(QStringLiteral("workspacePages"));
    m_pages->setDocumentMode(true);
    m_pages->setUsesScrollButtons(true);
    setWidget(m_pages);
    retranslateUi();
}

void WorkspaceDock::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDockWidget::changeEvent(event);
}

void WorkspaceDock::retranslateUi()
{
    setWindowTitle(tr("Workspace"));
    setAccessibleName(tr("Workspace"));
    m_pages->setAccessibleName(tr("Workspace pages"));
}

bool WorkspaceDock::eventFilter(QObject *watched, QEvent *event)
{
    // A page retitles its tab by setting its window title (in its retranslateUi()).
    if (event->type() == QEvent::WindowTitleChange) {
        auto *page = qobject_cast<QWidget *>(watched);
        const int index = page ? m_pages->indexOf(page) : -1;
        if (index >= 0 && !page->windowTitle().isEmpty())
            m_pages->setTabText(index, page->windowTitle());
    }
    return QDockWidget::eventFilter(watched, event);
}

int WorkspaceDock::addPage(QWidget *page, const QString &title)
{
    page->installEventFilter(this);
    return m_pages->addTab(page, title);
}

void WorkspaceDock::showPage(QWidget *page)
{
    show();
    raise();
    m_pages->setCurrentWidget(page);
}

void WorkspaceDock::setVisible(bool visible)
{
    if (visible && isHidden() && !isFloating())
        floatIfNoRoom();
    QDockWidget::setVisible(visible);
}

void WorkspaceDock::floatIfNoRoom()
{
    const auto *window = qobject_cast<QMainWindow *>(parentWidget());
    // While the window is being built or restored, its saved state decides.
    if (!window || !window->isVisible() || !window->centralWidget())
        return;
    const int separator = style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent, nullptr, this);
    const int central = window->centralWidget()->minimumSizeHint().width();
    const int dock = minimumSizeHint().width();
    if (central + separator + dock <= window->centralWidget()->width())
        return;
    // Docked again by a double-click on its title, once the window is wide enough.
    setFloating(true);
    const QRect frame = window->geometry();
    setGeometry(
        frame.x(), frame.y(), qMin(qMax(dock, sizeHint().width()), frame.width() / 2), frame.height());
}

QWidget *WorkspaceDock::currentPage() const
{
    return m_pages->currentWidget();
}

} // namespace wst
