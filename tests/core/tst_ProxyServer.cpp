// The intercepting proxy in reverse mode, with nobody intercepting: a python websockets server
// upstream, wstester's own client connection through the listening address. What passes must
// arrive unchanged, complete and in order; what the proxy records must be what crossed.
#include "ProxyHarness.h"
#include "server/LocalServer.h"

#include <QTcpServer>
#include <QTcpSocket>

using namespace wst;
using namespace proxytest;

class tst_ProxyServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textAndBinaryPassAndAreRecorded();
    void compressedFlowIsRecordedInflated();
    void floodPassesCompleteAndInOrder();
    void closeCodesPassBothWays();
    void upstreamRefusedIsOneLine();
    void upstreamForbiddenIsPassedBack();
    void headersAreRewritten();
    void tooBigMessageCloses1009();
    void silentClientIsDropped();
};

void tst_ProxyServer::textAndBinaryPassAndAreRecorded()
{
    Peer echo(QStringLiteral("echo_server.py"));
    QVERIFY(echo.port() != 0);
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    QCOMPARE(proxy.url().scheme(), QStringLiteral("ws"));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), false));
    client.sendText(QStringLiteral("hello \u4e16\u754c"));
    QByteArray bytes;
    for (int i = 0; i < 300; ++i)
        bytes.append(char(i % 256));
    client.sendBinary(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 2, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In),
        (QList<QByteArray> { QStringLiteral("hello \u4e16\u754c").toUtf8(), bytes }));
    const MessageStore &s = *proxy.store();
    QTRY_COMPARE(payloads(s, Direction::In).size(), 2);
    QCOMPARE(payloads(s, Direction::Out), payloads(s, Direction::In));
    QVERIFY(findRow(s, Direction::Out, Kind::Binary, bytes) >= 0);
    QTRY_COMPARE(proxy.connections().size(), 1);
    // The list is reported every 100 ms: wait for the one that has seen both messages.
    QTRY_COMPARE(proxy.connections().first().messagesToServer, 2);
    const ProxyServer::ConnectionInfo info = proxy.connection(proxy.connections().first().id);
    QCOMPARE(info.upstreamRecord.statusCode(), 101);
    QVERIFY(info.downstream.request.startsWith("GET / HTTP/1.1\r\n"));
    QCOMPARE(info.downstream.response, info.upstreamRecord.response);
    QVERIFY2(info.upstreamRecord.request.contains(
                 QStringLiteral("Host: 127.0.0.1:%1\r\n").arg(echo.port()).toUtf8()),
        info.upstreamRecord.request.constData());
    QCOMPARE(info.messagesToServer, 2);
    QVERIFY(client.close(1000, QStringLiteral("bye")));
    QTRY_VERIFY_WITH_TIMEOUT(!proxy.connections().first().open, 20000);
    QCOMPARE(proxy.connections().first().closeCode, 1000);
    QVERIFY(findRow(s, Direction::Out, Kind::Close, "bye") >= 0);
}

void tst_ProxyServer::compressedFlowIsRecordedInflated()
{
    Peer server(QStringLiteral("deflate_server.py"));
    QVERIFY(server.port() != 0);
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(server.url())));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    QTRY_COMPARE(proxy.connections().size(), 1);
    QTRY_VERIFY2(proxy.connections().first().extensions.contains(QStringLiteral("permessage-deflate")),
        qPrintable(proxy.connections().first().extensions));
    // Compressible and repeated, so that context takeover refers back to earlier messages.
    QList<QByteArray> sent;
    for (int i = 0; i < 20; ++i) {
        const QByteArray text
            = QByteArray("the same words again and again ").repeated(20) + QByteArray::number(i);
        sent.append(text);
        client.sendText(QString::fromUtf8(text));
    }
    client.sendText(QStringLiteral("__big 200000"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 21, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).mid(0, 20), sent);
    const MessageStore &s = *proxy.store();
    QTRY_COMPARE(payloads(s, Direction::In).size(), 21);
    QCOMPARE(payloads(s, Direction::Out).mid(0, 20), sent);
    QCOMPARE(payloads(s, Direction::In).mid(0, 20), sent);
    QCOMPARE(payloads(s, Direction::In).last().size(), 200000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), payloads(s, Direction::In).last());
}

