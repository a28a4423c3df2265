// StreamStats and StreamSampler (messages/): per-second buckets, histograms, top values and
// round trips read incrementally from a real MessageStore, with bounded work under a flood.
#include "messages/MessageStore.h"
#include "messages/StreamSampler.h"
#include "messages/StreamStats.h"

#include <QtTest>

using namespace wst;

namespace {

constexpr qint64 Second = 1'000'000;
constexpr qint64 T0 = 1'700'000'000 * Second; // a whole second

QString priceJson(double price, const QString &symbol)
{
    return QStringLiteral("{\"price\":%1,\"sym\":\"%2\"}").arg(price).arg(symbol);
}

} // namespace

class tst_StreamStats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void histogramBuckets();
    void bucketsPerSecondAndDirection();
    void readsOnlyNewRows();
    void totalsAndHistograms();
    void roundTripsFromPongs();
    void valuePathPerSecond();
    void valuePathBadAndStrings();
    void topValuesBounded();
    void newPathLooksBack();
    void floodIsSampled();
    void backfillIsBounded();
    void rowsPerUpdateBounded();
    void snapshotOfAnOldSession();
    void oldRowsOutsideTheWindow();
    void resetStartsAtTheEnd();
    void samplerDeliversSnapshots();
};

void tst_StreamStats::histogramBuckets()
{
    QCOMPARE(StreamStats::histogramBucket(0), 0);
    QCOMPARE(StreamStats::histogramBucket(1), 1);
    QCOMPARE(StreamStats::histogramBucket(2), 2);
    QCOMPARE(StreamStats::histogramBucket(3), 2);
    QCOMPARE(StreamStats::histogramBucket(4), 3);
    QCOMPARE(StreamStats::histogramBucket(1023), 10);
    QCOMPARE(StreamStats::histogramBucket(1024), 11);
    QCOMPARE(StreamStats::histogramBucket(~quint64(0)), StreamStats::HistogramBuckets - 1);
    QCOMPARE(StreamStats::histogramFloor(0), quint64(0));
    QCOMPARE(StreamStats::histogramFloor(1), quint64(1));
    QCOMPARE(StreamStats::histogramFloor(11), quint64(1024));
}

