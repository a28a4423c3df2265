#include "server/ClientListModel.h"
#include "server/LocalServer.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QWebSocket>
#include <QtTest>

using namespace wst;

class tst_ClientListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsClientsWithoutReset();
    void allRow();
    void peerText();

private:
    static bool start(LocalServer &server);
};

bool tst_ClientListModel::start(LocalServer &server)
{
    server.start(ServerOptions {});
    return QTest::qWaitFor([&server] { return server.state() != LocalServer::State::Stopped; }, 5000)
        && server.state() == LocalServer::State::Listening;
}

void tst_ClientListModel::followsClientsWithoutReset()
{
    LocalServer server;
    QVERIFY(start(server));
    ClientListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setServer(&server);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(ClientListModel::ColumnCount));

    QObject owner;
    QList<QWebSocket *> clients;
    for (int i = 0; i < 3; ++i) {
        auto *ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &owner);
        ws->open(server.url());
        QTRY_COMPARE(ws->state(), QAbstractSocket::ConnectedState);
        clients.append(ws);
    }
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(model.connectedCount(), 3);
    for (int row = 0; row < 3; ++row) {
        const quint32 id = model.clientId(row);
        QCOMPARE(model.rowForClient(id), row);
        QCOMPARE(model.index(row, ClientListModel::IdColumn).data().toUInt(), id);
        QCOMPARE(
            model.index(row, ClientListModel::IdColumn).data(ClientListModel::ClientIdRole).toUInt(), id);
        QCOMPARE(model.index(row, 0).data(ClientListModel::ConnectedRole).toBool(), true);
        QVERIFY(model.index(row, ClientListModel::SinceColumn).data().toString().contains(QLatin1Char(':')));
    }
    // Rows are in id order, and a row's peer port is its client's local port.
    QCOMPARE(model.index(0, ClientListModel::PeerColumn).data().toString(),
        QStringLiteral("127.0.0.1:%1").arg(clients.at(0)->localPort()));

    // Counters tick by dataChanged, and a client that leaves keeps its row with its close code.
    clients.at(1)->sendTextMessage(QStringLiteral("hi"));
    QTRY_COMPARE(model.index(1, ClientListModel::InColumn).data().toLongLong(), 1);
    QTRY_COMPARE(model.index(1, ClientListModel::OutColumn).data().toLongLong(), 1);
    QVERIFY(changes.count() > 0);
    clients.at(1)->close(QWebSocketProtocol::CloseCode(4001), QStringLiteral("leaving"));
    QTRY_COMPARE(model.index(1, 0).data(ClientListModel::ConnectedRole).toBool(), false);
    QCOMPARE(model.index(1, 0).data(ClientListModel::CloseCodeRole).toInt(), 4001);
    QVERIFY(model.index(1, ClientListModel::StateColumn).data().toString().contains(QStringLiteral("4001")));
    QCOMPARE(model.connectedCount(), 2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(resets.count(), 0);

    // Another client is added at the end.
    auto *late = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &owner);
    late->open(server.url());
    QTRY_COMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(3, ClientListModel::PeerColumn).data().toString(),
        QStringLiteral("127.0.0.1:%1").arg(late->localPort()));
    QCOMPARE(resets.count(), 0);

    // Unsetting the server empties the list.
    model.setServer(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void tst_ClientListModel::allRow()
{
    LocalServer server;
    QVERIFY(start(server));
    ClientListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAllRow(true);
    model.setServer(&server);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.clientId(0), 0u);
    QCOMPARE(model.rowForClient(0), 0);
    QCOMPARE(model.clientAt(0), nullptr);
    QCOMPARE(model.index(0, ClientListModel::StateColumn).data().toString(), tr("%n connected", nullptr, 0));
    QObject owner;
    auto *ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &owner);
    ws->open(server.url());
    QTRY_COMPARE(model.rowCount(), 2);
    QVERIFY(model.clientId(1) != 0);
    QCOMPARE(model.rowForClient(model.clientId(1)), 1);
    QCOMPARE(model.clientAt(1)->peerPort, ws->localPort());
    model.setAllRow(false);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(model.clientId(0) != 0);
    QCOMPARE(model.rowForClient(0), -1);
}

void tst_ClientListModel::peerText()
{
    QCOMPARE(ClientListModel::peerText(QHostAddress(QStringLiteral("127.0.0.1")), 80),
        QStringLiteral("127.0.0.1:80"));
    QCOMPARE(ClientListModel::peerText(QHostAddress(QStringLiteral("::ffff:10.0.0.2")), 81),
        QStringLiteral("10.0.0.2:81"));
    QCOMPARE(ClientListModel::peerText(QHostAddress(QStringLiteral("::1")), 82), QStringLiteral("[::1]:82"));
}

QTEST_GUILESS_MAIN(tst_ClientListModel)
#include "tst_ClientListModel.moc"
