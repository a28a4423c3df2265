#include "MainWindow.h"

#include "ClientTab.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "ServerTab.h"
#include "HistoryPane.h"
#include "SessionController.h"
#include "TransferDialogs.h"
#include "server/LocalServer.h"
#include "server/ServerOptions.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"
#include "compose/ClientSettingsJson.h"
#include "compose/ConnectionProfile.h"
#include "compose/SavedMessage.h"
#include "compose/SessionEnvironment.h"
#include "settings/AppSettings.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <QFileInfo>
#include <QFrame>
#include <QJsonDocument>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

namespace {

// How long a closed tab may take to finish its close handshake before its socket is aborted.
constexpr int CloseGraceMs = 3000;

ClientConnection::State iconState(LocalServer::State state)
{
    switch (state) {
    case LocalServer::State::Listening:
        return ClientConnection::State::Open;
    case LocalServer::State::Error:
        return ClientConnection::State::Error;
    case LocalServer::State::Stopped:
        break;
    }
    return ClientConnection::State::Idle;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_stack(new QStackedWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_emptyPage(new QWidget(this))
    , m_statusState(new QLabel(this))
    , m_statusCounters(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(gui::icon(QStringLiteral("wstester")));

    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setAccessibleName(tr("Connections"));
    m_tabs->setToolTip(
        tr("One tab per connection or local server. Double-click a tab to rename it; drag to reorder."));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->tabBar()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tabs->tabBar()->setAccessibleName(tr("Connection tabs"));
    auto *newTabButton = new QToolButton(m_tabs);
    gui::describe(newTabButton, QStringLiteral("newTabButton"), tr("New connection"),
        tr("Open a tab for a new connection (Ctrl+T)"));
    newTabButton->setIcon(gui::icon(QStringLiteral("add")));
    newTabButton->setAutoRaise(true);
    newTabButton->setFocusPolicy(Qt::NoFocus); // Ctrl+T does the same from the keyboard
    m_tabs->setCornerWidget(newTabButton, Qt::TopRightCorner);
    connect(newTabButton, &QToolButton::clicked, this, &MainWindow::newClientTab);

    // Shown when the last tab is closed, so the window never looks broken.
    m_emptyPage->setObjectName(QStringLiteral("emptyPage"));
    auto *emptyLayout = new QVBoxLayout(m_emptyPage);
    auto *emptyIcon = new QLabel(m_emptyPage);
    emptyIcon->setPixmap(gui::icon(QStringLiteral("wstester")).pixmap(64, 64));
    auto *emptyText = new QLabel(tr("No connection open"), m_emptyPage);
    emptyText->setAlignment(Qt::AlignCenter);
    QFont emptyFont = emptyText->font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.3);
    emptyText->setFont(emptyFont);
    auto *emptyHint = new QLabel(tr("Press Ctrl+T to open a connection in a new tab."), m_emptyPage);
    emptyHint->setEnabled(false); // greyed: a hint
    auto *emptyButton
        = new QPushButton(gui::icon(QStringLiteral("new-connection")), tr("&New connection"), m_emptyPage);
    gui::describe(emptyButton, QStringLiteral("emptyNewConnectionButton"), tr("New connection"),
        tr("Open a tab for a new connection (Ctrl+T)"));
    emptyLayout->addStretch();
    emptyLayout->addWidget(emptyIcon, 0, Qt::AlignHCenter);
    emptyLayout->addWidget(emptyText, 0, Qt::AlignHCenter);
    emptyLayout->addWidget(emptyHint, 0, Qt::AlignHCenter);
    emptyLayout->addSpacing(8);
    auto *emptyServerButton
        = new QPushButton(gui::icon(QStringLiteral("new-server")), tr("New &local server"), m_emptyPage);
    gui::describe(emptyServerButton, QStringLiteral("emptyNewServerButton"), tr("New local server"),
        tr("Open a tab with a WebSocket server on this machine, for testing clients (Ctrl+Shift+T)"));
    emptyLayout->addWidget(emptyButton, 0, Qt::AlignHCenter);
    emptyLayout->addWidget(emptyServerButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    connect(emptyButton, &QPushButton::clicked, this, &MainWindow::newClientTab);
    connect(emptyServerButton, &QPushButton::clicked, this, &MainWindow::newServerTab);

    m_stack->addWidget(m_tabs);
    m_stack->addWidget(m_emptyPage);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(createHintBar());
    centralLayout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_statusState->setObjectName(QStringLiteral("statusState"));
    m_statusState->setAccessibleName(tr("Connection state"));
    m_statusCounters->setObjectName(QStringLiteral("statusCounters"));
    m_statusCounters->setAccessibleName(tr("Message counters"));
    statusBar()->addWidget(m_statusState, 1);
    statusBar()->addPermanentWidget(m_statusCounters);

    createActions();
    createMenus();
    createSessionState();
    createProfilesMenu();

    m_session = new SessionController(this);
    QString sessionError;
    if (!m_session->startNew(&sessionError))
        statusBar()->showMessage(sessionError);
    connect(m_session, &SessionController::changed, this, &MainWindow::updateWindowTitle);
    connect(m_tabs->tabBar(), &QTabBar::tabMoved, m_session, &SessionController::syncTabs);
    updateWindowTitle();

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        updateStatusBar();
        updateHintBar();
    });
    connect(m_tabs, &QTabWidget::tabBarDoubleClicked, this, [this](int index) {
        if (index >= 0)
            renameTab(index);
        else
            newClientTab(); // double-clicking the empty part of the bar, as in browsers
    });
    connect(m_tabs->tabBar(), &QTabBar::customContextMenuRequested, this, &MainWindow::showTabContextMenu);

    AppSettings *settings = AppSettings::instance();
    if (!restoreGeometry(settings->windowGeometry())) {
        const QSize available = screen() ? screen()->availableSize() : QSize(1280, 900);
        resize(qMin(1280, available.width() * 9 / 10), qMin(900, available.height() * 9 / 10));
    }
    restoreState(settings->windowState());
    updateEmptyState();
    updateStatusBar();
}

MainWindow::~MainWindow()
{
    // QWidget's destructor closes a visible window: no questions then.
    m_destroying = true;
}

void MainWindow::createActions()
{
    m_newTabAction = new QAction(gui::icon(QStringLiteral("new-connection")), tr("&New Connection"), this);
    m_newTabAction->setObjectName(QStringLiteral("newConnectionAction"));
    m_newTabAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_newTabAction->setToolTip(tr("Open a tab for a new connection (Ctrl+T)"));
    m_newTabAction->setStatusTip(tr("Open a tab for a new connection"));
    connect(m_newTabAction, &QAction::triggered, this, &MainWindow::newClientTab);

    m_newServerAction = new QAction(gui::icon(QStringLiteral("new-server")), tr("New &Local Server"), this);
    m_newServerAction->setObjectName(QStringLiteral("newServerAction"));
    m_newServerAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_newServerAction->setToolTip(
        tr("Open a tab with a WebSocket server on this machine, for testing clients (Ctrl+Shift+T)"));
    m_newServerAction->setStatusTip(tr("Open a tab with a WebSocket server on this machine"));
    connect(m_newServerAction, &QAction::triggered, this, &MainWindow::newServerTab);

    m_closeTabAction = new QAction(gui::icon(QStringLiteral("close-tab")), tr("&Close Tab"), this);
    m_closeTabAction->setObjectName(QStringLiteral("closeTabAction"));
    m_closeTabAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    m_closeTabAction->setToolTip(tr("Close the current tab and its connection (Ctrl+W)"));
    connect(m_closeTabAction, &QAction::triggered, this, [this] { closeTab(m_tabs->currentIndex()); });

    m_renameTabAction = new QAction(tr("&Rename Tab\u2026"), this);
    m_renameTabAction->setObjectName(QStringLiteral("renameTabAction"));
    m_renameTabAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_renameTabAction->setToolTip(tr("Give the current tab a name (F2)"));
    connect(m_renameTabAction, &QAction::triggered, this, [this] { renameTab(m_tabs->currentIndex()); });

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_quitAction->setToolTip(tr("Close every window, asking about unsaved sessions (Ctrl+Q)"));
    connect(m_quitAction, &QAction::triggered, qApp, &QApplication::closeAllWindows, Qt::QueuedConnection);
    createFileActions();

    m_aboutAction = new QAction(tr("&About wstester"), this);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);
    m_aboutQtAction = new QAction(tr("About &Qt"), this);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    addAction(m_newTabAction);
    addAction(m_newServerAction);
    addAction(m_closeTabAction);
    addAction(m_renameTabAction);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newTabAction);
    file->addAction(m_newServerAction);
    file->addAction(m_newWindowAction);
    file->addSeparator();
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentSessionsMenu"));
    rebuildRecentMenu();
    connect(AppSettings::instance(), &AppSettings::recentSessionsChanged, this, &MainWindow::rebuildRecentMenu);
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_importHarAction);
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_closeTabAction);
    file->addAction(m_renameTabAction);
    file->addAction(m_closeWindowAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QMenu *language = view->addMenu(tr("&Language"));
    language->setObjectName(QStringLiteral("languageMenu"));
    m_languageGroup = new QActionGroup(this);
    m_languageGroup->setExclusive(true);
    const QString current = AppSettings::instance()->language();
    const std::pair<QString, QString> languages[] = {
        { QString(), tr("System") },
        { QStringLiteral("en"), QStringLiteral("English") }, // each language in its own words
        { QStringLiteral("zh_CN"), QStringLiteral("\u7b80\u4f53\u4e2d\u6587") },
    };
    for (const auto &[code, name] : languages) {
        QAction *action = language->addAction(name);
        action->setObjectName(
            QStringLiteral("languageAction_") + (code.isEmpty() ? QStringLiteral("system") : code));
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        m_languageGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, code] { setLanguage(code); });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
    help->addAction(m_aboutQtAction);

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(18, 18));
    toolbar->addAction(m_newTabAction);
    toolbar->addAction(m_newServerAction);
    gui::describe(toolbar->widgetForAction(m_newTabAction), QStringLiteral("newConnectionToolButton"),
        tr("New connection"), m_newTabAction->toolTip());
    gui::describe(toolbar->widgetForAction(m_newServerAction), QStringLiteral("newServerToolButton"),
        tr("New local server"), m_newServerAction->toolTip());
}

