#include "MainWindow.h"

#include "ClientTab.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "settings/AppSettings.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_stack(new QStackedWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_emptyPage(new QWidget(this))
    , m_statusState(new QLabel(this))
    , m_statusCounters(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("wstester"));
    setWindowIcon(gui::icon(QStringLiteral("wstester")));

    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setAccessibleName(tr("Connections"));
    m_tabs->setToolTip(tr("One tab per connection. Double-click a tab to rename it; drag to reorder."));
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
    emptyLayout->addWidget(emptyButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    connect(emptyButton, &QPushButton::clicked, this, &MainWindow::newClientTab);

    m_stack->addWidget(m_tabs);
    m_stack->addWidget(m_emptyPage);
    setCentralWidget(m_stack);

    m_statusState->setObjectName(QStringLiteral("statusState"));
    m_statusState->setAccessibleName(tr("Connection state"));
    m_statusCounters->setObjectName(QStringLiteral("statusCounters"));
    m_statusCounters->setAccessibleName(tr("Message counters"));
    statusBar()->addWidget(m_statusState, 1);
    statusBar()->addPermanentWidget(m_statusCounters);

    createActions();
    createMenus();

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatusBar);
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

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_newTabAction = new QAction(gui::icon(QStringLiteral("new-connection")), tr("&New Connection"), this);
    m_newTabAction->setObjectName(QStringLiteral("newConnectionAction"));
    m_newTabAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_newTabAction->setToolTip(tr("Open a tab for a new connection (Ctrl+T)"));
    m_newTabAction->setStatusTip(tr("Open a tab for a new connection"));
    connect(m_newTabAction, &QAction::triggered, this, &MainWindow::newClientTab);

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
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);

    m_aboutAction = new QAction(tr("&About wstester"), this);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);
    m_aboutQtAction = new QAction(tr("About &Qt"), this);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    addAction(m_newTabAction);
    addAction(m_closeTabAction);
    addAction(m_renameTabAction);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newTabAction);
    file->addAction(m_closeTabAction);
    file->addAction(m_renameTabAction);
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

ClientTab *MainWindow::newClientTab()
{
    auto *tab = new ClientTab(m_tabs);
    const int index = m_tabs->addTab(tab, tab->title());
    connect(tab, &ClientTab::titleChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &ClientTab::stateChanged, this, [this, tab] {
        updateTabTitle(tab);
        if (tab == currentTab())
            updateStatusBar();
    });
    connect(tab, &ClientTab::statusChanged, this, [this, tab] {
        if (tab == currentTab())
            updateStatusBar();
    });
    updateTabTitle(tab);
    m_tabs->setCurrentIndex(index);
    updateEmptyState();
    tab->setFocus(Qt::OtherFocusReason);
    return tab;
}

ClientTab *MainWindow::openUrl(const QString &url)
{
    ClientTab *tab = newClientTab();
    tab->setUrlText(url);
    tab->connectToServer();
    return tab;
}

void MainWindow::closeTab(int index)
{
    ClientTab *tab = tabAt(index);
    if (!tab)
        return;
    m_tabs->removeTab(index);
    tab->deleteLater();
    updateEmptyState();
    updateStatusBar();
    if (ClientTab *current = currentTab())
        current->setFocus(Qt::OtherFocusReason);
}

void MainWindow::renameTab(int index)
{
    ClientTab *tab = tabAt(index);
    if (!tab)
        return;
    QString name;
    if (!Dialogs::getText(this, tr("Rename Tab"), tr("Name of this tab (empty: use the URL's host):"),
            tab->customTitle().isEmpty() ? tab->title() : tab->customTitle(), &name))
        return;
    tab->setCustomTitle(name);
}

void MainWindow::updateTabTitle(ClientTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    const QString title = tab->title();
    m_tabs->setTabText(index, QString(title).replace(u'&', QStringLiteral("&&")));
    m_tabs->setTabIcon(index, gui::stateIcon(tab->state()));
    m_tabs->setTabToolTip(
        index, tr("%1 \u2014 %2").arg(tab->urlText().isEmpty() ? title : tab->urlText(), tab->statusText()));
    m_tabs->setTabWhatsThis(index, tab->statusText());
    if (tab == currentTab())
        updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    ClientTab *tab = currentTab();
    m_statusState->setText(tab ? tab->statusText() : QString());
    m_statusCounters->setText(tab ? tab->countersText() : QString());
    const bool hasTab = tab != nullptr;
    m_closeTabAction->setEnabled(hasTab);
    m_renameTabAction->setEnabled(hasTab);
    setWindowTitle(hasTab ? tr("%1 \u2014 wstester").arg(tab->title()) : tr("wstester"));
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
        QAction *reset = menu.addAction(tr("Use the URL's &Host as Name"), this, [this, index] {
            if (ClientTab *tab = tabAt(index))
                tab->setCustomTitle({});
        });
        reset->setEnabled(tabAt(index) && !tabAt(index)->customTitle().isEmpty());
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
    AppSettings *settings = AppSettings::instance();
    settings->setWindowGeometry(saveGeometry());
    settings->setWindowState(saveState());
    if (ClientTab *tab = currentTab())
        settings->setHistorySplitterState(tab->saveSplitterState());
    settings->sync();
    event->accept();
}

} // namespace wst
