// HistoryView's table-like part: rows placed by multiplication (every row has the same height),
// columns by the header, the scroll bars, selection by rectangle, the keys' moves and painting.
#include "HistoryView.h"

#include <QHeaderView>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>

namespace wst {

void HistoryView::onRowsRemoved(const QModelIndex &parent)
{
    if (parent != rootIndex())
        return;
    updateScrollBars();
    viewport()->update();
}

int HistoryView::rowCount() const
{
    return model() ? model()->rowCount(rootIndex()) : 0;
}

int HistoryView::visibleRowCount() const
{
    return qMax(1, viewport()->height() / m_rowHeight);
}

int HistoryView::rowForY(int y) const
{
    // Floor division: a point above the viewport belongs to a row above the first shown.
    const int steps = y >= 0 ? y / m_rowHeight : -((-y + m_rowHeight - 1) / m_rowHeight);
    return verticalScrollBar()->value() + steps;
}

int HistoryView::rowAt(int y) const
{
    const int row = rowForY(y);
    return y >= 0 && row < rowCount() ? row : -1;
}

int HistoryView::columnAt(int x) const
{
    return m_header->logicalIndexAt(x);
}

int HistoryView::columnWidth(int column) const
{
    return m_header->sectionSize(column);
}

void HistoryView::setColumnWidth(int column, int width)
{
    m_header->resizeSection(column, width);
}

bool HistoryView::isColumnHidden(int column) const
{
    return m_header->isSectionHidden(column);
}

void HistoryView::selectRow(int row)
{
    if (!model() || !selectionModel() || row < 0 || row >= rowCount())
        return;
    const int column = currentIndex().isValid() ? currentIndex().column() : 0;
    selectionModel()->setCurrentIndex(model()->index(row, column, rootIndex()),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QRect HistoryView::visualRect(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != model() || index.parent() != rootIndex()
        || m_header->isSectionHidden(index.column()))
        return {};
    // Rows far from the view get a rectangle far outside it (bounded so it stays an int).
    const qint64 y = qint64(index.row() - verticalScrollBar()->value()) * m_rowHeight;
    const int top = int(qBound(qint64(-(1 << 29)), y, qint64(1 << 29)));
    return { m_header->sectionViewportPosition(index.column()), top, m_header->sectionSize(index.column()),
        m_rowHeight };
}

void HistoryView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || index.model() != model() || index.parent() != rootIndex())
        return;
    const int row = index.row();
    const int visible = visibleRowCount();
    QScrollBar *bar = verticalScrollBar();
    int first = bar->value();
    switch (hint) {
    case EnsureVisible:
        if (row < first)
            first = row;
        else if (row >= first + visible)
            first = row - visible + 1;
        break;
    case PositionAtTop:
        first = row;
        break;
    case PositionAtBottom:
        first = row - visible + 1;
        break;
    case PositionAtCenter:
        first = row - visible / 2;
        break;
    }
    bar->setValue(first);

    // Across: the cell's column comes into view, its left edge first when it is wider.
    const int column = index.column();
    if (m_header->isSectionHidden(column))
        return;
    QScrollBar *across = horizontalScrollBar();
    const int left = m_header->sectionPosition(column);
    const int right = left + m_header->sectionSize(column);
    const int width = viewport()->width();
    if (left < across->value())
        across->setValue(left);
    else if (right > across->value() + width)
        across->setValue(qMin(left, right - width));
}

QModelIndex HistoryView::indexAt(const QPoint &point) const
{
    const int row = rowAt(point.y());
    const int column = columnAt(point.x());
    if (row < 0 || column < 0 || !model())
        return {};
    return model()->index(row, column, rootIndex());
}

int HistoryView::sizeHintForRow(int) const
{
    return m_rowHeight;
}

