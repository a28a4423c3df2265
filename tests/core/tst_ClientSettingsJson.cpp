#include "compose/ClientSettingsJson.h"
#include "compose/ConnectionProfile.h"
#include "settings/AppSettings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_ClientSettingsJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyFieldRoundTrips();
    void defaultsAndExactKeys();
    void unknownKeysIgnoredMissingKeysDefault();
    void wrongTypesNameTheKey_data();
    void wrongTypesNameTheKey();
    void masksSecrets();
    void maskingNothingAddsNoList();
    void profilesPersistInSettings();
    void deflateOptions();
};

static ConnectionOptions everything()
{
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("wss://user:pw@example.com:8443/feed?x=1"));
    o.headers = { { "Authorization", "Bearer s3cret" }, { "X-Trace", "1" }, { "cookie", "a=b" },
        { "Proxy-Authorization", "Basic eA==" } };
    o.subprotocols = { QStringLiteral("chat"), QStringLiteral("v2.json") };
    o.origin = QStringLiteral("https://example.com");
    o.connectTimeoutMs = 2500;
    o.autoReconnect = true;
    o.reconnectInitialMs = 1500;
    o.reconnectMaxMs = 60000;
    o.ignoreAllSslErrors = true;
    o.caCertificateFile = QStringLiteral("/tmp/ca.pem");
    o.clientCertificateFile = QStringLiteral("/tmp/client.pem");
    o.clientKeyFile = QStringLiteral("/tmp/client.key");
    o.clientKeyPassphrase = "p\xc3\xa4ss";
    o.minimumTlsVersion = QSsl::TlsV1_3OrLater;
    o.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), 3128,
        QStringLiteral("bob"), QStringLiteral("hunter2"));
    return o;
}

