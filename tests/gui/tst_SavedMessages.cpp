// Saved messages, variables, collection entries and the periodic send, driven through the real main
// window against an in-process echo server on 127.0.0.1.
#include "ClientTab.h"
#include "CollectionsPanel.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "EnvironmentEditor.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "PeriodicSendBar.h"
#include "RequestOptionsWidget.h"
#include "SavedMessageDialog.h"
#include "SavedMessagesPanel.h"
#include "compose/CollectionStore.h"
#include "compose/PeriodicSender.h"
#include "compose/SessionEnvironment.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "settings/AppSettings.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWebSocket>
#include <QtTest>

using namespace wst;
using guitest::child;

class tst_SavedMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void saveComposerMessageAndSendWithOneClick();
    void undefinedVariableRefusedAndComposerKept();
    void variablesFromTheEditorFillTheComposer();
    void binarySavedMessage();
    void editRenameDeleteAndMove();
    void globalMessagesSharedAndPersisted();
    void savedMessagesJsonForTheSession();
    void saveToCollectionAndOpenInNewTab();
    void periodicSendVisibleAndStoppable();
    void periodicSendStopsWhenTheConnectionCloses();
    void periodicSendOfASavedMessage();
    void controlsAreNamedAndDescribed();

private:
    ClientTab *tab() const { return m_window->currentTab(); }
    QString url() const { return m_server.url(); }
    bool connectTab(ClientTab *tab);
    bool typeInComposer(ClientTab *tab, const QString &text);
    static int findRow(MessageLogModel *model, Direction dir, Kind kind, const QByteArray &payload);
    static int countRows(MessageLogModel *model, Direction dir);
    // Shows the saved panel and waits until it is laid out (a click needs the buttons' size).
    void showPanel(ClientTab *tab)
    {
        tab->setSavedPanelVisible(true);
        QTRY_VERIFY(tab->findChild<QWidget *>(QStringLiteral("localSavedSendButton"))->width() > 0);
    }
    // Clicks the send arrow drawn at the right of a saved message's row.
    void clickRowSendButton(QListView *view, int row);

    QTemporaryDir m_dir;
    CollectionStore *m_collections = nullptr;
    AppSettings *m_settings = nullptr;
    guitest::EchoServer m_server;
    std::unique_ptr<MainWindow> m_window;
};

void tst_SavedMessages::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_settings = guitest::installSettings(this, m_dir);

    QVERIFY(m_server.listen());
}

void tst_SavedMessages::init()
{
    m_settings->reset(AppSettings::Key::Profiles);
    // A collections folder of the test's own, empty for each test.
    QDir(m_dir.filePath(QStringLiteral("collections"))).removeRecursively();
    CollectionStore::setInstance(nullptr);
    delete m_collections;
    m_collections = new CollectionStore(m_dir.filePath(QStringLiteral("collections")), this);
    CollectionStore::setInstance(m_collections);
    m_settings->reset(AppSettings::Key::GlobalSavedMessages);
    Dialogs::clearNextAnswers();
    m_server.received.clear();
    m_window = std::make_unique<MainWindow>();
    m_window->newClientTab();
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void tst_SavedMessages::cleanup()
{
    m_window.reset();
    QTRY_VERIFY(m_server.sockets.isEmpty());
}

bool tst_SavedMessages::connectTab(ClientTab *tab)
{
    auto *combo = child<QComboBox>(tab, "urlCombo");
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), url());
    QTest::mouseClick(child<QPushButton>(tab, "connectButton"), Qt::LeftButton);
    [&] { QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ClientConnection::State::Open, 10000); }();
    return tab->state() == ClientConnection::State::Open;
}

bool tst_SavedMessages::typeInComposer(ClientTab *tab, const QString &text)
{
    auto *edit = child<QPlainTextEdit>(tab, "composerEdit");
    edit->setFocus();
    edit->clear();
    QTest::keyClicks(edit, text);
    return edit->toPlainText() == text;
}

int tst_SavedMessages::findRow(MessageLogModel *model, Direction dir, Kind kind, const QByteArray &payload)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, 0);
        if (i.data(MessageLogModel::DirectionRole).toInt() == int(dir)
            && i.data(MessageLogModel::KindRole).toInt() == int(kind)
            && i.data(MessageLogModel::PayloadRole).toByteArray() == payload)
            return r;
    }
    return -1;
}

