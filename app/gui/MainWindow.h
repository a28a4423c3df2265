#pragma once

#include <QMainWindow>

class QAction;
class QActionGroup;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace wst {

class ClientTab;

// The window: a tab per connection, the menus and the status bar of the current tab.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QTabWidget *tabs() const { return m_tabs; }
    int tabCount() const;
    ClientTab *tabAt(int index) const;
    ClientTab *currentTab() const;

    // A new, empty client tab, made current with the URL field focused.
    ClientTab *newClientTab();
    // A new tab for this URL that connects at once; a malformed URL is shown in its inline error.
    ClientTab *openUrl(const QString &url);
    void closeTab(int index);
    // Asks for a new name (through Dialogs); an empty name goes back to the URL's host.
    void renameTab(int index);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void updateTabTitle(ClientTab *tab);
    void updateStatusBar();
    void updateEmptyState();
    void showTabContextMenu(const QPoint &pos);
    void setLanguage(const QString &language);
    void about();

    QStackedWidget *m_stack = nullptr;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_emptyPage = nullptr;
    QLabel *m_statusState = nullptr;
    QLabel *m_statusCounters = nullptr;

    QAction *m_newTabAction = nullptr;
    QAction *m_closeTabAction = nullptr;
    QAction *m_renameTabAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
};

} // namespace wst
