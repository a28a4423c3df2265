// HistoryView, the history's table: rows by multiplication (nothing kept per row), the column
// header, the mouse and the keys, on a real MessageLogModel and on a model of 40 million rows.
#include "HistoryView.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QFile>
#include <QHeaderView>
#include <QScrollBar>
#include <QtTest>

using namespace wst;

namespace {

// Rows that exist only as numbers: what a view costs per row is all that is measured.
class CountingModel : public QAbstractTableModel
{
public:
    explicit CountingModel(int rows)
        : m_rows(rows)
    {
    }
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : m_rows; }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : MessageLogModel::ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::DisplayRole)
            return QStringLiteral("r%1c%2").arg(index.row()).arg(index.column());
        if (role == MessageLogModel::DirectionRole)
            return int(Direction::In);
        if (role == MessageLogModel::KindRole)
            return int(Kind::Text);
        return {};
    }

private:
    int m_rows;
};

double rssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

} // namespace

class tst_HistoryView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void rowsAreAtTheirPlace();
    void scrollToPlacesTheRow();
    void keysMoveByRowsAndPages();
    void mouseSelectsRowsAndDragExtends();
    void columnsFollowTheHeader();
    void fortyMillionRowsCostNothingPerRow();

private:
    void fill(int rows);

    std::shared_ptr<MessageStore> m_store;
    std::unique_ptr<MessageLogModel> m_log;
    std::unique_ptr<MessageFilterModel> m_filter;
    std::unique_ptr<HistoryView> m_view;
};

