// `wstester connect --decode/--encode` as the real binary against a peer that reads and writes
// its payloads with the real libraries (tests/peers/codec_peer.py: python3-msgpack,
// python3-cbor2, python3-protobuf), and its usage errors.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QtTest>

class tst_DecodeCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void msgpackBothWays();
    void cborAsJsonLines();
    void bsonBothWays();
    void protobufBothWays();
    void undecodableStaysBase64();
    void stdinLinesAreEncoded();
    void usageErrors_data();
    void usageErrors();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    // Starts the peer in this mode; an empty URL when it cannot run.
    QString startPeer(const QString &mode);
    static Result run(const QStringList &args, const QByteArray &stdinData = {});
    static QString proto() { return QStringLiteral(WST_TEST_DATA "/proto/chat.proto"); }

    QProcess m_peer;
};

QString tst_DecodeCommand::startPeer(const QString &mode)
{
    m_peer.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/codec_peer.py"), mode, QStringLiteral(WST_TEST_DATA "/proto") });
    if (!m_peer.waitForStarted() || !m_peer.waitForReadyRead(20000)) {
        qWarning("codec_peer.py: %s", m_peer.readAllStandardError().constData());
        return {};
    }
    const int port = m_peer.readLine().trimmed().toInt();
    return port > 0 ? QStringLiteral("ws://127.0.0.1:%1/").arg(port) : QString();
}

void tst_DecodeCommand::cleanup()
{
    m_peer.kill();
    m_peer.waitForFinished();
}

tst_DecodeCommand::Result tst_DecodeCommand::run(const QStringList &args, const QByteArray &stdinData)
{
    QProcess p;
    p.start(QStringLiteral(WST_BINARY), QStringList { QStringLiteral("connect") } + args);
    if (!p.waitForStarted())
        return {};
    p.write(stdinData);
    p.closeWriteChannel();
    // The peer is another process: nothing of this one needs the event loop meanwhile.
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return { -2, p.readAllStandardOutput(), p.readAllStandardError() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

void tst_DecodeCommand::msgpackBothWays()
{
    const QString url = startPeer(QStringLiteral("msgpack"));
    QVERIFY(!url.isEmpty());
    const Result r = run({ url, QStringLiteral("--encode"), QStringLiteral("msgpack"),
        QStringLiteral("--decode"), QStringLiteral("msgpack"), QStringLiteral("-s"),
        QStringLiteral(R"({"n":18446744073709551615,"f":-1.5,"b":{"$base64":"AAE="},"s":"\u00e9"})"),
        QStringLiteral("-n"), QStringLiteral("1") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // python's msgpack read bin as bytes and wrote them back as bin; the big integer went through
    // as a float (Qt's JSON parser reads it so) and came back as one.
    QCOMPARE(r.out,
        QByteArray(R"({"echo":{"b":{"$base64":"AAE="},"f":-1.5,"n":18446744073709552000.0,"s":")"
                   "\xc3\xa9"
                   R"("},"from":"python"})"
                   "\n"));
}

