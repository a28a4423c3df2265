#include "format/MessageDiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace wst;

class tst_MessageDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonChanges();
    void jsonArraysAndTypes();
    void jsonPathsQuoteOddNames();
    void jsonIdenticalAndTruncated();
    void textDiff_data();
    void textDiff();
    void textDiffRebuildsBothSides();
    void textDiffTooLargeSaysSo();
    void hugeSimilarInputsAreQuick();
};

namespace {

QJsonValue parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

using Type = MessageDiff::JsonChange::Type;
using Op = MessageDiff::Line::Op;

QString render(const MessageDiff::TextResult &r)
{
    QStringList out;
    for (const MessageDiff::Line &l : r.lines)
        out << (l.op == Op::Same           ? QStringLiteral(" ")
                       : l.op == Op::Added ? QStringLiteral("+")
                                           : QStringLiteral("-"))
                + l.text;
    return out.join(u'|');
}

} // namespace

void tst_MessageDiff::jsonChanges()
{
    const QList<MessageDiff::JsonChange> changes
        = MessageDiff::diffJson(parse(R"({"type":"trade","price":100,"gone":true,"data":{"a":1,"b":[1,2]}})"),
            parse(R"({"type":"trade","price":101.5,"data":{"a":1,"b":[1,3],"c":null},"new":"x"})"));
    QCOMPARE(changes.size(), 5);
    QCOMPARE(changes.at(0).path, QStringLiteral("$.data.b[1]"));
    QCOMPARE(changes.at(0).type, Type::Changed);
    QCOMPARE(changes.at(0).before, QJsonValue(2));
    QCOMPARE(changes.at(0).after, QJsonValue(3));
    QCOMPARE(changes.at(1).path, QStringLiteral("$.data.c"));
    QCOMPARE(changes.at(1).type, Type::Added);
    QVERIFY(changes.at(1).before.isUndefined());
    QVERIFY(changes.at(1).after.isNull());
    QCOMPARE(changes.at(2).path, QStringLiteral("$.gone"));
    QCOMPARE(changes.at(2).type, Type::Removed);
    QCOMPARE(changes.at(2).before, QJsonValue(true));
    QCOMPARE(changes.at(3).path, QStringLiteral("$.price"));
    QCOMPARE(changes.at(3).after, QJsonValue(101.5));
    QCOMPARE(changes.at(4).path, QStringLiteral("$.new"));
    QCOMPARE(changes.at(4).type, Type::Added);
}

void tst_MessageDiff::jsonArraysAndTypes()
{
    QList<MessageDiff::JsonChange> c = MessageDiff::diffJson(QJsonArray { 1, 2, 3 }, QJsonArray { 1 });
    QCOMPARE(c.size(), 2);
    QCOMPARE(c.at(0).path, QStringLiteral("$[1]"));
    QCOMPARE(c.at(0).type, Type::Removed);
    QCOMPARE(c.at(1).path, QStringLiteral("$[2]"));
    // An object that became a string is one change, not a list of removed members.
    c = MessageDiff::diffJson(parse(R"({"a":{"x":1,"y":2}})"), parse(R"({"a":"flat"})"));
    QCOMPARE(c.size(), 1);
    QCOMPARE(c.at(0).path, QStringLiteral("$.a"));
    QCOMPARE(c.at(0).type, Type::Changed);
    QVERIFY(c.at(0).before.isObject());
    // 1 and 1.0 are the same number; "1" is not.
    QVERIFY(MessageDiff::diffJson(parse(R"({"a":1})"), parse(R"({"a":1.0})")).isEmpty());
    QCOMPARE(MessageDiff::diffJson(parse(R"({"a":1})"), parse(R"({"a":"1"})")).size(), 1);
}

void tst_MessageDiff::jsonPathsQuoteOddNames()
{
    const QList<MessageDiff::JsonChange> c = MessageDiff::diffJson(
        parse(R"({"a b":1,"x.y":1,"it's":1,"":1})"), parse(R"({"a b":2,"x.y":2,"it's":2,"":2})"));
    QStringList paths;
    for (const auto &change : c)
        paths << change.path;
    QCOMPARE(paths,
        (QStringList { QStringLiteral("$['']"), QStringLiteral("$['a b']"), QStringLiteral("$['it\\'s']"),
            QStringLiteral("$['x.y']") }));
}

