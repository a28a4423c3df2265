// HarImport: Chrome's HAR shape, a round trip through SessionExport, and every way a HAR or a
// target can be wrong (with the target never half written or changed).
#include "SessionFixture.h"
#include "protocol/HandshakeRecord.h"
#include "session/HarImport.h"
#include "session/SessionExport.h"
#include "session/SessionReader.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

namespace {

struct ReadRow
{
    qint64 seq;
    MessageRow row;
    QByteArray payload;
};

QList<ReadRow> readRows(const SessionReader &reader, qint64 tab)
{
    QList<ReadRow> rows;
    SessionReader::Cursor cursor(reader, tab);
    while (cursor.next())
        rows.append({ cursor.seq, cursor.row, cursor.payload.toByteArray() });
    return rows;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A minimal Chrome-shaped HAR with one WebSocket entry of `count` text messages.
QByteArray harWithMessages(int count, const QByteArray &binaryData = {})
{
    QJsonArray messages;
    for (int i = 0; i < count; ++i)
        messages.append(QJsonObject {
            { QStringLiteral("type"), i % 2 ? QStringLiteral("receive") : QStringLiteral("send") },
            { QStringLiteral("time"), 1714564800.5 + i / 1000.0 }, { QStringLiteral("opcode"), 1 },
            { QStringLiteral("data"), QStringLiteral("message %1").arg(i) } });
    if (!binaryData.isNull())
        messages.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("receive") },
            { QStringLiteral("time"), 1714564900.0 }, { QStringLiteral("opcode"), 2 },
            { QStringLiteral("data"), QString::fromLatin1(binaryData) } });
    const QJsonObject document { { QStringLiteral("_resourceType"), QStringLiteral("document") },
        { QStringLiteral("request"),
            QJsonObject { { QStringLiteral("url"), QStringLiteral("https://a.test/") } } },
        { QStringLiteral("response"), QJsonObject { { QStringLiteral("status"), 200 } } } };
    const QJsonObject socket { { QStringLiteral("_resourceType"), QStringLiteral("websocket") },
        { QStringLiteral("startedDateTime"), QStringLiteral("2024-05-01T12:00:00.000Z") },
        { QStringLiteral("request"),
            QJsonObject { { QStringLiteral("method"), QStringLiteral("GET") },
                { QStringLiteral("url"), QStringLiteral("wss://a.test/ws") },
                { QStringLiteral("headers"), QJsonArray() } } },
        { QStringLiteral("response"),
            QJsonObject { { QStringLiteral("status"), 101 },
                { QStringLiteral("statusText"), QStringLiteral("Switching Protocols") } } },
        { QStringLiteral("_webSocketMessages"), messages } };
    const QJsonObject root { { QStringLiteral("log"),
        QJsonObject { { QStringLiteral("version"), QStringLiteral("1.2") },
            { QStringLiteral("entries"), QJsonArray { document, socket } } } } };
    return QJsonDocument(root).toJson();
}

} // namespace

class tst_HarImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chromeFixture();
    void roundTrip();
    void webSocketDetection();
    void errors_data();
    void errors();
    void targetFolderMissing();
    void targetFolderReadOnly();
    void targetFolderUnwritableEvenForRoot();
    void existingTargetUntouchedOnFailure();
    void cancelLeavesNoFile();

private:
    QTemporaryDir m_dir;
};

