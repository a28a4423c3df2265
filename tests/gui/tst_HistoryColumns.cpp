// JSON columns, sorting, expression filters, highlight rules and the diff in a client tab of
// the real window, connected to a real echo server; then saved and reopened with the session.
#include "ClientTab.h"
#include "Dialogs.h"
#include "DiffDialog.h"
#include "FilterBar.h"
#include "GuiTestSupport.h"
#include "HighlightRulesDialog.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "SessionController.h"
#include "Theme.h"
#include "compose/ConnectionHistory.h"
#include "connection/ClientConnection.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "messages/WorkerPool.h"
#include "settings/AppSettings.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLinearGradient>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSemaphore>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTreeWidget>
#include <QtTest>

using namespace wst;

class tst_HistoryColumns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void columnsSortFilterHighlightDiffAndSession();
    void textDiffOfMessagesThatAreNotJson();
    void badSavedViewStateIsSkippedWithReasons();
    void highlightColoursAreReadable();
    void busyWorkersLeavePaintingAlone();

private:
    ClientTab *connectedTab(const QStringList &messages);
    static QStringList columnValues(const HistoryPane *pane, int column);
    static void selectRows(HistoryPane *pane, const QList<int> &rows);

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    guitest::EchoServer m_echo;
    std::unique_ptr<MainWindow> m_window;
};

void tst_HistoryColumns::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = new AppSettings(m_dir.filePath(QStringLiteral("settings.ini")), this);
    AppSettings::setInstance(m_settings);
    m_settings->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("live")));
    ConnectionHistory::setDefaultPath(m_dir.filePath(QStringLiteral("history.ndjson")));
    QVERIFY(m_echo.listen());
}

void tst_HistoryColumns::init()
{
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
}

void tst_HistoryColumns::cleanup()
{
    m_window.reset();
    const QList<QWidget *> windows = QApplication::topLevelWidgets();
    for (QWidget *w : windows) {
        if (qobject_cast<MainWindow *>(w))
            delete w;
    }
}

ClientTab *tst_HistoryColumns::connectedTab(const QStringList &messages)
{
    ClientTab *client = m_window->newClientTab();
    QString error;
    if (!client->setSettingsJson(QJsonObject { { QStringLiteral("url"), m_echo.url() } }, &error))
        qWarning() << error;
    if (!client->connectToServer())
        return nullptr;
    if (!QTest::qWaitFor([client] { return client->state() == ClientConnection::State::Open; }, 10000))
        return nullptr;
    for (const QString &m : messages)
        client->connection()->sendText(m);
    const qint64 expected = messages.size();
    if (!QTest::qWaitFor(
            [client, expected] { return client->connection()->store()->counters().messagesIn == expected; },
            10000))
        return nullptr;
    // Every row published to the view.
    const int rows = int(client->connection()->store()->count());
    if (!QTest::qWaitFor([client, rows] { return client->logModel()->rowCount() == rows; }, 10000))
        return nullptr;
    return client;
}

QStringList tst_HistoryColumns::columnValues(const HistoryPane *pane, int column)
{
    QStringList values;
    const MessageFilterModel *model = pane->filterModel();
    for (int r = 0; r < model->rowCount(); ++r)
        values << model->index(r, column).data().toString();
    return values;
}

