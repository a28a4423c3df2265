// The Collections page of the workspace, driven through the real main window, on a collections
// folder of the test's own (a temporary directory): nothing touches the user's data folder.
#include "ClientTab.h"
#include "CollectionLink.h"
#include "CollectionsPanel.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "GuiTestSupport.h"
#include "HistoryPane.h"
#include "MainWindow.h"
#include "RequestOptionsWidget.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "WorkspaceDock.h"
#include "compose/ClientSettingsJson.h"
#include "compose/CollectionStore.h"
#include "compose/SavedMessage.h"
#include "messages/MessageLogModel.h"
#include "settings/AppSettings.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>

using namespace wst;
using namespace wst::guitest;

class tst_Collections : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pageIsFirstAndDescribed();
    void openEntryInATab();
    void openWithEnterAndServerSetup();
    void changeMarksTabAndSaveWritesFile();
    void literalSecretLeftOutAndSaid();
    void deleteAndUndo();
    void renameInline();
    void dragBetweenFolders();
    void filterByNameOrUrl();
    void saveTabHereSurvivesRestart();
    void historyViewGoesWithTheEntry();

private:
    QString dir() const { return m_dir.filePath(QStringLiteral("collections")); }
    QByteArray fileBytes() const;
    CollectionsPanel *panel() const
    {
        return m_window->findChild<CollectionsPanel *>(QStringLiteral("collectionsPanel"));
    }
    QString tabText(QWidget *page) const
    {
        return m_window->tabs()->tabText(m_window->tabs()->indexOf(page));
    }
    QModelIndex viewIndex(const QString &id) const;

    QTemporaryDir m_dir;
    AppSettings *m_settings = nullptr;
    EchoServer m_server;
    CollectionStore *m_store = nullptr;
    std::unique_ptr<MainWindow> m_window;
    QString m_collection;
    QString m_staging;
    QString m_feed;
};

void tst_Collections::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_settings = installSettings(this, m_dir);
    m_settings->setFirstRunDone(true);
    SessionController::setLiveFolder(m_dir.filePath(QStringLiteral("live")));
    QVERIFY(m_server.listen());
}

void tst_Collections::init()
{
    QDir(dir()).removeRecursively();
    m_store = new CollectionStore(dir(), this);
    CollectionStore::setInstance(m_store);
    m_collection = m_store->addCollection(QStringLiteral("Team"));
    m_staging = m_store->addFolder(m_collection, QStringLiteral("Staging"));
    ConnectionOptions options;
    options.url = QUrl(m_server.url() + QStringLiteral("/feed"));
    options.headers = { { "X-Trace", "7" }, { "Authorization", "Bearer {{token}}" } };
    QJsonObject settings = ClientSettingsJson::toJson(options);
    const QJsonArray messages {
        SavedMessage { QStringLiteral("hello"), QStringLiteral("text"), QStringLiteral("hi") }.toJson()
    };
    m_feed = m_store->addConnection(m_staging, QStringLiteral("Feed"), settings, messages);
    QVERIFY(!m_feed.isEmpty());
    Dialogs::clearNextAnswers();
    m_window = std::make_unique<MainWindow>();
    m_window->newClientTab();
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(panel());
    m_window->workspace()->showPage(panel());
}

void tst_Collections::cleanup()
{
    m_window.reset();
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (qobject_cast<MainWindow *>(w))
            delete w;
    }
    CollectionStore::setInstance(nullptr);
    delete m_store;
    m_store = nullptr;
}

