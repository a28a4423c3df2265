// The STOMP frame codec (protocols/stomp/StompFrame) and StompProtocol::decode/toJson: escaping,
// content-length with NULs, CRLF, heart-beats, several frames in one message, limits and
// malformed frames (one clear line, never a crash).
#include "protocols/Protocol.h"
#include "protocols/stomp/StompFrame.h"
#include "protocols/stomp/StompProtocol.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QtTest>

using namespace wst;

class tst_StompCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripEscapesHeaders();
    void connectHeadersAreNotEscaped();
    void contentLengthKeepsNuls();
    void crlfAndSeveralFrames();
    void heartBeats();
    void malformed_data();
    void malformed();
    void limits();
    void decodeRoles();
    void decodeJsonBodyAndToJson();
    void decodeErrorFrameIsClear();
    void decodeMalformedIsAnErrorRow();
    void randomMutationsNeverCrash();

private:
    static std::shared_ptr<const Protocol> stomp();
};

std::shared_ptr<const Protocol> tst_StompCodec::stomp()
{
    ProtocolOptions o;
    o.id = ProtocolId::Stomp;
    return Protocol::create(o);
}

void tst_StompCodec::roundTripEscapesHeaders()
{
    const StompFrame f
        = StompFrame::make("SEND", { { "destination", "/queue/a" }, { "we:ird", "a\nb\rc:d\\e" } }, "body");
    const QByteArray wire = f.serialize();
    QCOMPARE(wire, QByteArrayLiteral("SEND\ndestination:/queue/a\nwe\\cird:a\\nb\\rc\\cd\\\\e\n\nbody\0"));
    QString error;
    const QList<StompFrame> back = StompFrame::parseAll(wire, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().command, QByteArray("SEND"));
    QCOMPARE(back.first().headers, f.headers);
    QCOMPARE(back.first().body, QByteArray("body"));
    // A repeated header: the first value counts.
    const QList<StompFrame> rep
        = StompFrame::parseAll(QByteArrayLiteral("MESSAGE\nfoo:1\nfoo:2\n\n\0"), &error);
    QCOMPARE(rep.first().header("foo"), QByteArray("1"));
}

void tst_StompCodec::connectHeadersAreNotEscaped()
{
    const StompFrame f = StompFrame::make("CONNECT", { { "passcode", "a\\b:c" } });
    QVERIFY(f.serialize().contains("passcode:a\\b:c\n"));
    QString error;
    const QList<StompFrame> back = StompFrame::parseAll(f.serialize(), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(back.first().header("passcode"), QByteArray("a\\b:c"));
}

void tst_StompCodec::contentLengthKeepsNuls()
{
    const QByteArray body("a\0b\0c", 5);
    const StompFrame f = StompFrame::make("MESSAGE", { { "content-length", "5" } }, body);
    QString error;
    const QList<StompFrame> back = StompFrame::parseAll(f.serialize() + f.serialize(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.size(), 2);
    QCOMPARE(back.at(1).body, body);
    // Without content-length the body ends at the first NUL.
    const QList<StompFrame> cut = StompFrame::parseAll(QByteArrayLiteral("MESSAGE\n\nab\0"), &error);
    QCOMPARE(cut.first().body, QByteArray("ab"));
}

void tst_StompCodec::crlfAndSeveralFrames()
{
    QString error;
    const QByteArray wire
        = QByteArrayLiteral("\r\nRECEIPT\r\nreceipt-id:7\r\n\r\n\0\r\n\nMESSAGE\ndestination:/t\n\nhi\0\n");
    const QList<StompFrame> frames = StompFrame::parseAll(wire, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames.at(0).header("receipt-id"), QByteArray("7"));
    QCOMPARE(frames.at(1).body, QByteArray("hi"));
}

void tst_StompCodec::heartBeats()
{
    QString error;
    for (const QByteArray &beat : { QByteArray("\n"), QByteArray("\r\n"), QByteArray("\n\n") }) {
        const QList<StompFrame> frames = StompFrame::parseAll(beat, &error);
        QCOMPARE(frames.size(), 1);
        QVERIFY(frames.first().heartbeat);
    }
    QCOMPARE(StompFrame::heartBeat().serialize(), QByteArray("\n"));
    const ProtocolMessage m = stomp()->decode(Direction::In, Kind::Text, "\n");
    QCOMPARE(m.role, ProtocolMessage::Role::KeepAlive);
    QCOMPARE(m.summary(), QStringLiteral("heart-beat"));
    QVERIFY(!stomp()->toJson(m).contains(QStringLiteral("body")));
}

void tst_StompCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "an empty message";
    QTest::newRow("no NUL") << QByteArray("SEND\ndestination:/a\n\nbody") << "no NUL terminator";
    QTest::newRow("no blank line") << QByteArray("SEND\ndestination:/a") << "ends inside its headers";
    QTest::newRow("lower-case command")
        << QByteArrayLiteral("send\n\n\0") << "\"send\" is not a STOMP command";
    QTest::newRow("no colon") << QByteArrayLiteral("SEND\nnocolon\n\n\0") << "has no colon";
    QTest::newRow("empty name") << QByteArrayLiteral("SEND\n:v\n\n\0") << "empty name";
    QTest::newRow("bad escape") << QByteArrayLiteral("SEND\na:\\t\n\n\0")
                                << "undefined escape sequence \"\\t\"";
    QTest::newRow("lone backslash") << QByteArrayLiteral("SEND\na:x\\\n\n\0") << "lone backslash";
    QTest::newRow("bad length") << QByteArrayLiteral("SEND\ncontent-length:x\n\n\0")
                                << "is not a number of bytes";
    QTest::newRow("short body") << QByteArrayLiteral("SEND\ncontent-length:9\n\nab\0")
                                << "says 9 bytes but only 3 follow";
    QTest::newRow("no NUL after length")
        << QByteArrayLiteral("SEND\ncontent-length:1\n\nab\0") << "no NUL after the 1 bytes";
    QTest::newRow("only a NUL") << QByteArrayLiteral("\0") << "ends inside its command line";
}

void tst_StompCodec::malformed()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, expected);
    QString error;
    StompFrame::parseAll(wire, &error);
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_StompCodec::limits()
{
    QString error;
    QByteArray many = "SEND\n";
    for (int i = 0; i <= StompFrame::MaxHeaders; ++i)
        many += "h" + QByteArray::number(i) + ":v\n";
    StompFrame::parseAll(many + "\n" + QByteArray(1, '\0'), &error);
    QVERIFY2(error.contains(QStringLiteral("more than 1000 headers")), qPrintable(error));
    const QByteArray longHeader
        = "SEND\nh:" + QByteArray(StompFrame::MaxHeaderLineBytes, 'x') + "\n\n" + QByteArray(1, '\0');
    StompFrame::parseAll(longHeader, &error);
    QVERIFY2(error.contains(QStringLiteral("longer than 10240 bytes")), qPrintable(error));
    StompFrame::parseAll(QByteArray(100, 'A') + "\n\n" + QByteArray(1, '\0'), &error);
    QVERIFY2(error.contains(QStringLiteral("command line is longer")), qPrintable(error));
}

