// View > Charts and View > Statistics in the window: a client tab against an in-process echo
// server, the charts' series and the statistics' tables following what was sent and received.
#include "ActionRegistry.h"
#include "ChartsDock.h"
#include "ChartsPanel.h"
#include "ClientTab.h"
#include "ComposerWidget.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "StatisticsDialog.h"
#include "Theme.h"
#include "messages/MessageStore.h"
#include "messages/StreamSampler.h"
#include "server/LocalServer.h"

#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QTableWidget>
#include <QValueAxis>
#include <QWebSocket>
#include <QtTest>

using namespace wst;

class tst_Charts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void chartsFollowTheStream();
    void badValuePathIsSaid();
    void chartsFollowTheCurrentTab();
    void serverTabHasCharts();
    void statisticsShowTheCounts();
    void themeColoursTheSeries();
    void controlsAreNamed();
    void axesRescaleOnlyWhenTheDataLeavesThem();

private:
    ClientTab *tab() const { return m_window->currentTab(); }
    bool connectTab(ClientTab *tab);
    bool send(ClientTab *tab, const QString &text);
    ChartsPanel *showCharts();
    static double sumY(const QLineSeries *series);

    QTemporaryDir m_dir;
    guitest::EchoServer m_server;
    std::unique_ptr<MainWindow> m_window;
};

void tst_Charts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    guitest::installSettings(this, m_dir);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("sessions")));
    QVERIFY(m_server.listen());
}

void tst_Charts::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->newClientTab();
    m_window->resize(1300, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_Charts::cleanup()
{
    m_window.reset();
    QTRY_VERIFY(m_server.sockets.isEmpty());
    theme::apply(theme::Choice::Light);
}

bool tst_Charts::connectTab(ClientTab *tab)
{
    tab->setUrlText(m_server.url());
    if (!tab->connectToServer())
        return false;
    [&] { QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ClientConnection::State::Open, 10000); }();
    return tab->state() == ClientConnection::State::Open;
}

bool tst_Charts::send(ClientTab *tab, const QString &text)
{
    tab->composer()->setText(text);
    return tab->composer()->send();
}

ChartsPanel *tst_Charts::showCharts()
{
    QAction *charts = guitest::action(m_window.get(), "chartsAction");
    if (!charts || charts->isChecked())
        return nullptr;
    charts->trigger();
    auto *dock = m_window->findChild<ChartsDock *>(QStringLiteral("chartsDock"));
    return dock && dock->isVisible() ? dock->panel() : nullptr;
}

double tst_Charts::sumY(const QLineSeries *series)
{
    double sum = 0;
    const QList<QPointF> points = series->points();
    for (const QPointF &p : points)
        sum += p.y();
    return sum;
}

void tst_Charts::chartsFollowTheStream()
{
    QVERIFY(connectTab(tab()));
    auto *dock = m_window->findChild<ChartsDock *>(QStringLiteral("chartsDock"));
    QVERIFY(dock);
    QVERIFY(dock->isHidden()); // until asked for
    ChartsPanel *panel = showCharts();
    QVERIFY(panel);
    QCOMPARE(panel->sampler(), ChartsDock::samplerFor(tab()));
    QTRY_COMPARE(panel->series(QStringLiteral("messagesInSeries"))->count(), panel->spanSeconds());

    for (int i = 0; i < 5; ++i)
        QVERIFY(send(tab(),
            QStringLiteral("{\"price\":%1,\"sym\":\"%2\"}")
                .arg(100 + i)
                .arg(QLatin1Char(i % 2 ? 'B' : 'A'))));
    // Sent and echoed: five each way, whatever the seconds they fell in.
    QTRY_COMPARE(sumY(panel->series(QStringLiteral("messagesOutSeries"))), 5.0);
    QTRY_COMPARE(sumY(panel->series(QStringLiteral("messagesInSeries"))), 5.0);
    QVERIFY(sumY(panel->series(QStringLiteral("bytesInSeries"))) > 0);
    QCOMPARE(panel->series(QStringLiteral("valueSeries"))->count(), 0);

    // A JSON path: the values already received are charted (the sampler looks back).
    QLineEdit *path = panel->valuePathEdit();
    path->setFocus();
    QTest::keyClicks(path, QStringLiteral("$.price"));
    QTest::keyClick(path, Qt::Key_Return);
    QVERIFY(panel->valuePathError().isEmpty());
    QTRY_VERIFY(panel->series(QStringLiteral("valueSeries"))->count() > 0);
    for (const QPointF &p : panel->series(QStringLiteral("valueSeries"))->points())
        QVERIFY2(p.y() >= 100 && p.y() <= 104, qPrintable(QString::number(p.y())));
    QVERIFY(panel->chart(3)->title().contains(QStringLiteral("$.price")));

    // A ping's round trip becomes a point.
    QVERIFY(tab()->sendPing());
    QTRY_COMPARE(panel->series(QStringLiteral("rttSeries"))->count(), 1);
    QVERIFY(panel->series(QStringLiteral("rttSeries"))->at(0).y() > 0);
    QVERIFY(panel->series(QStringLiteral("rttSeries"))->at(0).x() <= 0);

    // F7 again hides it.
    guitest::action(m_window.get(), "chartsAction")->trigger();
    QVERIFY(dock->isHidden());
}