void tst_DecodeCommand::cborAsJsonLines()
{
    const QString url = startPeer(QStringLiteral("cbor"));
    QVERIFY(!url.isEmpty());
    const Result r = run({ url, QStringLiteral("--encode"), QStringLiteral("cbor"),
        QStringLiteral("--decode"), QStringLiteral("cbor"), QStringLiteral("-s"),
        QStringLiteral(R"([1,{"$tag":1234,"$value":"x"},null])"), QStringLiteral("-n"), QStringLiteral("1"),
        QStringLiteral("--json") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QByteArray in, out;
    for (const QByteArray &line : r.out.split('\n')) {
        if (line.contains(R"("dir":"in","kind":"binary")"))
            in = line;
        if (line.contains(R"("dir":"out","kind":"binary")"))
            out = line;
        if (!line.isEmpty())
            QVERIFY2(!QJsonDocument::fromJson(line).isNull(), line.constData());
    }
    QVERIFY2(out.endsWith(R"(,"decoded":[1,{"$tag":1234,"$value":"x"},null]})"), out.constData());
    QVERIFY2(in.endsWith(R"(,"decoded":{"echo":[1,{"$tag":1234,"$value":"x"},null],"from":"python"}})"),
        in.constData());
}

void tst_DecodeCommand::bsonBothWays()
{
    const QString url = startPeer(QStringLiteral("bson"));
    QVERIFY(!url.isEmpty());
    const Result r = run({ url, QStringLiteral("--encode"), QStringLiteral("bson"),
        QStringLiteral("--decode"), QStringLiteral("bson"), QStringLiteral("-s"),
        QStringLiteral(R"({"id":{"$oid":"5f1d7f0e2c8b9a0001a1b2c3"},"n":9007199254740993,)"
                       R"("when":{"$date":"2024-01-02T03:04:05Z"},"s":"\u00e9"})"),
        QStringLiteral("-n"), QStringLiteral("1") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // pymongo's bson read the ObjectId, the 64-bit integer and the date as their types and wrote
    // them back; every digit and the document's order come through.
    QCOMPARE(r.out,
        QByteArray(R"({"echo":{"id":{"$oid":"5f1d7f0e2c8b9a0001a1b2c3"},"n":9007199254740993,)"
                   R"("when":{"$date":"2024-01-02T03:04:05Z"},"s":")"
                   "\xc3\xa9"
                   R"("},"from":"python"})"
                   "\n"));
    // What is not an object cannot be a BSON document: said before anything is sent.
    const Result bad = run({ url, QStringLiteral("--encode"), QStringLiteral("bson"), QStringLiteral("-s"),
        QStringLiteral("[1,2]"), QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("BSON: a document is a JSON object"), bad.err.constData());
}

void tst_DecodeCommand::protobufBothWays()
{
    const QString url = startPeer(QStringLiteral("protobuf"));
    QVERIFY(!url.isEmpty());
    const Result r = run({ url, QStringLiteral("--encode"),
        QStringLiteral("protobuf:") + proto() + QStringLiteral(":chat.v1.Command"),
        QStringLiteral("--decode"), QStringLiteral("protobuf:") + proto() + QStringLiteral(":chat.v1.Event"),
        QStringLiteral("-s"), QStringLiteral(R"({"op":"join","seq":7})"), QStringLiteral("-n"),
        QStringLiteral("1") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out,
        QByteArray(R"({"user":"peer","id":"7000","tags":["join"]})"
                   "\n"));
}

void tst_DecodeCommand::undecodableStaysBase64()
{
    const QString url = startPeer(QStringLiteral("msgpack"));
    QVERIFY(!url.isEmpty());
    const Result r = run({ url, QStringLiteral("--decode"), QStringLiteral("msgpack"), QStringLiteral("-s"),
        QStringLiteral("__raw dd000000ff"), QStringLiteral("-n"), QStringLiteral("1") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("[binary base64] 3QAAAP8=\n"));
    QVERIFY2(r.err.contains("wstester connect: MessagePack: truncated at byte 6 of 5.\n"), r.err.constData());
    const Result j = run({ url, QStringLiteral("--decode"), QStringLiteral("msgpack"), QStringLiteral("-s"),
        QStringLiteral("__raw c1"), QStringLiteral("-n"), QStringLiteral("1"), QStringLiteral("--json") });
    QVERIFY2(
        j.out.contains(R"("data":"wQ==","decode_error":"MessagePack: byte 1 (0xc1) is not a valid type."})"),
        j.out.constData());
}

void tst_DecodeCommand::stdinLinesAreEncoded()
{
    const QString url = startPeer(QStringLiteral("msgpack"));
    QVERIFY(!url.isEmpty());
    const Result r
        = run({ url, QStringLiteral("--encode"), QStringLiteral("msgpack"), QStringLiteral("--decode"),
                  QStringLiteral("msgpack"), QStringLiteral("-n"), QStringLiteral("2") },
            "1\nnot json\n[true]\n");
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("{\"echo\":1,\"from\":\"python\"}\n{\"echo\":[true],\"from\":\"python\"}\n"));
    QVERIFY2(
        r.err.contains("wstester connect: not sent: MessagePack: the JSON is not valid"), r.err.constData());
}

void tst_DecodeCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    const QString dir = QStringLiteral(WST_TEST_DATA "/proto");
    QTest::newRow("bad .proto") << QStringList {
        QStringLiteral("--decode"),
        QStringLiteral("protobuf:") + dir + QStringLiteral("/bad/broken.proto:bad.Broken")
    } << QStringLiteral("Protobuf: %1/bad/broken.proto:6:3: \"Strin\" is not defined.").arg(dir);
    QTest::newRow("unknown type")
        << QStringList { QStringLiteral("--encode"),
               QStringLiteral("protobuf:") + proto() + QStringLiteral(":chat.Event") }
        << QStringLiteral(
               "Protobuf: the .proto files define no message type chat.Event (did you mean chat.v1.Event?).");
    QTest::newRow("no type") << QStringList { QStringLiteral("--decode"),
        QStringLiteral("protobuf:") + proto() }
                             << QStringLiteral("\u201cprotobuf:%1\u201d: protobuf needs a file and a message "
                                               "type, as protobuf:FILE.proto:package.Message.")
                                    .arg(proto());
    QTest::newRow("unknown codec") << QStringList { QStringLiteral("--decode"), QStringLiteral("yaml") }
                                   << QStringLiteral("\u201cyaml\u201d is not a codec: msgpack, cbor, bson "
                                                     "or protobuf:FILE.proto:package.Message.");
    QTest::newRow("bad json to send")
        << QStringList { QStringLiteral("--encode"), QStringLiteral("cbor"), QStringLiteral("-s"),
               QStringLiteral("{") }
        << QStringLiteral(
               "--send \u201c{\u201d: CBOR: the JSON is not valid: unterminated object at offset 1.");
    QTest::newRow("json not the type") << QStringList {
        QStringLiteral("--encode"),
        QStringLiteral("protobuf:") + proto() + QStringLiteral(":chat.v1.Command"), QStringLiteral("-s"),
        QStringLiteral(R"({"seq":"x"})")
    } << QStringLiteral("--send \u201c{\"seq\":\"x\"}\u201d: Protobuf: the JSON is not a chat.v1.Command: ");
    QTest::newRow("proto-path alone") << QStringList { QStringLiteral("--proto-path"),
        dir } << QStringLiteral("--proto-path needs --decode or --encode with protobuf.");
    QTest::newRow("with a protocol") << QStringList { QStringLiteral("--decode"), QStringLiteral("cbor"),
        QStringLiteral("--protocol"),
        QStringLiteral("stomp") } << QStringLiteral("--decode and --encode do not combine with --protocol.");
}

void tst_DecodeCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    // Nobody listens there: an attempt to connect would end with 3, not 2.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(closed.serverPort());
    closed.close();
    const Result r = run(QStringList { url } + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(
        QString::fromUtf8(r.err).startsWith(QStringLiteral("wstester connect: ") + error), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_DecodeCommand)
#include "tst_DecodeCommand.moc"
