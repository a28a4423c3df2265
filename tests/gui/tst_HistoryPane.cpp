#include "DetailPane.h"
#include "FilterBar.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "JsonHighlighter.h"
#include "TextLinesView.h"
#include "format/HexDump.h"
#include "format/JsonFormat.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

#include <memory>

using namespace wst;

class tst_HistoryPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void modelTesterAndBatching();
    void filterByText();
    void filterByDirectionAndKind();
    void invalidRegexShowsError();
    void filterKeepsSelection();
    void autoScrollFollowsAndPauses();
    void wheelAndKeysPauseFollowing();
    void detailPrettyJsonKeepsOrder();
    void detailInvalidJsonShowsOffset();
    void detailBinaryIsHexDump();
    void detailCloseAndPongHeader();
    void detailLargeJsonOffThread();
    void detailStaleResultIgnored();
    void linesViewCopiesEverything();
    void resendEmitsPayload();
    void copyRowsAsText();
    void keyboardSelectionAgreesWithDetail();
    void tabIntoTableSelectsCurrentRow();
    void clearEmptiesView();
    void countersText();
    void widgetsAreNamed();
    void clientColumnHiddenByDefault();
    void evictedRowsShowAsRecorded();

private:
    qint64 appendText(Direction dir, const QString &text, Kind kind = Kind::Text, qint64 extra = 0);
    void select(int proxyRow);
    template <typename T> T *child(const char *name) const { return guitest::child<T>(m_pane.get(), name); }

    std::shared_ptr<MessageStore> m_store;
    std::unique_ptr<MessageLogModel> m_log;
    std::unique_ptr<HistoryPane> m_pane;
    qint64 m_time = 1714567890123000;
};

qint64 tst_HistoryPane::appendText(Direction dir, const QString &text, Kind kind, qint64 extra)
{
    m_time += 1000;
    return m_store->appendText(dir, kind, text, m_time, extra);
}

