#include "compose/SecretValues.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "session/FilePayloadSource.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"

#include <QAbstractItemModelTester>
#include <QScopeGuard>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <limits>

#include <atomic>
#include <thread>

using namespace wst;

namespace {

constexpr quint64 Base = quint64(7) << 40;

// Row i's payload, a pure function of i: small and big, text and binary (every byte value).
bool isBinary(qint64 i)
{
    return i % 3 == 1;
}

QByteArray payloadFor(qint64 i)
{
    if (i % 4999 == 500) // now and then a payload with a mapping of its own (> ChunkSize / 4)
        return QByteArray(3 << 20, char('a' + i % 26)) + QByteArray::number(i);
    const int size = int(i % 700);
    QByteArray bytes(size, Qt::Uninitialized);
    for (int k = 0; k < size; ++k)
        bytes[k] = isBinary(i) ? char((i * 31 + k) & 0xff) : char('!' + (i + k) % 90);
    return QByteArray::number(i) + ':' + bytes;
}

qint64 append(MessageStore &store, qint64 i)
{
    const QByteArray bytes = payloadFor(i);
    if (isBinary(i))
        return store.appendBytes(Direction::In, Kind::Binary, bytes, i);
    return store.appendText(Direction::Out, Kind::Text, QString::fromUtf8(bytes), i);
}

// The "file": every row's payload, computed from its reference; what it was asked for.
class FormulaSource : public PayloadSource
{
public:
    QByteArray read(quint64 reference, quint32 size) override
    {
        reads.fetch_add(1);
        const QByteArray bytes = payloadFor(qint64(reference - Base));
        return quint32(bytes.size()) == size ? bytes : QByteArray("wrong size");
    }
    void scan(quint64 first, quint64 last, const std::function<bool(quint64, QByteArrayView)> &visit) override
    {
        scans.fetch_add(1);
        for (quint64 r = first; r <= last; ++r) {
            if (!visit(r, payloadFor(qint64(r - Base))))
                return;
        }
    }
    std::atomic<int> reads { 0 };
    std::atomic<int> scans { 0 };
};

constexpr qint64 Budget = qint64(2) << 20;

} // namespace

class tst_StoreEviction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nothingLeavesBeforeTheFileHoldsIt();
    void evictedPayloadsReadBackByteForByte();
    void keptRowsNeverReadFromTheFile();
    void scanReadsTheFileInRanges();
    void readersWhileEvicting();
    void recordedCaptureLeavesMemoryAndReopensWhole();
    void scansReadTheFileInParallel();
    void historyModelShowsEvictedRows();
    void filterOfEvictedRowsRunsOnAWorker();
};

void tst_StoreEviction::nothingLeavesBeforeTheFileHoldsIt()
{
    MessageStore store;
    auto source = std::make_shared<FormulaSource>();
    store.enableEviction(source, Base, Budget);
    const qint64 n = 30000;
    for (qint64 i = 0; i < n; ++i)
        append(store, i);
    QVERIFY(store.payloadBytes() > 4 * Budget);
    // Nothing persisted: nothing leaves, however far past the budget.
    store.markPersisted(0);
    QCOMPARE(store.evictedRows(), 0);
    // Half of it persisted: only rows of that half leave.
    store.markPersisted(n / 2);
    QVERIFY(store.evictedRows() > 0);
    for (qint64 i = n / 2; i < n; ++i)
        QVERIFY2(!store.isExternal(i), qPrintable(QString::number(i)));
    QVERIFY(store.isExternal(0));
    // Oldest first: no row in memory below an evicted one.
    qint64 firstInMemory = 0;
    while (store.isExternal(firstInMemory))
        ++firstInMemory;
    for (qint64 i = firstInMemory; i < n; ++i)
        QVERIFY(!store.isExternal(i));
}

