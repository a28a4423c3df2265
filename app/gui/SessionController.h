#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <memory>

namespace wst {

class ConnectionPage;
class ConnectionTabWidget;
class FilePayloadSource;
class SessionEnvironment;
class SessionRecorder;
struct SessionContents;
struct SessionTab;

// The window's session: every page is recorded into a live session file in the app's data folder
// from the first message (SessionRecorder), Save copies it to the user's .wstsession, Open
// copies a saved session into a new live file whose pages the window then restores, and a live
// file left behind by a crash is offered for recovery at the next launch. It knows the pages
// (through their tab widget) and the recorder, not the window.
class SessionController : public QObject
{
    Q_OBJECT
public:
    SessionController(ConnectionTabWidget *tabs, SessionEnvironment *environment, QObject *parent = nullptr);
    ~SessionController() override;

    // Where live captures are kept: <app data>/sessions, unless set (tests).
    static QString liveFolder();
    static void setLiveFolder(const QString &folder);
    // Live captures that no running wstester holds (left by a crash or a kill) and that have
    // something in them, oldest first.
    static QStringList recoverableSessions();
    // Deletes a live capture and its companions (-wal, -shm, .lock).
    static void removeLiveFile(const QString &path);

    SessionRecorder *recorder() const { return m_recorder.get(); }
    QString livePath() const { return m_livePath; }
    // The file the session was last saved to or opened from ("" before the first save).
    QString filePath() const { return m_filePath; }
    // The file's name without its suffix, or "Untitled session".
    QString displayName() const;
    // Something was captured or changed since the last save, and there is something to keep.
    bool needsSaving() const;
    // The session holds only what the first launch set up (an echo server and a client
    // connected to it): it needs no saving until the user does something there (a message, a
    // ping or a close sent, a tab opened or closed).
    void setFirstLaunchDemo();
    // No message in any tab and nothing unsaved: Open may replace this window's tabs.
    bool isPristine() const;

    // Starts a new, empty live capture. False with *error when the data folder cannot be written
    // (the window then works without capture).
    bool startNew(QString *error);
    // Opens a session file and fills *contents with the pages to restore (restorePage() for
    // each): a saved session is copied into a new live capture first (the file itself is never
    // changed); a live capture left by a crash is taken over as it is (recover = true).
    bool open(const QString &path, QString *error, bool recover, SessionContents *contents);
    // A page the window just made for `saved` of the contents open() gave: its settings, name,
    // saved messages and last handshake are put back, and its history is read back from the file.
    void restorePage(ConnectionPage *page, const SessionTab &saved, const SessionContents &contents);
    // Every page is restored: what the file holds is not a change.
    void restoreFinished();
    // The tab that was current when the session was saved (-1: none).
    static int currentIndex(const SessionContents &contents);

    // The window added a new page (recorded under a new id) or removed one.
    void pageAdded(ConnectionPage *page);
    void pageRemoved(ConnectionPage *page);
    // Writes every tab's title, settings and position and the window's layout.
    void syncTabs();
    qint64 tabId(const QWidget *page) const;

    // Save to the current file (Save As when there is none). Asks whether to keep secrets when
    // the session has any. Blocking: returns false with *error on failure, or when cancelled
    // (empty *error).
    bool save(QString *error);
    bool saveAs(QString *error);
    bool saveTo(const QString &path, bool keepSecrets, QString *error);
    // Asks what to do with unsaved work before the window closes. False: the user cancelled.
    bool confirmClose();
    // The window is closing for good: stops capturing and deletes the live file (what was worth
    // keeping has been saved, or the user said so).
    void finish();

    // The session came from a file that is not a session (an import): Save asks for a name.
    void forgetFile();

    // Client tabs that hold secrets (Authorization, Cookie, passphrases, proxy passwords).
    bool hasSecrets() const;

Q_SIGNALS:
    // The title (name, unsaved mark) changed.
    void changed();

private:
    QWidget *dialogParent() const;
    void watch(ConnectionPage *page, qint64 id);
    void loadHistory(ConnectionPage *page, qint64 tabId);
    void follow(ConnectionPage *page, qint64 id, qint64 firstRow);
    void writeTab(ConnectionPage *page);
    void writeLayout();
    void writeEnvironment();
    void setFilePath(const QString &path);
    bool hasMessages() const;
    bool onlyTheDemo() const;

    QPointer<ConnectionTabWidget> m_tabs;
    QPointer<SessionEnvironment> m_environment;
    std::unique_ptr<SessionRecorder> m_recorder;
    std::shared_ptr<FilePayloadSource> m_payloads;
    QHash<ConnectionPage *, qint64> m_tabIds;
    QSet<qint64> m_readOnlyTabs; // imported: a recorded connection, never connected here
    QString m_livePath;
    QString m_filePath;
    bool m_recovered = false; // unsaved until the first save
    bool m_demo = false; // setFirstLaunchDemo(), until a tab is opened or closed after it
    bool m_keepSecrets = false;
    bool m_secretsAsked = false;
};

} // namespace wst
