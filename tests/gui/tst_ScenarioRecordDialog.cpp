// "Create test": rows selected in a real client tab's history (talking to an echo server on
// 127.0.0.1) open the dialog from the history's context menu; the looseness of an expect step is
// changed, the gaps kept, the file saved (and not overwritten without asking), and read back.
#include "ClientTab.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "MainWindow.h"
#include "ScenarioRecordDialog.h"
#include "ScenarioRecording.h"
#include "SessionController.h"
#include "TestsPanel.h"
#include "messages/MessageLogModel.h"
#include "scenario/ScenarioParser.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QtTest>

using namespace wst;
using guitest::child;

class tst_ScenarioRecordDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void fromSelection();
    void fromSession();

private:
    ClientTab *connectedTab();
    QList<ScenarioRecordDialog *> dialogs() const;

    QTemporaryDir m_dir;
    guitest::EchoServer m_echo;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ScenarioRecordDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
    guitest::installSettings(this, m_dir)->setFirstRunDone(true);
    QVERIFY(SessionController::liveFolder().startsWith(m_dir.path()));
    QVERIFY(m_echo.listen());
}

void tst_ScenarioRecordDialog::init()
{
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
}

void tst_ScenarioRecordDialog::cleanup()
{
    m_window.reset();
    QTRY_VERIFY(m_echo.sockets.isEmpty());
}

QList<ScenarioRecordDialog *> tst_ScenarioRecordDialog::dialogs() const
{
    return m_window->findChildren<ScenarioRecordDialog *>();
}

ClientTab *tst_ScenarioRecordDialog::connectedTab()
{
    ClientTab *tab = m_window->newClientTab();
    tab->setUrlText(m_echo.url());
    if (!tab->connectToServer())
        return nullptr;
    [&] { QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ClientConnection::State::Open, 10000); }();
    return tab->state() == ClientConnection::State::Open ? tab : nullptr;
}

