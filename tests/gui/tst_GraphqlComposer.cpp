// The GraphQL composer and settings editor: what they build from what is typed, and bad JSON
// shown in one line with the text kept.
#include "protocols/GraphqlComposer.h"
#include "protocols/GraphqlSettingsEditor.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace wst;

class tst_GraphqlComposer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void subscribeCommand();
    void badVariablesKeepText();
    void repliesShown();
    void settingsRoundTrip();
    void settingsBadPayload();
};

void tst_GraphqlComposer::subscribeCommand()
{
    std::unique_ptr<ProtocolComposer> composer(ProtocolComposer::create(ProtocolId::GraphqlWs, nullptr));
    QVERIFY(qobject_cast<GraphqlComposer *>(composer.get()));
    auto *query = composer->findChild<QPlainTextEdit *>(QStringLiteral("graphqlQuery"));
    auto *variables = composer->findChild<QPlainTextEdit *>(QStringLiteral("graphqlVariables"));
    auto *name = composer->findChild<QLineEdit *>(QStringLiteral("graphqlOperationName"));
    auto *button = composer->findChild<QPushButton *>(QStringLiteral("graphqlSubscribe"));
    QVERIFY(query && variables && name && button);
    QVERIFY(!button->accessibleName().isEmpty() && !button->toolTip().isEmpty());
    QSignalSpy spy(composer.get(), &ProtocolComposer::commandRequested);

    query->setPlainText(QStringLiteral("query Hi { hello }"));
    QCOMPARE(button->text(), QStringLiteral("Run query"));
    query->setPlainText(QStringLiteral("subscription Counter($to: Int!) { count(to: $to) }"));
    QCOMPARE(button->text(), QStringLiteral("Subscribe"));
    variables->setPlainText(QStringLiteral("{\"to\": 3}"));
    name->setText(QStringLiteral("Counter"));
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    const auto command = spy.first().first().value<ProtocolCommand>();
    QCOMPARE(command.verb, QStringLiteral("subscribe"));
    QCOMPARE(QJsonDocument(command.data.toObject()).toJson(QJsonDocument::Compact),
        QByteArray(
            R"({"operationName":"Counter","query":"subscription Counter($to: Int!) { count(to: $to) }","variables":{"to":3}})"));

    // An empty query is refused with a line, not sent.
    query->clear();
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(composer->findChild<QLabel *>(QStringLiteral("graphqlStatus"))->text(),
        QStringLiteral("Write a query first."));
}

void tst_GraphqlComposer::badVariablesKeepText()
{
    GraphqlComposer composer;
    QSignalSpy spy(&composer, &ProtocolComposer::commandRequested);
    composer.findChild<QPlainTextEdit *>(QStringLiteral("graphqlQuery"))
        ->setPlainText(QStringLiteral("{ hello }"));
    auto *variables = composer.findChild<QPlainTextEdit *>(QStringLiteral("graphqlVariables"));
    variables->setPlainText(QStringLiteral("{\n  \"to\": 3,\n}"));
    QTest::mouseClick(composer.findChild<QPushButton *>(QStringLiteral("graphqlSubscribe")), Qt::LeftButton);
    QCOMPARE(spy.size(), 0);
    const QString status = composer.findChild<QLabel *>(QStringLiteral("graphqlStatus"))->text();
    QVERIFY2(status.startsWith(QStringLiteral("Variables: "))
            && status.contains(QStringLiteral(" at line 3, column ")),
        qPrintable(status));
    QVERIFY(!status.contains(QLatin1Char('\n')));
    QCOMPARE(variables->toPlainText(), QStringLiteral("{\n  \"to\": 3,\n}"));

    variables->setPlainText(QStringLiteral("[1]"));
    QTest::mouseClick(composer.findChild<QPushButton *>(QStringLiteral("graphqlSubscribe")), Qt::LeftButton);
    QCOMPARE(spy.size(), 0);
    QCOMPARE(composer.findChild<QLabel *>(QStringLiteral("graphqlStatus"))->text(),
        QStringLiteral("Variables: must be a JSON object, like {\"id\": 1}."));
}

