// The local server's answer to bad opening handshakes (RFC 6455 sections 4.2.1 and 4.2.2), over a
// raw socket: the exact status line and headers, and the refused attempt as a row in the history.
#include "messages/MessageStore.h"
#include "server/HandshakeCheck.h"
#include "server/LocalServer.h"

#include <QTcpSocket>
#include <QtTest>

using namespace wst;

namespace {

const QByteArray Key = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455's example: 16 bytes

QByteArray request(const QByteArray &requestLine, const QList<QByteArray> &headers)
{
    QByteArray r = requestLine + "\r\n";
    for (const QByteArray &h : headers)
        r += h + "\r\n";
    return r + "\r\n";
}

QList<QByteArray> goodHeaders()
{
    return { "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: " + Key,
        "Sec-WebSocket-Version: 13" };
}

QList<QByteArray> without(const QByteArray &prefix)
{
    QList<QByteArray> headers = goodHeaders();
    headers.removeIf([&prefix](const QByteArray &h) { return h.startsWith(prefix); });
    return headers;
}

QList<QByteArray> replaced(const QByteArray &prefix, const QByteArray &header)
{
    QList<QByteArray> headers = without(prefix);
    headers.append(header);
    return headers;
}

} // namespace

class tst_HandshakeCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void badRequestGetsAnHttpAnswer_data();
    void badRequestGetsAnHttpAnswer();
    void goodVariantsAreUpgraded_data();
    void goodVariantsAreUpgraded();

private:
    // Sends the bytes, waits for the server to close, returns everything it answered.
    QByteArray exchange(const QByteArray &bytes, quint16 *localPort);

    LocalServer *m_server = nullptr;
};

void tst_HandshakeCheck::initTestCase()
{
    m_server = new LocalServer(this);
    m_server->start({});
    QTRY_COMPARE(m_server->state(), LocalServer::State::Listening);
}

void tst_HandshakeCheck::cleanupTestCase()
{
    delete m_server;
}

QByteArray tst_HandshakeCheck::exchange(const QByteArray &bytes, quint16 *localPort)
{
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, quint16(m_server->url().port()));
    if (!raw.waitForConnected(5000))
        return {};
    *localPort = raw.localPort();
    raw.write(bytes);
    QByteArray answer;
    QDeadlineTimer deadline(10000);
    while (raw.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        raw.waitForReadyRead(100);
        answer += raw.readAll();
        // A 101 leaves the connection open: the answer is complete at its blank line.
        if (answer.startsWith("HTTP/1.1 101") && answer.contains("\r\n\r\n"))
            return answer;
    }
    return answer + raw.readAll();
}

void tst_HandshakeCheck::badRequestGetsAnHttpAnswer_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("extraHeaders");
    QTest::addColumn<QString>("because");

    const QByteArray bad = "400 Bad Request";
    QTest::newRow("plain GET") << request("GET / HTTP/1.1", { "Host: 127.0.0.1", "Accept: text/html" }) << bad
                               << QByteArray() << QStringLiteral("plain HTTP request");
    QTest::newRow("no Sec-WebSocket-Key") << request("GET / HTTP/1.1", without("Sec-WebSocket-Key")) << bad
                                          << QByteArray() << QStringLiteral("no Sec-WebSocket-Key");
    QTest::newRow("no Upgrade") << request("GET / HTTP/1.1", without("Upgrade")) << bad << QByteArray()
                                << QStringLiteral("Upgrade: websocket");
    QTest::newRow("Upgrade: h2c") << request("GET / HTTP/1.1", replaced("Upgrade", "Upgrade: h2c")) << bad
                                  << QByteArray() << QStringLiteral("Upgrade: websocket");
    QTest::newRow("Connection: keep-alive")
        << request("GET / HTTP/1.1", replaced("Connection", "Connection: keep-alive")) << bad << QByteArray()
        << QStringLiteral("Connection");
    QTest::newRow("POST") << request("POST / HTTP/1.1", goodHeaders()) << bad << QByteArray()
                          << QStringLiteral("not POST");
    QTest::newRow("HTTP/1.0") << request("GET / HTTP/1.0", goodHeaders()) << bad << QByteArray()
                              << QStringLiteral("HTTP/1.1 or later");
    QTest::newRow("no Host") << request("GET / HTTP/1.1", without("Host")) << bad << QByteArray()
                             << QStringLiteral("Host");
    QTest::newRow("two Hosts") << request("GET / HTTP/1.1", goodHeaders() << "Host: other.test") << bad
                               << QByteArray() << QStringLiteral("Host");
    QTest::newRow("garbage request line")
        << request("HELLO", goodHeaders()) << bad << QByteArray() << QStringLiteral("GET /path HTTP/1.1");
    QTest::newRow("key of 5 bytes") << request(
        "GET / HTTP/1.1", replaced("Sec-WebSocket-Key", "Sec-WebSocket-Key: c2hvcnQ="))
                                    << bad << QByteArray() << QStringLiteral("c2hvcnQ=");
    QTest::newRow("key of 17 bytes") << request("GET / HTTP/1.1",
        replaced("Sec-WebSocket-Key",
            "Sec-WebSocket-Key: "
            "MDEyMzQ1Njc4OWFiY2RlZmc="))
                                     << bad << QByteArray() << QStringLiteral("16 bytes");
    QTest::newRow("key not base64") << request(
        "GET / HTTP/1.1", replaced("Sec-WebSocket-Key", "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!=="))
                                    << bad << QByteArray() << QStringLiteral("16 bytes");
    QTest::newRow("two keys") << request("GET / HTTP/1.1", goodHeaders() << "Sec-WebSocket-Key: " + Key)
                              << bad << QByteArray() << QStringLiteral("more than one");
    QTest::newRow("no version") << request("GET / HTTP/1.1", without("Sec-WebSocket-Version")) << bad
                                << QByteArray() << QStringLiteral("no Sec-WebSocket-Version");
    QTest::newRow("version 8") << request(
        "GET / HTTP/1.1", replaced("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8"))
                               << QByteArray("426 Upgrade Required")
                               << QByteArray("Sec-WebSocket-Version: 13\r\n")
                               << QStringLiteral("version 13, not 8");
}

