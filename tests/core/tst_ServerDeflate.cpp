// permessage-deflate in the local server (RFC 7692) and the faults its byte shim makes possible,
// against real clients: python websockets, node `ws`, headless Chromium, and hand-made frames.
#include "messages/MessageStore.h"
#include "server/LocalServer.h"
#include "server/ServerFrameStage.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_ServerDeflate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answerToOffers_data();
    void answerToOffers();
    void stageRoundTrip();
    void pythonClient();
    void pythonClientWithoutDeflate();
    void nodeWsClient_data();
    void nodeWsClient();
    void chromiumPage();
    void badFrames_data();
    void badFrames();
    void ignorePingsFault();
    void slowFault();
    void stopWaitsForTheShim();

private:
    static bool start(LocalServer &server, const ServerOptions &options = {});
    static bool storeHas(const LocalServer &server, Kind kind, const QString &part);
    static QByteArray run(const QString &program, const QStringList &args, int *exitCode);
    static QString node();
};

bool tst_ServerDeflate::start(LocalServer &server, const ServerOptions &options)
{
    server.start(options);
    return QTest::qWaitFor([&server] { return server.state() == LocalServer::State::Listening; }, 5000);
}

bool tst_ServerDeflate::storeHas(const LocalServer &server, Kind kind, const QString &part)
{
    const MessageStore &s = *server.store();
    for (qint64 i = 0; i < s.count(); ++i) {
        if (s.row(i).kind == kind && QString::fromUtf8(s.payload(i)).contains(part))
            return true;
    }
    return false;
}

QByteArray tst_ServerDeflate::run(const QString &program, const QStringList &args, int *exitCode)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted()) {
        *exitCode = -1;
        return {};
    }
    // Keep the event loop turning: the server lives in this process.
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < 120000)
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    const QByteArray err = p.readAllStandardError();
    if (*exitCode != 0)
        qWarning("%s: %s", qPrintable(program), err.constData());
    return p.readAllStandardOutput();
}

QString tst_ServerDeflate::node()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty() || !QFile::exists(QStringLiteral(WST_PEERS_DIR "/node_modules/ws/package.json")))
        return {};
    return node;
}

void tst_ServerDeflate::answerToOffers_data()
{
    QTest::addColumn<QByteArrayList>("offers");
    QTest::addColumn<QByteArray>("answer"); // empty: declined
    QTest::newRow("plain") << QByteArrayList { "permessage-deflate" } << QByteArray("permessage-deflate");
    QTest::newRow("browser") << QByteArrayList { "permessage-deflate; client_max_window_bits" }
                             << QByteArray("permessage-deflate");
    QTest::newRow("no takeover") << QByteArrayList {
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
    } << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    QTest::newRow("windows") << QByteArrayList { "permessage-deflate; server_max_window_bits=10; "
                                                 "client_max_window_bits=12" }
                             << QByteArray("permessage-deflate; server_max_window_bits=10; "
                                           "client_max_window_bits=12");
    QTest::newRow("8-bit server window passed over, second offer taken")
        << QByteArrayList { "permessage-deflate; server_max_window_bits=8, permessage-deflate" }
        << QByteArray("permessage-deflate");
    QTest::newRow("unknown parameter") << QByteArrayList { "permessage-deflate; x=1" } << QByteArray();
    QTest::newRow("twice the same") << QByteArrayList { "permessage-deflate; server_no_context_takeover; "
                                                        "server_no_context_takeover" }
                                    << QByteArray();
    QTest::newRow("other extension") << QByteArrayList { "x-webkit-deflate-frame" } << QByteArray();
    QTest::newRow("none") << QByteArrayList {} << QByteArray();
}

void tst_ServerDeflate::answerToOffers()
{
    QFETCH(QByteArrayList, offers);
    QFETCH(QByteArray, answer);
    const DeflateAnswer a = DeflateAnswer::fromOffers(offers);
    QCOMPARE(a.accepted, !answer.isEmpty());
    QCOMPARE(a.headerValue, answer);
}

