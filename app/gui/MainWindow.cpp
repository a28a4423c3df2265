#include "MainWindow.h"

#include "ActionRegistry.h"
#include "ChartsDock.h"
#include "ClientTab.h"
#include "CollectionsPanel.h"
#include "ConnectionHistoryPanel.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "EnvironmentsPanel.h"
#include "FirstLaunchHint.h"
#include "GuiHelpers.h"
#include "HelpMenu.h"
#include "LanguageMenu.h"
#include "ProxyTab.h"
#include "ScenarioRecording.h"
#include "ServerTab.h"
#include "SessionController.h"
#include "SessionFileActions.h"
#include "StatisticsDialog.h"
#include "TestsPanel.h"
#include "ThemeMenu.h"
#include "WorkspaceDock.h"
#include "capture/ConnectionHistoryBinder.h"
#include "compose/ConnectionHistory.h"
#include "compose/EnvironmentLibrary.h"
#include "compose/SavedMessage.h"
#include "compose/SessionEnvironment.h"
#include "server/LocalServer.h"
#include "server/ServerOptions.h"
#include "session/SessionReader.h"
#include "session/SessionSchema.h"
#include "settings/AppSettings.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace wst {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_actions(new ActionRegistry(this))
    , m_tabs(new ConnectionTabWidget(this))
    , m_hint(new FirstLaunchHint(this))
    , m_statusState(new QLabel(this))
    , m_statusCounters(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(gui::icon(QStringLiteral("wstester")));

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_hint);
    centralLayout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    m_workspace = new WorkspaceDock(this);
    addDockWidget(Qt::LeftDockWidgetArea, m_workspace);
    m_workspace->addPage(new CollectionsPanel(m_tabs, m_actions, this), tr("Collections"));
    m_connectionHistory
        = new ConnectionHistoryPanel(ConnectionHistory::instance(), [this] { return newClientTab(); });
    m_workspace->addPage(m_connectionHistory, tr("History"));

    m_statusState->setObjectName(QStringLiteral("statusState"));
    m_statusCounters->setObjectName(QStringLiteral("statusCounters"));
    m_statusCounters->setMinimumWidth(1); // cut on a narrow window rather than widen it
    statusBar()->addWidget(m_statusState, 1);
    statusBar()->addPermanentWidget(m_statusCounters);

    createSessionState();
    auto *tests = new TestsPanel(
        m_tabs, m_environment, [this] { return newClientTab(); }, this);
    m_workspace->addPage(tests, tr("Tests"));
    m_session = new SessionController(m_tabs, m_environment, this);
    QString sessionError;
    // Without a session file nothing can leave memory: a tab keeps every message it receives.
    if (!m_session->startNew(&sessionError))
        statusBar()->showMessage(
            sessionError + u' ' + tr("Without a session file every message stays in memory."));
    connect(m_session, &SessionController::changed, this, &MainWindow::updateWindowTitle);
    m_files = new SessionFileActions(m_actions, m_session, m_tabs, this);
    connect(m_files, &SessionFileActions::openRequested, this,
        [this](const QString &path) { openSession(path); });
    connect(m_files, &SessionFileActions::importReady, this, &MainWindow::importSession);
    connect(m_files, &SessionFileActions::message, statusBar(), &QStatusBar::showMessage);
    connect(m_connectionHistory, &ConnectionHistoryPanel::message, statusBar(), &QStatusBar::showMessage);
    connectActions();
    createMenus();
    // File > Create Test from Session; ScenarioRecording::of(this) finds it. A test saved from it
    // opens in the Tests panel (unless the panel has changes the user keeps).
    connect(new ScenarioRecording(this), &ScenarioRecording::scenarioCreated, tests,
        [this, tests](const QString &path) {
            if (!tests->isRunning() && tests->confirmDiscard() && tests->openFile(path))
                m_workspace->showPage(tests);
        });
    updateWindowTitle();

    m_tabs->setContextActions({ m_actions->action(QStringLiteral("newConnectionAction")),
        m_actions->action(QStringLiteral("newServerAction")),
        m_actions->action(QStringLiteral("newProxyAction")) });
    connect(m_tabs, &ConnectionTabWidget::newClientRequested, this, &MainWindow::newClientTab);
    connect(m_tabs, &ConnectionTabWidget::newServerRequested, this, &MainWindow::newServerTab);
    connect(m_tabs, &ConnectionTabWidget::closeRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::onCurrentChanged);
    connect(m_tabs, &ConnectionTabWidget::pageChanged, this, [this](ConnectionPage *page) {
        if (page == m_tabs->currentPage())
            updateStatusBar();
    });
    connect(m_tabs, &ConnectionTabWidget::closingFinished, this, [this] {
        if (m_windowClosing) // back to closeEvent(), now that every close handshake is over
            QTimer::singleShot(0, this, [this] { close(); });
    });
    connect(m_hint, &FirstLaunchHint::dismissed, this, [this] {
        if (QWidget *current = m_tabs->currentWidget())
            current->setFocus(Qt::OtherFocusReason);
    });

    AppSettings *settings = AppSettings::instance();
    if (!restoreGeometry(settings->windowGeometry())) {
        const QSize available = screen() ? screen()->availableSize() : QSize(1280, 900);
        resize(qMin(1280, available.width() * 9 / 10), qMin(900, available.height() * 9 / 10));
    }
    // First run on a narrow screen (800×600): the tabs keep the whole width; F9 shows the sidebar.
    if (!restoreState(settings->windowState())) {
        if (screen() && screen()->availableSize().width() < 1200)
            m_workspace->hide();
        else // a sidebar, not half the window: the tabs keep the room
            resizeDocks({ m_workspace },
                { qMax(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 44, width() / 5) },
                Qt::Horizontal);
    }
    updateStatusBar();
    retranslateUi();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    ActionRegistry::retranslate(this);
    m_statusState->setAccessibleName(tr("Connection state"));
    m_statusCounters->setAccessibleName(tr("Message counters"));
    const auto on = [this](const char *id) { return m_actions->action(QLatin1StringView(id)); };
    if (auto *file = findChild<QMenu *>(QStringLiteral("fileMenu")))
        file->setTitle(tr("&File"));
    if (auto *view = findChild<QMenu *>(QStringLiteral("viewMenu")))
        view->setTitle(tr("&View"));
    if (auto *toolbar = findChild<QToolBar *>(QStringLiteral("mainToolBar"))) {
        toolbar->setWindowTitle(tr("Main"));
        gui::describe(toolbar->widgetForAction(on("newConnectionAction")),
            QStringLiteral("newConnectionToolButton"), tr("New connection"),
            on("newConnectionAction")->toolTip());
        gui::describe(toolbar->widgetForAction(on("newServerAction")), QStringLiteral("newServerToolButton"),
            tr("New local server"), on("newServerAction")->toolTip());
    }
    // A page's tab follows the page's window title (WorkspaceDock).
    if (auto *collections = findChild<CollectionsPanel *>())
        collections->setWindowTitle(tr("Collections"));
    m_connectionHistory->setWindowTitle(tr("History"));
    // The pages retranslate after the window (children after their parent): their texts are
    // read once they have.
    QTimer::singleShot(0, this, [this] {
        if (!m_destroying)
            updateStatusBar();
    });
}

