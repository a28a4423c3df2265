#include "FoldingPanelArea.h"

#include <QEvent>
#include <QScrollBar>

namespace wst {

FoldingPanelArea::FoldingPanelArea(QWidget *panel, QWidget *tab, QWidget *parent)
    : QScrollArea(parent)
    , m_tab(tab)
{
    setFrameShape(QFrame::NoFrame);
    setWidgetResizable(true);
    setWidget(panel);
    panel->installEventFilter(this);
    if (m_tab)
        m_tab->installEventFilter(this);
    fit();
}

bool FoldingPanelArea::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_tab && event->type() == QEvent::Resize)
        || (watched == widget() && event->type() == QEvent::LayoutRequest))
        fit();
    return QScrollArea::eventFilter(watched, event);
}

void FoldingPanelArea::resizeEvent(QResizeEvent *event)
{
    QScrollArea::resizeEvent(event);
    fit();
}

void FoldingPanelArea::fit()
{
    if (!widget())
        return;
    int whole = widget()->sizeHint().height();
    // Wrapped text (a hint, an error) needs more lines when the window is narrow.
    if (widget()->hasHeightForWidth() && viewport()->width() > 0)
        whole = qMax(whole, widget()->heightForWidth(viewport()->width()));
    if (widget()->minimumSizeHint().width() > viewport()->width())
        whole += horizontalScrollBar()->sizeHint().height();
    // Two fifths of the tab; a short window (800×600) shows three lines of it, and it scrolls.
    const int share = m_tab ? m_tab->height() * 2 / 5 : whole;
    const int least = qMin(whole, fontMetrics().lineSpacing() * 3);
    setMinimumHeight(least);
    setMaximumHeight(qMax(qMin(whole, share), least));
}

} // namespace wst
