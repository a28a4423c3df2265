// `--record`: the headless commands capture into a session file, and a capture killed in the
// middle of a flood still opens, missing no more than its last moments.
#include "messages/MessageStore.h"
#include "session/FilePayloadSource.h"
#include "session/SessionReader.h"
#include "session/SessionSchema.h"

#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <csignal>

using namespace wst;

class tst_SessionCapture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectRecordsAndTheFileOpens();
    void killedMidFloodLosesAtMostTheLastSecond();
    void serveRecordsEachClient();
    void recordIntoForeignFileIsRefused();
};

void tst_SessionCapture::connectRecordsAndTheFileOpens()
{
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [&server] {
        QWebSocket *ws = server.nextPendingConnection();
        ws->setParent(&server); // gone with the server
        connect(ws, &QWebSocket::textMessageReceived, ws, [ws](const QString &m) { ws->sendTextMessage(m); });
    });
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("run.wstsession"));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/feed").arg(server.serverPort());
    QProcess p;
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), url, QStringLiteral("-s"), QStringLiteral("one"), QStringLiteral("-s"),
            QStringLiteral("\u4e8c"), QStringLiteral("-n"), QStringLiteral("2"), QStringLiteral("--record"),
            file });
    p.closeWriteChannel();
    // The peer lives in this thread: keep the event loop turning while the command runs.
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 20000);
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QStringLiteral("one\n\u4e8c\n").toUtf8());

    QString error;
    // A finished capture is one file: no WAL, no lock left behind.
    QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));
    QVERIFY(!QFileInfo::exists(file + QStringLiteral(".lock")));
    SessionContents contents;
    QVERIFY2(readSessionContents(file, &contents, &error), qPrintable(error));
    QCOMPARE(contents.tabs.size(), 1);
    const SessionTab tab = contents.tabs.first();
    QCOMPARE(tab.kind, QStringLiteral("client"));
    QCOMPARE(tab.url, url);
    QCOMPARE(contents.handshakes.value(tab.id).size(), 1);
    QCOMPARE(contents.handshakes.value(tab.id).first().record.statusCode(), 101);
    QVERIFY(contents.handshakes.value(tab.id).first().record.request.startsWith("GET /feed HTTP/1.1\r\n"));

    MessageStore store;
    QVERIFY(loadSessionHistory(file, tab.id, store, FilePayloadSource::open(file, &error), &error) > 0);
    QStringList texts;
    bool closed = false;
    for (qint64 i = 0; i < store.count(); ++i) {
        const MessageRow &row = store.row(i);
        if (row.kind == Kind::Text)
            texts << QStringLiteral("%1 %2").arg(
                row.direction == Direction::In ? QStringLiteral("in") : QStringLiteral("out"),
                QString::fromUtf8(store.payload(i)));
        if (row.kind == Kind::Close && row.direction == Direction::Out)
            closed = row.extra == 1000;
    }
    QCOMPARE(texts,
        QStringList({ QStringLiteral("out one"), QStringLiteral("out \u4e8c"), QStringLiteral("in one"),
            QStringLiteral("in \u4e8c") }));
    QVERIFY(closed);

    // A second run into the same file adds a tab.
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), url, QStringLiteral("-s"), QStringLiteral("x"), QStringLiteral("-n"),
            QStringLiteral("1"), QStringLiteral("--record"), file });
    p.closeWriteChannel();
    QTRY_COMPARE_WITH_TIMEOUT(p.state(), QProcess::NotRunning, 20000);
    QCOMPARE(p.exitCode(), 0);
    SessionContents again;
    QVERIFY(readSessionContents(file, &again, &error));
    QCOMPARE(again.tabs.size(), 2);
    QVERIFY(again.tabs.at(1).id > tab.id);
}

