// Reading a big message: the JSON tree, find inside the message, the message window and the
// filter's "N of M messages".
#include "ClientTab.h"
#include "DetailPane.h"
#include "FilterBar.h"
#include "FindBar.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "JsonTreeView.h"
#include "MessageWindow.h"
#include "TextLinesView.h"
#include "format/JsonTreeModel.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

#include <memory>

using namespace wst;

namespace {

const QString SmallJson = QStringLiteral("{\"data\":{\"items\":[{\"price\":1},{\"price\":2},{\"price\":3},{"
                                         "\"price\":4.50,\"name\":\"a \\\"b\\\"\"}]},"
                                         "\"odd key\":true,\"n\":null}");

// A JSON array of n objects, about 170 bytes each: 60000 make 10 MB.
QString bigJson(int n)
{
    QString s;
    s.reserve(qsizetype(n) * 180);
    s += u'[';
    for (int i = 0; i < n; ++i) {
        if (i)
            s += u',';
        s += QStringLiteral("{\"id\":%1,\"name\":\"item %1\",\"tags\":[\"a\",\"b\",\"c\"],"
                            "\"text\":\"lorem ipsum dolor sit amet consectetur adipiscing elit sed do\","
                            "\"price\":%2}")
                 .arg(i)
                 .arg(i * 0.25);
    }
    s += u']';
    return s;
}

// "3 of 41" as the find bar and the filter bar write it, in the test's locale.
QString of(qsizetype a, qsizetype b)
{
    return QStringLiteral("%1 of %2").arg(QLocale().toString(a), QLocale().toString(b));
}

// Items in a JSON of at least 10 MB.
constexpr int BigItems = 75000;

} // namespace

class tst_MessageReading : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void treeShowsKeysValuesAndPaths();
    void treeExpandAndCollapseAll();
    void findCountsAndMovesInJson();
    void findInLinesAndHexViews();
    void ctrlFGoesToTheBarOfTheFocus();
    void doubleClickOpensMessageWindows();
    void filterShowsCountOfMessages();
    void bigMessageKeepsEventLoopResponsive();

private:
    void append(const QString &text);
    void select(int row);
    QModelIndex find(const JsonTreeModel *model, const QString &path) const;
    template <typename T> T *child(const char *name) const { return guitest::child<T>(m_pane.get(), name); }

    QTemporaryDir m_dir;
    std::shared_ptr<MessageStore> m_store;
    std::unique_ptr<MessageLogModel> m_log;
    std::unique_ptr<HistoryPane> m_pane;
    qint64 m_time = 1714567890123000;
};

void tst_MessageReading::initTestCase()
{
    QVERIFY(m_dir.isValid());
    guitest::installSettings(this, m_dir);
}

void tst_MessageReading::init()
{
    m_store = std::make_shared<MessageStore>();
    m_log = std::make_unique<MessageLogModel>(m_store);
    m_log->setBatchInterval(24 * 3600 * 1000);
    m_pane = std::make_unique<HistoryPane>();
    m_pane->setLogModel(m_log.get());
    m_pane->resize(1100, 750);
    m_pane->show();
    QApplication::setActiveWindow(m_pane.get());
    QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
}

void tst_MessageReading::cleanup()
{
    m_pane.reset();
    m_log.reset();
    m_store.reset();
}

void tst_MessageReading::append(const QString &text)
{
    m_time += 1000;
    m_store->appendText(Direction::In, Kind::Text, text, m_time);
}

