#include "HistoryView.h"

#include "HistoryDelegate.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMetaMethod>
#include <QScrollBar>

namespace wst {

HistoryView::HistoryView(QWidget *parent)
    : QTableView(parent)
    , m_delegate(new HistoryDelegate(this))
{
    setObjectName(QStringLiteral("historyView"));
    setItemDelegate(m_delegate);
    setWordWrap(false);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setTabKeyNavigation(false);
    setCornerButtonEnabled(false);
    setSortingEnabled(false);

    verticalHeader()->hide();
    // A fixed section size lets the header answer every geometry question by multiplication,
    // which is what keeps a million rows as cheap as a hundred.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setMinimumSectionSize(1);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setSectionsMovable(false);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // A click on a header sorts (HistoryPane); QTableView would also select the column, which
    // with whole-row selection selected the current row and showed it in the detail pane.
    const int selectColumnSlot = QTableView::staticMetaObject.indexOfSlot("selectColumn(int)");
    disconnect(horizontalHeader(), QMetaMethod::fromSignal(&QHeaderView::sectionPressed), this,
        QTableView::staticMetaObject.method(selectColumnSlot));
    applyMetrics();
    retranslateUi();
    // Columns appear only once a source model is set behind the proxy; size them then, and
    // never again, so a filter change keeps the widths the user chose.
    connect(horizontalHeader(), &QHeaderView::sectionCountChanged, this, [this](int oldCount, int newCount) {
        if (oldCount == 0 && newCount > 0)
            applyMetrics();
    });

    // Inserting rows moves the scroll bar's maximum, which looks like scrolling up if judged
    // from the value alone; so following is decided only from what the user does.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QAbstractSlider::actionTriggered, this, [this](int) { onUserScrolled(); });
    connect(bar, &QAbstractSlider::sliderReleased, this, &HistoryView::onUserScrolled);
}

void HistoryView::applyMetrics()
{
    const QFontMetrics fm = fontMetrics();
    verticalHeader()->setDefaultSectionSize(fm.height() + 6);
    const int pad = 2 * HistoryDelegate::Padding + 4;
    QHeaderView *header = horizontalHeader();
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
}

bool HistoryView::areProtocolColumnsVisible() const
{
    const QHeaderView *header = horizontalHeader();
    return header->count() >= MessageLogModel::ColumnCount
        && !header->isSectionHidden(MessageLogModel::ProtocolNameColumn);
}

void HistoryView::updateProtocolColumns()
{
    QHeaderView *header = horizontalHeader();
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
    // Only our own connections: the view's internal ones to the old model are QTableView's business.
    for (const QMetaObject::Connection &connection : std::as_const(m_modelConnections))
        disconnect(connection);
    m_modelConnections.clear();
    QTableView::setModel(model);
    if (model) {
        m_modelConnections
            << connect(model, &QAbstractItemModel::rowsInserted, this, &HistoryView::onRowsInserted)
            << connect(model, &QAbstractItemModel::modelReset, this, &HistoryView::onRowsInserted)
            << connect(model, &QAbstractItemModel::modelReset, this, &HistoryView::updateProtocolColumns)
            << connect(model, &QAbstractItemModel::columnsInserted, this,
                   [this](const QModelIndex &, int first, int last) { placeJsonColumns(first, last); });
    }
}

void HistoryView::placeJsonColumns(int first, int last)
{
    // JSON columns go before the preview, which stays the last, stretching one.
    QHeaderView *header = horizontalHeader();
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
    if (horizontalHeader()->count() > MessageLogModel::ClientColumn)
        horizontalHeader()->setSectionHidden(MessageLogModel::ClientColumn, !visible);
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
    // One call per published batch: scrollToBottom lays out the pending rows once and moves
    // the bar, which measured as free next to the insertion itself.
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
    QTableView::keyPressEvent(event);
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
    QTableView::focusInEvent(event);
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
    return QTableView::selectionCommand(index, event);
}

void HistoryView::changeEvent(QEvent *event)
{
    QTableView::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyMetrics();
    else if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void HistoryView::retranslateUi()
{
    setAccessibleName(tr("Message history"));
    setToolTip(tr("Messages sent and received, newest at the bottom. Select one to see its content."));
}

} // namespace wst