void tst_StreamStats::bucketsPerSecondAndDirection()
{
    auto store = std::make_shared<MessageStore>();
    // Second 0: 3 in (10 B each), 1 out (5 B); second 2: 2 in; an event never counts.
    for (int i = 0; i < 3; ++i)
        store->appendBytes(Direction::In, Kind::Text, QByteArray(10, 'a'), T0 + i * 1000);
    store->appendBytes(Direction::Out, Kind::Binary, QByteArray(5, 'b'), T0 + 500'000);
    store->appendText(Direction::Event, Kind::Open, u"connected", T0 + 600'000);
    store->appendBytes(Direction::In, Kind::Text, QByteArray(7, 'c'), T0 + 2 * Second);
    store->appendBytes(Direction::In, Kind::Text, QByteArray(7, 'c'), T0 + 2 * Second + 999'999);

    StreamStats stats(store);
    const StreamStats::Work work = stats.update();
    QCOMPARE(work.rowsRead, 7);
    QCOMPARE(work.payloadsRead, 0); // no path: no payload is read
    const StreamStats::Snapshot s = stats.snapshot(T0 + 2 * Second, 5);
    QCOMPARE(s.buckets.size(), 5);
    QCOMPARE(s.endSecond, T0 / Second + 2);
    const StreamStats::Bucket &b0 = s.buckets.at(2);
    QCOMPARE(b0.second, T0 / Second);
    QCOMPARE(b0.messages[0], 3);
    QCOMPARE(b0.bytes[0], 30);
    QCOMPARE(b0.messages[1], 1);
    QCOMPARE(b0.bytes[1], 5);
    QCOMPARE(s.buckets.at(3).messages[0], 0);
    QCOMPARE(s.buckets.at(4).messages[0], 2);
    QCOMPARE(s.buckets.at(4).bytes[0], 14);
    QCOMPARE(s.buckets.at(0).messages[0] + s.buckets.at(1).messages[0], 0);
}

void tst_StreamStats::readsOnlyNewRows()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats stats(store);
    QCOMPARE(stats.update().rowsRead, 0);
    for (int i = 0; i < 10; ++i)
        store->appendText(Direction::In, Kind::Text, u"x", T0 + i);
    QCOMPARE(stats.update().rowsRead, 10);
    QCOMPARE(stats.update().rowsRead, 0);
    store->appendText(Direction::In, Kind::Text, u"x", T0 + 20);
    QCOMPARE(stats.update().rowsRead, 1);
    QCOMPARE(stats.totals().count[int(Direction::In)][int(Kind::Text)], 11);
    QCOMPARE(stats.position(), 11);
}

void tst_StreamStats::totalsAndHistograms()
{
    auto store = std::make_shared<MessageStore>();
    // In: sizes 0, 1, 100, 100 at gaps of 10 µs, 10 µs, 1000 µs.
    store->appendBytes(Direction::In, Kind::Text, {}, T0);
    store->appendBytes(Direction::In, Kind::Binary, QByteArray(1, 'x'), T0 + 10);
    store->appendBytes(Direction::In, Kind::Text, QByteArray(100, 'x'), T0 + 20);
    store->appendBytes(Direction::Out, Kind::Text, QByteArray(100, 'x'), T0 + 500);
    store->appendBytes(Direction::In, Kind::Text, QByteArray(100, 'x'), T0 + 1020);
    store->appendBytes(Direction::Out, Kind::Ping, QByteArray(4, 'p'), T0 + 2000);
    store->appendText(Direction::Event, Kind::Close, u"bye", T0 + 3000, 1000);

    StreamStats stats(store);
    stats.update();
    const StreamStats::Totals &t = stats.totals();
    const int in = int(Direction::In), out = int(Direction::Out), ev = int(Direction::Event);
    QCOMPARE(t.count[in][int(Kind::Text)], 3);
    QCOMPARE(t.count[in][int(Kind::Binary)], 1);
    QCOMPARE(t.bytes[in][int(Kind::Text)], 200);
    QCOMPARE(t.bytes[in][int(Kind::Binary)], 1);
    QCOMPARE(t.count[out][int(Kind::Text)], 1);
    QCOMPARE(t.count[out][int(Kind::Ping)], 1);
    QCOMPARE(t.bytes[out][int(Kind::Ping)], 4);
    QCOMPARE(t.count[ev][int(Kind::Close)], 1);
    QCOMPARE(t.rows, 7);
    QCOMPARE(t.firstTimeUs, T0);
    QCOMPARE(t.lastTimeUs, T0 + 3000);
    // Sizes of text/binary only; the ping is not a data message.
    QCOMPARE(t.sizes[0][0], 1); // 0 bytes
    QCOMPARE(t.sizes[0][1], 1); // 1 byte
    QCOMPARE(t.sizes[0][StreamStats::histogramBucket(100)], 2);
    QCOMPARE(t.sizes[1][StreamStats::histogramBucket(100)], 1);
    qint64 outSizes = 0;
    for (qint64 c : t.sizes[1])
        outSizes += c;
    QCOMPARE(outSizes, 1);
    // Gaps within one direction: 10, 10, 1000 µs; the out message between does not break them.
    QCOMPARE(t.gaps[0][StreamStats::histogramBucket(10)], 2);
    QCOMPARE(t.gaps[0][StreamStats::histogramBucket(1000)], 1);
    qint64 outGaps = 0;
    for (qint64 c : t.gaps[1])
        outGaps += c;
    QCOMPARE(outGaps, 0); // one out message: no gap yet
}

void tst_StreamStats::roundTripsFromPongs()
{
    auto store = std::make_shared<MessageStore>();
    store->appendBytes(Direction::Out, Kind::Ping, "a", T0);
    store->appendBytes(Direction::In, Kind::Pong, "a", T0 + 1500, 1500);
    store->appendBytes(Direction::In, Kind::Pong, "?", T0 + 2000, -1); // unsolicited
    store->appendBytes(Direction::In, Kind::Pong, "b", T0 + Second, 42'000);
    StreamStats stats(store);
    stats.update();
    const StreamStats::Snapshot s = stats.snapshot(T0 + Second, 10);
    QCOMPARE(s.rtt.size(), 2);
    QCOMPARE(s.rtt.at(0).timeUs, T0 + 1500);
    QCOMPARE(s.rtt.at(0).rttUs, 1500);
    QCOMPARE(s.rtt.at(1).rttUs, 42'000);
    // Outside the span asked for: gone from the snapshot.
    QCOMPARE(stats.snapshot(T0 + 100 * Second, 10).rtt.size(), 0);
}

void tst_StreamStats::valuePathPerSecond()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats stats(store);
    QVERIFY(stats.setValuePath(QStringLiteral("$.price")));
    store->appendText(Direction::In, Kind::Text, priceJson(10, QStringLiteral("A")), T0);
    store->appendText(Direction::In, Kind::Text, priceJson(20, QStringLiteral("A")), T0 + 1);
    store->appendText(Direction::In, Kind::Text, u"not json", T0 + 2);
    store->appendText(Direction::In, Kind::Text, u"{\"other\":1}", T0 + 3);
    store->appendText(Direction::In, Kind::Text, priceJson(5.5, QStringLiteral("B")), T0 + Second);
    const StreamStats::Work work = stats.update();
    QCOMPARE(work.payloadsRead, 5);
    const StreamStats::Snapshot s = stats.snapshot(T0 + Second, 2);
    QCOMPARE(s.valuesSampled, 3);
    QCOMPARE(s.buckets.at(0).valueCount, 2);
    QCOMPARE(s.buckets.at(0).valueMean(), 15.0);
    QCOMPARE(s.buckets.at(0).valueMin, 10.0);
    QCOMPARE(s.buckets.at(0).valueMax, 20.0);
    QCOMPARE(s.buckets.at(1).valueCount, 1);
    QCOMPARE(s.buckets.at(1).valueMean(), 5.5);
    QCOMPARE(s.valuePath, QStringLiteral("$.price"));
}

void tst_StreamStats::valuePathBadAndStrings()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats stats(store);
    QString error;
    QVERIFY(!stats.setValuePath(QStringLiteral("$.a["), &error));
    QVERIFY2(error.contains(u"position"), qPrintable(error));
    QVERIFY(stats.valuePath().isEmpty());
    QVERIFY(stats.setValuePath(QStringLiteral("$.p"), &error));
    QVERIFY(error.isEmpty());
    store->appendText(Direction::In, Kind::Text, u"{\"p\":\"123.25\"}", T0);
    store->appendText(Direction::In, Kind::Text, u"{\"p\":\"abc\"}", T0);
    store->appendText(Direction::In, Kind::Text, u"{\"p\":true}", T0);
    // Strings that QString::toDouble() reads as not-a-number or infinite are not values: one
    // would make the second's mean, minimum and maximum meaningless (and the chart's axis).
    store->appendText(Direction::In, Kind::Text, u"{\"p\":\"nan\"}", T0);
    store->appendText(Direction::In, Kind::Text, u"{\"p\":\"-inf\"}", T0);
    store->appendText(Direction::In, Kind::Text, u"{\"p\":1e400}", T0);
    store->appendBytes(Direction::In, Kind::Binary, "{\"p\":1}", T0); // binary: not sampled
    stats.update();
    const StreamStats::Snapshot s = stats.snapshot(T0, 1);
    QCOMPARE(s.valuesSampled, 1);
    QCOMPARE(s.buckets.at(0).valueMean(), 123.25);
    // Cleared: no more payloads read.
    QVERIFY(stats.setValuePath(QString()));
    store->appendText(Direction::In, Kind::Text, u"{\"p\":2}", T0);
    QCOMPARE(stats.update().payloadsRead, 0);
}

void tst_StreamStats::topValuesBounded()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats::Options options;
    options.topCapacity = 3;
    StreamStats stats(store, options);
    QVERIFY(stats.setTopPath(QStringLiteral("$.sym")));
    const QList<QString> symbols { QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("A"),
        QStringLiteral("C"), QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("D"),
        QStringLiteral("E") };
    for (const QString &sym : symbols)
        store->appendText(Direction::In, Kind::Text, priceJson(1, sym), T0);
    store->appendText(Direction::Out, Kind::Text, u"{\"sym\":{\"x\":1}}", T0);
    stats.update();
    const QList<StreamStats::TopValue> top = stats.topValues(10);
    QCOMPARE(top.size(), 3);
    QCOMPARE(top.at(0).value, QStringLiteral("A"));
    QCOMPARE(top.at(0).count, 3);
    QCOMPARE(top.at(1).value, QStringLiteral("B"));
    QCOMPARE(top.at(1).count, 2);
    QCOMPARE(top.at(2).value, QStringLiteral("C"));
    const StreamStats::Snapshot s = stats.snapshot(T0, 1, 2);
    QCOMPARE(s.top.size(), 2);
    QCOMPARE(s.topSampled, 9);
    QCOMPARE(s.topDropped, 3); // D, E and the object: the list was full
}

void tst_StreamStats::newPathLooksBack()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats stats(store);
    for (int i = 0; i < 10; ++i)
        store->appendText(Direction::In, Kind::Text,
            priceJson(i, i % 2 ? QStringLiteral("odd") : QStringLiteral("even")), T0 + i);
    stats.update();
    // Paths set after the messages arrived still see them at the next update.
    QVERIFY(stats.setTopPath(QStringLiteral("$.sym")));
    QVERIFY(stats.setValuePath(QStringLiteral("$.price")));
    const StreamStats::Work work = stats.update();
    QCOMPARE(work.payloadsRead, 10);
    QCOMPARE(stats.topValues(5).size(), 2);
    QCOMPARE(stats.topValues(5).at(0).count, 5);
    const StreamStats::Snapshot s = stats.snapshot(T0, 1);
    QCOMPARE(s.buckets.at(0).valueCount, 10);
    QCOMPARE(s.buckets.at(0).valueMax, 9.0);
}

