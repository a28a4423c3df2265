#include "HistoryView.h"

#include "HistoryDelegate.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
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