void tst_Charts::badValuePathIsSaid()
{
    ChartsPanel *panel = showCharts();
    QVERIFY(panel);
    QLineEdit *path = panel->valuePathEdit();
    path->setFocus();
    QTest::keyClicks(path, QStringLiteral("$.a[x"));
    QTest::keyClick(path, Qt::Key_Return);
    QVERIFY2(panel->valuePathError().contains(QStringLiteral("Not a JSON path")),
        qPrintable(panel->valuePathError()));
    QVERIFY(panel->sampler()->valuePath().isEmpty());
    auto *error = m_window->findChild<QLabel *>(QStringLiteral("chartsPathError"));
    QVERIFY(error && error->isVisible());
    path->clear(); // the clear button: no path, no error
    QVERIFY(panel->valuePathError().isEmpty());
    QVERIFY(!error->isVisible());
}

void tst_Charts::chartsFollowTheCurrentTab()
{
    ClientTab *first = tab();
    ChartsPanel *panel = showCharts();
    QVERIFY(panel);
    QCOMPARE(panel->sampler(), ChartsDock::samplerFor(first));
    ClientTab *second = m_window->newClientTab();
    QCOMPARE(panel->sampler(), ChartsDock::samplerFor(second));
    QVERIFY(panel->sampler() != ChartsDock::samplerFor(first));
    QVERIFY(connectTab(second));
    QVERIFY(send(second, QStringLiteral("only here")));
    QTRY_COMPARE(sumY(panel->series(QStringLiteral("messagesOutSeries"))), 1.0);
    m_window->tabs()->setCurrentWidget(first);
    QCOMPARE(panel->sampler(), ChartsDock::samplerFor(first));
    QTRY_COMPARE(sumY(panel->series(QStringLiteral("messagesOutSeries"))), 0.0);
}

