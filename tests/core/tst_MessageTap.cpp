// The relay's message tap on its own: what it stores, what it passes on to the QWebSocket, and
// that it steps aside, byte-exactly, for everything QWebSocket must judge. (tst_IncomingFrames
// checks the same against real sockets, through the relay and direct.)
#include "connection/MessageTap.h"
#include "messages/MessageStore.h"

#include "FrameBytes.h"

#include <QtTest>

using namespace wst;

class tst_MessageTap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messagesStoredControlFramesPassed_data();
    void messagesStoredControlFramesPassed();
    void stepsAsideForWhatQWebSocketJudges_data();
    void stepsAsideForWhatQWebSocketJudges();
    void invalidUtf8InALaterFragmentHandsOverTheWholeMessage();
    void fragmentedMessageOverTheLimitHandedOverWhole();
    void endlessEmptyFragmentsKeepNoMoreThanTheirBound();
    void framesReportedOnlyWhileRecording();
    void lengthForms();
    void pongsTimedAgainstThePingsSeen();
    void clientCloseEndsTheTap();
    void maskedServerFrameFailsTheConnection_data();
    void maskedServerFrameFailsTheConnection();
};

namespace {

QByteArray frame(quint8 opcode, bool fin, const QByteArray &payload, quint32 mask = 0, quint8 rsv = 0)
{
    return test::frameBytes(opcode, fin, payload, mask, rsv);
}

using Row = std::pair<Kind, QByteArray>;

QList<Row> rows(const MessageStore &store)
{
    QList<Row> out;
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).direction != Direction::In)
            out.append({ Kind::Error, "not an incoming row" });
        else
            out.append({ store.row(i).kind, store.payloadCopy(i) });
    }
    return out;
}

// Feeds the stream in pieces of `piece` bytes (0: at once); returns what was passed on.
QByteArray feedAll(MessageTap &tap, MessageStore &store, const QByteArray &stream, int piece,
    QList<FrameInfo> *frames = nullptr, bool recordFrames = false)
{
    QByteArray forward;
    const auto sink = [frames](const FrameInfo &f) {
        if (frames)
            frames->append(f);
    };
    if (piece <= 0)
        return tap.feed(stream, store, 1, recordFrames, sink);
    for (qsizetype i = 0; i < stream.size(); i += piece)
        forward += tap.feed(QByteArrayView(stream).sliced(i, qMin<qsizetype>(piece, stream.size() - i)),
            store, 1, recordFrames, sink);
    return forward;
}

const QByteArray Chinese = QStringLiteral("你好，世界 😀").toUtf8();

} // namespace

void tst_MessageTap::messagesStoredControlFramesPassed_data()
{
    QTest::addColumn<int>("piece");
    QTest::newRow("at once") << 0;
    QTest::newRow("byte by byte") << 1;
    QTest::newRow("3 bytes") << 3;
    QTest::newRow("1000 bytes") << 1000;
}

void tst_MessageTap::messagesStoredControlFramesPassed()
{
    QFETCH(int, piece);
    const QByteArray big(70000, 'b'); // the 64-bit length form
    const QByteArray mid(300, 'm'); // the 16-bit length form
    const QByteArray ping = frame(0x9, true, "are you there");
    const QByteArray pong = frame(0xA, true, "");
    const QByteArray close = frame(0x8, true,
        QByteArray("\x0f\xa1"
                   "bye",
            5));
    // A multi-byte character split between two fragments, with a ping between them.
    const QByteArray stream = frame(0x1, true, "hello") + frame(0x2, true, QByteArray("\x00\xff", 2))
        + frame(0x1, true, "") + frame(0x2, true, big) + frame(0x1, true, mid)
        + frame(0x1, false, Chinese.first(4)) + ping + frame(0x0, false, Chinese.sliced(4, 5))
        + frame(0x0, true, Chinese.sliced(9)) + pong + frame(0x2, false, "ab") + frame(0x0, true, "cd")
        + close;
    MessageStore store;
    MessageTap tap;
    const QByteArray forward = feedAll(tap, store, stream, piece);
    // Pongs are stored in their place, not passed on.
    QCOMPARE(forward, ping + close);
    const QList<Row> expected = { { Kind::Text, "hello" }, { Kind::Binary, QByteArray("\x00\xff", 2) },
        { Kind::Text, "" }, { Kind::Binary, big }, { Kind::Text, mid }, { Kind::Text, Chinese },
        { Kind::Pong, "" }, { Kind::Binary, "abcd" } };
    QCOMPARE(rows(store), expected);
    QVERIFY(!tap.steppedAside());
    QCOMPARE(tap.pendingBytes(), 0);
}

