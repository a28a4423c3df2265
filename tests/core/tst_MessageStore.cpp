#include "messages/MessageStore.h"

#include <QtTest>

#include <thread>

using namespace wst;

class tst_MessageStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textIsStoredAsUtf8();
    void bytesAndRowFields();
    void manyRowsAcrossChunksAndBlocks();
    void largePayloadGetsItsOwnMapping();
    void countersCountMessagesOnly();
    void readerSeesConsistentRowsWhileWriterAppends();
    void twoWritersTakeTurns();
};

void tst_MessageStore::textIsStoredAsUtf8()
{
    MessageStore store;
    const QString text = QStringLiteral("h\u00e9llo \u4e16\u754c \U0001F600");
    const qint64 i = store.appendText(Direction::In, Kind::Text, text, 42);
    QCOMPARE(i, 0);
    QCOMPARE(store.count(), 1);
    QCOMPARE(store.payload(0), text.toUtf8());
    QCOMPARE(qsizetype(store.row(0).size), text.toUtf8().size());
    QCOMPARE(store.row(0).timeUs, 42);
    store.appendText(Direction::Out, Kind::Text, QString(), 43);
    QCOMPARE(store.payload(1).size(), 0);
}

void tst_MessageStore::bytesAndRowFields()
{
    MessageStore store;
    const QByteArray bytes("\x00\x01\xff\x80", 4);
    store.appendBytes(Direction::Out, Kind::Binary, bytes, 7, 0, 3);
    store.appendBytes(Direction::In, Kind::Pong, "p", 8, 1234);
    store.appendText(Direction::Event, Kind::Close, QStringLiteral("bye"), 9, 4001);
    QCOMPARE(store.payloadCopy(0), bytes);
    QCOMPARE(store.row(0).direction, Direction::Out);
    QCOMPARE(store.row(0).kind, Kind::Binary);
    QCOMPARE(store.row(0).connectionId, 3u);
    QCOMPARE(store.row(1).extra, 1234);
    QCOMPARE(store.row(2).extra, 4001);
    QCOMPARE(store.payloadCopy(2), QByteArray("bye"));
}

void tst_MessageStore::manyRowsAcrossChunksAndBlocks()
{
    MessageStore store;
    // 150,000 rows of ~600 bytes: three row blocks and a few payload chunks.
    const int n = 150000;
    for (int i = 0; i < n; ++i) {
        const QString text = QString::number(i).rightJustified(600, u'x');
        store.appendText(Direction::In, Kind::Text, text, i);
    }
    QCOMPARE(store.count(), n);
    QVERIFY(store.memoryBytes() > qint64(n) * 600);
    for (int i : { 0, 1, 65535, 65536, 99999, n - 1 }) {
        QCOMPARE(store.row(i).timeUs, i);
        QCOMPARE(store.payload(i), QString::number(i).rightJustified(600, u'x').toUtf8());
    }
}

void tst_MessageStore::largePayloadGetsItsOwnMapping()
{
    MessageStore store;
    store.appendText(Direction::In, Kind::Text, QStringLiteral("before"), 1);
    QByteArray big(20 * 1024 * 1024, 'a');
    big[0] = 'S';
    big[big.size() - 1] = 'E';
    store.appendBytes(Direction::In, Kind::Binary, big, 2);
    const QString bigText(12 * 1024 * 1024, u'\u00e9'); // 24 MiB in UTF-8
    store.appendText(Direction::In, Kind::Text, bigText, 3);
    store.appendText(Direction::In, Kind::Text, QStringLiteral("after"), 4);
    QCOMPARE(store.payloadCopy(0), QByteArray("before"));
    QCOMPARE(store.payload(1).size(), big.size());
    QCOMPARE(store.payload(1).front(), 'S');
    QCOMPARE(store.payload(1).back(), 'E');
    QCOMPARE(store.payload(2).size(), bigText.toUtf8().size());
    QCOMPARE(store.payloadCopy(2), bigText.toUtf8());
    QCOMPARE(store.payloadCopy(3), QByteArray("after"));
}

void tst_MessageStore::countersCountMessagesOnly()
{
    MessageStore store;
    store.appendText(Direction::In, Kind::Text, QStringLiteral("abc"), 1);
    store.appendBytes(Direction::In, Kind::Binary, "12345", 1);
    store.appendText(Direction::Out, Kind::Text, QStringLiteral("xy"), 1);
    store.appendBytes(Direction::Out, Kind::Ping, "p", 1);
    store.appendText(Direction::Event, Kind::Open, QString(), 1);
    const auto c = store.counters();
    QCOMPARE(c.messagesIn, 2);
    QCOMPARE(c.bytesIn, 8);
    QCOMPARE(c.messagesOut, 1);
    QCOMPARE(c.bytesOut, 2);
}

void tst_MessageStore::readerSeesConsistentRowsWhileWriterAppends()
{
    MessageStore store;
    const int n = 300000;
    std::thread writer([&store] {
        for (int i = 0; i < n; ++i)
            store.appendText(Direction::In, Kind::Text, QString::number(i), i);
    });
    qint64 checked = 0;
    int mismatches = 0;
    while (checked < n) {
        const qint64 count = store.count();
        for (; checked < count; ++checked) {
            if (store.row(checked).timeUs != checked || store.payload(checked) != QByteArray::number(checked))
                ++mismatches;
        }
    }
    writer.join();
    QCOMPARE(mismatches, 0);
    QCOMPARE(store.count(), n);
}

void tst_MessageStore::twoWritersTakeTurns()
{
    // A client's network thread (events, what it sends) and its relay thread (what it receives,
    // in batches) write to one store at the same time: every row lands whole, each writer's rows
    // in its own order, across chunk and block boundaries.
    MessageStore store;
    constexpr int PerWriter = 150000;
    std::thread out([&store] {
        for (int i = 0; i < PerWriter; ++i)
            store.appendText(Direction::Out, Kind::Text, QString::number(i), i);
    });
    std::thread in([&store] {
        for (int i = 0; i < PerWriter;) {
            MessageStore::Batch batch(store);
            for (int k = 0; k < 64 && i < PerWriter; ++k, ++i) {
                const QByteArray payload = QByteArray(100, char('a' + i % 26)) + QByteArray::number(i);
                batch.appendBytes(Direction::In, Kind::Binary, payload, i);
            }
        }
    });
    out.join();
    in.join();
    QCOMPARE(store.count(), qint64(2 * PerWriter));
    qint64 nextOut = 0;
    qint64 nextIn = 0;
    for (qint64 r = 0; r < store.count(); ++r) {
        const MessageRow &row = store.row(r);
        const QByteArray payload = store.payload(r);
        if (row.direction == Direction::Out) {
            QCOMPARE(row.timeUs, nextOut);
            QCOMPARE(payload, QByteArray::number(nextOut));
            ++nextOut;
        } else {
            QCOMPARE(row.timeUs, nextIn);
            QCOMPARE(payload, QByteArray(100, char('a' + nextIn % 26)) + QByteArray::number(nextIn));
            ++nextIn;
        }
    }
    QCOMPARE(nextOut, qint64(PerWriter));
    QCOMPARE(nextIn, qint64(PerWriter));
    QCOMPARE(store.counters().messagesIn, qint64(PerWriter));
    QCOMPARE(store.counters().messagesOut, qint64(PerWriter));
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_MessageStore.moc"
