// The Tests panel in a real window: scenarios run in real client tabs against real servers on
// 127.0.0.1 (the scripted chat server of the scenario tests, and a local server tab with reply
// rules), the window's environment feeds the run, a failure shows expected vs actual and
// leads to its message in the history, Stop ends a run, and a mistake is shown where it is
// without losing the text.
#include "ChatServer.h"
#include "ClientTab.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "ScenarioEditor.h"
#include "ScenarioStepModel.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "TestsPanel.h"
#include "WorkspaceDock.h"
#include "compose/EnvironmentLibrary.h"
#include "compose/SecretStore.h"
#include "compose/SessionEnvironment.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "scenario/ScenarioRunner.h"
#include "server/LocalServer.h"
#include "server/ServerOptions.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace wst;
using guitest::child;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The payloads of a connection's text messages in one direction, in order.
QStringList texts(const ClientConnection *connection, Direction direction)
{
    QStringList found;
    const MessageStore &store = *connection->store();
    for (qint64 i = 0; i < store.count(); ++i) {
        if (store.row(i).direction == direction && store.row(i).kind == Kind::Text)
            found << QString::fromUtf8(store.payload(i));
    }
    return found;
}

QString steps(const ScenarioReport &report)
{
    QString all;
    for (const StepReport &s : report.steps)
        all += QStringLiteral("\n  %1. %2 [%3] %4")
                   .arg(s.number)
                   .arg(s.title, ScenarioReport::outcomeName(s.outcome), s.detail);
    return all;
}

} // namespace

class tst_TestsPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void issueExampleRunsGreenInTabs();
    void localServerRulesRunGreen();
    void environmentOverridesAndSecretsStayHidden();
    void failureShowsExpectedActualAndSelectsTheMessage();
    void stopMidRun();
    void closingARunTabFailsTheStep();
    void mistakeIsShownAndTextKept();
    void unsavedChangesAreAskedAbout();
    void controlsAreNamed();

private:
    ClientTab *tabTitled(const QString &title) const;
    bool runToEnd();

    QTemporaryDir m_dir;
    ChatServer m_chat;
    EnvironmentLibrary *m_library = nullptr;
    std::unique_ptr<MainWindow> m_window;
    TestsPanel *m_panel = nullptr;
};

void tst_TestsPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
    guitest::installSettings(this, m_dir)->setFirstRunDone(true);
    QVERIFY(SessionController::liveFolder().startsWith(m_dir.path()));
    m_library = new EnvironmentLibrary(EnvironmentLibrary::defaultFolder(), new MemorySecretStore, this);
    EnvironmentLibrary::setInstance(m_library);
    QVERIFY(m_chat.listen());
}

void tst_TestsPanel::init()
{
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    m_panel = child<TestsPanel>(m_window.get(), "testsPanel");
    QVERIFY(m_panel);
    m_window->workspace()->showPage(m_panel);
    new QAbstractItemModelTester(
        m_panel->stepModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel->stepModel());
}

void tst_TestsPanel::cleanup()
{
    if (m_panel && m_panel->isRunning()) {
        m_panel->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isRunning(), 5000);
    }
    m_panel = nullptr;
    m_window.reset();
    QString error;
    for (const QString &name : m_library->names())
        m_library->remove(name, &error);
}

ClientTab *tst_TestsPanel::tabTitled(const QString &title) const
{
    for (int i = 0; i < m_window->tabCount(); ++i) {
        if (ClientTab *tab = m_window->tabAt(i); tab && tab->title() == title)
            return tab;
    }
    return nullptr;
}

bool tst_TestsPanel::runToEnd()
{
    if (!m_panel->run())
        return false;
    QSignalSpy finished(m_panel->runner(), &ScenarioRunner::finished);
    return finished.wait(20000) && !m_panel->isRunning();
}

