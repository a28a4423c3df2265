#include "connection/ConnectionStatus.h"

#include <QtTest>

using namespace wst;

class tst_ConnectionStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void text_data();
    void text();
    void closeText();
};

namespace {

ClientConnection::Status status(ClientConnection::State state)
{
    ClientConnection::Status s;
    s.state = state;
    return s;
}

ClientConnection::Status closed(int code, const QString &reason)
{
    ClientConnection::Status s = status(ClientConnection::State::Closed);
    s.closeCode = code;
    s.closeReason = reason;
    return s;
}

} // namespace

void tst_ConnectionStatus::text_data()
{
    using S = ClientConnection::State;
    QTest::addColumn<ClientConnection::Status>("status");
    QTest::addColumn<QString>("text");

    QTest::newRow("idle") << status(S::Idle) << QStringLiteral("Not connected");
    QTest::newRow("connecting") << status(S::Connecting) << QStringLiteral("Connecting\u2026");
    QTest::newRow("open") << status(S::Open) << QStringLiteral("Open");
    ClientConnection::Status chat = status(S::Open);
    chat.subprotocol = QStringLiteral("chat");
    QTest::newRow("open with subprotocol") << chat << QStringLiteral("Open \u2014 subprotocol chat");
    QTest::newRow("closing") << status(S::Closing) << QStringLiteral("Closing\u2026");
    QTest::newRow("closed, no code") << closed(0, QString()) << QStringLiteral("Closed");
    QTest::newRow("closed 1000") << closed(1000, QString())
                                 << QStringLiteral("Closed \u2014 1000 normal closure");
    QTest::newRow("closed 4001 with reason") << closed(4001, QStringLiteral("bye now"))
                                             << QStringLiteral("Closed \u2014 4001 private use: bye now");
    QTest::newRow("closed 3000") << closed(
        3000, QString()) << QStringLiteral("Closed \u2014 3000 registered for libraries and frameworks");
    ClientConnection::Status refused = status(S::Error);
    refused.errorKind = ClientConnection::ErrorKind::Refused;
    refused.errorString = QStringLiteral("Connection refused");
    QTest::newRow("error") << refused << QStringLiteral("Error \u2014 Connection refused");
}

void tst_ConnectionStatus::text()
{
    QFETCH(ClientConnection::Status, status);
    QFETCH(QString, text);
    QCOMPARE(ConnectionStatus::text(status), text);
}

void tst_ConnectionStatus::closeText()
{
    QCOMPARE(ConnectionStatus::closeText(1001, QString()), QStringLiteral("1001 going away"));
    QCOMPARE(
        ConnectionStatus::closeText(4999, QStringLiteral("x: y")), QStringLiteral("4999 private use: x: y"));
}

QTEST_GUILESS_MAIN(tst_ConnectionStatus)
#include "tst_ConnectionStatus.moc"
