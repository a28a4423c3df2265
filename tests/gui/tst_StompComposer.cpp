// The STOMP composer and settings editor: the frame they build, bad header lines, replies and
// errors shown, settings round-trip, the passcode hidden.
#include "protocols/ProtocolComposer.h"
#include "protocols/StompComposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace wst;

class tst_StompComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sendFrame();
    void subscribeAndAck();
    void badHeaderLine();
    void repliesShown();
    void settingsRoundTrip();
};

void tst_StompComposer::sendFrame()
{
    std::unique_ptr<ProtocolComposer> composer(ProtocolComposer::create(ProtocolId::Stomp, nullptr));
    QVERIFY(composer);
    QSignalSpy spy(composer.get(), &ProtocolComposer::commandRequested);
    composer->findChild<QLineEdit *>(QStringLiteral("stompDestination"))->setText(QStringLiteral("/queue/a"));
    composer->findChild<QPlainTextEdit *>(QStringLiteral("stompHeaders"))
        ->setPlainText(QStringLiteral("priority: 9\n\nx-a:b:c\n"));
    composer->findChild<QPlainTextEdit *>(QStringLiteral("stompBody"))
        ->setPlainText(QStringLiteral("{\"n\":1}"));
    composer->findChild<QCheckBox *>(QStringLiteral("stompReceipt"))->setChecked(true);
    auto *send = composer->findChild<QPushButton *>(QStringLiteral("stompSend"));
    QCOMPARE(send->text(), QStringLiteral("Queue frame"));
    composer->setConnected(true);
    QCOMPARE(send->text(), QStringLiteral("Send frame"));
    QTest::mouseClick(send, Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    const auto c = spy.first().first().value<ProtocolCommand>();
    QCOMPARE(c.verb, QStringLiteral("send"));
    QCOMPARE(c.name, QStringLiteral("/queue/a"));
    QCOMPARE(c.body, QByteArray("{\"n\":1}"));
    QVERIFY(c.expectReply);
    QCOMPARE(c.headers,
        ProtocolFields({ { QStringLiteral("priority"), QStringLiteral("9") },
            { QStringLiteral("x-a"), QStringLiteral("b:c") } }));
    QVERIFY(c.id.isEmpty());
}

void tst_StompComposer::subscribeAndAck()
{
    StompComposer composer;
    QSignalSpy spy(&composer, &ProtocolComposer::commandRequested);
    auto *type = composer.findChild<QComboBox *>(QStringLiteral("stompFrameType"));
    type->setCurrentIndex(type->findData(QStringLiteral("subscribe")));
    composer.findChild<QLineEdit *>(QStringLiteral("stompDestination"))->setText(QStringLiteral("/topic/*"));
    auto *ack = composer.findChild<QComboBox *>(QStringLiteral("stompAckMode"));
    QVERIFY(ack->isEnabled());
    // Every field has its label; only the fields of the chosen frame are shown.
    auto *form = qobject_cast<QFormLayout *>(composer.layout());
    const auto labelOf = [form](QWidget *field) {
        auto *label = qobject_cast<QLabel *>(form->labelForField(field));
        return label ? label->text() : QStringLiteral("(no label)");
    };
    QCOMPARE(labelOf(ack), QStringLiteral("Ack mode:"));
    QCOMPARE(labelOf(composer.findChild<QLineEdit *>(QStringLiteral("stompId"))),
        QStringLiteral("Subscription id:"));
    QVERIFY(ack->isVisibleTo(&composer));
    type->setCurrentIndex(type->findData(QStringLiteral("send")));
    QVERIFY(!ack->isVisibleTo(&composer));
    type->setCurrentIndex(type->findData(QStringLiteral("subscribe")));
    QVERIFY(!composer.findChild<QPlainTextEdit *>(QStringLiteral("stompBody"))->isEnabled());
    ack->setCurrentIndex(ack->findData(QStringLiteral("client-individual")));
    QTest::mouseClick(composer.findChild<QPushButton *>(QStringLiteral("stompSend")), Qt::LeftButton);
    auto c = spy.takeFirst().first().value<ProtocolCommand>();
    QCOMPARE(c.verb, QStringLiteral("subscribe"));
    QCOMPARE(c.name, QStringLiteral("/topic/*"));
    QCOMPARE(c.options.value(QStringLiteral("ack")).toString(), QStringLiteral("client-individual"));

    type->setCurrentIndex(type->findData(QStringLiteral("ack")));
    QVERIFY(!composer.findChild<QLineEdit *>(QStringLiteral("stompDestination"))->isEnabled());
    composer.findChild<QLineEdit *>(QStringLiteral("stompId"))->setText(QStringLiteral("ack-3"));
    composer.findChild<QLineEdit *>(QStringLiteral("stompTransaction"))->setText(QStringLiteral("tx1"));
    QTest::mouseClick(composer.findChild<QPushButton *>(QStringLiteral("stompSend")), Qt::LeftButton);
    c = spy.takeFirst().first().value<ProtocolCommand>();
    QCOMPARE(c.verb, QStringLiteral("ack"));
    QCOMPARE(c.id, QStringLiteral("ack-3"));
    QVERIFY(c.name.isEmpty());
    QCOMPARE(c.options.value(QStringLiteral("transaction")).toString(), QStringLiteral("tx1"));
}

void tst_StompComposer::badHeaderLine()
{
    StompComposer composer;
    QSignalSpy spy(&composer, &ProtocolComposer::commandRequested);
    composer.findChild<QPlainTextEdit *>(QStringLiteral("stompHeaders"))
        ->setPlainText(QStringLiteral("ok: 1\nnot a header"));
    QTest::mouseClick(composer.findChild<QPushButton *>(QStringLiteral("stompSend")), Qt::LeftButton);
    QCOMPARE(spy.size(), 0);
    QCOMPARE(composer.findChild<QLabel *>(QStringLiteral("stompStatus"))->text(),
        QStringLiteral("Header line 2 is not \"Name: value\": not a header"));
    // What the user typed stays.
    QCOMPARE(composer.findChild<QPlainTextEdit *>(QStringLiteral("stompHeaders"))->toPlainText(),
        QStringLiteral("ok: 1\nnot a header"));
}

void tst_StompComposer::repliesShown()
{
    StompComposer composer;
    auto *status = composer.findChild<QLabel *>(QStringLiteral("stompStatus"));
    ProtocolNotice reply;
    reply.type = ProtocolNotice::Type::Reply;
    reply.id = QStringLiteral("rcpt-0");
    reply.name = QStringLiteral("SEND /queue/a");
    reply.rttUs = 1500;
    composer.showReply(reply);
    QCOMPARE(status->text(), QStringLiteral("RECEIPT rcpt-0 for SEND /queue/a in 1.5 ms"));
    ProtocolNotice error;
    error.type = ProtocolNotice::Type::Error;
    error.name = QStringLiteral("access refused");
    error.data = QStringLiteral("Bad login or passcode.\n");
    composer.showReply(error);
    QCOMPARE(status->text(), QStringLiteral("ERROR from the server: access refused\nBad login or passcode."));
}

void tst_StompComposer::settingsRoundTrip()
{
    std::unique_ptr<ProtocolSettingsEditor> editor(
        ProtocolSettingsEditor::create(ProtocolId::Stomp, nullptr));
    QVERIFY(editor);
    QCOMPARE(editor->params(), QJsonObject()); // defaults are not written
    QSignalSpy edited(editor.get(), &ProtocolSettingsEditor::edited);
    const QJsonObject params { { QStringLiteral("login"), QStringLiteral("guest") },
        { QStringLiteral("passcode"), QStringLiteral("pw") },
        { QStringLiteral("host"), QStringLiteral("/vhost") }, { QStringLiteral("heartbeatOutMs"), 0 },
        { QStringLiteral("heartbeatInMs"), 500 }, { QStringLiteral("version"), QStringLiteral("1.1") } };
    editor->setParams(params);
    QCOMPARE(edited.size(), 0);
    QCOMPARE(editor->params(), params);
    auto *passcode = editor->findChild<QLineEdit *>(QStringLiteral("stompPasscode"));
    QCOMPARE(passcode->echoMode(), QLineEdit::Password);
    QCOMPARE(
        editor->findChild<QSpinBox *>(QStringLiteral("stompHeartbeatOut"))->text(), QStringLiteral("off"));
    QTest::keyClicks(passcode, QStringLiteral("x"));
    QCOMPARE(edited.size(), 1);
    QCOMPARE(editor->params().value(QStringLiteral("passcode")).toString(), QStringLiteral("pwx"));
}

QTEST_MAIN(tst_StompComposer)
#include "tst_StompComposer.moc"