void tst_HistoryPane::select(int proxyRow)
{
    HistoryView *view = m_pane->view();
    view->selectionModel()->setCurrentIndex(
        view->model()->index(proxyRow, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void tst_HistoryPane::init()
{
    m_store = std::make_shared<MessageStore>();
    m_log = std::make_unique<MessageLogModel>(m_store);
    // Tests publish by hand so that every batch is deterministic.
    m_log->setBatchInterval(24 * 3600 * 1000);
    m_pane = std::make_unique<HistoryPane>();
    m_pane->setLogModel(m_log.get());
    m_pane->resize(1100, 750);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
}

void tst_HistoryPane::cleanup()
{
    m_pane.reset();
    m_log.reset();
    m_store.reset();
}

void tst_HistoryPane::modelTesterAndBatching()
{
    QAbstractItemModelTester tester(
        m_pane->filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy sourceInserts(m_log.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy proxyInserts(m_pane->filterModel(), &QAbstractItemModel::rowsInserted);

    for (int i = 0; i < 10000; ++i)
        appendText(i % 2 ? Direction::In : Direction::Out, QStringLiteral("message %1").arg(i));
    QCOMPARE(m_pane->view()->model()->rowCount(), 0);
    m_log->publish();
    QCOMPARE(sourceInserts.size(), 1);
    QCOMPARE(proxyInserts.size(), 1);
    QCOMPARE(proxyInserts.at(0).at(1).toInt(), 0);
    QCOMPARE(proxyInserts.at(0).at(2).toInt(), 9999);
    QCOMPARE(m_pane->view()->model()->rowCount(), 10000);

    // A filtered proxy also takes a batch in one insert.
    m_pane->filterModel()->setText(QStringLiteral("message 1"));
    proxyInserts.clear();
    for (int i = 10000; i < 10100; ++i)
        appendText(Direction::In, QStringLiteral("message %1").arg(i));
    m_log->publish();
    QCOMPARE(proxyInserts.size(), 1);
    QCOMPARE(m_pane->filterModel()->rowCount(), 1111 + 100);
}

void tst_HistoryPane::filterByText()
{
    appendText(Direction::In, QStringLiteral("hello world"));
    appendText(Direction::Out, QStringLiteral("Hello there"));
    appendText(Direction::In, QStringLiteral("foo 123"));
    appendText(Direction::In, QStringLiteral("fooo 9"));
    m_log->publish();
    QAbstractItemModel *model = m_pane->view()->model();
    QCOMPARE(model->rowCount(), 4);

    auto *edit = child<QLineEdit>("filterEdit");
    QCOMPARE(edit->placeholderText(), QStringLiteral("Filter\u2026"));
    QSignalSpy applied(m_pane->filterBar(), &FilterBar::filterApplied);
    QTest::keyClicks(edit, QStringLiteral("hello"));
    // Debounced: nothing is applied while typing.
    QCOMPARE(applied.size(), 0);
    QCOMPARE(model->rowCount(), 4);
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(applied.size(), 1);

    QTest::mouseClick(child<QToolButton>("filterCaseButton"), Qt::LeftButton);
    QVERIFY(m_pane->filterModel()->isCaseSensitive());
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(
        model->index(0, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("hello world"));

    edit->clear();
    QTest::mouseClick(child<QToolButton>("filterRegexButton"), Qt::LeftButton);
    QTest::keyClicks(edit, QStringLiteral("^fo{2,}\\s\\d$"));
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("fooo 9"));
    QVERIFY(m_pane->filterModel()->isRegularExpression());

    QTest::mouseClick(child<QToolButton>("filterClearButton"), Qt::LeftButton);
    QCOMPARE(edit->text(), QString());
    QVERIFY(!m_pane->filterModel()->isRegularExpression());
    QCOMPARE(model->rowCount(), 4);
}

void tst_HistoryPane::filterByDirectionAndKind()
{
    appendText(Direction::In, QStringLiteral("in 1"));
    appendText(Direction::Out, QStringLiteral("out 1"));
    appendText(Direction::Event, QString(), Kind::Open);
    m_store->appendBytes(Direction::In, Kind::Binary, QByteArrayView("\x01\x02", 2), m_time += 1000);
    m_log->publish();
    QAbstractItemModel *model = m_pane->view()->model();
    QCOMPARE(model->rowCount(), 4);

    QTest::mouseClick(child<QToolButton>("filterOutButton"), Qt::LeftButton);
    QCOMPARE(
        m_pane->filterModel()->directions(), directionBit(Direction::In) | directionBit(Direction::Event));
    QCOMPARE(model->rowCount(), 3);
    QTest::mouseClick(child<QToolButton>("filterEventButton"), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 2);

    auto *binary = m_pane->findChild<QAction *>(QStringLiteral("filterKind_%1").arg(int(Kind::Binary)));
    QVERIFY(binary);
    binary->trigger();
    QVERIFY(!(m_pane->filterModel()->kinds() & kindBit(Kind::Binary)));
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("in 1"));
    QVERIFY(child<QToolButton>("filterKindsButton")->text().contains(QLatin1String("7")));

    QTest::mouseClick(child<QToolButton>("filterClearButton"), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(m_pane->filterModel()->kinds(), AllKinds);
}

void tst_HistoryPane::invalidRegexShowsError()
{
    appendText(Direction::In, QStringLiteral("a"));
    appendText(Direction::In, QStringLiteral("b"));
    m_log->publish();
    QTest::mouseClick(child<QToolButton>("filterRegexButton"), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>("filterEdit"), QStringLiteral("a(["));
    auto *error = child<QLabel>("filterErrorLabel");
    QTRY_VERIFY(error->isVisible());
    QVERIFY(!m_pane->filterModel()->patternError().isEmpty());
    QCOMPARE(error->text(), m_pane->filterModel()->patternError());
    // An invalid pattern filters nothing out.
    QCOMPARE(m_pane->view()->model()->rowCount(), 2);

    QTest::keyClick(child<QLineEdit>("filterEdit"), Qt::Key_Backspace);
    QTest::keyClick(child<QLineEdit>("filterEdit"), Qt::Key_Backspace);
    QTRY_VERIFY(!error->isVisible());
    QCOMPARE(m_pane->view()->model()->rowCount(), 1);
}

void tst_HistoryPane::filterKeepsSelection()
{
    for (int i = 0; i < 50; ++i)
        appendText(Direction::In, QStringLiteral("row %1").arg(i));
    m_log->publish();
    select(42);
    QVERIFY(m_pane->detailPane()->contentText() == QStringLiteral("row 42"));
    m_pane->filterModel()->setText(QStringLiteral("row 4"));
    const QModelIndex current = m_pane->view()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(current.data(MessageLogModel::StoreIndexRole).toLongLong(), 42);
    QCOMPARE(m_pane->detailPane()->contentText(), QStringLiteral("row 42"));
}

void tst_HistoryPane::autoScrollFollowsAndPauses()
{
    HistoryView *view = m_pane->view();
    QScrollBar *bar = view->verticalScrollBar();
    auto *follow = child<QToolButton>("followButton");
    QSignalSpy followSpy(view, &HistoryView::followingChanged);

    for (int i = 0; i < 1000; ++i)
        appendText(Direction::In, QStringLiteral("m %1").arg(i));
    m_log->publish();
    QVERIFY(view->isFollowing());
    QVERIFY(follow->isChecked());
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());

    // The user pages up: following pauses.
    bar->triggerAction(QAbstractSlider::SliderPageStepSub);
    QVERIFY(!view->isFollowing());
    QVERIFY(!follow->isChecked());
    QCOMPARE(followSpy.size(), 1);
    QCOMPARE(followSpy.at(0).at(0).toBool(), false);
    const int pausedAt = bar->value();
    QVERIFY(pausedAt < bar->maximum());

    // New rows raise the maximum but neither move the view nor count as scrolling.
    const int oldMax = bar->maximum();
    for (int i = 0; i < 1000; ++i)
        appendText(Direction::In, QStringLiteral("n %1").arg(i));
    m_log->publish();
    QCoreApplication::processEvents();
    QVERIFY(bar->maximum() > oldMax);
    QCOMPARE(bar->value(), pausedAt);
    QVERIFY(!view->isFollowing());

    // Back at the bottom: following resumes and new rows are followed again.
    bar->triggerAction(QAbstractSlider::SliderToMaximum);
    QVERIFY(view->isFollowing());
    QVERIFY(follow->isChecked());
    for (int i = 0; i < 100; ++i)
        appendText(Direction::In, QStringLiteral("o %1").arg(i));
    m_log->publish();
    QCOMPARE(bar->value(), bar->maximum());

    // The Follow button pauses and resumes too.
    QTest::mouseClick(follow, Qt::LeftButton);
    QVERIFY(!view->isFollowing());
    const int kept = bar->value();
    for (int i = 0; i < 100; ++i)
        appendText(Direction::In, QStringLiteral("p %1").arg(i));
    m_log->publish();
    QCOMPARE(bar->value(), kept);
    QTest::mouseClick(follow, Qt::LeftButton);
    QVERIFY(view->isFollowing());
    QCOMPARE(bar->value(), bar->maximum());
}

void tst_HistoryPane::wheelAndKeysPauseFollowing()
{
    HistoryView *view = m_pane->view();
    QScrollBar *bar = view->verticalScrollBar();
    for (int i = 0; i < 500; ++i)
        appendText(Direction::Out, QStringLiteral("m %1").arg(i));
    m_log->publish();
    QVERIFY(view->isFollowing());

    const QPoint pos = view->viewport()->rect().center();
    QWheelEvent up(pos, view->viewport()->mapToGlobal(pos), QPoint(), QPoint(0, 120), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &up);
    QVERIFY(bar->value() < bar->maximum());
    QVERIFY(!view->isFollowing());

    QWheelEvent down(pos, view->viewport()->mapToGlobal(pos), QPoint(), QPoint(0, -120 * 50), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &down);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(view->isFollowing());

    view->setFocus();
    select(m_pane->view()->model()->rowCount() - 1);
    QTest::keyClick(view, Qt::Key_PageUp);
    QVERIFY(!view->isFollowing());
    QTest::keyClick(view, Qt::Key_End, Qt::ControlModifier);
    QVERIFY(view->isFollowing());
}

void tst_HistoryPane::detailPrettyJsonKeepsOrder()
{
    appendText(
        Direction::In, QStringLiteral("{\"zeta\":1,\"alpha\":[true,null,1.50],\"mid\":{\"k\":\"v\"}}"));
    appendText(Direction::In, QStringLiteral("plain text"));
    m_log->publish();
    select(0);
    DetailPane *detail = m_pane->detailPane();
    QVERIFY(!detail->isBusy());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);
    QVERIFY(!detail->usesLinesView());
    QCOMPARE(detail->contentText(),
        QStringLiteral("{\n  \"zeta\": 1,\n  \"alpha\": [\n    true,\n    null,\n    1.50\n  ],\n"
                       "  \"mid\": {\n    \"k\": \"v\"\n  }\n}"));
    QVERIFY(detail->messageText().isEmpty());
    QVERIFY(detail->headerText().contains(QLatin1String("2024-05-01T")));
    QVERIFY(detail->headerText().contains(MessageLogModel::kindName(Kind::Text)));

    // Colours come from the highlighter: the key "zeta" is not painted in the default colour.
    auto *edit = child<QPlainTextEdit>("detailTextEdit");
    const QTextBlock second = edit->document()->findBlockByNumber(1);
    QTRY_VERIFY(!second.layout()->formats().isEmpty());
    const QTextLayout::FormatRange key = second.layout()->formats().constFirst();
    QCOMPARE(key.start, 2);
    QCOMPARE(key.length, 6); // "zeta" with its quotes
    QCOMPARE(key.format.foreground().color(),
        JsonHighlighter::tokenColor(JsonFormat::TokenType::Key, edit->palette()));

    select(1);
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Text);
    QCOMPARE(detail->contentText(), QStringLiteral("plain text"));

    // Text mode on the JSON row shows it as it came.
    select(0);
    child<QComboBox>("detailModeCombo")->setCurrentIndex(1);
    QCOMPARE(detail->mode(), DetailPane::Mode::Text);
    QCOMPARE(detail->contentText(),
        QStringLiteral("{\"zeta\":1,\"alpha\":[true,null,1.50],\"mid\":{\"k\":\"v\"}}"));
}

void tst_HistoryPane::detailInvalidJsonShowsOffset()
{
    const QString bad = QStringLiteral("{\"a\": 1,\n \"b\": tru}");
    appendText(Direction::In, bad);
    m_log->publish();
    DetailPane *detail = m_pane->detailPane();
    detail->setMode(DetailPane::Mode::Json);
    QCOMPARE(child<QComboBox>("detailModeCombo")->currentText(), QStringLiteral("JSON"));
    select(0);
    const JsonFormat::Result expected = JsonFormat::check(bad.toUtf8());
    QVERIFY(!expected.ok);
    QVERIFY(detail->messageText().contains(expected.error));
    QVERIFY(detail->messageText().contains(QStringLiteral("byte %1").arg(expected.errorOffset)));
    QVERIFY(detail->messageText().contains(QLatin1String("line 2")));
    QVERIFY(child<QLabel>("detailMessageLabel")->isVisible());
    QCOMPARE(detail->contentText(), bad);
    // The offending character is marked and the caret sits on it.
    auto *edit = child<QPlainTextEdit>("detailTextEdit");
    QCOMPARE(edit->extraSelections().size(), 1);
    QCOMPARE(edit->extraSelections().at(0).cursor.selectionStart(), int(expected.errorOffset));
    QCOMPARE(edit->textCursor().position(), int(expected.errorOffset));

    // Auto does not complain: it just shows text.
    detail->setMode(DetailPane::Mode::Auto);
    QVERIFY(detail->messageText().isEmpty());
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Text);
}

void tst_HistoryPane::detailBinaryIsHexDump()
{
    QByteArray bytes;
    for (int i = 0; i < 40; ++i)
        bytes.append(char(i * 7));
    m_store->appendBytes(Direction::In, Kind::Binary, bytes, m_time += 1000);
    m_log->publish();
    select(0);
    DetailPane *detail = m_pane->detailPane();
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Hex);
    QVERIFY(detail->usesLinesView());
    TextLinesView *lines = detail->linesView();
    QCOMPARE(lines->lineCount(), 3);
    QCOMPARE(lines->line(0), HexDump::line(bytes, 0));
    QVERIFY(lines->line(0).startsWith(QLatin1String("00000000  00 07 0e 15")));
    QCOMPARE(detail->contentText(), HexDump::dump(bytes));

    detail->copyPayload();
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(bytes.toHex(' ')));
}

