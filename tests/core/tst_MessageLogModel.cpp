#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include <QAbstractItemModelTester>
#include <QtTest>

#include <ctime>

using namespace wst;

class tst_MessageLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void publishesInBatches();
    void timerPublishes();
    void hugeHistoriesArePublishedLessOften();
    void dataAndRoles();
    void timeColumnInLocalTimeAcrossOffsetChanges();
    void clearHidesRowsButKeepsIds();
    void filterByText_data();
    void filterByText();
    void filterByDirectionAndKind();
    void filterFollowsNewRows();
    void invalidRegexMatchesEverythingAndSaysWhy();
    void filterByServerClient();
    void largeHistoryIsFilteredInSlices();
};

namespace {

struct Fixture
{
    std::shared_ptr<MessageStore> store = std::make_shared<MessageStore>();
    MessageLogModel model { store };
    MessageFilterModel filter;
    QAbstractItemModelTester logTester { &model, QAbstractItemModelTester::FailureReportingMode::QtTest };
    QAbstractItemModelTester filterTester { &filter, QAbstractItemModelTester::FailureReportingMode::QtTest };
    Fixture()
    {
        model.setBatchInterval(1000000); // tests publish by hand
        filter.setSourceModel(&model);
    }
    void fill()
    {
        store->appendText(Direction::Event, Kind::Open, QStringLiteral("chat"), 1);
        store->appendText(Direction::Out, Kind::Text, QStringLiteral("{\"op\":\"subscribe\"}"), 2);
        store->appendText(Direction::In, Kind::Text, QStringLiteral("Hello World"), 3);
        store->appendBytes(Direction::In, Kind::Binary, QByteArray("\x01\x02hello", 7), 4);
        store->appendBytes(Direction::Out, Kind::Ping, "p1", 5);
        store->appendBytes(Direction::In, Kind::Pong, "p1", 6, 1500);
        store->appendText(Direction::Event, Kind::Error, QStringLiteral("Something failed"), 7);
        store->appendText(Direction::Event, Kind::Close, QStringLiteral("bye"), 8, 4001);
        model.publish();
    }
};

} // namespace

void tst_MessageLogModel::publishesInBatches()
{
    Fixture f;
    QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 10000; ++i)
        f.store->appendText(Direction::In, Kind::Text, QString::number(i), i);
    QCOMPARE(f.model.rowCount(), 0); // nothing is shown until published
    f.model.publish();
    QCOMPARE(f.model.rowCount(), 10000);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 9999);
    f.model.publish(); // nothing new: no signal
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(f.filter.rowCount(), 10000);
}

void tst_MessageLogModel::timerPublishes()
{
    auto store = std::make_shared<MessageStore>();
    MessageLogModel model(store);
    QVERIFY(model.batchInterval() >= 16 && model.batchInterval() <= 33);
    store->appendText(Direction::In, Kind::Text, QStringLiteral("x"), 1);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 2000);
}

// Each batch costs a view time for every row it holds (QHeaderView walks them all): past 2.5 M
// rows batches come less often, up to every 100 ms, and a cleared history starts again at 25.
void tst_MessageLogModel::hugeHistoriesArePublishedLessOften()
{
    auto store = std::make_shared<MessageStore>();
    MessageLogModel model(store);
    model.setBatchInterval(25);
    {
        MessageStore::Batch batch(*store);
        for (int i = 0; i < 1000000; ++i)
            batch.appendBytes(Direction::In, Kind::Binary, QByteArrayView("x", 1), i);
    }
    model.publish();
    QCOMPARE(model.rowCount(), 1000000);
    QCOMPARE(model.currentBatchInterval(), 25);
    {
        MessageStore::Batch batch(*store);
        for (int i = 0; i < 2000000; ++i)
            batch.appendBytes(Direction::In, Kind::Binary, QByteArrayView("x", 1), i);
    }
    model.publish();
    QCOMPARE(model.rowCount(), 3000000);
    QCOMPARE(model.currentBatchInterval(), 30);
    QCOMPARE(model.batchInterval(), 25); // what was asked for
    model.clear();
    QCOMPARE(model.currentBatchInterval(), 25);
}

