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

QTEST_GUILESS_MAIN(tst_SavedMessage)
#include "tst_SavedMessage.moc"
