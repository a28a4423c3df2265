// The Socket.IO composer (event + args, one per line or one array, "Expect ack", the ack shown)
// and settings editor (namespace, auth, version; what it does not show is kept).
#include "protocols/ProtocolComposer.h"
#include "protocols/SocketIoComposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace wst;

class tst_SocketIoComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void argsParsing();
    void emitCommandAndShowAck();
    void badArgsSayWhichLine();
    void settingsRoundTrip();
};

void tst_SocketIoComposer::argsParsing()
{
    QJsonArray args;
    QString error;
    QVERIFY(SocketIoComposer::parseArgs(QStringLiteral("{\"a\": 1}\n\n42\n\"hi\""), &args, &error));
    QCOMPARE(args, (QJsonArray { QJsonObject { { QStringLiteral("a"), 1 } }, 42, QStringLiteral("hi") }));
    QVERIFY(SocketIoComposer::parseArgs(QStringLiteral("[1, \"two\",\n {\"x\": null}]"), &args, &error));
    QCOMPARE(args.size(), 3);
    QVERIFY(SocketIoComposer::parseArgs(QStringLiteral("[[1, 2]]"), &args, &error));
    // Built by hand: with clang, QJsonArray { QJsonArray { … } } is the copy, not a nesting.
    QJsonArray nested;
    nested.append(QJsonArray { 1, 2 });
    QCOMPARE(args, nested);
    QVERIFY(SocketIoComposer::parseArgs(QStringLiteral("  "), &args, &error));
    QVERIFY(args.isEmpty());
}

void tst_SocketIoComposer::emitCommandAndShowAck()
{
    std::unique_ptr<ProtocolComposer> composer(ProtocolComposer::create(ProtocolId::SocketIo, nullptr));
    QVERIFY(composer);
    QSignalSpy spy(composer.get(), &ProtocolComposer::commandRequested);
    composer->findChild<QLineEdit *>(QStringLiteral("socketIoEvent"))->setText(QStringLiteral("chat"));
    composer->findChild<QPlainTextEdit *>(QStringLiteral("socketIoArgs"))
        ->setPlainText(QStringLiteral("{\"text\":\"hi\"}\n2"));
    composer->findChild<QCheckBox *>(QStringLiteral("socketIoExpectAck"))->setChecked(true);
    composer->findChild<QPushButton *>(QStringLiteral("socketIoSend"))->click();
    QCOMPARE(spy.size(), 1);
    const auto command = spy.first().first().value<ProtocolCommand>();
    QCOMPARE(command.verb, QStringLiteral("emit"));
    QCOMPARE(command.name, QStringLiteral("chat"));
    QCOMPARE(
        command.args, (QJsonArray { QJsonObject { { QStringLiteral("text"), QStringLiteral("hi") } }, 2 }));
    QVERIFY(command.expectReply);

    ProtocolNotice reply;
    reply.type = ProtocolNotice::Type::Reply;
    reply.id = QStringLiteral("0");
    reply.name = QStringLiteral("chat");
    reply.rttUs = 1500;
    reply.data = QJsonArray { QStringLiteral("ok") };
    composer->showReply(reply);
    const QString shown = composer->findChild<QLabel *>(QStringLiteral("socketIoReply"))->text();
    QVERIFY2(shown.contains(QLatin1String("#0")) && shown.contains(QLatin1String("1.50 ms"))
            && shown.contains(QLatin1String("[\"ok\"]")),
        qPrintable(shown));
}

void tst_SocketIoComposer::badArgsSayWhichLine()
{
    SocketIoComposer composer;
    QSignalSpy spy(&composer, &ProtocolComposer::commandRequested);
    composer.findChild<QLineEdit *>(QStringLiteral("socketIoEvent"))->setText(QStringLiteral("chat"));
    auto *args = composer.findChild<QPlainTextEdit *>(QStringLiteral("socketIoArgs"));
    args->setPlainText(QStringLiteral("1\nhello"));
    composer.findChild<QPushButton *>(QStringLiteral("socketIoSend"))->click();
    QCOMPARE(spy.size(), 0);
    const QString shown = composer.findChild<QLabel *>(QStringLiteral("socketIoReply"))->text();
    QVERIFY2(
        shown.contains(QLatin1String("line 2")) && shown.contains(QLatin1String("hello")), qPrintable(shown));
    QCOMPARE(args->toPlainText(), QStringLiteral("1\nhello")); // nothing typed is lost
    composer.findChild<QLineEdit *>(QStringLiteral("socketIoEvent"))->clear();
    composer.findChild<QPushButton *>(QStringLiteral("socketIoSend"))->click();
    QCOMPARE(spy.size(), 0);
}

void tst_SocketIoComposer::settingsRoundTrip()
{
    std::unique_ptr<ProtocolSettingsEditor> editor(
        ProtocolSettingsEditor::create(ProtocolId::SocketIo, nullptr));
    QVERIFY(editor);
    const QJsonObject params { { QStringLiteral("namespace"), QStringLiteral("/admin") },
        { QStringLiteral("auth"), QJsonObject { { QStringLiteral("token"), QStringLiteral("secret") } } },
        { QStringLiteral("eio"), 3 }, { QStringLiteral("mode"), QStringLiteral("broadcast") } };
    editor->setParams(params);
    QCOMPARE(editor->params(), params);
    QCOMPARE(editor->findChild<QComboBox *>(QStringLiteral("socketIoEio"))->currentIndex(), 1);

    QSignalSpy edited(editor.get(), &ProtocolSettingsEditor::edited);
    auto *auth = editor->findChild<QPlainTextEdit *>(QStringLiteral("socketIoAuth"));
    auth->setPlainText(QStringLiteral("{token: secret"));
    QVERIFY(edited.size() >= 1);
    // Kept as typed; the problem is said under the field.
    QCOMPARE(editor->params().value(QStringLiteral("auth")).toString(), QStringLiteral("{token: secret"));
    QVERIFY(!editor->findChild<QLabel *>(QStringLiteral("socketIoSettingsProblem"))->isHidden());
    editor->setParams({});
    QCOMPARE(editor->params(), QJsonObject());
}

QTEST_MAIN(tst_SocketIoComposer)
#include "tst_SocketIoComposer.moc"
