// The ping ledger (protocol/PingLedger): which ping a pong answers and the round trip it measures.
#include "protocol/PingLedger.h"

#include <QtTest>

using namespace wst;

class tst_PingLedger : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pongAnswersTheOldestPingWithItsPayload();
    void unknownPayloadHasNoRoundTrip();
    void emptyPayloadsAndBinary();
    void boundedWhenNothingAnswers();
    void ownClockMeasuresElapsedTime();
    void clearForgetsEverything();
};

void tst_PingLedger::pongAnswersTheOldestPingWithItsPayload()
{
    PingLedger l;
    l.sentAt("a", 1'000'000);
    l.sentAt("b", 2'000'000);
    l.sentAt("a", 5'000'000);
    QCOMPARE(l.outstanding(), 3);
    // Out of order between payloads, in order within one.
    QCOMPARE(l.answeredAt("b", 12'000'000), 10'000);
    QCOMPARE(l.answeredAt("a", 21'000'000), 20'000);
    QCOMPARE(l.answeredAt("a", 25'000'000), 20'000);
    QCOMPARE(l.outstanding(), 0);
    QCOMPARE(l.answeredAt("a", 26'000'000), -1); // answered once only
}

void tst_PingLedger::unknownPayloadHasNoRoundTrip()
{
    PingLedger l;
    QCOMPARE(l.answered("never sent"), -1);
    l.sentAt("x", 0);
    QCOMPARE(l.answeredAt("X", 1000), -1); // payloads compare byte for byte
    QCOMPARE(l.answeredAt("x ", 1000), -1);
    QCOMPARE(l.outstanding(), 1);
}

void tst_PingLedger::emptyPayloadsAndBinary()
{
    PingLedger l;
    l.sentAt(QByteArray(), 0);
    l.sentAt(QByteArray("\x00\xff", 2), 3000);
    QCOMPARE(l.answeredAt(QByteArrayView(""), 7000), 7);
    QCOMPARE(l.answeredAt(QByteArrayView("\x00\xff", 2), 10000), 7);
    QCOMPARE(l.answeredAt(QByteArrayView("\x00", 1), 10000), -1);
}

void tst_PingLedger::boundedWhenNothingAnswers()
{
    // A peer that never answers: the oldest pings are forgotten, the newest still measured.
    PingLedger l;
    for (qint64 i = 0; i < PingLedger::MaxOutstanding + 10; ++i)
        l.sentAt(QByteArray::number(i), i * 1000);
    QCOMPARE(l.outstanding(), PingLedger::MaxOutstanding);
    QCOMPARE(l.answeredAt("0", 1'000'000'000), -1);
    QCOMPARE(l.answeredAt("9", 1'000'000'000), -1);
    QCOMPARE(l.answeredAt("10", 1'000'000'000), 1'000'000 - 10);
    const QByteArray last = QByteArray::number(PingLedger::MaxOutstanding + 9);
    QCOMPARE(l.answeredAt(last, (PingLedger::MaxOutstanding + 9) * 1000 + 5000), 5);
}

void tst_PingLedger::ownClockMeasuresElapsedTime()
{
    PingLedger l;
    l.sent("p");
    QElapsedTimer t;
    t.start();
    QTRY_VERIFY(t.elapsed() >= 20); // waits on the clock itself; no fixed sleep
    const qint64 rtt = l.answered("p");
    QVERIFY2(rtt >= 20'000 && rtt < 60'000'000, qPrintable(QString::number(rtt)));
}

void tst_PingLedger::clearForgetsEverything()
{
    PingLedger l;
    l.sentAt("a", 0);
    l.sentAt("b", 0);
    l.clear();
    QCOMPARE(l.outstanding(), 0);
    QCOMPARE(l.answeredAt("a", 10), -1);
}

QTEST_GUILESS_MAIN(tst_PingLedger)
#include "tst_PingLedger.moc"