void tst_ServerDeflate::stageRoundTrip()
{
    // The server's stage deflates Qt's (unmasked, fragmented) frames into one RSV1 frame; a
    // client's stage of the relay (DeflateStage's mirror) is not needed: inflate it by hand.
    DeflateAgreement agreement;
    ServerFrameStage stage(agreement, 1 << 20);
    const QByteArray text(3000, 'a');
    const QByteArray qtFrames = ServerFrameStage::frame(0x01, text.left(1000), false)
        + ServerFrameStage::frame(0x89, "p", false) + ServerFrameStage::frame(0x80, text.mid(1000), false);
    const QByteArray wire = stage.fromServer(qtFrames);
    QCOMPARE(quint8(wire.at(0)), quint8(0x89)); // the ping passes first
    QCOMPARE(quint8(wire.at(3)), quint8(0xC1)); // then one compressed text frame
    MessageInflater inflater(false, 1 << 20);
    QByteArray message;
    QCOMPARE(inflater.inflate(wire.mid(5), &message), MessageInflater::Result::Ok);
    QCOMPARE(message, text);
    // And back, as a client sends it (masked), cut anywhere: one plain masked frame for Qt.
    MessageDeflater deflater(15, false);
    QByteArray payload = deflater.deflate(text);
    const QByteArray key("\x11\x22\x33\x44", 4);
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked[i] ^ key[i & 3]);
    QByteArray frame = QByteArray(1, char(0xC1)) + char(0x80 | masked.size()) + key + masked;
    QVERIFY(masked.size() < 126);
    QByteArray plain = stage.fromClient(frame.left(3));
    QVERIFY(plain.isEmpty());
    plain = stage.fromClient(frame.mid(3));
    QCOMPARE(stage.failureCode(), 0);
    QCOMPARE(plain, ServerFrameStage::frame(0x81, text, true));
}

void tst_ServerDeflate::pythonClient()
{
    LocalServer server;
    QVERIFY(start(server));
    int code = 0;
    const QByteArray out = run(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/py_deflate_client.py"), server.url().toString() }, &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, QByteArray("permessage-deflate\n1\nok 10485760\n"));
    QTRY_COMPARE(server.clients().size(), 1);
    const LocalServer::ClientInfo client = server.clients().first();
    QVERIFY2(client.handshakeResponse.startsWith("HTTP/1.1 101"), client.handshakeResponse.constData());
    QVERIFY2(client.handshakeResponse.contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"),
        client.handshakeResponse.constData());
    QVERIFY(client.extensions.startsWith(QStringLiteral("permessage-deflate")));
    QTRY_VERIFY(!server.clients().first().connected);
    QCOMPARE(server.clients().first().closeCode, 1000);
    QCOMPARE(server.clients().first().messagesIn, 2);
}

void tst_ServerDeflate::pythonClientWithoutDeflate()
{
    // Turned off: the offer is declined, and the client is not shimmed (Qt writes the 101).
    LocalServer server;
    ServerOptions options;
    options.deflate = false;
    QVERIFY(start(server, options));
    int code = 0;
    const QByteArray out = run(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/py_deflate_client.py"), server.url().toString() }, &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, QByteArray("None\n0\nok 10485760\n"));
    QTRY_COMPARE(server.clients().size(), 1);
    QVERIFY(server.clients().first().handshakeResponse.isEmpty());
    QVERIFY(server.clients().first().extensions.isEmpty());
}

void tst_ServerDeflate::nodeWsClient_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QByteArray>("agreed");
    QTest::newRow("context takeover") << QStringLiteral("takeover") << QByteArray("permessage-deflate");
    QTest::newRow("no context takeover")
        << QStringLiteral("no-takeover")
        << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
}

void tst_ServerDeflate::nodeWsClient()
{
    QFETCH(QString, mode);
    QFETCH(QByteArray, agreed);
    const QString nodePath = node();
    QVERIFY2(
        !nodePath.isEmpty(), "node and tests/peers/node_modules/ws are needed (scripts/setup.sh --tests)");
    LocalServer server;
    QVERIFY(start(server));
    int code = 0;
    const QByteArray out = run(nodePath,
        { QStringLiteral(WST_PEERS_DIR "/ws_deflate_client.js"), server.url().toString(), mode }, &code);
    QCOMPARE(code, 0);
    const QByteArrayList lines = out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).startsWith("permessage-deflate"), lines.at(0).constData());
    QCOMPARE(lines.at(1), QByteArray("ok"));
    QTRY_COMPARE(server.clients().size(), 1);
    QVERIFY2(server.clients().first().handshakeResponse.contains(
                 QByteArray("Sec-WebSocket-Extensions: " + agreed + "\r\n")),
        server.clients().first().handshakeResponse.constData());
    QTRY_VERIFY(!server.clients().first().connected);
    QCOMPARE(server.clients().first().messagesIn, 5);
}