void tst_MessageReading::select(int row)
{
    HistoryView *view = m_pane->view();
    view->selectionModel()->setCurrentIndex(
        view->model()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QModelIndex tst_MessageReading::find(const JsonTreeModel *model, const QString &path) const
{
    // Walks the tree as a user opens it, node by node.
    QList<QModelIndex> queue { model->index(0, 0) };
    while (!queue.isEmpty()) {
        const QModelIndex index = queue.takeFirst();
        if (model->path(index) == path)
            return index;
        if (path.startsWith(model->path(index))) {
            for (int r = 0; r < model->rowCount(index); ++r)
                queue.append(model->index(r, 0, index));
        }
    }
    return {};
}

void tst_MessageReading::treeShowsKeysValuesAndPaths()
{
    append(SmallJson);
    m_log->publish();
    select(0);
    DetailPane *detail = m_pane->detailPane();
    auto *combo = child<QComboBox>("detailModeCombo");
    combo->setCurrentIndex(combo->findData(int(DetailPane::Mode::Tree)));
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Tree);
    QVERIFY(detail->usesTreeView());
    JsonTreeView *tree = detail->treeView();
    QVERIFY(tree->isVisible());
    JsonTreeModel *model = tree->jsonModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QModelIndex root = model->index(0, 0);
    QCOMPARE(root.data().toString(), QStringLiteral("$"));
    QVERIFY(tree->isExpanded(root));
    QCOMPARE(model->rowCount(root), 3);
    QCOMPARE(model->index(0, 0, root).data().toString(), QStringLiteral("data"));
    QCOMPARE(model->index(1, 0, root).data().toString(), QStringLiteral("odd key"));
    QCOMPARE(model->index(1, 1, root).data().toString(), QStringLiteral("true"));
    QCOMPARE(model->index(2, 1, root).data().toString(), QStringLiteral("null"));
    QCOMPARE(
        model->index(1, 0, root).data(JsonTreeModel::PathRole).toString(), QStringLiteral("$['odd key']"));

    const QModelIndex price = find(model, QStringLiteral("$.data.items[3].price"));
    QVERIFY(price.isValid());
    QCOMPARE(price.data().toString(), QStringLiteral("price"));
    QCOMPARE(price.siblingAtColumn(1).data().toString(), QStringLiteral("4.50")); // digits as written
    const QModelIndex item = price.parent();
    QCOMPARE(item.data().toString(), QStringLiteral("[3]"));
    QCOMPARE(item.siblingAtColumn(1).data().toString(), QStringLiteral("{2 keys}"));
    QCOMPARE(item.parent().siblingAtColumn(1).data().toString(), QStringLiteral("[4 items]"));

    // Copy Path and Copy Value act on the current node, through the tree's buttons.
    tree->setCurrentIndex(price);
    QTest::mouseClick(child<QToolButton>("treeCopyPathButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("$.data.items[3].price"));
    guitest::action(m_pane.get(), "treeCopyFieldPathAction")->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("data.items.3.price"));
    const QModelIndex name = find(model, QStringLiteral("$.data.items[3].name"));
    tree->setCurrentIndex(name);
    tree->setFocus();
    QTest::keySequence(tree, QKeySequence::Copy);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("a \"b\""));
    QCOMPARE(name.siblingAtColumn(1).data().toString(), QStringLiteral("\"a \"b\"\""));
    tree->setCurrentIndex(item);
    QTest::mouseClick(child<QToolButton>("treeCopyValueButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(),
        QStringLiteral("{\n  \"price\": 4.50,\n  \"name\": \"a \\\"b\\\"\"\n}"));
    // The root has no reply-rule form (a key with a dot neither: tst_JsonTreeModel).
    tree->setCurrentIndex(model->index(1, 0, root));
    QVERIFY(guitest::action(m_pane.get(), "treeCopyFieldPathAction")->isEnabled());
    tree->setCurrentIndex(root);
    QVERIFY(!guitest::action(m_pane.get(), "treeCopyFieldPathAction")->isEnabled());
}

void tst_MessageReading::treeExpandAndCollapseAll()
{
    append(bigJson(100));
    m_log->publish();
    select(0);
    m_pane->detailPane()->setMode(DetailPane::Mode::Tree);
    JsonTreeView *tree = m_pane->detailPane()->treeView();
    JsonTreeModel *model = tree->jsonModel();
    // Only what is open (or painted) exists, not the 800 nodes below the root's children.
    QVERIFY(model->nodeCount() < 1 + 100 + 300);
    QTest::mouseClick(child<QToolButton>("treeExpandAllButton"), Qt::LeftButton);
    const QModelIndex tags = find(model, QStringLiteral("$[99].tags"));
    QVERIFY(tags.isValid());
    QVERIFY(tree->isExpanded(tags));
    QVERIFY(tree->isExpanded(tags.parent()));
    QCOMPARE(model->nodeCount(), 1 + 100 * (1 + 5 + 3));
    QVERIFY(tree->note().isEmpty());
    QTest::mouseClick(child<QToolButton>("treeCollapseAllButton"), Qt::LeftButton);
    QVERIFY(!tree->isExpanded(tags.parent()));
    QVERIFY(tree->isExpanded(model->index(0, 0)));
}

void tst_MessageReading::findCountsAndMovesInJson()
{
    append(SmallJson);
    m_log->publish();
    select(0);
    DetailPane *detail = m_pane->detailPane();
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);
    QPlainTextEdit *edit = detail->textEdit();
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    FindBar *bar = detail->findBar();
    QVERIFY(!bar->isVisible());
    QTest::keySequence(m_pane.get(), QKeySequence::Find);
    QVERIFY(bar->isVisible());
    QTRY_VERIFY(bar->lineEdit()->hasFocus());

    QTest::keyClicks(bar->lineEdit(), QStringLiteral("price"));
    QCOMPARE(bar->countText(), QStringLiteral("1 of 4"));
    QCOMPARE(edit->extraSelections().size(), 4);
    QCOMPARE(edit->textCursor().selectedText(), QStringLiteral("price"));
    const int first = edit->textCursor().selectionStart();
    QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
    QCOMPARE(bar->countText(), QStringLiteral("2 of 4"));
    QVERIFY(edit->textCursor().selectionStart() > first);
    QTest::keyClick(bar->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(bar->countText(), QStringLiteral("1 of 4"));
    QTest::keyClick(bar->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(bar->countText(), QStringLiteral("4 of 4")); // wraps around
    QTest::keyClick(bar->lineEdit(), Qt::Key_F3);
    QCOMPARE(bar->countText(), QStringLiteral("1 of 4"));
    QTest::mouseClick(child<QToolButton>("findNextButton"), Qt::LeftButton);
    QCOMPARE(bar->countText(), QStringLiteral("2 of 4"));

    bar->lineEdit()->setText(QStringLiteral("PRICE"));
    QCOMPARE(bar->countText(), QStringLiteral("1 of 4"));
    QTest::mouseClick(child<QToolButton>("findCaseButton"), Qt::LeftButton);
    QCOMPARE(bar->countText(), QStringLiteral("No matches"));
    QCOMPARE(edit->extraSelections().size(), 0);

    // Another message: the same search runs over it.
    append(QStringLiteral("{\"PRICE\": 1}"));
    m_log->publish();
    select(1);
    QCOMPARE(bar->countText(), QStringLiteral("1 of 1"));
    QTest::keyClick(bar->lineEdit(), Qt::Key_Escape);
    QVERIFY(!bar->isVisible());
    QCOMPARE(edit->extraSelections().size(), 0);
}

void tst_MessageReading::findInLinesAndHexViews()
{
    // Over 256 KiB: the lines view, where matches are offsets into the text.
    append(bigJson(2000));
    m_time += 1000;
    const QByteArray binary = QByteArray::fromHex("00deadbeef11deadbeef") + QByteArray(100, 'x');
    m_store->appendBytes(Direction::In, Kind::Binary, binary, m_time);
    m_log->publish();
    select(0);
    DetailPane *detail = m_pane->detailPane();
    QVERIFY(detail->usesLinesView());
    FindBar *bar = detail->findBar();
    detail->showFind();
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("\"item 1999\""));
    QTRY_COMPARE(bar->countText(), QStringLiteral("1 of 1"));
    TextLinesView *lines = detail->linesView();
    QCOMPARE(lines->currentMatch(), 0);
    const qsizetype line = lines->lineOfOffset(bar->currentOffset());
    QVERIFY(lines->line(line).contains(QStringLiteral("\"item 1999\"")));
    // The current match is scrolled into view.
    QVERIFY(line >= lines->firstVisibleLine());
    QVERIFY(line < lines->firstVisibleLine() + 100);
    bar->lineEdit()->setText(QStringLiteral("price"));
    QTRY_COMPARE(bar->countText(), of(1, 2000));

    // The hex view searches bytes: hex digits are bytes, other text its characters.
    select(1);
    QVERIFY(detail->linesView()->isHex());
    QTRY_COMPARE(bar->countText(), QStringLiteral("No matches"));
    bar->lineEdit()->setText(QStringLiteral("de ad be ef"));
    QCOMPARE(bar->countText(), QStringLiteral("1 of 2"));
    QCOMPARE(bar->currentOffset(), 1);
    QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
    QCOMPARE(bar->currentOffset(), 6);
    bar->lineEdit()->setText(QStringLiteral("XXX"));
    QCOMPARE(bar->countText(), QStringLiteral("1 of 33"));

    // The tree has no find: the bar says where it works.
    append(SmallJson);
    m_log->publish();
    select(2);
    detail->setMode(DetailPane::Mode::Tree);
    QVERIFY(!bar->lineEdit()->isEnabled());
    QVERIFY(bar->lineEdit()->placeholderText().contains(QLatin1String("Text, JSON and Hex")));
}

void tst_MessageReading::ctrlFGoesToTheBarOfTheFocus()
{
    append(SmallJson);
    m_log->publish();
    select(0);
    auto *filterEdit = child<QLineEdit>("filterEdit");
    FindBar *bar = m_pane->detailPane()->findBar();

    m_pane->view()->setFocus();
    QTRY_VERIFY(m_pane->view()->hasFocus());
    QTest::keySequence(m_pane->view(), QKeySequence::Find);
    QTRY_VERIFY(filterEdit->hasFocus());
    QVERIFY(!bar->isVisible());

    m_pane->detailPane()->textEdit()->setFocus();
    QTRY_VERIFY(m_pane->detailPane()->textEdit()->hasFocus());
    QTest::keySequence(m_pane->detailPane()->textEdit(), QKeySequence::Find);
    QVERIFY(bar->isVisible());
    QTRY_VERIFY(bar->lineEdit()->hasFocus());

    // And back: the history's Ctrl+F still filters while the find bar stays open.
    m_pane->view()->setFocus();
    QTRY_VERIFY(m_pane->view()->hasFocus());
    QTest::keySequence(m_pane->view(), QKeySequence::Find);
    QTRY_VERIFY(filterEdit->hasFocus());
}

void tst_MessageReading::doubleClickOpensMessageWindows()
{
    append(SmallJson);
    append(QStringLiteral("second message"));
    m_log->publish();
    HistoryView *view = m_pane->view();
    const QRect rect = view->visualRect(view->model()->index(1, 1));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QList<MessageWindow *> windows = m_pane->findChildren<MessageWindow *>();
    QCOMPARE(windows.size(), 1);
    MessageWindow *second = windows.first();
    QVERIFY(QTest::qWaitForWindowExposed(second));
    QVERIFY(second->isWindow());
    QCOMPARE(second->detailPane()->contentText(), QStringLiteral("second message"));
    QVERIFY(second->windowTitle().contains(QLatin1String("#2")));
    QVERIFY(!second->findChild<QToolButton *>(QStringLiteral("detailWindowButton"))->isVisible());

    // The pane's button opens the selected message too; several windows live side by side.
    select(0);
    QTest::mouseClick(child<QToolButton>("detailWindowButton"), Qt::LeftButton);
    windows = m_pane->findChildren<MessageWindow *>();
    QCOMPARE(windows.size(), 2);
    MessageWindow *first = windows.at(0) == second ? windows.at(1) : windows.at(0);
    QVERIFY(QTest::qWaitForWindowExposed(first));
    QCOMPARE(first->detailPane()->effectiveMode(), DetailPane::Mode::Json);
    QVERIFY(second->isVisible());

    // Ctrl+F in the window finds in its message.
    QApplication::setActiveWindow(first);
    QVERIFY(QTest::qWaitForWindowActive(first));
    QTest::keySequence(first, QKeySequence::Find);
    FindBar *bar = first->detailPane()->findBar();
    QVERIFY(bar->isVisible());
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("price"));
    QCOMPARE(bar->countText(), QStringLiteral("1 of 4"));
    // The tree is there too.
    first->detailPane()->setMode(DetailPane::Mode::Tree);
    QVERIFY(first->detailPane()->usesTreeView());

    // Closing the tab (the pane goes) closes its windows.
    const QPointer<MessageWindow> a(first), b(second);
    m_pane.reset();
    QVERIFY(a.isNull());
    QVERIFY(b.isNull());
}

void tst_MessageReading::filterShowsCountOfMessages()
{
    for (int i = 0; i < 30; ++i)
        append(QStringLiteral("message %1").arg(i));
    m_log->publish();
    FilterBar *bar = m_pane->filterBar();
    QVERIFY(bar->countText().isEmpty());
    QVERIFY(!child<QLabel>("filterCountLabel")->isVisible());
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("message 1"));
    bar->applyNow();
    // "message 1" and "message 10" to "message 19".
    QCOMPARE(bar->countText(), QStringLiteral("11 of 30 messages"));
    QVERIFY(child<QLabel>("filterCountLabel")->isVisible());

    // Live: rows arriving move the count, those filtered out included.
    append(QStringLiteral("message 100"));
    append(QStringLiteral("other"));
    m_log->publish();
    QTRY_COMPARE(bar->countText(), QStringLiteral("12 of 32 messages"));

    // A direction filter counts as a filter too; no filter, no count.
    bar->clearFilters();
    QVERIFY(bar->countText().isEmpty());
    QTest::mouseClick(child<QToolButton>("filterInButton"), Qt::LeftButton);
    QCOMPARE(bar->countText(), QStringLiteral("0 of 32 messages"));
}