void tst_ScenarioRecordDialog::fromSelection()
{
    ClientTab *tab = connectedTab();
    QVERIFY(tab);
    tab->composer()->setText(QStringLiteral("hello"));
    QVERIFY(tab->composer()->send());
    QTRY_VERIFY_WITH_TIMEOUT(tab->store()->counters().messagesIn == 1, 10000);
    tab->composer()->setText(QStringLiteral(R"({"op":"ping","id":"5f3a9c2e7b"})"));
    QVERIFY(tab->composer()->send());
    MessageLogModel *log = tab->logModel();
    // Open, two sent, two echoed (and a "Connecting" note before them). The model takes the
    // store's rows in batches: select all only once the last echo is a row of the history.
    QTRY_VERIFY_WITH_TIMEOUT(tab->store()->counters().messagesIn == 2, 10000);
    QTRY_COMPARE(qint64(log->rowCount()), tab->store()->count());

    HistoryView *view = tab->historyPane()->view();
    auto *action = child<QAction>(tab, "createTestFromSelectionAction");
    QVERIFY(action);
    QVERIFY(view->actions().contains(action)); // in the history's context menu
    view->clearSelection();
    QVERIFY(!action->isEnabled());
    view->selectAll();
    QVERIFY(action->isEnabled());
    QSignalSpy created(ScenarioRecording::of(m_window.get()), &ScenarioRecording::scenarioCreated);
    action->trigger();
    QCOMPARE(dialogs().size(), 1);
    ScenarioRecordDialog *dialog = dialogs().first();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));

    auto *table = child<QTableWidget>(dialog, "recordedStepsTable");
    QCOMPARE(table->rowCount(), 5); // connect, send, expect, send, expect
    const QList<QComboBox *> combos = table->findChildren<QComboBox *>(QStringLiteral("loosenessCombo"));
    QCOMPARE(combos.size(), 2);
    auto *preview = child<QPlainTextEdit>(dialog, "scenarioPreview");
    QVERIFY(preview->toPlainText().contains(QLatin1String(R"({"expect": "a", "text": "hello", "within": )")));
    // The JSON echo: the id looks generated, so only "op" is compared.
    QVERIFY2(preview->toPlainText().contains(QLatin1String(R"("json": {"$.op": "ping"})")),
        qPrintable(preview->toPlainText()));

    // "hello" loosened to contains, with its own text
    QComboBox *first = qobject_cast<QComboBox *>(table->cellWidget(2, 4));
    QVERIFY(first);
    first->setFocus();
    QTest::keyClick(first, Qt::Key_Down);
    QCOMPARE(first->currentText(), QStringLiteral("Contains"));
    table->setCurrentCell(2, 3);
    auto *contains = child<QLineEdit>(dialog, "containsEdit");
    QVERIFY(contains->isEnabled());
    contains->selectAll();
    QTest::keyClicks(contains, QStringLiteral("hel"));
    QVERIFY2(preview->toPlainText().contains(QLatin1String(R"({"expect": "a", "contains": "hel", )")),
        qPrintable(preview->toPlainText()));

    // The JSON one compares "id" too when it is checked.
    table->setCurrentCell(4, 3);
    auto *fields = child<QListWidget>(dialog, "jsonFieldsList");
    QVERIFY(fields->isEnabled());
    QCOMPARE(fields->count(), 2);
    QCOMPARE(fields->item(0)->text(), QStringLiteral("id"));
    fields->item(0)->setCheckState(Qt::Checked);
    QVERIFY(
        preview->toPlainText().contains(QLatin1String(R"("json": {"$.id": "5f3a9c2e7b", "$.op": "ping"})")));

    auto *gaps = child<QCheckBox>(dialog, "keepGapsCheck");
    QVERIFY(!gaps->isChecked());
    gaps->setChecked(true);
    QCOMPARE(QString::fromUtf8(dialog->scenarioText()), preview->toPlainText());

    const QString path = m_dir.filePath(QStringLiteral("hello.wstest.json"));
    Dialogs::setNextSaveFileName(m_dir.filePath(QStringLiteral("hello")));
    QTest::mouseClick(child<QPushButton>(dialog, "saveScenarioButton"), Qt::LeftButton);
    QCOMPARE(created.size(), 1);
    QCOMPARE(created.first().first().toString(), path);
    // The saved test opens in the window's Tests panel, which is brought forward.
    auto *tests = m_window->findChild<TestsPanel *>();
    QVERIFY(tests);
    QCOMPARE(tests->filePath(), path);
    QVERIFY(tests->isVisible());
    QString error;
    const std::optional<Scenario> saved = ScenarioParser::parseFile(path, &error);
    QVERIFY2(saved, qPrintable(error));
    const auto loosened = std::find_if(saved->steps.cbegin(), saved->steps.cend(),
        [](const ScenarioStep &s) { return s.matcher.contains.has_value(); });
    QVERIFY(loosened != saved->steps.cend());
    QCOMPARE(*loosened->matcher.contains, QStringLiteral("hel"));

    // The same name again, typed without the suffix: the file is there, and No keeps it.
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("mine") == 4);
    file.close();
    Dialogs::setNextSaveFileName(m_dir.filePath(QStringLiteral("hello")));
    Dialogs::setNextAnswer(QMessageBox::No);
    QVERIFY(!dialog->saveAs());
    QVERIFY(Dialogs::lastQuestion().contains(QLatin1String("hello.wstest.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("mine"));
    QCOMPARE(created.size(), 1);
}

void tst_ScenarioRecordDialog::fromSession()
{
    ClientTab *a = connectedTab();
    ClientTab *b = connectedTab();
    QVERIFY(a && b);
    a->composer()->setText(QStringLiteral("from a"));
    QVERIFY(a->composer()->send());
    QTRY_VERIFY_WITH_TIMEOUT(a->store()->counters().messagesIn == 1, 10000);
    b->composer()->setText(QStringLiteral("from b"));
    QVERIFY(b->composer()->send());
    QTRY_VERIFY_WITH_TIMEOUT(b->store()->counters().messagesIn == 1, 10000);

    auto *action = child<QAction>(m_window.get(), "createTestFromSessionAction");
    QVERIFY(action);
    QMenu *fileMenu = m_window->menuBar()->actions().first()->menu();
    QVERIFY(fileMenu->actions().contains(action));
    action->trigger();
    QCOMPARE(dialogs().size(), 1);
    const QString text = QString::fromUtf8(dialogs().first()->scenarioText());
    // One connection per tab (the first one of the window is empty: no connection), in time order.
    QVERIFY2(
        text.contains(QLatin1String("\"a\": {\"url\"")) && text.contains(QLatin1String("\"b\": {\"url\"")),
        qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("\"c\": {")));
    QVERIFY(text.indexOf(QLatin1String(R"({"send": "a", "text": "from a"})"))
        < text.indexOf(QLatin1String(R"({"send": "b", "text": "from b"})")));
    QString error;
    QVERIFY2(ScenarioParser::parse(text.toUtf8(), {}, &error), qPrintable(error));
}

QTEST_MAIN(tst_ScenarioRecordDialog)
#include "tst_ScenarioRecordDialog.moc"