int HistoryView::sizeHintForColumn(int column) const
{
    // The rows in view, as a table measures them (all of them could be millions).
    if (!model() || column < 0 || column >= model()->columnCount(rootIndex()))
        return -1;
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const int first = verticalScrollBar()->value();
    const int last = qMin(rowCount() - 1, first + visibleRowCount());
    int hint = m_header->sectionSizeHint(column);
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = model()->index(row, column, rootIndex());
        hint = qMax(hint, itemDelegateForIndex(index)->sizeHint(option, index).width());
    }
    return hint;
}

QModelIndex HistoryView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers)
{
    const int rows = rowCount();
    const int columns = m_header->count();
    if (rows == 0 || columns == 0)
        return {};
    // The next shown column in visual order from visual, stepping by step; -1 past either end.
    const auto shownColumn = [this, columns](int visual, int step) {
        for (; visual >= 0 && visual < columns; visual += step) {
            const int logical = m_header->logicalIndex(visual);
            if (!m_header->isSectionHidden(logical))
                return logical;
        }
        return -1;
    };
    const QModelIndex current = currentIndex();
    if (!current.isValid()) {
        const int column = shownColumn(0, 1);
        return column < 0 ? QModelIndex() : model()->index(0, column, rootIndex());
    }
    int row = current.row();
    int column = current.column();
    // A page is what the view shows: the view moves by as much, and the current row keeps its
    // place on the screen.
    const int page = visibleRowCount();
    QScrollBar *bar = verticalScrollBar();
    switch (cursorAction) {
    case MoveUp:
        --row;
        break;
    case MoveDown:
        ++row;
        break;
    case MovePageUp:
        row -= page;
        bar->setValue(bar->value() - page);
        break;
    case MovePageDown:
        row += page;
        bar->setValue(bar->value() + page);
        break;
    // A log is read by rows: Home and End go to the first and the last, with or without Ctrl.
    case MoveHome:
        row = 0;
        break;
    case MoveEnd:
        row = rows - 1;
        break;
    case MoveLeft:
    case MovePrevious:
        if (const int left = shownColumn(m_header->visualIndex(column) - 1, -1); left >= 0)
            column = left;
        break;
    case MoveRight:
    case MoveNext:
        if (const int right = shownColumn(m_header->visualIndex(column) + 1, 1); right >= 0)
            column = right;
        break;
    }
    return model()->index(qBound(0, row, rows - 1), column, rootIndex());
}

int HistoryView::horizontalOffset() const
{
    return horizontalScrollBar()->value();
}

int HistoryView::verticalOffset() const
{
    return verticalScrollBar()->value() * m_rowHeight;
}

bool HistoryView::isIndexHidden(const QModelIndex &index) const
{
    return m_header->isSectionHidden(index.column());
}

void HistoryView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command)
{
    const int rows = rowCount();
    const int columns = model() ? model()->columnCount(rootIndex()) : 0;
    if (!selectionModel() || rows == 0 || columns == 0)
        return;
    const QRect area = rect.normalized();
    const int top = qBound(0, rowForY(area.top()), rows - 1);
    const int bottom = qBound(0, rowForY(area.bottom()), rows - 1);
    const QItemSelection selection(
        model()->index(top, 0, rootIndex()), model()->index(bottom, columns - 1, rootIndex()));
    selectionModel()->select(selection, command);
}

QRegion HistoryView::visualRegionForSelection(const QItemSelection &selection) const
{
    // Whole rows, and only the ones in view: a selection can span millions.
    const int first = verticalScrollBar()->value();
    const int last = first + visibleRowCount();
    QRegion region;
    for (const QItemSelectionRange &range : selection) {
        if (!range.isValid() || range.parent() != rootIndex())
            continue;
        const int top = qMax(range.top(), first);
        const int bottom = qMin(range.bottom(), last);
        if (top <= bottom)
            region += QRect(
                0, (top - first) * m_rowHeight, viewport()->width(), (bottom - top + 1) * m_rowHeight);
    }
    return region;
}