QFrame *MainWindow::createHintBar()
{
    // A newcomer's note above the tabs, shown with the tab it talks about.
    m_hintBar = new QFrame(this);
    m_hintBar->setObjectName(QStringLiteral("firstLaunchHint"));
    m_hintBar->setAccessibleName(tr("Hint"));
    m_hintBar->setFrameShape(QFrame::StyledPanel);
    m_hintBar->setAutoFillBackground(true);
    QPalette palette = m_hintBar->palette();
    palette.setColor(QPalette::Window, QColor(0xe8, 0xf0, 0xfe));
    palette.setColor(QPalette::WindowText, QColor(0x17, 0x3e, 0x8c));
    m_hintBar->setPalette(palette);
    m_hintText = new QLabel(m_hintBar);
    m_hintText->setObjectName(QStringLiteral("firstLaunchHintText"));
    m_hintText->setWordWrap(true);
    m_hintText->setTextFormat(Qt::PlainText);
    m_hintText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton(m_hintBar);
    gui::describe(dismiss, QStringLiteral("dismissHintButton"), tr("Dismiss hint"), tr("Hide this hint"));
    dismiss->setIcon(gui::icon(QStringLiteral("dismiss")));
    dismiss->setAutoRaise(true);
    auto *layout = new QHBoxLayout(m_hintBar);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_hintText, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    m_hintBar->setVisible(false);
    connect(dismiss, &QToolButton::clicked, this, [this] {
        m_hintTab = nullptr;
        updateHintBar();
        if (QWidget *current = m_tabs->currentWidget())
            current->setFocus(Qt::OtherFocusReason);
    });
    return m_hintBar;
}