void tst_HandshakeCheck::badRequestGetsAnHttpAnswer()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, status);
    QFETCH(QByteArray, extraHeaders);
    QFETCH(QString, because);

    const qint64 rowsBefore = m_server->store()->count();
    quint16 port = 0;
    const QByteArray answer = exchange(bytes, &port);
    const qsizetype headEnd = answer.indexOf("\r\n\r\n");
    QVERIFY2(headEnd > 0, answer.constData());
    const QByteArray body = answer.mid(headEnd + 4);
    QVERIFY2(QString::fromUtf8(body).contains(because), body.constData());
    QVERIFY(body.endsWith('\n') && body.count('\n') == 1); // one short line
    QCOMPARE(answer.left(headEnd + 4),
        "HTTP/1.1 " + status + "\r\n" + extraHeaders
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n");

    // The refused attempt is an event row of the server's own (client 0), naming the peer, what
    // it asked and why it was refused.
    const MessageStore &store = *m_server->store();
    const QByteArray requestLine = bytes.left(bytes.indexOf("\r\n"));
    QTRY_VERIFY(store.count() > rowsBefore);
    bool found = false;
    for (qint64 i = rowsBefore; i < store.count() && !found; ++i) {
        const MessageRow &row = store.row(i);
        const QString text = QString::fromUtf8(store.payload(i));
        found = row.direction == Direction::Event && row.kind == Kind::Error && row.connectionId == 0
            && text.contains(QStringLiteral(":%1 ").arg(port))
            && text.contains(QString::fromLatin1(requestLine)) && text.contains(QString::fromLatin1(status))
            && text.contains(because);
    }
    QVERIFY2(found, qPrintable(QString::fromUtf8(store.payload(store.count() - 1))));
    // And nobody became a client.
    QVERIFY(std::none_of(m_server->clients().cbegin(), m_server->clients().cend(),
        [port](const LocalServer::ClientInfo &c) { return c.peerPort == port; }));
}

void tst_HandshakeCheck::goodVariantsAreUpgraded_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("RFC example") << request("GET /chat HTTP/1.1", goodHeaders());
    QTest::newRow("Firefox's Connection and a capital WebSocket") << request("GET / HTTP/1.1",
        { "Host: 127.0.0.1:80", "Upgrade: WebSocket", "Connection: keep-alive, Upgrade",
            "Sec-WebSocket-Key: " + Key, "Sec-WebSocket-Version: 13" });
    QTest::newRow("lower-case names") << request("GET / HTTP/1.1",
        { "host: x", "upgrade: websocket", "connection: upgrade", "sec-websocket-key: " + Key,
            "sec-websocket-version: 13" });
}

void tst_HandshakeCheck::goodVariantsAreUpgraded()
{
    QFETCH(QByteArray, bytes);
    quint16 port = 0;
    const QByteArray answer = exchange(bytes, &port);
    QVERIFY2(answer.startsWith("HTTP/1.1 101 "), answer.constData());
    QVERIFY(answer.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QVERIFY(HandshakeCheck::check(bytes).status.isEmpty());
}

QTEST_GUILESS_MAIN(tst_HandshakeCheck)
#include "tst_HandshakeCheck.moc"