void tst_Charts::serverTabHasCharts()
{
    ChartsPanel *panel = showCharts();
    QVERIFY(panel);
    ServerTab *server = m_window->newServerTab();
    QCOMPARE(panel->sampler(), ChartsDock::samplerFor(server));
    QTest::mouseClick(guitest::child<QPushButton>(server, "serverStartButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(server->server()->state(), LocalServer::State::Listening, 10000);
    // A client of the local server's own: what it sends is the server's "in".
    QWebSocket client;
    client.open(server->server()->url());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 10000);
    for (int i = 0; i < 3; ++i)
        client.sendTextMessage(QStringLiteral("to the server"));
    QTRY_COMPARE(sumY(panel->series(QStringLiteral("messagesInSeries"))), 3.0);
    client.close();
}

void tst_Charts::statisticsShowTheCounts()
{
    QVERIFY(connectTab(tab()));
    for (int i = 0; i < 6; ++i)
        QVERIFY(send(tab(), QStringLiteral("{\"sym\":\"%1\"}").arg(QLatin1Char(i < 4 ? 'A' : 'B'))));
    QVERIFY(send(tab(), QString(300, QLatin1Char('x'))));
    guitest::action(m_window.get(), "statisticsAction")->trigger();
    auto *dialog = m_window->findChild<StatisticsDialog *>(QStringLiteral("statisticsDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->sampler(), ChartsDock::samplerFor(tab()));
    auto *counts = guitest::child<QTableWidget>(dialog, "statisticsCountsTable");
    QVERIFY(counts);
    const int text = int(Kind::Text), received = 0, sent = 2, receivedBytes = 1;
    QTRY_COMPARE(counts->item(text, received)->text(), QStringLiteral("7"));
    QTRY_COMPARE(counts->item(text, sent)->text(), QStringLiteral("7"));
    QCOMPARE(counts->item(text, receivedBytes)->text(), QString::number(4 * 11 + 2 * 11 + 300));
    QCOMPARE(counts->item(int(Kind::Binary), received)->text(), QStringLiteral("0"));

    // Top values of a path typed in the dialog.
    auto *path = guitest::child<QLineEdit>(dialog, "statisticsTopPathEdit");
    auto *top = guitest::child<QTableWidget>(dialog, "statisticsTopTable");
    QVERIFY(path && top);
    path->setFocus();
    QTest::keyClicks(path, QStringLiteral("$.sym"));
    QTest::keyClick(path, Qt::Key_Return);
    // Sent and received, six messages each way have the path.
    QTRY_COMPARE(top->rowCount(), 2);
    QCOMPARE(top->item(0, 0)->text(), QStringLiteral("A"));
    QCOMPARE(top->item(0, 1)->text(), QStringLiteral("8"));
    QCOMPARE(top->item(1, 0)->text(), QStringLiteral("B"));
    QCOMPARE(top->item(1, 1)->text(), QStringLiteral("4"));

    // Not live: new messages wait for Refresh.
    dialog->setLive(false);
    QVERIFY(send(tab(), QStringLiteral("{\"sym\":\"B\"}")));
    QTRY_COMPARE(ChartsDock::samplerFor(tab())->snapshot().totals.count[int(Direction::In)][text], 8);
    QCOMPARE(counts->item(text, received)->text(), QStringLiteral("7"));
    QTest::mouseClick(guitest::child<QPushButton>(dialog, "statisticsRefreshButton"), Qt::LeftButton);
    QTRY_COMPARE(counts->item(text, received)->text(), QStringLiteral("8"));

    const QString copied = dialog->text();
    QVERIFY(copied.contains(QStringLiteral("$.sym")));
    QVERIFY(copied.contains(QStringLiteral("Message sizes")));
    QVERIFY(copied.contains(QStringLiteral("Time between messages")));
    QVERIFY(copied.contains(QStringLiteral("Total")));
    // The size histogram counts the 300-byte message in its bucket (256 B and up), both ways.
    QVERIFY2(copied.contains(QStringLiteral("256 B\t1\t1")), qPrintable(copied));

    // Asked again for the same tab: the same dialog.
    guitest::action(m_window.get(), "statisticsAction")->trigger();
    QCOMPARE(m_window->findChildren<StatisticsDialog *>().size(), 1);
}

void tst_Charts::themeColoursTheSeries()
{
    ChartsPanel *panel = showCharts();
    QVERIFY(panel);
    theme::apply(theme::Choice::Dark);
    QTRY_COMPARE(panel->series(QStringLiteral("messagesInSeries"))->color(),
        theme::colour(theme::Role::Incoming, theme::darkPalette()));
    QCOMPARE(panel->chart(0)->backgroundBrush().color(), theme::darkPalette().color(QPalette::Base));
    theme::apply(theme::Choice::Light);
    QTRY_COMPARE(panel->series(QStringLiteral("messagesInSeries"))->color(),
        theme::colour(theme::Role::Incoming, theme::lightPalette()));
    QCOMPARE(panel->chart(0)->backgroundBrush().color(), theme::lightPalette().color(QPalette::Base));
}

void tst_Charts::controlsAreNamed()
{
    showCharts();
    guitest::action(m_window.get(), "statisticsAction")->trigger();
    QStringList problems = guitest::unnamedControls(m_window.get(),
        { "chartsSpanCombo", "chartsValuePathEdit", "messagesChartView", "bytesChartView", "rttChartView",
            "valueChartView" });
    auto *dialog = m_window->findChild<StatisticsDialog *>(QStringLiteral("statisticsDialog"));
    QVERIFY(dialog);
    problems += guitest::unnamedControls(dialog,
        { "statisticsCountsTable", "statisticsTopPathEdit", "statisticsTopTable", "statisticsLiveCheck",
            "statisticsRefreshButton", "statisticsCopyButton", "statisticsCloseButton", "sizeHistogramView",
            "gapHistogramView" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
}

QTEST_MAIN(tst_Charts)
#include "tst_Charts.moc"

// A chart's y axis keeps its range (and so its labels) while the rates stay inside it: Qt Charts
// lays out and paints a whole chart when an axis changes, which was most of an update's cost in
// a flood. It grows when the data passes the top, shrinks when the data fills less than 40 % of
// it, and its ticks are round.
void tst_Charts::axesRescaleOnlyWhenTheDataLeavesThem()
{
    auto store = std::make_shared<MessageStore>();
    StreamSampler sampler(store);
    sampler.setInterval(0);
    ChartsPanel panel;
    panel.setSampler(&sampler);
    panel.resize(1200, 400);
    panel.show();
    for (int c = 0; c < 4; ++c) {
        auto *y = qobject_cast<QValueAxis *>(panel.chart(c)->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QCOMPARE(y->tickCount(), 6);
        QCOMPARE(y->min(), 0.0);
        QCOMPARE(y->max(), 1.0);
    }
    auto *axis = qobject_cast<QValueAxis *>(panel.chart(0)->axes(Qt::Vertical).value(0));
    // Messages in whole seconds that are over: the current one is left out of the charts.
    const qint64 second = nowUs() / 1'000'000 - 80;
    panel.setSpanSeconds(300);
    int offset = 0;
    auto addSecond = [&](int messages) {
        const qint64 at = (second + offset++) * 1'000'000;
        for (int i = 0; i < messages; ++i)
            store->appendBytes(Direction::In, Kind::Text, "{\"v\":1}", at + i);
    };
    auto update = [&] {
        QSignalSpy updated(&sampler, &StreamSampler::updated);
        sampler.refresh();
        return updated.wait(10000); // the panel draws on updated()
    };
    QSignalSpy ranges(axis, &QValueAxis::rangeChanged);
    // The note that the JSON value is sampled keeps its place: appearing, it does not move the
    // charts (that would lay all four out again).
    QVERIFY(sampler.setValuePath(QStringLiteral("$.v")));
    auto *note = panel.findChild<QLabel *>(QStringLiteral("chartsNote"));
    QVERIFY(note);
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QRect chartPlace = panel.chart(0)->scene()->views().value(0)->geometry();

    addSecond(1000);
    QVERIFY(update());
    QCOMPARE(axis->min(), 0.0);
    QCOMPARE(axis->max(), 1250.0); // 1000 and 5 % of room: steps of 250
    QCOMPARE(axis->tickCount(), 6);
    const qsizetype afterFirst = ranges.count();

    addSecond(1200);
    addSecond(1200);
    QVERIFY(update());
    QCOMPARE(axis->max(), 1250.0);
    QCOMPARE(ranges.count(), afterFirst); // inside the range: not set again
    QVERIFY(note->isVisible()); // 2,400 messages in one update: more than the sampling budget
    QVERIFY(note->text().contains(QStringLiteral("sampled")));
    QApplication::processEvents();
    QCOMPARE(panel.chart(0)->scene()->views().value(0)->geometry(), chartPlace);

    addSecond(1300);
    QVERIFY(update());
    QCOMPARE(axis->max(), 2500.0); // past the top: 1365 in steps of 500
    QCOMPARE(axis->tickCount(), 6);

    // Later, 40 a second: inside the last five minutes the 1300 still counts; the last minute
    // has only the 40s, which fill under 40 % of the range, so the axis shrinks.
    offset = 70;
    for (int i = 0; i < 5; ++i)
        addSecond(40);
    QVERIFY(update());
    QCOMPARE(axis->max(), 2500.0);
    panel.setSpanSeconds(60); // draws at once
    QCOMPARE(axis->max(), 50.0); // 42 in steps of 10
    QCOMPARE(axis->min(), 0.0);
}
