#include "server/ReplyRules.h"

#include <QtTest>

using namespace wst;

namespace {

ReplyAction reply(const QString &text)
{
    ReplyAction a;
    a.text = text;
    return a;
}

ReplyAction delay(int ms)
{
    ReplyAction a;
    a.type = ReplyAction::Type::Delay;
    a.delayMs = ms;
    return a;
}

ReplyAction toOthers(const QString &text)
{
    ReplyAction a;
    a.type = ReplyAction::Type::Broadcast;
    a.text = text;
    return a;
}

ReplyAction closeWith(int code, const QString &reason = {})
{
    ReplyAction a;
    a.type = ReplyAction::Type::Close;
    a.closeCode = code;
    a.closeReason = reason;
    return a;
}

ReplyRule rule(ReplyRule::Match match, const QString &value, const QList<ReplyAction> &actions,
    const QString &field = {})
{
    ReplyRule r;
    r.match = match;
    r.value = value;
    r.field = field;
    r.actions = actions;
    return r;
}

} // namespace

Q_DECLARE_METATYPE(wst::ReplyRule)

class tst_ReplyRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validate_data();
    void validate();
    void parseReportsWhatValidateSays_data();
    void parseReportsWhatValidateSays();
    void describe_data();
    void describe();
    void jsonPathFields_data();
    void jsonPathFields();
    void expandTemplates_data();
    void expandTemplates();
    void broadcastRoundTrip();
    void ruleFaults();
};

void tst_ReplyRules::validate_data()
{
    using M = ReplyRule::Match;
    QTest::addColumn<ReplyRule>("rule");
    QTest::addColumn<QString>("problem"); // empty: usable

    QTest::newRow("exact reply") << rule(M::Exact, QStringLiteral("ping"), { reply(QStringLiteral("pong")) })
                                 << QString();
    QTest::newRow("empty exact value is allowed") << rule(M::Exact, QString(), { delay(10) }) << QString();
    QTest::newRow("regex ok") << rule(M::Regex, QStringLiteral("^a(\\d+)$"), { reply(QStringLiteral("x")) })
                              << QString();
    QTest::newRow("regex broken") << rule(M::Regex, QStringLiteral("a("), { reply(QStringLiteral("x")) })
                                  << QStringLiteral(
                                         "the regular expression is not valid at offset 2: missing closing "
                                         "parenthesis.");
    QTest::newRow("json without field")
        << rule(M::JsonField, QStringLiteral("x"), { reply(QStringLiteral("y")) })
        << QStringLiteral("a JSON field match needs a field path, such as op.");
    QTest::newRow("json blank field") << rule(M::JsonField, QString(), { reply(QStringLiteral("y")) },
        QStringLiteral("  ")) << QStringLiteral("a JSON field match needs a field path, such as op.");
    QTest::newRow("json with field") << rule(M::JsonField, QString(), { reply(QStringLiteral("y")) },
        QStringLiteral("op")) << QString();
    QTest::newRow("json path field") << rule(
        M::JsonField, QString(), { reply(QStringLiteral("y")) }, QStringLiteral("$.data.items[0].id"))
                                     << QString();
    QTest::newRow("template path ok") << rule(M::Exact, QStringLiteral("x"),
        { reply(QStringLiteral("hi {{$.user}}")), toOthers(QStringLiteral("{{$.user}} joined")) })
                                      << QString();
    QTest::newRow("template path broken")
        << rule(M::Exact, QStringLiteral("x"), { delay(1), toOthers(QStringLiteral("{{$.a[}} joined")) })
        << QStringLiteral(
               "action 2: the JSON path $.a[ is not valid: position 5: expected an index, \"*\" or a quoted "
               "name in brackets.");
    QTest::newRow("json path broken")
        << rule(M::JsonField, QString(), { reply(QStringLiteral("y")) }, QStringLiteral("$.a["))
        << QStringLiteral("the JSON path $.a[ is not valid: position 5: expected an index, \"*\" or a quoted "
                          "name in brackets.");
    QTest::newRow("no actions") << rule(M::Contains, QStringLiteral("x"), {})
                                << QStringLiteral("add at least one action (a reply, a delay or a close).");
    QTest::newRow("close 1005") << rule(
        M::Exact, QStringLiteral("x"), { reply(QStringLiteral("a")), closeWith(1005) })
                                << QStringLiteral(
                                       "action 2: Close code 1005 never appears in a Close frame: use "
                                       "1000-1003, 1007-1014 or 3000-4999.");
    QTest::newRow("close reason too long")
        << rule(M::Exact, QStringLiteral("x"), { closeWith(4000, QString(124, QLatin1Char('r'))) })
        << QStringLiteral("action 1: The close reason is 124 bytes in UTF-8; at most 123 are allowed.");
    QTest::newRow("negative delay") << rule(M::Exact, QStringLiteral("x"), { delay(-1) })
                                    << QStringLiteral("action 1: the delay cannot be negative.");
    QTest::newRow("close 4000 ok") << rule(
        M::Exact, QStringLiteral("x"), { closeWith(4000, QStringLiteral("bye")) })
                                   << QString();
}

