#include "connection/ClientConnection.h"
#include "messages/MessageStore.h"
#include "server/LocalServer.h"
#include "session/FilePayloadSource.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"

#include <QCryptographicHash>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_SessionRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void captureSaveOpenRoundTrip();
    void captureReachesTheFileWithinABatch();
    void walCheckpointedOnceTheWriterIsQuiet();
    void secretsMaskedUnlessKept();
    void failedSaveLeavesOldFileAndCaptureIntact();
    void saveIntoMissingFolderFails();
    void badFilesAreRefusedAndUntouched_data();
    void badFilesAreRefusedAndUntouched();
    void restoredTabContinuesItsHistory();
    void removedTabLeavesTheFile();
    void payloadSourceReadsBackLargeAndSmall();

private:
    static bool startEcho(LocalServer &server);
    static QByteArray fileHash(const QString &path);
    static void compareStores(const MessageStore &expected, const MessageStore &actual);
};

bool tst_SessionRecorder::startEcho(LocalServer &server)
{
    server.start({});
    return QTest::qWaitFor([&server] { return server.state() != LocalServer::State::Stopped; }, 5000)
        && server.state() == LocalServer::State::Listening;
}

QByteArray tst_SessionRecorder::fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void tst_SessionRecorder::compareStores(const MessageStore &expected, const MessageStore &actual)
{
    QCOMPARE(actual.count(), expected.count());
    for (qint64 i = 0; i < expected.count(); ++i) {
        const MessageRow &e = expected.row(i);
        const MessageRow &a = actual.row(i);
        QCOMPARE(a.timeUs, e.timeUs);
        QCOMPARE(a.direction, e.direction);
        QCOMPARE(a.kind, e.kind);
        QCOMPARE(a.size, e.size);
        QCOMPARE(a.extra, e.extra);
        QCOMPARE(a.connectionId, e.connectionId);
        QCOMPARE(actual.payload(i), expected.payload(i));
    }
}

void tst_SessionRecorder::captureSaveOpenRoundTrip()
{
    QTemporaryDir dir;
    LocalServer server;
    QVERIFY(startEcho(server));

    SessionRecorder recorder;
    QString error;
    QVERIFY2(recorder.open(dir.filePath(QStringLiteral("live.wstsession")), &error), qPrintable(error));
    QVERIFY(!recorder.isDirty());

    ClientConnection client;
    SessionTab clientTab;
    clientTab.title = QStringLiteral("echo");
    clientTab.url = server.url().toString();
    clientTab.settings.insert(QStringLiteral("url"), clientTab.url);
    const qint64 clientId = recorder.addTab(clientTab);
    recorder.attach(clientId, client.store());
    SessionTab serverTab;
    serverTab.kind = QStringLiteral("server");
    serverTab.title = QStringLiteral("server");
    const qint64 serverId = recorder.addTab(serverTab);
    QVERIFY(serverId != clientId);
    recorder.attach(serverId, server.store());

    ConnectionOptions options;
    options.url = server.url();
    client.open(options);
    QTRY_COMPARE(client.state(), ClientConnection::State::Open);
    const QString text = QStringLiteral("caf\u00e9 \u4e16\u754c\nsecond line");
    const QByteArray binary("\x00\x01\xff\x00zero", 8);
    client.sendText(text);
    client.sendBinary(binary);
    client.sendText(QStringLiteral("{\"n\":1}"));
    QVERIFY(client.ping("p1"));
    QTRY_COMPARE(client.store()->counters().messagesIn, qint64(3));
    QTRY_VERIFY(client.store()->count() >= 9); // open, 3 out, 3 in, ping, pong (and the info rows)
    recorder.recordHandshake(clientId, 0, client.handshake(), nowUs());
    QVERIFY(client.close(4001, QStringLiteral("done")));
    QTRY_COMPARE(client.state(), ClientConnection::State::Closed);
    QTRY_VERIFY(server.clients().size() == 1 && !server.clients().first().connected);

    recorder.flush();
    QTRY_VERIFY(recorder.isDirty());
    const QString saved = dir.filePath(QStringLiteral("saved.wstsession"));
    QVERIFY2(recorder.saveAsBlocking(saved, true, &error), qPrintable(error));
    QVERIFY(!recorder.isDirty());
    QVERIFY(QFileInfo::exists(saved));
    QVERIFY(!QFileInfo::exists(saved + QStringLiteral("-wal"))); // one self-contained file
    QVERIFY2(Schema::checkFile(saved, &error), qPrintable(error));

    SessionContents contents;
    QVERIFY2(readSessionContents(saved, &contents, &error), qPrintable(error));
    QCOMPARE(contents.tabs.size(), 2);
    QCOMPARE(contents.meta.value(QStringLiteral("format")).toString(), QStringLiteral("wstester-session"));
    QCOMPARE(contents.meta.value(QStringLiteral("secrets")).toString(), QStringLiteral("saved"));
    const SessionTab &first = contents.tabs.at(0).id == clientId ? contents.tabs.at(0) : contents.tabs.at(1);
    QCOMPARE(first.title, QStringLiteral("echo"));
    QCOMPARE(first.url, server.url().toString());
    QCOMPARE(first.settings.value(QStringLiteral("url")).toString(), server.url().toString());
    QCOMPARE(contents.messageCounts.value(clientId), client.store()->count());
    QCOMPARE(contents.messageCounts.value(serverId), server.store()->count());
    QCOMPARE(contents.handshakes.value(clientId).size(), 1);
    // A copy: value() returns a temporary list, and a reference into it would dangle.
    const HandshakeRecord handshake = contents.handshakes.value(clientId).first().record;
    QCOMPARE(handshake.request, client.handshake().request);
    QCOMPARE(handshake.response, client.handshake().response);
    QCOMPARE(handshake.statusCode(), 101);

    auto payloads = FilePayloadSource::open(saved, &error);
    QVERIFY2(payloads, qPrintable(error));
    MessageStore clientBack;
    QCOMPARE(loadSessionHistory(saved, clientId, clientBack, payloads, &error), client.store()->count());
    compareStores(*client.store(), clientBack);
    MessageStore serverBack;
    QCOMPARE(loadSessionHistory(saved, serverId, serverBack, payloads, &error), server.store()->count());
    compareStores(*server.store(), serverBack);
    // The close row kept its code, the binary row its zero bytes.
    bool sawClose = false;
    for (qint64 i = 0; i < clientBack.count(); ++i) {
        if (clientBack.row(i).kind == Kind::Close && clientBack.row(i).direction == Direction::Out) {
            QCOMPARE(clientBack.row(i).extra, qint64(4001));
            QCOMPARE(clientBack.payload(i), QByteArray("done"));
            sawClose = true;
        }
    }
    QVERIFY(sawClose);
    QCOMPARE(clientBack.counters().messagesOut, qint64(3));
    QCOMPARE(clientBack.counters().bytesOut, client.store()->counters().bytesOut);
}