void tst_HistoryPane::detailCloseAndPongHeader()
{
    appendText(Direction::Event, QStringLiteral("bye"), Kind::Close, 1001);
    appendText(Direction::In, QString(), Kind::Pong, 2500);
    m_log->publish();
    DetailPane *detail = m_pane->detailPane();
    select(0);
    QVERIFY(detail->headerText().contains(QLatin1String("1001")));
    QVERIFY(detail->headerText().contains(CloseCodes::description(1001)));
    QCOMPARE(detail->contentText(), QStringLiteral("bye"));
    select(1);
    QVERIFY(detail->headerText().contains(QLatin1String("2.50 ms")));
    QCOMPARE(detail->contentText(), QString());
}

static QString bigJson(int items)
{
    QString s = QStringLiteral("[");
    for (int i = 0; i < items; ++i) {
        if (i)
            s += u',';
        s += QStringLiteral("{\"id\":%1,\"name\":\"item number %1\",\"ok\":true,\"v\":%1.25}").arg(i);
    }
    s += u']';
    return s;
}

void tst_HistoryPane::detailLargeJsonOffThread()
{
    const QString json = bigJson(60000);
    QVERIFY(json.size() > 3 * 1000 * 1000);
    appendText(Direction::In, QStringLiteral("small"));
    appendText(Direction::In, json);
    m_log->publish();
    DetailPane *detail = m_pane->detailPane();
    QSignalSpy busy(detail, &DetailPane::busyChanged);

    QElapsedTimer clock;
    clock.start();
    select(1);
    // Selection returns at once with a busy state; the formatting runs in a worker.
    QVERIFY(detail->isBusy());
    QCOMPARE(busy.size(), 1);
    QVERIFY(child<QLabel>("detailPlaceholder")->text().contains(QLatin1String("Formatting")));
    QVERIFY(child<QLabel>("detailPlaceholder")->isVisible());

    QTRY_VERIFY_WITH_TIMEOUT(!detail->isBusy(), 30000);
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);
    QVERIFY(detail->usesLinesView());
    TextLinesView *lines = detail->linesView();
    QCOMPARE(lines->lineCount(), 60000 * 6 + 2);
    QCOMPARE(lines->line(0), QStringLiteral("["));
    QCOMPARE(lines->line(1), QStringLiteral("  {"));
    QCOMPARE(lines->line(2), QStringLiteral("    \"id\": 0,"));
    QCOMPARE(lines->line(5), QStringLiteral("    \"v\": 0.25"));
    QVERIFY(lines->isVisible());
}