void tst_HistoryColumns::selectRows(HistoryPane *pane, const QList<int> &rows)
{
    QItemSelectionModel *selection = pane->view()->selectionModel();
    selection->clearSelection();
    for (int row : rows)
        selection->select(
            pane->filterModel()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void tst_HistoryColumns::columnsSortFilterHighlightDiffAndSession()
{
    ClientTab *client = connectedTab({
        QStringLiteral(R"({"type":"trade","price":120,"level":"info"})"),
        QStringLiteral(R"({"type":"quote","price":80,"level":"error"})"),
        QStringLiteral(R"({"type":"trade","price":95})"),
        QStringLiteral("plain text"),
    });
    QVERIFY(client);
    HistoryPane *pane = client->historyPane();
    HistoryView *view = pane->view();
    QHeaderView *header = view->horizontalHeader();
    const int typeColumn = MessageLogModel::ColumnCount;
    const int priceColumn = typeColumn + 1;

    // Add a column from the header's menu: the path is asked for.
    std::unique_ptr<QMenu> menu(pane->createHeaderMenu(MessageLogModel::PreviewColumn, nullptr));
    const auto menuAction = [](const QMenu *m, const char *name) -> QAction * {
        for (QAction *a : m->actions()) {
            if (a->objectName() == QLatin1StringView(name))
                return a;
        }
        return nullptr;
    };
    QAction *add = menuAction(menu.get(), "addJsonColumnAction");
    QVERIFY(add);
    QVERIFY(menuAction(menu.get(), "highlightRulesAction"));
    QVERIFY(menuAction(menu.get(), "sortAscendingAction"));
    QVERIFY(!menuAction(menu.get(), "removeJsonColumnAction")); // the preview is no JSON column
    QVERIFY(!add->toolTip().isEmpty());
    Dialogs::setNextText(QStringLiteral("$.type"));
    add->trigger();
    QCOMPARE(pane->filterModel()->columnCount(), typeColumn + 1);
    QCOMPARE(
        pane->filterModel()->headerData(typeColumn, Qt::Horizontal).toString(), QStringLiteral("$.type"));
    Dialogs::setNextText(QStringLiteral(" $.price "));
    pane->addJsonColumnAction()->trigger();
    QCOMPARE(pane->jsonColumns(), (QStringList { QStringLiteral("$.type"), QStringLiteral("$.price") }));
    // Before the preview, which stays the last (stretching) column; wide enough to read.
    QVERIFY(header->visualIndex(priceColumn) < header->visualIndex(MessageLogModel::PreviewColumn));
    QVERIFY(header->sectionSize(typeColumn) > 40);
    // Values shown: 4 messages out and 4 in, with the connection's events.
    QStringList types = columnValues(pane, typeColumn);
    const int rows = int(types.size());
    QVERIFY(rows >= 9);
    QCOMPARE(types.count(QStringLiteral("trade")), 4);
    QCOMPARE(types.count(QStringLiteral("quote")), 2);
    QCOMPARE(types.count(QString()), rows - 6);
    QString error;
    QVERIFY(!pane->addJsonColumn(QStringLiteral("$.a["), &error));
    QVERIFY2(error.startsWith(QStringLiteral("Not a JSON path: position 5")), qPrintable(error));
    QVERIFY(!pane->addJsonColumn(QStringLiteral("$.type"), &error));
    QVERIFY(error.contains(QStringLiteral("already")));

    // The values are painted in the cells.
    const int firstTrade = int(types.indexOf(QStringLiteral("trade")));
    view->scrollTo(pane->filterModel()->index(firstTrade, typeColumn));
    QVERIFY(view->visualRect(pane->filterModel()->index(firstTrade, typeColumn)).isValid());

    // Click the price header: ascending, numbers first, rows without a price last.
    QSignalSpy sorted(pane->filterModel(), &MessageFilterModel::sortFinished);
    const QPoint priceHeader(header->sectionViewportPosition(priceColumn) + 10, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, priceHeader);
    QTRY_COMPARE(sorted.size(), 1);
    QVERIFY(!view->selectionModel()->hasSelection()); // a header click sorts, it selects nothing
    QVERIFY(header->isSortIndicatorShown());
    QCOMPARE(header->sortIndicatorSection(), priceColumn);
    QCOMPARE(columnValues(pane, priceColumn).mid(0, 6),
        (QStringList { QStringLiteral("80"), QStringLiteral("80"), QStringLiteral("95"), QStringLiteral("95"),
            QStringLiteral("120"), QStringLiteral("120") }));
    // Newer rows are merged into place while sorted.
    client->connection()->sendText(QStringLiteral(R"({"type":"trade","price":100})"));
    QTRY_COMPARE(pane->filterModel()->rowCount(), rows + 2);
    QCOMPARE(columnValues(pane, priceColumn).mid(0, 8),
        (QStringList { QStringLiteral("80"), QStringLiteral("80"), QStringLiteral("95"), QStringLiteral("95"),
            QStringLiteral("100"), QStringLiteral("100"), QStringLiteral("120"), QStringLiteral("120") }));
    // Again: descending; a third time: the order of arrival.
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, priceHeader);
    QTRY_COMPARE(sorted.size(), 2);
    QCOMPARE(columnValues(pane, priceColumn).first(), QStringLiteral("120"));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, priceHeader);
    QVERIFY(!header->isSortIndicatorShown());
    QCOMPARE(pane->filterModel()->sortColumn(), -1);
    QStringList arrival = columnValues(pane, priceColumn);
    arrival.removeAll(QString());
    QCOMPARE(arrival,
        (QStringList { QStringLiteral("120"), QStringLiteral("80"), QStringLiteral("95"),
            QStringLiteral("120"), QStringLiteral("80"), QStringLiteral("95"), QStringLiteral("100"),
            QStringLiteral("100") }));

    // Filter by an expression typed in the filter bar.
    auto *filterEdit = guitest::child<QLineEdit>(pane, "filterEdit");
    filterEdit->clear();
    QTest::keyClicks(filterEdit, QStringLiteral(R"($.type == "trade")"));
    QTRY_COMPARE(pane->filterModel()->rowCount(), 6);
    QCOMPARE(columnValues(pane, typeColumn).count(QStringLiteral("trade")), 6);
    filterEdit->setText(QStringLiteral("$.price >= 100 && !$.level"));
    QTRY_COMPARE(pane->filterModel()->rowCount(), 2);
    filterEdit->setText(QStringLiteral("$.price >"));
    auto *filterError = guitest::child<QLabel>(pane, "filterErrorLabel");
    QTRY_VERIFY(filterError->isVisible());
    QCOMPARE(
        filterError->text(), QStringLiteral("Invalid expression: position 10: expected a value after \">\""));
    filterEdit->setText(QStringLiteral("plain"));
    QTRY_COMPARE(pane->filterModel()->rowCount(), 2); // text filters work as before
    filterEdit->clear();
    QTRY_COMPARE(pane->filterModel()->rowCount(), rows + 2);

    // A highlight rule, set in its editor.
    HighlightRulesDialog *rulesDialog = pane->editHighlightRules();
    QVERIFY(rulesDialog->isVisible());
    rulesDialog->addRule(QStringLiteral("$.level =="), HighlightRules::Colour::Red);
    auto *buttons = guitest::child<QDialogButtonBox>(rulesDialog, "highlightRulesButtons");
    QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled());
    QCOMPARE(rulesDialog->errorText(), QStringLiteral("rule 1: position 11: expected a value after \"==\""));
    rulesDialog->table()->item(0, 0)->setText(QStringLiteral(R"($.level == "error")"));
    QVERIFY(buttons->button(QDialogButtonBox::Ok)->isEnabled());
    rulesDialog->addRule(QStringLiteral("$.type"), HighlightRules::Colour::Blue);
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(pane->highlightRules().size(), 2);
    const QStringList levels = [&] {
        QStringList v;
        for (int r = 0; r < pane->filterModel()->rowCount(); ++r)
            v << QString::fromUtf8(
                pane->filterModel()->index(r, 0).data(MessageLogModel::PayloadRole).toByteArray());
        return v;
    }();
    int errorRow = -1, tradeRow = -1, textRow = -1;
    for (int r = 0; r < levels.size(); ++r) {
        if (levels.at(r).contains(QStringLiteral("\"error\"")) && errorRow < 0)
            errorRow = r;
        else if (levels.at(r).contains(QStringLiteral("trade")) && tradeRow < 0)
            tradeRow = r;
        else if (levels.at(r) == QStringLiteral("plain text") && textRow < 0)
            textRow = r;
    }
    QVERIFY(errorRow >= 0 && tradeRow >= 0 && textRow >= 0);
    const auto colourOf = [pane](int row) {
        return pane->filterModel()->index(row, 0).data(MessageLogModel::HighlightRole).toInt();
    };
    QCOMPARE(colourOf(errorRow), int(HighlightRules::Colour::Red)); // the first rule wins over $.type
    QCOMPARE(colourOf(tradeRow), int(HighlightRules::Colour::Blue));
    QCOMPARE(colourOf(textRow), -1);
    // And painted: the cell's padding shows the rule's colour.
    view->selectionModel()->clearSelection();
    view->scrollTo(pane->filterModel()->index(errorRow, 0));
    const QImage image = view->viewport()->grab().toImage();
    const QRect cell = view->visualRect(pane->filterModel()->index(errorRow, MessageLogModel::SizeColumn));
    QCOMPARE(image.pixelColor(cell.left() + 2, cell.center().y()),
        theme::colour(theme::Role::HighlightRed, view->palette()));
    const QRect plain = view->visualRect(pane->filterModel()->index(textRow, MessageLogModel::SizeColumn));
    QVERIFY(image.pixelColor(plain.left() + 2, plain.center().y())
        != theme::colour(theme::Role::HighlightRed, view->palette()));

    // Compare two messages (Ctrl+D): the trade and the quote, key by key.
    selectRows(pane, { tradeRow, errorRow });
    QVERIFY(pane->compareAction()->isEnabled());
    view->setFocus();
    QTest::keyClick(view, Qt::Key_D, Qt::ControlModifier);
    DiffDialog *diff = nullptr;
    QTRY_VERIFY((diff = pane->findChild<DiffDialog *>()) != nullptr);
    QVERIFY(diff->isVisible());
    QVERIFY(diff->isJsonDiff());
    QCOMPARE(diff->summaryText(), QStringLiteral("JSON: 3 changed, 0 added, 0 removed."));
    QTreeWidget *tree = diff->tree();
    QCOMPARE(tree->topLevelItemCount(), 3);
    QStringList changes;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = tree->topLevelItem(i);
        changes << QStringList { item->text(0), item->text(1), item->text(2), item->text(3) }.join(u'|');
    }
    QCOMPARE(changes,
        (QStringList { QStringLiteral("changed|$.level|\"info\"|\"error\""),
            QStringLiteral("changed|$.price|120|80"),
            QStringLiteral("changed|$.type|\"trade\"|\"quote\"") }));
    QCOMPARE(tree->topLevelItem(0)->background(0).color(),
        theme::colour(theme::Role::HighlightYellow, diff->palette()));
    diff->close();
    QTRY_VERIFY(pane->findChild<DiffDialog *>() == nullptr);
    selectRows(pane, { tradeRow });
    QVERIFY(!pane->compareAction()->isEnabled());
    QVERIFY(!pane->compareSelected());

    // Sorted by price, descending: saved with the rest. (Rows are found by their place in the
    // order of arrival from here on.)
    const int errorSource = pane->filterModel()->mapToSource(pane->filterModel()->index(errorRow, 0)).row();
    pane->sortByColumn(priceColumn, Qt::DescendingOrder);
    QTRY_VERIFY(pane->filterModel()->isSorted());
    QCOMPARE(pane->viewStateJson().value(QLatin1StringView("sort")).toObject(),
        (QJsonObject { { QStringLiteral("column"), QStringLiteral("$.price") },
            { QStringLiteral("order"), QStringLiteral("descending") } }));

    // Saved with the session, back in another window.
    const QString file = m_dir.filePath(QStringLiteral("columns.wstsession"));
    Dialogs::setNextSaveFileName(file);
    QVERIFY(m_window->saveSessionAs());
    const QString copy = m_dir.filePath(QStringLiteral("columns copy.wstsession"));
    QVERIFY(QFile::copy(file, copy));
    const int warnings = Dialogs::shownCount();
    MainWindow other;
    QCOMPARE(other.openSession(copy), &other);
    QCOMPARE(Dialogs::shownCount(), warnings); // nothing to complain about
    ClientTab *back = other.tabAt(0);
    QVERIFY(back);
    HistoryPane *backPane = back->historyPane();
    QCOMPARE(backPane->jsonColumns(), pane->jsonColumns());
    QCOMPARE(backPane->highlightRules().size(), 2);
    QCOMPARE(backPane->highlightRules().at(0).expression, QStringLiteral(R"($.level == "error")"));
    QCOMPARE(backPane->highlightRules().at(1).colour, HighlightRules::Colour::Blue);
    QTRY_VERIFY(!back->isHistoryLoading());
    QTRY_COMPARE(backPane->filterModel()->rowCount(), rows + 2);
    QCOMPARE(backPane->filterModel()->columnCount(), priceColumn + 1);
    QCOMPARE(columnValues(backPane, typeColumn).count(QStringLiteral("quote")), 2);
    QCOMPARE(backPane->filterModel()->sortColumn(), priceColumn);
    QCOMPARE(backPane->filterModel()->sortOrder(), Qt::DescendingOrder);
    QTRY_VERIFY(backPane->filterModel()->isSorted());
    QCOMPARE(columnValues(backPane, priceColumn).mid(0, 2),
        (QStringList { QStringLiteral("120"), QStringLiteral("120") }));
    QCOMPARE(backPane->filterModel()
                 ->mapFromSource(back->logModel()->index(errorSource, 0))
                 .data(MessageLogModel::HighlightRole)
                 .toInt(),
        int(HighlightRules::Colour::Red));
    // Removing a column from its header menu.
    std::unique_ptr<QMenu> backMenu(backPane->createHeaderMenu(typeColumn, nullptr));
    QAction *remove = nullptr;
    for (QAction *a : backMenu->actions()) {
        if (a->objectName() == QLatin1StringView("removeJsonColumnAction"))
            remove = a;
    }
    QVERIFY(remove);
    remove->trigger();
    QCOMPARE(backPane->jsonColumns(), QStringList { QStringLiteral("$.price") });
    QCOMPARE(backPane->filterModel()->columnCount(), typeColumn + 1);
    // The sort followed its column to its new place.
    QCOMPARE(backPane->filterModel()->sortColumn(), typeColumn);
    QCOMPARE(backPane->viewStateJson()
                 .value(QLatin1StringView("sort"))
                 .toObject()
                 .value(QLatin1StringView("column")),
        QJsonValue(QStringLiteral("$.price")));
}

