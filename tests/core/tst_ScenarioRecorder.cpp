// ScenarioRecorder: a real exchange with the in-process chat server (ChatServer.h) recorded by
// ClientConnection, written as a scenario, read back by ScenarioParser and replayed by
// ScenarioRunner against the same server; looseness against a changed message; secrets.
#include "ChatServer.h"
#include "compose/ClientSettingsJson.h"
#include "compose/SecretValues.h"
#include "connection/ClientConnection.h"
#include "scenario/ScenarioParser.h"
#include "scenario/ScenarioRecorder.h"
#include "scenario/ScenarioRunner.h"

#include <QJsonArray>
#include <QtTest>

using namespace wst;

class tst_ScenarioRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void recordedSessionReplays();
    void selectionStartsWithAConnect();
    void looseness_data();
    void looseness();
    void chosenFields();
    void gapsAsWaits();
    void secretsAreVariables();
    void bracesAreKeptLiterally();

private:
    QJsonObject settings(const QJsonArray &headers = {}) const;
    ScenarioReport run(const QByteArray &json, const QMap<QString, QString> &variables = {});
    static bool waitForRow(const MessageStore &store, Direction d, Kind k, const QByteArray &payload);
    static std::shared_ptr<MessageStore> fakeHistory(const QByteArray &received);

    ChatServer m_chat;
};

void tst_ScenarioRecorder::initTestCase()
{
    QVERIFY(m_chat.listen());
}

void tst_ScenarioRecorder::cleanup()
{
    SecretValues::set({});
}

QJsonObject tst_ScenarioRecorder::settings(const QJsonArray &headers) const
{
    return QJsonObject { { QStringLiteral("url"),
                             QStringLiteral("ws://127.0.0.1:%1/chat").arg(m_chat.port()) },
        { QStringLiteral("headers"), headers },
        { QStringLiteral("subprotocols"), QJsonArray { QStringLiteral("chat") } } };
}

bool tst_ScenarioRecorder::waitForRow(
    const MessageStore &store, Direction d, Kind k, const QByteArray &payload)
{
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        for (qint64 i = 0; i < store.count(); ++i) {
            const MessageRow &r = store.row(i);
            if (r.direction == d && r.kind == k && (payload.isNull() || store.payload(i).contains(payload)))
                return true;
        }
        QTest::qWait(10);
    }
    return false;
}

ScenarioReport tst_ScenarioRecorder::run(const QByteArray &json, const QMap<QString, QString> &variables)
{
    QString error;
    const std::optional<Scenario> s = ScenarioParser::parse(json, QStringLiteral("rec.wstest.json"), &error);
    if (!s) {
        qWarning("%s\n%s", qPrintable(error), json.constData());
        return {};
    }
    ScenarioRunner runner;
    runner.setVariables(variables);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start(*s);
    if (!finished.wait(20000))
        qWarning("the run did not finish");
    return runner.report();
}

static QString describe(const ScenarioReport &r)
{
    QStringList lines;
    for (const StepReport &s : r.steps)
        lines
            << QStringLiteral("%1. %2 [%3]: %4").arg(s.number).arg(s.title).arg(int(s.outcome)).arg(s.detail);
    return lines.join(u'\n');
}

static QList<qint64> allRows(const MessageStore &store)
{
    QList<qint64> rows;
    for (qint64 i = 0; i < store.count(); ++i)
        rows.append(i);
    return rows;
}