int MainWindow::tabCount() const
{
    return m_tabs->count();
}

ClientTab *MainWindow::tabAt(int index) const
{
    return qobject_cast<ClientTab *>(m_tabs->widget(index));
}

ClientTab *MainWindow::currentTab() const
{
    return qobject_cast<ClientTab *>(m_tabs->currentWidget());
}

ServerTab *MainWindow::serverTabAt(int index) const
{
    return qobject_cast<ServerTab *>(m_tabs->widget(index));
}

ServerTab *MainWindow::currentServerTab() const
{
    return qobject_cast<ServerTab *>(m_tabs->currentWidget());
}

ClientTab *MainWindow::newClientTab()
{
    auto *tab = new ClientTab(m_tabs);
    m_tabs->addTab(tab, tab->title());
    watchClientTab(tab);
    showNewPage(tab);
    return tab;
}

void MainWindow::showNewPage(QWidget *page)
{
    updateTabTitle(page);
    if (m_session)
        m_session->tabAdded(page);
    m_tabs->setCurrentWidget(page);
    updateEmptyState();
    page->setFocus(Qt::OtherFocusReason);
}

void MainWindow::watchClientTab(ClientTab *tab)
{
    attachSessionState(tab);
    connect(tab, &ClientTab::titleChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &ClientTab::stateChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &ClientTab::statusChanged, this, [this, tab] {
        if (tab == m_tabs->currentWidget())
            updateStatusBar();
    });
}

ClientTab *MainWindow::openUrl(const QString &url)
{
    ClientTab *tab = newClientTab();
    tab->setUrlText(url);
    tab->connectToServer();
    return tab;
}

