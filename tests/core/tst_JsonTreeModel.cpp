#include "format/JsonTreeModel.h"
#include "format/TextSearch.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace wst;

class tst_JsonTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void structureAndModelTester();
    void pathsOfOddKeys();
    void stringsAreDecoded();
    void scalarsAtTheRoot();
    void childrenAreMadeWhenAskedFor();
    void textSearchCountsWithoutOverlap();
    void bytesSearchReadsHexOrText();
    void searchIsCapped();
};

void tst_JsonTreeModel::structureAndModelTester()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDocument(" { \"a\" : [ 1 , {\"b\": [] , \"c\":{}}, \"x,]}\" ] , \"d\": false }\n");
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowCount(root), 2);
    const QModelIndex a = model.index(0, 0, root);
    QCOMPARE(model.rowCount(a), 3);
    QCOMPARE(model.index(2, 1, a).data().toString(), QStringLiteral("\"x,]}\""));
    const QModelIndex obj = model.index(1, 0, a);
    QCOMPARE(model.path(model.index(1, 0, obj)), QStringLiteral("$.a[1].c"));
    QVERIFY(!model.hasChildren(model.index(0, 0, obj))); // []
    QCOMPARE(model.index(0, 1, obj).data().toString(), QStringLiteral("[0 items]"));
    QCOMPARE(model.index(1, 0, root).data().toString(), QStringLiteral("d"));
    QCOMPARE(model.valueText(model.index(1, 0, root)), QStringLiteral("false"));
    QCOMPARE(model.type(a), JsonTreeModel::Type::Array);
    QCOMPARE(model.fieldPath(model.index(1, 0, obj)), QStringLiteral("a.1.c"));
    QCOMPARE(model.path(root), QStringLiteral("$"));
    QVERIFY(model.fieldPath(root).isEmpty());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_JsonTreeModel::pathsOfOddKeys()
{
    JsonTreeModel model;
    model.setDocument(R"({"a.b":1,"it's":2,"":3,"_ok$1":4,"1x":5,"back\\slash":6})");
    const QModelIndex root = model.index(0, 0);
    const auto path = [&](int row) { return model.path(model.index(row, 0, root)); };
    QCOMPARE(path(0), QStringLiteral("$['a.b']"));
    QCOMPARE(path(1), QStringLiteral("$['it\\'s']"));
    QCOMPARE(path(2), QStringLiteral("$['']"));
    QCOMPARE(path(3), QStringLiteral("$._ok$1"));
    QCOMPARE(path(4), QStringLiteral("$['1x']"));
    QCOMPARE(path(5), QStringLiteral("$['back\\\\slash']"));
    // The reply rules' dotted form cannot name a key with a dot, nor an empty one.
    QVERIFY(model.fieldPath(model.index(0, 0, root)).isEmpty());
    QVERIFY(model.fieldPath(model.index(2, 0, root)).isEmpty());
    QCOMPARE(model.fieldPath(model.index(1, 0, root)), QStringLiteral("it's"));
}

void tst_JsonTreeModel::stringsAreDecoded()
{
    JsonTreeModel model;
    model.setDocument(R"(["tab\there", "\u00e9\ud83d\ude00", "line\nbreak", "\"q\" \\ \/"])");
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(model.valueText(model.index(0, 0, root)), QStringLiteral("tab\there"));
    QCOMPARE(model.valueText(model.index(1, 0, root)), QString::fromUtf8("\u00e9\U0001F600"));
    QCOMPARE(model.valueText(model.index(2, 0, root)), QStringLiteral("line\nbreak"));
    QCOMPARE(model.valueText(model.index(3, 0, root)), QStringLiteral("\"q\" \\ /"));
    // The value column keeps to one line.
    QCOMPARE(model.index(2, 1, root).data().toString(), QStringLiteral("\"line\\nbreak\""));
    const QString longText(500, u'y');
    model.setDocument("[\"" + longText.toUtf8() + "\"]");
    const QString preview = model.index(0, 1, model.index(0, 0)).data().toString();
    QCOMPARE(preview.size(), JsonTreeModel::PreviewChars + 2);
    QVERIFY(preview.endsWith(u'\u2026'));
}

