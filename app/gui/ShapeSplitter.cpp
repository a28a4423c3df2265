#include "ShapeSplitter.h"

#include <QResizeEvent>

namespace wst {

ShapeSplitter::ShapeSplitter(QWidget *parent)
    : QSplitter(Qt::Vertical, parent)
{
}

QSize ShapeSplitter::minimumSizeHint() const
{
    QSize size = QSplitter::minimumSizeHint();
    if (orientation() == Qt::Vertical) {
        int tallest = 0;
        for (int i = 0; i < count(); ++i) {
            const QWidget *pane = widget(i);
            tallest = qMax(tallest,
                pane->minimumHeight() > 0 ? pane->minimumHeight() : pane->minimumSizeHint().height());
        }
        size.setHeight(qMin(size.height(), tallest + 2 * frameWidth()));
    }
    return size;
}

Qt::Orientation ShapeSplitter::fittingOrientation() const
{
    // Short: fewer than 16 lines of text; wide: more than twice as wide as high. Two lines of
    // slack on the way back keep a window resized by a few pixels from flipping to and fro.
    const int line = fontMetrics().lineSpacing();
    const int tallEnough = (orientation() == Qt::Horizontal ? 18 : 16) * line;
    return height() < tallEnough && width() > 2 * height() ? Qt::Horizontal : Qt::Vertical;
}

void ShapeSplitter::resizeEvent(QResizeEvent *event)
{
    QSplitter::resizeEvent(event);
    if (count() != 2)
        return;
    const Qt::Orientation fitting = fittingOrientation();
    if (fitting != orientation()) {
        setOrientation(fitting);
        shareOut(fitting == Qt::Horizontal ? width() : height());
    } else if (!m_shared && event->size().height() > 0) {
        // The first time it has a size: by their size hints alone the history took nearly all of
        // it and the detail three lines.
        shareOut(orientation() == Qt::Horizontal ? width() : height());
    }
}

void ShapeSplitter::shareOut(int length)
{
    m_shared = true;
    // The history gets three fifths, stacked or side by side.
    setSizes({ length * 3 / 5, length - length * 3 / 5 });
}

} // namespace wst