void tst_GraphqlComposer::repliesShown()
{
    GraphqlComposer composer;
    ProtocolNotice reply;
    reply.type = ProtocolNotice::Type::Reply;
    reply.id = QStringLiteral("1");
    reply.name = QStringLiteral("count");
    reply.rttUs = 12345;
    reply.fields = { { QStringLiteral("operation"), QStringLiteral("subscription") },
        { QStringLiteral("results"), QStringLiteral("3") } };
    composer.showReply(reply);
    auto *status = composer.findChild<QLabel *>(QStringLiteral("graphqlStatus"));
    QCOMPARE(status->text(), QStringLiteral("#1 count complete: 3 result(s), the first after 12.3 ms."));
    ProtocolNotice error;
    error.type = ProtocolNotice::Type::Error;
    error.id = QStringLiteral("2");
    error.fields = { { QStringLiteral("errors"), QStringLiteral("failing on purpose") } };
    composer.showReply(error);
    QCOMPARE(status->text(), QStringLiteral("#2 failed: failing on purpose"));
}

void tst_GraphqlComposer::settingsRoundTrip()
{
    std::unique_ptr<ProtocolSettingsEditor> editor(
        ProtocolSettingsEditor::create(ProtocolId::GraphqlWs, nullptr));
    QVERIFY(editor);
    const QJsonObject params { { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") },
        { QStringLiteral("connectionParams"),
            QJsonObject { { QStringLiteral("token"), QStringLiteral("s3") } } },
        { QStringLiteral("ackTimeoutMs"), 3000 }, { QStringLiteral("count"), 7 } };
    QSignalSpy edited(editor.get(), &ProtocolSettingsEditor::edited);
    editor->setParams(params);
    QCOMPARE(edited.size(), 0);
    QCOMPARE(editor->params(), params);
    auto *combo = editor->findChild<QComboBox *>(QStringLiteral("graphqlSubprotocol"));
    combo->setCurrentIndex(0);
    QCOMPARE(edited.size(), 1);
    editor->findChild<QSpinBox *>(QStringLiteral("graphqlAckTimeout"))->setValue(10000);
    QJsonObject expected = params;
    expected.insert(QStringLiteral("subprotocol"), QStringLiteral("graphql-transport-ws"));
    expected.remove(QStringLiteral("ackTimeoutMs"));
    QCOMPARE(editor->params(), expected);
}

void tst_GraphqlComposer::settingsBadPayload()
{
    GraphqlSettingsEditor editor;
    editor.setParams({ { QStringLiteral("connectionParams"),
        QJsonObject { { QStringLiteral("token"), QStringLiteral("s3") } } } });
    auto *payload = editor.findChild<QPlainTextEdit *>(QStringLiteral("graphqlConnectionParams"));
    auto *problem = editor.findChild<QLabel *>(QStringLiteral("graphqlSettingsProblem"));
    payload->setPlainText(QStringLiteral("{\"token\": \"s4\""));
    QVERIFY(!problem->isHidden());
    QVERIFY2(problem->text().startsWith(QStringLiteral("Connection payload: ")), qPrintable(problem->text()));
    // The last good payload stays in the params; the text stays in the editor.
    QCOMPARE(editor.params()
                 .value(QStringLiteral("connectionParams"))
                 .toObject()
                 .value(QStringLiteral("token"))
                 .toString(),
        QStringLiteral("s3"));
    QCOMPARE(payload->toPlainText(), QStringLiteral("{\"token\": \"s4\""));
    payload->setPlainText(QStringLiteral("{\"token\": \"s4\"}"));
    QVERIFY(problem->isHidden());
    QCOMPARE(editor.params()
                 .value(QStringLiteral("connectionParams"))
                 .toObject()
                 .value(QStringLiteral("token"))
                 .toString(),
        QStringLiteral("s4"));
    payload->clear();
    QVERIFY(!editor.params().contains(QStringLiteral("connectionParams")));
}

QTEST_MAIN(tst_GraphqlComposer)
#include "tst_GraphqlComposer.moc"
