#include "protocol/FrameDecoder.h"

#include "FrameBytes.h"

#include <QtTest>

using namespace wst;

class tst_FrameDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unmaskedSmallFrame();
    void maskedFrameIsUnmasked();
    void extendedLengthsAcrossAnyChunking_data();
    void extendedLengthsAcrossAnyChunking();
    void boundariesFollowedWhileNotRecording();
    void storedFormRoundTrips();
};

static QByteArray frame(quint8 opcode, bool fin, const QByteArray &payload, quint32 mask = 0, quint8 rsv = 0)
{
    return test::frameBytes(opcode, fin, payload, mask, rsv);
}

static QList<FrameInfo> decode(const QByteArray &stream, qsizetype chunk, bool record = true)
{
    FrameDecoder d;
    QList<FrameInfo> out;
    for (qsizetype i = 0; i < stream.size(); i += chunk)
        d.feed(QByteArrayView(stream).sliced(i, qMin(chunk, stream.size() - i)), record,
            [&out](const FrameInfo &f) { out.append(f); });
    return out;
}

void tst_FrameDecoder::unmaskedSmallFrame()
{
    const auto frames = decode(frame(0x1, true, "hello"), 1024);
    QCOMPARE(frames.size(), 1);
    QVERIFY(frames[0].fin);
    QCOMPARE(frames[0].opcode, Opcode::Text);
    QCOMPARE(frames[0].opcodeName(), QStringLiteral("text"));
    QVERIFY(!frames[0].masked);
    QCOMPARE(frames[0].length, 5u);
    QCOMPARE(frames[0].head, QByteArray("hello"));
    QCOMPARE(frames[0].header, QByteArray("\x81\x05", 2));
}

void tst_FrameDecoder::maskedFrameIsUnmasked()
{
    const auto frames = decode(frame(0x9, true, "ping!", 0x37fa213d, 0b100), 3);
    QCOMPARE(frames.size(), 1);
    QVERIFY(frames[0].masked);
    QCOMPARE(frames[0].maskKey, 0x37fa213du);
    QCOMPARE(frames[0].rsv, quint8(0b100));
    QCOMPARE(frames[0].opcodeName(), QStringLiteral("ping"));
    QCOMPARE(frames[0].head, QByteArray("ping!"));
}

void tst_FrameDecoder::extendedLengthsAcrossAnyChunking_data()
{
    QTest::addColumn<int>("chunk");
    QTest::newRow("byte by byte") << 1;
    QTest::newRow("7 bytes") << 7;
    QTest::newRow("whole stream") << 20;
}

void tst_FrameDecoder::extendedLengthsAcrossAnyChunking()
{
    QFETCH(int, chunk);
    QByteArray medium(300, 'm');
    QByteArray large(70000, 'L');
    large[0] = 'S';
    QByteArray stream = frame(0x1, false, "frag1") + frame(0x0, false, "frag2") + frame(0x0, true, "end")
        + frame(0x2, true, medium, 0x01020304) + frame(0x2, true, large)
        + frame(0x8, true, QByteArray("\x03\xe8", 2));
    const auto frames = decode(stream, chunk == 20 ? stream.size() : chunk);
    QCOMPARE(frames.size(), 6);
    QCOMPARE(frames[0].opcode, Opcode::Text);
    QVERIFY(!frames[0].fin);
    QCOMPARE(frames[1].opcodeName(), QStringLiteral("continuation"));
    QVERIFY(frames[2].fin);
    QCOMPARE(frames[3].length, 300u);
    QCOMPARE(frames[3].head, QByteArray(FrameInfo::HeadBytes, 'm'));
    QCOMPARE(frames[4].length, 70000u);
    QCOMPARE(frames[4].header.size(), 10);
    QCOMPARE(frames[4].head.front(), 'S');
    QCOMPARE(frames[5].opcodeName(), QStringLiteral("close"));
    QCOMPARE(frames[5].head, QByteArray("\x03\xe8", 2));
}

void tst_FrameDecoder::boundariesFollowedWhileNotRecording()
{
    FrameDecoder d;
    QList<FrameInfo> out;
    const auto sink = [&out](const FrameInfo &f) { out.append(f); };
    d.feed(frame(0x1, true, QByteArray(1000, 'a')), false, sink);
    d.feed(frame(0x2, true, "xyz"), true, sink); // in sync although nothing was recorded before
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].head, QByteArray("xyz"));
}

void tst_FrameDecoder::storedFormRoundTrips()
{
    const auto frames = decode(frame(0xA, true, "pong", 0xdeadbeef), 100);
    const FrameInfo back
        = FrameInfo::fromStored(frames[0].toStored(), frames[0].header.size(), frames[0].length);
    QCOMPARE(back.opcode, Opcode::Pong);
    QCOMPARE(back.maskKey, 0xdeadbeefu);
    QVERIFY(back.fin && back.masked);
    QCOMPARE(back.head, QByteArray("pong"));
    QCOMPARE(back.length, 4u);
}

QTEST_GUILESS_MAIN(tst_FrameDecoder)
#include "tst_FrameDecoder.moc"
