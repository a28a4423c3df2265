#include "protocol/PerMessageDeflate.h"

#include "FrameBytes.h"
#include "connection/DeflateStage.h"
#include "protocol/FrameHeader.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wst;
using wst::test::frameBytes;

class tst_PerMessageDeflate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offerHeader();
    void offerOptions();
    void negotiation_data();
    void negotiation();
    void otherExtensionsKept();
    void rfcExamples();
    void roundTrip_data();
    void roundTrip();
    void badData();
    void bombStopsAtLimit();
    void stageInflatesFragments();
    void stageErrors();
    void stageDeflatesClientMessages();
};

void tst_PerMessageDeflate::offerHeader()
{
    DeflateOffer offer;
    QCOMPARE(offer.headerValue(), QByteArray("permessage-deflate; client_max_window_bits"));
    offer.clientNoContextTakeover = true;
    offer.serverNoContextTakeover = true;
    offer.serverMaxWindowBits = 10;
    offer.clientMaxWindowBits = 12;
    QCOMPARE(offer.headerValue(),
        QByteArray("permessage-deflate; client_no_context_takeover; server_no_context_takeover; "
                   "server_max_window_bits=10; client_max_window_bits=12"));
}

void tst_PerMessageDeflate::offerOptions()
{
    DeflateOffer offer;
    QString error;
    QVERIFY(offer.setOption(QStringLiteral("server_max_window_bits=9"), &error));
    QVERIFY(offer.setOption(QStringLiteral("client_no_context_takeover"), &error));
    QCOMPARE(offer.serverMaxWindowBits, 9);
    QVERIFY(offer.clientNoContextTakeover);
    QVERIFY(!offer.setOption(QStringLiteral("server_max_window_bits=16"), &error));
    QVERIFY2(error.contains(QLatin1String("8 to 15")), qPrintable(error));
    QVERIFY(!offer.setOption(QStringLiteral("client_max_window_bits=8"), &error));
    QVERIFY(!offer.setOption(QStringLiteral("client_no_context_takeover=1"), &error));
    QVERIFY(!offer.setOption(QStringLiteral("level=9"), &error));
    QVERIFY2(error.contains(QLatin1String("level")), qPrintable(error));
    QCOMPARE(offer.options(),
        QStringList(
            { QStringLiteral("client_no_context_takeover"), QStringLiteral("server_max_window_bits=9") }));
}

void tst_PerMessageDeflate::negotiation_data()
{
    QTest::addColumn<QString>("offerOptions");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QString>("agreementOrError");
    using O = DeflateNegotiation::Outcome;
    QTest::newRow("none") << QString() << QByteArray() << int(O::Declined) << QString();
    QTest::newRow("plain") << QString() << QByteArray("permessage-deflate") << int(O::Accepted)
                           << QStringLiteral("15 0 15 0");
    QTest::newRow("all") << QString()
                         << QByteArray("permessage-deflate; server_no_context_takeover; "
                                       "client_no_context_takeover; server_max_window_bits=10; "
                                       "client_max_window_bits=\"11\"")
                         << int(O::Accepted) << QStringLiteral("10 1 11 1");
    QTest::newRow("case") << QString() << QByteArray("PerMessage-Deflate;Server_Max_Window_Bits=12")
                          << int(O::Accepted) << QStringLiteral("12 0 15 0");
    QTest::newRow("twice") << QString() << QByteArray("permessage-deflate, permessage-deflate")
                           << int(O::Failed) << QStringLiteral("twice");
    QTest::newRow("unknown") << QString() << QByteArray("permessage-deflate; foo=1") << int(O::Failed)
                             << QStringLiteral("foo");
    QTest::newRow("window 16") << QString() << QByteArray("permessage-deflate; server_max_window_bits=16")
                               << int(O::Failed) << QStringLiteral("not 8 to 15");
    QTest::newRow("window no value") << QString() << QByteArray("permessage-deflate; server_max_window_bits")
                                     << int(O::Failed) << QStringLiteral("not 8 to 15");
    QTest::newRow("value on flag") << QString()
                                   << QByteArray("permessage-deflate; server_no_context_takeover=1")
                                   << int(O::Failed) << QStringLiteral("takes no value");
    QTest::newRow("dup param") << QString()
                               << QByteArray("permessage-deflate; server_max_window_bits=9; "
                                             "server_max_window_bits=9")
                               << int(O::Failed) << QStringLiteral("twice");
    QTest::newRow("client window not offered")
        << QStringLiteral("no-client-window") << QByteArray("permessage-deflate; client_max_window_bits=10")
        << int(O::Failed) << QStringLiteral("not offered");
    QTest::newRow("server window above offer")
        << QStringLiteral("server_max_window_bits=10")
        << QByteArray("permessage-deflate; server_max_window_bits=12") << int(O::Failed)
        << QStringLiteral("larger than the 10 offered");
    QTest::newRow("server window missing")
        << QStringLiteral("server_max_window_bits=10") << QByteArray("permessage-deflate") << int(O::Failed)
        << QStringLiteral("requested but not accepted");
    QTest::newRow("server takeover missing")
        << QStringLiteral("server_no_context_takeover") << QByteArray("permessage-deflate") << int(O::Failed)
        << QStringLiteral("requested but not accepted");
    QTest::newRow("client window 8") << QString()
                                     << QByteArray("permessage-deflate; client_max_window_bits=8")
                                     << int(O::Failed) << QStringLiteral("zlib");
    QTest::newRow("client window offered value")
        << QStringLiteral("client_max_window_bits=12") << QByteArray("permessage-deflate") << int(O::Accepted)
        << QStringLiteral("15 0 12 0");
}