int tst_SavedMessages::countRows(MessageLogModel *model, Direction dir)
{
    int n = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, 0);
        const int kind = i.data(MessageLogModel::KindRole).toInt();
        if (i.data(MessageLogModel::DirectionRole).toInt() == int(dir)
            && (kind == int(Kind::Text) || kind == int(Kind::Binary)))
            ++n;
    }
    return n;
}

void tst_SavedMessages::clickRowSendButton(QListView *view, int row)
{
    const QRect rect = view->visualRect(view->model()->index(row, 0));
    QVERIFY(rect.isValid());
    // The arrow sits at the right, vertically centred (SavedItemDelegate::buttonRect).
    const QPoint arrow(rect.right() - 20, rect.center().y());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, arrow);
}

void tst_SavedMessages::saveComposerMessageAndSendWithOneClick()
{
    QVERIFY(connectTab(tab()));
    m_window->environment()->addRow(QStringLiteral("who"), QStringLiteral("world"));
    QVERIFY(typeInComposer(tab(), QStringLiteral("hello {{who}}")));
    QVERIFY(!tab()->isSavedPanelVisible());

    // Ctrl+D in the composer saves the message for this connection, under the name given.
    Dialogs::setNextText(QStringLiteral("Greeting"));
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(tab()->savedMessages()->count(), 1);
    QCOMPARE(tab()->savedMessages()->at(0).name, QStringLiteral("Greeting"));
    QCOMPARE(tab()->savedMessages()->at(0).body, QStringLiteral("hello {{who}}"));
    QCOMPARE(tab()->savedMessages()->at(0).format, QStringLiteral("text"));
    QVERIFY(tab()->isSavedPanelVisible());
    QVERIFY(child<QToolButton>(tab(), "savedToggle")->isChecked());
    // Saving never touches what is written.
    QCOMPARE(tab()->composer()->text(), QStringLiteral("hello {{who}}"));
    tab()->composer()->setText(QStringLiteral("something else"));

    // One click on the row's arrow sends it with the variable filled; the echo comes back.
    auto *list = child<QListView>(tab(), "localSavedList");
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    clickRowSendButton(list, 0);
    MessageLogModel *model = tab()->logModel();
    QTRY_VERIFY(findRow(model, Direction::Out, Kind::Text, "hello world") >= 0);
    QTRY_VERIFY(findRow(model, Direction::In, Kind::Text, "hello world") >= 0);
    QCOMPARE(m_server.received, QStringList { QStringLiteral("hello world") });
    QVERIFY(child<QLabel>(tab(), "savedError")->isHidden());

    // The Send button and Enter on the row do the same.
    QTest::mouseClick(child<QPushButton>(tab(), "localSavedSendButton"), Qt::LeftButton);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Return);
    QTRY_COMPARE(m_server.received.size(), 3);
    QCOMPARE(tab()->composer()->text(), QStringLiteral("something else"));
}

