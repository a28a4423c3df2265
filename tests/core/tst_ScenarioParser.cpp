// The scenario file parser: the issue's example reads as written, and every mistake is one line
// with the file, line, column, step number and key.
#include "format/JsonPath.h"
#include "scenario/ScenarioParser.h"

#include <QtTest>

using namespace wst;

namespace {

// A scenario with one connection "a" and these steps (JSON text of the array's contents).
QByteArray withSteps(const QByteArray &steps)
{
    return "{\n\"connections\": {\"a\": \"ws://127.0.0.1:1/\"},\n\"steps\": [\n" + steps + "\n]\n}\n";
}

} // namespace

class tst_ScenarioParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void issueExample();
    void stepKinds();
    void jsonChecks();
    void errors_data();
    void errors();
    void positionOfSyntaxError();
    void jsonPath_data();
    void jsonPath();
    void jsonPathErrors();
};

void tst_ScenarioParser::issueExample()
{
    QString error;
    const std::optional<Scenario> s
        = ScenarioParser::parseFile(QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json"), &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->name, QStringLiteral("chat: join and echo"));
    QCOMPARE(s->variables.value(QStringLiteral("user")), QStringLiteral("ann"));
    QCOMPARE(s->connections.size(), 2);
    const ScenarioConnection *a = s->connection(QStringLiteral("a"));
    QVERIFY(a);
    QCOMPARE(a->url, QStringLiteral("ws://127.0.0.1:{{port}}/chat"));
    QCOMPARE(a->subprotocols, QStringList { QStringLiteral("chat") });
    QCOMPARE(a->headers.size(), 1);
    QCOMPARE(s->steps.size(), 9);
    QCOMPARE(s->steps[0].type, ScenarioStep::Type::Connect);
    QCOMPARE(s->steps[0].expectStatus, 101);
    QCOMPARE(s->steps[0].expectSubprotocol.value_or(QString()), QStringLiteral("chat"));
    QCOMPARE(s->steps[2].type, ScenarioStep::Type::Send);
    QCOMPARE(s->steps[3].type, ScenarioStep::Type::Expect);
    QCOMPARE(s->steps[3].withinMs, 2000);
    QCOMPARE(s->steps[3].matcher.json.size(), 1);
    QCOMPARE(s->steps[3].saves.size(), 1);
    QCOMPARE(s->steps[3].saves[0].variable, QStringLiteral("token"));
    QCOMPARE(s->steps[6].withinMs, 5000); // the default
    QCOMPARE(s->steps[7].type, ScenarioStep::Type::ExpectNone);
    QCOMPARE(s->steps[7].withinMs, 500);
    QCOMPARE(s->steps[8].type, ScenarioStep::Type::Close);
    QCOMPARE(s->steps[8].expectCloseCode, 1000);
}

void tst_ScenarioParser::stepKinds()
{
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(withSteps(R"J(
        {"connect": "a", "expect": {"status": 403, "headers": {"WWW-Authenticate": true, "X-Id": "7"}}, "within": 100},
        {"send": "a", "json": {"op": "x",
                                "n": 1}},
        {"send": "a", "hex": "01 02 ff"},
        {"send": "a", "base64": "AQL/"},
        {"expect": "a", "hex": "0102ff", "strict": true},
        {"expect": "a", "close": 4001},
        {"expect": "a", "close": true},
        {"expect": "a"},
        {"wait": 250},
        {"ping": "a", "payload": "p", "within": 300},
        {"close": "a", "code": 4000, "reason": "bye"},
        {"expect": "a", "regex": "id=(\\d+)", "save": {"id": {"regex": "id=(\\d+)"}, "x": {"json": "$.x"}}}
    )J"),
        QString(), &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->steps.size(), 12);
    QCOMPARE(s->steps[0].expectStatus, 403);
    QCOMPARE(s->steps[0].expectHeaders.size(), 2);
    QCOMPARE(s->steps[1].body, QStringLiteral("{\"op\":\"x\",\"n\":1}")); // the file's order, compact
    QCOMPARE(s->steps[2].format, MessageFormat::Type::Hex);
    QCOMPARE(s->steps[3].format, MessageFormat::Type::Base64);
    QVERIFY(s->steps[4].strict);
    QCOMPARE(s->steps[5].type, ScenarioStep::Type::ExpectClose);
    QCOMPARE(s->steps[5].expectCloseCode, 4001);
    QCOMPARE(s->steps[6].expectCloseCode, -1);
    QVERIFY(s->steps[7].matcher.isEmpty());
    QCOMPARE(s->steps[8].type, ScenarioStep::Type::Wait);
    QCOMPARE(s->steps[8].withinMs, 250);
    QCOMPARE(s->steps[9].pingPayload, QStringLiteral("p"));
    QCOMPARE(s->steps[10].closeCode, 4000);
    QCOMPARE(s->steps[10].expectCloseCode, -1);
    QCOMPARE(s->steps[11].saves.size(), 2);
}

void tst_ScenarioParser::jsonChecks()
{
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(withSteps(R"J(
        {"expect": "a", "json": {"$.a": {"exists": true}, "$.b": {"exists": false}, "$.c": {"matches": "^x"},
                                 "$.n": {">": 1, "<=": 5}, "$.o": {"equals": {"exists": 1}}, "$.p": {"k": 1}}}
    )J"),
        QString(), &error);
    QVERIFY2(s, qPrintable(error));
    const QList<JsonCheck> &checks = s->steps[0].matcher.json;
    QCOMPARE(checks.size(), 7);
    QCOMPARE(checks[0].op, JsonCheck::Op::Exists);
    QCOMPARE(checks[1].op, JsonCheck::Op::Missing);
    QCOMPARE(checks[2].op, JsonCheck::Op::Matches);
    // An object that is not all operators is a value to compare with.
    QCOMPARE(checks[6].op, JsonCheck::Op::Equals);
    QVERIFY(checks[6].value.isObject());
}

void tst_ScenarioParser::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // the whole message after "t.wstest.json:"

    QTest::newRow("not json") << QByteArray("{\n  \"steps\": [,]\n}")
                              << QStringLiteral("2:14: not valid JSON: illegal value.");
    QTest::newRow("not an object") << QByteArray(
        "[]") << QStringLiteral(" a scenario is a JSON object with \"connections\" and \"steps\".");
    QTest::newRow("unknown top key")
        << QByteArray("{\"connections\": {\"a\": \"ws://x/\"}, \"stpes\": []}")
        << QStringLiteral("1:35: unknown key \"stpes\" in a scenario (expected one of: $schema, name, "
                          "description, comment, variables, connections, steps, onMessage).");
    QTest::newRow("name type") << QByteArray("{\"name\": 3}")
                               << QStringLiteral("1:10: \"name\" must be a string.");
    QTest::newRow("variables type") << QByteArray("{\"variables\": []}")
                                    << QStringLiteral(
                                           "1:15: \"variables\" must be an object of names and values.");
    QTest::newRow("variable name") << QByteArray("{\"variables\": {\"a b\": 1}}")
                                   << QStringLiteral(
                                          "1:23: variable \"a b\": not a name that can be used as {{name}}.");
    QTest::newRow("builtin variable")
        << QByteArray("{\"variables\": {\"uuid\": 1}}")
        << QStringLiteral("1:24: variable \"uuid\": not a name that can be used as {{name}}.");
    QTest::newRow("variable value")
        << QByteArray("{\"variables\": {\"a\": [1]}}")
        << QStringLiteral("1:21: variable \"a\": the value must be a string, a number or true/false.");
    QTest::newRow("no connections")
        << QByteArray("{\"steps\": []}")
        << QStringLiteral(
               "1:1: \"connections\" must name at least one connection: {\"a\": {\"url\": \"ws://…\"}}.");
    QTest::newRow("connection type")
        << QByteArray("{\"connections\": {\"a\": 1}}")
        << QStringLiteral("1:23: connection \"a\": a connection is {\"url\": \"ws://…\"} or just the URL.");
    QTest::newRow("connection key") << QByteArray(
        "{\"connections\": {\"a\": {\"url\": \"ws://x/\", \"header\": {}}}}")
                                    << QStringLiteral(
                                           "1:42: connection \"a\": unknown key \"header\" in a connection "
                                           "(expected one of: url, headers, subprotocols, origin, comment, "
                                           "onMessage, protocol, decoder).");
    QTest::newRow("no url") << QByteArray("{\"connections\": {\"a\": {}}}")
                            << QStringLiteral(
                                   "1:23: connection \"a\": \"url\" must be a ws:// or wss:// URL.");
    QTest::newRow("header value") << QByteArray(
        "{\"connections\": {\"a\": {\"url\": \"ws://x/\", \"headers\": {\"X\": 1}}}}")
                                  << QStringLiteral(
                                         "1:59: connection \"a\": header \"X\": the value must be a string.");
    QTest::newRow("subprotocols") << QByteArray(
        "{\"connections\": {\"a\": {\"url\": \"ws://x/\", \"subprotocols\": \"chat\"}}}")
                                  << QStringLiteral(
                                         "1:58: connection \"a\": \"subprotocols\" must be a list of names.");
    QTest::newRow("no steps") << QByteArray("{\"connections\": {\"a\": \"ws://x/\"}}")
                              << QStringLiteral("1:1: \"steps\" must be a list of at least one step.");
    QTest::newRow("step not object")
        << withSteps("1")
        << QStringLiteral(
               "4:1: step 1: a step is a JSON object such as {\"send\": \"a\", \"text\": \"hi\"}.");
    QTest::newRow("no kind")
        << withSteps("{\"text\": \"x\"}")
        << QStringLiteral("4:1: step 1: a step needs one of \"connect\", \"send\", \"expect\", "
                          "\"expectNone\", \"wait\", \"ping\", \"close\", \"script\" or \"command\".");
    QTest::newRow("two kinds")
        << withSteps("{\"send\": \"a\", \"wait\": 1}")
        << QStringLiteral("4:23: step 1: a step does one thing: this one has both \"send\" and \"wait\".");
    QTest::newRow("unknown connection")
        << withSteps("{\"wait\": 1}, {\"send\": \"b\", \"text\": \"x\"}")
        << QStringLiteral("4:23: step 2: \"send\": no connection named \"b\" (the file declares a).");
    QTest::newRow("connection not a string")
        << withSteps("{\"connect\": 1}")
        << QStringLiteral("4:13: step 1: \"connect\" must name a connection, such as \"a\".");
    QTest::newRow("within") << withSteps("{\"connect\": \"a\"},\n{\"expect\": \"a\", \"within\": \"2s\"}")
                            << QStringLiteral("5:27: step 2: \"within\" must be a number of milliseconds.");
    QTest::newRow("negative within") << withSteps("{\"expect\": \"a\", \"within\": -1}")
                                     << QStringLiteral(
                                            "4:27: step 1: \"within\" must be a number of milliseconds.");
    // Beyond any integer type (found by fuzz_scenario_file: the check cast it first).
    QTest::newRow("huge within") << withSteps("{\"expect\": \"a\", \"within\": 1.1e23}")
                                 << QStringLiteral(
                                        "4:27: step 1: \"within\" must be a number of milliseconds.");
    QTest::newRow("wait") << withSteps("{\"wait\": \"1s\"}")
                          << QStringLiteral("4:10: step 1: \"wait\" must be a number of milliseconds.");
    QTest::newRow("unknown step key")
        << withSteps("{\"expect\": \"a\", \"withn\": 5}")
        << QStringLiteral(
               "4:17: step 1: unknown key \"withn\" in a \"expect\" step (expected one of: name, comment, "
               "text, contains, regex, json, hex, base64, event, topic, destination, operation, type, id, "
               "qos, raw, expect, close, within, strict, save).");
    QTest::newRow("step name") << withSteps("{\"wait\": 1, \"name\": 2}")
                               << QStringLiteral("4:21: step 1: \"name\" must be a string.");
    QTest::newRow("connect expect type")
        << withSteps("{\"connect\": \"a\", \"expect\": 101}")
        << QStringLiteral("4:28: step 1: \"expect\" of a connect step is {\"status\": 101, \"subprotocol\": "
                          "…, \"headers\": {…}}.");
    QTest::newRow("status")
        << withSteps("{\"connect\": \"a\", \"expect\": {\"status\": 99}}")
        << QStringLiteral("4:39: step 1: \"status\" must be an HTTP status code such as 101 or 403.");
    QTest::newRow("subprotocol") << withSteps("{\"connect\": \"a\", \"expect\": {\"subprotocol\": 1}}")
                                 << QStringLiteral(
                                        "4:44: step 1: \"subprotocol\" must be a string (\"\" for none).");
    QTest::newRow("expect header")
        << withSteps("{\"connect\": \"a\", \"expect\": {\"headers\": {\"X\": 1}}}")
        << QStringLiteral("4:46: step 1: header \"X\": the value must be a string, or true for any value.");
    QTest::newRow("connect expect key")
        << withSteps("{\"connect\": \"a\", \"expect\": {\"code\": 1}}")
        << QStringLiteral("4:29: step 1: unknown key \"code\" in a connect step's \"expect\" (expected one "
                          "of: status, subprotocol, headers).");
    QTest::newRow("send nothing") << withSteps("{\"send\": \"a\"}")
                                  << QStringLiteral("4:1: step 1: a send step has exactly one of \"text\", "
                                                    "\"json\", \"hex\", \"base64\", \"file\", \"msgpack\", "
                                                    "\"cbor\", \"bson\" or \"protobuf\".");
    QTest::newRow("send two") << withSteps("{\"send\": \"a\", \"text\": \"x\", \"hex\": \"01\"}")
                              << QStringLiteral("4:35: step 1: a send step has exactly one of \"text\", "
                                                "\"json\", \"hex\", \"base64\", \"file\", \"msgpack\", "
                                                "\"cbor\", \"bson\" or \"protobuf\".");
    QTest::newRow("send protobuf without decoder")
        << withSteps("{\"send\": \"a\", \"protobuf\": {\"op\": \"x\"}}")
        << QStringLiteral(
               "4:27: step 1: \"protobuf\": connection \"a\" has no protobuf \"decoder\" to encode "
               "with; give it one, such as \"decoder\": {\"codec\": \"protobuf\", \"protoFiles\": "
               "[\"feed.proto\"], \"typeOut\": \"feed.Command\"}.");
    QTest::newRow("send msgpack bad json") << withSteps("{\"send\": \"a\", \"msgpack\": \"{x\"}")
                                           << QStringLiteral("4:26: step 1: \"msgpack\": ");
    QTest::newRow("decoder type")
        << QByteArray(
               "{\"connections\": {\"a\": {\"url\": \"ws://x/\", \"decoder\": \"protobuf\"}}, \"steps\": []}")
        << QStringLiteral("1:53: connection \"a\": \"decoder\" must be an object such as {\"codec\": ");
    QTest::newRow("decoder codec") << QByteArray(
        "{\"connections\": {\"a\": {\"url\": \"ws://x/\", \"decoder\": {\"codec\": \"zip\"}}}, "
        "\"steps\": []}")
                                   << QStringLiteral("1:53: connection \"a\": Decoder: unknown codec “zip” "
                                                     "(none, msgpack, cbor, bson or protobuf).");
    QTest::newRow("decoder proto file missing")
        << QByteArray(
               "{\"connections\": {\"a\": {\"url\": \"ws://x/\", \"decoder\": {\"codec\": \"protobuf\", "
               "\"protoFiles\": [\"no-such.proto\"], \"typeIn\": \"x.Y\"}}}, \"steps\": []}")
        << QStringLiteral("1:53: connection \"a\": Protobuf: %1 does not exist.")
               .arg(QDir::current().filePath(QStringLiteral("no-such.proto")));
    QTest::newRow("send text type") << withSteps("{\"send\": \"a\", \"text\": 1}")
                                    << QStringLiteral("4:23: step 1: \"text\" must be a string.");
    QTest::newRow("send bad json") << withSteps("{\"send\": \"a\", \"json\": \"{x\"}")
                                   << QStringLiteral("4:23: step 1: \"json\": ");
    QTest::newRow("send bad hex") << withSteps("{\"send\": \"a\", \"hex\": \"0g\"}")
                                  << QStringLiteral("4:22: step 1: \"hex\": Hex: ");
    QTest::newRow("send missing file") << withSteps("{\"send\": \"a\", \"file\": \"/nonexistent/x.bin\"}")
                                       << QStringLiteral("4:23: step 1: \"file\": File: ");
    QTest::newRow("bad regex")
        << withSteps("{\"expect\": \"a\", \"regex\": \"(\"}")
        << QStringLiteral("4:26: step 1: \"regex\" is not a valid regular expression at offset 1: ");
    QTest::newRow("contains type") << withSteps("{\"expect\": \"a\", \"contains\": 3}")
                                   << QStringLiteral("4:29: step 1: \"contains\" must be a string.");
    QTest::newRow("expect bad hex") << withSteps("{\"expect\": \"a\", \"hex\": \"abc\"}")
                                    << QStringLiteral("4:24: step 1: \"hex\": Hex: ");
    QTest::newRow("json type")
        << withSteps("{\"expect\": \"a\", \"json\": \"$.op\"}")
        << QStringLiteral("4:25: step 1: \"json\" must map JSON paths to values: {\"$.op\": \"welcome\"}.");
    QTest::newRow("json path") << withSteps("{\"expect\": \"a\", \"json\": {\"$.a[\": 1}}")
                               << QStringLiteral(
                                      "4:34: step 1: the JSON path \"$.a[\" is not valid: position 5: "
                                      "expected an index, \"*\" or a quoted name in brackets.");
    QTest::newRow("exists type") << withSteps("{\"expect\": \"a\", \"json\": {\"$.a\": {\"exists\": 1}}}")
                                 << QStringLiteral(
                                        "4:33: step 1: \"$.a\": \"exists\" must be true or false.");
    QTest::newRow("matches type") << withSteps("{\"expect\": \"a\", \"json\": {\"$.a\": {\"matches\": 1}}}")
                                  << QStringLiteral(
                                         "4:33: step 1: \"$.a\": \"matches\" must be a regular expression.");
    QTest::newRow("matches regex")
        << withSteps("{\"expect\": \"a\", \"json\": {\"$.a\": {\"matches\": \"[\"}}}")
        << QStringLiteral("4:25: step 1: \"json\" is not a valid regular expression at offset 1: ");
    QTest::newRow("compare type") << withSteps("{\"expect\": \"a\", \"json\": {\"$.a\": {\">\": \"3\"}}}")
                                  << QStringLiteral(
                                         "4:33: step 1: \"$.a\": \">\" must be compared with a number.");
    QTest::newRow("strict type") << withSteps("{\"expect\": \"a\", \"strict\": 1}")
                                 << QStringLiteral("4:27: step 1: \"strict\" must be true or false.");
    QTest::newRow("close code")
        << withSteps("{\"expect\": \"a\", \"close\": 999}")
        << QStringLiteral("4:26: step 1: \"close\" must be a close code (1000-4999) or true for any.");
    QTest::newRow("close with text")
        << withSteps("{\"expect\": \"a\", \"close\": 1000, \"text\": \"x\"}")
        << QStringLiteral(
               "4:40: step 1: an expected close has no message: \"text\" cannot be used with \"close\".");
    QTest::newRow("save type")
        << withSteps("{\"expect\": \"a\", \"save\": \"$.x\"}")
        << QStringLiteral(
               "4:25: step 1: \"save\" maps variable names to JSON paths: {\"token\": \"$.token\"}.");
    QTest::newRow("save name")
        << withSteps("{\"expect\": \"a\", \"save\": {\"a b\": \"$.x\"}}")
        << QStringLiteral("4:33: step 1: \"save\": \"a b\" is not a name that can be used as {{name}}.");
    QTest::newRow("save path") << withSteps("{\"expect\": \"a\", \"save\": {\"t\": 3}}")
                               << QStringLiteral("4:31: step 1: \"save\": \"t\" needs a JSON path "
                                                 "(\"$.token\") or {\"regex\": …, \"group\": 1}.");
    QTest::newRow("save bad path")
        << withSteps("{\"expect\": \"a\", \"save\": {\"t\": \"$x\"}}")
        << QStringLiteral("4:31: step 1: \"save\": \"t\" needs a JSON path (\"$.token\") or {\"regex\": …, "
                          "\"group\": 1}: position 2: expected \".\" or \"[\".");
    QTest::newRow("save regex")
        << withSteps("{\"expect\": \"a\", \"save\": {\"t\": {\"regex\": \"(\"}}}")
        << QStringLiteral("4:31: step 1: \"save\": \"t\": not a valid regular expression at offset 1: ");
    QTest::newRow("save group") << withSteps(
        "{\"expect\": \"a\", \"save\": {\"t\": {\"regex\": \"a(b)\", \"group\": 2}}}")
                                << QStringLiteral(
                                       "4:31: step 1: \"save\": \"t\": the expression has no group 2.");
    QTest::newRow("save group type")
        << withSteps("{\"expect\": \"a\", \"save\": {\"t\": {\"regex\": \"a\", \"group\": \"1\"}}}")
        << QStringLiteral("4:31: step 1: \"save\": \"t\": \"group\" must be a group number.");
    QTest::newRow("expectNone for") << withSteps("{\"expectNone\": \"a\", \"for\": true}")
                                    << QStringLiteral(
                                           "4:28: step 1: \"for\" must be a number of milliseconds.");
    QTest::newRow("expectNone within")
        << withSteps("{\"expectNone\": \"a\", \"within\": 5}")
        << QStringLiteral("4:21: step 1: unknown key \"within\" in a \"expectNone\" step (expected one of: "
                          "name, comment, text, contains, regex, json, hex, base64, event, topic, "
                          "destination, operation, type, id, qos, raw, expectNone, for).");
    QTest::newRow("ping payload type") << withSteps("{\"ping\": \"a\", \"payload\": 1}")
                                       << QStringLiteral("4:26: step 1: \"payload\" must be a string.");
    QTest::newRow("ping payload size")
        << withSteps("{\"ping\": \"a\", \"payload\": \"" + QByteArray(126, 'x') + "\"}")
        << QStringLiteral("4:26: step 1: \"payload\" is longer than a ping can carry (125 bytes).");
    QTest::newRow("close code type") << withSteps("{\"close\": \"a\", \"code\": \"1000\"}")
                                     << QStringLiteral(
                                            "4:24: step 1: \"code\" must be a close code such as 1000.");
    QTest::newRow("close code invalid")
        << withSteps("{\"close\": \"a\", \"code\": 1005}") << QStringLiteral("4:24: step 1: Close code 1005");
    QTest::newRow("close reason") << withSteps("{\"close\": \"a\", \"reason\": 1}")
                                  << QStringLiteral("4:26: step 1: \"reason\" must be a string.");
    QTest::newRow("close expect") << withSteps("{\"close\": \"a\", \"expect\": {\"status\": 1000}}")
                                  << QStringLiteral("4:26: step 1: \"expect\" of a close step is {\"code\": "
                                                    "1000}: the code the server's Close frame carries.");
}