void tst_HistoryColumns::textDiffOfMessagesThatAreNotJson()
{
    ClientTab *client
        = connectedTab({ QStringLiteral("alpha\nbeta\ngamma"), QStringLiteral("alpha\nBETA\ngamma\ndelta") });
    QVERIFY(client);
    HistoryPane *pane = client->historyPane();
    // The two received messages, wherever they are among the rows.
    QList<int> received;
    for (int r = 0; r < pane->filterModel()->rowCount(); ++r) {
        const QModelIndex index = pane->filterModel()->index(r, 0);
        if (Direction(index.data(MessageLogModel::DirectionRole).toInt()) == Direction::In)
            received << r;
    }
    QCOMPARE(received.size(), 2);
    selectRows(pane, received);
    DiffDialog *diff = pane->compareSelected();
    QVERIFY(diff);
    QVERIFY(!diff->isJsonDiff());
    QCOMPARE(diff->summaryText(), QStringLiteral("Text: 1 lines removed, 2 added."));
    QStringList lines;
    for (int i = 0; i < diff->tree()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = diff->tree()->topLevelItem(i);
        lines << item->text(0) + u'|' + item->text(1) + u'|' + item->text(2);
    }
    QCOMPARE(lines,
        (QStringList { QStringLiteral("1|1|  alpha"), QStringLiteral("2||\u2212 beta"),
            QStringLiteral("|2|+ BETA"), QStringLiteral("3|3|  gamma"), QStringLiteral("|4|+ delta") }));
    QCOMPARE(diff->tree()->topLevelItem(1)->background(2).color(),
        theme::colour(theme::Role::HighlightRed, diff->palette()));
}