void tst_StoreEviction::evictedPayloadsReadBackByteForByte()
{
    MessageStore store;
    auto source = std::make_shared<FormulaSource>();
    store.enableEviction(source, Base, Budget);
    const qint64 n = 40000;
    for (qint64 i = 0; i < n; ++i)
        append(store, i);
    const qint64 before = store.payloadBytes();
    store.markPersisted(n);
    // Down to the budget, give or take the chunk still being filled.
    QVERIFY2(store.payloadBytes() <= Budget + MessageStore::ChunkSize,
        qPrintable(QString::number(store.payloadBytes())));
    QVERIFY(store.memoryBytes() < before);
    QVERIFY(store.evictedRows() > n / 2);
    for (qint64 i = 0; i < n; ++i) {
        const QByteArray expected = payloadFor(i);
        QCOMPARE(qsizetype(store.row(i).size), expected.size());
        if (store.payload(i) != expected)
            QFAIL(qPrintable(QStringLiteral("row %1 differs").arg(i)));
        const MessageStore::ReadGuard guard(store);
        if (store.payload(i, guard) != expected)
            QFAIL(qPrintable(QStringLiteral("row %1 differs under a guard").arg(i)));
    }
    QVERIFY(source->reads.load() > 0);
    // Appending goes on after an eviction.
    append(store, n);
    QCOMPARE(store.payload(n), payloadFor(n));
}

void tst_StoreEviction::keptRowsNeverReadFromTheFile()
{
    // A row whose file copy differs (a secret masked there) keeps its own bytes.
    MessageStore store;
    auto source = std::make_shared<FormulaSource>();
    store.enableEviction(source, Base, Budget);
    const qint64 n = 20000;
    for (qint64 i = 0; i < n; ++i)
        append(store, i);
    const QList<qint64> kept { 3, 4, 1000, 1996 };
    store.markPersisted(n, kept);
    QVERIFY(store.isExternal(1000));
    const int readsBefore = source->reads.load();
    for (qint64 i : kept)
        QCOMPARE(store.payload(i), payloadFor(i));
    QCOMPARE(source->reads.load(), readsBefore);
    QVERIFY(store.payload(5) == payloadFor(5));
    QVERIFY(source->reads.load() > readsBefore);
}

void tst_StoreEviction::scanReadsTheFileInRanges()
{
    MessageStore store;
    auto source = std::make_shared<FormulaSource>();
    store.enableEviction(source, Base, Budget);
    const qint64 n = 20000;
    for (qint64 i = 0; i < n; ++i)
        append(store, i);
    store.markPersisted(n, { 10 });
    qint64 next = 0;
    bool same = true;
    store.scanPayloads(0, n - 1, [&](qint64 index, QByteArrayView bytes) {
        same = same && index == next && bytes == payloadFor(index);
        ++next;
        return same;
    });
    QVERIFY(same);
    QCOMPARE(next, n);
    QCOMPARE(source->reads.load(), 0);
    // The evicted rows in a few range reads (split at the kept row), not one read per row.
    QVERIFY2(source->scans.load() <= 4, qPrintable(QString::number(source->scans.load())));
    // Stopping early stops.
    int visits = 0;
    store.scanPayloads(5, n - 1, [&](qint64, QByteArrayView) { return ++visits < 3; });
    QCOMPARE(visits, 3);
}

