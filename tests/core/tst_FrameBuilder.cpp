// Hand-made frames: FrameBuilder's exact bytes and pacing, and FrameSpecParser's one-line form
// (every key, and one clear line naming the key for bad input).
#include "protocol/FrameBuilder.h"
#include "protocol/FrameSpecParser.h"

#include <QtTest>

using namespace wst;

class tst_FrameBuilder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void maskedTextExactBytes();
    void unmaskedBitsAndReservedOpcode();
    void lyingLengths();
    void lengthForms();
    void fragmentsWithPings();
    void closeFrames();
    void badUtf8AndQuotes();
    void bytewisePacing();
    void describe();
    void errors_data();
    void errors();
    void fileAndFill();
};

namespace {

FrameSpec parsed(const QString &text)
{
    FrameSpec spec;
    QString error;
    if (!FrameSpecParser::parse(text, &spec, &error, {}))
        qWarning("%s", qPrintable(error));
    return spec;
}

quint32 fixedKey()
{
    return 0x01020304;
}

QByteArray unmask(const QByteArray &body, quint32 key)
{
    QByteArray out = body;
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = char(out[i] ^ char(key >> (8 * (3 - (i & 3)))));
    return out;
}

} // namespace

void tst_FrameBuilder::maskedTextExactBytes()
{
    const FrameBuilder::Plan plan
        = FrameBuilder::build(parsed(QStringLiteral("op=text,payload=Hello,mask=37fa213d")));
    // RFC 6455 section 5.7's example: a masked "Hello".
    QCOMPARE(plan.bytes(), QByteArray::fromHex("818537fa213d7f9f4d5158"));
    QCOMPARE(plan.frames.size(), 1);
    QCOMPARE(plan.frames.first().info.head, QByteArray("Hello"));
    QCOMPARE(plan.frames.first().info.length, quint64(5));
    QVERIFY(plan.frames.first().info.masked);
    // Without a key, every frame gets one from the generator.
    const FrameBuilder::Plan random
        = FrameBuilder::build(parsed(QStringLiteral("payload=ab,frag=2")), &fixedKey);
    QCOMPARE(random.bytes(), QByteArray::fromHex("0181010203046080810102030463"));
}

void tst_FrameBuilder::unmaskedBitsAndReservedOpcode()
{
    const QByteArray bytes
        = FrameBuilder::build(parsed(QStringLiteral("op=15,fin=0,rsv1,rsv3,mask=off,payload=hex:00 ff")))
              .bytes();
    QCOMPARE(bytes, QByteArray::fromHex("5f0200ff"));
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("op=0x3,rsv=7,mask=off"))).bytes(),
        QByteArray::fromHex("f300"));
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("op=cont,mask=off,fin=1"))).bytes(),
        QByteArray::fromHex("8000"));
}

void tst_FrameBuilder::lyingLengths()
{
    // Longer: the header declares 15, 12 bytes follow.
    FrameSpec spec = parsed(QStringLiteral("payload=hello world!,len=+3,mask=off"));
    QByteArray bytes = FrameBuilder::build(spec).bytes();
    QCOMPARE(bytes.size(), 2 + 12);
    QCOMPARE(quint8(bytes[1]), quint8(15));
    // Shorter, and an absolute length.
    QCOMPARE(quint8(FrameBuilder::build(parsed(QStringLiteral("payload=hello,len=-4,mask=off"))).bytes()[1]),
        quint8(1));
    QCOMPARE(quint8(FrameBuilder::build(parsed(QStringLiteral("payload=hello,len=-40,mask=off"))).bytes()[1]),
        quint8(0));
    bytes
        = FrameBuilder::build(parsed(QStringLiteral("payload=x,len=18446744073709551615,mask=off"))).bytes();
    QCOMPARE(bytes, QByteArray::fromHex("817fffffffffffffffff78"));
    // The masked payload is as long as the real one, not the declared one.
    bytes = FrameBuilder::build(parsed(QStringLiteral("payload=abc,len=200,mask=01020304"))).bytes();
    QCOMPARE(bytes.size(), 4 + 4 + 3);
    QCOMPARE(unmask(bytes.mid(8), 0x01020304), QByteArray("abc"));
    QCOMPARE(FrameBuilder::build(spec).frames.first().info.length, quint64(15));
}

