// Input quoted in a message is shown escaped: one error is one line, whatever the user typed or
// a file held. The helper itself, the core's URL and header messages (the window shows them
// inline too), and the real binary's error lines.
#include "connection/ConnectionOptions.h"
#include "format/InputText.h"

#include <QProcess>
#include <QtTest>

using wst::ConnectionOptions;
using wst::InputText;

class tst_InputText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escaped_data();
    void escaped();
    void escapingTwiceChangesNothing();
    void coreMessagesQuoteInputEscaped();
    void commandErrorsAreOneLine_data();
    void commandErrorsAreOneLine();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Result run(const QStringList &args);
};

tst_InputText::Result tst_InputText::run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), args);
    if (!p.waitForStarted())
        return {};
    p.closeWriteChannel();
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
        return { -2, p.readAllStandardOutput(), p.readAllStandardError() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

void tst_InputText::escaped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("ws://example.com/a b")
                           << QStringLiteral("ws://example.com/a b");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("crlf") << QStringLiteral("a\r\nb") << QStringLiteral("a\\r\\nb");
    QTest::newRow("tab") << QStringLiteral("a\tb") << QStringLiteral("a\\tb");
    QTest::newRow("nul") << QString(QChar(0)) + QStringLiteral("x") << QStringLiteral("\\x00x");
    QTest::newRow("terminal escape") << QStringLiteral("\x1b[2J") << QStringLiteral("\\x1b[2J");
    QTest::newRow("del and C1") << QStringLiteral("\x7f\u0085") << QStringLiteral("\\x7f\\x85");
    QTest::newRow("line separator") << QStringLiteral("a\u2028b\u2029") << QStringLiteral("a\\u2028b\\u2029");
    QTest::newRow("bidi override") << QStringLiteral("\u202egnp.exe\u2066")
                                   << QStringLiteral("\\u202egnp.exe\\u2066");
    QTest::newRow("backslash stays") << QStringLiteral("C:\\new\\table") << QStringLiteral("C:\\new\\table");
    QTest::newRow("unicode stays") << QStringLiteral("h\u00e9llo \u4e16\u754c \U0001F600")
                                   << QStringLiteral("h\u00e9llo \u4e16\u754c \U0001F600");
}

void tst_InputText::escaped()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(InputText::escaped(text), expected);
    QCOMPARE(InputText::quoted(text), QStringLiteral("\u201c%1\u201d").arg(expected));
}

void tst_InputText::escapingTwiceChangesNothing()
{
    const QString once = InputText::escaped(QStringLiteral("x\r\n\x1b\\n"));
    QCOMPARE(once, QStringLiteral("x\\r\\n\\x1b\\n"));
    QCOMPARE(InputText::escaped(once), once);
}

void tst_InputText::coreMessagesQuoteInputEscaped()
{
    QString error;
    QVERIFY(!ConnectionOptions::parseUrl(QStringLiteral("ws://a\r\nb.example/"), &error).isValid());
    QVERIFY2(!error.contains(u'\r') && !error.contains(u'\n'), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("a\\r\\nb.example")), qPrintable(error));
    QByteArray name, value;
    QVERIFY(!ConnectionOptions::parseHeaderLine(QStringLiteral("no colon\r\nX-Evil"), &name, &value, &error));
    QCOMPARE(error,
        QStringLiteral(
            "\u201cno colon\\r\\nX-Evil\u201d is not a header: write it as \u201cName: value\u201d."));
    QVERIFY(!ConnectionOptions::parseHeaderLine(QStringLiteral("X\tBad: 1"), &name, &value, &error));
    QCOMPARE(error, QStringLiteral("\u201cX\\tBad\u201d is not a valid header name."));
    ConnectionOptions::parseProxy(QStringLiteral("http://\x1b[1mproxy"), &error);
    QVERIFY2(error.contains(QLatin1String("\\x1b[1mproxy")) && !error.contains(u'\x1b'), qPrintable(error));
}

void tst_InputText::commandErrorsAreOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("shown");
    // Three lines before: QUrl's error repeats the raw input.
    QTest::newRow("url with CR/LF") << QStringList { QStringLiteral("connect"),
        QStringLiteral("ws://a\r\nb.example/") }
                                    << 2 << QByteArray("a\\r\\nb.example");
    QTest::newRow("handshake url with CR/LF") << QStringList { QStringLiteral("handshake"),
        QStringLiteral("ws://x\ny/") } << 2 << QByteArray("x\\ny");
    QTest::newRow("header") << QStringList { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:1/"),
        QStringLiteral("-H"), QStringLiteral("bad\r\nline") }
                            << 2 << QByteArray("bad\\r\\nline");
    QTest::newRow("proxy") << QStringList { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:1/"),
        QStringLiteral("--proxy"), QStringLiteral("ftp://\nx") }
                           << 2 << QByteArray("ftp://\\nx");
    QTest::newRow("unknown command") << QStringList { QStringLiteral("con\nnect") } << 2
                                     << QByteArray("con\\nnect");
    QTest::newRow("help topic") << QStringList { QStringLiteral("help"), QStringLiteral("x\x1b[2Jy") } << 2
                                << QByteArray("x\\x1b[2Jy");
    QTest::newRow("session command") << QStringList { QStringLiteral("session"), QStringLiteral("in\rfo") }
                                     << 2 << QByteArray("in\\rfo");
    QTest::newRow("serve host") << QStringList { QStringLiteral("serve"), QStringLiteral("--host"),
        QStringLiteral("local\r\nhost") }
                                << 2 << QByteArray("local\\r\\nhost");
    QTest::newRow("export format") << QStringList { QStringLiteral("session"), QStringLiteral("export"),
        QStringLiteral("x.wstsession"), QStringLiteral("--format"), QStringLiteral("n\r\ndjson") }
                                   << 2 << QByteArray("n\\r\\ndjson");
    // A path from a message deep in the core: printError keeps it on one line too.
    QTest::newRow("missing session file") << QStringList { QStringLiteral("session"), QStringLiteral("info"),
        QStringLiteral("/nonexistent/a\nb.wstsession") }
                                          << 1 << QByteArray("/nonexistent/a\\nb.wstsession");
}

void tst_InputText::commandErrorsAreOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, shown);
    const Result r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.endsWith('\n') && r.err.count('\n') == 1, r.err.constData());
    QVERIFY2(!r.err.contains('\r') && !r.err.contains('\x1b'), r.err.constData());
    QVERIFY2(r.err.contains(shown), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_InputText)
#include "tst_InputText.moc"