void tst_HarImport::chromeFixture()
{
    const QString target = m_dir.filePath(QStringLiteral("chrome.wstsession"));
    HarImport importer;
    QCOMPARE(importer.importFile(QStringLiteral(WST_TEST_DATA "/chrome-websocket.har"), target),
        HarImport::Result::Ok);
    QCOMPARE(importer.tabCount(), 2);
    QCOMPARE(importer.skippedEntries(), 1);
    QCOMPARE(importer.messageCount(), 5);
    QString error;
    QVERIFY2(Schema::checkFile(target, &error), qPrintable(error));

    SessionReader reader;
    QVERIFY2(reader.open(target), qPrintable(reader.errorString()));
    QCOMPARE(reader.meta("name"), QStringLiteral("chrome-websocket"));
    const QList<SessionTab> tabs = reader.tabs();
    QCOMPARE(tabs.size(), 2);

    // The wss:// entry.
    const SessionTab &wss = tabs.at(0);
    QCOMPARE(wss.kind, QStringLiteral("client"));
    QVERIFY(wss.readOnly);
    QCOMPARE(wss.title, QStringLiteral("chat.example.test/socket"));
    QCOMPARE(wss.url, QStringLiteral("wss://chat.example.test/socket?room=42&token=a%2Bb"));
    const QJsonObject settings = wss.settings;
    QCOMPARE(settings.value(QLatin1String("url")).toString(), wss.url);
    const QJsonArray expectedHeaders {
        QJsonArray { QStringLiteral("Accept-Encoding"), QStringLiteral("gzip, deflate, br, zstd") },
        QJsonArray { QStringLiteral("Accept-Language"), QStringLiteral("en-US,en;q=0.9") },
        QJsonArray { QStringLiteral("Cache-Control"), QStringLiteral("no-cache") },
        QJsonArray { QStringLiteral("Cookie"), QStringLiteral("session=s3cr3t") },
        QJsonArray { QStringLiteral("Pragma"), QStringLiteral("no-cache") },
        QJsonArray { QStringLiteral("User-Agent"),
            QStringLiteral("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/124.0.0.0 Safari/537.36") },
    };
    QCOMPARE(settings.value(QLatin1String("headers")).toArray(), expectedHeaders);
    QCOMPARE(settings.value(QLatin1String("subprotocols")).toArray(),
        (QJsonArray { QStringLiteral("chat.v2"), QStringLiteral("chat.v1") }));
    QCOMPARE(settings.value(QLatin1String("origin")).toString(), QStringLiteral("https://chat.example.test"));
    QCOMPARE(settings.value(QLatin1String("connectTimeoutMs")).toInt(), 10000);

    const QList<SessionHandshake> handshakes = reader.handshakes(wss.id);
    QCOMPARE(handshakes.size(), 1);
    const SessionHandshake &h = handshakes.first();
    QCOMPARE(h.conn, 0u);
    const qint64 startUs = 1714564800250000;
    QCOMPARE(h.timeUs, startUs);
    QVERIFY2(h.record.request.startsWith("GET /socket?room=42&token=a%2Bb HTTP/1.1\r\n"),
        h.record.request.constData());
    QVERIFY(h.record.request.endsWith("\r\n\r\n"));
    const HandshakeRecord::Headers requestHeaders = HandshakeRecord::parseHeaders(h.record.request);
    QCOMPARE(requestHeaders.size(), 14);
    QCOMPARE(requestHeaders.at(5), qMakePair(QByteArray("Host"), QByteArray("chat.example.test")));
    QCOMPARE(
        HandshakeRecord::header(requestHeaders, "Sec-WebSocket-Key"), QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
    QVERIFY2(
        h.record.response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), h.record.response.constData());
    const HandshakeRecord::Headers responseHeaders = HandshakeRecord::parseHeaders(h.record.response);
    QCOMPARE(responseHeaders.size(), 8);
    QCOMPARE(responseHeaders.at(5),
        qMakePair(QByteArray("Set-Cookie"), QByteArray("ws_route=b7; Path=/; Secure")));
    QCOMPARE(responseHeaders.at(6),
        qMakePair(QByteArray("Set-Cookie"), QByteArray("seen=1; Max-Age=3600; HttpOnly")));
    HandshakeRecord record;
    record.request = h.record.request;
    record.response = h.record.response;
    QCOMPARE(record.acceptCheck(), HandshakeRecord::AcceptCheck::Valid);
    const QJsonObject details = h.details;
    QCOMPARE(details.value(QLatin1String("source")).toString(), QStringLiteral("har"));
    QCOMPARE(details.value(QLatin1String("target")).toString(), QStringLiteral("chat.example.test:443"));
    QCOMPARE(details.value(QLatin1String("tls")).toBool(), true);
    QCOMPARE(
        details.value(QLatin1String("tcpConnectUs")).toInteger(), 6250); // connect 18.5 ms includes ssl 12.25
    QCOMPARE(details.value(QLatin1String("tlsHandshakeUs")).toInteger(), 12250);
    QCOMPARE(details.value(QLatin1String("handshakeUs")).toInteger(), 13374);

    const QList<ReadRow> rows = readRows(reader, wss.id);
    QCOMPARE(rows.size(), 6);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QCOMPARE(rows.at(i).seq, i);
        QCOMPARE(rows.at(i).row.size, quint32(rows.at(i).payload.size()));
        QCOMPARE(rows.at(i).row.connectionId, 0u);
    }
    QCOMPARE(rows.at(0).row.kind, Kind::Open);
    QCOMPARE(rows.at(0).row.direction, Direction::Event);
    QCOMPARE(rows.at(0).row.timeUs, startUs);
    QCOMPARE(rows.at(0).payload, QByteArray("chat.v2"));
    QCOMPARE(rows.at(1).row.direction, Direction::Out);
    QCOMPARE(rows.at(1).row.kind, Kind::Text);
    QCOMPARE(rows.at(1).row.timeUs, 1714564800301123);
    QCOMPARE(rows.at(1).payload, QByteArray("{\"op\":\"join\",\"room\":42}"));
    QCOMPARE(rows.at(2).row.direction, Direction::In);
    QCOMPARE(rows.at(2).row.kind, Kind::Text);
    QCOMPARE(rows.at(2).row.timeUs, 1714564800352001);
    QCOMPARE(rows.at(2).payload,
        QStringLiteral("{\"op\":\"joined\",\"text\":\"h\u00e9llo \u4e16\u754c\\nline two\"}").toUtf8());
    QCOMPARE(rows.at(3).row.direction, Direction::In);
    QCOMPARE(rows.at(3).row.kind, Kind::Binary);
    QCOMPARE(rows.at(3).row.timeUs, 1714564800400000);
    QCOMPARE(rows.at(3).payload, QByteArray("\x00\x01\x02\xff\x00hi\x00", 8));
    QCOMPARE(rows.at(4).row.direction, Direction::Out);
    QCOMPARE(rows.at(4).payload, QByteArray());
    QCOMPARE(rows.at(4).row.timeUs, 1714564801000999);
    QCOMPARE(rows.at(5).row.kind, Kind::Info);
    QCOMPARE(rows.at(5).row.direction, Direction::Event);
    QVERIFY2(rows.at(5).payload.contains("chrome-websocket.har"), rows.at(5).payload.constData());

    // The ws:// entry.
    const SessionTab &ws = tabs.at(1);
    QCOMPARE(ws.url, QStringLiteral("ws://127.0.0.1:9000/"));
    QCOMPARE(ws.title, QStringLiteral("127.0.0.1/"));
    QVERIFY(ws.readOnly);
    const QJsonObject wsSettings = ws.settings;
    QCOMPARE(wsSettings.value(QLatin1String("headers")).toArray(),
        (QJsonArray {
            QJsonValue(QJsonArray { QStringLiteral("X-Client"), QStringLiteral("devtools test") }) }));
    QCOMPARE(wsSettings.value(QLatin1String("subprotocols")).toArray(), QJsonArray());
    QCOMPARE(wsSettings.value(QLatin1String("origin")).toString(), QStringLiteral("http://127.0.0.1:8080"));
    const QJsonObject wsDetails = reader.handshakes(ws.id).value(0).details;
    QCOMPARE(wsDetails.value(QLatin1String("tls")).toBool(), false);
    QCOMPARE(wsDetails.value(QLatin1String("target")).toString(), QStringLiteral("127.0.0.1:9000"));
    QCOMPARE(wsDetails.value(QLatin1String("tcpConnectUs")).toInteger(), 400);
    QCOMPARE(wsDetails.value(QLatin1String("tlsHandshakeUs")).toInteger(), -1);
    const QList<ReadRow> wsRows = readRows(reader, ws.id);
    QCOMPARE(wsRows.size(), 3);
    QCOMPARE(wsRows.at(0).payload, QByteArray()); // no subprotocol
    QCOMPARE(wsRows.at(1).payload, QByteArray("welcome"));
    QCOMPARE(wsRows.at(1).row.timeUs, 1714564802502000);
}