void tst_ReplyRules::validate()
{
    QFETCH(ReplyRule, rule);
    QFETCH(QString, problem);
    QCOMPARE(ReplyRules::validate(rule), problem);
}

void tst_ReplyRules::parseReportsWhatValidateSays_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    QTest::newRow("regex") << QByteArray(R"([{"match": "regex", "value": "(", "actions": [{"reply": "y"}]}])")
                           << QStringLiteral(
                                  "Rule 1: the regular expression is not valid at offset 1: missing "
                                  "closing parenthesis.");
    QTest::newRow("json field") << QByteArray(
        R"([{"match": "exact", "value": "a", "actions": [{"reply": "b"}]},
                                                  {"match": "json", "value": "x", "actions": [{"reply": "y"}]}])")
                                << QStringLiteral(
                                       "Rule 2: a JSON field match needs a field path, such as op.");
    QTest::newRow("empty actions") << QByteArray(
        R"({"rules": [{"match": "exact", "value": "x", "actions": []}]})")
                                   << QStringLiteral(
                                          "Rule 1: add at least one action (a reply, a delay or a close).");
    QTest::newRow("missing actions") << QByteArray(R"({"rules": [{"match": "exact", "value": "x"}]})")
                                     << QStringLiteral("Rule 1: \"actions\" is missing or empty.");
    QTest::newRow("close code")
        << QByteArray(R"([{"match": "exact", "value": "x", "actions": [{"close": 1005}]}])")
        << QStringLiteral("Rule 1: action 1: Close code 1005 never appears in a Close frame: use "
                          "1000-1003, 1007-1014 or 3000-4999.");
    QTest::newRow("valid") << QByteArray(
        R"([{"match": "contains", "value": "x", "actions": [{"delay": 5}, {"close": 4000}]}])")
                           << QString();
}

void tst_ReplyRules::parseReportsWhatValidateSays()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString actual = QStringLiteral("(not set)");
    const QList<ReplyRule> rules = ReplyRules::parse(json, &actual);
    QCOMPARE(actual, error);
    QCOMPARE(rules.isEmpty(), !error.isEmpty());
    for (const ReplyRule &r : rules)
        QCOMPARE(ReplyRules::validate(r), QString());
}

