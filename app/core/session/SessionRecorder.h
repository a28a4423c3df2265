#pragma once

#include "SessionTab.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QVariant>

#include <memory>

class QLockFile;
class QThread;

namespace wst {

class MessageStore;
class SessionWriter;
struct HandshakeRecord;

// Records a window's tabs and histories into a session file as they are captured, the way a
// capture file works: the histories are read from the tabs' MessageStores by a writer thread
// that commits a batch every 100 ms, so the file is at most a few hundred ms behind and the
// caller's thread never waits on the disk. Lives in the caller's thread; every call is carried
// out by the writer thread in the order it was made.
class SessionRecorder : public QObject
{
    Q_OBJECT
public:
    explicit SessionRecorder(QObject *parent = nullptr);
    // Writes what is left and closes the file.
    ~SessionRecorder() override;

    // Starts recording into this file: a new file is created (whole or not at all, see
    // Schema::createEmpty); an existing session (a capture to recover, the copy of a session
    // being opened) is continued; a file left unfinished is replaced (see notice()). Synchronous. With
    // `lock`, a lock file next to it (path + ".lock") marks the capture as live until close(), so that a
    // later launch can tell a crashed capture from a running one.
    bool open(const QString &path, QString *error, bool lock = false);
    bool isOpen() const { return m_writer != nullptr; }
    QString path() const { return m_path; }
    // After open(): a line for the user when the file had been left unfinished by a wstester
    // that stopped while creating it and was made a new empty session; empty otherwise.
    QString notice() const { return m_notice; }
    // Writes what is left, then closes the file (and releases the lock).
    void close();

    // Adds a tab and returns its id (a new one when tab.id is 0).
    qint64 addTab(SessionTab tab);
    void updateTab(const SessionTab &tab);
    // Deletes the tab with its messages, handshakes and saved messages.
    void removeTab(qint64 id);
    // Records the store's rows from `firstRow` on as the tab's history (row i is seq i) and goes
    // on recording the rows it gains. Rows below firstRow are taken to be in the file already.
    // Past the memory budget (setMemoryBudget), the oldest recorded payloads leave the store's
    // memory and are read back from the file when shown.
    void attach(qint64 tabId, std::shared_ptr<MessageStore> store, qint64 firstRow = 0);
    // Payload bytes each tab's store keeps before it reads the oldest back from the file (0:
    // all kept). 256 MiB unless set.
    void setMemoryBudget(qint64 bytes);
    // Writes the rows still pending, then stops following the store.
    void detach(qint64 tabId);
    // A client tab's handshake (conn 0), or a local server client's request (conn = client id),
    // or a proxied connection's handshake on one `side` ("downstream" or "upstream", see
    // SessionHandshake). Returns the row's id; passing it back as `id` replaces that row (a record
    // that grew).
    qint64 recordHandshake(qint64 tabId, quint32 conn, const HandshakeRecord &record, qint64 timeUs,
        qint64 id = 0, const QString &side = QString());
    void setMeta(const QString &key, const QVariant &value);
    // tabId 0: the session's own saved messages.
    void setSavedMessages(qint64 tabId, const QJsonArray &messages);

    // Blocks until everything recorded so far is committed.
    void flush();
    // Copies the session to `target` (atomically: a failure leaves the old file and the capture
    // as they were) while capture goes on. Without keepSecrets, Authorization, Cookie and
    // Set-Cookie values, key passphrases and proxy passwords are masked in the copy. Finishes
    // with saveFinished().
    void saveAs(const QString &target, bool keepSecrets);
    bool saveAsBlocking(const QString &target, bool keepSecrets, QString *error);

    // Anything recorded since the last successful save (or since open()).
    bool isDirty() const { return m_dirty; }
    // Counts everything recorded so far as saved (after restoring an opened session).
    void markSaved();
    // Rows committed to the file so far (all tabs).
    qint64 rowsWritten() const;

Q_SIGNALS:
    void saveFinished(const QString &target, const QString &error);
    // Writing to the file failed (disk full, file removed); capture goes on in memory and the
    // writer tries again.
    void writeFailed(const QString &error);
    void dirtyChanged(bool dirty);

private:
    void onWritten();
    void saved(qint64 generation);
    void setDirty(bool dirty);

    QThread *m_thread = nullptr;
    SessionWriter *m_writer = nullptr; // owned; lives in m_thread
    std::unique_ptr<QLockFile> m_lock;
    QString m_path;
    QString m_notice;
    qint64 m_budget = -1; // not set: the writer's default
    qint64 m_nextTabId = 1;
    qint64 m_nextHandshakeId = 1;
    bool m_dirty = false;
    qint64 m_savedGeneration = 0; // the writer's change count that the last save holds
    int m_marksPending = 0; // markSaved() calls whose change count the writer has not sent back
};

} // namespace wst
