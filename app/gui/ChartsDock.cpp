#include "ChartsDock.h"

#include "ChartsPanel.h"
#include "ConnectionPage.h"
#include "ConnectionTabWidget.h"
#include "messages/StreamSampler.h"

#include <QEvent>
#include <QMainWindow>

namespace wst {

ChartsDock::ChartsDock(ConnectionTabWidget *tabs, QWidget *parent)
    : QDockWidget(parent)
    , m_tabs(tabs)
    , m_panel(new ChartsPanel(this))
{
    setObjectName(QStringLiteral("chartsDock"));
    setWidget(m_panel);
    setAllowedAreas(Qt::AllDockWidgetAreas);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ChartsDock::follow);
    connect(m_tabs, &ConnectionTabWidget::pageChanged, this, [this](ConnectionPage *page) {
        if (page == m_page)
            retranslateUi(); // the title names the tab
    });
    retranslateUi();
}

StreamSampler *ChartsDock::samplerFor(ConnectionPage *page)
{
    if (!page)
        return nullptr;
    if (auto *sampler
        = page->findChild<StreamSampler *>(QStringLiteral("streamSampler"), Qt::FindDirectChildrenOnly))
        return sampler;
    auto *sampler = new StreamSampler(page->store(), page);
    sampler->setObjectName(QStringLiteral("streamSampler"));
    return sampler;
}

void ChartsDock::follow()
{
    // Hidden, the dock makes no sampler for the tabs it is not shown for.
    if (isHidden())
        return;
    m_page = m_tabs->currentPage();
    m_panel->setSampler(samplerFor(m_page));
    retranslateUi();
}

void ChartsDock::showEvent(QShowEvent *event)
{
    QDockWidget::showEvent(event);
    follow();
    // The first time, a third of the window's height: the charts need room for their axes.
    if (!m_sized) {
        m_sized = true;
        auto *window = qobject_cast<QMainWindow *>(parentWidget());
        if (window && !isFloating() && height() < window->height() / 3)
            window->resizeDocks({ this }, { window->height() * 2 / 5 }, Qt::Vertical);
    }
}

void ChartsDock::retranslateUi()
{
    setWindowTitle(m_page ? tr("Charts — %1").arg(m_page->title()) : tr("Charts"));
    setAccessibleName(tr("Charts"));
    setToolTip(
        tr("Live charts of the current tab: messages and bytes per second, ping round trips, a JSON value"));
}

void ChartsDock::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDockWidget::changeEvent(event);
}

} // namespace wst