void tst_PerMessageDeflate::negotiation()
{
    QFETCH(QString, offerOptions);
    QFETCH(QByteArray, response);
    QFETCH(int, outcome);
    QFETCH(QString, agreementOrError);
    DeflateOffer offer;
    QString error;
    if (offerOptions == QLatin1String("no-client-window"))
        offer.clientMaxWindowBits = -1;
    else if (!offerOptions.isEmpty())
        QVERIFY(offer.setOption(offerOptions, &error));
    const DeflateNegotiation n = DeflateNegotiation::fromResponse(
        offer, response.isEmpty() ? QList<QByteArray>() : QList { response });
    QCOMPARE(int(n.outcome), outcome);
    if (n.outcome == DeflateNegotiation::Outcome::Failed) {
        QVERIFY2(n.error.contains(agreementOrError), qPrintable(n.error));
        QVERIFY(!n.error.contains(QLatin1Char('\n')));
    } else if (n.outcome == DeflateNegotiation::Outcome::Accepted) {
        const DeflateAgreement &a = n.agreement;
        QCOMPARE(QStringLiteral("%1 %2 %3 %4")
                     .arg(a.serverMaxWindowBits)
                     .arg(int(a.serverNoContextTakeover))
                     .arg(a.clientMaxWindowBits)
                     .arg(int(a.clientNoContextTakeover)),
            agreementOrError);
    }
}

void tst_PerMessageDeflate::otherExtensionsKept()
{
    const DeflateNegotiation n = DeflateNegotiation::fromResponse(
        DeflateOffer(), { QByteArray("x-foo; a=\"b,c\""), QByteArray("permessage-deflate, x-bar") });
    QCOMPARE(n.outcome, DeflateNegotiation::Outcome::Accepted);
    QCOMPARE(n.remainingExtensions, QByteArray("x-foo; a=\"b,c\", x-bar"));
}