ServerTab *MainWindow::newServerTab()
{
    auto *tab = new ServerTab(m_tabs);
    m_tabs->addTab(tab, tab->title());
    connect(tab, &ServerTab::titleChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &ServerTab::statusChanged, this, [this, tab] { updateTabTitle(tab); });
    // The same path as a URL on the command line.
    connect(tab, &ServerTab::openClientRequested, this, [this](const QUrl &url) { openUrl(url.toString()); });
    showNewPage(tab);
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
    openFirstLaunchTabs();
    return currentTab();
}

void MainWindow::openFirstLaunchTabs()
{
    ServerTab *server = newServerTab();
    server->setOptions(ServerOptions()); // echo on 127.0.0.1, any free port
    // The client tab follows once the server listens; the guard makes this happen once.
    auto *guard = new QObject(server);
    connect(
        server->server(), &LocalServer::stateChanged, guard, [this, server, guard](LocalServer::State state) {
            if (state == LocalServer::State::Listening)
                showFirstLaunchHint(openUrl(server->server()->url().toString()), server);
            else if (state == LocalServer::State::Error)
                newClientTab(); // the server tab says why it did not start
            else
                return;
            server->server()->disconnect(guard);
            guard->deleteLater();
        });
    if (!server->start()) {
        delete guard;
        newClientTab();
    }
}

void MainWindow::showFirstLaunchHint(ClientTab *tab, ServerTab *server)
{
    m_hintTab = tab;
    m_hintText->setText(
        tr("A local echo server is running for you in the \u201c%1\u201d tab, and this tab is "
           "connected to it. Type a message below and press Ctrl+Enter: it comes straight back.")
            .arg(tabTitle(server)));
    updateHintBar();
    tab->composer()->editor()->setFocus(Qt::OtherFocusReason);
    // The same words in the history, where they stay after the hint is dismissed.
    auto *guard = new QObject(tab);
    connect(tab, &ClientTab::stateChanged, guard, [tab, guard](ClientConnection::State state) {
        if (state != ClientConnection::State::Open)
            return;
        tab->connection()->note(
            tr("This is a local echo server started for you: type a message below and press Ctrl+Enter."));
        tab->disconnect(guard);
        guard->deleteLater();
    });
}

void MainWindow::updateHintBar()
{
    m_hintBar->setVisible(m_hintTab && m_tabs->currentWidget() == m_hintTab);
}

void MainWindow::closeTab(int index)
{
    QWidget *page = m_tabs->widget(index);
    if (!page)
        return;
    if (!m_windowClosing)
        m_session->tabRemoved(page); // closing the window keeps the tabs in the session
    m_tabs->removeTab(index);
    page->hide();
    closeGracefully(page);
    updateEmptyState();
    updateStatusBar();
    updateHintBar();
    if (QWidget *current = m_tabs->currentWidget())
        current->setFocus(Qt::OtherFocusReason);
}

// Deleting a connection aborts its socket (the peer sees no Close frame, 1006): a closed tab
// first closes its connection and is deleted once the close handshake is over, or after
// CloseGraceMs.
void MainWindow::closeGracefully(QWidget *page)
{
    m_closing.append(page);
    if (page == m_hintTab)
        m_hintTab = nullptr;
    bool wait = false;
    if (auto *client = qobject_cast<ClientTab *>(page)) {
        const ClientConnection::State state = client->state();
        if (state == ClientConnection::State::Open || state == ClientConnection::State::Closing) {
            connect(client, &ClientTab::stateChanged, this, [this, client](ClientConnection::State now) {
                if (now == ClientConnection::State::Closed || now == ClientConnection::State::Error)
                    finishClosing(client);
            });
            // The reason tells the server why (wstester's clients send 1000 or 3000-4999 only).
            if (state == ClientConnection::State::Open)
                client->connection()->close(1000, QStringLiteral("tab closed")); // on the wire: not translated
            wait = true;
        }
    } else if (auto *server = qobject_cast<ServerTab *>(page)) {
        m_serverNames.remove(server);
        if (server->server()->state() == LocalServer::State::Listening) {
            connect(server->server(), &LocalServer::stopped, this, [this, server] { finishClosing(server); });
            server->stop(); // closes every client with 1001
            wait = true;
        }
    }
    if (!wait) {
        finishClosing(page);
        return;
    }
    QTimer::singleShot(CloseGraceMs, this, [this, guarded = QPointer<QWidget>(page)] {
        if (guarded)
            finishClosing(guarded);
    });
}

void MainWindow::finishClosing(QWidget *page)
{
    if (!m_closing.removeOne(page))
        return;
    page->deleteLater();
    if (m_windowClosing && m_closing.isEmpty())
        QTimer::singleShot(0, this, [this] { close(); });
}

