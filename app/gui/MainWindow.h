#pragma once

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QActionGroup;
class QFrame;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace wst {

class ClientTab;
class SavedMessageList;
class ServerTab;
class SessionController;
class SessionEnvironment;

// The window: a tab per connection or local server, the menus and the status bar of the
// current tab.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QTabWidget *tabs() const { return m_tabs; }
    int tabCount() const;
    // The client tab at this index (nullptr for a server tab).
    ClientTab *tabAt(int index) const;
    ClientTab *currentTab() const;
    // The server tab at this index (nullptr for a client tab).
    ServerTab *serverTabAt(int index) const;
    ServerTab *currentServerTab() const;

    // A new, empty client tab, made current with the URL field focused.
    ClientTab *newClientTab();
    // A new tab for this URL that connects at once; a malformed URL is shown in its inline error.
    ClientTab *openUrl(const QString &url);
    // A new local server tab (not started), made current.
    ServerTab *newServerTab();
    // What a launch opens: the URL given on the command line (empty: none); otherwise, the very
    // first time, a local echo server with a client tab connected to it and a hint; otherwise
    // one empty client tab. Returns the client tab, or nullptr while the first launch's server
    // is still starting (its client tab follows).
    ClientTab *openStartupTabs(const QString &url);

    // Closes the tab: its connection is closed normally (1000, "tab closed"), or its server
    // stops (1001 to every client), before the tab is deleted.
    void closeTab(int index);
    // Asks for a new name (through Dialogs); an empty name goes back to the tab's own title.
    void renameTab(int index);
    // Tabs closed but still finishing their close handshakes.
    int closingTabCount() const { return int(m_closing.size()); }

    // The session this window records into (saved, reopened, recovered).
    SessionController *session() const { return m_session; }
    // Opens a session file: in this window when it holds nothing yet, otherwise in a new one.
    // A file that cannot be opened is said in a message; nothing the user had is touched.
    // Returns the window that shows the session, or nullptr.
    // With recover, `path` is a live capture left by a crash, taken over as it is.
    MainWindow *openSession(const QString &path, bool recover = false);
    // A new window with its own session and an empty client tab (deleted when closed).
    static MainWindow *newWindow();
    // The name the user gave a tab ("" when it uses its own title).
    QString tabName(QWidget *page) const;
    void setTabName(QWidget *page, const QString &name);
    // Save (Ctrl+S), Save As: errors are shown in a message. False when not saved.
    bool saveSession();
    bool saveSessionAs();

    // Saved messages, variables and profiles (see createProfilesMenu() and attachSessionState()).
    // The session's variables, shared by every client tab; saved with the session.
    SessionEnvironment *environment() const { return m_environment; }
    // The saved messages every client tab shows, kept in AppSettings.
    SavedMessageList *globalSavedMessages() const { return m_globalSaved; }
    // A new client tab with the profile's URL and options (not connected), or nullptr when
    // there is no profile of that name.
    ClientTab *openProfile(const QString &name);
    QMenu *profilesMenu() const { return m_profilesMenu; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    QFrame *createHintBar();
    void watchClientTab(ClientTab *tab);
    // A tab just added: titled, recorded in the session, made current and focused.
    void showNewPage(QWidget *page);
    void openFirstLaunchTabs();
    void showFirstLaunchHint(ClientTab *tab, ServerTab *server);
    QString tabTitle(QWidget *page) const;
    void updateTabTitle(QWidget *page);
    void updateStatusBar();
    void updateEmptyState();
    void updateHintBar();
    void showTabContextMenu(const QPoint &pos);
    void setLanguage(const QString &language);
    void about();
    void finishClosing(QWidget *page);
    void closeGracefully(QWidget *page);
    void createFileActions();
    void updateWindowTitle();
    void rebuildRecentMenu();
    void openSessionDialog();
    void importHar();
    void exportSession();
    bool reportSave(bool saved, const QString &error);
    void createSessionState();
    void attachSessionState(ClientTab *tab);
    void createProfilesMenu();
    void rebuildProfilesMenu();

    QStackedWidget *m_stack = nullptr;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_emptyPage = nullptr;
    QFrame *m_hintBar = nullptr;
    QLabel *m_hintText = nullptr;
    QLabel *m_statusState = nullptr;
    QLabel *m_statusCounters = nullptr;

    QAction *m_newTabAction = nullptr;
    QAction *m_newServerAction = nullptr;
    QAction *m_closeTabAction = nullptr;
    QAction *m_renameTabAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_newWindowAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_importHarAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_closeWindowAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    SessionController *m_session = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;

    // Server tabs keep no name of their own: the name the user gave each one.
    QHash<const ServerTab *, QString> m_serverNames;
    QList<QWidget *> m_closing;
    QPointer<ClientTab> m_hintTab;
    bool m_windowClosing = false;
    bool m_destroying = false;

    SessionEnvironment *m_environment = nullptr;
    SavedMessageList *m_globalSaved = nullptr;
    QMenu *m_profilesMenu = nullptr;
};

} // namespace wst
