#include "compose/PeriodicSender.h"
#include "compose/SessionEnvironment.h"
#include "messages/MessageStore.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;
using State = ClientConnection::State;

namespace {

// Records what each client sends, on 127.0.0.1, and keeps its sockets so that a test can drop them.
class RecordingServer : public QObject
{
public:
    RecordingServer()
        : m_server(QStringLiteral("periodic"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *s = m_server.nextPendingConnection()) {
                sockets.append(s);
                connect(s, &QWebSocket::textMessageReceived, this, [this](const QString &t) {
                    texts.append(t);
                    arrivals.append(clock.elapsed());
                });
                connect(s, &QWebSocket::binaryMessageReceived, this,
                    [this](const QByteArray &b) { binaries.append(b); });
                connect(s, &QWebSocket::disconnected, this, [this, s] {
                    sockets.removeAll(s);
                    s->deleteLater();
                });
            }
        });
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        clock.start();
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/p").arg(m_server.serverPort())); }

    QStringList texts;
    QList<qint64> arrivals;
    QList<QByteArray> binaries;
    QList<QWebSocket *> sockets;
    QElapsedTimer clock;

private:
    QWebSocketServer m_server;
};

SavedMessage message(const QString &format, const QString &body)
{
    return { QStringLiteral("m"), format, body };
}

} // namespace

class tst_PeriodicSender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fiveSendsInOrderWithCounter();
    void binaryFormats();
    void stopByUser();
    void stopsWhenTheConnectionCloses();
    void refusesWhatCannotBeSent();
    void variableRemovedDuringRunStopsWithError();
    void sinkUntilStopped();

private:
    bool openConnection(ClientConnection &c, const RecordingServer &server)
    {
        ConnectionOptions o;
        o.url = server.url();
        c.open(o);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Open, 10000); }();
        return c.state() == State::Open;
    }
};

void tst_PeriodicSender::fiveSendsInOrderWithCounter()
{
    RecordingServer server;
    ClientConnection c;
    QVERIFY(openConnection(c, server));
    SessionEnvironment env;
    env.addRow(QStringLiteral("who"), QStringLiteral("ann"));
    PeriodicSender sender(&c);
    sender.setEnvironment(&env);
    QSignalSpy progress(&sender, &PeriodicSender::progress);
    QSignalSpy stopped(&sender, &PeriodicSender::stopped);

    QString error;
    const qint64 startedAt = server.clock.elapsed();
    QVERIFY2(sender.start(
                 message(QStringLiteral("json"), QStringLiteral(R"({"n": {{counter}}, "who": "{{who}}"})")),
                 50, 5, &error),
        qPrintable(error));
    QVERIFY(sender.isRunning());
    QCOMPARE(sender.sent(), 1);
    QCOMPARE(sender.remaining(), 4);
    QCOMPARE(sender.progressText(), QStringLiteral("Sending every 50 ms \u00b7 1 of 5 sent"));

    QVERIFY(stopped.wait(5000));
    QCOMPARE(stopped.first().at(0).value<PeriodicSender::StopReason>(), PeriodicSender::StopReason::Finished);
    QVERIFY(!sender.isRunning());
    QCOMPARE(sender.sent(), 5);
    QCOMPARE(sender.remaining(), 0);
    QCOMPARE(progress.count(), 5);
    QCOMPARE(progress.last().at(0).toInt(), 5);

    QTRY_COMPARE(server.texts.size(), 5);
    QStringList expected;
    for (int i = 1; i <= 5; ++i)
        expected << QStringLiteral(R"({"n": %1, "who": "ann"})").arg(i);
    QCOMPARE(server.texts, expected);
    // Five sends 50 ms apart take at least 200 ms from the first to the last.
    QVERIFY2(server.arrivals.last() - startedAt >= 190,
        qPrintable(QString::number(server.arrivals.last() - startedAt)));
    // No more arrive after the run ends.
    QTest::qWait(150);
    QCOMPARE(server.texts.size(), 5);
    QCOMPARE(c.store()->counters().messagesOut, 5);
}

void tst_PeriodicSender::binaryFormats()
{
    RecordingServer server;
    ClientConnection c;
    QVERIFY(openConnection(c, server));
    PeriodicSender sender(&c);
    QSignalSpy stopped(&sender, &PeriodicSender::stopped);
    QString error;
    QVERIFY2(
        sender.start(message(QStringLiteral("hex"), QStringLiteral("00 ff 0{{counter}}")), 10, 2, &error),
        qPrintable(error));
    QVERIFY(stopped.wait(5000));
    QTRY_COMPARE(server.binaries.size(), 2);
    QCOMPARE(server.binaries.at(0), QByteArray("\x00\xff\x01", 3));
    QCOMPARE(server.binaries.at(1), QByteArray("\x00\xff\x02", 3));
    QVERIFY(server.texts.isEmpty());
}