void tst_ScenarioRecorder::recordedSessionReplays()
{
    // Two tabs' connections, as the window makes them, talking to the chat server.
    const QJsonArray headers { QJsonArray { QStringLiteral("X-User"), QStringLiteral("ann") },
        QJsonArray { QStringLiteral("Authorization"), QStringLiteral("Bearer s3cret-value") } };
    QString error;
    ClientConnection a;
    ClientConnection b;
    a.open(ClientSettingsJson::fromJson(settings(headers), &error));
    QVERIFY(error.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(a.state(), ClientConnection::State::Open, 10000);
    QJsonObject bSettings = settings();
    bSettings.remove(QStringLiteral("subprotocols"));
    b.open(ClientSettingsJson::fromJson(bSettings, &error));
    QTRY_COMPARE_WITH_TIMEOUT(b.state(), ClientConnection::State::Open, 10000);

    a.sendText(QStringLiteral(R"({"op":"join","user":"ann"})"));
    QVERIFY(waitForRow(*a.store(), Direction::In, Kind::Text, "welcome"));
    QVERIFY(waitForRow(*b.store(), Direction::In, Kind::Text, "ann joined"));
    a.sendText(QStringLiteral("__delay 150 later"));
    QVERIFY(waitForRow(*a.store(), Direction::In, Kind::Text, "later"));
    a.sendBinary(QByteArray("\x01\x02\x03", 3));
    QVERIFY(waitForRow(*a.store(), Direction::In, Kind::Binary, {}));
    QVERIFY(a.ping("p1"));
    QVERIFY(waitForRow(*a.store(), Direction::In, Kind::Pong, {}));
    b.sendText(QStringLiteral("__close 4001 bye"));
    QTRY_COMPARE_WITH_TIMEOUT(b.state(), ClientConnection::State::Closed, 10000);
    QVERIFY(a.close(1000, QStringLiteral("done")));
    QTRY_COMPARE_WITH_TIMEOUT(a.state(), ClientConnection::State::Closed, 10000);

    ScenarioRecorder recorder(
        { { QStringLiteral("Tab A"), settings(headers), a.store(), allRows(*a.store()) },
            { QStringLiteral("Tab B"), bSettings, b.store(), allRows(*b.store()) } });
    QList<RecordedStep::Type> types;
    for (const RecordedStep &s : recorder.steps())
        types << s.type;
    using T = RecordedStep::Type;
    const QList<T> expected { T::Connect, T::Connect, T::Send, T::Expect, T::Expect, T::Send, T::Expect,
        T::Send, T::Expect, T::Ping, T::Send, T::ExpectClose, T::Close };
    QCOMPARE(types, expected);
    // The welcome carries a new token each time: only "op" is checked by default.
    // (a's welcome and b's "ann joined" may be recorded in either order: two connections)
    const RecordedStep &welcome = recorder.steps().at(recorder.steps().at(3).connection == u"a" ? 3 : 4);
    QVERIFY(welcome.payload.contains("welcome"));
    QCOMPARE(welcome.looseness, RecordedStep::Looseness::JsonPath);
    QCOMPARE(welcome.chosenFields, QStringList { QStringLiteral("op") });
    QCOMPARE(recorder.steps().at(0).subprotocol, QStringLiteral("chat"));
    QVERIFY(recorder.steps().at(6).delayMs >= 150);

    const QByteArray json = recorder.toJson({ QStringLiteral("replay"), true });
    QVERIFY2(!json.contains("s3cret-value"), json.constData());
    QCOMPARE(recorder.missingVariables(), QStringList { QStringLiteral("authorization") });
    QVERIFY(json.contains(R"("Authorization": "{{authorization}}")"));
    QVERIFY(json.contains(R"({"send": "a", "json": {"op":"join","user":"ann"}})"));
    QVERIFY(json.contains(R"({"expect": "b", "close": 4001)"));
    QVERIFY(json.contains(R"({"close": "a", "code": 1000, "reason": "done", "expect": {"code": 1000}})"));

    QString parseError;
    const std::optional<Scenario> parsed
        = ScenarioParser::parse(json, QStringLiteral("r.wstest.json"), &parseError);
    QVERIFY2(parsed, qPrintable(parseError));
    QCOMPARE(parsed->connections.size(), 2);
    QVERIFY(parsed->connections.at(0).headers.contains(
        QPair<QString, QString>(QStringLiteral("Authorization"), QStringLiteral("{{authorization}}"))));

    const ScenarioReport report
        = run(json, { { QStringLiteral("authorization"), QStringLiteral("Bearer s3cret-value") } });
    QVERIFY2(report.passed(), qPrintable(describe(report) + u'\n' + QString::fromUtf8(json)));
    QVERIFY(report.steps.size() > expected.size()); // the waits
}

// A selection without the Open row still connects first, with the subprotocol it got then.
void tst_ScenarioRecorder::selectionStartsWithAConnect()
{
    auto store = fakeHistory(R"({"id":"abc123","n":5})");
    ScenarioRecorder recorder({ { QStringLiteral("t"), settings(), store, { 2, 3 } } });
    QCOMPARE(recorder.steps().size(), 3);
    QCOMPARE(recorder.steps().at(0).type, RecordedStep::Type::Connect);
    QCOMPARE(recorder.steps().at(0).subprotocol, QStringLiteral("chat"));
}

// A history as if recorded earlier: the server answered "__json" with `received`.
std::shared_ptr<MessageStore> tst_ScenarioRecorder::fakeHistory(const QByteArray &received)
{
    auto store = std::make_shared<MessageStore>();
    const qint64 t = nowUs();
    store->appendText(Direction::Event, Kind::Info, u"Connecting", t);
    store->appendText(Direction::Event, Kind::Open, u"chat", t + 1000);
    store->appendText(Direction::Out, Kind::Text, u"__json", t + 2000);
    store->appendBytes(Direction::In, Kind::Text, received, t + 5000);
    return store;
}

void tst_ScenarioRecorder::looseness_data()
{
    QTest::addColumn<RecordedStep::Looseness>("looseness");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("exact") << RecordedStep::Looseness::Exact << false
                           << QByteArray(R"("text": "{\"id\":\"abc123\",\"items\":[{\"id\":9}],\"n\":5}")");
    QTest::newRow("contains") << RecordedStep::Looseness::Contains << true
                              << QByteArray(R"("contains": "\"id\":\"abc123\"")");
    QTest::newRow("json path") << RecordedStep::Looseness::JsonPath << true
                               << QByteArray(R"("json": {"$.id": "abc123", "$.n": 5})");
}

// The server now sends {"id":"abc123","n":5,"items":[{"id":1},{"id":2}]}: what was recorded
// differs in "items", so only the looser expects pass.
void tst_ScenarioRecorder::looseness()
{
    QFETCH(RecordedStep::Looseness, looseness);
    QFETCH(bool, passes);
    QFETCH(QByteArray, written);
    auto store = fakeHistory(R"({"id":"abc123","items":[{"id":9}],"n":5})");
    ScenarioRecorder recorder({ { QStringLiteral("t"), settings(), store, allRows(*store) } });
    QCOMPARE(recorder.steps().size(), 3);
    RecordedStep &expect = recorder.steps()[2];
    QCOMPARE(expect.fields, (QStringList { QStringLiteral("id"), QStringLiteral("n") }));
    QCOMPARE(expect.delayMs, 3);
    expect.looseness = looseness;
    const QByteArray json = recorder.toJson({});
    QVERIFY2(json.contains(written), json.constData());
    QVERIFY2(json.contains(R"("within": 2000)"), json.constData());
    const ScenarioReport report = run(json);
    QVERIFY(!report.steps.isEmpty());
    QCOMPARE(report.passed(), passes);
    QCOMPARE(report.steps.at(0).outcome, StepReport::Outcome::Passed); // the connect
}

void tst_ScenarioRecorder::chosenFields()
{
    auto store = fakeHistory(R"({"token":"9f8e7d6c5b","at":1733350000000,"op":"welcome","ok":true})");
    ScenarioRecorder recorder({ { QStringLiteral("t"), settings(), store, allRows(*store) } });
    RecordedStep &expect = recorder.steps()[2];
    QCOMPARE(expect.chosenFields, (QStringList { QStringLiteral("ok"), QStringLiteral("op") }));
    QCOMPARE(expect.containsText, QStringLiteral(R"("ok":true)"));
    QVERIFY(recorder.toJson({}).contains(R"("json": {"$.ok": true, "$.op": "welcome"})"));
    expect.chosenFields = { QStringLiteral("op") };
    QVERIFY(recorder.toJson({}).contains(R"("json": {"$.op": "welcome"})"));
    // Nothing chosen: the members must be there, whatever their values.
    expect.chosenFields.clear();
    const QByteArray json = recorder.toJson({});
    QVERIFY2(json.contains(R"("$.at": {"exists": true})"), json.constData());
    QString error;
    QVERIFY2(ScenarioParser::parse(json, {}, &error), qPrintable(error));
}

void tst_ScenarioRecorder::gapsAsWaits()
{
    auto store = std::make_shared<MessageStore>();
    const qint64 t = nowUs();
    store->appendText(Direction::Event, Kind::Open, u"", t);
    store->appendText(Direction::Out, Kind::Text, u"one", t + 5000);
    store->appendText(Direction::In, Kind::Text, u"one", t + 6000);
    store->appendText(Direction::Out, Kind::Text, u"two", t + 1'506'000);
    ScenarioRecorder recorder({ { QStringLiteral("t"), settings(), store, allRows(*store) } });
    QVERIFY(!recorder.toJson({}).contains("\"wait\""));
    const QByteArray json = recorder.toJson({ {}, true });
    QVERIFY2(json.contains("{\"wait\": 1500},\n    {\"send\": \"a\", \"text\": \"two\"}"), json.constData());
    QVERIFY(!json.contains("{\"wait\": 5}")); // under the minimum gap
    QCOMPARE(ScenarioRecorder::withinFor(3000), 7000);
    QCOMPARE(ScenarioRecorder::withinFor(1), 2000);
}

void tst_ScenarioRecorder::secretsAreVariables()
{
    SecretValues::set({ { QStringLiteral("token"), QStringLiteral("tok-VALUE-123") } });
    auto store = std::make_shared<MessageStore>();
    const qint64 t = nowUs();
    store->appendText(Direction::Event, Kind::Open, u"", t);
    store->appendText(Direction::Out, Kind::Text, u"auth tok-VALUE-123", t + 1000);
    store->appendText(Direction::In, Kind::Text, u"{\"you\":\"tok-VALUE-123\",\"op\":\"hi\"}", t + 2000);
    store->appendText(Direction::In, Kind::Text, u"echo tok-VALUE-123", t + 3000);
    QJsonObject s
        = settings({ QJsonArray { QStringLiteral("Authorization"), QStringLiteral("Bearer topsecret-1") },
            QJsonArray { QStringLiteral("Cookie"), QStringLiteral("sid=abcdef99") },
            QJsonArray { QStringLiteral("Proxy-Authorization"), QStringLiteral("Basic {{proxyauth}}") },
            QJsonArray { QStringLiteral("X-Token"), QStringLiteral("{{token}}") },
            QJsonArray { QStringLiteral("X-Region"), QStringLiteral("{{region}}") } });
    s.insert(QStringLiteral("url"), QStringLiteral("ws://user:pw12345@127.0.0.1:1/{{path}}"));
    ScenarioRecorder recorder({ { QStringLiteral("t"), s, store, allRows(*store) } },
        { { QStringLiteral("region"), QStringLiteral("eu") } });
    recorder.steps()[2].chosenFields = recorder.steps()[2].fields;
    const QByteArray json = recorder.toJson({});
    for (const char *secret : { "tok-VALUE-123", "topsecret-1", "abcdef99", "pw12345" })
        QVERIFY2(!json.contains(secret), json.constData());
    QVERIFY(json.contains(R"("Authorization": "{{authorization}}")"));
    QVERIFY(json.contains(R"("Cookie": "{{cookie}}")"));
    QVERIFY(json.contains(R"("Proxy-Authorization": "Basic {{proxyauth}}")"));
    QVERIFY(json.contains(R"("text": "auth {{token}}")"));
    QVERIFY(json.contains(R"("$.you": "{{token}}")"));
    QVERIFY(json.contains(R"("variables": {"region": "eu"})"));
    QCOMPARE(recorder.missingVariables(),
        (QStringList { QStringLiteral("url_password"), QStringLiteral("authorization"),
            QStringLiteral("cookie"), QStringLiteral("token"), QStringLiteral("path"),
            QStringLiteral("proxyauth") }));
    QVERIFY(json.contains("url_password, authorization, cookie, token, path, proxyauth"));
    QString error;
    QVERIFY2(ScenarioParser::parse(json, {}, &error), qPrintable(error));
}

// A "{{" the user sent or the server said is not a variable: it is written "{{{{" and replays as sent.
void tst_ScenarioRecorder::bracesAreKeptLiterally()
{
    auto store = std::make_shared<MessageStore>();
    const qint64 t = nowUs();
    store->appendText(Direction::Event, Kind::Open, u"chat", t);
    store->appendText(Direction::Out, Kind::Text, u"tpl {{name}} here", t + 1000);
    store->appendText(Direction::In, Kind::Text, u"tpl {{name}} here", t + 2000);
    ScenarioRecorder recorder({ { QStringLiteral("t"), settings(), store, allRows(*store) } });
    const QByteArray json = recorder.toJson({});
    QVERIFY2(json.contains(R"("text": "tpl {{{{name}} here")"), json.constData());
    const ScenarioReport report = run(json);
    QVERIFY2(report.passed(), qPrintable(describe(report)));
}

QTEST_GUILESS_MAIN(tst_ScenarioRecorder)
#include "tst_ScenarioRecorder.moc"