void tst_HarImport::roundTrip()
{
    const QString session = m_dir.filePath(QStringLiteral("fixture.wstsession"));
    QString error;
    QVERIFY2(SessionFixture::write(session, &error), qPrintable(error));
    QBuffer har;
    har.open(QIODevice::WriteOnly);
    SessionExport exporter(SessionExport::Format::Har);
    exporter.setKeepSecrets(true); // a round trip: the cookies too
    QCOMPARE(exporter.write(session, &har), SessionExport::Result::Ok);

    const QString target = m_dir.filePath(QStringLiteral("roundtrip.wstsession"));
    HarImport importer;
    QCOMPARE(importer.importData(har.data(), target, QStringLiteral("export.har")), HarImport::Result::Ok);
    QCOMPARE(importer.tabCount(), 4);

    // What each connection carried, from the client's side: a server tab's "in" is the client's "out".
    const QList<SessionFixture::Handshake> handshakes = SessionFixture::handshakes();
    QList<QList<SessionFixture::Row>> expected(4);
    for (const SessionFixture::Row &r : SessionFixture::rows()) {
        if (r.kind != Kind::Text && r.kind != Kind::Binary)
            continue;
        if (r.tab == SessionFixture::ClientTab)
            expected[r.timeUs >= handshakes.at(1).timeUs ? 1 : 0].append(r);
        else
            expected[1 + r.conn].append(r);
    }
    SessionReader reader;
    QVERIFY2(reader.open(target), qPrintable(reader.errorString()));
    const QList<SessionTab> tabs = reader.tabs();
    QCOMPARE(tabs.size(), 4);
    QCOMPARE(tabs.at(2).url, QStringLiteral("ws://127.0.0.1:9000/feed?x=1"));
    for (qsizetype t = 0; t < 4; ++t) {
        QList<ReadRow> rows = readRows(reader, tabs.at(t).id);
        QCOMPARE(rows.takeFirst().row.kind, Kind::Open);
        QCOMPARE(rows.takeLast().row.kind, Kind::Info);
        QCOMPARE(rows.size(), expected.at(t).size());
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const SessionFixture::Row &want = expected.at(t).at(i);
            const bool server = want.tab == SessionFixture::ServerTab;
            const Direction dir
                = server ? (want.dir == Direction::In ? Direction::Out : Direction::In) : want.dir;
            QCOMPARE(rows.at(i).row.kind, want.kind);
            QCOMPARE(rows.at(i).row.direction, dir);
            QCOMPARE(rows.at(i).row.timeUs, want.timeUs);
            QCOMPARE(rows.at(i).payload, want.payload);
        }
        // The recorded headers came back.
        const SessionHandshake h = reader.handshakes(tabs.at(t).id).value(0);
        QCOMPARE(HandshakeRecord::parseHeaders(h.record.request),
            HandshakeRecord::parseHeaders(handshakes.at(t).request));
        QCOMPARE(HandshakeRecord::parseHeaders(h.record.response),
            HandshakeRecord::parseHeaders(handshakes.at(t).response));
    }
}

