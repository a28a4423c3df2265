#include "messages/FilterExpression.h"
#include "messages/HighlightRules.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace wst;

class tst_FilterExpression : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matches_data();
    void matches();
    void malformed_data();
    void malformed();
    void looksLikeExpression();
    void deepNestingIsRefused();
    void highlightRulesFirstMatchWins();
    void highlightRulesJson();
    void jsonColumnsShowValues();
    void filterModelByExpression();
    void filterModelKeepsTextSyntax();
    void requiredTextPrefilter();
    void filterModelSortsByJsonColumn();
    void sortedRowsMergeNewArrivals();
    void largeSortIsSlicedAndFinishes();
};

namespace {

QJsonValue doc(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

struct Fixture
{
    std::shared_ptr<MessageStore> store = std::make_shared<MessageStore>();
    MessageLogModel model { store };
    MessageFilterModel filter;
    std::optional<QAbstractItemModelTester> logTester;
    std::optional<QAbstractItemModelTester> filterTester;
    // The model testers walk every row on every change: not for large histories.
    explicit Fixture(bool tested = true)
    {
        model.setBatchInterval(1000000);
        filter.setSourceModel(&model);
        if (tested) {
            logTester.emplace(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            filterTester.emplace(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        }
    }
    void add(const char *text, Direction d = Direction::In)
    {
        store->appendText(d, Kind::Text, QString::fromUtf8(text), nowUs());
    }
    QStringList column(int column) const
    {
        QStringList values;
        for (int r = 0; r < filter.rowCount(); ++r)
            values << filter.index(r, column).data().toString();
        return values;
    }
};

} // namespace

void tst_FilterExpression::matches_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("json");
    QTest::addColumn<bool>("expected");
    const QString trade = QStringLiteral(
        R"({"type":"trade","level":"info","data":{"price":101.5,"qty":"7","tags":["a","b"]},"user":null})");
    QTest::newRow("eq string") << "$.type == \"trade\"" << trade << true;
    QTest::newRow("eq single quotes") << "$.type == 'trade'" << trade << true;
    QTest::newRow("eq other") << "$.type == \"quote\"" << trade << false;
    QTest::newRow("gt number") << "$.data.price > 100" << trade << true;
    QTest::newRow("gt number false") << "$.data.price > 101.5" << trade << false;
    QTest::newRow("ge number") << "$.data.price >= 101.5" << trade << true;
    QTest::newRow("lt numeric string") << "$.data.qty < 10" << trade << true;
    QTest::newRow("eq numeric string") << "$.data.qty == 7" << trade << true;
    QTest::newRow("string is not a number") << "$.type > 1" << trade << false;
    QTest::newRow("ne") << "$.level != \"debug\"" << trade << true;
    QTest::newRow("ne same") << "$.level != \"info\"" << trade << false;
    QTest::newRow("ne missing passes") << "$.nothing != \"debug\"" << trade << true;
    QTest::newRow("exists") << "$.user" << trade << true; // null exists
    QTest::newRow("exists missing") << "$.missing" << trade << false;
    QTest::newRow("not exists") << "!$.missing" << trade << true;
    QTest::newRow("not word") << "not $.user" << trade << false;
    QTest::newRow("eq null") << "$.user == null" << trade << true;
    QTest::newRow("any of array") << "$.data.tags[*] == \"b\"" << trade << true;
    QTest::newRow("index") << "$.data.tags[0] == \"b\"" << trade << false;
    QTest::newRow("contains") << "$.type ~= \"RAD\"" << trade << true;
    QTest::newRow("and") << "$.type == \"trade\" && $.data.price < 200" << trade << true;
    QTest::newRow("and word") << "$.type == \"trade\" and $.data.price > 200" << trade << false;
    QTest::newRow("or") << "$.type == \"x\" || $.level == \"info\"" << trade << true;
    QTest::newRow("precedence") << "$.type == \"x\" || $.level == \"info\" && $.missing" << trade << false;
    QTest::newRow("parens") << "($.type == \"x\" || $.level == \"info\") && !$.missing" << trade << true;
    QTest::newRow("no spaces") << "$.data.price>100&&$.type==\"trade\"" << trade << true;
    QTest::newRow("bracket path with space") << "$['a b'] == 1" << QStringLiteral(R"({"a b":1})") << true;
    QTest::newRow("escaped quote") << "$.q == \"say \\\"hi\\\"\"" << QStringLiteral(R"({"q":"say \"hi\""})")
                                   << true;
    QTest::newRow("bool") << "$.ok == true" << QStringLiteral(R"({"ok":true})") << true;
    QTest::newRow("negative number") << "$.t < -5" << QStringLiteral(R"({"t":-7.5})") << true;
    QTest::newRow("not json") << "$.type" << QString() << false;
    QTest::newRow("not json ne") << "$.type != \"x\"" << QString() << true;
}

void tst_FilterExpression::matches()
{
    QFETCH(QString, expression);
    QFETCH(QString, json);
    QFETCH(bool, expected);
    QString error;
    const std::optional<FilterExpression> e = FilterExpression::parse(expression, &error);
    QVERIFY2(e, qPrintable(error));
    QVERIFY(error.isEmpty());
    const QJsonValue value = json.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                            : QJsonValue(QJsonDocument::fromJson(json.toUtf8()).object());
    QCOMPARE(e->matches(value), expected);
}

void tst_FilterExpression::malformed_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << ""
                           << "position 1: expected a JSON path such as $.type";
    QTest::newRow("no value") << "$.type =="
                              << "position 10: expected a value after \"==\"";
    QTest::newRow("single =") << "$.type = 1"
                              << "position 8: \"=\" is not an operator: compare with \"==\"";
    QTest::newRow("bare word") << "$.type == trade"
                               << "position 11: \"trade\" is not a value: quote text (\"trade\"), or write a "
                                  "number, true, false or null";
    QTest::newRow("open string") << "$.type == \"trade"
                                 << "position 11: the string that starts here is not closed";
    QTest::newRow("open paren") << "($.a == 1"
                                << "position 10: expected \")\" to close the \"(\" at position 1";
    QTest::newRow("trailing") << "$.a == 1 )"
                              << "position 10: unexpected \")\" after the end of the expression";
    QTest::newRow("bad path")
        << "$.a[ == 1"
        << "position 5: in the path: expected an index, \"*\" or a quoted name in brackets";
    QTest::newRow("dangling and") << "$.a &&"
                                  << "position 7: expected a JSON path such as $.type";
    QTest::newRow("not a path") << "type == 1"
                                << "position 1: expected a JSON path such as $.type, found \"type == 1\"";
}