void HistoryView::updateGeometries()
{
    // Setting the margins resizes the viewport, which comes back here.
    if (m_inGeometries)
        return;
    m_inGeometries = true;
    const int headerHeight = m_header->isHidden()
        ? 0
        : qBound(m_header->minimumHeight(), m_header->sizeHint().height(), m_header->maximumHeight());
    setViewportMargins(0, headerHeight, 0, 0);
    const QRect area = viewport()->geometry();
    m_header->setGeometry(area.left(), area.top() - headerHeight, area.width(), headerHeight);
    updateScrollBars();
    m_inGeometries = false;
    QAbstractItemView::updateGeometries();
}

void HistoryView::updateScrollBars()
{
    // Down: the first row shown, until the last row is the last one that fits whole.
    const int visible = visibleRowCount();
    QScrollBar *bar = verticalScrollBar();
    bar->setSingleStep(1);
    bar->setPageStep(visible);
    bar->setRange(0, qMax(0, rowCount() - visible));
    // Across: pixels.
    QScrollBar *across = horizontalScrollBar();
    const int width = viewport()->width();
    across->setSingleStep(qMax(2, m_rowHeight));
    across->setPageStep(width);
    across->setRange(0, qMax(0, m_header->length() - width));
}

void HistoryView::scrollContentsBy(int dx, int dy)
{
    if (dx != 0)
        m_header->setOffset(horizontalScrollBar()->value());
    // The vertical bar counts rows.
    const int pixels = dy * m_rowHeight;
    if (qAbs(pixels) >= viewport()->height()) {
        viewport()->update();
        return;
    }
    scrollDirtyRegion(dx, pixels);
    viewport()->scroll(dx, pixels);
}

void HistoryView::paintEvent(QPaintEvent *event)
{
    const int rows = rowCount();
    const int columns = m_header->count();
    if (rows == 0 || columns == 0)
        return;
    QPainter painter(viewport());
    const QRect area = event->rect();
    const int firstShown = verticalScrollBar()->value();
    const int first = qMax(0, rowForY(area.top()));
    const int last = qMin(rows - 1, rowForY(area.bottom()));
    int firstVisual = m_header->visualIndexAt(area.left());
    int lastVisual = m_header->visualIndexAt(area.right());
    if (firstVisual < 0)
        firstVisual = 0;
    if (lastVisual < 0)
        lastVisual = columns - 1;

    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const QStyle::State state = option.state;
    const QModelIndex current = currentIndex();
    const bool focus = (hasFocus() || viewport()->hasFocus()) && current.isValid();
    const QItemSelectionModel *selection = selectionModel();
    const QBrush alternate = palette().brush(QPalette::AlternateBase);
    const int right = qMin(area.right(), m_header->length() - m_header->offset() - 1);
    for (int row = first; row <= last; ++row) {
        const int y = (row - firstShown) * m_rowHeight;
        if (alternatingRowColors() && (row & 1))
            painter.fillRect(QRect(area.left(), y, right - area.left() + 1, m_rowHeight), alternate);
        for (int visual = firstVisual; visual <= lastVisual; ++visual) {
            const int column = m_header->logicalIndex(visual);
            if (m_header->isSectionHidden(column))
                continue;
            const QModelIndex index = model()->index(row, column, rootIndex());
            option.rect = QRect(
                m_header->sectionViewportPosition(column), y, m_header->sectionSize(column), m_rowHeight);
            option.state = state;
            if (selection && selection->isSelected(index))
                option.state |= QStyle::State_Selected;
            if (focus && index == current)
                option.state |= QStyle::State_HasFocus;
            itemDelegateForIndex(index)->paint(&painter, option, index);
        }
    }
}

void HistoryView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QAbstractItemView::rowsInserted(parent, start, end);
    if (parent != rootIndex())
        return;
    updateScrollBars();
    if (start <= verticalScrollBar()->value() + visibleRowCount())
        viewport()->update();
}

} // namespace wst