void tst_SessionRecorder::captureReachesTheFileWithinABatch()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.wstsession"));
    SessionRecorder recorder;
    QString error;
    QVERIFY2(recorder.open(path, &error, true), qPrintable(error));
    // The lock marks the capture as live; a second recorder is refused.
    SessionRecorder second;
    QVERIFY(!second.open(path, &error, true));
    QVERIFY(error.contains(QStringLiteral("in use")));

    auto store = std::make_shared<MessageStore>();
    const qint64 tab = recorder.addTab({});
    recorder.attach(tab, store);
    for (int i = 0; i < 1000; ++i)
        store->appendText(Direction::In, Kind::Text, QString::number(i), nowUs());

    // Another connection sees the rows without any flush: the writer commits on its own.
    QSqlDatabase db = Schema::openReadOnly(path, &error);
    QVERIFY2(db.isOpen(), qPrintable(error));
    QElapsedTimer timer;
    timer.start();
    qint64 seen = 0;
    while (seen < 1000 && timer.elapsed() < 5000) {
        QSqlQuery query(db);
        if (query.exec(QStringLiteral("SELECT count(*) FROM messages")) && query.next())
            seen = query.value(0).toLongLong();
        if (seen < 1000)
            QTest::qWait(10);
    }
    QCOMPARE(seen, qint64(1000));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QSqlQuery query(db);
    QVERIFY(query.exec(QStringLiteral("SELECT data FROM message_view WHERE seq = 999")) && query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("999"));
    query.finish();
    Schema::close(db);
    recorder.close();
    QVERIFY(!QFileInfo::exists(path + QStringLiteral(".lock")));
    QVERIFY(second.open(path, &error, true));
}