void tst_MessageTap::stepsAsideForWhatQWebSocketJudges_data()
{
    QTest::addColumn<QByteArray>("offending");
    QTest::newRow("rsv1") << frame(0x1, true, "deflated?", 0, 4);
    QTest::newRow("reserved opcode") << frame(0x3, true, "x");
    QTest::newRow("continuation first") << frame(0x0, true, "x");
    QTest::newRow("fragmented ping") << frame(0x9, false, "x");
    QTest::newRow("long ping") << frame(0x9, true, QByteArray(126, 'p'));
    QTest::newRow("invalid utf-8") << frame(0x1, true, "ab\xff");
    QTest::newRow("surrogate in utf-8") << frame(0x1, true, "\xed\xa0\x80");
    QTest::newRow("overlong utf-8") << frame(0x1, true, "\xc0\xaf");
    QTest::newRow("16-bit length under 126") << QByteArray("\x81\x7e\x00\x03"
                                                           "abc",
        7);
    QTest::newRow("64-bit length under 65536") << QByteArray("\x82\x7f\x00\x00\x00\x00\x00\x00\x00\x02"
                                                             "ab",
        12);
    QTest::newRow("64-bit length with the top bit")
        << QByteArray("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x02", 10);
    QTest::newRow("over the size limit") << QByteArray("\x82\x7f\x00\x00\x00\x00\x80\x00\x00\x00", 10);
    QTest::newRow("data after a close frame") << frame(0x8, true, "\x03\xe8") + frame(0x1, true, "late");
    QTest::newRow("new message inside a fragmented one")
        << frame(0x1, false, "part") + frame(0x1, true, "another");
}

void tst_MessageTap::stepsAsideForWhatQWebSocketJudges()
{
    QFETCH(QByteArray, offending);
    const QByteArray before = frame(0x1, true, "kept") + frame(0x9, true, "p");
    const QByteArray after = frame(0x1, true, "not the tap's any more") + frame(0x8, true, "\x03\xe8");
    for (int piece : { 0, 1, 5 }) {
        MessageStore store;
        MessageTap tap;
        const QByteArray forward = feedAll(tap, store, before + offending + after, piece);
        QVERIFY(tap.steppedAside());
        // The QWebSocket gets the control frame, then every byte from the offending frame on.
        QCOMPARE(forward, frame(0x9, true, "p") + offending + after);
        const QList<Row> expected = { { Kind::Text, "kept" } };
        QCOMPARE(rows(store), expected);
        // From then on everything passes, nothing is stored.
        QCOMPARE(tap.feed(frame(0x1, true, "x"), store, 1, false, {}), frame(0x1, true, "x"));
        QCOMPARE(store.count(), 1);
        QCOMPARE(tap.pendingBytes(), 0);
    }
}

void tst_MessageTap::invalidUtf8InALaterFragmentHandsOverTheWholeMessage()
{
    const QByteArray first = frame(0x1, false, "valid start ");
    const QByteArray ping = frame(0x9, true, "mid");
    const QByteArray bad = frame(0x0, true, "then \xfe");
    for (int piece : { 0, 1, 7 }) {
        MessageStore store;
        MessageTap tap;
        const QByteArray forward = feedAll(tap, store, frame(0x2, true, "ok") + first + ping + bad, piece);
        // The ping went on at once; the message's frames follow it, as they came.
        QCOMPARE(forward, ping + first + bad);
        QCOMPARE(store.count(), 1);
        QVERIFY(tap.steppedAside());
    }
}

