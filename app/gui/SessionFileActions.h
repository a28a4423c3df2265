#pragma once

#include <QObject>

class QMenu;
class QWidget;

namespace wst {

class ActionRegistry;
class ConnectionTabWidget;
class SessionController;

// The File menu's session work: Open (a dialog), Open Recent, Save, Save As, Import HAR and
// Export, with their errors said in a message. Opening a file is the window's business: this
// asks for it with openRequested().
class SessionFileActions : public QObject
{
    Q_OBJECT
public:
    SessionFileActions(
        ActionRegistry *actions, SessionController *session, ConnectionTabWidget *tabs, QWidget *window);

    // The Open Recent menu, kept in step with AppSettings.
    QMenu *recentMenu() const { return m_recentMenu; }

    // False when not saved (an error was shown) or cancelled.
    bool save();
    bool saveAs();

Q_SIGNALS:
    void openRequested(const QString &path);
    // A HAR was turned into the session file `imported`, to be opened as an unsaved session.
    void importReady(const QString &imported, const QString &har);
    // A line for the status bar.
    void message(const QString &text, int timeoutMs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    void rebuildRecentMenu();
    void openDialog();
    bool reportSave(bool saved, const QString &error);
    void importHar();
    void exportSession();

    SessionController *m_session;
    ConnectionTabWidget *m_tabs;
    QWidget *m_window;
    QMenu *m_recentMenu = nullptr;
};

} // namespace wst
