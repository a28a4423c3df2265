#include "compose/ProxySettingsJson.h"

#include <QJsonArray>
#include <QtTest>

using namespace wst;

class tst_ProxySettingsJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void missingKeysKeepTheDefaults();
    void problemsAreOneLineNamingTheKey_data();
    void problemsAreOneLineNamingTheKey();
};

void tst_ProxySettingsJson::roundTrip()
{
    ProxyOptions in;
    in.mode = ProxyOptions::Mode::Explicit;
    in.address = QHostAddress(QStringLiteral("0.0.0.0"));
    in.port = 8899;
    in.upstream = QUrl(QStringLiteral("wss://api.example.test/feed?x=1"));
    in.certificateFile = QStringLiteral("/tmp/ca.pem");
    in.keyFile = QStringLiteral("/tmp/ca.key");
    in.ignoreUpstreamTlsErrors = true;
    in.setHeaders = { { "Authorization", "Bearer é" }, { "X-Trace", "1" } };
    in.removeHeaders = { "Cookie", "Origin" };
    in.passCompression = false;
    in.faults.delayMs = 300;
    in.faults.dropPercent = 10;
    ProxyBreakpoint json;
    json.direction = ProxyBreakpoint::Direction::ToClient;
    json.match.match = ReplyRule::Match::JsonField;
    json.match.field = QStringLiteral("data.op");
    json.match.value = QStringLiteral("buy");
    ProxyBreakpoint regex;
    regex.direction = ProxyBreakpoint::Direction::ToServer;
    regex.match.match = ReplyRule::Match::Regex;
    regex.match.value = QStringLiteral("^ping\\d+$");
    regex.enabled = false;
    in.breakpoints = { json, regex };
    in.maxMessageSize = 1234;
    in.maxHeld = 7;

    QString error;
    const ProxyOptions out = ProxySettingsJson::fromJson(ProxySettingsJson::toJson(in), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(out.mode, in.mode);
    QCOMPARE(out.address, in.address);
    QCOMPARE(out.port, in.port);
    QCOMPARE(out.upstream, in.upstream);
    QCOMPARE(out.certificateFile, in.certificateFile);
    QCOMPARE(out.keyFile, in.keyFile);
    QCOMPARE(out.ignoreUpstreamTlsErrors, true);
    QCOMPARE(out.setHeaders, in.setHeaders);
    QCOMPARE(out.removeHeaders, in.removeHeaders);
    QCOMPARE(out.passCompression, false);
    QVERIFY(out.faults == in.faults);
    QCOMPARE(out.breakpoints.size(), 2);
    QCOMPARE(out.breakpoints.at(0).direction, ProxyBreakpoint::Direction::ToClient);
    QCOMPARE(out.breakpoints.at(0).match.match, ReplyRule::Match::JsonField);
    QCOMPARE(out.breakpoints.at(0).match.field, QStringLiteral("data.op"));
    QCOMPARE(out.breakpoints.at(0).match.value, QStringLiteral("buy"));
    QVERIFY(out.breakpoints.at(0).enabled);
    QCOMPARE(out.breakpoints.at(1).match.match, ReplyRule::Match::Regex);
    QVERIFY(!out.breakpoints.at(1).enabled);
    // The regular expression is compiled, so the breakpoint matches straight away.
    QVERIFY(out.breakpoints.at(1).match.matches(QStringLiteral("ping42")));
    QVERIFY(!out.breakpoints.at(1).match.matches(QStringLiteral("ping")));
    QVERIFY(out.breakpoints.at(0).match.matches(QStringLiteral("{\"data\":{\"op\":\"buy\"}}")));
    QCOMPARE(out.maxMessageSize, 1234);
    QCOMPARE(out.maxHeld, 7);
}

void tst_ProxySettingsJson::missingKeysKeepTheDefaults()
{
    QString error;
    const ProxyOptions out
        = ProxySettingsJson::fromJson(QJsonObject { { QStringLiteral("port"), 9000 } }, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const ProxyOptions defaults;
    QCOMPARE(out.port, 9000);
    QCOMPARE(out.mode, defaults.mode);
    QCOMPARE(out.address, defaults.address);
    QVERIFY(out.upstream.isEmpty());
    QCOMPARE(out.passCompression, true);
    QCOMPARE(out.ignoreUpstreamTlsErrors, false);
    QVERIFY(out.faults.isEmpty());
    QVERIFY(out.breakpoints.isEmpty());
    QCOMPARE(out.maxMessageSize, ProxyOptions::DefaultMaxMessageSize);
    QCOMPARE(out.maxHeld, ProxyOptions::DefaultMaxHeld);
}

void tst_ProxySettingsJson::problemsAreOneLineNamingTheKey_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("named");
    QTest::newRow("mode") << QJsonObject { { QStringLiteral("mode"), QStringLiteral("socks") } }
                          << QStringLiteral("mode");
    QTest::newRow("port") << QJsonObject { { QStringLiteral("port"), 70000 } } << QStringLiteral("port");
    QTest::newRow("address") << QJsonObject { { QStringLiteral("address"), QStringLiteral("nowhere") } }
                             << QStringLiteral("address");
    QTest::newRow("upstream") << QJsonObject { { QStringLiteral("upstream"), 5 } }
                              << QStringLiteral("upstream");
    QTest::newRow("flag") << QJsonObject { { QStringLiteral("passCompression"), QStringLiteral("yes") } }
                          << QStringLiteral("passCompression");
    QTest::newRow("set header") << QJsonObject {
        { QStringLiteral("setHeaders"), QJsonArray { QJsonArray { 1 } } }
    } << QStringLiteral("setHeaders");
    QTest::newRow("remove header") << QJsonObject {
        { QStringLiteral("removeHeaders"), QJsonArray { QString() } }
    } << QStringLiteral("removeHeaders");
    QTest::newRow("faults") << QJsonObject { { QStringLiteral("faults"), 3 } } << QStringLiteral("faults");
    QTest::newRow("limit") << QJsonObject { { QStringLiteral("maxHeld"), -1 } } << QStringLiteral("maxHeld");
    QTest::newRow("direction") << QJsonObject { { QStringLiteral("breakpoints"),
        QJsonArray { QJsonObject { { QStringLiteral("direction"), QStringLiteral("up") } } } } }
                               << QStringLiteral("direction");
    QTest::newRow("regex") << QJsonObject { { QStringLiteral("breakpoints"),
        QJsonArray { QJsonObject { { QStringLiteral("match"), QStringLiteral("regex") },
            { QStringLiteral("value"), QStringLiteral("(") } } } } }
                           << QStringLiteral("regular expression");
    QTest::newRow("json without field") << QJsonObject { { QStringLiteral("breakpoints"),
        QJsonArray { QJsonObject { { QStringLiteral("match"), QStringLiteral("json") } } } } }
                                        << QStringLiteral("path");
}

void tst_ProxySettingsJson::problemsAreOneLineNamingTheKey()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, named);
    QString error;
    const ProxyOptions out = ProxySettingsJson::fromJson(json, &error);
    QVERIFY2(error.contains(named), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY(out.breakpoints.isEmpty()); // a broken breakpoint is not half-used
}

QTEST_GUILESS_MAIN(tst_ProxySettingsJson)
#include "tst_ProxySettingsJson.moc"