void tst_ServerDeflate::chromiumPage()
{
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    QVERIFY2(!chromium.isEmpty(), "chromium is not installed (scripts/setup.sh --tests installs it)");
    LocalServer server;
    QVERIFY(start(server));
    QTemporaryDir profile;
    QProcess browser;
    browser.start(chromium,
        { QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
            QStringLiteral("--disable-quic"), QStringLiteral("--no-first-run"),
            QStringLiteral("--disable-background-networking"), QStringLiteral("--disable-component-update"),
            QStringLiteral("--disable-sync"), QStringLiteral("--user-data-dir=") + profile.path(),
            QUrl::fromLocalFile(QStringLiteral(WST_PEERS_DIR "/chromium_deflate.html")).toString()
                + QStringLiteral("?port=") + QString::number(server.url().port()) });
    QVERIFY(browser.waitForStarted());
    // The page's big message came in (inflated by the server), its echo went out (deflated),
    // and the page reports the agreed extension and the echo it got.
    QTRY_VERIFY_WITH_TIMEOUT(storeHas(server, Kind::Text, QStringLiteral("report:")), 60000);
    QVERIFY(storeHas(server, Kind::Text, QStringLiteral("report:permessage-deflate|1040000|true")));
    QTRY_VERIFY(!server.clients().isEmpty());
    const LocalServer::ClientInfo client = server.clients().first();
    QVERIFY2(client.handshakeRequest.contains("Sec-WebSocket-Extensions: permessage-deflate"),
        client.handshakeRequest.constData());
    QVERIFY2(client.handshakeResponse.contains("Sec-WebSocket-Extensions: permessage-deflate"),
        client.handshakeResponse.constData());
    browser.kill();
    browser.waitForFinished();
}

void tst_ServerDeflate::badFrames_data()
{
    QTest::addColumn<QString>("frames");
    QTest::addColumn<bool>("offer");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("why");
    // Masked with the key 0: the payload bytes are as written.
    QTest::newRow("bad deflate data")
        << QStringLiteral("c18400000000ffffffff") << true << QByteArray("permessage-deflate\nclose 1007\n")
        << QStringLiteral("invalid deflate data");
    QTest::newRow("RSV1 on a ping") << QStringLiteral("c98000000000") << true
                                    << QByteArray("permessage-deflate\nclose 1002\n")
                                    << QStringLiteral("RSV1 on a control frame");
    QTest::newRow("RSV1 on a continuation")
        << QStringLiteral("01810000000061c0810000000061") << true
        << QByteArray("permessage-deflate\nclose 1002\n") << QStringLiteral("continuation frame");
    QTest::newRow("unmasked frame") << QStringLiteral("81026869") << true
                                    << QByteArray("permessage-deflate\nclose 1002\n")
                                    << QStringLiteral("unmasked frame");
    // Not agreed: Qt itself fails the frame (the client is not shimmed).
    QTest::newRow("RSV1 without the extension")
        << QStringLiteral("c18400000000ffffffff") << false << QByteArray("-\nclose 1002\n") << QString();
}

void tst_ServerDeflate::badFrames()
{
    QFETCH(QString, frames);
    QFETCH(bool, offer);
    QFETCH(QByteArray, expected);
    QFETCH(QString, why);
    LocalServer server;
    QVERIFY(start(server));
    QStringList args { QStringLiteral(WST_PEERS_DIR "/raw_frame_client.py"),
        QString::number(server.url().port()), frames };
    if (offer)
        args.append(QStringLiteral("deflate"));
    int code = 0;
    const QByteArray out = run(QStringLiteral("/usr/bin/python3"), args, &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, expected);
    QTRY_COMPARE(server.clients().size(), 1);
    QTRY_VERIFY(!server.clients().first().connected);
    if (!why.isEmpty()) {
        QCOMPARE(server.clients().first().closeCode, expected.endsWith("1007\n") ? 1007 : 1002);
        QVERIFY(storeHas(server, Kind::Error, why));
    }
}