void tst_MessageLogModel::dataAndRoles()
{
    Fixture f;
    f.fill();
    QCOMPARE(f.model.rowCount(), 8);
    QCOMPARE(f.model.columnCount(), int(MessageLogModel::ColumnCount));
    const QModelIndex text = f.model.index(2, MessageLogModel::PreviewColumn);
    QCOMPARE(text.data().toString(), QStringLiteral("Hello World"));
    QCOMPARE(f.model.index(2, MessageLogModel::SizeColumn).data().toString(), QStringLiteral("11"));
    QCOMPARE(f.model.index(2, MessageLogModel::IdColumn).data().toLongLong(), 3);
    QCOMPARE(text.data(MessageLogModel::DirectionRole).toInt(), int(Direction::In));
    QCOMPARE(text.data(MessageLogModel::PayloadRole).toByteArray(), QByteArray("Hello World"));
    QCOMPARE(f.model.index(3, MessageLogModel::PreviewColumn).data().toString(),
        QStringLiteral("01 02 68 65 6c 6c 6f"));
    QVERIFY(f.model.index(5, MessageLogModel::PreviewColumn)
                .data()
                .toString()
                .contains(QStringLiteral("1.50 ms")));
    const QString close = f.model.index(7, MessageLogModel::PreviewColumn).data().toString();
    QVERIFY2(
        close.contains(QStringLiteral("4001")) && close.contains(QStringLiteral("bye")), qPrintable(close));
    QCOMPARE(f.model.index(0, MessageLogModel::PreviewColumn).data().toString(),
        QStringLiteral("Connected, subprotocol \u201cchat\u201d"));
}

// The time column looks the zone's offset up once per quarter hour: it must still show what
// QDateTime shows, on both sides of a daylight-saving change and in a zone 45 minutes off the hour.
void tst_MessageLogModel::timeColumnInLocalTimeAcrossOffsetChanges()
{
    const QByteArray oldTz = qgetenv("TZ");
    const auto restore = qScopeGuard([&oldTz] {
        if (oldTz.isNull())
            qunsetenv("TZ");
        else
            qputenv("TZ", oldTz);
        tzset();
    });
    // 2026-03-29 01:00 UTC: Berlin goes from +01:00 to +02:00; 2026-10-25 01:00 UTC: back.
    // Kathmandu is +05:45 all year (a time of its own: the model keeps the last quarter hour's
    // offset, and a zone changed under a running app shows from the next quarter on); Lord Howe changes by 30
    // minutes (2026-04-04 15:00 UTC).
    const struct
    {
        const char *zone;
        qint64 changeMs;
    } cases[] = { { "Europe/Berlin", 1774746000000 }, { "Europe/Berlin", 1792890000000 },
        { "Asia/Kathmandu", 1775000700000 }, { "Australia/Lord_Howe", 1775314800000 } };
    for (const auto &c : cases) {
        const QString file = QStringLiteral("/usr/share/zoneinfo/") + QLatin1String(c.zone);
        QVERIFY2(QFileInfo::exists(file), qPrintable(file + QStringLiteral(" is missing: install tzdata")));
        qputenv("TZ", c.zone);
        tzset();
        QVERIFY(QDateTime::fromMSecsSinceEpoch(c.changeMs).offsetFromUtc() != 0);
        auto store = std::make_shared<MessageStore>();
        MessageLogModel model(store);
        QList<qint64> times;
        for (qint64 delta :
            { -3600001, -900000, -60000, -1, 0, 1, 999, 59999, 899999, 3600000, 86400000 - 7 })
            times.append(c.changeMs + delta);
        for (qint64 ms : std::as_const(times))
            store->appendText(Direction::In, Kind::Text, QStringLiteral("x"), ms * 1000 + 123);
        model.publish();
        for (int row = 0; row < times.size(); ++row) {
            const QString expected
                = QDateTime::fromMSecsSinceEpoch(times.at(row)).toString(QStringLiteral("HH:mm:ss.zzz"));
            QCOMPARE(model.index(row, MessageLogModel::TimeColumn).data().toString(), expected);
        }
    }
}