void tst_ReplyRules::describe_data()
{
    using M = ReplyRule::Match;
    QTest::addColumn<ReplyRule>("rule");
    QTest::addColumn<QString>("text");

    QTest::newRow("exact") << rule(M::Exact, QStringLiteral("ping"), { reply(QStringLiteral("pong")) })
                           << QStringLiteral("= \u201cping\u201d \u2192 reply \u201cpong\u201d");
    QTest::newRow("contains, three actions")
        << rule(M::Contains, QStringLiteral("help"),
               { delay(500), reply(QStringLiteral("{{message}}")), closeWith(4000) })
        << QStringLiteral(
               "contains \u201chelp\u201d \u2192 wait 500 ms, reply \u201c{{message}}\u201d, close 4000");
    QTest::newRow("regex") << rule(M::Regex, QStringLiteral("^a$"), { closeWith(1000) })
                           << QStringLiteral("/^a$/ \u2192 close 1000");
    QTest::newRow("json field exists") << rule(M::JsonField, QString(), { delay(1) }, QStringLiteral("op"))
                                       << QStringLiteral("has op \u2192 wait 1 ms");
    QTest::newRow("json field value") << rule(M::JsonField, QStringLiteral("sub"), { delay(1) },
        QStringLiteral("op")) << QStringLiteral("op = \u201csub\u201d \u2192 wait 1 ms");
    QTest::newRow("to the others") << rule(
        M::Exact, QStringLiteral("join"), { toOthers(QStringLiteral("hi")) })
                                   << QStringLiteral(
                                          "= \u201cjoin\u201d \u2192 to the others \u201chi\u201d");
    QTest::newRow("no actions") << rule(M::Exact, QStringLiteral("x"), {})
                                << QStringLiteral("= \u201cx\u201d \u2192 nothing");
    QTest::newRow("long value elided, lines joined")
        << rule(M::Exact, QStringLiteral("line one\nline two and a lot more text"),
               { reply(QStringLiteral("0123456789012345678901")) })
        << QStringLiteral("= \u201cline one line two and a lot\u2026\u201d \u2192 reply "
                          "\u201c0123456789012345678\u2026\u201d");
}

void tst_ReplyRules::describe()
{
    QFETCH(ReplyRule, rule);
    QFETCH(QString, text);
    QCOMPARE(ReplyRules::describe(rule), text);
}

// The reply rules share the scenarios' JSON path evaluator: the dotted form keeps working, and
// "$" paths (with descendants and negative indexes) work too.
void tst_ReplyRules::jsonPathFields_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("matches");
    QTest::newRow("dotted") << QStringLiteral("data.items.1.id") << QStringLiteral("7") << true;
    QTest::newRow("dotted miss") << QStringLiteral("data.items.2.id") << QString() << false;
    QTest::newRow("path") << QStringLiteral("$.data.items[-1].id") << QStringLiteral("7") << true;
    QTest::newRow("descendants") << QStringLiteral("$..op") << QStringLiteral("sub") << true;
    QTest::newRow("path value differs") << QStringLiteral("$.op") << QStringLiteral("x") << false;
}

void tst_ReplyRules::jsonPathFields()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(bool, matches);
    const ReplyRule r = rule(ReplyRule::Match::JsonField, value, { delay(1) }, field);
    QCOMPARE(r.matches(QStringLiteral(R"({"op":"sub","data":{"items":[{"id":1},{"id":7}]}})")), matches);
}

void tst_ReplyRules::expandTemplates_data()
{
    QTest::addColumn<QString>("templ");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    const QString join = QStringLiteral(R"({"op":"join","user":"ann","n":3,"tags":["a","b"]})");
    QTest::newRow("member") << QStringLiteral("{{$.user}} joined") << join << QStringLiteral("ann joined");
    QTest::newRow("number and array")
        << QStringLiteral("{{$.n}} {{$.tags}} {{$.tags[-1]}}") << join << QStringLiteral("3 [\"a\",\"b\"] b");
    QTest::newRow("missing is empty") << QStringLiteral("[{{$.nope}}]") << join << QStringLiteral("[]");
    QTest::newRow("not JSON is empty")
        << QStringLiteral("[{{$.user}}]") << QStringLiteral("plain") << QStringLiteral("[]");
    QTest::newRow("client and message")
        << QStringLiteral("{{client}}: {{message}}") << QStringLiteral("hi") << QStringLiteral("7: hi");
    // What the message brings is never expanded again.
    QTest::newRow("braces in the message")
        << QStringLiteral("{{message}} / {{$.v}}")
        << QStringLiteral(R"({"v":"{{message}} {{$.v}} {{client}}"})")
        << QStringLiteral(R"({"v":"{{message}} {{$.v}} {{client}}"} / {{message}} {{$.v}} {{client}})");
    QTest::newRow("unknown name kept")
        << QStringLiteral("{{other}} {{$.user}}") << join << QStringLiteral("{{other}} ann");
    QTest::newRow("unclosed kept") << QStringLiteral("{{$.user") << join << QStringLiteral("{{$.user");
}