QByteArray tst_Collections::fileBytes() const
{
    QFile file(QDir(dir()).filePath(QStringLiteral("team.json")));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QModelIndex tst_Collections::viewIndex(const QString &id) const
{
    auto *filter = qobject_cast<QSortFilterProxyModel *>(panel()->view()->model());
    return filter->mapFromSource(m_store->indexOf(id));
}

void tst_Collections::pageIsFirstAndDescribed()
{
    QCOMPARE(m_window->workspace()->pages()->widget(0), panel());
    QCOMPARE(m_window->workspace()->pages()->tabText(0), QStringLiteral("Collections"));
    const QStringList problems = unnamedControls(panel(), { "collectionsSearch", "collectionsTree" });
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
    // The Profiles menu is gone: profiles are collection entries now.
    QVERIFY(!m_window->findChild<QMenu *>(QStringLiteral("profilesMenu")));
    QVERIFY(m_window->findChild<QPushButton *>(QStringLiteral("saveToCollectionButton")));
}

void tst_Collections::openEntryInATab()
{
    const int before = m_window->tabCount();
    auto *tab = qobject_cast<ClientTab *>(panel()->open(m_feed));
    QVERIFY(tab);
    QCOMPARE(m_window->tabCount(), before + 1);
    QCOMPARE(m_window->currentTab(), tab);
    QCOMPARE(tab->urlText(), m_server.url() + QStringLiteral("/feed"));
    QCOMPARE(tab->requestOptions()->options().headers,
        (HeaderList { { "X-Trace", "7" }, { "Authorization", "Bearer {{token}}" } }));
    QCOMPARE(tab->savedMessages()->count(), 1);
    QCOMPARE(tab->state(), ClientConnection::State::Idle); // opened, not connected
    QCOMPARE(tabText(tab), QStringLiteral("Feed"));
    QVERIFY(!CollectionLink::of(tab)->isDirty());
    // Opening it again brings the same tab to the front.
    m_window->newClientTab();
    QCOMPARE(panel()->open(m_feed), tab);
    QCOMPARE(m_window->currentTab(), tab);
    QCOMPARE(panel()->open(m_staging), nullptr); // a folder opens nothing
}

void tst_Collections::openWithEnterAndServerSetup()
{
    const QString echo = m_store->addServer(m_collection, QStringLiteral("Echo 9"),
        QJsonObject {
            { QStringLiteral("port"), 0 }, { QStringLiteral("behaviour"), QStringLiteral("broadcast") } });
    QTreeView *view = panel()->view();
    view->setFocus();
    view->setCurrentIndex(viewIndex(echo));
    const int before = m_window->tabCount();
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(m_window->tabCount(), before + 1);
    auto *server = m_window->currentServerTab();
    QVERIFY(server);
    QCOMPARE(
        server->settingsJson().value(QStringLiteral("behaviour")).toString(), QStringLiteral("broadcast"));
    QCOMPARE(tabText(server), QStringLiteral("Echo 9"));
    QVERIFY(!CollectionLink::of(server)->isDirty());
}

void tst_Collections::changeMarksTabAndSaveWritesFile()
{
    QAction *saveSession = action(m_window.get(), "saveSessionAction");
    QAction *saveToCollection = action(m_window.get(), "saveToCollectionAction");
    const QKeySequence ctrlS(Qt::CTRL | Qt::Key_S);
    QCOMPARE(saveSession->shortcut(), ctrlS); // an unbound tab: Ctrl+S saves the session
    QVERIFY(saveToCollection->shortcut().isEmpty());

    auto *tab = qobject_cast<ClientTab *>(panel()->open(m_feed));
    QVERIFY(tab);
    QCOMPARE(saveToCollection->shortcut(), ctrlS);
    QVERIFY(saveSession->shortcut().isEmpty());
    const QString changed = m_server.url() + QStringLiteral("/other");
    tab->setUrlText(changed);
    QVERIFY(CollectionLink::of(tab)->isDirty());
    QVERIFY2(tabText(tab).startsWith(QStringLiteral("\u2022 ")), qPrintable(tabText(tab)));
    const QString tip = m_window->tabs()->tabToolTip(m_window->tabs()->indexOf(tab));
    QVERIFY2(tip.contains(QStringLiteral("Unsaved changes to the collection entry")), qPrintable(tip));
    QVERIFY(!fileBytes().contains("/other"));

    // Ctrl+S, as the user presses it.
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
    QVERIFY(fileBytes().contains("/other"));
    QVERIFY(!CollectionLink::of(tab)->isDirty());
    QCOMPARE(tabText(tab), QStringLiteral("Feed"));
    QCOMPARE(m_store->item(m_feed)->settings.value(QStringLiteral("url")).toString(), changed);

    // A decoder chosen is a change too, and goes to the entry with the rest.
    DecoderSetting msgpack;
    msgpack.codec = DecoderSetting::Codec::MessagePack;
    QVERIFY(tab->setDecoder(msgpack));
    QVERIFY(CollectionLink::of(tab)->isDirty());
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
    QVERIFY(!CollectionLink::of(tab)->isDirty());
    QCOMPARE(m_store->item(m_feed)->settings.value(QStringLiteral("decoder")).toObject(), msgpack.toJson());

    // A saved message added is a change too.
    tab->savedMessages()->add({ QStringLiteral("bye"), QStringLiteral("text"), QStringLiteral("bye") });
    QVERIFY(CollectionLink::of(tab)->isDirty());
    saveToCollection->trigger();
    QVERIFY(fileBytes().contains("\"bye\""));

    // Another tab, not from a collection: Ctrl+S is the session's again.
    m_window->newClientTab();
    QCOMPARE(saveSession->shortcut(), ctrlS);
    QVERIFY(saveToCollection->shortcut().isEmpty());
}

void tst_Collections::literalSecretLeftOutAndSaid()
{
    auto *tab = qobject_cast<ClientTab *>(panel()->open(m_feed));
    tab->requestOptions()->addHeader(QStringLiteral("Cookie"), QStringLiteral("sid=literal-cookie-42"));
    QVERIFY(CollectionLink::of(tab)->isDirty());
    QVERIFY(tab->saveToCollection());
    const QByteArray bytes = fileBytes();
    QVERIFY(!bytes.contains("literal-cookie-42"));
    QVERIFY(bytes.contains("Bearer {{token}}")); // a variable reference is no secret
    QVERIFY2(panel()->notice().contains(QStringLiteral("Cookie")), qPrintable(panel()->notice()));
    // The tab keeps its value (the user still has it) and is not marked: the file has all it may.
    QVERIFY(tab->settingsJson()
                .value(QStringLiteral("headers"))
                .toArray()
                .contains(QJsonArray { QStringLiteral("Cookie"), QStringLiteral("sid=literal-cookie-42") }));
    QVERIFY(!CollectionLink::of(tab)->isDirty());
}

void tst_Collections::deleteAndUndo()
{
    auto *tab = qobject_cast<ClientTab *>(panel()->open(m_feed));
    QTreeView *view = panel()->view();
    view->setFocus();
    view->setCurrentIndex(viewIndex(m_feed));
    QTest::keyClick(view, Qt::Key_Delete);
    QVERIFY(!m_store->item(m_feed));
    QVERIFY(!fileBytes().contains("Feed"));
    QVERIFY2(panel()->notice().contains(QStringLiteral("Deleted")), qPrintable(panel()->notice()));
    // The tab is no longer bound: Ctrl+S saves the session.
    QCOMPARE(action(m_window.get(), "saveSessionAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_S));
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(m_store->item(m_feed));
    QCOMPARE(m_store->item(m_feed)->parent->id, m_staging);
    QVERIFY(fileBytes().contains("Feed"));
    QCOMPARE(CollectionStore(dir()).item(m_feed)->name, QStringLiteral("Feed"));
    QCOMPARE(
        action(m_window.get(), "saveToCollectionAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_S));
    QCOMPARE(m_window->currentTab(), tab);
}

void tst_Collections::renameInline()
{
    QTreeView *view = panel()->view();
    view->setFocus();
    view->setCurrentIndex(viewIndex(m_feed));
    const QString tabTitle = m_window->currentPage()->title();
    QTest::keyClick(view, Qt::Key_F2);
    auto *editor = view->findChild<QLineEdit *>();
    QVERIFY(editor);
    QTRY_VERIFY(editor->hasFocus());
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Live feed"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(m_store->item(m_feed)->name, QStringLiteral("Live feed"));
    QVERIFY(fileBytes().contains("Live feed"));
    QCOMPARE(m_window->currentPage()->title(), tabTitle); // F2 did not rename the tab

    // Ctrl+Z in the tree takes the rename back (in the file too); redo makes it again.
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_store->item(m_feed)->name, QStringLiteral("Feed"));
    QCOMPARE(CollectionStore(dir()).item(m_feed)->name, QStringLiteral("Feed"));
    auto *undo = panel()->findChild<QUndoStack *>();
    QVERIFY(undo && undo->canRedo());
    undo->redo();
    QCOMPARE(m_store->item(m_feed)->name, QStringLiteral("Live feed"));
}

void tst_Collections::dragBetweenFolders()
{
    const QString prod = m_store->addFolder(m_collection, QStringLiteral("Production"));
    const int feedRow = m_store->item(m_feed)->row();
    QAbstractItemModel *model = panel()->view()->model();
    std::unique_ptr<QMimeData> mime(model->mimeData({ viewIndex(m_feed) }));
    QVERIFY(mime);
    // Dropped on the folder (the view says row and column -1), as the view hands it to the model.
    QVERIFY(model->canDropMimeData(mime.get(), Qt::MoveAction, -1, -1, viewIndex(prod)));
    QVERIFY(
        !model->canDropMimeData(mime.get(), Qt::MoveAction, -1, -1, viewIndex(m_feed))); // not on an entry
    model->dropMimeData(mime.get(), Qt::MoveAction, -1, -1, viewIndex(prod));
    QCOMPARE(m_store->item(m_feed)->parent->id, prod);
    QCOMPARE(CollectionStore(dir()).item(m_feed)->parent->id, prod);
    // Dropped between the rows of a folder: at that place.
    const QString second = m_store->addConnection(m_staging, QStringLiteral("Second"), QJsonObject(), {});
    const int secondRow = m_store->item(second)->row();
    std::unique_ptr<QMimeData> again(model->mimeData({ viewIndex(second) }));
    model->dropMimeData(again.get(), Qt::MoveAction, 0, 0, viewIndex(prod));
    QCOMPARE(m_store->item(second)->parent->id, prod);
    QCOMPARE(m_store->item(second)->row(), 0);
    QCOMPARE(m_store->item(m_feed)->row(), 1);

    // Within one folder: Second to the end, after Feed.
    std::unique_ptr<QMimeData> down(model->mimeData({ viewIndex(second) }));
    model->dropMimeData(down.get(), Qt::MoveAction, 2, 0, viewIndex(prod));
    QCOMPARE(m_store->item(second)->row(), 1);
    // Each drag is undone in turn, back to where it was (in the files too).
    auto *undo = panel()->findChild<QUndoStack *>();
    QVERIFY(undo);
    undo->undo();
    QCOMPARE(m_store->item(second)->parent->id, prod);
    QCOMPARE(m_store->item(second)->row(), 0);
    undo->undo();
    QCOMPARE(m_store->item(second)->parent->id, m_staging);
    QCOMPARE(m_store->item(second)->row(), secondRow);
    undo->undo();
    QCOMPARE(m_store->item(m_feed)->parent->id, m_staging);
    QCOMPARE(m_store->item(m_feed)->row(), feedRow);
    QCOMPARE(CollectionStore(dir()).item(m_feed)->parent->id, m_staging);
    undo->redo();
    QCOMPARE(m_store->item(m_feed)->parent->id, prod);
}

void tst_Collections::filterByNameOrUrl()
{
    m_store->addConnection(m_collection, QStringLiteral("Other"),
        QJsonObject { { QStringLiteral("url"), QStringLiteral("wss://elsewhere.example/") } }, {});
    QTreeView *view = panel()->view();
    auto *search = child<QLineEdit>(panel(), "collectionsSearch");
    QTest::keyClicks(search, QStringLiteral("/feed"));
    QVERIFY(viewIndex(m_feed).isValid());
    QCOMPARE(view->model()->rowCount(viewIndex(m_collection)), 1); // Staging, which holds Feed
    search->clear();
    QTest::keyClicks(search, QStringLiteral("OTHER"));
    QVERIFY(!viewIndex(m_feed).isValid());
    QCOMPARE(view->model()->rowCount(viewIndex(m_collection)), 1);
    search->clear();
    QCOMPARE(view->model()->rowCount(viewIndex(m_collection)), 2);
}

void tst_Collections::saveTabHereSurvivesRestart()
{
    ClientTab *tab = m_window->currentTab();
    tab->setUrlText(m_server.url() + QStringLiteral("/kept"));
    panel()->view()->setCurrentIndex(viewIndex(m_staging));
    Dialogs::setNextText(QStringLiteral("Kept"));
    const QString id = panel()->saveCurrentTabHere();
    QVERIFY(!id.isEmpty());
    QCOMPARE(m_store->item(id)->parent->id, m_staging);
    QCOMPARE(CollectionLink::of(tab)->entryId(), id);
    tab->setUrlText(m_server.url() + QStringLiteral("/kept2"));
    QVERIFY(CollectionLink::of(tab)->isDirty());

    const QString file = m_dir.filePath(QStringLiteral("bound.wstsession"));
    Dialogs::setNextSaveFileName(file);
    QVERIFY(m_window->saveSessionAs());

    // A new store (as after a restart) reads the same; a new window binds the tab again.
    m_window.reset();
    CollectionStore::setInstance(nullptr);
    delete m_store;
    m_store = new CollectionStore(dir(), this);
    CollectionStore::setInstance(m_store);
    QCOMPARE(m_store->item(id)->settings.value(QStringLiteral("url")).toString(),
        m_server.url() + QStringLiteral("/kept"));
    m_window = std::make_unique<MainWindow>();
    QCOMPARE(m_window->openSession(file), m_window.get());
    ClientTab *back = m_window->tabAt(0);
    QVERIFY(back);
    QVERIFY(CollectionLink::of(back));
    QCOMPARE(CollectionLink::of(back)->entryId(), id);
    QVERIFY(CollectionLink::of(back)->isDirty()); // /kept2 was never saved to the entry
    QVERIFY(viewIndex(id).isValid());
}

// The history's JSON columns and sort are part of an entry: changing them marks the tab, Ctrl+S
// keeps them in the file, and the entry opens with them; a bad one is skipped, with a notice.
void tst_Collections::historyViewGoesWithTheEntry()
{
    auto *tab = qobject_cast<ClientTab *>(panel()->open(m_feed));
    QVERIFY(tab);
    QVERIFY(!CollectionLink::of(tab)->isDirty());
    HistoryPane *history = tab->historyPane();
    QString error;
    QVERIFY2(history->addJsonColumn(QStringLiteral("$.price"), &error), qPrintable(error));
    QVERIFY(CollectionLink::of(tab)->isDirty());
    history->sortByColumn(MessageLogModel::ColumnCount, Qt::DescendingOrder);
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
    QVERIFY(!CollectionLink::of(tab)->isDirty());
    QVERIFY(fileBytes().contains("$.price"));
    const QJsonObject kept = m_store->item(m_feed)->settings.value(QStringLiteral("historyView")).toObject();
    QCOMPARE(kept, history->viewStateJson());

    // Opened again (the tab closed first), the entry brings its columns and sort back.
    const QPointer<ClientTab> closed(tab);
    m_window->closeTab(m_window->tabs()->indexOf(tab));
    QTRY_VERIFY(!closed || m_window->tabs()->indexOf(closed) < 0);
    auto *again = qobject_cast<ClientTab *>(panel()->open(m_feed));
    QVERIFY(again && again != tab);
    QCOMPARE(again->historyPane()->jsonColumns(), QStringList { QStringLiteral("$.price") });
    QCOMPARE(again->historyPane()->viewStateJson(), kept);
    QVERIFY(!CollectionLink::of(again)->isDirty());

    // A path that is not one is skipped when the entry opens, and said.
    m_window->closeTab(m_window->tabs()->indexOf(again));
    QJsonObject settings = m_store->item(m_feed)->settings;
    settings.insert(QStringLiteral("historyView"),
        QJsonObject { { QStringLiteral("jsonColumns"), QJsonArray { QStringLiteral("price[") } } });
    QVERIFY(m_store->updateEntry(m_feed, settings, m_store->item(m_feed)->messages));
    auto *third = qobject_cast<ClientTab *>(panel()->open(m_feed));
    QVERIFY(third);
    QVERIFY(third->historyPane()->jsonColumns().isEmpty());
    const QString notice = panel()->findChild<QLabel *>(QStringLiteral("collectionsNotice"))->text();
    QVERIFY2(notice.contains(QStringLiteral("price[")), qPrintable(notice));
}

QTEST_MAIN(tst_Collections)
#include "tst_Collections.moc"