void tst_HistoryColumns::badSavedViewStateIsSkippedWithReasons()
{
    HistoryPane pane;
    QStringList errors;
    const QJsonObject state = QJsonDocument::fromJson(R"({
        "jsonColumns": ["$.ok", 7, "$.bad[", "$.ok", "$.also"],
        "highlightRules": [{"expression":"$.ok","colour":"green"}, {"expression":"$.x ==","colour":"red"},
                           {"expression":"$.y","colour":"teal"}]})")
                                  .object();
    pane.setViewStateJson(state, &errors);
    QCOMPARE(pane.jsonColumns(), (QStringList { QStringLiteral("$.ok"), QStringLiteral("$.also") }));
    QCOMPARE(pane.highlightRules().size(), 1);
    QCOMPARE(errors.size(), 5);
    QCOMPARE(errors.at(0), QStringLiteral("JSON column 2 is not a path: skipped"));
    QVERIFY2(errors.at(1).startsWith(QStringLiteral("JSON column 3 ($.bad[): Not a JSON path: position")),
        qPrintable(errors.at(1)));
    QVERIFY(errors.at(2).contains(QStringLiteral("already")));
    QCOMPARE(errors.at(4), QStringLiteral("highlight rule 3 has an unknown colour \"teal\": skipped"));
    // Round trip, and an empty state is empty.
    HistoryPane again;
    QStringList none;
    again.setViewStateJson(pane.viewStateJson(), &none);
    QVERIFY(none.isEmpty());
    QCOMPARE(again.viewStateJson(), pane.viewStateJson());
    QVERIFY(HistoryPane().viewStateJson().isEmpty());
    errors.clear();
    again.setViewStateJson(QJsonObject { { QStringLiteral("jsonColumns"), QStringLiteral("$.x") } }, &errors);
    QCOMPARE(errors, QStringList { QStringLiteral("The JSON columns are not a list: skipped") });
    errors.clear();
    again.setViewStateJson(QJsonObject { { QStringLiteral("sort"),
                               QJsonObject { { QStringLiteral("column"), QStringLiteral("$.nowhere") } } } },
        &errors);
    QCOMPARE(errors,
        QStringList { QStringLiteral("The sort by “$.nowhere” names no column of the history: skipped") });
    QCOMPARE(again.filterModel()->sortColumn(), -1);
}