void tst_PeriodicSender::stopByUser()
{
    RecordingServer server;
    ClientConnection c;
    QVERIFY(openConnection(c, server));
    PeriodicSender sender(&c);
    QSignalSpy progress(&sender, &PeriodicSender::progress);
    QSignalSpy stopped(&sender, &PeriodicSender::stopped);
    QString error;
    QVERIFY(sender.start(message(QStringLiteral("text"), QStringLiteral("tick {{counter}}")), 20, 0, &error));
    QCOMPARE(sender.remaining(), -1);
    QTRY_VERIFY(sender.sent() >= 3);
    QCOMPARE(sender.progressText(), QStringLiteral("Sending every 20 ms \u00b7 %1 sent").arg(sender.sent()));
    sender.stop();
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(stopped.first().at(0).value<PeriodicSender::StopReason>(), PeriodicSender::StopReason::Stopped);
    QVERIFY(!sender.isRunning());
    const int sent = sender.sent();
    QVERIFY(stopped.first().at(1).toString().contains(QString::number(sent)));
    QTRY_COMPARE(server.texts.size(), sent);
    QTest::qWait(100); // nothing more after a stop
    QCOMPARE(server.texts.size(), sent);
    QCOMPARE(server.texts.last(), QStringLiteral("tick %1").arg(sent));
    sender.stop(); // a second stop says nothing
    QCOMPARE(stopped.count(), 1);
}

void tst_PeriodicSender::stopsWhenTheConnectionCloses()
{
    RecordingServer server;
    ClientConnection c;
    QVERIFY(openConnection(c, server));
    PeriodicSender sender(&c);
    QSignalSpy stopped(&sender, &PeriodicSender::stopped);
    QString error;
    QVERIFY(sender.start(message(QStringLiteral("text"), QStringLiteral("x")), 20, 1000, &error));
    QTRY_VERIFY(server.sockets.size() == 1 && server.texts.size() >= 2);
    server.sockets.first()->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("bye"));
    QVERIFY(stopped.wait(5000));
    QCOMPARE(stopped.first().at(0).value<PeriodicSender::StopReason>(),
        PeriodicSender::StopReason::ConnectionClosed);
    QVERIFY2(stopped.first().at(1).toString().contains(QLatin1String("connection closed")),
        qPrintable(stopped.first().at(1).toString()));
    QVERIFY(!sender.isRunning());
    QVERIFY(sender.sent() < 1000);
    QCOMPARE(sender.lastStopMessage(), stopped.first().at(1).toString());
}

void tst_PeriodicSender::refusesWhatCannotBeSent()
{
    RecordingServer server;
    ClientConnection c;
    PeriodicSender sender(&c);
    QSignalSpy started(&sender, &PeriodicSender::started);
    QString error;
    // Not open yet.
    QVERIFY(!sender.start(message(QStringLiteral("text"), QStringLiteral("x")), 10, 1, &error));
    QVERIFY(error.contains(QLatin1String("open connection")));
    QVERIFY(openConnection(c, server));
    QVERIFY(!sender.start(message(QStringLiteral("text"), QStringLiteral("x {{token}}")), 10, 1, &error));
    QVERIFY2(error.contains(QLatin1String("{{token}}")), qPrintable(error));
    QVERIFY(!sender.start(message(QStringLiteral("json"), QStringLiteral("{bad")), 10, 1, &error));
    QVERIFY(!sender.start(message(QStringLiteral("hex"), QStringLiteral("zz")), 10, 1, &error));
    QVERIFY(!sender.start(message(QStringLiteral("text"), QStringLiteral("x")), 0, 1, &error));
    QVERIFY(!sender.start(message(QStringLiteral("text"), QStringLiteral("x")), 10, -1, &error));
    QCOMPARE(started.count(), 0);
    QVERIFY(!sender.isRunning());
    QTest::qWait(50);
    QVERIFY(server.texts.isEmpty());
}

void tst_PeriodicSender::variableRemovedDuringRunStopsWithError()
{
    SessionEnvironment env;
    env.addRow(QStringLiteral("token"), QStringLiteral("a"));
    QStringList got;
    PeriodicSender sender([&got](bool, const QByteArray &p) { got << QString::fromUtf8(p); });
    sender.setEnvironment(&env);
    QSignalSpy stopped(&sender, &PeriodicSender::stopped);
    QString error;
    QVERIFY(sender.start(message(QStringLiteral("text"), QStringLiteral("{{token}}")), 10, 0, &error));
    QTRY_VERIFY(got.size() >= 2);
    env.removeRows(0, 1);
    QVERIFY(stopped.wait(2000));
    QCOMPARE(stopped.first().at(0).value<PeriodicSender::StopReason>(), PeriodicSender::StopReason::Error);
    QVERIFY(stopped.first().at(1).toString().contains(QLatin1String("{{token}}")));
    QVERIFY(!got.contains(QStringLiteral("{{token}}")));
}

void tst_PeriodicSender::sinkUntilStopped()
{
    int binaries = 0;
    PeriodicSender sender([&binaries](bool binary, const QByteArray &) { binaries += binary ? 1 : 0; });
    QString error;
    QVERIFY(sender.start(message(QStringLiteral("base64"), QStringLiteral("AAE=")), 5, 3, &error));
    QTRY_VERIFY(!sender.isRunning());
    QCOMPARE(binaries, 3);
    QCOMPARE(sender.sent(), 3);
    // A count of one finishes at once.
    QSignalSpy stopped(&sender, &PeriodicSender::stopped);
    QVERIFY(sender.start(message(QStringLiteral("text"), QStringLiteral("once")), 5, 1, &error));
    QCOMPARE(stopped.count(), 1);
    QVERIFY(!sender.isRunning());
}

QTEST_GUILESS_MAIN(tst_PeriodicSender)
#include "tst_PeriodicSender.moc"