void tst_MessageDiff::jsonIdenticalAndTruncated()
{
    QVERIFY(MessageDiff::diffJson(parse(R"({"a":[1,{"b":2}]})"), parse(R"({"a":[1,{"b":2}]})")).isEmpty());
    QJsonArray a, b;
    for (int i = 0; i < 50000; ++i) {
        a.append(i);
        b.append(i + 1);
    }
    bool truncated = false;
    const QList<MessageDiff::JsonChange> c = MessageDiff::diffJson(a, b, 100, &truncated);
    QCOMPARE(c.size(), 100);
    QVERIFY(truncated);
    MessageDiff::diffJson(a, a, 100, &truncated);
    QVERIFY(!truncated);
}

void tst_MessageDiff::textDiff_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("expected");
    QTest::newRow("same") << "a\nb"
                          << "a\nb"
                          << " a| b";
    QTest::newRow("both empty") << ""
                                << ""
                                << "";
    QTest::newRow("from empty") << ""
                                << "a\nb"
                                << "+a|+b";
    QTest::newRow("to empty") << "a\nb"
                              << ""
                              << "-a|-b";
    QTest::newRow("change middle") << "a\nb\nc"
                                   << "a\nx\nc"
                                   << " a|-b|+x| c";
    QTest::newRow("insert") << "a\nc"
                            << "a\nb\nc"
                            << " a|+b| c";
    QTest::newRow("crlf") << "a\r\nb"
                          << "a\nb"
                          << " a| b";
    QTest::newRow("classic") << "a\nb\nc\na\nb\nb\na"
                             << "c\nb\na\nb\na\nc"
                             << "-a|-b| c|+b| a| b|-b| a|+c";
}

void tst_MessageDiff::textDiff()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QString, expected);
    const MessageDiff::TextResult r = MessageDiff::diffText(before, after);
    QVERIFY(r.problem.isEmpty());
    QCOMPARE(render(r), expected);
}

void tst_MessageDiff::textDiffRebuildsBothSides()
{
    // Random edits: the kept and removed lines are the first text, kept and added the second,
    // and the line numbers count each side.
    QRandomGenerator rng(1234);
    for (int round = 0; round < 200; ++round) {
        QStringList a, b;
        const int n = int(rng.bounded(40));
        for (int i = 0; i < n; ++i)
            a << QString::number(rng.bounded(6));
        b = a;
        const int edits = int(rng.bounded(10));
        for (int e = 0; e < edits; ++e) {
            const int at = b.isEmpty() ? 0 : int(rng.bounded(b.size()));
            if (rng.bounded(2) && !b.isEmpty())
                b.removeAt(at);
            else
                b.insert(at, QString::number(rng.bounded(6)));
        }
        const MessageDiff::TextResult r = MessageDiff::diffText(a.join(u'\n'), b.join(u'\n'));
        QVERIFY(r.problem.isEmpty());
        QStringList left, right;
        int removedOrAdded = 0;
        for (const MessageDiff::Line &l : r.lines) {
            if (l.op != Op::Added) {
                left << l.text;
                QCOMPARE(l.beforeLine, left.size());
            }
            if (l.op != Op::Removed) {
                right << l.text;
                QCOMPARE(l.afterLine, right.size());
            }
            removedOrAdded += l.op != Op::Same;
        }
        QCOMPARE(left, a);
        QCOMPARE(right, b);
        QVERIFY(removedOrAdded <= 2 * edits); // a shortest script is never longer than the edits made
    }
}

void tst_MessageDiff::textDiffTooLargeSaysSo()
{
    QStringList a, b;
    for (int i = 0; i < 3000; ++i) {
        a << QStringLiteral("a%1").arg(i);
        b << QStringLiteral("b%1").arg(i);
    }
    const MessageDiff::TextResult r = MessageDiff::diffText(a.join(u'\n'), b.join(u'\n'), 2000);
    QVERIFY(r.lines.isEmpty());
    QCOMPARE(r.problem,
        QStringLiteral("The messages differ in more than 2,000 lines: too many to compare line by line."));
}

void tst_MessageDiff::hugeSimilarInputsAreQuick()
{
    // 200,000 lines with a few changes: the common head and tail and Myers keep it fast.
    QStringList a;
    for (int i = 0; i < 200000; ++i)
        a << QStringLiteral("line %1").arg(i);
    QStringList b = a;
    b[100] = QStringLiteral("changed");
    b.insert(150000, QStringLiteral("inserted"));
    b.removeAt(199000);
    QElapsedTimer clock;
    clock.start();
    const MessageDiff::TextResult r = MessageDiff::diffText(a.join(u'\n'), b.join(u'\n'));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(r.problem.isEmpty());
    int changes = 0;
    for (const MessageDiff::Line &l : r.lines)
        changes += l.op != Op::Same;
    QCOMPARE(changes, 4);
    QCOMPARE(r.lines.size(), 200002);
}

QTEST_GUILESS_MAIN(tst_MessageDiff)
#include "tst_MessageDiff.moc"