void tst_FrameBuilder::lengthForms()
{
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("payload=hi,len64,mask=off"))).bytes(),
        QByteArray::fromHex("817f00000000000000026869"));
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("payload=hi,len16,mask=off"))).bytes(),
        QByteArray::fromHex("817e00026869"));
    const QByteArray big = FrameBuilder::build(parsed(QStringLiteral("payload=fill:126,mask=off"))).bytes();
    QCOMPARE(big.left(4), QByteArray::fromHex("817e007e"));
    const QByteArray huge
        = FrameBuilder::build(parsed(QStringLiteral("payload=fill:65536,mask=off"))).bytes();
    QCOMPARE(huge.left(10), QByteArray::fromHex("817f0000000000010000"));
}

void tst_FrameBuilder::fragmentsWithPings()
{
    const FrameBuilder::Plan plan = FrameBuilder::build(
        parsed(QStringLiteral("op=binary,payload=abcdefgh,frag=3,ping-between=p,rsv1")));
    QList<int> opcodes;
    QList<bool> fins;
    QByteArray joined;
    for (const FrameBuilder::Frame &f : plan.frames) {
        opcodes << int(f.info.opcode);
        fins << f.info.fin;
        if (!f.info.isControl())
            joined += f.info.head;
        else
            QCOMPARE(f.info.head, QByteArray("p"));
    }
    QCOMPARE(opcodes, (QList<int> { 2, 9, 0, 9, 0 }));
    QCOMPARE(fins, (QList<bool> { false, true, false, true, true }));
    QCOMPARE(joined, QByteArray("abcdefgh"));
    QCOMPARE(plan.frames.first().info.rsv, quint8(4)); // RSV on the first fragment only
    QCOMPARE(plan.frames.last().info.rsv, quint8(0));
    // fin=0 leaves the message open after the last fragment.
    const FrameBuilder::Plan open = FrameBuilder::build(parsed(QStringLiteral("payload=ab,frag=2,fin=0")));
    QVERIFY(!open.frames.last().info.fin);
    QCOMPARE(plan.chunks.size(), 5);
}

void tst_FrameBuilder::closeFrames()
{
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("close=1005:bye,mask=off"))).bytes(),
        QByteArray::fromHex("880503ed627965"));
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("close=65535:hex:c0 af,mask=off"))).bytes(),
        QByteArray::fromHex("8804ffffc0af"));
    QCOMPARE(FrameBuilder::build(parsed(QStringLiteral("close=0,mask=off"))).bytes(),
        QByteArray::fromHex("88020000"));
    QCOMPARE(
        FrameBuilder::build(parsed(QStringLiteral("close,mask=off"))).bytes(), QByteArray::fromHex("8800"));
    QCOMPARE(parsed(QStringLiteral("close=1006")).closeCode, std::optional<int>(1006));
}

void tst_FrameBuilder::badUtf8AndQuotes()
{
    QCOMPARE(parsed(QStringLiteral("payload=ok,bad-utf8")).payload, QByteArray("ok\xc0\xaf"));
    QCOMPARE(parsed(QStringLiteral("payload=\"a, b\\\"c\\x80\\n\"")).payload, QByteArray("a, b\"c\x80\n"));
    QCOMPARE(parsed(QStringLiteral("payload=text:\u4e8c")).payload, QStringLiteral("\u4e8c").toUtf8());
    QCOMPARE(parsed(QStringLiteral(" op = binary , payload = hex:0x0102 ,")).payload, QByteArray("\x01\x02"));
}

void tst_FrameBuilder::bytewisePacing()
{
    const FrameBuilder::Plan plan
        = FrameBuilder::build(parsed(QStringLiteral("payload=abc,bytewise=10ms,mask=off,frag=2,gap=50")));
    // 2+1 bytes then 2+2: every byte a chunk, 10 ms apart, 50 ms before the second frame.
    QCOMPARE(plan.chunks.size(), 7);
    QCOMPARE(plan.chunks.at(0).delayMs, 0);
    QCOMPARE(plan.chunks.at(0).frame, 0);
    QCOMPARE(plan.chunks.at(1).delayMs, 10);
    QCOMPARE(plan.chunks.at(1).frame, -1);
    QCOMPARE(plan.chunks.at(3).delayMs, 50);
    QCOMPARE(plan.chunks.at(3).frame, 1);
    for (const FrameBuilder::Chunk &c : plan.chunks)
        QCOMPARE(c.bytes.size(), 1);
    QCOMPARE(plan.bytes(), QByteArray::fromHex("010161") + QByteArray::fromHex("80026263"));
}

