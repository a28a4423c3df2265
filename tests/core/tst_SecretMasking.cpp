#include "messages/MessageStore.h"
#include "session/SecretMasking.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;

class tst_SecretMasking : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void maskHeaders_data();
    void maskHeaders();
    void maskSession();
};

void tst_SecretMasking::maskHeaders_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("masked");
    QTest::newRow("nothing secret") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                                    << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("authorization and cookie")
        << QByteArray("GET / HTTP/1.1\r\nAuthorization: Bearer x\r\nHost: a\r\ncookie: s=1\r\n\r\n")
        << QByteArray("GET / HTTP/1.1\r\nAuthorization: (masked)\r\nHost: a\r\ncookie: (masked)\r\n\r\n");
    QTest::newRow("two set-cookie lines, LF only")
        << QByteArray("HTTP/1.1 101 OK\nSet-Cookie: a=1\nSet-Cookie: b=2\n\n")
        << QByteArray("HTTP/1.1 101 OK\nSet-Cookie: (masked)\nSet-Cookie: (masked)\n\n");
    QTest::newRow("proxy-authorization")
        << QByteArray("CONNECT h:1 HTTP/1.1\r\nProxy-Authorization: Basic eA==\r\n\r\n")
        << QByteArray("CONNECT h:1 HTTP/1.1\r\nProxy-Authorization: (masked)\r\n\r\n");
    // The request line is never a header, whatever it holds; the body after the blank line stays.
    QTest::newRow("request line and body")
        << QByteArray("Cookie: not a header\r\nX: 1\r\n\r\nCookie: body\r\n")
        << QByteArray("Cookie: not a header\r\nX: 1\r\n\r\nCookie: body\r\n");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void tst_SecretMasking::maskHeaders()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, masked);
    QCOMPARE(SecretMasking::maskHeaders(head), masked);
}

void tst_SecretMasking::maskSession()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.wstsession"));
    const QByteArray request = "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer top\r\n\r\n";
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nSet-Cookie: id=42\r\n\r\n";
    {
        SessionRecorder recorder;
        QString error;
        QVERIFY2(recorder.open(path, &error), qPrintable(error));
        SessionTab tab;
        tab.settings = QJsonObject { { QStringLiteral("url"), QStringLiteral("ws://a/") },
            { QStringLiteral("headers"),
                // QJsonValue(): clang reads a one-element list of a QJsonArray as a copy of it.
                QJsonArray { QJsonValue(QJsonArray { QStringLiteral("Cookie"), QStringLiteral("s=1") }) } } };
        const qint64 id = recorder.addTab(tab);
        HandshakeRecord record;
        record.request = request;
        record.response = response;
        recorder.recordHandshake(id, 0, record, 1);
        recorder.close();
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("mask"));
    db.setDatabaseName(path);
    QVERIFY(db.open());
    QString error;
    QVERIFY2(SecretMasking::maskSession(db, &error), qPrintable(error));
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("mask"));

    SessionContents contents;
    QVERIFY2(readSessionContents(path, &contents, &error), qPrintable(error));
    QCOMPARE(contents.meta.value(QStringLiteral("secrets")).toString(), QStringLiteral("masked"));
    QCOMPARE(contents.tabs.size(), 1);
    const QByteArray settings = QJsonDocument(contents.tabs.first().settings).toJson(QJsonDocument::Compact);
    QVERIFY2(!settings.contains("s=1"), settings.constData());
    const SessionHandshake h = contents.handshakes.value(contents.tabs.first().id).value(0);
    QCOMPARE(h.record.request, SecretMasking::maskHeaders(request));
    QCOMPARE(h.record.response, SecretMasking::maskHeaders(response));
    QVERIFY(!h.record.request.contains("top"));
    QVERIFY(!h.record.response.contains("42"));
}

QTEST_GUILESS_MAIN(tst_SecretMasking)
#include "tst_SecretMasking.moc"