void tst_MessageLogModel::clearHidesRowsButKeepsIds()
{
    Fixture f;
    f.fill();
    f.model.clear();
    QCOMPARE(f.model.rowCount(), 0);
    QCOMPARE(f.filter.rowCount(), 0);
    f.store->appendText(Direction::In, Kind::Text, QStringLiteral("after"), 9);
    f.model.publish();
    QCOMPARE(f.model.rowCount(), 1);
    QCOMPARE(f.model.index(0, MessageLogModel::IdColumn).data().toLongLong(), 9);
    QCOMPARE(f.model.index(0, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("after"));
}

void tst_MessageLogModel::filterByText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("regex");
    QTest::addColumn<bool>("caseSensitive");
    QTest::addColumn<QList<int>>("rows");
    QTest::newRow("substring, any case") << QStringLiteral("hello") << false << false << QList<int> { 2, 3 };
    QTest::newRow("substring, case") << QStringLiteral("Hello") << false << true << QList<int> { 2 };
    QTest::newRow("regex") << QStringLiteral("^\\{.*subscribe") << true << false << QList<int> { 1 };
    QTest::newRow("regex, case") << QStringLiteral("world$") << true << true << QList<int> {};
    QTest::newRow("events by what they show")
        << QStringLiteral("failed") << false << false << QList<int> { 6 };
}

void tst_MessageLogModel::filterByText()
{
    QFETCH(QString, text);
    QFETCH(bool, regex);
    QFETCH(bool, caseSensitive);
    QFETCH(QList<int>, rows);
    Fixture f;
    f.fill();
    f.filter.setRegularExpression(regex);
    f.filter.setCaseSensitive(caseSensitive);
    f.filter.setText(text);
    QVERIFY(f.filter.isFiltering());
    QList<int> shown;
    for (int r = 0; r < f.filter.rowCount(); ++r)
        shown.append(f.filter.mapToSource(f.filter.index(r, 0)).row());
    QCOMPARE(shown, rows);
    f.filter.setText(QString());
    QVERIFY(!f.filter.isFiltering());
    QCOMPARE(f.filter.rowCount(), 8);
}

