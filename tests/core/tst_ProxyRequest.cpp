// The proxy's reading of a client's request head, and the head it sends upstream.
#include "proxy/ProxyRequest.h"

#include <QtTest>

using namespace wst;

class tst_ProxyRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void upgradeIsParsed();
    void headLengthWaitsAndLimits();
    void connectTarget();
    void badRequestsAreOneLine_data();
    void badRequestsAreOneLine();
    void rewriteSetsHostAndHeaders();
};

void tst_ProxyRequest::upgradeIsParsed()
{
    const ProxyRequest r
        = ProxyRequest::parse("GET /chat?x=1 HTTP/1.1\r\nHost: a:1\r\nUpgrade: WebSocket\r\nConnection: "
                              "Upgrade\r\nX-Two: 1\r\nX-Two: 2\r\n\r\n");
    QVERIFY(r.isValid());
    QCOMPARE(r.method, QByteArray("GET"));
    QCOMPARE(r.target, QByteArray("/chat?x=1"));
    QVERIFY(r.isWebSocketUpgrade());
    QVERIFY(!r.isConnect());
    QCOMPARE(r.header("x-two"), QByteArray("1"));
    QCOMPARE(r.headers.size(), 5);
}

void tst_ProxyRequest::headLengthWaitsAndLimits()
{
    QCOMPARE(ProxyRequest::headLength("GET / HTTP/1.1\r\nHost: a\r\n"), 0);
    QCOMPARE(ProxyRequest::headLength("GET / HTTP/1.1\r\n\r\nrest"), 18);
    QCOMPARE(ProxyRequest::headLength(QByteArray(ProxyRequest::MaxHeadBytes + 1, 'a')), -1);
}

void tst_ProxyRequest::connectTarget()
{
    QString host;
    quint16 port = 0;
    QString error;
    QVERIFY(
        ProxyRequest::parse("CONNECT example.com:443 HTTP/1.1\r\n\r\n").connectTarget(&host, &port, &error));
    QCOMPARE(host, QStringLiteral("example.com"));
    QCOMPARE(port, 443);
    QVERIFY(ProxyRequest::parse("CONNECT [::1]:8080 HTTP/1.1\r\n\r\n").connectTarget(&host, &port, &error));
    QCOMPARE(host, QStringLiteral("::1"));
    QCOMPARE(port, 8080);
    QVERIFY(!ProxyRequest::parse("CONNECT example.com HTTP/1.1\r\n\r\n").connectTarget(&host, &port, &error));
    QVERIFY(error.contains(QStringLiteral("host:port")));
    QVERIFY(!ProxyRequest::parse("CONNECT a:70000 HTTP/1.1\r\n\r\n").connectTarget(&host, &port, &error));
}

void tst_ProxyRequest::badRequestsAreOneLine_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("part");
    QTest::newRow("empty") << QByteArray("\r\n\r\n") << QStringLiteral("no request line");
    QTest::newRow("two words") << QByteArray("GET /\r\n\r\n") << QStringLiteral("METHOD TARGET VERSION");
    QTest::newRow("http2") << QByteArray("GET / HTTP/2\r\n\r\n") << QStringLiteral("not HTTP/1.x");
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nbroken\nline\r\n\r\n")
                              << QStringLiteral("Header line 2");
}

void tst_ProxyRequest::badRequestsAreOneLine()
{
    QFETCH(QByteArray, head);
    QFETCH(QString, part);
    const ProxyRequest r = ProxyRequest::parse(head);
    QVERIFY(!r.isValid());
    QVERIFY2(r.error.contains(part), qPrintable(r.error));
    QVERIFY(!r.error.contains(QLatin1Char('\n')));
}

void tst_ProxyRequest::rewriteSetsHostAndHeaders()
{
    const ProxyRequest r
        = ProxyRequest::parse("GET /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\nProxy-Connection: keep-alive\r\n"
                              "X-Secret: s\r\nX-Replaced: old\r\nOrigin: http://o\r\n\r\n");
    const QByteArray out = r.rewritten(
        "/base/x", "example.com:81", { { "X-Replaced", "new" }, { "X-New", "1" } }, { "x-secret" });
    QCOMPARE(out,
        QByteArray("GET /base/x HTTP/1.1\r\nHost: example.com:81\r\nOrigin: http://o\r\nX-Replaced: "
                   "new\r\nX-New: 1\r\n\r\n"));
}

QTEST_MAIN(tst_ProxyRequest)
#include "tst_ProxyRequest.moc"