void tst_SavedMessages::undefinedVariableRefusedAndComposerKept()
{
    QVERIFY(connectTab(tab()));
    tab()->savedMessages()->add({ QStringLiteral("Auth"), QStringLiteral("json"),
        QStringLiteral(R"({"op": "auth", "token": "{{token}}"})") });
    showPanel(tab());
    QTest::mouseClick(child<QPushButton>(tab(), "localSavedSendButton"), Qt::LeftButton);
    auto *error = child<QLabel>(tab(), "savedError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("{{token}}")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QLatin1String("Auth")), qPrintable(error->text()));

    // The composer says the same and keeps what was written; Send is refused.
    const QString written = QStringLiteral("Bearer {{token}}");
    QVERIFY(typeInComposer(tab(), written));
    auto *status = child<QLabel>(tab(), "composerStatus");
    QVERIFY2(status->text().contains(QLatin1String("{{token}}")), qPrintable(status->text()));
    QVERIFY(!child<QPushButton>(tab(), "sendButton")->isEnabled());
    QTest::keyClick(child<QPlainTextEdit>(tab(), "composerEdit"), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(!tab()->composer()->send());
    QCOMPARE(tab()->composer()->text(), written);

    // Once defined, both go out, filled.
    m_window->environment()->addRow(QStringLiteral("token"), QStringLiteral("t0k"));
    QTRY_VERIFY(child<QPushButton>(tab(), "sendButton")->isEnabled());
    QVERIFY(tab()->composer()->send());
    QTest::mouseClick(child<QPushButton>(tab(), "localSavedSendButton"), Qt::LeftButton);
    QTRY_COMPARE(m_server.received.size(), 2);
    QCOMPARE(m_server.received.at(0), QStringLiteral("Bearer t0k"));
    QCOMPARE(m_server.received.at(1), QStringLiteral(R"({"op": "auth", "token": "t0k"})"));
    QVERIFY(error->isHidden());
    // Nothing with braces ever reached the server.
    QCOMPARE(tab()->logModel()->store().counters().messagesOut, 2);
    QCOMPARE(tab()->composer()->text(), written);
}

void tst_SavedMessages::variablesFromTheEditorFillTheComposer()
{
    QVERIFY(connectTab(tab()));
    QVERIFY(typeInComposer(tab(), QStringLiteral("{\"id\": {{id}}}")));
    ComposerWidget *composer = tab()->composer();
    composer->setMode(ComposerWidget::Mode::Json);
    QVERIFY(composer->contentProblem().contains(QLatin1String("{{id}}")));

    // The Variables button opens the editor on the window's environment.
    showPanel(tab());
    QTest::mouseClick(child<QPushButton>(tab(), "variablesButton"), Qt::LeftButton);
    auto *editor = m_window->findChild<EnvironmentEditor *>(QStringLiteral("environmentEditor"));
    QVERIFY(editor);
    QCOMPARE(editor->environment(), m_window->environment());
    QTest::mouseClick(child<QPushButton>(editor, "addVariableButton"), Qt::LeftButton);
    SessionEnvironment *env = m_window->environment();
    QCOMPARE(env->rowCount(), 1);
    env->setData(env->index(0, SessionEnvironment::NameColumn), QStringLiteral("id"));
    env->setData(env->index(0, SessionEnvironment::ValueColumn), QStringLiteral("42"));
    // JSON is checked with the values in.
    QTRY_VERIFY(composer->contentProblem().isEmpty());
    QVERIFY(composer->send());
    QTRY_COMPARE(m_server.received, QStringList { QStringLiteral("{\"id\": 42}") });

    // A bad name is said inline in the editor.
    env->addRow(QStringLiteral("uuid"), QStringLiteral("x"));
    QVERIFY(editor->errorText().contains(QLatin1String("built in")));
    env->removeRows(1, 1);
    QVERIFY(editor->errorText().isEmpty());
}

void tst_SavedMessages::binarySavedMessage()
{
    QVERIFY(connectTab(tab()));
    tab()->savedMessages()->add(
        { QStringLiteral("Bytes"), QStringLiteral("hex"), QStringLiteral("de ad be ef") });
    tab()->savedMessages()->add({ QStringLiteral("Bad"), QStringLiteral("hex"), QStringLiteral("zz") });
    QVERIFY(tab()->sendSavedMessage(tab()->savedMessages()->at(0)));
    QTRY_VERIFY(findRow(tab()->logModel(), Direction::In, Kind::Binary, QByteArray("\xde\xad\xbe\xef")) >= 0);
    QVERIFY(!tab()->sendSavedMessage(tab()->savedMessages()->at(1)));
    QVERIFY(!child<QLabel>(tab(), "savedError")->text().isEmpty());
}

void tst_SavedMessages::editRenameDeleteAndMove()
{
    SavedMessageList *list = tab()->savedMessages();
    list->add({ QStringLiteral("one"), QStringLiteral("text"), QStringLiteral("1") });
    list->add({ QStringLiteral("two"), QStringLiteral("text"), QStringLiteral("2") });
    showPanel(tab());
    SavedMessagesPanel *panel = tab()->savedPanel();

    // Edit: a dialog with the message; OK applies it.
    QPointer<SavedMessageDialog> dialog = panel->editAt(false, 1);
    QVERIFY(dialog);
    QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("two"));
    dialog->nameEdit()->clear();
    dialog->accept(); // refused: no name
    QVERIFY(dialog->isVisible());
    QTest::keyClicks(dialog->nameEdit(), QStringLiteral("zwei"));
    dialog->formatCombo()->setCurrentIndex(dialog->formatCombo()->findData(QStringLiteral("json")));
    dialog->bodyEdit()->setPlainText(QStringLiteral("{\"n\": 2}"));
    dialog->accept();
    QTRY_VERIFY(!dialog);
    QCOMPARE(list->at(1),
        (SavedMessage { QStringLiteral("zwei"), QStringLiteral("json"), QStringLiteral("{\"n\": 2}") }));

    // Rename through the dialog seam.
    Dialogs::setNextText(QStringLiteral("eins"));
    panel->renameAt(false, 0);
    QCOMPARE(list->at(0).name, QStringLiteral("eins"));

    // Move down from the menu.
    auto *view = child<QListView>(tab(), "localSavedList");
    view->setCurrentIndex(list->index(0));
    child<QAction>(panel, "localMoveDownAction")->trigger();
    QCOMPARE(list->at(1).name, QStringLiteral("eins"));

    // Delete asks first.
    Dialogs::setNextAnswer(QMessageBox::No);
    QTest::mouseClick(child<QPushButton>(tab(), "localSavedDeleteButton"), Qt::LeftButton);
    QCOMPARE(list->count(), 2);
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(child<QPushButton>(tab(), "localSavedDeleteButton"), Qt::LeftButton);
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->at(0).name, QStringLiteral("zwei"));

    // Put in the composer.
    view->setCurrentIndex(list->index(0));
    child<QAction>(panel, "localLoadAction")->trigger();
    QCOMPARE(tab()->composer()->mode(), ComposerWidget::Mode::Json);
    QCOMPARE(tab()->composer()->text(), QStringLiteral("{\"n\": 2}"));
}