void tst_FilterExpression::malformed()
{
    QFETCH(QString, expression);
    QFETCH(QString, error);
    QString got;
    QVERIFY(!FilterExpression::parse(expression, &got));
    QCOMPARE(got, error);
    QVERIFY(!got.contains(u'\n'));
}

void tst_FilterExpression::looksLikeExpression()
{
    QVERIFY(FilterExpression::looksLikeExpression(QStringLiteral("  $.type")));
    QVERIFY(FilterExpression::looksLikeExpression(QStringLiteral("!$.type")));
    QVERIFY(FilterExpression::looksLikeExpression(QStringLiteral("($.a == 1)")));
    QVERIFY(FilterExpression::looksLikeExpression(QStringLiteral("not $.a")));
    QVERIFY(!FilterExpression::looksLikeExpression(QStringLiteral("hello $.a")));
    QVERIFY(!FilterExpression::looksLikeExpression(QStringLiteral("type:ACK")));
    QVERIFY(!FilterExpression::looksLikeExpression(QString()));
}

void tst_FilterExpression::deepNestingIsRefused()
{
    QString error;
    const QString deep = QString(100000, u'(') + QStringLiteral("$.a");
    QVERIFY(!FilterExpression::parse(deep, &error));
    QVERIFY2(error.contains(QStringLiteral("nested more than 64 deep")), qPrintable(error));
    const QString bangs = QString(100000, u'!') + QStringLiteral("$.a");
    QVERIFY(!FilterExpression::parse(bangs, &error));
    // Long but flat is fine.
    QStringList parts;
    for (int i = 0; i < 5000; ++i)
        parts << QStringLiteral("$.k%1 == %1").arg(i);
    const std::optional<FilterExpression> flat
        = FilterExpression::parse(parts.join(QStringLiteral(" || ")), &error);
    QVERIFY2(flat, qPrintable(error));
    QVERIFY(flat->matches(doc(R"({"k4999": 4999})")));
    QVERIFY(!flat->matches(doc(R"({"k4999": 1})")));
}