void tst_StoreEviction::readersWhileEvicting()
{
    // A writer appends, an evictor follows it (as the session writer does after each commit),
    // two readers read rows old and new, one by one and by scans. A reader that touched a chunk
    // after it was unmapped crashes (or ASan reports it); one that read a torn location gets
    // other bytes.
    MessageStore store;
    auto source = std::make_shared<FormulaSource>();
    store.enableEviction(source, Base, Budget);
    const qint64 n = 60000;
    std::atomic<bool> done { false };
    std::atomic<qint64> mismatches { 0 };
    std::atomic<qint64> readsDone { 0 };
    std::thread writer([&] {
        for (qint64 i = 0; i < n; ++i)
            append(store, i);
    });
    std::thread evictor([&] {
        qint64 persisted = 0;
        while (persisted < n) {
            const qint64 count = store.count();
            if (count > persisted) {
                persisted = count;
                store.markPersisted(persisted);
            } else {
                std::this_thread::yield();
            }
        }
        done = true;
    });
    auto reader = [&](bool scans) {
        quint64 seed = scans ? 7 : 11;
        while (!done.load()) {
            const qint64 count = store.count();
            if (count == 0)
                continue;
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            const qint64 i = qint64((seed >> 33) % quint64(count));
            if (scans) {
                store.scanPayloads(i, i + 200, [&](qint64 index, QByteArrayView bytes) {
                    if (bytes != payloadFor(index))
                        mismatches.fetch_add(1);
                    return true;
                });
            } else if (store.payload(i) != payloadFor(i)) {
                mismatches.fetch_add(1);
            }
            readsDone.fetch_add(1);
        }
    };
    std::thread readerA(reader, false);
    std::thread readerB(reader, true);
    writer.join();
    evictor.join();
    readerA.join();
    readerB.join();
    QCOMPARE(mismatches.load(), 0);
    QVERIFY(readsDone.load() > 0);
    QVERIFY(store.evictedRows() > n / 2);
    QVERIFY(store.payloadBytes() <= Budget + MessageStore::ChunkSize);
    for (qint64 i = 0; i < n; i += 7)
        QCOMPARE(store.payload(i), payloadFor(i));
}

void tst_StoreEviction::recordedCaptureLeavesMemoryAndReopensWhole()
{
    QTemporaryDir dir;
    const QString live = dir.filePath(QStringLiteral("live.wstsession"));
    SessionRecorder recorder;
    recorder.setMemoryBudget(Budget);
    QString error;
    QVERIFY2(recorder.open(live, &error, true), qPrintable(error));
    auto store = std::make_shared<MessageStore>();
    const qint64 tab = recorder.addTab({});
    recorder.attach(tab, store);
    const QByteArray secret("s3cret-token-value");
    SecretValues::set({ { QStringLiteral("token"), QString::fromLatin1(secret) } });
    const qint64 n = 30000;
    const qint64 secretRow = 123;
    for (qint64 i = 0; i < n; ++i) {
        if (i == secretRow)
            store->appendText(Direction::Out, Kind::Text,
                QString(QStringLiteral("auth ") + QString::fromLatin1(secret)), i);
        else
            append(*store, i);
    }
    const qint64 before = store->payloadBytes();
    recorder.flush();
    // flush() returns once the writer committed, and the writer evicts right after its commit.
    QVERIFY2(store->payloadBytes() <= Budget + MessageStore::ChunkSize,
        qPrintable(QStringLiteral("%1 of %2").arg(store->payloadBytes()).arg(before)));
    QVERIFY(store->isExternal(0));
    QVERIFY(store->isExternal(secretRow));
    for (qint64 i = 0; i < n; ++i) {
        const QByteArray expected = i == secretRow ? "auth " + secret : payloadFor(i);
        if (store->payload(i) != expected)
            QFAIL(qPrintable(QStringLiteral("row %1 differs").arg(i)));
    }
    // Save As, and the saved file opened as the window opens one: everything is there.
    const QString saved = dir.filePath(QStringLiteral("saved.wstsession"));
    QVERIFY2(recorder.saveAsBlocking(saved, false, &error), qPrintable(error));
    SecretValues::set({});
    auto payloads = FilePayloadSource::open(saved, &error);
    QVERIFY2(payloads, qPrintable(error));
    MessageStore reopened;
    QCOMPARE(loadSessionHistory(saved, tab, reopened, payloads, &error), n);
    for (qint64 i = 0; i < n; ++i) {
        const QByteArray expected = i == secretRow ? QByteArray("auth {{token}}") : payloadFor(i);
        QCOMPARE(reopened.row(i).timeUs, store->row(i).timeUs);
        if (reopened.payload(i) != expected)
            QFAIL(qPrintable(QStringLiteral("reopened row %1 differs").arg(i)));
    }
    // Closing the capture leaves one self-contained file; the evicted rows are still readable.
    recorder.close();
    QVERIFY(!QFileInfo::exists(live + QStringLiteral("-wal")));
    QCOMPARE(store->payload(1), payloadFor(1));
    QCOMPARE(store->payload(n - 1), payloadFor(n - 1));
}