void tst_HarImport::webSocketDetection()
{
    // Without _resourceType: by _webSocketMessages, or by a ws:// URL answered with 101.
    const QByteArray har = R"({"log":{"entries":[
        {"request":{"url":"https://a.test/x"},"response":{"status":200}},
        {"request":{"url":"ws://a.test/one"},"response":{"status":101},"startedDateTime":"2024-05-01T12:00:00.123456Z"},
        {"request":{"url":"wss://a.test/two"},"response":{"status":101},"_webSocketMessages":[]},
        {"request":{"url":"wss://a.test/three"},"response":{"status":403}}
    ]}})";
    const QString target = m_dir.filePath(QStringLiteral("detect.wstsession"));
    HarImport importer;
    QCOMPARE(importer.importData(har, target), HarImport::Result::Ok);
    QCOMPARE(importer.tabCount(), 2);
    QCOMPARE(importer.skippedEntries(), 2);
    SessionReader reader;
    QVERIFY(reader.open(target));
    const QList<SessionTab> tabs = reader.tabs();
    QCOMPARE(tabs.at(0).url, QStringLiteral("ws://a.test/one"));
    QCOMPARE(tabs.at(0).createdUs, 1714564800123456); // every digit of the fraction
    QCOMPARE(tabs.at(1).url, QStringLiteral("wss://a.test/two"));
    // A missing Host is made from the URL.
    QVERIFY(reader.handshakes(tabs.at(0).id).value(0).record.request.contains("\r\nHost: a.test\r\n"));
}

