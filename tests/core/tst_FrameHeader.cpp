// The one parser of frame headers (protocol/FrameHeader): every length form and its edges, masks,
// headers cut anywhere, and lengths not in their shortest form.
#include "protocol/FrameHeader.h"

#include "FrameBytes.h"

#include <QtTest>

using namespace wst;

class tst_FrameHeader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lengthForms_data();
    void lengthForms();
    void bitsAndOpcodes_data();
    void bitsAndOpcodes();
    void partialHeaders_data();
    void partialHeaders();
    void nonMinimalLengths_data();
    void nonMinimalLengths();
    void opcodeClasses();
};

namespace {

// A header with the length in the form asked for (0: 7-bit, 2: 16-bit, 8: 64-bit).
QByteArray header(quint8 b0, quint64 length, int lengthBytes, quint32 mask = 0, bool masked = false)
{
    QByteArray h;
    h.append(char(b0));
    const char maskBit = masked ? char(0x80) : char(0);
    if (lengthBytes == 0) {
        h.append(char(maskBit | char(length)));
    } else {
        h.append(char(maskBit | (lengthBytes == 2 ? 126 : 127)));
        for (int i = lengthBytes - 1; i >= 0; --i)
            h.append(char((length >> (8 * i)) & 0xff));
    }
    if (masked) {
        for (int i = 3; i >= 0; --i)
            h.append(char((mask >> (8 * i)) & 0xff));
    }
    return h;
}

} // namespace

void tst_FrameHeader::lengthForms_data()
{
    QTest::addColumn<quint64>("length");
    QTest::addColumn<int>("lengthBytes");
    QTest::addColumn<bool>("masked");
    for (const bool masked : { false, true }) {
        const char *m = masked ? "masked" : "unmasked";
        QTest::addRow("0, %s", m) << quint64(0) << 0 << masked;
        QTest::addRow("125, %s", m) << quint64(125) << 0 << masked;
        QTest::addRow("126, %s", m) << quint64(126) << 2 << masked;
        QTest::addRow("65535, %s", m) << quint64(65535) << 2 << masked;
        QTest::addRow("65536, %s", m) << quint64(65536) << 8 << masked;
        QTest::addRow("2^32+5, %s", m) << (quint64(1) << 32) + 5 << 8 << masked;
        QTest::addRow("2^63-1, %s", m) << (quint64(1) << 63) - 1 << 8 << masked;
    }
}

void tst_FrameHeader::lengthForms()
{
    QFETCH(quint64, length);
    QFETCH(int, lengthBytes);
    QFETCH(bool, masked);
    const quint32 mask = 0x8badf00d;
    const QByteArray bytes = header(0x82, length, lengthBytes, mask, masked) + QByteArray("payload...");
    const int expectedSize = 2 + lengthBytes + (masked ? 4 : 0);
    FrameHeader h;
    QCOMPARE(FrameHeader::sizeFor(quint8(bytes[1])), expectedSize);
    QCOMPARE(FrameHeader::parse(bytes, &h), expectedSize);
    QCOMPARE(h.size, expectedSize);
    QCOMPARE(h.length, length);
    QCOMPARE(h.masked, masked);
    QCOMPARE(h.maskKey, masked ? mask : 0u);
    QCOMPARE(h.opcode, Opcode::Binary);
    QVERIFY(h.fin);
    QCOMPARE(h.rsv, quint8(0));
    QVERIFY(h.isShortestLength());
}

void tst_FrameHeader::bitsAndOpcodes_data()
{
    QTest::addColumn<quint8>("b0");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<quint8>("rsv");
    QTest::addColumn<quint8>("opcode");
    QTest::newRow("continuation, not final") << quint8(0x00) << false << quint8(0) << quint8(0x0);
    QTest::newRow("text") << quint8(0x81) << true << quint8(0) << quint8(0x1);
    QTest::newRow("binary, RSV1") << quint8(0xc2) << true << quint8(4) << quint8(0x2);
    QTest::newRow("close, RSV2") << quint8(0xa8) << true << quint8(2) << quint8(0x8);
    QTest::newRow("ping, RSV3") << quint8(0x99) << true << quint8(1) << quint8(0x9);
    QTest::newRow("pong, all RSV") << quint8(0xfa) << true << quint8(7) << quint8(0xA);
    QTest::newRow("reserved 0x3") << quint8(0x83) << true << quint8(0) << quint8(0x3);
    QTest::newRow("reserved 0xF") << quint8(0x8f) << true << quint8(0) << quint8(0xF);
}