MainWindow::~MainWindow()
{
    // QWidget's destructor closes a visible window: no questions then.
    m_destroying = true;
    // QMainWindow's destructor hides the dock after this one has run: nothing of it may come back here.
    m_workspace->disconnect(this);
    for (ChartsDock *charts : findChildren<ChartsDock *>(Qt::FindDirectChildrenOnly))
        charts->disconnect(this);
    // The pages go first, while this window is whole: nothing they or the tab widget say on
    // their way out may reach a slot of a window whose members are already gone.
    m_tabs->disconnect(this);
    m_tabs->disconnect(m_session);
    for (ConnectionPage *page : m_tabs->pages())
        page->disconnect(this);
    delete m_tabs;
    m_tabs = nullptr;
}

void MainWindow::connectActions()
{
    const auto on = [this](const char *id) { return m_actions->action(QLatin1StringView(id)); };
    connect(on("newConnectionAction"), &QAction::triggered, this, &MainWindow::newClientTab);
    connect(on("newServerAction"), &QAction::triggered, this, &MainWindow::newServerTab);
    connect(on("newProxyAction"), &QAction::triggered, this, &MainWindow::newProxyTab);
    connect(on("newWindowAction"), &QAction::triggered, this, [] { newWindow(); });
    connect(on("closeTabAction"), &QAction::triggered, this, [this] { closeTab(m_tabs->currentIndex()); });
    connect(on("renameTabAction"), &QAction::triggered, this, [this] { renameTab(m_tabs->currentIndex()); });
    connect(on("closeWindowAction"), &QAction::triggered, this, &MainWindow::close);
    connect(
        on("quitAction"), &QAction::triggered, qApp, &QApplication::closeAllWindows, Qt::QueuedConnection);
}