void tst_SessionRecorder::walCheckpointedOnceTheWriterIsQuiet()
{
    // The writer checkpoints the WAL itself, deferring it while a flood keeps it busy. Once it
    // has caught up, the database file alone (without its -wal) must hold every row.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.wstsession"));
    SessionRecorder recorder;
    QString error;
    QVERIFY2(recorder.open(path, &error, true), qPrintable(error));
    auto store = std::make_shared<MessageStore>();
    const qint64 tab = recorder.addTab({});
    recorder.attach(tab, store);
    // 24 MiB in one go: more than SQLite's usual checkpoint threshold (4096 pages of 4 KiB),
    // written in batches big enough to count as a flood.
    const QByteArray payload(1024, 'p');
    constexpr int Rows = 24 * 1024;
    for (int i = 0; i < Rows; ++i)
        store->appendBytes(Direction::In, Kind::Binary, payload, nowUs());
    QTRY_COMPARE_WITH_TIMEOUT(recorder.rowsWritten(), qint64(Rows), 20000);

    auto rowsInMainFile = [&]() -> qint64 {
        // A copy of the main file only: what a checkpoint has put there.
        const QString copy = dir.filePath(QStringLiteral("main-only.sqlite"));
        QFile::remove(copy);
        if (!QFile::copy(path, copy))
            return -1;
        QString why;
        QSqlDatabase db = Schema::openReadOnly(copy, &why);
        qint64 rows = -1;
        {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT count(*) FROM messages")) && query.next())
                rows = query.value(0).toLongLong();
        }
        Schema::close(db);
        return rows;
    };
    QTRY_COMPARE_WITH_TIMEOUT(rowsInMainFile(), qint64(Rows), 10000);
    recorder.close();
}

void tst_SessionRecorder::secretsMaskedUnlessKept()
{
    QTemporaryDir dir;
    SessionRecorder recorder;
    QString error;
    QVERIFY(recorder.open(dir.filePath(QStringLiteral("live.wstsession")), &error));
    SessionTab tab;
    tab.url = QStringLiteral("ws://127.0.0.1:1/");
    tab.settings = QJsonDocument::fromJson(R"({"url":"ws://127.0.0.1:1/",
        "headers":[["Authorization","Bearer s3cret"],["X-Trace","keep-me"],["Cookie","sid=abc"]],
        "clientKeyPassphrase":"pass","proxy":"http://user:pw@127.0.0.1:3128"})")
                       .object();
    const qint64 id = recorder.addTab(tab);
    HandshakeRecord record;
    record.request = "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nX-Trace: keep-me\r\n\r\n";
    record.response = "HTTP/1.1 101 Switching Protocols\r\nSet-Cookie: a=b\r\nSet-Cookie: c=d\r\n\r\n";
    recorder.recordHandshake(id, 0, record, nowUs());

    const QString masked = dir.filePath(QStringLiteral("masked.wstsession"));
    const QString kept = dir.filePath(QStringLiteral("kept.wstsession"));
    QVERIFY2(recorder.saveAsBlocking(masked, false, &error), qPrintable(error));
    QVERIFY2(recorder.saveAsBlocking(kept, true, &error), qPrintable(error));

    SessionContents m;
    QVERIFY(readSessionContents(masked, &m, &error));
    QCOMPARE(m.meta.value(QStringLiteral("secrets")).toString(), QStringLiteral("masked"));
    const QByteArray maskedSettings = QJsonDocument(m.tabs.first().settings).toJson();
    QVERIFY(!maskedSettings.contains("s3cret"));
    QVERIFY(!maskedSettings.contains("sid=abc"));
    QVERIFY(!maskedSettings.contains("\"pass\""));
    QVERIFY(!maskedSettings.contains("pw@"));
    QVERIFY(maskedSettings.contains("keep-me"));
    const HandshakeRecord mh = m.handshakes.value(id).first().record; // a copy, as above
    QVERIFY(!mh.request.contains("s3cret"));
    QVERIFY(mh.request.contains("Authorization: (masked)\r\n"));
    QVERIFY(mh.request.contains("X-Trace: keep-me\r\n"));
    QCOMPARE(mh.response.count("Set-Cookie: (masked)\r\n"), 2);
    // Nothing secret anywhere in the masked file's bytes.
    QFile file(masked);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("s3cret"));

    SessionContents k;
    QVERIFY(readSessionContents(kept, &k, &error));
    QCOMPARE(k.meta.value(QStringLiteral("secrets")).toString(), QStringLiteral("saved"));
    QCOMPARE(k.tabs.first().settings, tab.settings);
    QCOMPARE(k.handshakes.value(id).first().record.request, record.request);
}

