// The fault-spec grammar of `wstester serve --fault`, the JSON of the saved server settings, and
// their defaults.
#include "compose/ServerSettingsJson.h"
#include "server/FaultPlan.h"
#include "server/ServerFaults.h"

#include <QtTest>

using namespace wst;

class tst_FaultPlan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesEachFault();
    void laterSpecsReplaceEarlierOnes();
    void badSpecs_data();
    void badSpecs();
    void specsRoundTrip();
    void jsonRoundTripAndOldFiles();
    void badJson();
    void describe();
    void corruptFrameBytes();
};

void tst_FaultPlan::parsesEachFault()
{
    QString error;
    const FaultPlan plan = FaultPlan::parse(
        { QStringLiteral("delay=2s,jitter=50ms"), QStringLiteral("drop=25%"), QStringLiteral("fragment=4"),
            QStringLiteral(" close=4001,after=5,reason=a, b=c "), QStringLiteral("abort,after=1500ms"),
            QStringLiteral("refuse=2,status=429"), QStringLiteral("corrupt=rsv,at=3"),
            QStringLiteral("seed=42"), QStringLiteral("stop-reading,after=10s"), QStringLiteral("slow=1500"),
            QStringLiteral("ignore-pings") },
        &error);
    QCOMPARE(error, QString());
    QCOMPARE(plan.slowBytesPerSecond, 1500);
    QVERIFY(plan.ignorePings);
    QCOMPARE(plan.delayMs, 2000);
    QCOMPARE(plan.jitterMs, 50);
    QCOMPARE(plan.dropPercent, 25);
    QCOMPARE(plan.fragments, 4);
    QCOMPARE(plan.closeCode, 4001);
    QCOMPARE(plan.closeAfter, (FaultPlan::Trigger { 5, 0 }));
    QCOMPARE(plan.closeReason, QStringLiteral("a, b=c"));
    QVERIFY(plan.abort);
    QCOMPARE(plan.abortAfter, (FaultPlan::Trigger { 0, 1500 }));
    QCOMPARE(plan.refuseCount, 2);
    QCOMPARE(plan.refuseStatus, 429);
    QCOMPARE(plan.corrupt, FaultPlan::Corruption::Rsv);
    QCOMPARE(plan.corruptAt, 3);
    QCOMPARE(plan.seed, 42u);
    QVERIFY(plan.stopReading);
    QCOMPARE(plan.stopReadingAfter, (FaultPlan::Trigger { 0, 10000 }));
    QCOMPARE(plan.validate(), QString());

    // The defaults of the short forms.
    const FaultPlan short_ = FaultPlan::parse({ QStringLiteral("close"), QStringLiteral("refuse") }, &error);
    QCOMPARE(error, QString());
    QCOMPARE(short_.closeCode, FaultPlan::DefaultCloseCode);
    QCOMPARE(short_.closeAfter, FaultPlan::Trigger {});
    QCOMPARE(short_.refuseCount, 1);
    QCOMPARE(short_.refuseStatus, 503);
    QVERIFY(FaultPlan().isEmpty());
    QVERIFY(!short_.isEmpty());
    QVERIFY(!short_.touchesMessages()); // no message is held up for a close on connect
}

void tst_FaultPlan::laterSpecsReplaceEarlierOnes()
{
    QString error;
    const FaultPlan plan
        = FaultPlan::parse({ QStringLiteral("delay=100,jitter=20"), QStringLiteral("delay=300"),
                               QStringLiteral("close=4000,after=2s"), QStringLiteral("close=4002") },
            &error);
    QCOMPARE(plan.delayMs, 300);
    QCOMPARE(plan.jitterMs, 20); // a delay without jitter keeps the jitter given before
    QCOMPARE(plan.closeCode, 4002);
    QCOMPARE(plan.closeAfter, FaultPlan::Trigger {}); // a new close starts from "on connect"
}