void MainWindow::createMenus()
{
    const auto on = [this](const char *id) { return m_actions->action(QLatin1StringView(id)); };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addActions(
        { on("newConnectionAction"), on("newServerAction"), on("newProxyAction"), on("newWindowAction") });
    file->addSeparator();
    file->addAction(on("openSessionAction"));
    file->addMenu(m_files->recentMenu());
    file->addActions({ on("saveSessionAction"), on("saveSessionAsAction"), on("saveToCollectionAction") });
    file->addSeparator();
    file->addActions({ on("importHarAction"), on("exportAction") });
    file->addSeparator();
    file->addActions({ on("closeTabAction"), on("renameTabAction"), on("closeWindowAction") });
    file->addSeparator();
    file->addAction(on("quitAction"));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    auto *language = new LanguageMenu(this);
    connect(language, &LanguageMenu::message, statusBar(), &QStatusBar::showMessage);
    view->addMenu(language);
    auto *themes = new ThemeMenu(this);
    connect(themes, &ThemeMenu::message, statusBar(), &QStatusBar::showMessage);
    view->addMenu(themes);
    view->addSeparator();
    QAction *workspace = on("workspaceAction");
    workspace->setCheckable(true);
    workspace->setChecked(m_workspace->isVisible());
    connect(workspace, &QAction::toggled, m_workspace, &QDockWidget::setVisible);
    connect(m_workspace, &QDockWidget::visibilityChanged, this, [this, workspace] {
        // visibilityChanged also says "hidden" when the dock is only tabbed away or the window
        // minimized: the action follows what the user chose, not what is on screen.
        if (!m_destroying && isVisible())
            workspace->setChecked(!m_workspace->isHidden());
    });
    view->addAction(workspace);
    // The charts of the current tab in a dock at the bottom (F7), hidden until asked for.
    auto *charts = new ChartsDock(m_tabs, this);
    addDockWidget(Qt::BottomDockWidgetArea, charts);
    charts->hide();
    QAction *chartsAction = on("chartsAction");
    chartsAction->setCheckable(true);
    connect(chartsAction, &QAction::toggled, charts, &QDockWidget::setVisible);
    // isHidden(): what the user chose (restoreState() included), not whether it is on screen.
    connect(charts, &QDockWidget::visibilityChanged, this, [this, charts, chartsAction] {
        if (!m_destroying)
            chartsAction->setChecked(!charts->isHidden());
    });
    view->addAction(chartsAction);
    connect(on("statisticsAction"), &QAction::triggered, this, [this] {
        if (ConnectionPage *page = currentPage())
            StatisticsDialog::showFor(ChartsDock::samplerFor(page), page->title(), this);
    });
    view->addAction(on("statisticsAction"));
    connect(on("decoderAction"), &QAction::triggered, this, [this] {
        if (auto *client = qobject_cast<ClientTab *>(currentPage()))
            client->editDecoder();
        else
            statusBar()->showMessage(tr("A decoder belongs to a client tab: open one first."), 5000);
    });
    view->addAction(on("decoderAction"));

    menuBar()->addMenu(new HelpMenu(m_actions, this));

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(18, 18));
    toolbar->addActions({ on("newConnectionAction"), on("newServerAction") });
    EnvironmentsPanel::addTo(m_workspace, toolbar, m_environment);
    gui::describe(toolbar->widgetForAction(on("newConnectionAction")),
        QStringLiteral("newConnectionToolButton"), tr("New connection"),
        on("newConnectionAction")->toolTip());
    gui::describe(toolbar->widgetForAction(on("newServerAction")), QStringLiteral("newServerToolButton"),
        tr("New local server"), on("newServerAction")->toolTip());
}