void tst_MessageTap::fragmentedMessageOverTheLimitHandedOverWhole()
{
    // All three length forms among the fragments: the frames are rebuilt from the headers and the
    // payload the tap keeps, and must be the bytes that came.
    const QByteArray ping = frame(0x9, true, "between");
    const QByteArray fragments = frame(0x2, false, QByteArray(100, 'a'))
        + frame(0x0, false, QByteArray(300, 'b')) + frame(0x0, false, "")
        + frame(0x0, false, QByteArray(70000, 'c'));
    const QByteArray over = frame(0x0, true, QByteArray(40000, 'd')); // 110,400 > 100,000
    for (int piece : { 0, 1000 }) {
        MessageStore store;
        MessageTap tap;
        tap.setMaxMessageBytes(100000);
        QByteArray forward = feedAll(tap, store, fragments + ping, piece);
        QCOMPARE(forward, ping);
        QCOMPARE(tap.pendingBytes(), 2 + 4 + 2 + 10 + 70400); // the headers and the payload, once
        forward += feedAll(tap, store, over, piece);
        QVERIFY(tap.steppedAside());
        QCOMPARE(forward, ping + fragments + over);
        QCOMPARE(store.count(), 0);
        QCOMPARE(tap.pendingBytes(), 0);
    }
}

void tst_MessageTap::endlessEmptyFragmentsKeepNoMoreThanTheirBound()
{
    // Empty continuation frames never reach a size limit; the tap keeps their headers only up to
    // its bound, then leaves the message to the QWebSocket, which keeps nothing for them.
    const QByteArray empty = frame(0x0, false, "");
    const int bound = int(MessageTap::MaxFragmentHeaderBytes / empty.size());
    QByteArray stream = frame(0x1, false, "start");
    stream += empty.repeated(bound + 10);
    MessageStore store;
    MessageTap tap;
    const QByteArray forward = feedAll(tap, store, stream, 65536);
    QVERIFY(tap.steppedAside());
    QCOMPARE(forward.size(), stream.size());
    QVERIFY(forward == stream);
    QCOMPARE(tap.pendingBytes(), 0);
    QCOMPARE(store.count(), 0);
}

void tst_MessageTap::framesReportedOnlyWhileRecording()
{
    const QByteArray stream = frame(0x1, true, QByteArray(100, 't')) + frame(0x9, true, "p")
        + frame(0x8, true,
            QByteArray("\x03\xe8"
                       "done",
                6));
    MessageStore store;
    MessageTap quiet;
    QList<FrameInfo> frames;
    feedAll(quiet, store, stream, 0, &frames, false);
    QCOMPARE(frames.size(), 1); // the close frame always: the relay learns the close code from it
    QCOMPARE(frames[0].opcode, Opcode::Close);
    QCOMPARE(frames[0].head,
        QByteArray("\x03\xe8"
                   "done",
            6));

    MessageTap recording;
    frames.clear();
    feedAll(recording, store, stream, 2, &frames, true);
    QCOMPARE(frames.size(), 3);
    QCOMPARE(frames[0].opcode, Opcode::Text);
    QVERIFY(frames[0].fin);
    QVERIFY(!frames[0].masked);
    QCOMPARE(frames[0].length, 100u);
    QCOMPARE(frames[0].head, QByteArray(FrameInfo::HeadBytes, 't'));
    QCOMPARE(frames[0].header, QByteArray("\x81\x64", 2));
    QCOMPARE(frames[1].head, QByteArray("p"));

    // After stepping aside the frame view still follows every frame.
    MessageTap aside;
    frames.clear();
    feedAll(aside, store, frame(0x1, true, "\xff") + frame(0x2, true, "x"), 0, &frames, true);
    QVERIFY(aside.steppedAside());
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames[1].opcode, Opcode::Binary);
}

void tst_MessageTap::lengthForms()
{
    // 125, 126 and 65535, 65536 bytes: each side of both boundaries of the length encoding.
    MessageStore store;
    MessageTap tap;
    QByteArray stream;
    for (int n : { 125, 126, 65535, 65536 })
        stream += frame(0x2, true, QByteArray(n, 'x'));
    QVERIFY(feedAll(tap, store, stream, 4096).isEmpty());
    QCOMPARE(store.count(), 4);
    QCOMPARE(store.row(3).size, 65536u);
    QVERIFY(!tap.steppedAside());
}

