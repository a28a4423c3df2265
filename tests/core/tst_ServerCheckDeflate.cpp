// `wstester check`'s compression cases (group 12, RFC 7692) against servers of other stacks:
// python websockets (compresses by default), node `ws` with perMessageDeflate, node `ws` without
// it (every case skipped); and a check of a wss:// server (python websockets, a certificate
// made by openssl in the test).
#include "../TestCerts.h"
#include "NodePeer.h"
#include "check/ServerCheck.h"

#include <QtTest>

using namespace wst;
using wst::test::NodePeer;
using wst::test::PythonPeer;
using Verdict = ServerCheck::Verdict;

class tst_ServerCheckDeflate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compressionCases_data();
    void compressionCases();
    void declinedIsSkipped();
    void checkCommandOverWss();

private:
    static QList<ServerCheck::Result> runCheck(
        const QUrl &url, const QStringList &only, bool ignoreSsl = false);
    static QString describe(const ServerCheck::Result &r)
    {
        return QStringLiteral("%1: %2 (%3)")
            .arg(r.testCase.id, ServerCheck::verdictName(r.verdict), r.outcome);
    }
};

QList<ServerCheck::Result> tst_ServerCheckDeflate::runCheck(
    const QUrl &url, const QStringList &only, bool ignoreSsl)
{
    ServerCheck check;
    QSignalSpy finished(&check, &ServerCheck::finished);
    ServerCheck::Options o;
    o.url = url;
    o.timeoutMs = 3000;
    o.only = only;
    o.ignoreSslErrors = ignoreSsl;
    check.start(o);
    if (!finished.wait(120000))
        return {};
    return check.results();
}

void tst_ServerCheckDeflate::compressionCases_data()
{
    QTest::addColumn<bool>("node");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("badDataCode"); // what the server closes 12.8 with (RFC 7692 names none)
    QTest::newRow("python websockets")
        << false << QStringLiteral("deflate_server.py") << QStringList() << 1002;
    QTest::newRow("python websockets, no context takeover")
        << false << QStringLiteral("deflate_server.py") << QStringList { QStringLiteral("no-takeover") }
        << 1002;
    QTest::newRow("node ws, perMessageDeflate")
        << true << QStringLiteral("deflate_ws_server.js") << QStringList() << 1007;
    QTest::newRow("node ws, perMessageDeflate, no context takeover")
        << true << QStringLiteral("deflate_ws_server.js") << QStringList { QStringLiteral("no-takeover") }
        << 1007;
}

void tst_ServerCheckDeflate::compressionCases()
{
    QFETCH(bool, node);
    QFETCH(QString, script);
    QFETCH(QStringList, args);
    QFETCH(int, badDataCode);
    NodePeer nodePeer;
    PythonPeer pythonPeer;
    wst::test::PeerProcess &peer = node ? static_cast<wst::test::PeerProcess &>(nodePeer) : pythonPeer;
    QVERIFY2(node ? nodePeer.start(script, args) : pythonPeer.start(script, args), "the peer did not start");
    const int port = peer.port();
    QVERIFY(port > 0);
    const QList<ServerCheck::Result> results
        = runCheck(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)), { QStringLiteral("12") });
    QCOMPARE(results.size(), CheckCase::compressionCases().size());
    for (const ServerCheck::Result &r : results) {
        QVERIFY2(r.verdict == Verdict::Pass, qPrintable(describe(r)));
        if (r.testCase.id == QLatin1String("12.8"))
            QCOMPARE(r.outcome, QStringLiteral("closed %1").arg(badDataCode));
        if (r.testCase.id == QLatin1String("12.3"))
            QCOMPARE(r.outcome, QStringLiteral("echoed all 5"));
    }
}

void tst_ServerCheckDeflate::declinedIsSkipped()
{
    // node ws without perMessageDeflate declines the offer: every compression case is skipped,
    // the others run as before.
    NodePeer peer;
    QVERIFY2(peer.start(QStringLiteral("ws_echo_server.js")), "node ws is not installed");
    const int port = peer.port();
    QVERIFY(port > 0);
    const QList<ServerCheck::Result> results = runCheck(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)),
        { QStringLiteral("12"), QStringLiteral("1.1") });
    QCOMPARE(results.size(), 1 + CheckCase::compressionCases().size());
    for (const ServerCheck::Result &r : results) {
        const bool compression = r.testCase.id.startsWith(QLatin1String("12."));
        QVERIFY2(r.verdict == (compression ? Verdict::Skipped : Verdict::Pass), qPrintable(describe(r)));
        if (compression)
            QCOMPARE(r.outcome, QStringLiteral("declined permessage-deflate"));
    }
    QVERIFY2(ServerCheck::summary(results).endsWith(QLatin1String("1 pass, 0 lenient, 0 FAIL, 8 skipped")),
        qPrintable(ServerCheck::summary(results)));
}

void tst_ServerCheckDeflate::checkCommandOverWss()
{
    TestCerts certs;
    QVERIFY2(certs.make(), "openssl could not make the certificates");
    PythonPeer peer;
    QVERIFY(peer.start(QStringLiteral("deflate_server.py"),
        { QStringLiteral("tls"), certs.path("server.pem"), certs.path("server.key") }));
    const int port = peer.port();
    QVERIFY(port > 0);
    const QString url = QStringLiteral("wss://localhost:%1/").arg(port);

    // The certificate's CA is not trusted: nothing can be checked, exit 3.
    QProcess p;
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("check"), url, QStringLiteral("--only"), QStringLiteral("1.1") });
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 3);
    QVERIFY2(p.readAllStandardError().startsWith("wstester check: cannot check wss://localhost:"),
        "the refusal names the server");

    // With -k, the cases run over TLS, compression included.
    p.start(QStringLiteral(WST_BINARY),
        { QStringLiteral("check"), url, QStringLiteral("-k"), QStringLiteral("--only"),
            QStringLiteral("1,2.1,7.1,12"), QStringLiteral("--json") });
    QVERIFY(p.waitForFinished(120000));
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(lines.last().contains("\"fail\":0") && lines.last().contains("\"skipped\":0"),
        lines.last().constData());
    int compressed = 0;
    for (const QByteArray &line : lines)
        compressed += line.contains("\"id\":\"12.") && line.contains("\"verdict\":\"pass\"");
    QCOMPARE(compressed, CheckCase::compressionCases().size());
}

QTEST_GUILESS_MAIN(tst_ServerCheckDeflate)
#include "tst_ServerCheckDeflate.moc"