void tst_PerMessageDeflate::rfcExamples()
{
    // RFC 7692 section 7.2.3: "Hello" compressed, then again with the same context, a stored
    // block, and a final block.
    MessageInflater inflater(false, 1000);
    QByteArray out;
    QCOMPARE(inflater.inflate(QByteArray::fromHex("f248cdc9c90700"), &out), MessageInflater::Result::Ok);
    QCOMPARE(out, QByteArray("Hello"));
    QCOMPARE(inflater.inflate(QByteArray::fromHex("f200110000"), &out), MessageInflater::Result::Ok);
    QCOMPARE(out, QByteArray("Hello"));
    QCOMPARE(
        inflater.inflate(QByteArray::fromHex("000500faff48656c6c6f00"), &out), MessageInflater::Result::Ok);
    QCOMPARE(out, QByteArray("Hello"));
    QCOMPARE(inflater.inflate(QByteArray::fromHex("f348cdc9c9070000"), &out), MessageInflater::Result::Ok);
    QCOMPARE(out, QByteArray("Hello"));
    QCOMPARE(inflater.inflate(QByteArray::fromHex("f248cdc9c90700"), &out), MessageInflater::Result::Ok);
    QCOMPARE(out, QByteArray("Hello"));
    MessageDeflater deflater(15, false);
    QCOMPARE(deflater.deflate("Hello").toHex(), QByteArray("f248cdc9c90700"));
    QCOMPARE(deflater.deflate("Hello").toHex(), QByteArray("f200110000"));
    MessageDeflater fresh(15, true);
    QCOMPARE(fresh.deflate("Hello").toHex(), QByteArray("f248cdc9c90700"));
    QCOMPARE(fresh.deflate("Hello").toHex(), QByteArray("f248cdc9c90700"));
}

void tst_PerMessageDeflate::roundTrip_data()
{
    QTest::addColumn<int>("windowBits");
    QTest::addColumn<bool>("noTakeover");
    QTest::addColumn<int>("size");
    for (const int bits : { 9, 12, 15 }) {
        for (const bool no : { false, true }) {
            for (const int size : { 0, 1, 1000, 300000 })
                QTest::addRow("w%d %s %d", bits, no ? "reset" : "takeover", size) << bits << no << size;
        }
    }
}

void tst_PerMessageDeflate::roundTrip()
{
    QFETCH(int, windowBits);
    QFETCH(bool, noTakeover);
    QFETCH(int, size);
    MessageDeflater deflater(windowBits, noTakeover);
    MessageInflater inflater(noTakeover, 1 << 20);
    QRandomGenerator random(size + windowBits);
    for (int round = 0; round < 3; ++round) {
        QByteArray message;
        for (int i = 0; i < size; ++i)
            message.append(char('a' + random.bounded(4)));
        const QByteArray compressed = deflater.deflate(message);
        QVERIFY(!compressed.endsWith(QByteArray::fromHex("0000ffff")) || compressed.size() > 4);
        QByteArray out;
        QCOMPARE(inflater.inflate(compressed, &out), MessageInflater::Result::Ok);
        QCOMPARE(out, message);
        if (size >= 1000)
            QVERIFY(compressed.size() < message.size() / 2);
    }
}

void tst_PerMessageDeflate::badData()
{
    MessageInflater inflater(false, 1000);
    QByteArray out;
    QCOMPARE(inflater.inflate(QByteArray::fromHex("ffffffff"), &out), MessageInflater::Result::BadData);
    QVERIFY(!inflater.lastError().isEmpty());
    // The inflater starts afresh after bad data.
    QCOMPARE(inflater.inflate(QByteArray::fromHex("f248cdc9c90700"), &out), MessageInflater::Result::Ok);
    QCOMPARE(out, QByteArray("Hello"));
}

void tst_PerMessageDeflate::bombStopsAtLimit()
{
    MessageDeflater deflater(15, true);
    const QByteArray compressed = deflater.deflate(QByteArray(50 * 1000 * 1000, 'x'));
    QVERIFY(compressed.size() < 100000);
    MessageInflater inflater(true, 1000 * 1000);
    QByteArray out;
    QCOMPARE(inflater.inflate(compressed, &out), MessageInflater::Result::TooBig);
    QVERIFY(out.isEmpty());
    MessageInflater big(true, 50 * 1000 * 1000);
    QCOMPARE(big.inflate(compressed, &out), MessageInflater::Result::Ok);
    QCOMPARE(out.size(), 50 * 1000 * 1000);
}

