// The MQTT composer and settings editor as a user drives them: the commands they build, the
// checks before sending, the params they read and write.
#include "protocols/ProtocolComposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace wst;

class tst_MqttComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void publishSubscribeUnsubscribe();
    void badInputIsSaidNotSent();
    void settingsRoundTrip();
};

namespace {
template <typename T> T *child(QWidget *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning() << "no child" << name;
    return w;
}
} // namespace

void tst_MqttComposer::publishSubscribeUnsubscribe()
{
    std::unique_ptr<ProtocolComposer> composer(ProtocolComposer::create(ProtocolId::Mqtt, nullptr));
    QVERIFY(composer);
    ProtocolOptions options;
    options.id = ProtocolId::Mqtt;
    options.params.insert(QStringLiteral("version"), 5);
    composer->setProtocolOptions(options);
    composer->show();
    QSignalSpy spy(composer.get(), &ProtocolComposer::commandRequested);
    child<QLineEdit>(composer.get(), "mqttTopic")->setText(QStringLiteral("sensors/1"));
    child<QComboBox>(composer.get(), "mqttQos")->setCurrentIndex(2);
    child<QCheckBox>(composer.get(), "mqttRetain")->setChecked(true);
    child<QPlainTextEdit>(composer.get(), "mqttPayload")->setPlainText(QStringLiteral("{\"t\":1}"));
    QVERIFY(child<QPlainTextEdit>(composer.get(), "mqttUserProperties")->isVisible());
    child<QPlainTextEdit>(composer.get(), "mqttUserProperties")
        ->setPlainText(QStringLiteral("origin: ui\n\nunit: C"));
    QPushButton *send = child<QPushButton>(composer.get(), "mqttSend");
    QCOMPARE(send->text(), QStringLiteral("Publish"));
    send->click();
    QCOMPARE(spy.size(), 1);
    ProtocolCommand c = spy.takeFirst().at(0).value<ProtocolCommand>();
    QCOMPARE(c.verb, QStringLiteral("publish"));
    QCOMPARE(c.name, QStringLiteral("sensors/1"));
    QCOMPARE(c.qos, 2);
    QVERIFY(c.retain);
    QCOMPARE(c.body, QByteArray("{\"t\":1}"));
    QCOMPARE(c.headers,
        (ProtocolFields { { QStringLiteral("origin"), QStringLiteral("ui") },
            { QStringLiteral("unit"), QStringLiteral("C") } }));

    child<QComboBox>(composer.get(), "mqttAction")->setCurrentIndex(1);
    QVERIFY(!child<QCheckBox>(composer.get(), "mqttRetain")->isVisible());
    QVERIFY(!child<QPlainTextEdit>(composer.get(), "mqttPayload")->isVisible());
    child<QLineEdit>(composer.get(), "mqttTopic")->setText(QStringLiteral("sensors/#"));
    child<QComboBox>(composer.get(), "mqttQos")->setCurrentIndex(1);
    send->click();
    c = spy.takeFirst().at(0).value<ProtocolCommand>();
    QCOMPARE(c.verb, QStringLiteral("subscribe"));
    QCOMPARE(c.name, QStringLiteral("sensors/#"));
    QCOMPARE(c.qos, 1);

    child<QComboBox>(composer.get(), "mqttAction")->setCurrentIndex(2);
    QVERIFY(!child<QComboBox>(composer.get(), "mqttQos")->isVisible());
    send->click();
    c = spy.takeFirst().at(0).value<ProtocolCommand>();
    QCOMPARE(c.verb, QStringLiteral("unsubscribe"));
    QCOMPARE(c.name, QStringLiteral("sensors/#"));

    ProtocolNotice reply;
    reply.type = ProtocolNotice::Type::Reply;
    reply.name = QStringLiteral("sensors/1");
    reply.rttUs = 1500;
    reply.data = QJsonObject { { QStringLiteral("packet"), QStringLiteral("PUBCOMP") },
        { QStringLiteral("reason"), QStringLiteral("Success") } };
    composer->showReply(reply);
    QCOMPARE(child<QLabel>(composer.get(), "mqttStatus")->text(),
        QStringLiteral("PUBCOMP sensors/1 (Success) in 1.5 ms"));
}