void tst_ClientSettingsJson::everyFieldRoundTrips()
{
    const ConnectionOptions o = everything();
    const QJsonObject json = ClientSettingsJson::toJson(o);
    // Through text, as a session file or the settings file would carry it.
    const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    QString error = QStringLiteral("stale");
    const ConnectionOptions r = ClientSettingsJson::fromJson(reread, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(r.url, o.url);
    QCOMPARE(r.headers, o.headers);
    QCOMPARE(r.subprotocols, o.subprotocols);
    QCOMPARE(r.origin, o.origin);
    QCOMPARE(r.connectTimeoutMs, o.connectTimeoutMs);
    QCOMPARE(r.autoReconnect, o.autoReconnect);
    QCOMPARE(r.reconnectInitialMs, o.reconnectInitialMs);
    QCOMPARE(r.reconnectMaxMs, o.reconnectMaxMs);
    QCOMPARE(r.ignoreAllSslErrors, o.ignoreAllSslErrors);
    QCOMPARE(r.caCertificateFile, o.caCertificateFile);
    QCOMPARE(r.clientCertificateFile, o.clientCertificateFile);
    QCOMPARE(r.clientKeyFile, o.clientKeyFile);
    QCOMPARE(r.clientKeyPassphrase, o.clientKeyPassphrase);
    QCOMPARE(r.minimumTlsVersion, o.minimumTlsVersion);
    QCOMPARE(r.proxy.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(r.proxy.hostName(), QStringLiteral("127.0.0.1"));
    QCOMPARE(r.proxy.port(), quint16(3128));
    QCOMPARE(r.proxy.user(), QStringLiteral("bob"));
    QCOMPARE(r.proxy.password(), QStringLiteral("hunter2"));
    QCOMPARE(ClientSettingsJson::toJson(r), json);

    // The other TLS minimum and a SOCKS proxy.
    ConnectionOptions t;
    t.minimumTlsVersion = QSsl::TlsV1_2OrLater;
    t.proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("h"), 1080);
    const ConnectionOptions t2 = ClientSettingsJson::fromJson(ClientSettingsJson::toJson(t), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(t2.minimumTlsVersion, QSsl::TlsV1_2OrLater);
    QCOMPARE(t2.proxy.type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(ClientSettingsJson::toJson(t2).value(QStringLiteral("proxy")).toString(),
        QStringLiteral("socks5://h:1080"));
}

void tst_ClientSettingsJson::defaultsAndExactKeys()
{
    const QJsonObject json = ClientSettingsJson::toJson(ConnectionOptions());
    const QStringList keys { QStringLiteral("url"), QStringLiteral("headers"), QStringLiteral("subprotocols"),
        QStringLiteral("origin"), QStringLiteral("connectTimeoutMs"), QStringLiteral("autoReconnect"),
        QStringLiteral("reconnectInitialMs"), QStringLiteral("reconnectMaxMs"),
        QStringLiteral("ignoreAllSslErrors"), QStringLiteral("caCertificateFile"),
        QStringLiteral("clientCertificateFile"), QStringLiteral("clientKeyFile"),
        QStringLiteral("clientKeyPassphrase"), QStringLiteral("minimumTls"), QStringLiteral("proxy") };
    QStringList actual = json.keys();
    QStringList expected = keys;
    actual.sort();
    expected.sort();
    QCOMPARE(actual, expected);
    QCOMPARE(json.value(QStringLiteral("minimumTls")).toString(), QStringLiteral("any"));
    QCOMPARE(json.value(QStringLiteral("proxy")).toString(), QString());
    QCOMPARE(json.value(QStringLiteral("connectTimeoutMs")).toInt(), 10000);
    QVERIFY(json.value(QStringLiteral("headers")).isArray());
}

void tst_ClientSettingsJson::unknownKeysIgnoredMissingKeysDefault()
{
    QString error;
    const ConnectionOptions o
        = ClientSettingsJson::fromJson(QJsonObject { { QStringLiteral("url"), QStringLiteral("ws://h/") },
                                           { QStringLiteral("future"), 42 } },
            &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(o.url, QUrl(QStringLiteral("ws://h/")));
    QCOMPARE(o.connectTimeoutMs, 10000);
    QCOMPARE(o.proxy.type(), QNetworkProxy::NoProxy);
    QCOMPARE(o.minimumTlsVersion, QSsl::SecureProtocols);
}

void tst_ClientSettingsJson::wrongTypesNameTheKey_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("key");
    QTest::newRow("url") << R"({"url": 5})"
                         << "url";
    QTest::newRow("headers not array") << R"({"headers": {"a": "b"}})"
                                       << "headers";
    QTest::newRow("header pair") << R"({"headers": [["A"]]})"
                                 << "headers";
    QTest::newRow("header value") << R"({"headers": [["A", 1]]})"
                                  << "headers";
    QTest::newRow("subprotocol") << R"({"subprotocols": [1]})"
                                 << "subprotocols";
    QTest::newRow("timeout string") << R"({"connectTimeoutMs": "10"})"
                                    << "connectTimeoutMs";
    QTest::newRow("timeout fraction") << R"({"connectTimeoutMs": 1.5})"
                                      << "connectTimeoutMs";
    QTest::newRow("reconnect") << R"({"autoReconnect": "yes"})"
                               << "autoReconnect";
    QTest::newRow("ssl") << R"({"ignoreAllSslErrors": 1})"
                         << "ignoreAllSslErrors";
    QTest::newRow("passphrase") << R"({"clientKeyPassphrase": []})"
                                << "clientKeyPassphrase";
    QTest::newRow("tls value") << R"({"minimumTls": "1.1"})"
                               << "minimumTls";
    QTest::newRow("proxy") << R"({"proxy": "ftp://x"})"
                           << "proxy";
    QTest::newRow("origin") << R"({"origin": false})"
                            << "origin";
}

void tst_ClientSettingsJson::wrongTypesNameTheKey()
{
    QFETCH(QString, json);
    QFETCH(QString, key);
    QJsonParseError parse;
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8(), &parse).object();
    QCOMPARE(parse.error, QJsonParseError::NoError);
    QString error;
    ClientSettingsJson::fromJson(object, &error);
    QVERIFY2(error.contains(key), qPrintable(error));
}

void tst_ClientSettingsJson::masksSecrets()
{
    QJsonObject json = ClientSettingsJson::toJson(everything());
    ClientSettingsJson::maskSecrets(json);
    const QJsonArray headers = json.value(QStringLiteral("headers")).toArray();
    QCOMPARE(headers.at(0).toArray().at(1).toString(), QString()); // Authorization
    QCOMPARE(headers.at(1).toArray().at(1).toString(), QStringLiteral("1")); // X-Trace kept
    QCOMPARE(headers.at(2).toArray().at(1).toString(), QString()); // cookie
    QCOMPARE(headers.at(3).toArray().at(1).toString(), QString()); // Proxy-Authorization
    QCOMPARE(headers.at(0).toArray().at(0).toString(), QStringLiteral("Authorization")); // the name stays
    QCOMPARE(json.value(QStringLiteral("clientKeyPassphrase")).toString(), QString());
    QCOMPARE(json.value(QStringLiteral("proxy")).toString(), QStringLiteral("http://bob@127.0.0.1:3128"));
    QVERIFY(!json.value(QStringLiteral("url")).toString().contains(QLatin1String("pw")));
    QCOMPARE(json.value(QStringLiteral("caCertificateFile")).toString(), QStringLiteral("/tmp/ca.pem"));
    const QJsonArray masked = json.value(QStringLiteral("masked")).toArray();
    QStringList list;
    for (const QJsonValue &v : masked)
        list << v.toString();
    QCOMPARE(list,
        QStringList({ QStringLiteral("headers.Authorization"), QStringLiteral("headers.cookie"),
            QStringLiteral("headers.Proxy-Authorization"), QStringLiteral("clientKeyPassphrase"),
            QStringLiteral("proxy.password"), QStringLiteral("url.password") }));
    // What is left still reads back.
    QString error;
    const ConnectionOptions o = ClientSettingsJson::fromJson(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(o.proxy.user(), QStringLiteral("bob"));
    QVERIFY(o.proxy.password().isEmpty());
    // Masking twice changes nothing.
    QJsonObject again = json;
    ClientSettingsJson::maskSecrets(again);
    QCOMPARE(again, json);
}

void tst_ClientSettingsJson::maskingNothingAddsNoList()
{
    QJsonObject json = ClientSettingsJson::toJson(ConnectionOptions());
    const QJsonObject before = json;
    ClientSettingsJson::maskSecrets(json);
    QCOMPARE(json, before);
}

void tst_ClientSettingsJson::profilesPersistInSettings()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("settings.ini"));
    {
        AppSettings settings(path);
        QVERIFY(ConnectionProfile::load(&settings).isEmpty());
        ConnectionProfile::save(
            &settings, { QStringLiteral("prod, eu"), ClientSettingsJson::toJson(everything()) });
        ConnectionProfile::save(
            &settings, { QStringLiteral("local"), ClientSettingsJson::toJson(ConnectionOptions()) });
        settings.sync();
    }
    AppSettings settings(path);
    QList<ConnectionProfile> profiles = ConnectionProfile::load(&settings);
    QCOMPARE(profiles.size(), 2);
    QCOMPARE(profiles.at(0).name, QStringLiteral("prod, eu"));
    QString error;
    const ConnectionOptions o = ClientSettingsJson::fromJson(profiles.at(0).settings, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(o.headers, everything().headers);
    // Saving under a name that exists replaces it in place.
    ConnectionProfile::save(&settings,
        { QStringLiteral("prod, eu"), QJsonObject { { QStringLiteral("url"), QStringLiteral("ws://x/") } } });
    profiles = ConnectionProfile::load(&settings);
    QCOMPARE(profiles.size(), 2);
    QCOMPARE(profiles.at(0).settings.value(QStringLiteral("url")).toString(), QStringLiteral("ws://x/"));
    QVERIFY(ConnectionProfile::remove(&settings, QStringLiteral("local")));
    QVERIFY(!ConnectionProfile::remove(&settings, QStringLiteral("local")));
    QCOMPARE(ConnectionProfile::load(&settings).size(), 1);
}

void tst_ClientSettingsJson::deflateOptions()
{
    // Offered by default: an older file without the keys loads with it on, and saves no key.
    QString error;
    ConnectionOptions o = ClientSettingsJson::fromJson(
        QJsonObject { { QStringLiteral("url"), QStringLiteral("ws://h/") } }, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(o.deflate.enabled);
    QVERIFY(!ClientSettingsJson::toJson(o).contains(QLatin1String("deflate")));
    QVERIFY(!ClientSettingsJson::toJson(o).contains(QLatin1String("deflateOptions")));

    o.deflate.enabled = false;
    o.deflate.serverMaxWindowBits = 10;
    o.deflate.clientNoContextTakeover = true;
    const QJsonObject json = ClientSettingsJson::toJson(o);
    QCOMPARE(json.value(QLatin1String("deflate")), QJsonValue(false));
    const ConnectionOptions r = ClientSettingsJson::fromJson(json, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(r.deflate, o.deflate);

    QJsonObject bad = json;
    bad.insert(QLatin1String("deflateOptions"), QJsonArray { QStringLiteral("server_max_window_bits=99") });
    ClientSettingsJson::fromJson(bad, &error);
    QVERIFY2(error.contains(QLatin1String("deflateOptions")) && error.contains(QLatin1String("8 to 15")),
        qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ClientSettingsJson)
#include "tst_ClientSettingsJson.moc"