void tst_MessageLogModel::filterByDirectionAndKind()
{
    Fixture f;
    f.fill();
    f.filter.setDirections(directionBit(Direction::In));
    QCOMPARE(f.filter.rowCount(), 3);
    f.filter.setKinds(kindBit(Kind::Text));
    QCOMPARE(f.filter.rowCount(), 1);
    QCOMPARE(
        f.filter.index(0, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("Hello World"));
    f.filter.setDirections(AllDirections);
    f.filter.setKinds(kindBit(Kind::Ping) | kindBit(Kind::Pong));
    QCOMPARE(f.filter.rowCount(), 2);
    const QModelIndex source = f.model.index(5, 0);
    QCOMPARE(f.filter.mapFromSource(source).row(), 1);
    QVERIFY(!f.filter.mapFromSource(f.model.index(2, 0)).isValid());
}

void tst_MessageLogModel::filterFollowsNewRows()
{
    Fixture f;
    f.fill();
    f.filter.setText(QStringLiteral("needle"));
    QCOMPARE(f.filter.rowCount(), 0);
    QSignalSpy inserted(&f.filter, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 1000; ++i)
        f.store->appendText(
            Direction::In, Kind::Text, i % 10 == 0 ? QStringLiteral("a needle") : QStringLiteral("hay"), i);
    f.model.publish();
    QCOMPARE(f.filter.rowCount(), 100);
    QCOMPARE(inserted.count(), 1);
}

void tst_MessageLogModel::invalidRegexMatchesEverythingAndSaysWhy()
{
    Fixture f;
    f.fill();
    f.filter.setRegularExpression(true);
    f.filter.setText(QStringLiteral("(unclosed"));
    QVERIFY(!f.filter.patternError().isEmpty());
    QCOMPARE(f.filter.rowCount(), 8);
    f.filter.setText(QStringLiteral("(closed)"));
    QVERIFY(f.filter.patternError().isEmpty());
}

void tst_MessageLogModel::filterByServerClient()
{
    Fixture f;
    f.store->appendText(Direction::Event, Kind::Info, QStringLiteral("Listening"), 1, 0, 0);
    f.store->appendText(Direction::Event, Kind::Open, QStringLiteral("127.0.0.1:5000"), 2, 0, 1);
    f.store->appendText(Direction::In, Kind::Text, QStringLiteral("from one"), 3, 0, 1);
    f.store->appendText(Direction::Event, Kind::Open, QStringLiteral("127.0.0.1:5001"), 4, 0, 2);
    f.store->appendText(Direction::In, Kind::Text, QStringLiteral("from two"), 5, 0, 2);
    f.model.publish();
    QCOMPARE(f.model.index(2, MessageLogModel::ClientColumn).data().toUInt(), 1u);
    QVERIFY(!f.model.index(0, MessageLogModel::ClientColumn).data().isValid());
    QCOMPARE(f.model.index(3, MessageLogModel::PreviewColumn).data().toString(),
        QStringLiteral("Client 2 connected from 127.0.0.1:5001"));
    f.filter.setConnectionId(2);
    QCOMPARE(f.filter.rowCount(), 2);
    QCOMPARE(f.filter.index(1, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("from two"));
    f.store->appendText(Direction::Out, Kind::Text, QStringLiteral("to two"), 6, 0, 2);
    f.store->appendText(Direction::Out, Kind::Text, QStringLiteral("to one"), 7, 0, 1);
    f.model.publish();
    QCOMPARE(f.filter.rowCount(), 3);
    f.filter.setConnectionId(-1);
    QCOMPARE(f.filter.rowCount(), 7);
    QVERIFY(!f.filter.isFiltering());
}

void tst_MessageLogModel::largeHistoryIsFilteredInSlices()
{
    Fixture f;
    const int n = 400000;
    for (int i = 0; i < n; ++i) {
        f.store->appendText(Direction::In, Kind::Text,
            i % 1000 == 0 ? QStringLiteral("{\"event\":\"NEEDLE %1\"}").arg(i)
                          : QStringLiteral("{\"event\":\"tick\",\"seq\":%1,\"pad\":\"%2\"}")
                                .arg(i)
                                .arg(QString(200, u'x')),
            i);
    }
    f.model.publish();
    QSignalSpy scanning(&f.filter, &MessageFilterModel::scanningChanged);
    QElapsedTimer t;
    t.start();
    f.filter.setText(QStringLiteral("needle")); // case-insensitive, searched in the bytes
    // The call returns after one slice, not after the whole history.
    QVERIFY2(t.elapsed() < 200, qPrintable(QString::number(t.elapsed())));
    QVERIFY(f.filter.isScanning());
    QVERIFY(f.filter.rowCount() < 400);
    // Rows that arrive during the scan are tested in order, once.
    f.store->appendText(Direction::In, Kind::Text, QStringLiteral("late Needle"), n);
    f.model.publish();
    QTRY_VERIFY_WITH_TIMEOUT(!f.filter.isScanning(), 20000);
    QCOMPARE(f.filter.rowCount(), 401);
    QCOMPARE(
        f.filter.index(400, MessageLogModel::PreviewColumn).data().toString(), QStringLiteral("late Needle"));
    QCOMPARE(scanning.count(), 2);
    for (int r = 1; r < f.filter.rowCount(); ++r)
        QVERIFY(f.filter.mapToSource(f.filter.index(r, 0)).row()
            > f.filter.mapToSource(f.filter.index(r - 1, 0)).row());
}

QTEST_GUILESS_MAIN(tst_MessageLogModel)
#include "tst_MessageLogModel.moc"