void tst_FaultPlan::badSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("words");
    QTest::newRow("empty") << QString() << QStringLiteral("unknown fault \u201c\u201d");
    QTest::newRow("unknown") << QStringLiteral("explode")
                             << QStringLiteral("unknown fault \u201cexplode\u201d");
    QTest::newRow("delay without value") << QStringLiteral("delay") << QStringLiteral("delay needs a value");
    QTest::newRow("delay words") << QStringLiteral("delay=soon") << QStringLiteral("the delay must be");
    QTest::newRow("delay negative") << QStringLiteral("delay=-5") << QStringLiteral("the delay must be");
    QTest::newRow("delay too long") << QStringLiteral("delay=601s") << QStringLiteral("the delay must be");
    QTest::newRow("drop over 100") << QStringLiteral("drop=101") << QStringLiteral("from 0 to 100");
    QTest::newRow("drop fraction") << QStringLiteral("drop=0.5") << QStringLiteral("whole percentage");
    QTest::newRow("fragment zero") << QStringLiteral("fragment=0") << QStringLiteral("from 1 to 1000");
    QTest::newRow("close 1005") << QStringLiteral("close=1005") << QStringLiteral("close code");
    QTest::newRow("close 5000") << QStringLiteral("close=5000") << QStringLiteral("close code");
    QTest::newRow("close after nonsense")
        << QStringLiteral("close=4000,after=soon") << QStringLiteral("after=soon is not a count");
    QTest::newRow("abort with value") << QStringLiteral("abort=3") << QStringLiteral("abort takes no value");
    QTest::newRow("refuse status 200")
        << QStringLiteral("refuse=1,status=200") << QStringLiteral("300 to 599");
    QTest::newRow("corrupt what") << QStringLiteral("corrupt=bits") << QStringLiteral("corrupt=utf8");
    QTest::newRow("corrupt at 0") << QStringLiteral("corrupt=utf8,at=0") << QStringLiteral("at= must be");
    QTest::newRow("slow without rate") << QStringLiteral("slow") << QStringLiteral("slow needs a value");
    QTest::newRow("slow zero") << QStringLiteral("slow=0") << QStringLiteral("bytes a second from 1 to");
    QTest::newRow("ignore-pings with value")
        << QStringLiteral("ignore-pings=1") << QStringLiteral("ignore-pings takes no value");
    QTest::newRow("seed words") << QStringLiteral("seed=x") << QStringLiteral("the seed must be");
    QTest::newRow("option of another fault") << QStringLiteral(
        "delay=5,status=503") << QStringLiteral("delay takes jitter, not \u201cstatus=503\u201d");
    QTest::newRow("reason on drop") << QStringLiteral("drop=5,reason=x")
                                    << QStringLiteral("only close takes a reason");
}