void tst_FrameHeader::bitsAndOpcodes()
{
    QFETCH(quint8, b0);
    QFETCH(bool, fin);
    QFETCH(quint8, rsv);
    QFETCH(quint8, opcode);
    FrameHeader h;
    QCOMPARE(FrameHeader::parse(header(b0, 5, 0), &h), 2);
    QCOMPARE(h.fin, fin);
    QCOMPARE(h.rsv, rsv);
    QCOMPARE(quint8(h.opcode), opcode);
    QCOMPARE(h.isControl(), opcode >= 0x8);
    QCOMPARE(h.length, 5u);
}

void tst_FrameHeader::partialHeaders_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("7-bit") << header(0x81, 3, 0);
    QTest::newRow("7-bit, masked") << header(0x81, 3, 0, 0x01020304, true);
    QTest::newRow("16-bit") << header(0x82, 300, 2);
    QTest::newRow("16-bit, masked") << header(0x82, 300, 2, 0xffffffff, true);
    QTest::newRow("64-bit") << header(0x82, 70000, 8);
    QTest::newRow("64-bit, masked") << header(0x82, 70000, 8, 0x00000001, true);
}

void tst_FrameHeader::partialHeaders()
{
    // Cut anywhere before its end, a header is not parsed (and leaves the struct alone); whole,
    // with or without payload after it, it is.
    QFETCH(QByteArray, bytes);
    for (qsizetype n = 0; n < bytes.size(); ++n) {
        FrameHeader h;
        h.length = 4242;
        QCOMPARE(FrameHeader::parse(bytes.first(n), &h), 0);
        QCOMPARE(h.length, 4242u);
        QCOMPARE(h.size, 0);
    }
    FrameHeader whole;
    QCOMPARE(FrameHeader::parse(bytes, &whole), int(bytes.size()));
    FrameHeader withPayload;
    QCOMPARE(FrameHeader::parse(QByteArray(bytes + QByteArray(3, 'x')), &withPayload), int(bytes.size()));
    QCOMPARE(withPayload.length, whole.length);
    QCOMPARE(withPayload.maskKey, whole.maskKey);
    // The same header as the test peers build it (every mask key here is non-zero).
    const QByteArray peer = test::frameBytes(
        quint8(bytes[0]) & 0x0f, true, QByteArray(qsizetype(whole.length), 'p'), whole.maskKey);
    QCOMPARE(peer.first(whole.size), bytes);
}

void tst_FrameHeader::nonMinimalLengths_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<quint64>("length");
    QTest::newRow("16-bit form of 0") << header(0x81, 0, 2) << quint64(0);
    QTest::newRow("16-bit form of 125") << header(0x81, 125, 2) << quint64(125);
    QTest::newRow("64-bit form of 125") << header(0x82, 125, 8) << quint64(125);
    QTest::newRow("64-bit form of 126") << header(0x82, 126, 8) << quint64(126);
    QTest::newRow("64-bit form of 65535") << header(0x82, 65535, 8) << quint64(65535);
    QTest::newRow("64-bit form of 65535, masked")
        << header(0x82, 65535, 8, 0x12345678, true) << quint64(65535);
    QTest::newRow("64-bit with the top bit")
        << header(0x82, (quint64(1) << 63) | 2, 8) << ((quint64(1) << 63) | 2);
    QTest::newRow("64-bit all ones") << header(0x82, ~quint64(0), 8) << ~quint64(0);
}

void tst_FrameHeader::nonMinimalLengths()
{
    // Parsed as declared (the frame view shows them), and flagged.
    QFETCH(QByteArray, bytes);
    QFETCH(quint64, length);
    FrameHeader h;
    QCOMPARE(FrameHeader::parse(bytes, &h), int(bytes.size()));
    QCOMPARE(h.length, length);
    QVERIFY(!h.isShortestLength());
}

void tst_FrameHeader::opcodeClasses()
{
    for (int op = 0; op < 16; ++op) {
        QCOMPARE(isControl(Opcode(op)), op >= 8);
        QCOMPARE(isKnown(Opcode(op)), op <= 2 || (op >= 8 && op <= 10));
    }
    FrameHeader h;
    QCOMPARE(FrameHeader::parse(QByteArray("\x89\x80\x00\x00\x00\x00", 6), &h), 6);
    QVERIFY(h.masked); // a mask key of 0 is still a mask
    QCOMPARE(h.maskKey, 0u);
    QCOMPARE(h.maskByte(0), quint8(0));
    QCOMPARE(FrameHeader::parse(QByteArray("\x89\x80\xa1\xb2\xc3\xd4", 6), &h), 6);
    QCOMPARE(h.maskByte(0), quint8(0xa1));
    QCOMPARE(h.maskByte(3), quint8(0xd4));
    QCOMPARE(h.maskByte(5), quint8(0xb2));
}

QTEST_GUILESS_MAIN(tst_FrameHeader)
#include "tst_FrameHeader.moc"