void tst_SavedMessages::globalMessagesSharedAndPersisted()
{
    QVERIFY(typeInComposer(tab(), QStringLiteral("everywhere")));
    Dialogs::setNextText(QStringLiteral("Shared"));
    child<QAction>(tab(), "saveGlobalAction")->trigger();
    QCOMPARE(m_window->globalSavedMessages()->count(), 1);
    QCOMPARE(tab()->savedMessages()->count(), 0);
    // Another tab shows the same global list.
    ClientTab *second = m_window->newClientTab();
    QCOMPARE(second->globalSavedMessages(), m_window->globalSavedMessages());
    QCOMPARE(child<QListView>(second, "globalSavedList")->model()->rowCount(), 1);
    // Kept in the settings, for the next launch.
    QVERIFY(m_settings->globalSavedMessagesJson().contains(QLatin1String("everywhere")));
    m_window.reset();
    m_window = std::make_unique<MainWindow>();
    QCOMPARE(m_window->globalSavedMessages()->count(), 1);
    QCOMPARE(m_window->globalSavedMessages()->at(0).name, QStringLiteral("Shared"));
    // A cancelled name saves nothing.
    ClientTab *t = m_window->newClientTab();
    t->composer()->setText(QStringLiteral("x"));
    Dialogs::setNextTextCancelled();
    QVERIFY(!t->saveComposerMessage(true));
    QCOMPARE(m_window->globalSavedMessages()->count(), 1);
}

void tst_SavedMessages::savedMessagesJsonForTheSession()
{
    QSignalSpy changed(tab(), &ClientTab::savedMessagesChanged);
    tab()->savedMessages()->add({ QStringLiteral("a"), QStringLiteral("text"), QStringLiteral("x") });
    QCOMPARE(changed.count(), 1);
    const QJsonArray json = tab()->savedMessagesJson();
    QCOMPARE(json.size(), 1);
    ClientTab *other = m_window->newClientTab();
    other->setSavedMessagesJson(json);
    QCOMPARE(other->savedMessages()->messages(), tab()->savedMessages()->messages());
}