void MainWindow::renameTab(int index)
{
    QWidget *page = m_tabs->widget(index);
    if (auto *tab = qobject_cast<ClientTab *>(page)) {
        QString name;
        if (!Dialogs::getText(this, tr("Rename Tab"), tr("Name of this tab (empty: use the URL's host):"),
                tab->customTitle().isEmpty() ? tab->title() : tab->customTitle(), &name))
            return;
        tab->setCustomTitle(name);
    } else if (auto *server = qobject_cast<ServerTab *>(page)) {
        QString name;
        if (!Dialogs::getText(this, tr("Rename Tab"), tr("Name of this tab (empty: use the server's port):"),
                tabTitle(server), &name))
            return;
        setTabName(server, name);
    }
}

QString MainWindow::tabTitle(QWidget *page) const
{
    if (auto *client = qobject_cast<ClientTab *>(page))
        return client->title();
    if (auto *server = qobject_cast<ServerTab *>(page)) {
        const QString name = m_serverNames.value(server);
        return name.isEmpty() ? server->title() : name;
    }
    return {};
}

void MainWindow::updateTabTitle(QWidget *page)
{
    const int index = m_tabs->indexOf(page);
    if (index < 0)
        return;
    const QString title = tabTitle(page);
    m_tabs->setTabText(index, QString(title).replace(u'&', QStringLiteral("&&")));
    if (auto *client = qobject_cast<ClientTab *>(page)) {
        m_tabs->setTabIcon(index, gui::stateIcon(client->state()));
        m_tabs->setTabToolTip(index,
            tr("%1 \u2014 %2")
                .arg(client->urlText().isEmpty() ? title : client->urlText(), client->statusText()));
        m_tabs->setTabWhatsThis(index, client->statusText());
    } else if (auto *server = qobject_cast<ServerTab *>(page)) {
        m_tabs->setTabIcon(index, gui::stateIcon(iconState(server->server()->state())));
        m_tabs->setTabToolTip(index, tr("%1 \u2014 %2").arg(title, server->statusText()));
        m_tabs->setTabWhatsThis(index, server->statusText());
    }
    if (page == m_tabs->currentWidget())
        updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    QWidget *page = m_tabs->currentWidget();
    auto *client = qobject_cast<ClientTab *>(page);
    auto *server = qobject_cast<ServerTab *>(page);
    m_statusState->setText(client ? client->statusText() : server ? server->statusText() : QString());
    m_statusCounters->setText(client ? client->countersText() : QString());
    const bool hasTab = page != nullptr;
    m_closeTabAction->setEnabled(hasTab);
    m_renameTabAction->setEnabled(hasTab);
    updateWindowTitle();
}

void MainWindow::updateEmptyState()
{
    m_stack->setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_emptyPage);
}

void MainWindow::showTabContextMenu(const QPoint &pos)
{
    const int index = m_tabs->tabBar()->tabAt(pos);
    QMenu menu(this);
    if (index >= 0) {
        menu.addAction(tr("&Rename\u2026"), this, [this, index] { renameTab(index); });
        if (ClientTab *client = tabAt(index)) {
            QAction *reset = menu.addAction(tr("Use the URL's &Host as Name"), this, [this, index] {
                if (ClientTab *tab = tabAt(index))
                    tab->setCustomTitle({});
            });
            reset->setEnabled(!client->customTitle().isEmpty());
        } else if (ServerTab *server = serverTabAt(index)) {
            QAction *reset = menu.addAction(tr("Use the Server's &Port as Name"), this, [this, index] {
                if (ServerTab *tab = serverTabAt(index))
                    setTabName(tab, {});
            });
            reset->setEnabled(m_serverNames.contains(server));
        }
        menu.addSeparator();
        menu.addAction(tr("&Close Tab"), this, [this, index] { closeTab(index); });
        QAction *others = menu.addAction(tr("Close &Other Tabs"), this, [this, index] {
            QWidget *keep = m_tabs->widget(index);
            for (int i = m_tabs->count() - 1; i >= 0; --i) {
                if (m_tabs->widget(i) != keep)
                    closeTab(i);
            }
        });
        others->setEnabled(m_tabs->count() > 1);
        menu.addSeparator();
    }
    menu.addAction(m_newTabAction);
    menu.addAction(m_newServerAction);
    menu.exec(m_tabs->tabBar()->mapToGlobal(pos));
}

void MainWindow::setLanguage(const QString &language)
{
    AppSettings *settings = AppSettings::instance();
    if (settings->language() == language)
        return;
    settings->setLanguage(language);
    statusBar()->showMessage(tr("The language will change when wstester is restarted."), 8000);
    Dialogs::information(this, tr("Language"), tr("The language will change when wstester is restarted."));
}