void tst_ScenarioParser::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(json, QStringLiteral("t.wstest.json"), &error);
    QVERIFY(!s);
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    const QString prefix = QStringLiteral("t.wstest.json:");
    QVERIFY2(error.startsWith(prefix + expected),
        qPrintable(error + QStringLiteral("\n  expected: ") + prefix + expected));
}

void tst_ScenarioParser::positionOfSyntaxError()
{
    QString error;
    QVERIFY(!ScenarioParser::parse(
        "{\n  \"name\": \"x\",\n  \"steps\": [ {\"wait\": 1} \n", QStringLiteral("f.json"), &error));
    QVERIFY2(error.startsWith(QStringLiteral("f.json:4:1: not valid JSON")), qPrintable(error));
}

void tst_ScenarioParser::jsonPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("document");
    QTest::addColumn<QString>("expected"); // the selected values, compact, joined by " | "

    const QString doc = QStringLiteral(
        R"J({"op":"welcome","data":{"items":[{"id":1},{"id":2,"tags":["a","b"]}],"a b":true},"n":2.5,"z":null})J");
    QTest::newRow("root") << QStringLiteral("$") << QStringLiteral("[1]") << QStringLiteral("[1]");
    QTest::newRow("member") << QStringLiteral("$.op") << doc << QStringLiteral("welcome");
    QTest::newRow("nested index") << QStringLiteral("$.data.items[1].id") << doc << QStringLiteral("2");
    QTest::newRow("negative index") << QStringLiteral("$.data.items[-1].tags[0]") << doc
                                    << QStringLiteral("a");
    QTest::newRow("quoted") << QStringLiteral("$.data['a b']") << doc << QStringLiteral("true");
    QTest::newRow("double quoted") << QStringLiteral("$[\"op\"]") << doc << QStringLiteral("welcome");
    QTest::newRow("wildcard") << QStringLiteral("$.data.items[*].id") << doc << QStringLiteral("1 | 2");
    QTest::newRow("dot wildcard") << QStringLiteral("$.data.items[1].tags.*") << doc
                                  << QStringLiteral("a | b");
    QTest::newRow("descendants") << QStringLiteral("$..id") << doc << QStringLiteral("1 | 2");
    QTest::newRow("descendant index") << QStringLiteral("$..tags[1]") << doc << QStringLiteral("b");
    QTest::newRow("number") << QStringLiteral("$.n") << doc << QStringLiteral("2.5");
    QTest::newRow("null") << QStringLiteral("$.z") << doc << QStringLiteral("null");
    QTest::newRow("object") << QStringLiteral("$.data.items[0]") << doc << QStringLiteral("{\"id\":1}");
    QTest::newRow("missing") << QStringLiteral("$.nope.x") << doc << QString();
    QTest::newRow("out of range") << QStringLiteral("$.data.items[5]") << doc << QString();
    QTest::newRow("dotted form") << QStringLiteral("data.items.0.id") << doc << QStringLiteral("1");
    QTest::newRow("dotted numeric on array")
        << QStringLiteral("$.data.items.1.id") << doc << QStringLiteral("2");
    QTest::newRow("scalar document") << QStringLiteral("$") << QStringLiteral("\"x\"") << QStringLiteral("x");
    QTest::newRow("not json") << QStringLiteral("$") << QStringLiteral("{x") << QString();
}

void tst_ScenarioParser::jsonPath()
{
    QFETCH(QString, path);
    QFETCH(QString, document);
    QFETCH(QString, expected);
    QString error;
    const std::optional<JsonPath> p = JsonPath::parse(path, &error);
    QVERIFY2(p, qPrintable(error));
    QStringList values;
    for (const QJsonValue &v : p->evaluate(JsonPath::parseDocument(document.toUtf8())))
        values.append(JsonPath::scalarText(v));
    QCOMPARE(values.join(QLatin1String(" | ")), expected);
}

void tst_ScenarioParser::jsonPathErrors()
{
    const QStringList bad { QStringLiteral("$."), QStringLiteral("$.a["), QStringLiteral("$.a[x]"),
        QStringLiteral("$['a"), QStringLiteral("$a"), QStringLiteral("$.a[1"), QString() };
    for (const QString &path : bad) {
        QString error;
        QVERIFY2(!JsonPath::parse(path, &error), qPrintable(path));
        QVERIFY(!error.isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_ScenarioParser)
#include "tst_ScenarioParser.moc"