void tst_FilterExpression::highlightRulesFirstMatchWins()
{
    HighlightRules rules;
    QStringList errors;
    rules.setRules({ { QStringLiteral("$.level == \"error\""), HighlightRules::Colour::Red, true },
                       { QStringLiteral("$.level =="), HighlightRules::Colour::Blue, true },
                       { QStringLiteral("$.level"), HighlightRules::Colour::Green, true },
                       { QStringLiteral("$.x"), HighlightRules::Colour::Purple, false } },
        &errors);
    QCOMPARE(errors, QStringList { QStringLiteral("rule 2: position 11: expected a value after \"==\"") });
    QCOMPARE(rules.match(doc(R"({"level":"error"})")), int(HighlightRules::Colour::Red));
    QCOMPARE(rules.match(doc(R"({"level":"info"})")), int(HighlightRules::Colour::Green));
    QCOMPARE(rules.match(doc(R"({"x":1})")), -1); // the rule is off
    QCOMPARE(rules.rules().size(), 4); // kept for the editor
}

void tst_FilterExpression::highlightRulesJson()
{
    HighlightRules rules;
    rules.setRules({ { QStringLiteral("$.a == 1"), HighlightRules::Colour::Orange, false } });
    QStringList errors;
    QList<HighlightRules::Rule> back = HighlightRules::fromJson(rules.toJson(), &errors);
    QVERIFY(errors.isEmpty());
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().expression, QStringLiteral("$.a == 1"));
    QCOMPARE(back.first().colour, HighlightRules::Colour::Orange);
    QCOMPARE(back.first().enabled, false);

    const QJsonArray bad
        = QJsonDocument::fromJson(R"([42, {"expression":"$.a"}, {"expression":"$.a","colour":"mauve"},
        {"expression":"$.a ==","colour":"red"}, {"expression":"$.b","colour":"Blue"}])")
              .array();
    back = HighlightRules::fromJson(bad, &errors);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().colour, HighlightRules::Colour::Blue);
    QCOMPARE(errors.size(), 4);
    QCOMPARE(errors.at(2), QStringLiteral("highlight rule 3 has an unknown colour \"mauve\": skipped"));
    QVERIFY2(errors.at(3).contains(QStringLiteral("position 7")), qPrintable(errors.at(3)));
}

void tst_FilterExpression::jsonColumnsShowValues()
{
    Fixture f;
    f.add(R"({"type":"trade","data":{"price":101.5}})");
    f.add("not json");
    f.add(R"({"type":"quote","data":{"price":"99"}})");
    f.store->appendBytes(Direction::Event, Kind::Info, "info", nowUs());
    f.model.publish();
    QSignalSpy columns(&f.filter, &QAbstractItemModel::columnsInserted);
    QString error;
    QVERIFY(!f.model.addJsonColumn(QStringLiteral("type"), &error));
    QVERIFY(error.contains(QStringLiteral("starts with")));
    QVERIFY(!f.model.addJsonColumn(QStringLiteral("$.a["), &error));
    QVERIFY(error.startsWith(QStringLiteral("position")));
    QVERIFY2(f.model.addJsonColumn(QStringLiteral("$.type"), &error), qPrintable(error));
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.data.price"), &error));
    QCOMPARE(columns.size(), 2);
    QCOMPARE(f.filter.columnCount(), MessageLogModel::ColumnCount + 2);
    QCOMPARE(f.filter.headerData(MessageLogModel::ColumnCount + 1, Qt::Horizontal).toString(),
        QStringLiteral("$.data.price"));
    QCOMPARE(f.column(MessageLogModel::ColumnCount),
        (QStringList { QStringLiteral("trade"), QString(), QStringLiteral("quote"), QString() }));
    QCOMPARE(f.column(MessageLogModel::ColumnCount + 1),
        (QStringList { QStringLiteral("101.5"), QString(), QStringLiteral("99"), QString() }));
    f.model.removeJsonColumn(0);
    QCOMPARE(f.model.jsonColumns(), QStringList { QStringLiteral("$.data.price") });
    QCOMPARE(f.filter.columnCount(), MessageLogModel::ColumnCount + 1);
}