void tst_ServerDeflate::ignorePingsFault()
{
    const QString nodePath = node();
    QVERIFY2(
        !nodePath.isEmpty(), "node and tests/peers/node_modules/ws are needed (scripts/setup.sh --tests)");
    for (const bool ignore : { false, true }) {
        LocalServer server;
        ServerOptions options;
        options.faults.ignorePings = ignore;
        QVERIFY(start(server, options));
        int code = 0;
        const QByteArray out = run(nodePath,
            { QStringLiteral(WST_PEERS_DIR "/ws_deflate_client.js"), server.url().toString(),
                QStringLiteral("ping") },
            &code);
        QCOMPARE(code, 0);
        QVERIFY2(out.endsWith(ignore ? "\nno pong\n" : "\npong\n"), out.constData());
        QCOMPARE(storeHas(server, Kind::Info, QStringLiteral("unanswered")), ignore);
    }
}

void tst_ServerDeflate::slowFault()
{
    // 2,000 bytes a second: the python client's 10 MB would take hours, so a small echo via raw
    // frames: a masked 4,000-byte text frame, its echo paced out.
    LocalServer server;
    ServerOptions options;
    options.faults.slowBytesPerSecond = 2000;
    QVERIFY(start(server, options));
    const QByteArray text(4000, 'z');
    const QByteArray frame = QByteArray::fromHex("81fe0fa000000000") + text
        + QByteArray::fromHex("88820000000003e8"); // and a Close 1000 after it
    QElapsedTimer timer;
    timer.start();
    int code = 0;
    const QByteArray out = run(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(WST_PEERS_DIR "/raw_frame_client.py"), QString::number(server.url().port()),
            QString::fromLatin1(frame.toHex()) },
        &code);
    QCOMPARE(code, 0);
    QCOMPARE(out, QByteArray("-\nclose 1000\n"));
    // A lower bound only: 4,000 bytes at 2,000 a second take well over a second, however busy
    // the machine is.
    QVERIFY2(timer.elapsed() >= 1500, qPrintable(QString::number(timer.elapsed())));
    QTRY_COMPARE(server.clients().size(), 1);
    QCOMPARE(server.clients().first().messagesOut, 1);
}

void tst_ServerDeflate::stopWaitsForTheShim()
{
    // Qt's close() hands the Close to the shim and hangs up at once; stopped() must still come
    // only after the shim has passed that Close on (wstester serve quits on stopped(), and the
    // client then saw 1006). The slow fault holds the Close behind a paced echo, so without the
    // wait stopped() would come long before the client has it.
    LocalServer server;
    ServerOptions options;
    options.faults.slowBytesPerSecond = 4000;
    QVERIFY(start(server, options));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.url().port());
    QVERIFY(client.waitForConnected(5000));
    client.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray received;
    QTRY_VERIFY((received += client.readAll()).contains("\r\n\r\n"));
    QVERIFY(received.startsWith("HTTP/1.1 101"));
    const QByteArray text(1000, 'z');
    client.write(QByteArray::fromHex("81fe03e800000000") + text); // masked with the key 0
    QTRY_VERIFY(storeHas(server, Kind::Text, QString::fromLatin1(text))
        && server.store()->counters().messagesOut == 1);
    QSignalSpy stopped(&server, &LocalServer::stopped);
    server.stop();
    QVERIFY(stopped.wait(10000));
    // Read what the kernel holds now, without giving the network thread more time.
    while (client.waitForReadyRead(0))
        ;
    received += client.readAll();
    const QByteArray close = QByteArray::fromHex("8811") + QByteArray::fromHex("03e9") + "server stopping";
    QVERIFY2(received.endsWith(close), received.right(40).toHex().constData());
    QVERIFY(received.contains(text));
}

QTEST_GUILESS_MAIN(tst_ServerDeflate)
#include "tst_ServerDeflate.moc"
