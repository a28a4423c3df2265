// Intercept and faults in the proxy: paused ways, breakpoints, held messages forwarded, edited
// and dropped, injected messages, a connection closed by the proxy; faults on the way to the
// client. On a permessage-deflate connection with context takeover (python websockets' default)
// a dropped or edited message must not break the peers' compression contexts.
#include "ProxyHarness.h"

using namespace wst;
using namespace proxytest;
using W = ProxyServer::Way;

class tst_ProxyIntercept : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pausedWayHoldsDropsAndEditsCompressed();
    void breakpointHoldsAndKeepsOrder();
    void injectIntoBothWays();
    void forwardAllThenClose();
    void heldLimit();
    void faultClosesAfterTwo();

private:
    static QByteArray wordy(int i)
    {
        return QByteArray("compress me, compress me again ").repeated(10) + QByteArray::number(i);
    }
};

void tst_ProxyIntercept::pausedWayHoldsDropsAndEditsCompressed()
{
    // Each message is new text repeated, and a later one repeats an earlier one: with context
    // takeover the later one is compressed as references into the earlier one, so a receiver
    // that never got the earlier one cannot read it unless the proxy takes care.
    auto text = [](const char *word) { return QByteArray(word).repeated(30); };
    Peer server(QStringLiteral("deflate_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(server.url())));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    QTRY_COMPARE(proxy.connections().size(), 1);
    QTRY_VERIFY(proxy.connections().first().extensions.contains(QStringLiteral("permessage-deflate")));
    QVERIFY(!proxy.connections().first().extensions.contains(QStringLiteral("no_context_takeover")));
    proxy.setPaused(W::ToServer, true);
    QVERIFY(proxy.isPaused(W::ToServer));
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Paused client") >= 0);
    client.sendText(QString::fromUtf8(text("alpha one ")));
    client.sendText(QString::fromUtf8(text("bravo two ")));
    client.sendText(QString::fromUtf8(text("charlie three ")));
    QTRY_COMPARE_WITH_TIMEOUT(proxy.held().size(), 3, 20000);
    QCOMPARE(proxy.held().at(0).payload, text("alpha one "));
    QCOMPARE(proxy.held().at(0).way, W::ToServer);
    QCOMPARE(proxy.held().at(0).breakpoint, -1);
    QCOMPARE(payloads(*client.store(), Direction::In).size(), 0);
    const QList<ProxyServer::HeldMessage> held = proxy.held();
    // The third is forwarded first: it waits behind the others, so order is kept.
    proxy.forward(held.at(2).id);
    proxy.drop(held.at(0).id);
    proxy.forward(held.at(1).id);
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 2, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In),
        (QList<QByteArray> { text("bravo two "), text("charlie three ") }));
    QTRY_VERIFY(proxy.held().isEmpty());
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "dropped #") >= 0);
    // Unpaused: the client compresses this against the dropped message; the server still reads it.
    proxy.setPaused(W::ToServer, false);
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Resumed client") >= 0);
    client.sendText(QString::fromUtf8(text("alpha one ") + "again"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 3, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), text("alpha one ") + "again");
    QCOMPARE(client.state(), ClientConnection::State::Open);

    // The other way: an edited compressed message to the client, then one that repeats the original.
    proxy.setPaused(W::ToClient, true);
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Paused server") >= 0);
    client.sendText(QString::fromUtf8(text("delta four ")));
    QTRY_COMPARE_WITH_TIMEOUT(proxy.held().size(), 1, 20000);
    QCOMPARE(proxy.held().first().way, W::ToClient);
    proxy.forward(proxy.held().first().id, Kind::Text, "edited");
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 4, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), QByteArray("edited"));
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "edited #") >= 0);
    proxy.setPaused(W::ToClient, false);
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Resumed server") >= 0);
    client.sendText(QString::fromUtf8(text("delta four ") + "again"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 5, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), text("delta four ") + "again");
    QCOMPARE(client.state(), ClientConnection::State::Open);
}

void tst_ProxyIntercept::breakpointHoldsAndKeepsOrder()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyOptions options = reverseTo(echo.url());
    ProxyBreakpoint breakpoint;
    breakpoint.direction = ProxyBreakpoint::Direction::ToClient;
    breakpoint.match.match = ReplyRule::Match::JsonField;
    breakpoint.match.field = QStringLiteral("op");
    breakpoint.match.value = QStringLiteral("secret");
    options.breakpoints = { breakpoint };
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    client.sendText(QStringLiteral("plain 1"));
    client.sendText(QStringLiteral("{\"op\":\"secret\"}"));
    client.sendText(QStringLiteral("plain 2"));
    QTRY_COMPARE_WITH_TIMEOUT(proxy.held().size(), 1, 20000);
    QCOMPARE(proxy.held().first().breakpoint, 0);
    QCOMPARE(proxy.held().first().way, W::ToClient);
    // "plain 2" has reached the proxy, and waits behind the held message.
    QTRY_VERIFY(findRow(*proxy.store(), Direction::In, Kind::Text, "plain 2") >= 0);
    QTRY_COMPARE(payloads(*client.store(), Direction::In).size(), 1);
    QCOMPARE(payloads(*client.store(), Direction::In).first(), QByteArray("plain 1"));
    proxy.forward(proxy.held().first().id);
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 3, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In),
        (QList<QByteArray> { "plain 1", "{\"op\":\"secret\"}", "plain 2" }));
    // Breakpoints changed while running: none now.
    proxy.setBreakpoints({});
    client.sendText(QStringLiteral("{\"op\":\"secret\"}"));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 4, 20000);
    QTRY_VERIFY(proxy.held().isEmpty()); // the list comes in batches: the forwarded one leaves it
}