void tst_MessageReading::bigMessageKeepsEventLoopResponsive()
{
    // 10 MB of JSON through a real connection, to a client tab: selecting it, its tree and a
    // find over it all leave the event loop turning (a 1 ms timer ticks while they work).
    guitest::EchoServer server;
    QVERIFY(server.listen());
    auto tab = std::make_unique<ClientTab>();
    tab->resize(1200, 800);
    tab->show();
    QVERIFY(QTest::qWaitForWindowExposed(tab.get()));
    auto *combo = guitest::child<QComboBox>(tab.get(), "urlCombo");
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), server.url());
    QTest::mouseClick(guitest::child<QPushButton>(tab.get(), "connectButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(server.sockets.size(), 1, 10000);
    const QString big = bigJson(BigItems);
    QVERIFY(big.size() >= 10 * 1000 * 1000);
    server.sockets.first()->sendTextMessage(big);

    HistoryPane *pane = tab->historyPane();
    const QAbstractItemModel *rows = pane->view()->model();
    int bigRow = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < rows->rowCount(); ++r) {
                if (rows->index(r, 0).data(MessageLogModel::PayloadRole).toByteArray().size() == big.size())
                    bigRow = r;
            }
            return bigRow >= 0;
        }(),
        20000);

    DetailPane *detail = pane->detailPane();
    FindBar *bar = detail->findBar();
    int ticksWhileBusy = 0;
    int ticksWhileSearching = 0;
    QTimer ticker;
    ticker.setInterval(1);
    connect(&ticker, &QTimer::timeout, this, [&] {
        ticksWhileBusy += detail->isBusy() ? 1 : 0;
        ticksWhileSearching += bar->isSearching() ? 1 : 0;
    });
    ticker.start();

    pane->view()->selectionModel()->setCurrentIndex(
        rows->index(bigRow, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(detail->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!detail->isBusy(), 60000);
    QVERIFY2(ticksWhileBusy > 0, "the event loop stood still while the message was formatted");
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);

    detail->showFind();
    bar->lineEdit()->setText(QStringLiteral("\"price\""));
    QTest::keyClick(bar->lineEdit(), Qt::Key_Return); // no pause to wait for
    QVERIFY(bar->isSearching());
    QTRY_VERIFY_WITH_TIMEOUT(!bar->isSearching(), 60000);
    QVERIFY2(ticksWhileSearching > 0, "the event loop stood still during the search");
    QCOMPARE(bar->countText(), of(1, BigItems));

    ticksWhileBusy = 0;
    detail->setMode(DetailPane::Mode::Tree);
    QVERIFY(detail->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!detail->isBusy(), 60000);
    QVERIFY2(ticksWhileBusy > 0, "the event loop stood still while the message was checked");
    JsonTreeModel *model = detail->treeView()->jsonModel();
    QCOMPARE(model->rowCount(model->index(0, 0)), BigItems);
    // Opened: the root's children exist (and those of the rows painted), not the 600,000
    // nodes below them.
    QVERIFY(model->nodeCount() < 1 + BigItems + 1000);
    // Expand All keeps to its budget and says so, rather than making 600,000 rows.
    QTest::mouseClick(guitest::child<QToolButton>(detail, "treeExpandAllButton"), Qt::LeftButton);
    QVERIFY(detail->treeView()->note().contains(QLocale().toString(BigItems + 1)));
    QVERIFY(guitest::child<QLabel>(detail, "treeNoteLabel")->isVisible());
    QVERIFY(model->nodeCount() < 1 + BigItems + 1000);
    ticker.stop();
}

QTEST_MAIN(tst_MessageReading)
#include "tst_MessageReading.moc"