void MainWindow::createSessionState()
{
    m_environment = new SessionEnvironment(this);
    m_environment->setObjectName(QStringLiteral("sessionEnvironment"));
    m_environment->setLibrary(EnvironmentLibrary::instance());
    m_globalSaved = new SavedMessageList(this);
    m_globalSaved->setObjectName(QStringLiteral("globalSavedMessages"));
    AppSettings *settings = AppSettings::instance();
    m_globalSaved->fromJson(QJsonDocument::fromJson(settings->globalSavedMessagesJson().toUtf8()).array());
    connect(m_globalSaved, &SavedMessageList::changed, this, [this] {
        AppSettings::instance()->setGlobalSavedMessagesJson(
            QString::fromUtf8(QJsonDocument(m_globalSaved->toJson()).toJson(QJsonDocument::Compact)));
    });
}

QTabWidget *MainWindow::tabs() const
{
    return m_tabs;
}

int MainWindow::tabCount() const
{
    return m_tabs->count();
}

ConnectionPage *MainWindow::pageAt(int index) const
{
    return m_tabs->page(index);
}

ConnectionPage *MainWindow::currentPage() const
{
    return m_tabs->currentPage();
}

int MainWindow::closingTabCount() const
{
    return m_tabs->closingCount();
}

// The code that makes tabs: the only place that knows their concrete kinds.

ClientTab *MainWindow::makeClientTab()
{
    auto *tab = new ClientTab(m_tabs);
    tab->setEnvironment(m_environment);
    tab->setGlobalSavedMessages(m_globalSaved);
    ConnectionHistoryBinder::follow(
        tab->clientConnection(), ConnectionHistory::instance(), [tab] { return tab->settingsJson(); });
    m_tabs->addPage(tab);
    return tab;
}

ServerTab *MainWindow::makeServerTab()
{
    auto *tab = new ServerTab(m_tabs);
    tab->setEnvironment(m_environment);
    // The same path as a URL on the command line.
    connect(tab, &ServerTab::openClientRequested, this, [this](const QUrl &url) { openUrl(url.toString()); });
    m_tabs->addPage(tab);
    return tab;
}

ProxyTab *MainWindow::makeProxyTab()
{
    auto *tab = new ProxyTab(m_tabs);
    connect(tab, &ProxyTab::openClientRequested, this, [this](const QUrl &url) { openUrl(url.toString()); });
    m_tabs->addPage(tab);
    return tab;
}

ProxyTab *MainWindow::newProxyTab()
{
    ProxyTab *tab = makeProxyTab();
    m_session->pageAdded(tab);
    showPage(tab);
    return tab;
}

ClientTab *MainWindow::newClientTab()
{
    ClientTab *tab = makeClientTab();
    m_session->pageAdded(tab);
    showPage(tab);
    return tab;
}

ServerTab *MainWindow::newServerTab()
{
    ServerTab *tab = makeServerTab();
    m_session->pageAdded(tab);
    showPage(tab);
    return tab;
}