void tst_FaultPlan::badSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, words);
    FaultPlan plan;
    plan.delayMs = 7;
    QString error;
    QVERIFY(!plan.apply(spec, &error));
    QVERIFY2(error.contains(words), qPrintable(error));
    QVERIFY2(error.startsWith(QStringLiteral("fault \u201c")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QCOMPARE(plan.delayMs, 7); // a bad spec changes nothing
}

void tst_FaultPlan::specsRoundTrip()
{
    QString error;
    const FaultPlan plan = FaultPlan::parse(
        { QStringLiteral("delay=300,jitter=20"), QStringLiteral("drop=10"), QStringLiteral("fragment=2"),
            QStringLiteral("close=4000,after=3,reason=x,y"), QStringLiteral("abort,after=2s"),
            QStringLiteral("refuse=2"), QStringLiteral("corrupt=opcode"), QStringLiteral("seed=9"),
            QStringLiteral("stop-reading,after=4"), QStringLiteral("slow=300"),
            QStringLiteral("ignore-pings") },
        &error);
    QCOMPARE(error, QString());
    QCOMPARE(FaultPlan::parse(plan.toSpecs(), &error), plan);
    QCOMPARE(error, QString());
    QCOMPARE(FaultPlan().toSpecs(), QStringList());
}

void tst_FaultPlan::jsonRoundTripAndOldFiles()
{
    QString error;
    ServerOptions options;
    options.faults = FaultPlan::parse(
        { QStringLiteral("drop=10"), QStringLiteral("close=4000,after=3,reason=r"),
            QStringLiteral("abort,after=5"), QStringLiteral("corrupt=utf8,at=2"), QStringLiteral("seed=3"),
            QStringLiteral("stop-reading"), QStringLiteral("slow=700"), QStringLiteral("ignore-pings") },
        &error);
    options.deflate = false;
    const QJsonObject json = ServerSettingsJson::toJson(options);
    QVERIFY(json.contains(QStringLiteral("faults")));
    const ServerOptions back = ServerSettingsJson::fromJson(json, &error);
    QCOMPARE(error, QString());
    QCOMPARE(back.faults, options.faults);
    QCOMPARE(back.faults.slowBytesPerSecond, 700);
    QVERIFY(back.faults.ignorePings);
    QCOMPARE(back.deflate, false);
    QJsonObject noDeflateKey = json;
    noDeflateKey.remove(QStringLiteral("deflate"));
    QCOMPARE(ServerSettingsJson::fromJson(noDeflateKey, &error).deflate, true); // older files: on

    // Saved before faults existed: no key, no faults; and no key is written for none.
    QJsonObject old = json;
    old.remove(QStringLiteral("faults"));
    QVERIFY(ServerSettingsJson::fromJson(old, &error).faults.isEmpty());
    QCOMPARE(error, QString());
    QVERIFY(!ServerSettingsJson::toJson(ServerOptions {}).contains(QStringLiteral("faults")));
    // A partial object keeps the defaults of the keys it lacks.
    const FaultPlan partial = FaultPlan::fromJson({ { QStringLiteral("refuseCount"), 2 } }, &error);
    QCOMPARE(error, QString());
    QCOMPARE(partial.refuseCount, 2);
    QCOMPARE(partial.refuseStatus, 503);
    QCOMPARE(partial.corruptAt, 1);
}

void tst_FaultPlan::badJson()
{
    QString error;
    FaultPlan::fromJson({ { QStringLiteral("dropPercent"), QStringLiteral("ten") } }, &error);
    QVERIFY2(error.contains(QStringLiteral("dropPercent")), qPrintable(error));
    FaultPlan::fromJson({ { QStringLiteral("dropPercent"), 200 } }, &error);
    QVERIFY2(error.contains(QStringLiteral("0 to 100")), qPrintable(error));
    QJsonObject settings;
    settings.insert(QStringLiteral("faults"), 5);
    ServerSettingsJson::fromJson(settings, &error);
    QVERIFY2(error.contains(QStringLiteral("faults")), qPrintable(error));
    // The options refuse to start with a bad plan.
    ServerOptions options;
    options.faults.closeCode = 1006;
    QVERIFY(options.validate().contains(QStringLiteral("close code")));
}

void tst_FaultPlan::describe()
{
    QString error;
    const FaultPlan plan
        = FaultPlan::parse({ QStringLiteral("delay=300,jitter=50"), QStringLiteral("close=4000,after=1"),
                               QStringLiteral("refuse=2") },
            &error);
    QCOMPARE(plan.describe(),
        QStringLiteral(
            "delay 300 ms \u00b1 50, close with 4000 after 1 message, refuse 2 handshakes with 503"));
    QCOMPARE(
        FaultPlan::parse({ QStringLiteral("slow=1000"), QStringLiteral("ignore-pings") }, &error).describe(),
        QStringLiteral("send at 1000 bytes/s, leave pings unanswered"));
}

void tst_FaultPlan::corruptFrameBytes()
{
    using C = FaultPlan::Corruption;
    QCOMPARE(ServerFaults::corruptFrame(C::Utf8, Kind::Text, "ab"),
        QByteArray("\x81\x04"
                   "ab\xff\xfe"));
    QCOMPARE(ServerFaults::corruptFrame(C::Opcode, Kind::Text, "ab"),
        QByteArray("\x83\x02"
                   "ab"));
    QCOMPARE(ServerFaults::corruptFrame(C::Rsv, Kind::Binary, "ab"),
        QByteArray("\xf2\x02"
                   "ab"));
    const QByteArray big = ServerFaults::corruptFrame(C::Opcode, Kind::Text, QByteArray(70000, 'x'));
    QCOMPARE(big.left(10), QByteArray("\x83\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
    QCOMPARE(big.size(), 70010);
    QCOMPARE(ServerFaults::corruptFrame(C::Opcode, Kind::Text, QByteArray(300, 'x')).left(4),
        QByteArray("\x83\x7e\x01\x2c", 4));
}

QTEST_GUILESS_MAIN(tst_FaultPlan)
#include "tst_FaultPlan.moc"