void tst_HistoryPane::detailStaleResultIgnored()
{
    appendText(Direction::In, bigJson(40000));
    appendText(Direction::In, QStringLiteral("{\"small\":true}"));
    m_log->publish();
    DetailPane *detail = m_pane->detailPane();
    QSignalSpy shown(detail, &DetailPane::contentShown);
    select(0);
    QVERIFY(detail->isBusy());
    select(1);
    QVERIFY(!detail->isBusy());
    const QString small = QStringLiteral("{\n  \"small\": true\n}");
    QCOMPARE(detail->contentText(), small);
    // Give the abandoned job time to finish; its result must not replace the content.
    QTest::qWait(1500);
    QCOMPARE(detail->contentText(), small);
    QCOMPARE(shown.size(), 1);
}

void tst_HistoryPane::linesViewCopiesEverything()
{
    TextLinesView view;
    QString text;
    for (int i = 0; i < 5000; ++i)
        text += QStringLiteral("line %1\n").arg(i);
    view.setText(text);
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.lineCount(), 5001);
    QCOMPARE(view.line(4999), QStringLiteral("line 4999"));
    QTest::keyClick(&view, Qt::Key_PageDown);
    QVERIFY(view.firstVisibleLine() > 0);
    QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
    QVERIFY(view.firstVisibleLine() > 4900);
    QTest::keyClick(&view, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), text);
}