void tst_FrameBuilder::describe()
{
    QCOMPARE(parsed(QStringLiteral("op=text,fin=0,rsv1,payload=hello world!,len=+3")).describe(),
        QStringLiteral("hand-made frame: text, FIN=0, RSV1, 12 bytes, length lies: 15"));
    QCOMPARE(parsed(QStringLiteral("close=1005:x,mask=off")).describe(),
        QStringLiteral("hand-made frame: close, code 1005, unmasked, 3 bytes"));
    QCOMPARE(parsed(QStringLiteral("op=11,payload=a,frag=1,bytewise=5")).describe(),
        QStringLiteral("hand-made frame: reserved opcode 0xB, 1 byte, one byte every 5 ms"));
}

void tst_FrameBuilder::errors_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown key") << QStringLiteral("op=text,fragments=2")
                                 << QStringLiteral("frame spec: unknown key 'fragments'");
    QTest::newRow("opcode") << QStringLiteral("op=16")
                            << QStringLiteral("frame spec: op: '16' is not an opcode");
    QTest::newRow("fin") << QStringLiteral("fin=2") << QStringLiteral("frame spec: fin: '2' is not 0 or 1");
    QTest::newRow("mask") << QStringLiteral("mask=123")
                          << QStringLiteral("frame spec: mask: '123' is not on, off or a 4-byte key");
    QTest::newRow("hex") << QStringLiteral("payload=hex:abc")
                         << QStringLiteral("frame spec: payload: 'abc' is not hex bytes");
    QTest::newRow("hex chars") << QStringLiteral("payload=hex:zz")
                               << QStringLiteral("frame spec: payload: 'zz' is not hex bytes");
    QTest::newRow("frag 0") << QStringLiteral("frag=0")
                            << QStringLiteral("frame spec: frag: '0' is not 1 to 1000");
    QTest::newRow("close code") << QStringLiteral("close=70000")
                                << QStringLiteral("frame spec: close: '70000' is not a close code");
    QTest::newRow("len") << QStringLiteral("len=abc")
                         << QStringLiteral("frame spec: len: 'abc' is not a length");
    QTest::newRow("len16 too long") << QStringLiteral("payload=fill:70000,len16")
                                    << QStringLiteral("frame spec: len16: the length is over 65535");
    QTest::newRow("absolute len with frag")
        << QStringLiteral("len=3,frag=2") << QStringLiteral("frame spec: len: an absolute length with frag");
    QTest::newRow("bytewise") << QStringLiteral("bytewise=soon")
                              << QStringLiteral("frame spec: bytewise: 'soon' is not a delay in ms");
    QTest::newRow("quote") << QStringLiteral("payload=\"abc")
                           << QStringLiteral("frame spec: a quote is not closed");
    QTest::newRow("escape") << QStringLiteral("payload=\"\\x4\"")
                            << QStringLiteral("frame spec: '\\x' needs two hex digits");
    QTest::newRow("empty") << QStringLiteral(" , ") << QStringLiteral("frame spec: empty");
    QTest::newRow("ping payload") << QString(QStringLiteral("ping-between=") + QString(126, QLatin1Char('p')))
                                  << QStringLiteral("frame spec: ping-between: '");
    QTest::newRow("file") << QStringLiteral("payload=file:/x")
                          << QStringLiteral("frame spec: payload: cannot read '/x'");
    QTest::newRow("no value") << QStringLiteral("op")
                              << QStringLiteral("frame spec: op: '' is not an opcode");
}

void tst_FrameBuilder::errors()
{
    QFETCH(QString, spec);
    QFETCH(QString, error);
    FrameSpec out;
    out.opcode = 0x2;
    QString problem;
    QVERIFY(!FrameSpecParser::parse(spec, &out, &problem, {}));
    QVERIFY2(problem.startsWith(error), qPrintable(problem));
    QVERIFY(!problem.contains(QLatin1Char('\n')));
    QCOMPARE(out.opcode, quint8(0x2)); // untouched
}

void tst_FrameBuilder::fileAndFill()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("from a file");
    file.close();
    FrameSpec spec;
    QString error;
    QVERIFY2(
        FrameSpecParser::parse(QStringLiteral("op=binary,payload=file:") + file.fileName(), &spec, &error),
        qPrintable(error));
    QCOMPARE(spec.payload, QByteArray("from a file"));
    QCOMPARE(parsed(QStringLiteral("payload=fill:3")).payload, QByteArray("***"));
}

QTEST_GUILESS_MAIN(tst_FrameBuilder)
#include "tst_FrameBuilder.moc"
