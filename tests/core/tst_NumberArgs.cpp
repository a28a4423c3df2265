// Every numeric option of every subcommand is finite and in range, or a usage error (exit 2)
// of one line that names the option, the value (escaped) and the range. The commands run as
// the real binary against a live in-process server, so a value that slips through shows as a
// hang (a timer that never fires) instead of passing by luck.
#include "NumberArgs.h"

#include <QProcess>
#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <limits>

using wst::cli::NumberArgs;

class tst_NumberArgs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void seconds_data();
    void seconds();
    void wholeNumber_data();
    void wholeNumber();
    void optionNames();
    void badValuesAreUsageErrors_data();
    void badValuesAreUsageErrors();
    void tinyTimeoutTimesOut();
    void tinyConnectTimeoutTimesOut();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    // A hang is what this test hunts: a bounded wait, well below ctest's timeout.
    Result run(const QStringList &args, int timeoutMs = 15000);

    QWebSocketServer m_server { QStringLiteral("numbers"), QWebSocketServer::NonSecureMode };
    QList<QWebSocket *> m_clients;
};

void tst_NumberArgs::initTestCase()
{
    QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
    // Accepts and keeps every client, sends nothing: a connect without -n waits for -t.
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            m_clients.append(socket);
        }
    });
}

tst_NumberArgs::Result tst_NumberArgs::run(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), args);
    if (!p.waitForStarted())
        return {};
    p.closeWriteChannel();
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < timeoutMs)
        QTest::qWait(10); // the in-process server answers meanwhile
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return { -2, p.readAllStandardOutput(), p.readAllStandardError() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

void tst_NumberArgs::seconds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("ms");
    QTest::newRow("one") << QStringLiteral("1") << true << 1000;
    QTest::newRow("fraction") << QStringLiteral("0.05") << true << 50;
    QTest::newRow("smallest") << QStringLiteral("0.001") << true << 1;
    QTest::newRow("rounds up") << QStringLiteral("0.0015") << true << 2;
    QTest::newRow("exponent") << QStringLiteral("1e2") << true << 100000;
    QTest::newRow("largest") << QStringLiteral("1000000") << true << 1000000000;
    QTest::newRow("below a millisecond") << QStringLiteral("0.0001") << false << 0;
    QTest::newRow("zero") << QStringLiteral("0") << false << 0;
    QTest::newRow("negative") << QStringLiteral("-1") << false << 0;
    QTest::newRow("nan") << QStringLiteral("nan") << false << 0;
    QTest::newRow("inf") << QStringLiteral("inf") << false << 0;
    QTest::newRow("-inf") << QStringLiteral("-inf") << false << 0;
    QTest::newRow("overflows int ms") << QStringLiteral("3000000") << false << 0;
    QTest::newRow("huge") << QStringLiteral("1e300") << false << 0;
    QTest::newRow("word") << QStringLiteral("soon") << false << 0;
    QTest::newRow("empty") << QString() << false << 0;
}

void tst_NumberArgs::seconds()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, ms);
    int got = -1;
    QString error;
    QCOMPARE(NumberArgs::seconds(
                 QStringLiteral("-t/--timeout"), text, 0.001, NumberArgs::MaxSeconds, &got, &error),
        ok);
    if (ok) {
        QCOMPARE(got, ms);
        QVERIFY(error.isEmpty());
    } else {
        QCOMPARE(got, -1);
        QCOMPARE(error,
            QStringLiteral("-t/--timeout: \u201c%1\u201d is not a number of seconds from 0.001 to 1000000.")
                .arg(text));
    }
}

void tst_NumberArgs::wholeNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("value");
    QTest::newRow("lowest") << QStringLiteral("0") << true << qint64(0);
    QTest::newRow("highest") << QStringLiteral("65535") << true << qint64(65535);
    QTest::newRow("above") << QStringLiteral("65536") << false << qint64(0);
    QTest::newRow("negative") << QStringLiteral("-1") << false << qint64(0);
    QTest::newRow("fraction") << QStringLiteral("80.5") << false << qint64(0);
    QTest::newRow("exponent") << QStringLiteral("1e3") << false << qint64(0);
    QTest::newRow("beyond qint64") << QStringLiteral("99999999999999999999") << false << qint64(0);
    QTest::newRow("nan") << QStringLiteral("nan") << false << qint64(0);
}

void tst_NumberArgs::wholeNumber()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, value);
    qint64 got = -1;
    QString error;
    QCOMPARE(NumberArgs::wholeNumber(QStringLiteral("--port"), text, 0, 65535, &got, &error), ok);
    if (ok)
        QCOMPARE(got, value);
    else
        QCOMPARE(
            error, QStringLiteral("--port: \u201c%1\u201d is not a whole number from 0 to 65535.").arg(text));
}

void tst_NumberArgs::optionNames()
{
    QCOMPARE(NumberArgs::optionName(
                 QCommandLineOption(QStringList { QStringLiteral("t"), QStringLiteral("timeout") })),
        QStringLiteral("-t/--timeout"));
    QCOMPARE(NumberArgs::optionName(QCommandLineOption(QStringLiteral("port"))), QStringLiteral("--port"));
    // The value is quoted escaped: a line break in it does not split the message.
    QString error;
    qint64 unused = 0;
    QVERIFY(!NumberArgs::wholeNumber(
        QStringLiteral("-n/--count"), QStringLiteral("3\r\n4"), 1, 9, &unused, &error));
    QCOMPARE(error, QStringLiteral("-n/--count: \u201c3\\r\\n4\u201d is not a whole number from 1 to 9."));
}