void tst_HistoryPane::resendEmitsPayload()
{
    appendText(Direction::Out, QStringLiteral("{\"op\":\"subscribe\"}"));
    appendText(Direction::Event, QString(), Kind::Open);
    m_store->appendBytes(Direction::In, Kind::Binary, QByteArrayView("\x00\xff", 2), m_time += 1000);
    m_log->publish();
    auto *resend = child<QToolButton>("resendButton");
    QVERIFY(!resend->isEnabled());
    QSignalSpy spy(m_pane.get(), &HistoryPane::resendRequested);

    HistoryView *view = m_pane->view();
    const QRect rect = view->visualRect(view->model()->index(0, MessageLogModel::PreviewColumn));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(view->currentIndex().row(), 0);
    QVERIFY(resend->isEnabled());
    QTest::mouseClick(resend, Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<Kind>(), Kind::Text);
    QCOMPARE(spy.at(0).at(1).toByteArray(), QByteArray("{\"op\":\"subscribe\"}"));

    select(1);
    QVERIFY(!resend->isEnabled());
    select(2);
    QVERIFY(resend->isEnabled());
    m_pane->resendAction()->trigger();
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(1).at(0).value<Kind>(), Kind::Binary);
    QCOMPARE(spy.at(1).at(1).toByteArray(), QByteArray("\x00\xff", 2));
}