void tst_JsonTreeModel::scalarsAtTheRoot()
{
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDocument("  -12.5e3 ");
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("-12.5e3"));
    QVERIFY(!model.hasChildren(model.index(0, 0)));
    model.setDocument("\"s\"");
    QCOMPARE(model.valueText(model.index(0, 0)), QStringLiteral("s"));
    model.setDocument("   ");
    QCOMPARE(model.rowCount(), 0);
}

void tst_JsonTreeModel::childrenAreMadeWhenAskedFor()
{
    QByteArray json = "[";
    for (int i = 0; i < 1000; ++i)
        json += (i ? "," : "") + QByteArray(R"({"k":[1,2,3],"v":"x"})");
    json += "]";
    JsonTreeModel model;
    model.setDocument(json);
    QCOMPARE(model.nodeCount(), 1);
    const QModelIndex root = model.index(0, 0);
    QVERIFY(model.hasChildren(root));
    QCOMPARE(model.nodeCount(), 1); // hasChildren makes none
    QCOMPARE(model.rowCount(root), 1000);
    QCOMPARE(model.nodeCount(), 1001);
    QCOMPARE(model.rowCount(model.index(999, 0, root)), 2);
    QCOMPARE(model.nodeCount(), 1003);
    // Prepared elsewhere (a worker): the root comes opened, and nothing else.
    const std::shared_ptr<JsonTreeModel::Skeleton> skeleton = JsonTreeModel::prepare(json);
    model.setDocument(json, skeleton);
    QCOMPARE(model.nodeCount(), 1001);
    QCOMPARE(model.rowCount(model.index(0, 0)), 1000);
    QCOMPARE(model.index(5, 1, model.index(0, 0)).data().toString(), QStringLiteral("{2 keys}"));
}

void tst_JsonTreeModel::textSearchCountsWithoutOverlap()
{
    const TextSearch::Result r
        = TextSearch::findInText(u"aaaa Aa", QStringLiteral("aa"), Qt::CaseInsensitive);
    QCOMPARE(r.offsets, (QList<qsizetype> { 0, 2, 5 }));
    QCOMPARE(r.length, 2);
    QVERIFY(!r.capped);
    QCOMPARE(TextSearch::findInText(u"aaaa Aa", QStringLiteral("aa"), Qt::CaseSensitive).offsets.size(), 2);
    QVERIFY(TextSearch::findInText(u"abc", QString(), Qt::CaseSensitive).offsets.isEmpty());
}

void tst_JsonTreeModel::bytesSearchReadsHexOrText()
{
    QCOMPARE(TextSearch::bytesNeedle(QStringLiteral("de AD be ef")), QByteArray::fromHex("deadbeef"));
    QCOMPARE(TextSearch::bytesNeedle(QStringLiteral("dead")), QByteArray::fromHex("dead"));
    QCOMPARE(TextSearch::bytesNeedle(QStringLiteral("abc")), QByteArray("abc")); // odd: text
    QCOMPARE(TextSearch::bytesNeedle(QStringLiteral("hello")), QByteArray("hello"));
    const QByteArray data = QByteArray::fromHex("00deadbeef") + "Hello hello";
    QCOMPARE(TextSearch::findInBytes(data, QByteArray::fromHex("adbe"), Qt::CaseSensitive).offsets,
        (QList<qsizetype> { 2 }));
    QCOMPARE(
        TextSearch::findInBytes(data, "HELLO", Qt::CaseInsensitive).offsets, (QList<qsizetype> { 5, 11 }));
    QCOMPARE(TextSearch::findInBytes(data, "hello", Qt::CaseSensitive).offsets, (QList<qsizetype> { 11 }));
}

void tst_JsonTreeModel::searchIsCapped()
{
    const QString text(TextSearch::MaxMatches + 10, u'x');
    const TextSearch::Result r = TextSearch::findInText(text, QStringLiteral("x"), Qt::CaseSensitive);
    QCOMPARE(r.offsets.size(), TextSearch::MaxMatches);
    QVERIFY(r.capped);
    int polls = 0;
    const TextSearch::Result stopped = TextSearch::findInText(
        text, QStringLiteral("x"), Qt::CaseSensitive, [&polls] { return ++polls == 3; });
    QCOMPARE(stopped.offsets.size(), 3 * 1024);
}

QTEST_GUILESS_MAIN(tst_JsonTreeModel)
#include "tst_JsonTreeModel.moc"