void tst_SessionRecorder::failedSaveLeavesOldFileAndCaptureIntact()
{
    QTemporaryDir dir;
    SessionRecorder recorder;
    QString error;
    QVERIFY(recorder.open(dir.filePath(QStringLiteral("live.wstsession")), &error));
    auto store = std::make_shared<MessageStore>();
    const qint64 tab = recorder.addTab({});
    recorder.attach(tab, store);
    store->appendText(Direction::Out, Kind::Text, u"first", nowUs());
    const QString target = dir.filePath(QStringLiteral("target.wstsession"));
    QVERIFY(recorder.saveAsBlocking(target, true, &error));
    const QByteArray before = fileHash(target);

    store->appendText(Direction::Out, Kind::Text, u"second", nowUs());
    // The copy is written next to the target first; make that impossible (a folder in its way,
    // which stops root too).
    const QString temporary = dir.filePath(
        QStringLiteral(".target.wstsession.saving-%1").arg(QCoreApplication::applicationPid()));
    QVERIFY(QDir().mkpath(temporary + QStringLiteral("/x")));
    QSignalSpy finished(&recorder, &SessionRecorder::saveFinished);
    recorder.saveAs(target, true);
    QVERIFY(finished.wait(5000));
    QVERIFY(!finished.first().at(1).toString().isEmpty());
    QVERIFY(finished.first().at(1).toString().contains(dir.path()));
    QCOMPARE(fileHash(target), before);
    QVERIFY(recorder.isDirty());

    // The capture went on: the next save has both rows.
    QVERIFY(QDir(temporary).removeRecursively());
    store->appendText(Direction::Out, Kind::Text, u"third", nowUs());
    QVERIFY2(recorder.saveAsBlocking(target, true, &error), qPrintable(error));
    SessionContents contents;
    QVERIFY(readSessionContents(target, &contents, &error));
    QCOMPARE(contents.messageCounts.value(tab), qint64(3));
}

void tst_SessionRecorder::saveIntoMissingFolderFails()
{
    QTemporaryDir dir;
    SessionRecorder recorder;
    QString error;
    QVERIFY(recorder.open(dir.filePath(QStringLiteral("live.wstsession")), &error));
    QVERIFY(
        !recorder.saveAsBlocking(dir.filePath(QStringLiteral("no/such/folder/x.wstsession")), true, &error));
    QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
    QVERIFY(!recorder.saveAsBlocking(dir.path(), true, &error));
    QVERIFY2(error.contains(QStringLiteral("folder")), qPrintable(error));
}

void tst_SessionRecorder::badFilesAreRefusedAndUntouched_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << "missing"
                             << "does not exist";
    QTest::newRow("empty") << "empty"
                           << "is empty";
    QTest::newRow("text") << "text"
                          << "not an SQLite database";
    QTest::newRow("foreign sqlite") << "foreign"
                                    << "not a wstester session";
    QTest::newRow("newer version") << "future"
                                   << "newer wstester";
    QTest::newRow("truncated") << "truncated"
                               << "truncated";
    QTest::newRow("corrupt") << "corrupt"
                             << "damaged";
}