void tst_HistoryColumns::highlightColoursAreReadable()
{
    for (const QPalette &palette : { theme::lightPalette(), theme::darkPalette() }) {
        for (int c = 0; c < HighlightRules::ColourCount; ++c) {
            const QColor background = theme::colour(theme::highlightRole(c), palette);
            const double ratio = theme::contrast(palette.color(QPalette::Text), background);
            QVERIFY2(ratio >= 4.5,
                qPrintable(QStringLiteral("%1 on %2: %3").arg(c).arg(background.name()).arg(ratio)));
            // And distinct from the plain rows.
            QVERIFY(background != palette.color(QPalette::Base));
        }
    }
}

// Qt 6.4's raster engine splits a large fill across QThreadPool::globalInstance() and waits for
// the pieces: with our background work (sorts, decoding, searches, the store's pre-mapping) on
// that pool, painting waited for it. It has a pool of its own: with every one of its threads
// busy, a window-sized fill still takes milliseconds, not the time the tasks hold their threads.
void tst_HistoryColumns::busyWorkersLeavePaintingAlone()
{
    QThreadPool *pool = workerPool();
    QVERIFY(pool != QThreadPool::globalInstance());
    const int threads = pool->maxThreadCount();
    QSemaphore started;
    QSemaphore release;
    for (int i = 0; i < threads; ++i) {
        pool->start([&started, &release] {
            started.release();
            release.tryAcquire(1, 3000); // held for 3 s unless let go sooner
        });
    }
    QVERIFY(started.tryAcquire(threads, 5000));
    QImage image(1600, 1200, QImage::Format_ARGB32_Premultiplied);
    QElapsedTimer clock;
    clock.start();
    {
        QPainter painter(&image);
        // A scroll bar's groove as Fusion paints it: a gradient over 1,200 lines, blended span
        // by span (solid opaque fills take a path without threads).
        QLinearGradient groove(0, 0, 16, 0);
        groove.setColorAt(0, QColor(0x20, 0x40, 0x60));
        groove.setColorAt(1, QColor(0x20, 0x40, 0x60));
        painter.fillRect(image.rect(), groove);
    }
    const qint64 elapsed = clock.elapsed();
    release.release(threads);
    pool->waitForDone();
    QVERIFY2(elapsed < 1500, qPrintable(QStringLiteral("the fill took %1 ms").arg(elapsed)));
    QCOMPARE(image.pixelColor(800, 600), QColor(0x20, 0x40, 0x60));
}

QTEST_MAIN(tst_HistoryColumns)
#include "tst_HistoryColumns.moc"