void MainWindow::about()
{
    Dialogs::about(this, tr("About wstester"),
        tr("<h3>wstester %1</h3>"
           "<p>A desktop tool for testing WebSocket servers: connect, send text, JSON, binary "
           "and files, ping, close with a code, and inspect every message.</p>"
           "<p>Built with Qt %2, running on Qt %3.</p>")
            .arg(QStringLiteral(WST_VERSION), QStringLiteral(QT_VERSION_STR),
                QString::fromLatin1(qVersion())));
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
        if (ClientTab *tab = currentTab())
            settings->setHistorySplitterState(tab->saveSplitterState());
        settings->sync();
        m_windowClosing = true;
        while (m_tabs->count() > 0)
            closeTab(m_tabs->count() - 1);
    }
    if (!m_closing.isEmpty()) {
        // Back here once the last close handshake is over (finishClosing).
        statusBar()->showMessage(tr("Closing connections\u2026"));
        m_stack->setEnabled(false);
        event->ignore();
        return;
    }
    m_session->finish();
    event->accept();
}

// Saved messages, variables and profiles.

void MainWindow::createSessionState()
{
    m_environment = new SessionEnvironment(this);
    m_environment->setObjectName(QStringLiteral("sessionEnvironment"));
    m_globalSaved = new SavedMessageList(this);
    m_globalSaved->setObjectName(QStringLiteral("globalSavedMessages"));
    AppSettings *settings = AppSettings::instance();
    m_globalSaved->fromJson(QJsonDocument::fromJson(settings->globalSavedMessagesJson().toUtf8()).array());
    connect(m_globalSaved, &SavedMessageList::changed, this, [this] {
        AppSettings::instance()->setGlobalSavedMessagesJson(
            QString::fromUtf8(QJsonDocument(m_globalSaved->toJson()).toJson(QJsonDocument::Compact)));
    });
}

void MainWindow::attachSessionState(ClientTab *tab)
{
    tab->setEnvironment(m_environment);
    tab->setGlobalSavedMessages(m_globalSaved);
}

void MainWindow::createProfilesMenu()
{
    m_profilesMenu = new QMenu(tr("&Profiles"), this);
    m_profilesMenu->setObjectName(QStringLiteral("profilesMenu"));
    m_profilesMenu->setToolTipsVisible(true);
    // Before Help, which stays last.
    const QList<QAction *> menus = menuBar()->actions();
    menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), m_profilesMenu);
    connect(m_profilesMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildProfilesMenu);
    rebuildProfilesMenu();
}

void MainWindow::rebuildProfilesMenu()
{
    m_profilesMenu->clear();
    QAction *save = m_profilesMenu->addAction(tr("&Save Current Connection as Profile\u2026"));
    save->setObjectName(QStringLiteral("saveProfileAction"));
    save->setToolTip(tr("Keep the current tab's URL and request options under a name"));
    save->setEnabled(currentTab() != nullptr);
    connect(save, &QAction::triggered, this, [this] {
        if (ClientTab *tab = currentTab())
            tab->saveAsProfile();
    });
    const QList<ConnectionProfile> profiles = ConnectionProfile::load(AppSettings::instance());
    m_profilesMenu->addSeparator();
    if (profiles.isEmpty()) {
        QAction *none = m_profilesMenu->addAction(tr("No profiles yet"));
        none->setEnabled(false);
        return;
    }
    QMenu *remove = nullptr;
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles.at(i);
        QString label = p.name;
        label.replace(u'&', QStringLiteral("&&"));
        QAction *open = m_profilesMenu->addAction(label);
        open->setObjectName(QStringLiteral("openProfileAction_%1").arg(i));
        open->setToolTip(tr("Open %1 in a new tab").arg(p.settings.value(QStringLiteral("url")).toString()));
        connect(open, &QAction::triggered, this, [this, name = p.name] { openProfile(name); });
        if (!remove) {
            remove = new QMenu(tr("&Delete Profile"), m_profilesMenu);
            remove->setObjectName(QStringLiteral("deleteProfileMenu"));
        }
        QAction *del = remove->addAction(label);
        connect(del, &QAction::triggered, this, [this, name = p.name] {
            if (Dialogs::question(this, tr("Delete Profile"), tr("Delete the profile \u201c%1\u201d?").arg(name))
                == QMessageBox::Yes)
                ConnectionProfile::remove(AppSettings::instance(), name);
        });
    }
    m_profilesMenu->addSeparator();
    m_profilesMenu->addMenu(remove);
}

