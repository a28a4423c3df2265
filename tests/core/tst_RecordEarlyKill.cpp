// `wstester connect --record FILE` killed (SIGKILL) at many points of its first 300 ms, the time
// in which it creates the session file: every time, the file must be absent or a session that
// opens and can be recorded into again (issue 11, item 4).
#include "messages/MessageStore.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"

#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;

class tst_RecordEarlyKill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedWhileCreatingLeavesNothingOrASession();
    void unfinishedFilesAreReplaced_data();
    void unfinishedFilesAreReplaced();
    void otherFilesAreNotReplaced_data();
    void otherFilesAreNotReplaced();

private:
    static QString problemWith(const QString &path);
};

// Empty when the file opens (as File > Open checks it) and takes one more tab and message.
QString tst_RecordEarlyKill::problemWith(const QString &path)
{
    QString error;
    if (!Schema::checkFile(path, &error))
        return QStringLiteral("does not open: ") + error;
    SessionContents before;
    if (!readSessionContents(path, &before, &error))
        return QStringLiteral("cannot be read: ") + error;
    {
        SessionRecorder recorder;
        if (!recorder.open(path, &error, true))
            return QStringLiteral("cannot be recorded into: ") + error;
        auto store = std::make_shared<MessageStore>();
        const qint64 tab = recorder.addTab({});
        recorder.attach(tab, store);
        store->appendText(Direction::In, Kind::Text, QStringLiteral("again"), nowUs());
        recorder.close();
    }
    SessionContents after;
    if (!readSessionContents(path, &after, &error))
        return QStringLiteral("cannot be read after recording: ") + error;
    if (after.tabs.size() != before.tabs.size() + 1 || after.messageCounts.value(after.tabs.last().id) != 1)
        return QStringLiteral("the new tab or its message is missing");
    return {};
}

void tst_RecordEarlyKill::killedWhileCreatingLeavesNothingOrASession()
{
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QWebSocket *> peers;
    connect(&server, &QWebSocketServer::newConnection, this, [&server, &peers] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            socket->setParent(&server);
            peers.append(socket);
        }
    });
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort());

    QTemporaryDir dir;
    constexpr int Kills = 40;
    constexpr int SpanMs = 300;
    QStringList problems;
    int absent = 0;
    for (int i = 0; i < Kills; ++i) {
        const QString path = dir.filePath(QStringLiteral("kill-%1.wstsession").arg(i));
        QProcess process;
        // stdin stays open: the command keeps running until it is killed.
        // WST_BINARY in the environment: another build's wstester (e.g. to see this test fail).
        process.start(qEnvironmentVariable("WST_BINARY", QStringLiteral(WST_BINARY)),
            { QStringLiteral("connect"), QStringLiteral("--record"), path, url });
        QVERIFY(process.waitForStarted());
        // The point of the test is the moment of the kill: staggered over the first 300 ms.
        QTest::qWait(i * SpanMs / Kills);
        process.kill();
        QVERIFY(process.waitForFinished());
        QString problem;
        if (!QFileInfo::exists(path)) {
            ++absent;
            // Created anew (which also clears what the killed creator left under its own name).
            SessionRecorder recorder;
            if (!recorder.open(path, &problem, true))
                problem.prepend(QStringLiteral("cannot be created: "));
        }
        if (problem.isEmpty())
            problem = problemWith(path);
        const QStringList leftovers
            = QDir(dir.path()).entryList({ QStringLiteral(".kill-%1.*").arg(i) }, QDir::Files | QDir::Hidden);
        if (problem.isEmpty() && !leftovers.isEmpty())
            problem = QStringLiteral("temporary files left: ") + leftovers.join(QLatin1Char(' '));
        if (!problem.isEmpty())
            problems.append(
                QStringLiteral("kill %1 after %2 ms: %3").arg(i).arg(i * SpanMs / Kills).arg(problem));
    }
    qInfo("%d kills: %d left no file, %d a bad one", Kills, absent, int(problems.size()));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void tst_RecordEarlyKill::unfinishedFilesAreReplaced_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("empty file") << "empty";
    QTest::newRow("ids but no tables") << "ids";
    QTest::newRow("empty database") << "database";
}

// Files that an earlier wstester left when it was killed while creating them: they never held a
// message, so --record and Open make them a new empty session (and say so).
void tst_RecordEarlyKill::unfinishedFilesAreReplaced()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("unfinished.wstsession"));
    if (kind == QLatin1StringView("empty")) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
    } else {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("make"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        if (kind == QLatin1StringView("ids")) {
            QSqlQuery(db).exec(QStringLiteral("PRAGMA application_id = %1").arg(Schema::ApplicationId));
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = %1").arg(Schema::Version));
        } else {
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 0"));
            QSqlQuery(db).exec(QStringLiteral("VACUUM")); // writes the header: a 1-page database
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("make"));
    }
    QString error;
    QVERIFY(!Schema::checkFile(path, &error));

    SessionRecorder recorder;
    QVERIFY2(recorder.open(path, &error, true), qPrintable(error));
    QVERIFY2(recorder.notice().contains(QStringLiteral("held no message")), qPrintable(recorder.notice()));
    recorder.close();
    QVERIFY2(Schema::checkFile(path, &error), qPrintable(error));

    // Open (the window) replaces it the same way, through Schema::replaceUnfinished().
    QFile::resize(path, 0);
    QString notice;
    QCOMPARE(Schema::replaceUnfinished(path, &notice, &error), Schema::Unfinished::Replaced);
    QVERIFY(notice.contains(path));
    QVERIFY2(Schema::checkFile(path, &error), qPrintable(error));
    // A complete session is left as it is.
    QCOMPARE(Schema::replaceUnfinished(path, &notice, &error), Schema::Unfinished::No);
}

void tst_RecordEarlyKill::otherFilesAreNotReplaced_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("text") << "text";
    QTest::newRow("foreign sqlite") << "foreign";
    QTest::newRow("foreign id") << "foreignId";
}

void tst_RecordEarlyKill::otherFilesAreNotReplaced()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.wstsession"));
    if (kind == QLatin1StringView("text")) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a session\n");
    } else {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("make"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        if (kind == QLatin1StringView("foreign"))
            QSqlQuery(db).exec(QStringLiteral("CREATE TABLE notes(x)"));
        else
            QSqlQuery(db).exec(QStringLiteral("PRAGMA application_id = 1234"));
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("make"));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();
    QString notice;
    QString error;
    QCOMPARE(Schema::replaceUnfinished(path, &notice, &error), Schema::Unfinished::No);
    SessionRecorder recorder;
    QVERIFY(!recorder.open(path, &error, true));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
}

QTEST_GUILESS_MAIN(tst_RecordEarlyKill)
#include "tst_RecordEarlyKill.moc"