void tst_HistoryPane::copyRowsAsText()
{
    appendText(Direction::In, QStringLiteral("first"));
    appendText(Direction::Out, QStringLiteral("second"));
    appendText(Direction::In, QStringLiteral("third"));
    m_log->publish();
    HistoryView *view = m_pane->view();
    select(0);
    view->selectionModel()->select(
        view->model()->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    const QStringList lines = QGuiApplication::clipboard()->text().split(u'\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith(QLatin1String("2024-05-01T")));
    QVERIFY(lines.at(0).endsWith(QLatin1String("\tin\ttext\tfirst")));
    QVERIFY(lines.at(1).endsWith(QLatin1String("\tin\ttext\tthird")));
}

void tst_HistoryPane::keyboardSelectionAgreesWithDetail()
{
    // Ctrl+End / Ctrl+Home: the highlighted row, the detail pane and Copy agree. (Ctrl+End
    // moved the detail to the last message and left the highlight where it was.)
    for (int i = 0; i < 30; ++i)
        appendText(Direction::In, QStringLiteral("m %1").arg(i));
    m_log->publish();
    HistoryView *view = m_pane->view();
    auto *copy = child<QAbstractButton>("copyRowsButton");
    auto selectedRows = [view] {
        QList<int> rows;
        for (const QModelIndex &i : view->selectionModel()->selectedRows())
            rows.append(i.row());
        return rows;
    };

    select(3);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view->currentIndex().row(), 29);
    QCOMPARE(selectedRows(), QList<int> { 29 });
    QVERIFY(m_pane->detailPane()->hasMessage());
    QVERIFY(copy->isEnabled());
    QTest::keyClick(view, Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(view->currentIndex().row(), 0);
    QCOMPARE(selectedRows(), QList<int> { 0 });
    // Shift still extends the selection.
    QTest::keyClick(view, Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(selectedRows(), (QList<int> { 0, 1 }));
}

void tst_HistoryPane::tabIntoTableSelectsCurrentRow()
{
    // Tab into a table with no current row: Qt makes the first row current (the detail pane
    // shows it) without selecting it, so nothing was highlighted and Copy stayed disabled.
    for (int i = 0; i < 5; ++i)
        appendText(Direction::In, QStringLiteral("m %1").arg(i));
    m_log->publish();
    HistoryView *view = m_pane->view();
    auto *copy = child<QAbstractButton>("copyRowsButton");
    QVERIFY(!view->currentIndex().isValid());
    m_pane->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
    QWidget *before = view->previousInFocusChain();
    while (before != view && !(before->focusPolicy() & Qt::TabFocus))
        before = before->previousInFocusChain();
    before->setFocus(Qt::OtherFocusReason);
    QTest::keyClick(before, Qt::Key_Tab);
    QTRY_VERIFY(view->hasFocus());
    const QModelIndex current = view->currentIndex();
    QVERIFY(current.isValid());
    QVERIFY(m_pane->detailPane()->hasMessage());
    const QModelIndexList selected = view->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().row(), current.row());
    QVERIFY(copy->isEnabled());
    // Tab out and back in keeps what was chosen.
    QTest::keyClick(view, Qt::Key_Down);
    QTest::keyClick(view, Qt::Key_Tab);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
    QTRY_VERIFY(view->hasFocus());
    QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view->selectionModel()->selectedRows().first().row(), view->currentIndex().row());
}

void tst_HistoryPane::clearEmptiesView()
{
    for (int i = 0; i < 20; ++i)
        appendText(Direction::In, QStringLiteral("m %1").arg(i));
    m_log->publish();
    select(3);
    QVERIFY(m_pane->detailPane()->hasMessage());
    QTest::mouseClick(child<QToolButton>("clearHistoryButton"), Qt::LeftButton);
    QCOMPARE(m_pane->view()->model()->rowCount(), 0);
    QVERIFY(!m_pane->detailPane()->hasMessage());
    QVERIFY(m_pane->view()->isFollowing());
    appendText(Direction::In, QStringLiteral("after"));
    m_log->publish();
    QCOMPARE(m_pane->view()->model()->rowCount(), 1);
}

void tst_HistoryPane::countersText()
{
    QSignalSpy changed(m_pane.get(), &HistoryPane::countersChanged);
    appendText(Direction::In, QString(2048, u'x'));
    appendText(Direction::In, QStringLiteral("abc"));
    appendText(Direction::Out, QStringLiteral("hi"));
    appendText(Direction::Event, QString(), Kind::Open);
    m_pane->updateCounters();
    QCOMPARE(changed.size(), 1);
    const QString text = m_pane->countersText();
    QCOMPARE(changed.at(0).at(0).toString(), text);
    QVERIFY2(text.startsWith(QLatin1String("2 in / 1 out")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("2.0 KiB in / 2 bytes out")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("msg/s")), qPrintable(text));
    QCOMPARE(child<QLabel>("countersLabel")->text(), text);
}

void tst_HistoryPane::widgetsAreNamed()
{
    const QStringList problems = guitest::unnamedControls(m_pane.get(),
        { "historyView", "filterEdit", "detailPane", "detailModeCombo", "clearHistoryButton", "resendButton",
            "followButton", "countersLabel", "filterRegexButton", "filterCaseButton", "filterInButton",
            "filterOutButton", "filterEventButton", "filterKindsButton", "filterClearButton",
            "copyRowsButton", "detailCopyButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
}

void tst_HistoryPane::clientColumnHiddenByDefault()
{
    m_store->appendText(Direction::In, Kind::Text, u"from client 7", m_time += 1000, 0, 7);
    m_log->publish();
    HistoryView *view = m_pane->view();
    QHeaderView *header = view->horizontalHeader();
    QVERIFY(header->isSectionHidden(MessageLogModel::ClientColumn));
    QVERIFY(!header->isSectionHidden(MessageLogModel::PreviewColumn));
    view->setClientColumnVisible(true);
    QVERIFY(!header->isSectionHidden(MessageLogModel::ClientColumn));
    // The preview keeps the remaining width: it is the last column on screen.
    QCOMPARE(header->logicalIndex(header->count() - 1), int(MessageLogModel::PreviewColumn));
    QCOMPARE(view->model()->index(0, MessageLogModel::ClientColumn).data().toInt(), 7);
    // A filter change resets the proxy; the user's column choice stays.
    m_pane->filterModel()->setText(QStringLiteral("client"));
    QVERIFY(!header->isSectionHidden(MessageLogModel::ClientColumn));
    QCOMPARE(view->model()->rowCount(), 1);
}

namespace {

// A session file's stand-in: the payloads it holds, by reference.
class MapSource : public PayloadSource
{
public:
    QByteArray read(quint64 reference, quint32) override { return payloads.value(reference); }
    QHash<quint64, QByteArray> payloads;
};

} // namespace

void tst_HistoryPane::evictedRowsShowAsRecorded()
{
    // Rows whose payloads left memory for the session file show and select as any other.
    auto source = std::make_shared<MapSource>();
    m_store->enableEviction(source, 0, 1 << 20);
    const QString json = QStringLiteral("{\"zeta\":1,\"alpha\":[true,null,1.50]}");
    appendText(Direction::In, json);
    QByteArray bytes;
    for (int i = 0; i < 40; ++i)
        bytes.append(char(i * 7));
    m_store->appendBytes(Direction::In, Kind::Binary, bytes, m_time += 1000);
    for (int i = 2; i < 30000; ++i)
        appendText(Direction::Out, QStringLiteral("row %1 ").arg(i) + QString(600, u'x'));
    for (qint64 i = 0; i < m_store->count(); ++i)
        source->payloads.insert(quint64(i), m_store->payload(i));
    // The newest rows are not in the file yet: they stay.
    m_store->markPersisted(m_store->count() - 100);
    QVERIFY(m_store->isExternal(0) && m_store->isExternal(1) && m_store->isExternal(2));
    QVERIFY(!m_store->isExternal(m_store->count() - 1));
    m_log->publish();

    HistoryView *view = m_pane->view();
    view->scrollToTop();
    QCOMPARE(view->indexAt(QPoint(5, 5)).row(), 0);
    QAbstractItemModel *model = view->model();
    QCOMPARE(model->index(0, MessageLogModel::PreviewColumn).data().toString(), json);
    QVERIFY(model->index(2, MessageLogModel::PreviewColumn)
                .data()
                .toString()
                .startsWith(QLatin1String("row 2 xx")));
    select(0);
    DetailPane *detail = m_pane->detailPane();
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Json);
    QCOMPARE(detail->contentText(),
        QStringLiteral("{\n  \"zeta\": 1,\n  \"alpha\": [\n    true,\n    null,\n    1.50\n  ]\n}"));
    select(1);
    QCOMPARE(detail->effectiveMode(), DetailPane::Mode::Hex);
    QCOMPARE(detail->contentText(), HexDump::dump(bytes));
    // The newest row, still in memory.
    view->scrollToBottom();
    const int last = model->rowCount() - 1;
    select(last);
    QVERIFY(detail->contentText().startsWith(QStringLiteral("row %1 xx").arg(last)));
}

QTEST_MAIN(tst_HistoryPane)
#include "tst_HistoryPane.moc"