ClientTab *MainWindow::openProfile(const QString &name)
{
    const QList<ConnectionProfile> profiles = ConnectionProfile::load(AppSettings::instance());
    const int at = ConnectionProfile::indexOf(profiles, name);
    if (at < 0)
        return nullptr;
    ClientTab *tab = newClientTab();
    QString error;
    if (!tab->setSettingsJson(profiles.at(at).settings, &error))
        statusBar()->showMessage(tr("The profile \u201c%1\u201d was opened with a problem: %2").arg(name, error), 8000);
    tab->setCustomTitle(name);
    return tab;
}

// ---------------------------------------------------------------------------------------------
// Sessions: the File menu's New Window, Open, Save, Save As, Import and Export.

void MainWindow::createFileActions()
{
    m_newWindowAction = new QAction(tr("New &Window"), this);
    m_newWindowAction->setObjectName(QStringLiteral("newWindowAction"));
    m_newWindowAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_newWindowAction->setToolTip(tr("Open a window with a session of its own (Ctrl+N)"));
    connect(m_newWindowAction, &QAction::triggered, this, [] { newWindow(); });

    m_openAction = new QAction(gui::icon(QStringLiteral("open")), tr("&Open Session\u2026"), this);
    m_openAction->setObjectName(QStringLiteral("openSessionAction"));
    m_openAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_openAction->setToolTip(tr("Open a saved session with its tabs and their histories (Ctrl+O)"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openSessionDialog);

    m_saveAction = new QAction(gui::icon(QStringLiteral("save")), tr("&Save Session"), this);
    m_saveAction->setObjectName(QStringLiteral("saveSessionAction"));
    m_saveAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    m_saveAction->setToolTip(tr("Save every tab with its settings and its whole history (Ctrl+S)"));
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::saveSession);

    m_saveAsAction = new QAction(tr("Save Session &As\u2026"), this);
    m_saveAsAction->setObjectName(QStringLiteral("saveSessionAsAction"));
    m_saveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_saveAsAction->setToolTip(tr("Save the session to another file (Ctrl+Shift+S)"));
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveSessionAs);

    m_importHarAction = new QAction(tr("&Import HAR\u2026"), this);
    m_importHarAction->setObjectName(QStringLiteral("importHarAction"));
    m_importHarAction->setToolTip(
        tr("Open the WebSocket connections of a HAR file (as Chrome DevTools saves it) as tabs"));
    connect(m_importHarAction, &QAction::triggered, this, &MainWindow::importHar);

    m_exportAction = new QAction(tr("&Export\u2026"), this);
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Export the session, this tab or the selected messages as HAR, NDJSON, JSON or CSV "
                                  "(Ctrl+E)"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportSession);

    m_closeWindowAction = new QAction(tr("Close &Window"), this);
    m_closeWindowAction->setObjectName(QStringLiteral("closeWindowAction"));
    m_closeWindowAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    m_closeWindowAction->setToolTip(tr("Close this window and its connections (Ctrl+Shift+W)"));
    connect(m_closeWindowAction, &QAction::triggered, this, &MainWindow::close);

    for (QAction *action : { m_newWindowAction, m_openAction, m_saveAction, m_saveAsAction, m_exportAction,
                             m_closeWindowAction })
        addAction(action);
}