// Scans in several threads read a live capture's file at once, each through its own
// connection, and keep reading byte for byte when the capture is closed under them (the file is
// opened again, as a single read does).
void tst_StoreEviction::scansReadTheFileInParallel()
{
    QTemporaryDir dir;
    const QString live = dir.filePath(QStringLiteral("live.wstsession"));
    SessionRecorder recorder;
    recorder.setMemoryBudget(Budget);
    QString error;
    QVERIFY2(recorder.open(live, &error, true), qPrintable(error));
    auto store = std::make_shared<MessageStore>();
    recorder.attach(recorder.addTab({}), store);
    const qint64 n = 30000;
    for (qint64 i = 0; i < n; ++i)
        append(*store, i);
    recorder.flush();
    QVERIFY(store->evictedRows() > n / 2);

    std::atomic<int> started { 0 };
    std::atomic<qint64> wrong { -1 };
    QList<qint64> visited(3, 0);
    std::vector<std::thread> scanners;
    for (int t = 0; t < 3; ++t) {
        scanners.emplace_back([&, t] {
            ++started;
            for (int round = 0; round < 3; ++round) {
                qint64 expected = 0;
                store->scanPayloads(0, n - 1, [&](qint64 i, QByteArrayView bytes) {
                    if (i != expected++ || bytes != payloadFor(i))
                        wrong = i;
                    ++visited[t];
                    return true;
                });
            }
        });
    }
    while (started.load() < 3)
        std::this_thread::yield();
    recorder.close(); // releases the file while the scans read it
    for (std::thread &scanner : scanners)
        scanner.join();
    QCOMPARE(wrong.load(), qint64(-1));
    QCOMPARE(visited, QList<qint64>(3, 3 * n));
}

void tst_StoreEviction::historyModelShowsEvictedRows()
{
    // What the history view asks for: the preview and the payload of evicted rows.
    auto store = std::make_shared<MessageStore>();
    auto source = std::make_shared<FormulaSource>();
    store->enableEviction(source, Base, Budget);
    const qint64 n = 20000;
    for (qint64 i = 0; i < n; ++i)
        append(*store, i);
    store->markPersisted(n);
    QVERIFY(store->isExternal(2));
    MessageLogModel model(store);
    QAbstractItemModelTester tester(&model);
    QTRY_COMPARE(model.rowCount(), int(n));
    for (int row : { 0, 1, 2, int(n) - 1 }) {
        const QModelIndex index = model.index(row, 0);
        QCOMPARE(index.data(MessageLogModel::PayloadRole).toByteArray(), payloadFor(row));
        QCOMPARE(
            index.data(MessageLogModel::SummaryRole).toString(), MessageLogModel::summary(*store, row, -1));
        if (!isBinary(row))
            QVERIFY(index.data(MessageLogModel::SummaryRole).toString().startsWith(QString::number(row)));
    }
}