void tst_NumberArgs::badValuesAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString url = QStringLiteral("%URL%");
    const QString seconds = QStringLiteral("is not a number of seconds from 0.001 to 1000000.");
    const QString int64 = QString::number(std::numeric_limits<qint64>::max());
    const QString int32 = QString::number(std::numeric_limits<int>::max());
    // connect -t: each of these hung for ever before (0 ms timer not started, NaN and infinity
    // passed "<= 0", 3e6 s overflowed int).
    for (const char *value : { "0.0001", "nan", "inf", "-inf", "3000000", "0", "-2", "1e400", "ten" }) {
        QTest::addRow("connect -t %s", value)
            << QStringList { QStringLiteral("connect"), url, QStringLiteral("-t"), QLatin1String(value) }
            << QStringLiteral("wstester connect: -t/--timeout: \u201c%1\u201d ").arg(QLatin1String(value))
                + seconds;
    }
    for (const char *value : { "0.0001", "nan", "inf", "3000000" }) {
        QTest::addRow("connect --connect-timeout %s", value)
            << QStringList { QStringLiteral("connect"), url, QStringLiteral("--connect-timeout"),
                   QLatin1String(value) }
            << QStringLiteral("wstester connect: --connect-timeout: \u201c%1\u201d ")
                    .arg(QLatin1String(value))
                + seconds;
        QTest::addRow("handshake --connect-timeout %s", value)
            << QStringList { QStringLiteral("handshake"), url, QStringLiteral("--connect-timeout"),
                   QLatin1String(value) }
            << QStringLiteral("wstester handshake: --connect-timeout: \u201c%1\u201d ")
                    .arg(QLatin1String(value))
                + seconds;
    }
    for (const char *value : { "0", "-1", "1.5", "nan", "1e3", "99999999999999999999" }) {
        QTest::addRow("connect -n %s", value)
            << QStringList { QStringLiteral("connect"), url, QStringLiteral("-n"), QLatin1String(value) }
            << QStringLiteral(
                   "wstester connect: -n/--count: \u201c%1\u201d is not a whole number from 1 to %2.")
                   .arg(QLatin1String(value), int64);
    }
    const auto serve = [](const char *option, const char *value, const QString &range) {
        QTest::addRow("serve %s %s", option, value)
            << QStringList { QStringLiteral("serve"), QLatin1String(option), QLatin1String(value) }
            << QStringLiteral("wstester serve: %1: \u201c%2\u201d is not a whole number from %3.")
                   .arg(QLatin1String(option), QLatin1String(value), range);
    };
    for (const char *value : { "65536", "-1", "80.0", "http", "nan" })
        serve("--port", value, QStringLiteral("0 to 65535"));
    for (const char *value : { "9", "0", "1e3", "2147483648", "inf" })
        serve("--push-interval", value, QStringLiteral("10 to ") + int32);
    for (const char *value : { "0", "-5", "2147483648", "nan" })
        serve("--max-clients", value, QStringLiteral("1 to ") + int32);
    // Qt 6.4 would ignore a larger limit without a word; 0 is no limit.
    for (const char *value : { "-1", "2147483647", "1e9", "inf" })
        serve("--max-message-size", value,
            QStringLiteral("0 to ") + QString::number(std::numeric_limits<int>::max() - 1));
    for (const char *value : { "-1", "1e9", "9223372036854775808", "nan" })
        serve("--max-send-buffer", value, QStringLiteral("0 to ") + int64);
    for (const char *value : { "0", "-1", "one", "nan" }) {
        QTest::addRow("session export --tab %s", value)
            << QStringList { QStringLiteral("session"), QStringLiteral("export"),
                   QStringLiteral("any.wstsession"), QStringLiteral("--format"), QStringLiteral("ndjson"),
                   QStringLiteral("--tab"), QLatin1String(value) }
            << QStringLiteral(
                   "wstester session export: --tab: \u201c%1\u201d is not a whole number from 1 to %2.")
                   .arg(QLatin1String(value), int64);
    }
    // The value is shown escaped, on the one line.
    QTest::newRow("connect -t with a line break")
        << QStringList { QStringLiteral("connect"), url, QStringLiteral("-t"), QStringLiteral("1\r\n2") }
        << QStringLiteral("wstester connect: -t/--timeout: \u201c1\\r\\n2\u201d ") + seconds;
    QTest::newRow("serve --port with an escape")
        << QStringList { QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("\x1b[31m80") }
        << QStringLiteral(
               "wstester serve: --port: \u201c\\x1b[31m80\u201d is not a whole number from 0 to 65535.");
}

void tst_NumberArgs::badValuesAreUsageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort());
    args.replaceInStrings(QStringLiteral("%URL%"), url);
    const Result r = run(args);
    QVERIFY2(r.exitCode != -2, "hung: killed after 15 s");
    QCOMPARE(QString::fromUtf8(r.err), message + QLatin1Char('\n'));
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
}

void tst_NumberArgs::tinyTimeoutTimesOut()
{
    // Connected to a server that never sends: only the 50 ms timeout can end it.
    QElapsedTimer t;
    t.start();
    const Result r
        = run({ QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()),
            QStringLiteral("-t"), QStringLiteral("0.05") });
    QCOMPARE(r.exitCode, 4);
    QVERIFY(t.elapsed() >= 50);
    QVERIFY2(r.err.contains("timed out after 0.05 s"), r.err.constData());
}

void tst_NumberArgs::tinyConnectTimeoutTimesOut()
{
    // Accepts TCP, never answers the handshake.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const Result r
        = run({ QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort()),
            QStringLiteral("--connect-timeout"), QStringLiteral("0.05") });
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("0.05 s"), r.err.constData());
}

QTEST_GUILESS_MAIN(tst_NumberArgs)
#include "tst_NumberArgs.moc"