void tst_StreamStats::floodIsSampled()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats::Options options;
    options.maxPayloadsPerUpdate = 1000;
    StreamStats stats(store, options);
    QVERIFY(stats.setValuePath(QStringLiteral("$.price")));
    QVERIFY(stats.setTopPath(QStringLiteral("$.sym")));
    stats.update(); // nothing yet
    const QByteArray a = priceJson(100, QStringLiteral("A")).toUtf8();
    const QByteArray b = priceJson(200, QStringLiteral("B")).toUtf8();
    constexpr int Rows = 1'000'000;
    {
        MessageStore::Batch batch(*store);
        for (int i = 0; i < Rows; ++i)
            batch.appendBytes(Direction::In, Kind::Text, i % 2 ? b : a, T0 + i); // one second
    }
    const StreamStats::Work work = stats.update();
    // Every header is counted; payloads are sampled within the budget.
    QCOMPARE(work.rowsRead, Rows);
    QVERIFY2(work.payloadsRead <= 1000, QByteArray::number(work.payloadsRead));
    QVERIFY2(work.payloadsRead >= 900, QByteArray::number(work.payloadsRead));
    QCOMPARE(stats.totals().count[int(Direction::In)][int(Kind::Text)], Rows);
    const StreamStats::Snapshot s = stats.snapshot(T0, 1);
    QCOMPARE(s.buckets.at(0).messages[0], Rows);
    QCOMPARE(s.buckets.at(0).bytes[0], qint64(Rows / 2) * (a.size() + b.size()));
    QCOMPARE(s.valuesSampled, work.payloadsRead);
    // The stride does not alias with the alternating symbols: both are sampled.
    QCOMPARE(s.top.size(), 2);
    QVERIFY(s.buckets.at(0).valueMin == 100.0 || s.buckets.at(0).valueMax == 200.0);
    QCOMPARE(stats.update().rowsRead, 0);
}