// A large history's filter runs on a worker thread when it needs only the payloads: evicted rows
// come from the file in range scans, and what passes is the same, in the same order, as the GUI
// thread's slices find; rows that arrive during the scan are tested after it, in order.
void tst_StoreEviction::filterOfEvictedRowsRunsOnAWorker()
{
    auto store = std::make_shared<MessageStore>();
    auto source = std::make_shared<FormulaSource>();
    store->enableEviction(source, Base, Budget);
    const qint64 n = 30000;
    for (qint64 i = 0; i < n; ++i)
        append(*store, i);
    store->markPersisted(n);
    QVERIFY(store->evictedRows() > n / 2);
    MessageLogModel model(store);
    model.setBatchInterval(24 * 3600 * 1000);
    model.publish();
    QCOMPARE(model.rowCount(), int(n));
    MessageFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    const int threshold = MessageFilterModel::workerScanRows();
    const auto cleanup = qScopeGuard([threshold] { MessageFilterModel::setWorkerScanRows(threshold); });

    // On two cores or more the worker scan runs in parts at once (its rows still come in order).
    if (QThread::idealThreadCount() >= 2)
        QVERIFY(MessageFilterModel::workerPartsFor(n, 1000) >= 2);
    const auto rowsFor = [&](bool worker, const std::function<void()> &set) {
        MessageFilterModel::setWorkerScanRows(worker ? 1000 : std::numeric_limits<int>::max());
        filter.setText(QString());
        filter.setDirections(AllDirections);
        filter.setRegularExpression(false);
        filter.setCaseSensitive(false);
        const int scansBefore = source->scans.load();
        set();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!filter.isScanning(), 20000); }();
        if (worker) {
            [&] {
                QCOMPARE(filter.rowsTestedOnWorker(), n);
                QVERIFY(source->scans.load() > scansBefore); // ranges, not row by row
            }();
        } else {
            [&] { QCOMPARE(filter.rowsTestedOnWorker(), 0); }();
        }
        QList<int> rows;
        for (int r = 0; r < filter.rowCount(); ++r)
            rows.append(filter.mapToSource(filter.index(r, 0)).row());
        return rows;
    };
    const QList<std::function<void()>> filters {
        [&] { filter.setText(QStringLiteral("12")); },
        [&] { filter.setText(QStringLiteral("AB")); }, // any case
        [&] {
            filter.setCaseSensitive(true);
            filter.setText(QStringLiteral("AB"));
        },
        [&] {
            filter.setRegularExpression(true);
            filter.setText(QStringLiteral("^1\\d*5:"));
        },
        [&] {
            filter.setDirections(directionBit(Direction::Out));
            filter.setText(QStringLiteral("9"));
        },
    };
    for (int i = 0; i < filters.size(); ++i) {
        const QList<int> onWorker = rowsFor(true, filters.at(i));
        const QList<int> inSlices = rowsFor(false, filters.at(i));
        QVERIFY2(!onWorker.isEmpty() && onWorker.size() < n, qPrintable(QString::number(i)));
        QVERIFY2(onWorker == inSlices,
            qPrintable(QStringLiteral("filter %1: %2 rows on the worker, %3 in slices")
                           .arg(i)
                           .arg(onWorker.size())
                           .arg(inSlices.size())));
        QVERIFY(std::is_sorted(onWorker.cbegin(), onWorker.cend()));
    }

    // Rows that arrive while the worker scans are tested after it, in order.
    MessageFilterModel::setWorkerScanRows(1000);
    filter.setText(QString());
    filter.setDirections(AllDirections);
    filter.setCaseSensitive(true);
    filter.setText(QStringLiteral("7"));
    QVERIFY(filter.isScanning());
    for (qint64 i = n; i < n + 500; ++i)
        append(*store, i);
    model.publish();
    QTRY_VERIFY_WITH_TIMEOUT(!filter.isScanning(), 20000);
    QList<int> expected;
    for (qint64 i = 0; i < n + 500; ++i) {
        if (payloadFor(i).contains('7'))
            expected.append(int(i));
    }
    QList<int> rows;
    for (int r = 0; r < filter.rowCount(); ++r)
        rows.append(filter.mapToSource(filter.index(r, 0)).row());
    QCOMPARE(rows.size(), expected.size());
    QCOMPARE(rows, expected);
}

QTEST_GUILESS_MAIN(tst_StoreEviction)
#include "tst_StoreEviction.moc"