void tst_SavedMessages::saveToCollectionAndOpenInNewTab()
{
    ClientTab *first = tab();
    first->setUrlText(url() + QStringLiteral("?room=1"));
    QTest::mouseClick(child<QToolButton>(first, "requestToggle"), Qt::LeftButton);
    first->requestOptions()->addHeader(QStringLiteral("Authorization"), QStringLiteral("Bearer abc"));
    first->requestOptions()->addHeader(QStringLiteral("X-Trace"), QStringLiteral("7"));
    auto *subprotocols = child<QLineEdit>(first, "subprotocolsEdit");
    QTest::keyClicks(subprotocols, QStringLiteral("chat"));

    Dialogs::setNextText(QStringLiteral("Echo room"));
    auto *save = child<QPushButton>(first, "saveToCollectionButton");
    QVERIFY(save->isVisible());
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(m_collections->collections().size(), 1);
    const CollectionItem *collection = m_collections->collections().at(0);
    QCOMPARE(int(collection->children.size()), 1);
    const QString id = collection->children[0]->id;
    QCOMPARE(collection->children[0]->name, QStringLiteral("Echo room"));
    // The Authorization value stays out of the file (and the tab keeps it).
    QCOMPARE(collection->children[0]->settings.value(QStringLiteral("masked")).toArray(),
        QJsonArray { QStringLiteral("headers.Authorization") });

    // Saving again writes to the same entry, with no question.
    first->requestOptions()->addHeader(QStringLiteral("X-More"), QStringLiteral("1"));
    QVERIFY(first->saveToCollection());
    QCOMPARE(int(collection->children.size()), 1);

    // The Collections page opens it into a new tab (the tab that saved it is that entry's tab:
    // closed first, so that a new one opens).
    auto *panel = m_window->findChild<CollectionsPanel *>(QStringLiteral("collectionsPanel"));
    QVERIFY(panel);
    m_window->closeTab(m_window->tabs()->indexOf(first));
    const int before = m_window->tabCount();
    QVERIFY(panel->open(id));
    QCOMPARE(m_window->tabCount(), before + 1);
    ClientTab *opened = tab();
    QVERIFY(opened != first);
    QCOMPARE(opened->urlText(), url() + QStringLiteral("?room=1"));
    QCOMPARE(opened->title(), QStringLiteral("Echo room"));
    const ConnectionOptions o = opened->requestOptions()->options();
    QCOMPARE(o.headers,
        (HeaderList {
            { "Authorization", "" }, { "X-Trace", "7" }, { "X-More", "1" } })); // the secret stayed out
    QCOMPARE(o.subprotocols, QStringList { QStringLiteral("chat") });
    QCOMPARE(opened->state(), ClientConnection::State::Idle); // opened, not connected
    QVERIFY(!panel->open(QStringLiteral("no such entry")));
}

void tst_SavedMessages::periodicSendVisibleAndStoppable()
{
    QVERIFY(connectTab(tab()));
    QVERIFY(typeInComposer(tab(), QStringLiteral("tick {{counter}}")));
    PeriodicSendBar *bar = tab()->periodicBar();
    auto *interval = child<QSpinBox>(tab(), "periodicIntervalSpin");
    interval->setValue(40);
    auto *count = child<QSpinBox>(tab(), "periodicCountSpin");
    QCOMPARE(count->value(), 0);
    QCOMPARE(count->text(), QStringLiteral("until stopped"));
    auto *indicator = child<QLabel>(tab(), "periodicIndicator");
    QVERIFY(!indicator->isVisible());

    QTest::mouseClick(child<QPushButton>(tab(), "periodicStartButton"), Qt::LeftButton);
    QVERIFY(tab()->periodicSender()->isRunning());
    QVERIFY(indicator->isVisible());
    QVERIFY2(indicator->text().startsWith(QStringLiteral("Sending every 40 ms \u00b7 ")),
        qPrintable(indicator->text()));
    QTRY_VERIFY(m_server.received.size() >= 3);
    QTRY_VERIFY(indicator->text().contains(QStringLiteral("%1 sent").arg(tab()->periodicSender()->sent())));
    auto *stop = child<QPushButton>(tab(), "periodicStopButton");
    QVERIFY(stop->isVisible());
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(!tab()->periodicSender()->isRunning());
    QVERIFY(!indicator->isVisible());
    const int sent = tab()->periodicSender()->sent();
    QVERIFY2(bar->errorText().contains(QString::number(sent)), qPrintable(bar->errorText()));
    QTRY_COMPARE(m_server.received.size(), sent);
    for (int i = 0; i < sent; ++i)
        QCOMPARE(m_server.received.at(i), QStringLiteral("tick %1").arg(i + 1));
    QTRY_COMPARE(countRows(tab()->logModel(), Direction::In), sent);
    // The composer still holds the template.
    QCOMPARE(tab()->composer()->text(), QStringLiteral("tick {{counter}}"));

    // A count ends the run on its own.
    count->setValue(3);
    m_server.received.clear();
    QTest::mouseClick(child<QPushButton>(tab(), "periodicStartButton"), Qt::LeftButton);
    QTRY_VERIFY(!tab()->periodicSender()->isRunning());
    QTRY_COMPARE(m_server.received.size(), 3);
    QVERIFY(bar->errorText().contains(QLatin1String("3 sent")));
}