void tst_ProxyIntercept::injectIntoBothWays()
{
    Peer server(QStringLiteral("deflate_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(server.url())));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    QTRY_COMPARE(proxy.connections().size(), 1);
    const quint32 id = proxy.connections().first().id;
    client.sendText(QString::fromUtf8(wordy(1)));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 1, 20000);
    proxy.inject(id, W::ToClient, Kind::Text, "to the client");
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 2, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), QByteArray("to the client"));
    // The echo server sends an injected message back: the client gets it too.
    proxy.inject(id, W::ToServer, Kind::Binary, QByteArray("\x00\x01\x02", 3));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 3, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), QByteArray("\x00\x01\x02", 3));
    // Compression contexts still agree.
    client.sendText(QString::fromUtf8(wordy(2)));
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 4, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In).last(), wordy(2));
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "injected") >= 0);
}

void tst_ProxyIntercept::forwardAllThenClose()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyServer proxy;
    QVERIFY(start(proxy, reverseTo(echo.url())));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    proxy.setPaused(W::ToClient, true);
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Paused server") >= 0);
    for (int i = 0; i < 5; ++i)
        client.sendText(QStringLiteral("m%1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(proxy.held().size(), 5, 20000);
    proxy.forwardAll();
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 5, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In), (QList<QByteArray> { "m0", "m1", "m2", "m3", "m4" }));
    QVERIFY(proxy.isPaused(W::ToClient));
    QTRY_VERIFY(!proxy.connections().isEmpty()); // reported every 100 ms
    proxy.closeConnection(proxy.connections().first().id, 4100, QStringLiteral("closed by test"));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ClientConnection::State::Closed, 20000);
    QCOMPARE(client.status().closeCode, 4100);
    QCOMPARE(client.status().closeReason, QStringLiteral("closed by test"));
    QTRY_VERIFY(!proxy.connections().first().open);
}

void tst_ProxyIntercept::heldLimit()
{
    Peer echo(QStringLiteral("echo_server.py"));
    ProxyOptions options = reverseTo(echo.url());
    options.maxHeld = 2;
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), false));
    proxy.setPaused(W::ToServer, true);
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Paused client") >= 0);
    for (int i = 0; i < 4; ++i)
        client.sendText(QStringLiteral("m%1").arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(findRow(*proxy.store(), Direction::Out, Kind::Text, "m3") >= 0, 20000);
    QTRY_VERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "the limit") >= 0);
    // The held list reaches this thread in a batch after the store's rows.
    QTRY_COMPARE(proxy.held().size(), 2);
    // What was not held still waits behind what was: order is kept.
    proxy.forwardAll();
    QTRY_COMPARE_WITH_TIMEOUT(payloads(*client.store(), Direction::In).size(), 4, 20000);
    QCOMPARE(payloads(*client.store(), Direction::In), (QList<QByteArray> { "m0", "m1", "m2", "m3" }));
}

void tst_ProxyIntercept::faultClosesAfterTwo()
{
    Peer server(QStringLiteral("deflate_server.py"));
    ProxyOptions options = reverseTo(server.url());
    QString error;
    options.faults
        = FaultPlan::parse({ QStringLiteral("close=4003,after=2"), QStringLiteral("delay=50") }, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    ProxyServer proxy;
    QVERIFY(start(proxy, options));
    ClientConnection client;
    QVERIFY(openThrough(client, proxy.url(), true));
    for (int i = 1; i <= 4; ++i)
        client.sendText(QString::fromUtf8(wordy(i)));
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ClientConnection::State::Closed, 20000);
    QCOMPARE(client.status().closeCode, 4003);
    QCOMPARE(payloads(*client.store(), Direction::In), (QList<QByteArray> { wordy(1), wordy(2) }));
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Fault: delayed") >= 0);
    QVERIFY(findRow(*proxy.store(), Direction::Event, Kind::Info, "Fault: closed with 4003") >= 0);
}

QTEST_MAIN(tst_ProxyIntercept)
#include "tst_ProxyIntercept.moc"