void tst_ReplyRules::expandTemplates()
{
    QFETCH(QString, templ);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    QCOMPARE(ReplyRules::expand(templ, message, 7, QDateTime::currentDateTime()), expected);
}

void tst_ReplyRules::broadcastRoundTrip()
{
    QString error;
    const QList<ReplyRule> rules = ReplyRules::parse(
        R"({"rules": [{"match": "json", "field": "op", "value": "join",
            "actions": [{"reply": "welcome"}, {"broadcast": "{{$.user}} joined"}]}]})",
        &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rules.size(), 1);
    QCOMPARE(rules.first().actions.size(), 2);
    QCOMPARE(rules.first().actions.at(1).type, ReplyAction::Type::Broadcast);
    QCOMPARE(rules.first().actions.at(1).text, QStringLiteral("{{$.user}} joined"));
    const QList<ReplyRule> again = ReplyRules::parse(ReplyRules::toJson(rules), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(again.first().actions.at(1).type, ReplyAction::Type::Broadcast);
    QCOMPARE(again.first().actions.at(1).text, QStringLiteral("{{$.user}} joined"));
}

void tst_ReplyRules::ruleFaults()
{
    QString error;
    const QList<ReplyRule> rules = ReplyRules::parse(
        R"({"rules": [{"match": "exact", "value": "slow", "actions": [{"reply": "late"}],
            "faults": ["delay=300,jitter=20", "drop=10", "fragment=3", "seed=5"]},
            {"match": "exact", "value": "x", "actions": [{"reply": "y"}]}]})",
        &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rules.size(), 2);
    QCOMPARE(rules.at(0).faults.delayMs, 300);
    QCOMPARE(rules.at(0).faults.jitterMs, 20);
    QCOMPARE(rules.at(0).faults.dropPercent, 10);
    QCOMPARE(rules.at(0).faults.fragments, 3);
    QVERIFY(rules.at(1).faults.isEmpty());
    QVERIFY(ReplyRules::describe(rules.at(0))
                .endsWith(QStringLiteral("(faults: delay 300 ms \u00b1 20, drop 10 %, 3 frames a message)")));
    // Back and forth through the JSON; a rule without faults writes no key.
    const QByteArray json = ReplyRules::toJson(rules);
    QCOMPARE(json.count("\"faults\""), 1);
    const QList<ReplyRule> again = ReplyRules::parse(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(again.at(0).faults, rules.at(0).faults);
    // Connection faults are the server's; a bad spec names itself.
    ReplyRules::parse(R"({"rules": [{"match": "exact", "value": "a", "actions": [{"reply": "b"}],
        "faults": ["close=4000"]}]})",
        &error);
    QVERIFY2(error.startsWith(QStringLiteral("Rule 1: a rule's faults can be delay")), qPrintable(error));
    ReplyRules::parse(R"({"rules": [{"match": "exact", "value": "a", "actions": [{"reply": "b"}],
        "faults": ["drop=200"]}]})",
        &error);
    QVERIFY2(error.startsWith(QStringLiteral("Rule 1: fault \u201cdrop=200\u201d")), qPrintable(error));
    ReplyRules::parse(R"({"rules": [{"match": "exact", "value": "a", "actions": [{"reply": "b"}],
        "faults": "drop=2"}]})",
        &error);
    QVERIFY2(error.contains(QStringLiteral("must be a list")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ReplyRules)
#include "tst_ReplyRules.moc"