void tst_MqttComposer::badInputIsSaidNotSent()
{
    std::unique_ptr<ProtocolComposer> composer(ProtocolComposer::create(ProtocolId::Mqtt, nullptr));
    ProtocolOptions options;
    options.id = ProtocolId::Mqtt;
    options.params.insert(QStringLiteral("version"), 5);
    composer->setProtocolOptions(options);
    QSignalSpy spy(composer.get(), &ProtocolComposer::commandRequested);
    QLabel *status = child<QLabel>(composer.get(), "mqttStatus");
    child<QLineEdit>(composer.get(), "mqttTopic")->setText(QStringLiteral("a/+"));
    child<QPushButton>(composer.get(), "mqttSend")->click();
    QCOMPARE(spy.size(), 0);
    QVERIFY2(status->text().contains(QLatin1String("wildcard")), qPrintable(status->text()));
    child<QLineEdit>(composer.get(), "mqttTopic")->setText(QStringLiteral("a"));
    child<QPlainTextEdit>(composer.get(), "mqttUserProperties")
        ->setPlainText(QStringLiteral("ok: 1\nno colon"));
    child<QPushButton>(composer.get(), "mqttSend")->click();
    QCOMPARE(spy.size(), 0);
    QVERIFY2(status->text().contains(QLatin1String("line 2")), qPrintable(status->text()));
    // What the user typed is still there.
    QCOMPARE(child<QPlainTextEdit>(composer.get(), "mqttUserProperties")->toPlainText(),
        QStringLiteral("ok: 1\nno colon"));
}

void tst_MqttComposer::settingsRoundTrip()
{
    std::unique_ptr<ProtocolSettingsEditor> editor(ProtocolSettingsEditor::create(ProtocolId::Mqtt, nullptr));
    QVERIFY(editor);
    QSignalSpy edited(editor.get(), &ProtocolSettingsEditor::edited);
    const QJsonObject params {
        { QStringLiteral("version"), 5 },
        { QStringLiteral("clientId"), QStringLiteral("me") },
        { QStringLiteral("cleanStart"), false },
        { QStringLiteral("keepAlive"), 15 },
        { QStringLiteral("username"), QStringLiteral("u") },
        { QStringLiteral("password"), QStringLiteral("p") },
        { QStringLiteral("will"),
            QJsonObject { { QStringLiteral("topic"), QStringLiteral("w/t") },
                { QStringLiteral("payload"), QStringLiteral("bye") }, { QStringLiteral("qos"), 1 },
                { QStringLiteral("retain"), true } } },
        { QStringLiteral("sessionExpiry"), 120 },
    };
    editor->setParams(params);
    QCOMPARE(edited.size(), 0);
    QCOMPARE(editor->params(), params);
    QCOMPARE(child<QLineEdit>(editor.get(), "mqttPassword")->echoMode(), QLineEdit::Password);
    child<QSpinBox>(editor.get(), "mqttKeepAlive")->setValue(30);
    QCOMPARE(edited.size(), 1);
    child<QLineEdit>(editor.get(), "mqttWillTopic")->clear();
    const QJsonObject after = editor->params();
    QCOMPARE(after.value(QStringLiteral("keepAlive")).toInt(), 30);
    QVERIFY(!after.contains(QStringLiteral("will")));
    QCOMPARE(after.value(QStringLiteral("sessionExpiry")).toInt(), 120);
    editor->setParams({});
    QCOMPARE(editor->params().value(QStringLiteral("version")).toInt(), 4);
    QCOMPARE(editor->params().value(QStringLiteral("keepAlive")).toInt(), 60);
    QVERIFY(!editor->params().contains(QStringLiteral("clientId")));
}

QTEST_MAIN(tst_MqttComposer)
#include "tst_MqttComposer.moc"