void tst_SessionRecorder::badFilesAreRefusedAndUntouched()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.wstsession"));
    auto makeSession = [&](int rows) {
        SessionRecorder recorder;
        QString error;
        QVERIFY(recorder.open(path, &error));
        auto store = std::make_shared<MessageStore>();
        const qint64 tab = recorder.addTab({});
        recorder.attach(tab, store);
        for (int i = 0; i < rows; ++i)
            store->appendText(Direction::In, Kind::Text, QString(200, QChar(u'a' + i % 26)), nowUs());
        recorder.close();
    };
    QFile file(path);
    if (kind == QLatin1StringView("empty")) {
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
    } else if (kind == QLatin1StringView("text")) {
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"this\": \"is json, not a session\"}\n");
        file.close();
    } else if (kind == QLatin1StringView("foreign") || kind == QLatin1StringView("future")) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("make"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QString error;
        if (kind == QLatin1StringView("future")) {
            QVERIFY(Schema::create(db, &error));
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 99"));
        } else {
            QSqlQuery(db).exec(QStringLiteral("CREATE TABLE notes(x)"));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("make"));
    } else if (kind == QLatin1StringView("truncated")) {
        makeSession(2000);
        QVERIFY(file.resize(file.size() / 2));
    } else if (kind == QLatin1StringView("corrupt")) {
        makeSession(2000);
        // Garbage over everything after the first page: the schema and the tables.
        QVERIFY(file.open(QIODevice::ReadWrite));
        const qint64 size = file.size();
        file.seek(4096);
        file.write(QByteArray(size - 4096, '\x5a'));
        file.close();
    }
    const QByteArray before = fileHash(path);
    QString error;
    QVERIFY(!Schema::checkFile(path, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    SessionContents contents;
    QVERIFY(!readSessionContents(path, &contents, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(fileHash(path), before);
    if (kind != QLatin1StringView("missing")) // no -wal, -shm or -journal left
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
            QStringList { QStringLiteral("bad.wstsession") });
}

void tst_SessionRecorder::restoredTabContinuesItsHistory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.wstsession"));
    qint64 tab = 0;
    {
        SessionRecorder recorder;
        QString error;
        QVERIFY(recorder.open(path, &error));
        auto store = std::make_shared<MessageStore>();
        tab = recorder.addTab({});
        recorder.attach(tab, store);
        for (int i = 0; i < 300; ++i)
            store->appendText(Direction::In, Kind::Text, QString::number(i), nowUs());
    }
    SessionRecorder recorder;
    QString error;
    QVERIFY(recorder.open(path, &error));
    auto payloads = FilePayloadSource::open(path, &error);
    auto store = std::make_shared<MessageStore>();
    QCOMPARE(loadSessionHistory(path, tab, *store, payloads, &error), qint64(300));
    recorder.attach(tab, store, store->count());
    store->appendText(Direction::Out, Kind::Text, u"after reopening", nowUs());
    // A new tab gets a new id.
    QVERIFY(recorder.addTab({}) > tab);
    recorder.flush();
    SessionContents contents;
    QVERIFY(readSessionContents(path, &contents, &error));
    QCOMPARE(contents.messageCounts.value(tab), qint64(301));
    MessageStore back;
    QCOMPARE(loadSessionHistory(path, tab, back, FilePayloadSource::open(path, &error), &error), qint64(301));
    QCOMPARE(back.payload(299), QByteArray("299"));
    QCOMPARE(back.payload(300), QByteArray("after reopening"));
}

void tst_SessionRecorder::removedTabLeavesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.wstsession"));
    SessionRecorder recorder;
    QString error;
    QVERIFY(recorder.open(path, &error));
    auto a = std::make_shared<MessageStore>();
    auto b = std::make_shared<MessageStore>();
    const qint64 ta = recorder.addTab({});
    const qint64 tb = recorder.addTab({});
    recorder.attach(ta, a);
    recorder.attach(tb, b);
    a->appendText(Direction::In, Kind::Text, u"a", nowUs());
    b->appendText(Direction::In, Kind::Text, u"b", nowUs());
    recorder.flush();
    recorder.removeTab(ta);
    b->appendText(Direction::In, Kind::Text, u"b2", nowUs());
    recorder.flush();
    SessionContents contents;
    QVERIFY(readSessionContents(path, &contents, &error));
    QCOMPARE(contents.tabs.size(), 1);
    QCOMPARE(contents.tabs.first().id, tb);
    QCOMPARE(contents.messageCounts.value(ta), qint64(0));
    QCOMPARE(contents.messageCounts.value(tb), qint64(2));
}

void tst_SessionRecorder::payloadSourceReadsBackLargeAndSmall()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.wstsession"));
    SessionRecorder recorder;
    QString error;
    QVERIFY(recorder.open(path, &error));
    auto store = std::make_shared<MessageStore>();
    const qint64 tab = recorder.addTab({});
    recorder.attach(tab, store);
    QByteArray large(3 << 20, '\0');
    for (int i = 0; i < large.size(); ++i)
        large[i] = char(i * 7);
    for (int i = 0; i < 1000; ++i) {
        if (i == 500)
            store->appendBytes(Direction::In, Kind::Binary, large, nowUs());
        else
            store->appendText(Direction::In, Kind::Text, QStringLiteral("row %1").arg(i), nowUs());
    }
    recorder.flush();
    auto payloads = FilePayloadSource::open(path, &error);
    MessageStore back;
    QCOMPARE(loadSessionHistory(path, tab, back, payloads, &error), qint64(1000));
    QVERIFY(back.isExternal(0));
    // Out of order, across cache blocks, and the large one alone.
    for (int i : { 999, 0, 500, 257, 256, 255, 1, 500, 998 })
        QCOMPARE(back.payload(i), store->payload(i));
    QCOMPARE(back.row(500).size, quint32(large.size()));
}

QTEST_GUILESS_MAIN(tst_SessionRecorder)
#include "tst_SessionRecorder.moc"