void MainWindow::showPage(ConnectionPage *page)
{
    m_tabs->setCurrentWidget(page);
    page->setFocus(Qt::OtherFocusReason);
}

ClientTab *MainWindow::openUrl(const QString &url)
{
    ClientTab *tab = newClientTab();
    tab->setUrlText(url);
    tab->connectToServer();
    return tab;
}

ClientTab *MainWindow::openStartupTabs(const QString &url)
{
    AppSettings *settings = AppSettings::instance();
    const bool firstRun = !settings->firstRunDone();
    // A launch with a URL counts as well: whoever passes one knows what to connect to.
    settings->setFirstRunDone(true);
    if (!url.isEmpty())
        return openUrl(url);
    if (!firstRun)
        return newClientTab();
    return openFirstLaunchTabs();
}

ClientTab *MainWindow::openFirstLaunchTabs()
{
    m_session->setFirstLaunchDemo(); // quitting right away asks nothing

    ServerTab *server = newServerTab();
    server->setOptions(ServerOptions()); // echo on 127.0.0.1, any free port
    // The client tab follows once the server listens; the guard makes this happen once.
    auto *guard = new QObject(server);
    connect(
        server->server(), &LocalServer::stateChanged, guard, [this, server, guard](LocalServer::State state) {
            if (state == LocalServer::State::Listening)
                m_hint->attach(openUrl(server->server()->url().toString()), server);
            else if (state == LocalServer::State::Error)
                newClientTab(); // the server tab says why it did not start
            else
                return;
            server->server()->disconnect(guard);
            guard->deleteLater();
        });
    if (!server->start()) {
        delete guard;
        return newClientTab();
    }
    return nullptr;
}

void MainWindow::restore(const SessionContents &contents)
{
    for (const SessionTab &saved : contents.tabs) {
        ConnectionPage *page = nullptr;
        if (saved.isServer())
            page = makeServerTab();
        else if (saved.isProxy())
            page = makeProxyTab();
        else
            page = makeClientTab();
        showPage(page);
        m_session->restorePage(page, saved, contents);
    }
    const int current = SessionController::currentIndex(contents);
    if (current >= 0 && current < m_tabs->count())
        m_tabs->setCurrentIndex(current);
    m_session->restoreFinished();
    updateStatusBar();
}

// Closing tabs and the window.

void MainWindow::closeTab(int index)
{
    ConnectionPage *page = m_tabs->page(index);
    if (!page)
        return;
    if (!m_windowClosing)
        m_session->pageRemoved(page); // closing the window keeps the tabs in the session
    m_hint->forget(page);
    page->disconnect(this);
    m_tabs->closePage(index);
    onCurrentChanged();
    if (QWidget *current = m_tabs->currentWidget())
        current->setFocus(Qt::OtherFocusReason);
}

void MainWindow::renameTab(int index)
{
    m_tabs->renamePage(index);
}

QString MainWindow::tabName(QWidget *page) const
{
    auto *connectionPage = qobject_cast<ConnectionPage *>(page);
    return connectionPage ? connectionPage->customTitle() : QString();
}

void MainWindow::setTabName(QWidget *page, const QString &name)
{
    if (auto *connectionPage = qobject_cast<ConnectionPage *>(page))
        connectionPage->setCustomTitle(name);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_windowClosing && !m_destroying && !m_session->confirmClose()) {
        event->ignore();
        return;
    }
    if (!m_windowClosing) {
        AppSettings *settings = AppSettings::instance();
        settings->setWindowGeometry(saveGeometry());
        settings->setWindowState(saveState());
        if (ConnectionPage *page = currentPage(); page && !page->saveSplitterState().isEmpty())
            settings->setHistorySplitterState(page->saveSplitterState());
        settings->sync();
        m_windowClosing = true;
        while (m_tabs->count() > 0)
            closeTab(m_tabs->count() - 1);
    }
    if (m_tabs->closingCount() > 0) {
        // Back here once the last close handshake is over (closingFinished).
        statusBar()->showMessage(tr("Closing connections\u2026"));
        m_tabs->setEnabled(false);
        event->ignore();
        return;
    }
    m_session->finish();
    event->accept();
}

