#include "HistoryView.h"

#include "HistoryDelegate.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>

namespace wst {

HistoryView::HistoryView(QWidget *parent)
    : QAbstractItemView(parent)
    , m_header(new QHeaderView(Qt::Horizontal, this))
    , m_delegate(new HistoryDelegate(this))
{
    setObjectName(QStringLiteral("historyView"));
    setItemDelegate(m_delegate);
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setTabKeyNavigation(false);

    m_header->setObjectName(QStringLiteral("historyHeader"));
    m_header->setSectionsClickable(true);
    m_header->setStretchLastSection(true);
    m_header->setHighlightSections(false);
    m_header->setSectionsMovable(false);
    m_header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_header, &QHeaderView::sectionResized, this, [this] {
        updateScrollBars();
        viewport()->update();
    });
    connect(m_header, &QHeaderView::sectionMoved, viewport(), qOverload<>(&QWidget::update));
    connect(m_header, &QHeaderView::geometriesChanged, this, &HistoryView::updateGeometries);
    connect(m_header, &QHeaderView::sectionHandleDoubleClicked, this,
        [this](int column) { m_header->resizeSection(column, sizeHintForColumn(column)); });
    applyMetrics();
    retranslateUi();
    // Columns appear only once a source model is set behind the proxy; size them then, and
    // never again, so a filter change keeps the widths the user chose.
    connect(m_header, &QHeaderView::sectionCountChanged, this, [this](int oldCount, int newCount) {
        if (oldCount == 0 && newCount > 0)
            applyMetrics();
        updateGeometries();
    });

    // Inserting rows moves the scroll bar's maximum, which looks like scrolling up if judged
    // from the value alone; so following is decided only from what the user does.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QAbstractSlider::actionTriggered, this, [this](int) { onUserScrolled(); });
    connect(bar, &QAbstractSlider::sliderReleased, this, &HistoryView::onUserScrolled);
}

HistoryView::~HistoryView()
{
    // QWidget's destructor hides the children, and the header reports its geometry as it goes:
    // nothing of this half-destroyed view may run then (UBSan saw updateGeometries called).
    m_header->disconnect(this);
    verticalScrollBar()->disconnect(this);
}

void HistoryView::applyMetrics()
{
    const QFontMetrics fm = fontMetrics();
    m_rowHeight = fm.height() + 6;
    const int pad = 2 * HistoryDelegate::Padding + 4;
    QHeaderView *header = m_header;
    header->setMinimumSectionSize(fm.horizontalAdvance(QStringLiteral("00")) + pad);
    const auto width = [&fm, pad](const QString &sample) { return fm.horizontalAdvance(sample) + pad; };
    if (header->count() >= MessageLogModel::ColumnCount) {
        header->resizeSection(MessageLogModel::IdColumn, width(QStringLiteral("0000000")));
        header->resizeSection(MessageLogModel::TimeColumn, width(QStringLiteral("00:00:00.000")));
        header->resizeSection(MessageLogModel::DirectionColumn,
            qMax(width(MessageLogModel::directionArrow(Direction::Event)),
                width(MessageLogModel::directionArrow(Direction::Out))));
        header->resizeSection(MessageLogModel::KindColumn, width(MessageLogModel::kindName(Kind::Binary)));
        header->resizeSection(MessageLogModel::SizeColumn, width(QStringLiteral("00,000,000")));
    }
    if (header->count() > MessageLogModel::ClientColumn) {
        header->resizeSection(
            MessageLogModel::ClientColumn, qMax(width(QStringLiteral("0000")), width(tr("Client"))));
        // The preview stays the stretching column: the client id goes before it when shown.
        header->moveSection(header->visualIndex(MessageLogModel::ClientColumn),
            header->visualIndex(MessageLogModel::PreviewColumn));
        header->setSectionHidden(MessageLogModel::ClientColumn, !m_clientColumnVisible);
    }
    if (header->count() >= MessageLogModel::ColumnCount) {
        header->resizeSection(
            MessageLogModel::ProtocolNameColumn, width(QStringLiteral("/topic/orders-0000")));
        header->resizeSection(MessageLogModel::ProtocolIdColumn, width(QStringLiteral("sub-0000")));
        header->resizeSection(MessageLogModel::ProtocolQosColumn, width(tr("QoS")));
        for (int column : { MessageLogModel::ProtocolNameColumn, MessageLogModel::ProtocolIdColumn,
                 MessageLogModel::ProtocolQosColumn })
            header->moveSection(
                header->visualIndex(column), header->visualIndex(MessageLogModel::PreviewColumn));
    }
    updateProtocolColumns();
    updateGeometries();
    viewport()->update();
}

bool HistoryView::areProtocolColumnsVisible() const
{
    const QHeaderView *header = m_header;
    return header->count() >= MessageLogModel::ColumnCount
        && !header->isSectionHidden(MessageLogModel::ProtocolNameColumn);
}