void MainWindow::updateWindowTitle()
{
    if (!m_session)
        return;
    // "[*]" is where Qt puts the unsaved mark.
    QWidget *page = m_tabs->currentWidget();
    if (page && m_stack->currentWidget() == m_tabs)
        setWindowTitle(tr("%1[*] \u2014 %2 \u2014 wstester").arg(m_session->displayName(), tabTitle(page)));
    else
        setWindowTitle(tr("%1[*] \u2014 wstester").arg(m_session->displayName()));
    setWindowModified(m_session->needsSaving());
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = AppSettings::instance()->recentSessions();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString &path = files.at(i);
        const QString label = i < 9 ? tr("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName())
                                    : QFileInfo(path).fileName();
        QAction *action = m_recentMenu->addAction(label, this, [this, path] { openSession(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent sessions"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear Menu"), this, [] {
        for (const QString &path : AppSettings::instance()->recentSessions())
            AppSettings::instance()->removeRecentSession(path);
    });
}

QString MainWindow::tabName(QWidget *page) const
{
    if (auto *client = qobject_cast<ClientTab *>(page))
        return client->customTitle();
    if (auto *server = qobject_cast<ServerTab *>(page))
        return m_serverNames.value(server);
    return {};
}

void MainWindow::setTabName(QWidget *page, const QString &name)
{
    const QString trimmed = name.trimmed();
    if (auto *client = qobject_cast<ClientTab *>(page)) {
        client->setCustomTitle(trimmed);
        return;
    }
    auto *server = qobject_cast<ServerTab *>(page);
    if (!server)
        return;
    if (trimmed.isEmpty())
        m_serverNames.remove(server);
    else
        m_serverNames.insert(server, trimmed);
    updateTabTitle(server);
    m_session->syncTabs();
}

MainWindow *MainWindow::newWindow()
{
    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->newClientTab();
    window->show();
    return window;
}

void MainWindow::openSessionDialog()
{
    const QString path = Dialogs::getOpenFileName(this, tr("Open Session"), {},
                                                  tr("wstester sessions (*.wstsession);;All files (*)"));
    if (!path.isEmpty())
        openSession(path);
}

MainWindow *MainWindow::openSession(const QString &path, bool recover)
{
    MainWindow *target = this;
    if (!m_session->isPristine()) {
        target = new MainWindow;
        target->setAttribute(Qt::WA_DeleteOnClose);
    }
    // The tabs of an empty window make way for the session's (they hold nothing).
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
    while (target->m_tabs->count() > 0) {
        QWidget *page = target->m_tabs->widget(0);
        target->m_session->tabRemoved(page);
        target->m_tabs->removeTab(0);
        page->deleteLater();
    }
    if (!target->m_session->open(path, &error, recover)) {
        Dialogs::warning(this, tr("Open Session"), error);
        if (target != this)
            target->close();
        else
            newClientTab();
        return nullptr;
    }
    target->updateEmptyState();
    target->updateStatusBar();
    target->show();
    return target;
}

bool MainWindow::saveSession()
{
    QString error;
    return reportSave(m_session->save(&error), error);
}

bool MainWindow::saveSessionAs()
{
    QString error;
    return reportSave(m_session->saveAs(&error), error);
}

bool MainWindow::reportSave(bool saved, const QString &error)
{
    if (saved)
        statusBar()->showMessage(tr("Saved to %1").arg(QDir::toNativeSeparators(m_session->filePath())), 5000);
    else if (!error.isEmpty()) // empty: the user cancelled
        Dialogs::warning(this, tr("Save Session"), error);
    return saved;
}

void MainWindow::importHar()
{
    const QString har = Dialogs::getOpenFileName(this, tr("Import HAR"), {},
                                                 tr("HAR files (*.har *.json);;All files (*)"));
    if (har.isEmpty())
        return;
    // The import becomes a session file of its own, opened like any other.
    const QString folder = SessionController::liveFolder();
    QDir().mkpath(folder);
    const QString target = QStringLiteral("%1/import-%2-%3.wstsession")
                               .arg(folder, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmsszzz")))
                               .arg(QCoreApplication::applicationPid());
    QString error;
    const QString imported = Transfer::importHar(this, har, target, &error);
    if (imported.isEmpty()) {
        if (!error.isEmpty())
            Dialogs::warning(this, tr("Import HAR"), error);
        return;
    }
    MainWindow *shown = openSession(imported);
    SessionController::removeLiveFile(imported); // the window works on its own copy
    if (shown) {
        // Imported, not saved anywhere yet: the session is the HAR's until the user saves it.
        shown->m_session->forgetFile();
        shown->statusBar()->showMessage(tr("Imported %1").arg(QDir::toNativeSeparators(har)), 5000);
    }
}

void MainWindow::exportSession()
{
    // The file must hold everything shown so far.
    m_session->syncTabs();
    m_session->recorder()->flush();
    ExportOptionsDialog::Scopes scopes;
    QWidget *page = m_tabs->currentWidget();
    const qint64 tabId = m_session->tabId(page);
    QList<SessionExport::RowRef> rows;
    if (tabId > 0) {
        scopes.currentTab = true;
        scopes.currentTabTitle = tabTitle(page);
        HistoryPane *history = nullptr;
        if (auto *client = qobject_cast<ClientTab *>(page))
            history = client->historyPane();
        else if (auto *server = qobject_cast<ServerTab *>(page))
            history = server->historyPane();
        if (history) {
            for (qint64 seq : history->selectedStoreIndexes())
                rows.append({ tabId, seq });
        }
        scopes.selectedRows = rows.size();
    }
    ExportOptionsDialog dialog(scopes, this);
    dialog.setSuggestedPath(QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                .filePath(m_session->displayName()));
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto scope = dialog.scope();
    QString error;
    if (Transfer::exportSession(this, m_session->livePath(), dialog.format(),
                                scope == ExportOptionsDialog::Scope::Tab ? tabId : -1,
                                scope == ExportOptionsDialog::Scope::Rows ? rows : QList<SessionExport::RowRef>(),
                                dialog.fileName(), &error)) {
        statusBar()->showMessage(tr("Exported to %1").arg(QDir::toNativeSeparators(dialog.fileName())), 5000);
    } else if (!error.isEmpty()) {
        Dialogs::warning(this, tr("Export"), error);
    }
}

} // namespace wst