// Status bar and title.

void MainWindow::onCurrentChanged()
{
    updateStatusBar();
    m_hint->follow(m_tabs->currentWidget());
}

void MainWindow::updateStatusBar()
{
    ConnectionPage *page = currentPage();
    m_statusState->setText(page ? page->statusText() : QString());
    m_statusCounters->setText(page ? page->countersText() : QString());
    m_actions->action(QStringLiteral("closeTabAction"))->setEnabled(page != nullptr);
    m_actions->action(QStringLiteral("renameTabAction"))->setEnabled(page != nullptr);
    updateWindowTitle();
}

void MainWindow::updateWindowTitle()
{
    if (!m_session)
        return;
    // "[*]" is where Qt puts the unsaved mark.
    if (ConnectionPage *page = currentPage())
        setWindowTitle(tr("%1[*] \u2014 %2 \u2014 wstester").arg(m_session->displayName(), page->title()));
    else
        setWindowTitle(tr("%1[*] \u2014 wstester").arg(m_session->displayName()));
    setWindowModified(m_session->needsSaving());
}

// Sessions: opening one and making new windows.

MainWindow *MainWindow::newWindow()
{
    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->newClientTab();
    window->show();
    return window;
}

MainWindow *MainWindow::openSession(const QString &path, bool recover)
{
    // A session open in a window already is brought to the front, not opened a second time.
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        auto *window = qobject_cast<MainWindow *>(widget);
        if (!recover && !canonical.isEmpty() && window && !window->m_windowClosing
            && QFileInfo(window->m_session->filePath()).canonicalFilePath() == canonical) {
            window->show();
            window->raise();
            window->activateWindow();
            return window;
        }
    }
    MainWindow *target = this;
    if (!m_session->isPristine()) {
        target = new MainWindow;
        target->setAttribute(Qt::WA_DeleteOnClose);
    }
    QString error;
    // A file that a killed wstester left unfinished never held a message: it becomes a new empty
    // session, and the user is told.
    QString notice;
    if (!recover && Schema::replaceUnfinished(path, &notice, &error) == Schema::Unfinished::Replaced)
        Dialogs::information(this, tr("Open Session"), notice);
    if (!error.isEmpty() || !Schema::checkFile(path, &error)) {
        Dialogs::warning(this, tr("Open Session"), error);
        if (!recover)
            AppSettings::instance()->removeRecentSession(path);
        if (target != this)
            target->close();
        return nullptr;
    }
    // The tabs of an empty window make way for the session's (they hold nothing).
    while (target->m_tabs->count() > 0) {
        ConnectionPage *page = target->m_tabs->page(0);
        target->m_session->pageRemoved(page);
        target->m_tabs->removeTab(0);
        page->deleteLater();
    }
    SessionContents contents;
    if (!target->m_session->open(path, &error, recover, &contents)) {
        Dialogs::warning(this, tr("Open Session"), error);
        if (target != this)
            target->close();
        else
            newClientTab();
        return nullptr;
    }
    target->restore(contents);
    target->show();
    return target;
}

bool MainWindow::saveSession()
{
    return m_files->save();
}

bool MainWindow::saveSessionAs()
{
    return m_files->saveAs();
}

void MainWindow::importSession(const QString &imported, const QString &har)
{
    MainWindow *shown = openSession(imported);
    SessionController::removeLiveFile(imported); // the window works on its own copy
    if (shown) {
        // Imported, not saved anywhere yet: the session is the HAR's until the user saves it.
        shown->m_session->forgetFile();
        shown->statusBar()->showMessage(tr("Imported %1").arg(QDir::toNativeSeparators(har)), 5000);
    }
}

} // namespace wst