void tst_StompCodec::decodeRoles()
{
    using Role = ProtocolMessage::Role;
    const auto p = stomp();
    auto role
        = [&p](const QByteArray &wire) { return p->decode(Direction::In, Kind::Text, wire + '\0').role; };
    QCOMPARE(role("MESSAGE\ndestination:/a\nmessage-id:1\nsubscription:sub-0\n\n"), Role::Event);
    QCOMPARE(role("RECEIPT\nreceipt-id:r\n\n"), Role::Reply);
    QCOMPARE(role("CONNECTED\nversion:1.2\n\n"), Role::Handshake);
    QCOMPARE(role("CONNECT\naccept-version:1.2\n\n"), Role::Handshake);
    QCOMPARE(role("STOMP\naccept-version:1.2\n\n"), Role::Handshake);
    QCOMPARE(role("SUBSCRIBE\nid:0\ndestination:/a\n\n"), Role::Control);
    QCOMPARE(role("ACK\nid:1\n\n"), Role::Control);
    QCOMPARE(role("BEGIN\ntransaction:t\n\n"), Role::Control);
    QCOMPARE(role("SEND\ndestination:/a\n\n"), Role::Event);
    QCOMPARE(role("ERROR\nmessage:x\n\n"), Role::Error);
    QCOMPARE(role("FOO\n\n"), Role::Error);
    QCOMPARE(p->decode(Direction::In, Kind::Open, "x").role, Role::None);

    const ProtocolMessage m = p->decode(Direction::In, Kind::Text,
        QByteArrayLiteral(
            "MESSAGE\ndestination:/topic/a\nmessage-id:m7\nsubscription:sub-0\n\nplain text\0"));
    QCOMPARE(m.type, QStringLiteral("MESSAGE"));
    QCOMPARE(m.name, QStringLiteral("/topic/a"));
    QCOMPARE(m.id, QStringLiteral("m7"));
    QVERIFY(m.fields.contains(qMakePair(QStringLiteral("subscription"), QStringLiteral("sub-0"))));
    QVERIFY(m.data.isUndefined());
    QCOMPARE(m.body, QByteArray("plain text"));
    QCOMPARE(m.summary(), QStringLiteral("MESSAGE /topic/a #m7 plain text"));
    // A passcode is not repeated in the decoded fields.
    const ProtocolMessage c
        = p->decode(Direction::Out, Kind::Text, QByteArrayLiteral("CONNECT\nlogin:u\npasscode:secret\n\n\0"));
    QVERIFY(c.fields.contains(qMakePair(QStringLiteral("passcode"), QStringLiteral("***"))));
}