void tst_MessageTap::pongsTimedAgainstThePingsSeen()
{
    MessageStore store;
    MessageTap tap;
    tap.notePing("a");
    tap.notePing("a");
    QTest::qSleep(20);
    // The first "a" pong answers the older ping; "b" was never sent by us.
    QVERIFY(feedAll(tap, store, frame(0xA, true, "a") + frame(0xA, true, "b"), 0).isEmpty());
    QList<MessageTap::Pong> pongs = tap.takePongs();
    QCOMPARE(pongs.size(), 2);
    QVERIFY2(pongs[0].rttUs >= 20000, qPrintable(QString::number(pongs[0].rttUs)));
    QCOMPARE(pongs[0].payload, QByteArray("a"));
    QCOMPARE(pongs[1].rttUs, -1);
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.row(0).kind, Kind::Pong);
    QCOMPARE(store.row(0).extra, pongs[0].rttUs);
    QCOMPARE(store.row(1).extra, -1);
    QVERIFY(tap.takePongs().isEmpty());
    // The second "a" ping is still waiting for its pong.
    feedAll(tap, store, frame(0xA, true, "a"), 1);
    pongs = tap.takePongs();
    QCOMPARE(pongs.size(), 1);
    QVERIFY(pongs[0].rttUs >= 20000);
}

void tst_MessageTap::clientCloseEndsTheTap()
{
    // Half a fragmented message is in, then the client sends its Close: the QWebSocket gets the
    // message's frames and everything after them; nothing more is stored.
    MessageStore store;
    MessageTap tap;
    const QByteArray first = frame(0x1, false, "half ");
    feedAll(tap, store, frame(0x1, true, "before") + first, 0);
    tap.noteClientClose();
    const QByteArray rest = frame(0x0, true, "message") + frame(0x1, true, "late");
    QCOMPARE(feedAll(tap, store, rest, 0), first + rest);
    QVERIFY(tap.steppedAside());
    QCOMPARE(store.count(), 1);
}

void tst_MessageTap::maskedServerFrameFailsTheConnection_data()
{
    QTest::addColumn<QByteArray>("masked");
    QTest::addColumn<QByteArray>("messageStart"); // an unfinished message before it
    QTest::newRow("text") << frame(0x1, true, "masked", 0x11223344) << QByteArray();
    QTest::newRow("empty binary") << frame(0x2, true, "", 0x01020304) << QByteArray();
    QTest::newRow("16-bit length") << frame(0x2, true, QByteArray(300, 'm'), 0xa5a5a5a5) << QByteArray();
    QTest::newRow("ping") << frame(0x9, true, "p", 0x0badf00d) << QByteArray();
    QTest::newRow("continuation") << frame(0x0, true, "end", 0x11223344) << frame(0x1, false, "start ");
}

void tst_MessageTap::maskedServerFrameFailsTheConnection()
{
    // RFC 6455 5.1: a client fails the connection on a masked server frame. Qt 6.4 would unmask
    // and deliver it, so the tap neither stores it nor passes it on (nor anything after it).
    QFETCH(QByteArray, masked);
    QFETCH(QByteArray, messageStart);
    const QByteArray before = frame(0x1, true, "kept") + frame(0x9, true, "p") + messageStart;
    const QByteArray after = frame(0x1, true, "never stored") + frame(0x8, true, "\x03\xe8");
    for (int piece : { 0, 1, 5 }) {
        MessageStore store;
        MessageTap tap;
        QList<FrameInfo> frames;
        const QByteArray forward = feedAll(tap, store, before + masked + after, piece, &frames, true);
        QCOMPARE(tap.failure(), MessageTap::Failure::MaskedFrame);
        QVERIFY(!tap.steppedAside());
        QCOMPARE(forward, frame(0x9, true, "p"));
        const QList<Row> expected = { { Kind::Text, "kept" } };
        QCOMPARE(rows(store), expected);
        // The frame view still shows what came, the masked frame with its key.
        const auto it
            = std::find_if(frames.cbegin(), frames.cend(), [](const FrameInfo &f) { return f.masked; });
        QVERIFY(it != frames.cend());
        QCOMPARE(it->header, masked.first(it->header.size()));
        QCOMPARE(frames.constLast().opcode, Opcode::Close);
        QVERIFY(tap.feed(frame(0x1, true, "x"), store, 1, false, {}).isEmpty());
        QCOMPARE(store.count(), 1);
        QCOMPARE(tap.pendingBytes(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_MessageTap)
#include "tst_MessageTap.moc"