void tst_FilterExpression::filterModelByExpression()
{
    Fixture f;
    f.add(R"({"type":"trade","price":120})");
    f.add(R"({"type":"trade","price":80})");
    f.add(R"({"type":"quote","price":150})");
    f.add("trade but not json");
    f.store->appendText(Direction::Event, Kind::Error, QStringLiteral("$.type == \"trade\""), nowUs());
    f.model.publish();
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.price"), nullptr));
    f.filter.setText(QStringLiteral("$.type == \"trade\""));
    QVERIFY(f.filter.isExpression());
    QVERIFY(f.filter.patternError().isEmpty());
    QCOMPARE(f.column(MessageLogModel::ColumnCount),
        (QStringList { QStringLiteral("120"), QStringLiteral("80") }));
    f.filter.setText(QStringLiteral("$.price > 100"));
    QCOMPARE(f.column(MessageLogModel::ColumnCount),
        (QStringList { QStringLiteral("120"), QStringLiteral("150") }));
    f.filter.setText(QStringLiteral("$.type != \"trade\""));
    QCOMPARE(f.filter.rowCount(), 2); // the quote and the text that is not JSON; events never
    // New rows are tested as they come.
    f.add(R"({"type":"news","price":1})");
    f.model.publish();
    QCOMPARE(f.filter.rowCount(), 3);
    f.filter.setText(QStringLiteral("$.price >"));
    QCOMPARE(f.filter.patternError(),
        QStringLiteral("Invalid expression: position 10: expected a value after \">\""));
    QCOMPARE(f.filter.rowCount(), 6); // an invalid filter hides nothing
}

void tst_FilterExpression::requiredTextPrefilter()
{
    const auto required = [](const QString &text) {
        QString error;
        const std::optional<FilterExpression> e = FilterExpression::parse(text, &error);
        return e ? e->requiredText() : QList<QByteArray> { error.toUtf8() };
    };
    QCOMPARE(required(QStringLiteral("$.type == \"trade\"")), QList<QByteArray> { "\"trade\"" });
    QCOMPARE(required(QStringLiteral("$.a == \"x y\" && ($.b == \"p\" || $.c == \"q\") && $.n > 3")),
        QList<QByteArray> { "\"x y\"" });
    QCOMPARE(required(QStringLiteral("$.a == 'say \"hi\"'")), QList<QByteArray>()); // JSON escapes the quotes
    QCOMPARE(required(QStringLiteral("$.a == \"a/b\"")), QList<QByteArray>()); // JSON may write \/
    QCOMPARE(required(QStringLiteral("$.a == \"caf\u00e9\"")), QList<QByteArray>());
    QCOMPARE(required(QStringLiteral("!($.a == \"x\")")), QList<QByteArray>());
    QCOMPARE(required(QStringLiteral("$.a == 5")), QList<QByteArray>());
    QCOMPARE(required(QStringLiteral("$.a ~= \"x\"")), QList<QByteArray>());

    // The filter skips rows without the quoted string, but never one that matches: a value
    // written with backslash-u escapes, or a row whose only "error" is elsewhere.
    Fixture f;
    f.add(R"({"level":"error","n":1})");
    f.add(R"({"level":"\u0065rror","n":2})");
    f.add(R"({"level":"info","msg":"error"})");
    f.add(R"({"level":"info","n":4})");
    f.model.publish();
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.n"), nullptr));
    f.filter.setText(QStringLiteral("$.level == \"error\""));
    QCOMPARE(
        f.column(MessageLogModel::ColumnCount), (QStringList { QStringLiteral("1"), QStringLiteral("2") }));
}

void tst_FilterExpression::filterModelKeepsTextSyntax()
{
    Fixture f;
    f.add(R"({"type":"trade"})");
    f.add("costs $5");
    f.model.publish();
    f.filter.setText(QStringLiteral("trade"));
    QVERIFY(!f.filter.isExpression());
    QCOMPARE(f.filter.rowCount(), 1);
    f.filter.setText(QStringLiteral("$5"));
    // "$…" is read as an expression now, and the bar says why it is not one.
    QVERIFY(!f.filter.isExpression());
    QVERIFY2(f.filter.patternError().startsWith(QStringLiteral("Invalid expression: position 2")),
        qPrintable(f.filter.patternError()));
    f.filter.setRegularExpression(true);
    f.filter.setText(QStringLiteral("\\$5"));
    QVERIFY(!f.filter.isExpression());
    QCOMPARE(f.filter.rowCount(), 1);
}