void tst_TestsPanel::issueExampleRunsGreenInTabs()
{
    const QString file = QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json");
    QVERIFY(m_panel->openFile(file));
    QCOMPARE(m_panel->editor()->text(), QString::fromUtf8(readAll(file)));
    QCOMPARE(m_panel->editor()->errorText(), QString());
    m_window->environment()->setValue(QStringLiteral("port"), QString::number(m_chat.port()));
    const int tabsBefore = m_window->tabCount();

    QVERIFY(runToEnd());
    const ScenarioReport &report = m_panel->runner()->report();
    QVERIFY2(report.passed(), qPrintable(steps(report)));
    QCOMPARE(m_panel->stepModel()->rowCount(), 9);
    for (int row = 0; row < 9; ++row) {
        const QModelIndex result = m_panel->stepModel()->index(row, ScenarioStepModel::ResultColumn);
        QCOMPARE(result.data().toString(), QStringLiteral("passed"));
        QVERIFY(!result.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(m_panel->stepModel()
                    ->index(row, ScenarioStepModel::TimeColumn)
                    .data()
                    .toString()
                    .endsWith(QLatin1String(" ms")));
    }
    QVERIFY2(m_panel->summaryText().startsWith(QLatin1String("9 of 9 steps passed in ")),
        qPrintable(m_panel->summaryText()));

    // Real tabs, named after the scenario and the connection, whose histories hold the run.
    QCOMPARE(m_window->tabCount(), tabsBefore + 2);
    ClientTab *a = tabTitled(QStringLiteral("test: chat: join and echo \u00b7 a"));
    ClientTab *b = tabTitled(QStringLiteral("test: chat: join and echo \u00b7 b"));
    QVERIFY(a && b);
    QCOMPARE(a->urlText(), QStringLiteral("ws://127.0.0.1:%1/chat").arg(m_chat.port()));
    QCOMPARE(texts(a->connection(), Direction::Out).value(0),
        QStringLiteral("{\"op\":\"join\",\"user\":\"ann\"}"));
    QVERIFY(texts(a->connection(), Direction::In).value(0).contains(QLatin1String("welcome")));
    QVERIFY(texts(a->connection(), Direction::Out).value(1).startsWith(QLatin1String("hello ")));
    QCOMPARE(texts(b->connection(), Direction::In), QStringList { QStringLiteral("ann joined") });
    QVERIFY(a->connection()->handshake().response.toLower().contains("sec-websocket-protocol: chat"));
    QCOMPARE(a->connection()->handshake().statusCode(), 101);
    QTRY_COMPARE(b->state(), ClientConnection::State::Closed); // the run closes what it left open
    QTRY_COMPARE(a->logModel()->rowCount(), int(a->connection()->store()->count()));

    // A second run reuses the idle tabs.
    QVERIFY(runToEnd());
    QVERIFY2(m_panel->runner()->report().passed(), qPrintable(steps(m_panel->runner()->report())));
    QCOMPARE(m_window->tabCount(), tabsBefore + 2);
    QCOMPARE(texts(b->connection(), Direction::In).size(), 2);
}

void tst_TestsPanel::localServerRulesRunGreen()
{
    // The issue's example, whole, against a local server tab of this window whose reply rules
    // make it pass (tests/data/scenarios/chat.rules.json: a welcome with a token to the sender,
    // "ann joined" to the others, "hello …" echoed).
    ServerTab *server = m_window->newServerTab();
    ServerOptions options;
    options.behaviour = ServerOptions::Behaviour::Rules;
    options.subprotocols = { QStringLiteral("chat") };
    QString error;
    options.rules = ReplyRules::parseFile(QStringLiteral(WST_TEST_DATA "/scenarios/chat.rules.json"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    server->setOptions(options);
    QVERIFY(server->start());
    QTRY_COMPARE(server->server()->state(), LocalServer::State::Listening);

    QVERIFY(m_panel->openFile(QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json")));
    m_window->environment()->setValue(
        QStringLiteral("port"), QString::number(server->server()->url().port()));
    QVERIFY(runToEnd());
    QVERIFY2(m_panel->runner()->report().passed(), qPrintable(steps(m_panel->runner()->report())));
    QVERIFY2(m_panel->summaryText().startsWith(QLatin1String("9 of 9 steps passed in ")),
        qPrintable(m_panel->summaryText()));
    ClientTab *a = tabTitled(QStringLiteral("test: chat: join and echo \u00b7 a"));
    ClientTab *b = tabTitled(QStringLiteral("test: chat: join and echo \u00b7 b"));
    QVERIFY(a && b);
    const QStringList toA = texts(a->connection(), Direction::In);
    QVERIFY2(toA.size() == 2 && toA.first().startsWith(QLatin1String("{\"op\":\"welcome\",\"user\":\"ann\"")),
        qPrintable(toA.join(QLatin1String(" | "))));
    QVERIFY2(texts(b->connection(), Direction::In).contains(QStringLiteral("ann joined")),
        qPrintable(texts(b->connection(), Direction::In).join(QLatin1String(" | "))));
    // The server tab's history holds the other side of the run.
    QVERIFY(server->store()->counters().messagesIn >= 2);
}

void tst_TestsPanel::environmentOverridesAndSecretsStayHidden()
{
    const QString secret = QStringLiteral("s3cr3t-ann");
    QString error;
    QVERIFY(m_library->create(QStringLiteral("staging"), &error));
    QVERIFY(m_library->setVariables(QStringLiteral("staging"),
        { { QStringLiteral("port"), QString::number(m_chat.port()), false },
            { QStringLiteral("user"), secret, true } },
        &error));
    m_window->environment()->setActiveName(QStringLiteral("staging"));
    QVERIFY(m_panel->openFile(QStringLiteral(WST_TEST_DATA "/scenarios/chat.wstest.json")));

    QVERIFY(runToEnd());
    const ScenarioReport &report = m_panel->runner()->report();
    QVERIFY2(report.passed(), qPrintable(steps(report)));
    // The environment's user replaced the file's "ann" (and still contains "ann joined").
    ClientTab *b = tabTitled(QStringLiteral("test: chat: join and echo \u00b7 b"));
    QVERIFY(b);
    QCOMPARE(texts(b->connection(), Direction::In).value(0), secret + QLatin1String(" joined"));
    ClientTab *a = tabTitled(QStringLiteral("test: chat: join and echo \u00b7 a"));
    QVERIFY(a && texts(a->connection(), Direction::Out).value(0).contains(secret));

    // Nothing the panel shows holds the secret value.
    for (int row = 0; row < m_panel->stepModel()->rowCount(); ++row) {
        m_panel->stepView()->setCurrentIndex(m_panel->stepModel()->index(row, 1));
        QVERIFY2(!m_panel->detailText().contains(secret), qPrintable(m_panel->detailText()));
        QVERIFY(!m_panel->stepModel()->index(row, 1).data(Qt::ToolTipRole).toString().contains(secret));
    }
    m_panel->stepView()->setCurrentIndex(m_panel->stepModel()->index(4, 1));
    QVERIFY2(
        m_panel->detailText().contains(QLatin1String("{{user}} joined")), qPrintable(m_panel->detailText()));
}

void tst_TestsPanel::failureShowsExpectedActualAndSelectsTheMessage()
{
    m_panel->editor()->setText(QStringLiteral(R"({
  "name": "fails",
  "connections": { "a": "ws://127.0.0.1:%1/" },
  "steps": [
    { "connect": "a" },
    { "send": "a", "text": "__noise 3 then hi" },
    { "expect": "a", "text": "ho", "within": 300 },
    { "send": "a", "text": "never" }
  ]
})")
                                   .arg(m_chat.port()));
    QVERIFY(runToEnd());
    const ScenarioReport &report = m_panel->runner()->report();
    QCOMPARE(report.steps[2].outcome, StepReport::Outcome::Failed);
    QCOMPARE(report.steps[3].outcome, StepReport::Outcome::Skipped);
    QVERIFY2(m_panel->summaryText().startsWith(QLatin1String("2 of 4 steps passed in ")),
        qPrintable(m_panel->summaryText()));
    ScenarioStepModel *model = m_panel->stepModel();
    QCOMPARE(model->index(2, ScenarioStepModel::ResultColumn).data().toString(), QStringLiteral("failed"));
    QCOMPARE(model->index(3, ScenarioStepModel::ResultColumn).data().toString(), QStringLiteral("skipped"));
    QCOMPARE(model->index(3, ScenarioStepModel::TimeColumn).data().toString(), QString());

    // The failed step came forward with its expected and actual text.
    QCOMPARE(m_panel->stepView()->currentIndex().row(), 2);
    const QString detail = m_panel->detailText();
    QVERIFY2(
        detail.contains(QLatin1String("Expected: expect a: text \"ho\" within 300 ms")), qPrintable(detail));
    QVERIFY2(detail.contains(QLatin1String("Actual: no message matching text \"ho\" within 300 ms; 4 other "
                                           "messages received, the last 3: noise 2 | noise 3 | hi")),
        qPrintable(detail));

    // Clicking it selects, in a's history, the last message it looked at ("hi").
    ClientTab *a = tabTitled(QStringLiteral("test: fails \u00b7 a"));
    QVERIFY(a);
    m_window->newClientTab(); // another tab in front
    QVERIFY(m_window->currentTab() != a);
    QTreeView *view = m_panel->stepView();
    const QRect rect = view->visualRect(model->index(2, ScenarioStepModel::StepColumn));
    QVERIFY(rect.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(m_window->currentTab(), a);
    const QModelIndex selected = a->historyPane()->view()->currentIndex();
    QVERIFY(selected.isValid());
    QVERIFY(a->historyPane()->view()->selectionModel()->isRowSelected(selected.row(), {}));
    const qint64 storeIndex = selected.data(MessageLogModel::StoreIndexRole).toLongLong();
    QCOMPARE(storeIndex, report.steps[2].messageIndex);
    QCOMPARE(a->connection()->store()->payload(storeIndex), QByteArray("hi"));

    // Once the history is cleared, the click says why nothing is selected.
    a->historyPane()->clearHistory();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QVERIFY2(m_panel->detailText().contains(QLatin1String("no longer shown in the history of a")),
        qPrintable(m_panel->detailText()));
}

void tst_TestsPanel::stopMidRun()
{
    m_panel->editor()->setText(QStringLiteral(R"({
  "name": "slow",
  "connections": { "a": "ws://127.0.0.1:%1/" },
  "steps": [ { "connect": "a" }, { "wait": 60000 }, { "send": "a", "text": "late" } ]
})")
                                   .arg(m_chat.port()));
    QVERIFY(m_panel->run());
    auto *stopButton = child<QToolButton>(m_panel, "stopScenarioButton");
    auto *runButton = child<QToolButton>(m_panel, "runScenarioButton");
    QVERIFY(stopButton->isEnabled());
    QVERIFY(!runButton->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->stepModel()->runningIndex(), 1, 10000);
    QCOMPARE(m_panel->stepModel()->index(1, ScenarioStepModel::ResultColumn).data().toString(),
        QStringLiteral("running"));
    QCOMPARE(m_panel->summaryText(), QStringLiteral("Running step 2 of 3\u2026"));
    QSignalSpy finished(m_panel->runner(), &ScenarioRunner::finished);
    QTest::mouseClick(stopButton, Qt::LeftButton);
    QVERIFY(finished.wait(5000));
    const ScenarioReport &report = m_panel->runner()->report();
    QCOMPARE(report.steps[1].outcome, StepReport::Outcome::Failed);
    QCOMPARE(report.steps[1].detail, QStringLiteral("stopped."));
    QCOMPARE(report.steps[2].outcome, StepReport::Outcome::Skipped);
    QVERIFY(report.durationMs < 30000);
    QVERIFY2(m_panel->summaryText().startsWith(QLatin1String("1 of 3 steps passed in ")),
        qPrintable(m_panel->summaryText()));
    QVERIFY(runButton->isEnabled());
    QVERIFY(!stopButton->isEnabled());
    ClientTab *a = tabTitled(QStringLiteral("test: slow \u00b7 a"));
    QVERIFY(a);
    QTRY_COMPARE(a->state(), ClientConnection::State::Closed);
}

void tst_TestsPanel::closingARunTabFailsTheStep()
{
    // An expectNone ignores the connection's close; the tab's deletion then left the runner
    // polling a deleted connection (a crash before the runner checked for it).
    m_panel->editor()->setText(QStringLiteral(R"({
  "name": "closed",
  "connections": { "a": "ws://127.0.0.1:%1/" },
  "steps": [ { "connect": "a" }, { "expectNone": "a", "contains": "x", "for": 20000 } ]
})")
                                   .arg(m_chat.port()));
    QVERIFY(m_panel->run());
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_panel->stepModel()->runningIndex() == 1, qPrintable(steps(m_panel->runner()->report())), 10000);
    QPointer<ClientTab> a = tabTitled(QStringLiteral("test: closed \u00b7 a"));
    QVERIFY(a);
    m_window->closeTab(m_window->tabs()->indexOf(a));
    QTRY_VERIFY_WITH_TIMEOUT(!a, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isRunning(), 5000);
    const ScenarioReport &report = m_panel->runner()->report();
    QCOMPARE(report.steps[1].outcome, StepReport::Outcome::Failed);
    QCOMPARE(report.steps[1].detail, QStringLiteral("connection a no longer exists."));
}

void tst_TestsPanel::mistakeIsShownAndTextKept()
{
    QVERIFY(m_panel->newScenario());
    ScenarioEditor *editor = m_panel->editor();
    QCOMPARE(editor->errorText(), QString()); // the template is a valid scenario
    QVERIFY(!editor->isModified());

    // Typed, as a user would: "2000" becomes "2000x" on line 10 of the template.
    QPlainTextEdit *edit = editor->textEdit();
    const QString text = edit->toPlainText();
    const int at = text.indexOf(QLatin1String("2000")) + 4;
    QCOMPARE(text.left(at).count(QLatin1Char('\n')) + 1, 10);
    QTextCursor cursor = edit->textCursor();
    cursor.setPosition(at);
    edit->setTextCursor(cursor);
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("x"));
    QVERIFY(editor->isModified());
    // Checked a moment after the typing stops, not at once.
    QCOMPARE(editor->errorText(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(!editor->errorText().isEmpty(), 3000);
    QVERIFY2(editor->errorText().startsWith(QLatin1String("untitled.wstest.json:10:")),
        qPrintable(editor->errorText()));
    QCOMPARE(editor->errorLine(), 10);
    QVERIFY(editor->errorColumn() > 0);
    QVERIFY(!edit->extraSelections().isEmpty());
    QCOMPARE(edit->extraSelections().first().cursor.blockNumber(), 9);
    const QString broken = edit->toPlainText();
    QVERIFY(broken.contains(QLatin1String("2000x")));

    // Run refuses it, and keeps the text.
    QVERIFY(!m_panel->run());
    QVERIFY2(m_panel->summaryText().startsWith(QLatin1String("Not run: the scenario has a mistake")),
        qPrintable(m_panel->summaryText()));
    QCOMPARE(edit->toPlainText(), broken);

    // Ctrl+S in the editor saves it as it is (asking for a name: it is new).
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    edit->setFocus();
    const QString path = m_dir.filePath(QStringLiteral("broken"));
    Dialogs::setNextSaveFileName(path);
    QTest::keyClick(edit, Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(m_panel->filePath(), path + QLatin1String(".wstest.json"));
    QCOMPARE(QString::fromUtf8(readAll(m_panel->filePath())), broken);
    QVERIFY(!editor->isModified());

    // Fixed: the error goes and the mark with it.
    cursor.setPosition(at + 1);
    edit->setTextCursor(cursor);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTRY_VERIFY_WITH_TIMEOUT(editor->errorText().isEmpty(), 3000);
    QVERIFY(edit->extraSelections().isEmpty());
}

void tst_TestsPanel::unsavedChangesAreAskedAbout()
{
    const QString path = m_dir.filePath(QStringLiteral("kept.wstest.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(TestsPanel::templateText().toUtf8());
    }
    QVERIFY(m_panel->openFile(path));
    QPlainTextEdit *edit = m_panel->editor()->textEdit();
    edit->moveCursor(QTextCursor::End);
    edit->insertPlainText(QStringLiteral("// mine"));
    const QString mine = edit->toPlainText();

    // Cancel: nothing else opens, the text stays.
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_panel->newScenario());
    QCOMPARE(edit->toPlainText(), mine);
    QVERIFY(Dialogs::lastQuestion().contains(QLatin1String("kept.wstest.json has unsaved changes")));
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_panel->open());
    QCOMPARE(edit->toPlainText(), mine);

    // Closing the window asks too; Cancel keeps the window and the text.
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QCOMPARE(edit->toPlainText(), mine);

    // Save: the file gets the text, then the template replaces it in the editor.
    Dialogs::setNextAnswer(QMessageBox::Save);
    QVERIFY(m_panel->newScenario());
    QCOMPARE(QString::fromUtf8(readAll(path)), mine);
    QCOMPARE(m_panel->editor()->text(), TestsPanel::templateText());
    QCOMPARE(m_panel->filePath(), QString());

    // Discard: asked once, then gone.
    edit->insertPlainText(QStringLiteral("x"));
    const int asked = Dialogs::shownCount();
    Dialogs::setNextAnswer(QMessageBox::Discard);
    QVERIFY(m_panel->confirmDiscard());
    QVERIFY(m_panel->confirmDiscard());
    QCOMPARE(Dialogs::shownCount(), asked + 1);
}

void tst_TestsPanel::controlsAreNamed()
{
    const QStringList problems = guitest::unnamedControls(m_panel,
        { "newScenarioButton", "openScenarioButton", "saveScenarioButton", "runScenarioButton",
            "stopScenarioButton", "scenarioTextEdit", "testStepsView", "testStepDetail" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    for (const char *name : { "scenarioFileLabel", "testSummaryLabel" })
        QVERIFY(!child<QWidget>(m_panel, name)->accessibleName().isEmpty());
    QCOMPARE(m_window->workspace()->pages()->tabText(m_window->workspace()->pages()->indexOf(m_panel)),
        QStringLiteral("Tests"));
}

QTEST_MAIN(tst_TestsPanel)
#include "tst_TestsPanel.moc"
