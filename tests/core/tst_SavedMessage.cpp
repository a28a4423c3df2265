#include "compose/SavedMessage.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace wst;

class tst_SavedMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addEditRemoveMove();
    void jsonRoundTrip();
    void jsonBadEntriesSkipped();
    void encode();
    void suggestName_data();
    void suggestName();
};

static SavedMessage msg(const char *name, const char *format, const char *body)
{
    return { QString::fromUtf8(name), QString::fromUtf8(format), QString::fromUtf8(body) };
}

void tst_SavedMessage::addEditRemoveMove()
{
    SavedMessageList list;
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&list, &SavedMessageList::changed);
    QCOMPARE(list.add(msg("a", "text", "one")), 0);
    QCOMPARE(list.add(msg("b", "json", "{\"x\":   1}")), 1);
    QCOMPARE(list.add(msg("c", "hex", "01 02")), 2);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(
        list.data(list.index(1), SavedMessageList::PreviewRole).toString(), QStringLiteral("{\"x\": 1}"));
    QCOMPARE(list.data(list.index(2), SavedMessageList::FormatRole).toString(), QStringLiteral("hex"));

    QVERIFY(list.edit(0, msg("a2", "text", "uno")));
    QCOMPARE(list.at(0).name, QStringLiteral("a2"));
    QVERIFY(list.move(0, 2));
    QCOMPARE(list.at(2).name, QStringLiteral("a2"));
    QCOMPARE(list.at(0).name, QStringLiteral("b"));
    QVERIFY(list.move(2, 0));
    QCOMPARE(list.at(0).name, QStringLiteral("a2"));
    QVERIFY(!list.move(0, 3));
    QCOMPARE(list.indexOf(QStringLiteral("c")), 2);
    QVERIFY(list.remove(1));
    QCOMPARE(list.count(), 2);
    QVERIFY(!list.remove(5));
}

void tst_SavedMessage::jsonRoundTrip()
{
    SavedMessageList list;
    list.add(msg("a", "text", "hello {{token}}"));
    list.add(msg("b", "base64", "SGVsbG8="));
    const QJsonArray json = list.toJson();
    QCOMPARE(json.at(1).toObject().value(QStringLiteral("format")).toString(), QStringLiteral("base64"));
    SavedMessageList copy;
    QString error;
    QVERIFY(copy.fromJson(json, &error));
    QCOMPARE(copy.messages(), list.messages());
}

void tst_SavedMessage::jsonBadEntriesSkipped()
{
    const QJsonArray json { QJsonObject { { QStringLiteral("name"), QStringLiteral("ok") },
                                { QStringLiteral("body"), QStringLiteral("x") },
                                { QStringLiteral("extra"), 1 } },
        QJsonObject { { QStringLiteral("name"), 5 } },
        QJsonObject { { QStringLiteral("name"), QStringLiteral("f") },
            { QStringLiteral("format"), QStringLiteral("xml") } },
        3 };
    SavedMessageList list;
    QString error;
    QVERIFY(!list.fromJson(json, &error));
    QVERIFY2(error.contains(QLatin1String("name")), qPrintable(error));
    QCOMPARE(list.count(), 1);
    QCOMPARE(list.at(0).format, QStringLiteral("text")); // the default
}

void tst_SavedMessage::encode()
{
    bool binary = true;
    QByteArray payload;
    QString error;
    QVERIFY(
        SavedMessage::encode(QStringLiteral("text"), QStringLiteral("h\u00e9"), &binary, &payload, &error));
    QVERIFY(!binary);
    QCOMPARE(payload, QByteArray("h\xc3\xa9"));
    QVERIFY(!SavedMessage::encode(QStringLiteral("json"), QStringLiteral("{"), &binary, &payload, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(SavedMessage::encode(QStringLiteral("hex"), QStringLiteral("48 69"), &binary, &payload, &error));
    QVERIFY(binary);
    QCOMPARE(payload, QByteArray("Hi"));
    QVERIFY(
        SavedMessage::encode(QStringLiteral("base64"), QStringLiteral("SGk="), &binary, &payload, &error));
    QCOMPARE(payload, QByteArray("Hi"));
    QVERIFY(!SavedMessage::encode(QStringLiteral("hex"), QStringLiteral("4"), &binary, &payload, &error));
}

void tst_SavedMessage::suggestName_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("name");
    QTest::newRow("json type") << QStringLiteral(R"({"id": 7, "type": "subscribe", "channel": "prices"})")
                               << QStringLiteral("subscribe");
    QTest::newRow("json event") << QStringLiteral(R"({"event":"ping"})") << QStringLiteral("ping");
    QTest::newRow("json keys in written order")
        << QStringLiteral(R"({"zeta": 1, "alpha": {"deep": true}, "mid": [1, 2], "last": null})")
        << QStringLiteral("{zeta, alpha, mid, \u2026}");
    QTest::newRow("json few keys") << QStringLiteral(R"({"b":1,"a":2})") << QStringLiteral("{b, a}");
    QTest::newRow("long text cut at a word")
        << QStringLiteral("please send me every price update for the next hour")
        << QStringLiteral("please send me every price\u2026");
    QTest::newRow("first line only") << QStringLiteral("HELLO\nsecond line") << QStringLiteral("HELLO");
    QTest::newRow("hex") << QStringLiteral("de ad be ef") << QStringLiteral("de ad be ef");
    QTest::newRow("not json") << QStringLiteral("{not json") << QStringLiteral("{not json");
}

void tst_SavedMessage::suggestName()
{
    // The name offered when saving: short, from what the message is about. (It offered the
    // first 40 characters of the message, a JSON message's braces and quotes included.)
    QFETCH(QString, body);
    QFETCH(QString, name);
    QCOMPARE(SavedMessage::suggestName(body), name);
    QVERIFY(SavedMessage::suggestName(body).size() <= SavedMessage::MaxSuggestedName);
}

QTEST_GUILESS_MAIN(tst_SavedMessage)
#include "tst_SavedMessage.moc"