void tst_SessionCapture::killedMidFloodLosesAtMostTheLastSecond()
{
    // A flood: 200 numbered 256-byte messages every 2 ms (100,000 a second, 25 MB/s). Paced, so
    // that the test itself does not take every core: the writer runs at a lower priority than the
    // connection (it gives way while the cores are saturated, and catches up after), and this
    // checks what a crash loses, not how far a starved writer falls behind.
    QWebSocketServer server(QStringLiteral("flood"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QPointer<QWebSocket> peer;
    qint64 sent = 0;
    QTimer pump;
    pump.setTimerType(Qt::PreciseTimer);
    pump.setInterval(2);
    connect(&pump, &QTimer::timeout, this, [&] {
        if (!peer || peer->state() != QAbstractSocket::ConnectedState)
            return;
        // Keep the socket's buffer short so that what was sent is close to what arrived.
        if (peer->bytesToWrite() > 256 * 1024)
            return;
        for (int i = 0; i < 200; ++i) {
            QString text = QString::number(sent++).rightJustified(10, u'0') + u' ';
            text.append(QString(256 - text.size(), u'x'));
            peer->sendTextMessage(text);
        }
    });
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        peer = server.nextPendingConnection();
        peer->setParent(&server);
        pump.start();
    });
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("flood.wstsession"));
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()),
            QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("--record"), file });
    QVERIFY(p.waitForStarted());
    // Flood until the file holds many commits' worth, then kill without warning.
    auto rowsInFile = [&file]() -> qint64 {
        if (!QFileInfo::exists(file))
            return 0;
        QString ignored;
        QSqlDatabase db = Schema::openReadOnly(file, &ignored);
        qint64 rows = 0;
        {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT count(*) FROM messages")) && query.next())
                rows = query.value(0).toLongLong();
        }
        Schema::close(db);
        return rows;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowsInFile() >= 100000, 60000);
    QVERIFY(p.state() == QProcess::Running);
    const qint64 killedUs = nowUs();
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);
    pump.stop();

    // The file opens cleanly (the WAL the killed writer left is part of it).
    QString error;
    QVERIFY2(Schema::checkFile(file, &error), qPrintable(error));
    {
        QSqlDatabase db = Schema::openReadOnly(file, &error);
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("ok"));
        query.finish();
        Schema::close(db);
    }
    SessionContents contents;
    QVERIFY2(readSessionContents(file, &contents, &error), qPrintable(error));
    QCOMPARE(contents.tabs.size(), 1);
    MessageStore store;
    const qint64 rows = loadSessionHistory(
        file, contents.tabs.first().id, store, FilePayloadSource::open(file, &error), &error);
    QVERIFY2(rows > 0, qPrintable(error));

    // Every message up to the last one recorded is there, in order, none lost in between.
    qint64 expected = 0;
    qint64 lastTimeUs = 0;
    for (qint64 i = 0; i < store.count(); ++i) {
        const MessageRow &row = store.row(i);
        if (row.kind != Kind::Text || row.direction != Direction::In)
            continue;
        const QByteArray payload = store.payload(i);
        QCOMPARE(payload.size(), 256);
        QCOMPARE(payload.left(10).toLongLong(), expected);
        ++expected;
        lastTimeUs = row.timeUs;
    }
    QVERIFY2(expected > 10000, qPrintable(QString::number(expected)));
    const double missingSeconds = double(killedUs - lastTimeUs) / 1e6;
    qInfo("recorded %lld of %lld messages sent; the last one recorded arrived %.3f s before the kill",
        expected, sent, missingSeconds);
    QVERIFY2(missingSeconds <= 1.0, qPrintable(QString::number(missingSeconds)));
}

void tst_SessionCapture::serveRecordsEachClient()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("serve.wstsession"));
    QProcess serve;
    serve.start(QStringLiteral(WST_BINARY), { QStringLiteral("serve"), QStringLiteral("--record"), file });
    QVERIFY(serve.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += serve.readAllStandardOutput()).contains('\n'), 10000);
    QVERIFY2(out.startsWith("listening "), out.constData());
    const QUrl url(QString::fromUtf8(out.mid(10, out.indexOf('\n') - 10)));

    QList<QWebSocket *> clients;
    for (int i = 0; i < 2; ++i) {
        auto *ws = new QWebSocket(
            QStringLiteral("http://origin-%1.test").arg(i), QWebSocketProtocol::VersionLatest, this);
        ws->open(url);
        clients << ws;
    }
    for (QWebSocket *ws : clients)
        QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
    QSignalSpy echoed(clients.at(1), &QWebSocket::textMessageReceived);
    clients.at(0)->sendTextMessage(QStringLiteral("from first"));
    clients.at(1)->sendTextMessage(QStringLiteral("from second"));
    QVERIFY(echoed.wait(5000));
    ::kill(pid_t(serve.processId()), SIGINT);
    QVERIFY(serve.waitForFinished(10000));
    QCOMPARE(serve.exitCode(), 0);
    qDeleteAll(clients);

    QString error;
    SessionContents contents;
    QVERIFY2(readSessionContents(file, &contents, &error), qPrintable(error));
    QCOMPARE(contents.tabs.size(), 1);
    const SessionTab tab = contents.tabs.first();
    QCOMPARE(tab.kind, QStringLiteral("server"));
    QCOMPARE(tab.url, url.toString());
    const QList<SessionHandshake> handshakes = contents.handshakes.value(tab.id);
    QCOMPARE(handshakes.size(), 2);
    QSet<quint32> ids;
    for (const SessionHandshake &h : handshakes) {
        ids.insert(h.conn);
        QVERIFY(h.record.request.startsWith("GET / HTTP/1.1\r\n"));
        QVERIFY(h.record.request.contains("Origin: http://origin-"));
    }
    QCOMPARE(ids.size(), 2);
    MessageStore store;
    QVERIFY(loadSessionHistory(file, tab.id, store, FilePayloadSource::open(file, &error), &error) > 0);
    QHash<QString, quint32> senders;
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).kind == Kind::Text && store.row(i).direction == Direction::In)
            senders.insert(QString::fromUtf8(store.payload(i)), store.row(i).connectionId);
    }
    QCOMPARE(senders.size(), 2);
    QVERIFY(senders.value(QStringLiteral("from first")) != senders.value(QStringLiteral("from second")));
    QVERIFY(ids.contains(senders.value(QStringLiteral("from first"))));
}

void tst_SessionCapture::recordIntoForeignFileIsRefused()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("notes.txt"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("my notes, not a session\n");
    f.close();
    QProcess p;
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:9/"), QStringLiteral("--record"), file });
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 1);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("not a wstester session")), qPrintable(err));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("my notes, not a session\n"));
}

QTEST_GUILESS_MAIN(tst_SessionCapture)
#include "tst_SessionCapture.moc"