void tst_ProxyServer::floodPassesCompleteAndInOrder()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    constexpr int Count = 20000;
    for (int i = 0; i < Count; ++i)
        client.sendText(QStringLiteral("message %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), Count, 120000);
    const QList<QByteArray> got = payloads(*client.store(), Direction::In);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(got.at(i), QStringLiteral("message %1").arg(i).toUtf8());
    QTRY_COMPARE(payloads(*proxy.store(), Direction::In).size(), Count);
    QCOMPARE(payloads(*proxy.store(), Direction::Out), got);
    QCOMPARE(payloads(*proxy.store(), Direction::In), got);
}

void tst_ProxyServer::closeCodesPassBothWays()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    // The server closes with 4002.
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url()));
    client.sendText(QStringLiteral("__close 4002 server says bye"));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ClientConnection::State::Closed, 20000);
    QCOMPARE(client.status().closeCode, 4002);
    QCOMPARE(client.status().closeReason, QStringLiteral("server says bye"));
    QVERIFY(findRow(*proxy.store(), Direction::In, Kind::Close, "server says bye") >= 0);
    QTRY_VERIFY(!proxy.connections().isEmpty() && !proxy.connections().first().open);
    QCOMPARE(proxy.connections().first().closeCode, 4002);
    // The client closes with 4001: the server answers with the same code, which passes back.
    ClientConnection second;
    QVERIFY(openThrough(second, proxy.url()));
    QVERIFY(second.close(4001, QStringLiteral("client says bye")));
    QTRY_VERIFY_WITH_TIMEOUT(second.state() == ClientConnection::State::Closed, 20000);
    qint64 out = -1;
    QTRY_VERIFY((out = findRow(*proxy.store(), Direction::Out, Kind::Close, "client says bye")) >= 0);
    QCOMPARE(proxy.store()->row(out).extra, 4001);
    QTRY_COMPARE(proxy.connections().size(), 2);
    QTRY_VERIFY(!proxy.connections().last().open);
    QCOMPARE(proxy.connections().last().closeCode, 4001);
}

void tst_ProxyServer::upstreamRefusedIsOneLine()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)))));
    ClientConnection client;
    QVERIFY(!openThrough(client, proxy.url()));
    QTRY_VERIFY(!proxy.connections().isEmpty() && !proxy.connections().first().error.isEmpty());
    const QString error = proxy.connections().first().error;
    QVERIFY2(error.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Error, "refused") >= 0);
    QCOMPARE(client.handshake().statusCode(), 502);
}

void tst_ProxyServer::upstreamForbiddenIsPassedBack()
{
    Peer server(QStringLiteral("handshake_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(server.url(QStringLiteral("/403")))));
    ClientConnection client;
    QVERIFY(!openThrough(client, proxy.url()));
    QTRY_COMPARE(client.handshake().statusCode(), 403);
    QTRY_VERIFY(!proxy.connections().isEmpty());
    QTRY_VERIFY2(proxy.connections().first().error.contains(QStringLiteral("403")),
        qPrintable(proxy.connections().first().error));
    QCOMPARE(proxy.connections().first().upstreamRecord.statusCode(), 403);
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Error, "403") >= 0);
}

void tst_ProxyServer::headersAreRewritten()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyOptions options = reverseTo(echo.url(QStringLiteral("/base")));
    options.setHeaders = { { "X-Added", "by proxy" } };
    options.removeHeaders = { "X-Secret" };
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    ConnectionOptions co;
    co.url = proxy.url().resolved(QUrl(QStringLiteral("/chat?room=1")));
    co.headers.append(qMakePair(QByteArray("X-Secret"), QByteArray("hidden")));
    co.headers.append(qMakePair(QByteArray("X-Kept"), QByteArray("kept")));
    client.open(co);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ClientConnection::State::Open, 20000);
    client.sendText(QStringLiteral("__headers__"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 1, 20000);
    const QByteArray json = payloads(*client.store(), Direction::In).first();
    QVERIFY2(json.contains("\"path\": \"/base/chat?room=1\""), json.constData());
    QVERIFY2(json.contains("[\"X-Added\", \"by proxy\"]"), json.constData());
    QVERIFY2(json.contains("[\"X-Kept\", \"kept\"]"), json.constData());
    QVERIFY2(!json.contains("X-Secret"), json.constData());
    QVERIFY(json.contains(QStringLiteral("[\"Host\", \"127.0.0.1:%1\"]").arg(echo.port()).toUtf8()));
}

void tst_ProxyServer::tooBigMessageCloses1009()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyOptions options = reverseTo(echo.url());
    options.maxMessageSize = 1000;
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), false));
    client.sendText(QString(2000, QLatin1Char('x')));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ClientConnection::State::Closed, 20000);
    QCOMPARE(client.status().closeCode, 1009);
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Error, "1009") >= 0);
}

void tst_ProxyServer::silentClientIsDropped()
{
    // The default wait is 10 s: a test of it waits that long once.
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(proxy.url().port()));
    QVERIFY(socket.waitForConnected(10000));
    socket.write("GET / HTTP/1.1\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 30000);
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Error, "no complete request") >= 0);
}

QTEST_MAIN(tst_ProxyServer)
#include "tst_ProxyServer.moc"