void HistoryView::updateProtocolColumns()
{
    QHeaderView *header = m_header;
    if (header->count() < MessageLogModel::ColumnCount)
        return;
    const MessageLogModel *log = qobject_cast<const MessageLogModel *>(model());
    if (const auto *filter = qobject_cast<const MessageFilterModel *>(model()))
        log = filter->logModel();
    const bool visible = log && log->hasProtocol();
    for (int column : { MessageLogModel::ProtocolNameColumn, MessageLogModel::ProtocolIdColumn,
             MessageLogModel::ProtocolQosColumn })
        header->setSectionHidden(column, !visible);
}

void HistoryView::setModel(QAbstractItemModel *model)
{
    // Only our own connections: the view's internal ones to the old model are QAbstractItemView's.
    for (const QMetaObject::Connection &connection : std::as_const(m_modelConnections))
        disconnect(connection);
    m_modelConnections.clear();
    QAbstractItemView::setModel(model);
    m_header->setModel(model);
    if (model) {
        m_modelConnections
            << connect(model, &QAbstractItemModel::rowsInserted, this, &HistoryView::onRowsInserted)
            << connect(model, &QAbstractItemModel::rowsRemoved, this,
                   [this](const QModelIndex &parent) { onRowsRemoved(parent); })
            << connect(model, &QAbstractItemModel::modelReset, this, &HistoryView::onRowsInserted)
            << connect(model, &QAbstractItemModel::modelReset, this, &HistoryView::updateProtocolColumns)
            << connect(model, &QAbstractItemModel::columnsInserted, this,
                   [this](const QModelIndex &, int first, int last) { placeJsonColumns(first, last); });
    }
}

void HistoryView::placeJsonColumns(int first, int last)
{
    // JSON columns go before the preview, which stays the last, stretching one.
    QHeaderView *header = m_header;
    const QFontMetrics fm = fontMetrics();
    for (int column = qMax(first, int(MessageLogModel::ColumnCount)); column <= last; ++column) {
        const QString title = model()->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column,
            qBound(fm.horizontalAdvance(QStringLiteral("0000000000")), fm.horizontalAdvance(title) + 24,
                fm.horizontalAdvance(QStringLiteral("000000000000000000000000"))));
        header->moveSection(header->visualIndex(column), header->visualIndex(MessageLogModel::PreviewColumn));
    }
}

void HistoryView::setClientColumnVisible(bool visible)
{
    m_clientColumnVisible = visible;
    if (m_header->count() > MessageLogModel::ClientColumn)
        m_header->setSectionHidden(MessageLogModel::ClientColumn, !visible);
}

bool HistoryView::isAtBottom() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void HistoryView::setFollowing(bool follow)
{
    if (follow == m_following)
        return;
    m_following = follow;
    if (m_following)
        scrollToBottom();
    Q_EMIT followingChanged(m_following);
}

void HistoryView::onRowsInserted()
{
    // One call per published batch: the bar's range already counts the new rows (rowsInserted),
    // so this only moves it to the end.
    if (m_following)
        scrollToBottom();
}

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

void HistoryView::onUserScrolled()
{
    // actionTriggered comes with sliderPosition already moved but value not yet: judge by it.
    const QScrollBar *bar = verticalScrollBar();
    setFollowing(bar->sliderPosition() >= bar->maximum());
}

void HistoryView::keyPressEvent(QKeyEvent *event)
{
    QAbstractItemView::keyPressEvent(event);
    // Moving the current row scrolls the view programmatically; only keys that move it count.
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End:
        setFollowing(isAtBottom());
        break;
    default:
        break;
    }
}

void HistoryView::focusInEvent(QFocusEvent *event)
{
    QAbstractItemView::focusInEvent(event);
    // Tab into the table makes a row current without selecting it (QAbstractItemView does so with
    // NoUpdate): the detail pane, which follows the current row, then showed a message that was
    // not highlighted, and Copy stayed disabled. Selecting it makes the three agree.
    const QModelIndex current = currentIndex();
    if (current.isValid() && selectionModel() && !selectionModel()->hasSelection())
        selectionModel()->select(current, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QItemSelectionModel::SelectionFlags HistoryView::selectionCommand(
    const QModelIndex &index, const QEvent *event) const
{
    // Ctrl+Home and Ctrl+End select the row they go to, as Home and End do. (With Ctrl held, an
    // extended selection moves only the current row: the detail pane, which follows it, then
    // showed another message than the highlighted one, and Copy copied that one.)
    if (event && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<const QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Home || key->key() == Qt::Key_End)
            && key->modifiers() == Qt::ControlModifier)
            return QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows;
    }
    return QAbstractItemView::selectionCommand(index, event);
}

void HistoryView::changeEvent(QEvent *event)
{
    QAbstractItemView::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyMetrics();
    else if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void HistoryView::retranslateUi()
{
    setAccessibleName(tr("Message history"));
    setToolTip(tr("Messages sent and received, newest at the bottom. Select one to see its content."));
    m_header->setAccessibleName(tr("History columns"));
    m_header->setAccessibleDescription(tr(
        "Click a column to sort by it; drag an edge to resize it, double-click it to fit the rows in view"));
}

} // namespace wst