void tst_HistoryView::init()
{
    m_store = std::make_shared<MessageStore>();
    m_log = std::make_unique<MessageLogModel>(m_store);
    m_filter = std::make_unique<MessageFilterModel>();
    m_filter->setSourceModel(m_log.get());
    m_view = std::make_unique<HistoryView>();
    m_view->setModel(m_filter.get());
    m_view->resize(700, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void tst_HistoryView::cleanup()
{
    m_view.reset();
    m_filter.reset();
    m_log.reset();
    m_store.reset();
}

void tst_HistoryView::fill(int rows)
{
    for (int i = 0; i < rows; ++i)
        m_store->appendText(Direction::In, Kind::Text, QStringLiteral("message %1").arg(i), 1000 + i);
    m_log->publish();
    QCOMPARE(m_view->model()->rowCount(), rows);
}

void tst_HistoryView::rowsAreAtTheirPlace()
{
    fill(1000);
    m_view->setFollowing(false);
    m_view->scrollToTop();
    const int h = m_view->rowHeight();
    QCOMPARE(h, m_view->fontMetrics().height() + 6);
    QAbstractItemModel *model = m_view->model();
    // The header sits above the rows, and each row is h pixels below the one before.
    QVERIFY(m_view->horizontalHeader()->isVisible());
    QVERIFY(m_view->horizontalHeader()->geometry().bottom() < m_view->viewport()->geometry().top());
    for (int row : { 0, 1, 7 }) {
        const QRect rect = m_view->visualRect(model->index(row, MessageLogModel::PreviewColumn));
        QCOMPARE(rect.top(), row * h);
        QCOMPARE(rect.height(), h);
        QCOMPARE(m_view->indexAt(rect.center()), model->index(row, MessageLogModel::PreviewColumn));
        QCOMPARE(m_view->rowAt(rect.center().y()), row);
    }
    // Scrolled by three rows with the wheel's bar: row 3 is at the top.
    m_view->verticalScrollBar()->setValue(3);
    QCOMPARE(m_view->visualRect(model->index(3, 0)).top(), 0);
    QCOMPARE(m_view->rowAt(0), 3);
    // Below the last row there is no row; the scroll bar ends when the last row fits whole.
    QScrollBar *bar = m_view->verticalScrollBar();
    QCOMPARE(bar->maximum(), 1000 - m_view->visibleRowCount());
    QCOMPARE(m_view->visibleRowCount(), m_view->viewport()->height() / h);
    m_view->scrollToBottom();
    const QRect last = m_view->visualRect(model->index(999, 0));
    QVERIFY(last.bottom() < m_view->viewport()->height());
    QCOMPARE(m_view->rowAt(last.bottom() + 1 + h), -1);
    QVERIFY(!m_view->indexAt(QPoint(5, last.bottom() + 1 + h)).isValid());
    // Painted where they are: the selected row in the highlight, the odd rows on the alternate
    // base, the even ones on the base.
    m_view->scrollToTop();
    m_view->selectRow(2);
    const QImage image = m_view->viewport()->grab().toImage();
    const QPalette palette = m_view->palette();
    const auto colourAt = [&](int row) {
        const QRect rect = m_view->visualRect(model->index(row, MessageLogModel::PreviewColumn));
        return image.pixelColor(rect.right() - 2, rect.top() + 1);
    };
    const auto either = [&](QPalette::ColorRole role, const QColor &colour) {
        return colour == palette.color(QPalette::Active, role)
            || colour == palette.color(QPalette::Inactive, role);
    };
    QVERIFY2(either(QPalette::Highlight, colourAt(2)), qPrintable(colourAt(2).name()));
    QVERIFY2(either(QPalette::AlternateBase, colourAt(3)), qPrintable(colourAt(3).name()));
    QVERIFY2(either(QPalette::Base, colourAt(4)), qPrintable(colourAt(4).name()));
}

void tst_HistoryView::scrollToPlacesTheRow()
{
    fill(1000);
    m_view->setFollowing(false);
    QAbstractItemModel *model = m_view->model();
    const int visible = m_view->visibleRowCount();
    m_view->scrollTo(model->index(500, 0), QAbstractItemView::PositionAtCenter);
    QCOMPARE(m_view->rowAt(0), 500 - visible / 2);
    m_view->scrollTo(model->index(600, 0), QAbstractItemView::PositionAtTop);
    QCOMPARE(m_view->rowAt(0), 600);
    m_view->scrollTo(model->index(700, 0), QAbstractItemView::PositionAtBottom);
    QCOMPARE(m_view->rowAt(0), 700 - visible + 1);
    // EnsureVisible moves only as far as needed, and not at all for a row in view.
    m_view->scrollTo(model->index(702, 0));
    QCOMPARE(m_view->rowAt(0), 702 - visible + 1);
    m_view->scrollTo(model->index(702 - 2, 0));
    QCOMPARE(m_view->rowAt(0), 702 - visible + 1);
    m_view->scrollTo(model->index(10, 0));
    QCOMPARE(m_view->rowAt(0), 10);
    // Following keeps the newest row in view as rows come.
    m_view->setFollowing(true);
    for (int i = 0; i < 50; ++i)
        m_store->appendText(Direction::Out, Kind::Text, QStringLiteral("late %1").arg(i), 5000 + i);
    m_log->publish();
    QVERIFY(m_view->isAtBottom());
    QCOMPARE(m_view->rowAt(m_view->visualRect(model->index(1049, 0)).center().y()), 1049);
}

void tst_HistoryView::keysMoveByRowsAndPages()
{
    fill(300);
    m_view->setFollowing(false);
    m_view->setFocus();
    QAbstractItemModel *model = m_view->model();
    m_view->selectRow(10);
    QCOMPARE(m_view->currentIndex().row(), 10);
    const int page = m_view->visibleRowCount();
    QTest::keyClick(m_view.get(), Qt::Key_Down);
    QCOMPARE(m_view->currentIndex().row(), 11);
    // A page down moves the view by a page too: the current row stays where it was on screen.
    const int y = m_view->visualRect(m_view->currentIndex()).top();
    QTest::keyClick(m_view.get(), Qt::Key_PageDown);
    QCOMPARE(m_view->currentIndex().row(), 11 + page);
    QCOMPARE(m_view->visualRect(m_view->currentIndex()).top(), y);
    QTest::keyClick(m_view.get(), Qt::Key_PageUp);
    QTest::keyClick(m_view.get(), Qt::Key_Up);
    QCOMPARE(m_view->currentIndex().row(), 10);
    // Home and End go to the first and the last row (a log is read by rows), selecting it.
    QTest::keyClick(m_view.get(), Qt::Key_End);
    QCOMPARE(m_view->currentIndex().row(), 299);
    QVERIFY(m_view->selectionModel()->isRowSelected(299, {}));
    QVERIFY(m_view->isAtBottom());
    QVERIFY(m_view->isFollowing());
    QTest::keyClick(m_view.get(), Qt::Key_Home);
    QCOMPARE(m_view->currentIndex().row(), 0);
    QCOMPARE(m_view->rowAt(0), 0);
    QVERIFY(!m_view->isFollowing());
    // Shift extends, and a row is selected whole.
    QTest::keyClick(m_view.get(), Qt::Key_Down, Qt::ShiftModifier);
    QTest::keyClick(m_view.get(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(m_view->selectionModel()->selectedRows().size(), 3);
    QCOMPARE(m_view->selectionModel()->selectedIndexes().size(), 3 * model->columnCount());
    // Up at the first row stays there.
    QTest::keyClick(m_view.get(), Qt::Key_Home);
    QTest::keyClick(m_view.get(), Qt::Key_Up);
    QCOMPARE(m_view->currentIndex().row(), 0);
}

void tst_HistoryView::mouseSelectsRowsAndDragExtends()
{
    fill(100);
    m_view->setFollowing(false);
    m_view->scrollToTop();
    QAbstractItemModel *model = m_view->model();
    QWidget *viewport = m_view->viewport();
    const QPoint second = m_view->visualRect(model->index(2, MessageLogModel::PreviewColumn)).center();
    QTest::mouseClick(viewport, Qt::LeftButton, {}, second);
    QCOMPARE(m_view->currentIndex().row(), 2);
    QCOMPARE(m_view->selectionModel()->selectedRows().size(), 1);
    // Ctrl+click adds a row, Shift+click extends to it.
    const QPoint fifth = m_view->visualRect(model->index(5, MessageLogModel::TimeColumn)).center();
    QTest::mouseClick(viewport, Qt::LeftButton, Qt::ControlModifier, fifth);
    QCOMPARE(m_view->selectionModel()->selectedRows().size(), 2);
    const QPoint eighth = m_view->visualRect(model->index(8, MessageLogModel::IdColumn)).center();
    QTest::mouseClick(viewport, Qt::LeftButton, Qt::ShiftModifier, eighth);
    QList<int> rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows.append(i.row());
    std::sort(rows.begin(), rows.end());
    QCOMPARE(rows, (QList<int> { 2, 5, 6, 7, 8 }));
    // A drag from row 1 to row 4 selects rows 1 to 4.
    const QPoint from = m_view->visualRect(model->index(1, MessageLogModel::PreviewColumn)).center();
    const QPoint to = m_view->visualRect(model->index(4, MessageLogModel::PreviewColumn)).center();
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QMouseEvent move(
        QEvent::MouseMove, to, viewport->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    rows.clear();
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows.append(i.row());
    std::sort(rows.begin(), rows.end());
    QCOMPARE(rows, (QList<int> { 1, 2, 3, 4 }));
    // A click below the last row selects nothing new.
    m_view->scrollToBottom();
    QTest::mouseClick(viewport, Qt::LeftButton, {}, QPoint(5, viewport->height() - 1));
    QVERIFY(m_view->currentIndex().isValid());
}

void tst_HistoryView::columnsFollowTheHeader()
{
    fill(20);
    QAbstractItemModel *model = m_view->model();
    QHeaderView *header = m_view->horizontalHeader();
    const int time = MessageLogModel::TimeColumn;
    const int direction = MessageLogModel::DirectionColumn;
    const QRect before = m_view->visualRect(model->index(0, direction));
    QCOMPARE(before.left(), header->sectionViewportPosition(direction));
    // Wider time column: the columns after it move right by as much.
    m_view->setColumnWidth(time, m_view->columnWidth(time) + 40);
    QCOMPARE(m_view->visualRect(model->index(0, direction)).left(), before.left() + 40);
    QCOMPARE(m_view->columnAt(before.left() + 41), direction);
    // The client column is hidden in a client's history: no place, and no index under the mouse.
    QVERIFY(m_view->isColumnHidden(MessageLogModel::ClientColumn));
    QVERIFY(m_view->visualRect(model->index(0, MessageLogModel::ClientColumn)).isEmpty());
    for (int x = 0; x < m_view->viewport()->width(); x += 3)
        QVERIFY(m_view->indexAt(QPoint(x, 2)).column() != MessageLogModel::ClientColumn);
    m_view->setClientColumnVisible(true);
    QVERIFY(!m_view->isColumnHidden(MessageLogModel::ClientColumn));
    QVERIFY(!m_view->visualRect(model->index(0, MessageLogModel::ClientColumn)).isEmpty());
    // Narrow: the columns scroll across, and the header with them.
    m_view->resize(250, 300);
    QTRY_VERIFY(m_view->horizontalScrollBar()->maximum() > 0);
    const int x = m_view->visualRect(model->index(0, direction)).left();
    m_view->horizontalScrollBar()->setValue(30);
    QCOMPARE(m_view->visualRect(model->index(0, direction)).left(), x - 30);
    QCOMPARE(header->offset(), 30);
    // A double click on a column's edge fits it to the rows in view.
    m_view->horizontalScrollBar()->setValue(0);
    m_view->setColumnWidth(time, 12); // the header's minimum, as narrow as it gets
    const int narrow = m_view->columnWidth(time);
    const QPoint edge(header->sectionViewportPosition(time) + narrow - 1, header->height() / 2);
    QTest::mouseDClick(header->viewport(), Qt::LeftButton, {}, edge);
    QVERIFY2(m_view->columnWidth(time) > narrow, qPrintable(QString::number(m_view->columnWidth(time))));
    QCOMPARE(m_view->columnWidth(time), m_view->sizeHintForColumn(time));
}

void tst_HistoryView::fortyMillionRowsCostNothingPerRow()
{
    // A QTableView keeps 8 bytes a row in its vertical header (320 MB here, and a pass over all
    // of them after each insertion); this view keeps nothing per row.
    CountingModel model(40'000'000);
    HistoryView view;
    const double before = rssMiB();
    view.setModel(&model);
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.scrollToBottom();
    const int last = view.rowAt(view.visualRect(model.index(model.rowCount() - 1, 0)).center().y());
    QCOMPARE(last, 39'999'999);
    view.selectRow(20'000'000);
    view.scrollTo(model.index(20'000'000, 0), QAbstractItemView::PositionAtCenter);
    QCOMPARE(view.indexAt(view.visualRect(model.index(20'000'000, 1)).center()), model.index(20'000'000, 1));
    QVERIFY(!view.grab().isNull());
    const double grown = rssMiB() - before;
    QVERIFY2(grown < 64, qPrintable(QStringLiteral("RSS grew by %1 MiB").arg(grown)));
}

QTEST_MAIN(tst_HistoryView)
#include "tst_HistoryView.moc"
