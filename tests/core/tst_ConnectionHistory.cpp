// The connection history: real connections to 127.0.0.1 recorded with their outcomes (opened,
// refused with a status, failed), read back after a restart, no secret in the file, a damaged
// file reported and kept, the cap, and two histories on one file (two processes) in step.
#include "capture/ConnectionHistoryBinder.h"
#include "compose/ConnectionHistory.h"
#include "compose/ConnectionHistoryModel.h"
#include "connection/ClientConnection.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;
using Outcome = ConnectionHistoryEntry::Outcome;
using State = ClientConnection::State;

class tst_ConnectionHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void recordsEveryOutcomeAndKeepsNoSecret();
    void damagedFileIsReportedAndKept();
    void capacityDropsTheOldest();
    void twoHistoriesOnOneFileStayInStep();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("history.ndjson")); }
    QByteArray fileBytes() const
    {
        QFile f(path());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static ConnectionHistoryEntry entry(const QString &url)
    {
        ConnectionHistoryEntry e;
        e.url = url;
        e.outcome = Outcome::Opened;
        return e;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ConnectionHistory::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ConnectionHistory::recordsEveryOutcomeAndKeepsNoSecret()
{
    QWebSocketServer server(QStringLiteral("t"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({ QStringLiteral("chat") });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QWebSocket *> accepted;
    connect(&server, &QWebSocketServer::newConnection, this, [&server, &accepted] {
        while (QWebSocket *s = server.nextPendingConnection()) {
            s->setParent(&server); // deleted with it: the sanitizer run counts what is left
            accepted.append(s);
        }
    });
    QTcpServer refusing; // answers every upgrade with 403
    QVERIFY(refusing.listen(QHostAddress::LocalHost, 0));
    connect(&refusing, &QTcpServer::newConnection, this, [&refusing] {
        QTcpSocket *s = refusing.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [s] {
            if (s->readAll().contains("\r\n\r\n"))
                s->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        });
    });
    QTcpServer closed; // a port that nothing listens on any more
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = closed.serverPort();
    closed.close();

    ConnectionHistory history(path());
    QAbstractItemModelTester tester(new ConnectionHistoryModel(&history, &history));
    ClientConnection c;
    ConnectionHistoryBinder::follow(&c, &history);
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://user:hunter2pass@127.0.0.1:%1/feed").arg(server.serverPort()));
    o.subprotocols = { QStringLiteral("chat") };
    o.headers = { { "Authorization", "Bearer s3cr3t-token" }, { "X-Plain", "visible" } };
    o.connectTimeoutMs = 5000;
    c.open(o);
    QTRY_COMPARE(c.state(), State::Open);
    QTRY_COMPARE(history.entries().size(), qsizetype(1));
    QCOMPARE(history.entries().first().outcome, Outcome::Opened);
    QCOMPARE(history.entries().first().subprotocol, QStringLiteral("chat"));
    QCOMPARE(history.entries().first().openMs, qint64(-1)); // still open
    QVERIFY(c.close(1000, QStringLiteral("done")));
    QTRY_COMPARE(c.state(), State::Closed);
    QVERIFY(history.entries().first().openMs >= 0);

    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/refused").arg(refusing.serverPort()));
    c.open(o);
    QTRY_COMPARE(c.state(), State::Error);
    QTRY_COMPARE(history.entries().size(), qsizetype(2));
    QCOMPARE(history.entries().first().outcome, Outcome::Refused);
    QCOMPARE(history.entries().first().httpStatus, 403);

    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/closed").arg(closedPort));
    c.open(o);
    QTRY_COMPARE(c.state(), State::Error);
    QTRY_COMPARE(history.entries().size(), qsizetype(3));
    QCOMPARE(history.entries().first().outcome, Outcome::Failed);
    QVERIFY2(history.entries().first().error.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
        qPrintable(history.entries().first().error));
    QVERIFY(history.problem().isEmpty());

    // A restart reads the three back, newest first, with their outcomes.
    ConnectionHistory again(path());
    QCOMPARE(again.entries().size(), qsizetype(3));
    QCOMPARE(again.entries().at(0).outcome, Outcome::Failed);
    QCOMPARE(again.entries().at(1).outcome, Outcome::Refused);
    QCOMPARE(again.entries().at(1).httpStatus, 403);
    QCOMPARE(again.entries().at(2).outcome, Outcome::Opened);
    QCOMPARE(again.entries().at(2).subprotocol, QStringLiteral("chat"));
    QVERIFY(again.entries().at(2).openMs >= 0);
    QCOMPARE(
        again.entries().at(2).url, QStringLiteral("ws://user@127.0.0.1:%1/feed").arg(server.serverPort()));
    QVERIFY(again.entries().at(2).settings.value(QStringLiteral("headers")).toArray().size() == 2);
    QVERIFY(again.problem().isEmpty());
    QCOMPARE(ConnectionHistoryModel::outcomeText(again.entries().at(1)), QStringLiteral("Refused: 403"));
    QCOMPARE(ConnectionHistoryModel::outcomeText(again.entries().at(2)), QStringLiteral("Opened (chat)"));

    // No secret in the file: not the header's value, not the URL's password.
    const QByteArray bytes = fileBytes();
    QVERIFY(bytes.contains("visible"));
    QVERIFY(!bytes.contains("s3cr3t-token"));
    QVERIFY(!bytes.contains("hunter2pass"));
}

void tst_ConnectionHistory::damagedFileIsReportedAndKept()
{
    ConnectionHistoryEntry good = entry(QStringLiteral("ws://a/"));
    good.id = QStringLiteral("a");
    good.at = QDateTime::currentDateTimeUtc();
    QFile f(path());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(good.toJson()).toJson(QJsonDocument::Compact) + "\n{\"url\": broken\n");
    f.close();
    const QByteArray before = fileBytes();

    ConnectionHistory history(path());
    QCOMPARE(history.entries().size(), qsizetype(1));
    QVERIFY2(history.problem().contains(QStringLiteral("damaged at line 2")), qPrintable(history.problem()));
    QCOMPARE(history.problem().count(QLatin1Char('\n')), 0);
    // New connections are appended; what was there stays as it was.
    history.add(entry(QStringLiteral("ws://b/")));
    QCOMPARE(history.entries().size(), qsizetype(2));
    QVERIFY(fileBytes().startsWith(before));
    // A rewrite (delete) first keeps a copy of the damaged file, and says where.
    history.remove({ QStringLiteral("a") });
    QCOMPARE(history.entries().size(), qsizetype(1));
    const QStringList copies
        = QDir(m_dir->path()).entryList({ QStringLiteral("history.ndjson.damaged-*") }, QDir::Files);
    QCOMPARE(copies.size(), 1);
    QFile copy(m_dir->filePath(copies.first()));
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QVERIFY(copy.readAll().startsWith(before));
    QVERIFY2(history.problem().contains(copies.first()), qPrintable(history.problem()));
    ConnectionHistory again(path());
    QCOMPARE(again.entries().size(), qsizetype(1));
    QVERIFY(again.problem().isEmpty());
}

void tst_ConnectionHistory::capacityDropsTheOldest()
{
    ConnectionHistory history(path());
    QCOMPARE(history.capacity(), 1000);
    history.setCapacity(5);
    for (int i = 0; i < 40; ++i)
        history.add(entry(QStringLiteral("ws://h/%1").arg(i)));
    QCOMPARE(history.entries().size(), qsizetype(5));
    QCOMPARE(history.entries().first().url, QStringLiteral("ws://h/39"));
    QCOMPARE(history.entries().last().url, QStringLiteral("ws://h/35"));
    // The file is compacted now and then: it does not grow without end.
    QVERIFY(fileBytes().count('\n') <= 5 + 16 + 1);
    ConnectionHistory again(path());
    again.setCapacity(5);
    QCOMPARE(again.entries().first().url, QStringLiteral("ws://h/39"));
    history.clear();
    QVERIFY(history.entries().isEmpty());
    QVERIFY(fileBytes().isEmpty());
}

void tst_ConnectionHistory::twoHistoriesOnOneFileStayInStep()
{
    // As two wstester processes: each appends, each sees the other's lines.
    ConnectionHistory a(path());
    ConnectionHistory b(path());
    QSignalSpy changed(&b, &ConnectionHistory::changed);
    const QString id = a.add(entry(QStringLiteral("ws://from-a/")));
    QTRY_COMPARE(b.entries().size(), qsizetype(1));
    QCOMPARE(b.entries().first().url, QStringLiteral("ws://from-a/"));
    a.setOpenDuration(id, 1234);
    QTRY_COMPARE(b.entries().first().openMs, qint64(1234));
    b.add(entry(QStringLiteral("ws://from-b/")));
    QTRY_COMPARE(a.entries().size(), qsizetype(2));
    QCOMPARE(a.entries().first().url, QStringLiteral("ws://from-b/"));
    // A delete in one keeps what the other added in the meantime.
    a.remove({ id });
    QTRY_COMPARE(b.entries().size(), qsizetype(1));
    QCOMPARE(b.entries().first().url, QStringLiteral("ws://from-b/"));
}

QTEST_GUILESS_MAIN(tst_ConnectionHistory)
#include "tst_ConnectionHistory.moc"
