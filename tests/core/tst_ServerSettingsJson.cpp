#include "compose/ServerSettingsJson.h"

#include <QtTest>

using namespace wst;

class tst_ServerSettingsJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void limitsRoundTrip();
    void aFileFromBeforeTheLimitsKeepsTheDefaults();
    void badLimitsAreNamed();
};

void tst_ServerSettingsJson::limitsRoundTrip()
{
    ServerOptions in;
    in.maxMessageSize = 1234;
    in.maxSendBuffer = qint64(5) << 30; // more than an int
    QString error;
    const ServerOptions out = ServerSettingsJson::fromJson(ServerSettingsJson::toJson(in), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(out.maxMessageSize, 1234);
    QCOMPARE(out.maxSendBuffer, qint64(5) << 30);
    in.maxMessageSize = 0;
    in.maxSendBuffer = 0;
    const ServerOptions none = ServerSettingsJson::fromJson(ServerSettingsJson::toJson(in), &error);
    QCOMPARE(none.maxMessageSize, 0);
    QCOMPARE(none.maxSendBuffer, 0);
}

void tst_ServerSettingsJson::aFileFromBeforeTheLimitsKeepsTheDefaults()
{
    QString error;
    const ServerOptions out
        = ServerSettingsJson::fromJson(QJsonObject { { QStringLiteral("port"), 9000 } }, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(out.maxMessageSize, ServerOptions::DefaultMaxMessageSize);
    QCOMPARE(out.maxSendBuffer, ServerOptions::DefaultMaxSendBuffer);
}

void tst_ServerSettingsJson::badLimitsAreNamed()
{
    QString error;
    ServerSettingsJson::fromJson(
        QJsonObject { { QStringLiteral("maxSendBuffer"), QStringLiteral("16M") } }, &error);
    QVERIFY2(error.contains(QStringLiteral("maxSendBuffer")), qPrintable(error));
    ServerSettingsJson::fromJson(QJsonObject { { QStringLiteral("maxMessageSize"), -5 } }, &error);
    QVERIFY2(error.contains(QStringLiteral("maxMessageSize")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ServerSettingsJson)
#include "tst_ServerSettingsJson.moc"