void tst_StreamStats::backfillIsBounded()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats::Options options;
    options.maxBackfillPayloads = 500;
    options.maxPayloadsPerUpdate = 100;
    options.backfillRows = 50'000;
    StreamStats stats(store, options);
    {
        MessageStore::Batch batch(*store);
        for (int i = 0; i < 100'000; ++i)
            batch.appendBytes(
                Direction::In, Kind::Text, i < 50'000 ? "{\"s\":\"old\"}" : "{\"s\":\"new\"}", T0);
    }
    QCOMPARE(stats.update().payloadsRead, 0); // no path yet: headers only
    QVERIFY(stats.setTopPath(QStringLiteral("$.s")));
    const StreamStats::Work work = stats.update();
    // Only the last backfillRows rows, sampled within the backfill budget.
    QVERIFY2(work.payloadsRead <= 500 && work.payloadsRead >= 450, QByteArray::number(work.payloadsRead));
    QCOMPARE(work.rowsRead, 50'000);
    const QList<StreamStats::TopValue> top = stats.topValues(5);
    QCOMPARE(top.size(), 1);
    QCOMPARE(top.at(0).value, QStringLiteral("new"));
    QCOMPARE(stats.update().payloadsRead, 0); // once
}

void tst_StreamStats::rowsPerUpdateBounded()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats::Options options;
    options.maxRowsPerUpdate = 1000;
    StreamStats stats(store, options);
    for (int i = 0; i < 2500; ++i)
        store->appendText(Direction::Out, Kind::Text, u"x", T0);
    QCOMPARE(stats.update().rowsRead, 1000);
    QCOMPARE(stats.update().rowsRead, 1000);
    QCOMPARE(stats.update().rowsRead, 500);
    QCOMPARE(stats.totals().count[int(Direction::Out)][int(Kind::Text)], 2500);
    QCOMPARE(stats.totalWork().rowsRead, 2500);
}

void tst_StreamStats::snapshotOfAnOldSession()
{
    auto store = std::make_shared<MessageStore>();
    store->appendText(Direction::In, Kind::Text, u"x", T0);
    StreamStats stats(store);
    stats.update();
    // A day later the chart ends at the stream's last row, not at an empty "now".
    const StreamStats::Snapshot s = stats.snapshot(T0 + 86'400 * Second, 60);
    QCOMPARE(s.endSecond, T0 / Second);
    QCOMPARE(s.buckets.last().messages[0], 1);
    // Still live: it ends now.
    QCOMPARE(stats.snapshot(T0 + 5 * Second, 60).endSecond, T0 / Second + 5);
}

void tst_StreamStats::oldRowsOutsideTheWindow()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats::Options options;
    options.windowSeconds = 10;
    StreamStats stats(store, options);
    store->appendText(Direction::In, Kind::Text, u"new", T0 + 100 * Second);
    store->appendText(Direction::In, Kind::Text, u"old", T0 + 80 * Second); // older than the ring
    store->appendText(Direction::In, Kind::Text, u"new", T0 + 100 * Second);
    stats.update();
    const StreamStats::Snapshot s = stats.snapshot(T0 + 100 * Second, 10);
    QCOMPARE(s.buckets.size(), 10);
    QCOMPARE(s.buckets.last().messages[0], 2);
    QCOMPARE(s.totals.count[int(Direction::In)][int(Kind::Text)], 3); // counted all the same
    // Ten seconds on, the ring's slot of second 100 holds second 110.
    store->appendText(Direction::In, Kind::Text, u"x", T0 + 110 * Second);
    stats.update();
    const StreamStats::Snapshot later = stats.snapshot(T0 + 110 * Second, 10);
    QCOMPARE(later.buckets.last().messages[0], 1);
    qint64 sum = 0;
    for (const StreamStats::Bucket &b : later.buckets)
        sum += b.messages[0];
    QCOMPARE(sum, 1);
}

void tst_StreamStats::resetStartsAtTheEnd()
{
    auto store = std::make_shared<MessageStore>();
    StreamStats stats(store);
    QVERIFY(stats.setTopPath(QStringLiteral("$.sym")));
    store->appendText(Direction::In, Kind::Text, priceJson(1, QStringLiteral("A")), T0);
    stats.update();
    QCOMPARE(stats.topValues(5).size(), 1);
    stats.reset();
    QCOMPARE(stats.totals().rows, 0);
    QCOMPARE(stats.topValues(5).size(), 0);
    QCOMPARE(stats.update().rowsRead, 0);
    store->appendText(Direction::Out, Kind::Text, priceJson(1, QStringLiteral("B")), T0);
    stats.update();
    QCOMPARE(stats.totals().rows, 1);
    QCOMPARE(stats.topValues(5).at(0).value, QStringLiteral("B"));
}

void tst_StreamStats::samplerDeliversSnapshots()
{
    auto store = std::make_shared<MessageStore>();
    StreamSampler sampler(store);
    sampler.setInterval(20);
    QString error;
    QVERIFY(!sampler.setValuePath(QStringLiteral("$["), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(sampler.valuePath().isEmpty());
    QVERIFY(sampler.setValuePath(QStringLiteral("$.price"), &error));
    const qint64 now = nowUs();
    for (int i = 0; i < 100; ++i)
        store->appendText(Direction::In, Kind::Text, priceJson(i, QStringLiteral("A")), now);
    QTRY_COMPARE(sampler.snapshot().position, 100);
    const StreamStats::Snapshot &s = sampler.snapshot();
    QCOMPARE(s.buckets.size(), sampler.windowSeconds());
    QCOMPARE(s.totals.count[int(Direction::In)][int(Kind::Text)], 100);
    QTRY_COMPARE(sampler.snapshot().valuesSampled, 100);
    QCOMPARE(sampler.snapshot().valuePath, QStringLiteral("$.price"));
    QVERIFY(sampler.updates() > 0);
}

QTEST_GUILESS_MAIN(tst_StreamStats)
#include "tst_StreamStats.moc"