void tst_FilterExpression::filterModelSortsByJsonColumn()
{
    Fixture f;
    f.add(R"({"p":5,"n":"b"})");
    f.add(R"({"p":"12","n":"A"})");
    f.add("no json");
    f.add(R"({"p":-1,"n":"c"})");
    f.add(R"({"p":5,"n":"d"})");
    f.model.publish();
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.p"), nullptr));
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.n"), nullptr));
    const int p = MessageLogModel::ColumnCount;
    QSignalSpy done(&f.filter, &MessageFilterModel::sortFinished);
    f.filter.sort(p, Qt::AscendingOrder);
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(f.filter.isSorted());
    // Numbers by value, then text ("12" is text in the document), nothing last; ties by arrival.
    QCOMPARE(f.column(p + 1),
        (QStringList {
            QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("d"), QStringLiteral("A"), QString() }));
    f.filter.sort(p + 1, Qt::DescendingOrder);
    QTRY_COMPARE(done.size(), 2);
    QCOMPARE(f.column(p + 1),
        (QStringList {
            QStringLiteral("d"), QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("A"), QString() }));
    // Sorted and filtered at once.
    f.filter.setText(QStringLiteral("$.p"));
    QTRY_COMPARE(done.size(), 3);
    QCOMPARE(f.column(p + 1),
        (QStringList { QStringLiteral("d"), QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("A") }));
    f.filter.sort(-1);
    f.filter.setText(QString());
    QVERIFY(!f.filter.isFiltering());
    QCOMPARE(f.filter.index(0, p + 1).data().toString(), QStringLiteral("b"));
}

void tst_FilterExpression::sortedRowsMergeNewArrivals()
{
    Fixture f;
    f.add(R"({"p":10})");
    f.add(R"({"p":30})");
    f.model.publish();
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.p"), nullptr));
    const int p = MessageLogModel::ColumnCount;
    QSignalSpy done(&f.filter, &MessageFilterModel::sortFinished);
    f.filter.sort(p, Qt::DescendingOrder);
    QTRY_COMPARE(done.size(), 1);
    // A selected row stays selected (persistent index) when newer rows land around it.
    const QPersistentModelIndex ten = f.filter.index(1, p);
    QCOMPARE(ten.data().toString(), QStringLiteral("10"));
    f.add(R"({"p":20})");
    f.add(R"({"p":5})");
    f.add(R"({"p":40})");
    f.model.publish();
    QCOMPARE(f.column(p),
        (QStringList { QStringLiteral("40"), QStringLiteral("30"), QStringLiteral("20"), QStringLiteral("10"),
            QStringLiteral("5") }));
    QVERIFY(ten.isValid());
    QCOMPARE(ten.row(), 3);
    QCOMPARE(f.filter.mapToSource(ten).row(), 0);
    QCOMPARE(f.filter.mapFromSource(f.model.index(2, p)).row(), 2);
}

void tst_FilterExpression::largeSortIsSlicedAndFinishes()
{
    Fixture f(false);
    constexpr int Count = 300000;
    {
        MessageStore::Batch batch(*f.store);
        for (int i = 0; i < Count; ++i) {
            const QByteArray json
                = "{\"v\":" + QByteArray::number((qint64(i) * 7919) % Count) + ",\"pad\":\"xxxxxxxxxxxx\"}";
            batch.appendBytes(Direction::In, Kind::Text, json, i);
        }
    }
    f.model.publish();
    QVERIFY(f.model.addJsonColumn(QStringLiteral("$.v"), nullptr));
    const int v = MessageLogModel::ColumnCount;
    QSignalSpy done(&f.filter, &MessageFilterModel::sortFinished);
    QElapsedTimer clock;
    clock.start();
    f.filter.sort(v, Qt::AscendingOrder);
    // sort() returns after the first slice; the rest runs from the event loop.
    QVERIFY2(clock.elapsed() < 200, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!f.filter.isSorted());
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000);
    QCOMPARE(f.filter.rowCount(), Count);
    for (int r : { 0, 1, 1000, Count - 1 })
        QCOMPARE(f.filter.index(r, v).data().toString(), QString::number(r));
}

QTEST_GUILESS_MAIN(tst_FilterExpression)
#include "tst_FilterExpression.moc"
