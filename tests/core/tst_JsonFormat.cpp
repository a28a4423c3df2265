#include "format/HexDump.h"
#include "format/JsonFormat.h"

#include <QtTest>

using namespace wst;

class tst_JsonFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prettyKeepsOrderNumbersAndEscapes();
    void emptyContainersAndScalars();
    void errors_data();
    void errors();
    void tokenizeLine();
    void hexDumpLines();
};

void tst_JsonFormat::prettyKeepsOrderNumbersAndEscapes()
{
    const QByteArray in = R"({"zeta":1,"alpha":[12345678901234567890,-0.5e+3,true,null],"s":"a\"b\u00e9"})";
    const auto r = JsonFormat::pretty(in);
    QVERIFY2(r.ok, qPrintable(r.error));
    const QByteArray expected = "{\n"
                                "  \"zeta\": 1,\n"
                                "  \"alpha\": [\n"
                                "    12345678901234567890,\n"
                                "    -0.5e+3,\n"
                                "    true,\n"
                                "    null\n"
                                "  ],\n"
                                "  \"s\": \"a\\\"b\\u00e9\"\n"
                                "}";
    QCOMPARE(r.text, expected);
    // Compact output round-trips to the same pretty form.
    const auto compact = JsonFormat::pretty(r.text, 0);
    QVERIFY(compact.ok);
    QCOMPARE(compact.text,
        QByteArray(R"({"zeta":1,"alpha":[12345678901234567890,-0.5e+3,true,null],"s":"a\"b\u00e9"})"));
}

void tst_JsonFormat::emptyContainersAndScalars()
{
    QCOMPARE(JsonFormat::pretty("  { }  ").text, QByteArray("{}"));
    QCOMPARE(JsonFormat::pretty("[[],{}]").text, QByteArray("[\n  [],\n  {}\n]"));
    QCOMPARE(JsonFormat::pretty("42").text, QByteArray("42"));
    QVERIFY(JsonFormat::check("\"just a string\"").ok);
    QVERIFY(JsonFormat::looksLikeJson("  \n{\"a\":1}"));
    QVERIFY(!JsonFormat::looksLikeJson("hello {"));
}

void tst_JsonFormat::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("words");
    QTest::newRow("empty") << QByteArray("   ") << 3 << QStringLiteral("empty");
    QTest::newRow("trailing comma") << QByteArray("[1,2,]") << 5 << QStringLiteral("trailing comma");
    QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << 5 << QStringLiteral(":");
    QTest::newRow("unquoted key") << QByteArray("{a:1}") << 1 << QStringLiteral("key");
    QTest::newRow("unterminated string") << QByteArray("[\"abc") << 5 << QStringLiteral("not terminated");
    QTest::newRow("bad escape") << QByteArray("\"a\\x\"") << 3 << QStringLiteral("escape");
    QTest::newRow("leading zero") << QByteArray("[01]") << 2 << QStringLiteral("leading zeros");
    QTest::newRow("garbage after") << QByteArray("{} x") << 3 << QStringLiteral("after");
    QTest::newRow("bad word") << QByteArray("[tru]") << 1 << QStringLiteral("true");
    QTest::newRow("control char") << QByteArray("\"a\tb\"") << 2 << QStringLiteral("control");
    QTest::newRow("too deep") << QByteArray(600, '[') << 512 << QStringLiteral("nested");
}

void tst_JsonFormat::errors()
{
    QFETCH(QByteArray, input);
    QFETCH(int, offset);
    QFETCH(QString, words);
    const auto r = JsonFormat::check(input);
    QVERIFY(!r.ok);
    QCOMPARE(r.errorOffset, offset);
    QVERIFY2(r.error.contains(words, Qt::CaseInsensitive), qPrintable(r.error));
    QVERIFY(JsonFormat::pretty(input).text.isEmpty());
}

void tst_JsonFormat::tokenizeLine()
{
    const QString line = QStringLiteral("  \"key\": [\"v\\\"x\", -1.5e3, true],");
    const auto tokens = JsonFormat::tokenizeLine(line);
    QList<JsonFormat::TokenType> types;
    QStringList texts;
    for (const auto &t : tokens) {
        types.append(t.type);
        texts.append(line.mid(t.start, t.length));
    }
    using T = JsonFormat::TokenType;
    QCOMPARE(texts,
        (QStringList { QStringLiteral("\"key\""), QStringLiteral(":"), QStringLiteral("["),
            QStringLiteral("\"v\\\"x\""), QStringLiteral(","), QStringLiteral("-1.5e3"), QStringLiteral(","),
            QStringLiteral("true"), QStringLiteral("]"), QStringLiteral(",") }));
    QCOMPARE(types,
        (QList<T> { T::Key, T::Punctuation, T::Punctuation, T::String, T::Punctuation, T::Number,
            T::Punctuation, T::Keyword, T::Punctuation, T::Punctuation }));
}

void tst_JsonFormat::hexDumpLines()
{
    QByteArray data;
    for (int i = 0; i < 20; ++i)
        data.append(char(0x41 + i));
    QCOMPARE(HexDump::lineCount(data.size()), 2);
    QCOMPARE(HexDump::line(data, 0),
        QStringLiteral("00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|"));
    QCOMPARE(HexDump::line(data, 1),
        QStringLiteral("00000010  51 52 53 54                                       |QRST|"));
    QCOMPARE(HexDump::line(QByteArray("\x00\xff", 2), 0).mid(60), QStringLiteral("|..|"));
    QVERIFY(HexDump::line(data, 2).isEmpty());
}

QTEST_GUILESS_MAIN(tst_JsonFormat)
#include "tst_JsonFormat.moc"