void tst_SavedMessages::periodicSendStopsWhenTheConnectionCloses()
{
    QVERIFY(connectTab(tab()));
    QVERIFY(typeInComposer(tab(), QStringLiteral("x")));
    child<QSpinBox>(tab(), "periodicIntervalSpin")->setValue(30);
    child<QSpinBox>(tab(), "periodicCountSpin")->setValue(1000);
    QTest::mouseClick(child<QPushButton>(tab(), "periodicStartButton"), Qt::LeftButton);
    QTRY_VERIFY(m_server.received.size() >= 2);
    QCOMPARE(m_server.sockets.size(), 1);
    m_server.sockets.first()->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("bye"));
    QTRY_VERIFY(!tab()->periodicSender()->isRunning());
    auto *message = child<QLabel>(tab(), "periodicMessage");
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(QLatin1String("connection closed")), qPrintable(message->text()));
    QVERIFY(!child<QLabel>(tab(), "periodicIndicator")->isVisible());
    // Dismissed, it goes.
    QTest::mouseClick(child<QToolButton>(tab(), "periodicDismissButton"), Qt::LeftButton);
    QVERIFY(!message->isVisible());
    // Not open: refused, said inline.
    QTest::mouseClick(child<QPushButton>(tab(), "periodicStartButton"), Qt::LeftButton);
    QVERIFY(!tab()->periodicSender()->isRunning());
    QVERIFY(message->text().contains(QLatin1String("Connect first")));
}

void tst_SavedMessages::periodicSendOfASavedMessage()
{
    QVERIFY(connectTab(tab()));
    tab()->savedMessages()->add(
        { QStringLiteral("Ping"), QStringLiteral("text"), QStringLiteral("p{{counter}}") });
    tab()->setSavedPanelVisible(true);
    child<QSpinBox>(tab(), "periodicIntervalSpin")->setValue(20);
    child<QSpinBox>(tab(), "periodicCountSpin")->setValue(2);
    child<QListView>(tab(), "localSavedList")->setCurrentIndex(tab()->savedMessages()->index(0));
    child<QAction>(tab()->savedPanel(), "localPeriodicAction")->trigger();
    QTRY_COMPARE(m_server.received, (QStringList { QStringLiteral("p1"), QStringLiteral("p2") }));
    QTRY_VERIFY(!tab()->periodicSender()->isRunning());
}

void tst_SavedMessages::controlsAreNamedAndDescribed()
{
    tab()->setSavedPanelVisible(true);
    const QStringList problems = guitest::unnamedControls(tab(),
        { "savedToggle", "saveMessageButton", "localSavedList", "globalSavedList", "localSavedSendButton",
            "localSavedEditButton", "localSavedDeleteButton", "localSavedMoreButton", "globalSavedSendButton",
            "globalSaveComposerButton", "localSaveComposerButton", "variablesButton", "periodicIntervalSpin",
            "periodicCountSpin", "periodicStartButton", "periodicStopButton", "periodicIndicator",
            "periodicDismissButton", "saveToCollectionButton" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    // Ctrl+B shows and hides the panel from the keyboard.
    tab()->setSavedPanelVisible(false);
    child<QPlainTextEdit>(tab(), "composerEdit")->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_B, Qt::ControlModifier);
    QVERIFY(tab()->isSavedPanelVisible());
    QCOMPARE(QApplication::focusWidget(), child<QWidget>(tab(), "localSavedList"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_B, Qt::ControlModifier);
    QVERIFY(!tab()->isSavedPanelVisible());
}

QTEST_MAIN(tst_SavedMessages)
#include "tst_SavedMessages.moc"
