#pragma once

#include <QMainWindow>

class QLabel;

namespace wst {

class ActionRegistry;
class ClientTab;
class ConnectionHistoryPanel;
class ConnectionPage;
class ConnectionTabWidget;
class FirstLaunchHint;
class SavedMessageList;
class ProxyTab;
class ServerTab;
class SessionController;
class SessionEnvironment;
class SessionFileActions;
class WorkspaceDock;
struct SessionContents;

// The window: a tab per connection or local server (ConnectionTabWidget), the menus from the
// ActionRegistry, the status bar of the current tab, and the session it records into.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QTabWidget *tabs() const;
    ConnectionTabWidget *connectionTabs() const { return m_tabs; }
    int tabCount() const;
    ConnectionPage *pageAt(int index) const;
    ConnectionPage *currentPage() const;
    // The page as its concrete kind, nullptr when it is another (tests, and the code that
    // creates tabs): tabAt(i) is a client tab, serverTabAt(i) a server tab.
    template <class Page = ClientTab> Page *tabAt(int index) const
    {
        return qobject_cast<Page *>(pageAt(index));
    }
    template <class Page = ClientTab> Page *currentTab() const { return qobject_cast<Page *>(currentPage()); }
    template <class Page = ServerTab> Page *serverTabAt(int index) const
    {
        return qobject_cast<Page *>(pageAt(index));
    }
    template <class Page = ServerTab> Page *currentServerTab() const
    {
        return qobject_cast<Page *>(currentPage());
    }

    // Every action and shortcut of the window, by objectName.
    ActionRegistry *actionRegistry() const { return m_actions; }

    // A new, empty client tab, made current with the URL field focused.
    ClientTab *newClientTab();
    // A new tab for this URL that connects at once; a malformed URL is shown in its inline error.
    ClientTab *openUrl(const QString &url);
    // A new local server tab (not started), made current.
    ServerTab *newServerTab();
    // A new proxy tab (not started), made current.
    ProxyTab *newProxyTab();
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
    int closingTabCount() const;

    // The session this window records into (saved, reopened, recovered).
    SessionController *session() const { return m_session; }
    // Opens a session file: in this window when it holds nothing yet, otherwise in a new one.
    // A file that cannot be opened is said in a message; nothing the user had is touched.
    // Returns the window that shows the session, or nullptr.
    // With recover, `path` is a live capture left by a crash, taken over as it is.
    MainWindow *openSession(const QString &path, bool recover = false);
    // Makes a page for every tab of a session just opened by session()->open(), in order.
    void restore(const SessionContents &contents);
    // A new window with its own session and an empty client tab (deleted when closed).
    static MainWindow *newWindow();
    // The name the user gave a tab ("" when it uses its own title).
    QString tabName(QWidget *page) const;
    void setTabName(QWidget *page, const QString &name);
    // Save (Ctrl+S), Save As: errors are shown in a message. False when not saved.
    bool saveSession();
    bool saveSessionAs();

    // The session's variables, shared by every client tab; saved with the session.
    SessionEnvironment *environment() const { return m_environment; }
    // The saved messages every client tab shows, kept in AppSettings.
    SavedMessageList *globalSavedMessages() const { return m_globalSaved; }
    // The sidebar: collections, connection history, environments (View > Workspace, F9).
    WorkspaceDock *workspace() const { return m_workspace; }
    // The workspace's History page.
    ConnectionHistoryPanel *connectionHistory() const { return m_connectionHistory; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void createMenus();
    void connectActions();
    void createSessionState();
    // A tab of that kind on the bar, not yet recorded nor shown.
    ClientTab *makeClientTab();
    ServerTab *makeServerTab();
    ProxyTab *makeProxyTab();
    void showPage(ConnectionPage *page);
    ClientTab *openFirstLaunchTabs();
    void onCurrentChanged();
    void updateStatusBar();
    void updateWindowTitle();
    void importSession(const QString &imported, const QString &har);

    ActionRegistry *m_actions = nullptr;
    ConnectionTabWidget *m_tabs = nullptr;
    FirstLaunchHint *m_hint = nullptr;
    QLabel *m_statusState = nullptr;
    QLabel *m_statusCounters = nullptr;
    SessionEnvironment *m_environment = nullptr;
    SavedMessageList *m_globalSaved = nullptr;
    SessionController *m_session = nullptr;
    SessionFileActions *m_files = nullptr;
    WorkspaceDock *m_workspace = nullptr;
    ConnectionHistoryPanel *m_connectionHistory = nullptr;
    bool m_windowClosing = false;
    bool m_destroying = false;
};

} // namespace wst