void tst_HarImport::errors_data()
{
    QTest::addColumn<QByteArray>("har");
    QTest::addColumn<QStringList>("mustSay");
    QTest::newRow("not JSON") << QByteArray("{\"log\": {\"entries\": [}")
                              << QStringList { QStringLiteral("not valid JSON"),
                                     QStringLiteral("at byte 22") };
    QTest::newRow("empty") << QByteArray() << QStringList { QStringLiteral("not valid JSON") };
    QTest::newRow("HTML") << QByteArray("<html></html>")
                          << QStringList { QStringLiteral("not valid JSON"), QStringLiteral("at byte 1") };
    QTest::newRow("no log") << QByteArray("{\"entries\":[]}")
                            << QStringList { QStringLiteral("log.entries") };
    QTest::newRow("entries not a list")
        << QByteArray("{\"log\":{\"entries\":{}}}") << QStringList { QStringLiteral("log.entries") };
    QTest::newRow("no WebSocket") << QByteArray(
        R"({"log":{"entries":[{"request":{"url":"https://a.test/"},"response":{"status":200}}]}})")
                                  << QStringList { QStringLiteral("1 requests but no WebSocket") };
    QTest::newRow("bad base64") << harWithMessages(3, "AAE*==")
                                << QStringList { QStringLiteral("Entry 1"), QStringLiteral("wss://a.test/ws"),
                                       QStringLiteral("message 3"), QStringLiteral("base64") };
}

void tst_HarImport::errors()
{
    QFETCH(QByteArray, har);
    QFETCH(QStringList, mustSay);
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("out.wstsession"));
    HarImport importer;
    QCOMPARE(importer.importData(har, target, QStringLiteral("in.har")), HarImport::Result::Failed);
    for (const QString &s : std::as_const(mustSay))
        QVERIFY2(importer.errorString().contains(s), qPrintable(importer.errorString()));
    QCOMPARE(
        QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
}

void tst_HarImport::targetFolderMissing()
{
    HarImport importer;
    const QString target = m_dir.filePath(QStringLiteral("no/such/folder/out.wstsession"));
    QCOMPARE(importer.importData(harWithMessages(2), target), HarImport::Result::Failed);
    QVERIFY2(
        importer.errorString().contains(QLatin1String("does not exist")), qPrintable(importer.errorString()));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("no"))));
}

void tst_HarImport::targetFolderReadOnly()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("locked"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::setPermissions(folder,
        QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup | QFileDevice::ExeGroup
            | QFileDevice::ReadOther | QFileDevice::ExeOther));
    auto restore = qScopeGuard([&folder] {
        QFile::setPermissions(
            folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    });
    QFile probe(folder + QStringLiteral("/probe"));
    if (probe.open(QIODevice::WriteOnly)) {
        probe.remove();
        QSKIP(
            "running as root: a 0555 folder is still writable (targetFolderMissing covers the failure path)");
    }
    HarImport importer;
    QCOMPARE(importer.importData(harWithMessages(2), folder + QStringLiteral("/out.wstsession")),
        HarImport::Result::Failed);
    QVERIFY(!importer.errorString().isEmpty());
    QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
}

void tst_HarImport::targetFolderUnwritableEvenForRoot()
{
    // /proc takes no new files, whoever asks: the open of the temporary file fails.
    if (!QFileInfo(QStringLiteral("/proc")).isDir())
        QSKIP("no /proc");
    HarImport importer;
    const QString target = QStringLiteral("/proc/wstester-tst-HarImport.wstsession");
    QCOMPARE(importer.importData(harWithMessages(2), target), HarImport::Result::Failed);
    QVERIFY2(importer.errorString().contains(target), qPrintable(importer.errorString()));
    QVERIFY(!QFileInfo::exists(target));
}

void tst_HarImport::existingTargetUntouchedOnFailure()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("out.wstsession"));
    writeFile(target, "not yours to change");
    HarImport importer;
    QCOMPARE(importer.importData(harWithMessages(5, "!!!"), target), HarImport::Result::Failed);
    QCOMPARE(readFile(target), QByteArray("not yours to change"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
        QStringList { QStringLiteral("out.wstsession") });
    // A successful import replaces it.
    QCOMPARE(importer.importData(harWithMessages(5), target), HarImport::Result::Ok);
    QString error;
    QVERIFY2(Schema::checkFile(target, &error), qPrintable(error));
}

void tst_HarImport::cancelLeavesNoFile()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("out.wstsession"));
    QList<qint64> seen;
    HarImport importer;
    importer.setProgress([&seen](qint64 done, qint64 total) {
        seen.append(done);
        return total == 20000 && done < 8192;
    });
    QCOMPARE(importer.importData(harWithMessages(20000), target), HarImport::Result::Cancelled);
    QVERIFY(!importer.errorString().isEmpty());
    QCOMPARE(seen, (QList<qint64> { 0, 4096, 8192 }));
    QCOMPARE(
        QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());

    // Without a cancel the progress ends at the total.
    seen.clear();
    importer.setProgress([&seen](qint64 done, qint64) {
        seen.append(done);
        return true;
    });
    QCOMPARE(importer.importData(harWithMessages(20000), target), HarImport::Result::Ok);
    QCOMPARE(seen.last(), 20000);
    QCOMPARE(importer.messageCount(), 20000);
}

QTEST_GUILESS_MAIN(tst_HarImport)
#include "tst_HarImport.moc"