void tst_StompCodec::decodeJsonBodyAndToJson()
{
    const auto p = stomp();
    const QByteArray wire = QByteArrayLiteral(
        "MESSAGE\ndestination:/a\nmessage-id:1\n\n{\"x\":1}\0RECEIPT\nreceipt-id:9\n\n\0");
    const ProtocolMessage m = p->decode(Direction::In, Kind::Text, wire);
    QCOMPARE(m.data.toObject().value(QStringLiteral("x")).toInt(), 1);
    QVERIFY(m.body.isEmpty());
    const QJsonObject j = p->toJson(m);
    QCOMPARE(j.value(QStringLiteral("command")).toString(), QStringLiteral("MESSAGE"));
    QCOMPARE(j.value(QStringLiteral("destination")).toString(), QStringLiteral("/a"));
    QCOMPARE(j.value(QStringLiteral("headers")).toObject().value(QStringLiteral("message-id")).toString(),
        QStringLiteral("1"));
    QCOMPARE(j.value(QStringLiteral("body")).toObject().value(QStringLiteral("x")).toInt(), 1);
    QCOMPARE(j.value(QStringLiteral("moreFrames")).toString(), QStringLiteral("RECEIPT"));
    QCOMPARE(StompProtocol::bodyJson("42"), QJsonValue(42));
    QCOMPARE(StompProtocol::bodyJson("\"s\""), QJsonValue(QStringLiteral("s")));
    QVERIFY(StompProtocol::bodyJson("1,2").isUndefined());
    QVERIFY(StompProtocol::bodyJson("{oops").isUndefined());
    const ProtocolMessage text
        = p->decode(Direction::In, Kind::Text, QByteArrayLiteral("SEND\ndestination:/a\n\nhello\0"));
    QCOMPARE(p->toJson(text).value(QStringLiteral("body")).toString(), QStringLiteral("hello"));
}

void tst_StompCodec::decodeErrorFrameIsClear()
{
    const ProtocolMessage m = stomp()->decode(Direction::In, Kind::Text,
        QByteArrayLiteral(
            "ERROR\nmessage:access refused\ncontent-type:text/plain\n\nBad login or passcode.\0"));
    QCOMPARE(m.role, ProtocolMessage::Role::Error);
    QCOMPARE(m.name, QStringLiteral("access refused"));
    QCOMPARE(m.summary(), QStringLiteral("ERROR access refused Bad login or passcode."));
}

void tst_StompCodec::decodeMalformedIsAnErrorRow()
{
    const auto p = stomp();
    const ProtocolMessage m = p->decode(Direction::In, Kind::Text, "SEND\ndestination:/a\n\nno terminator");
    QCOMPARE(m.role, ProtocolMessage::Role::Error);
    QCOMPARE(m.summary(), QStringLiteral("STOMP: SEND: the frame has no NUL terminator"));
    // The good frame before a bad one is still described; the error names the frame.
    const ProtocolMessage second
        = p->decode(Direction::In, Kind::Binary, QByteArrayLiteral("RECEIPT\nreceipt-id:1\n\n\0bad"));
    QCOMPARE(second.type, QStringLiteral("RECEIPT"));
    QCOMPARE(second.role, ProtocolMessage::Role::Error);
    QVERIFY2(second.error.startsWith(QStringLiteral("STOMP: frame 2: ")), qPrintable(second.error));
}

void tst_StompCodec::randomMutationsNeverCrash()
{
    // A cheap, repeatable stand-in for the fuzzer: mutated frames through parse, decode,
    // summary and toJson. Every result is either frames or one error line.
    const auto p = stomp();
    const QList<QByteArray> seeds {
        QByteArrayLiteral("MESSAGE\ndestination:/a\nmessage-id:1\ncontent-length:5\n\na\0b\0c\0\n"),
        QByteArrayLiteral("CONNECT\naccept-version:1.2\nhost:h\nheart-beat:10,10\n\n\0"),
        QByteArrayLiteral("SEND\nx\\c:y\\n\r\n\r\nbody\0\r\nRECEIPT\nreceipt-id:1\n\n\0"),
    };
    QRandomGenerator rng(20261205);
    for (int i = 0; i < 20000; ++i) {
        QByteArray data = seeds.at(i % seeds.size());
        const int edits = 1 + int(rng.bounded(4));
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = rng.bounded(int(data.size()) + 1);
            switch (rng.bounded(3)) {
            case 0:
                if (at < data.size())
                    data[at] = char(rng.bounded(256));
                break;
            case 1:
                data.insert(at, char(QByteArrayView("\0\n\r:\\9").at(rng.bounded(6))));
                break;
            default:
                data.remove(at, 1 + rng.bounded(3));
            }
        }
        QString error;
        const QList<StompFrame> frames = StompFrame::parseAll(data, &error);
        QVERIFY(!frames.isEmpty() || !error.isEmpty());
        const ProtocolMessage m = p->decode(Direction::In, Kind::Binary, data);
        QVERIFY(m.role != ProtocolMessage::Role::None);
        QVERIFY(!m.summary().isEmpty());
        (void)p->toJson(m);
    }
}

QTEST_GUILESS_MAIN(tst_StompCodec)
#include "tst_StompCodec.moc"