void tst_PerMessageDeflate::stageInflatesFragments()
{
    DeflateStage stage(DeflateAgreement(), 1 << 20);
    MessageDeflater deflater(15, false);
    const QByteArray text(5000, 'z');
    const QByteArray compressed = deflater.deflate(text);
    // A compressed message in three fragments, a ping in between, then a plain message.
    const QByteArray wire = frameBytes(0x1, false, compressed.left(3), 0, 0x4) + frameBytes(0x9, true, "p")
        + frameBytes(0x0, false, compressed.mid(3, 2)) + frameBytes(0x0, true, compressed.mid(5))
        + frameBytes(0x2, true, "raw");
    QByteArray plain;
    for (const char c : wire)
        plain += stage.fromServer(QByteArrayView(&c, 1)); // byte by byte
    QCOMPARE(stage.failureCode(), 0);
    QCOMPARE(plain, frameBytes(0x9, true, "p") + frameBytes(0x1, true, text) + frameBytes(0x2, true, "raw"));
    QCOMPARE(stage.totals().wireIn, quint64(compressed.size() + 3));
    QCOMPARE(stage.totals().messageIn, quint64(text.size() + 3));
    const QList<DeflateStage::Sizes> sizes = stage.takeInflated();
    QCOMPARE(sizes.size(), 1);
    QCOMPARE(sizes.first().message, quint64(5000));
}

void tst_PerMessageDeflate::stageErrors()
{
    {
        DeflateStage stage(DeflateAgreement(), 1 << 20);
        QVERIFY(stage.fromServer(frameBytes(0x9, true, "p", 0, 0x4)).isEmpty());
        QCOMPARE(stage.failureCode(), 1002);
        QVERIFY2(stage.failureReason().contains(QLatin1String("control frame")),
            qPrintable(stage.failureReason()));
    }
    {
        DeflateStage stage(DeflateAgreement(), 1 << 20);
        QVERIFY(stage.fromServer(frameBytes(0x1, true, QByteArray::fromHex("ffffffff"), 0, 0x4)).isEmpty());
        QCOMPARE(stage.failureCode(), 1007);
        QVERIFY(stage.fromServer(frameBytes(0x1, true, "after")).isEmpty());
    }
    {
        DeflateStage stage(DeflateAgreement(), 1000);
        MessageDeflater deflater(15, false);
        QVERIFY(stage.fromServer(frameBytes(0x2, true, deflater.deflate(QByteArray(100000, 0)), 0, 0x4))
                    .isEmpty());
        QCOMPARE(stage.failureCode(), 1009);
    }
    {
        DeflateStage stage(DeflateAgreement(), 1 << 20);
        stage.fromServer(QByteArray(frameBytes(0x1, false, "a") + frameBytes(0x0, true, "b", 0, 0x4)));
        QCOMPARE(stage.failureCode(), 1002);
    }
}

void tst_PerMessageDeflate::stageDeflatesClientMessages()
{
    DeflateAgreement agreement;
    agreement.clientNoContextTakeover = true;
    DeflateStage stage(agreement, 1 << 20);
    const QByteArray message(200000, 'q');
    // As QWebSocket sends it: masked, in two fragments, with a ping before them.
    const QByteArray plain = frameBytes(0x9, true, "hi", 0x01020304)
        + frameBytes(0x2, false, message.left(7), 0xa1b2c3d4)
        + frameBytes(0x0, true, message.mid(7), 0x55667788);
    QByteArray wire = stage.fromClient(plain.left(10));
    wire += stage.fromClient(plain.mid(10));
    QVERIFY(wire.startsWith(frameBytes(0x9, true, "hi", 0x01020304)));
    const QByteArray rest = wire.mid(frameBytes(0x9, true, "hi", 0x01020304).size());
    FrameHeader h;
    const int headerSize = FrameHeader::parse(rest, &h);
    QVERIFY(headerSize > 0);
    QVERIFY(h.fin);
    QCOMPARE(h.rsv, quint8(0x4));
    QCOMPARE(h.opcode, Opcode::Binary);
    QVERIFY(h.masked);
    QCOMPARE(qsizetype(h.length), rest.size() - headerSize);
    QByteArray payload = rest.mid(headerSize);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(payload[i] ^ char(h.maskByte(quint64(i))));
    MessageInflater inflater(true, 1 << 20);
    QByteArray out;
    QCOMPARE(inflater.inflate(payload, &out), MessageInflater::Result::Ok);
    QCOMPARE(out, message);
    QCOMPARE(stage.totals().messageOut, quint64(message.size()));
    QCOMPARE(stage.totals().wireOut, quint64(payload.size()));
}

QTEST_GUILESS_MAIN(tst_PerMessageDeflate)
#include "tst_PerMessageDeflate.moc"
