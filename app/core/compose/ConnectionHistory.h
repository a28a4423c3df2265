#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

class QFileSystemWatcher;

namespace wst {

// One connection a client tab made: where to, when, and how it went.
struct ConnectionHistoryEntry
{
    enum class Outcome { Opened, Refused, Failed };

    QString id; // unique, to update (open duration) or delete this entry
    QDateTime at; // when the attempt started (UTC)
    QString url; // without a password
    Outcome outcome = Outcome::Failed;
    QString subprotocol; // Opened: what the server chose
    int httpStatus = 0; // Refused: what the server answered instead of 101
    QString error; // Refused, Failed: the connection's own words
    qint64 openMs = -1; // Opened: how long it stayed open (-1: still open, or not known)
    QJsonObject settings; // ClientSettingsJson, secrets masked

    QJsonObject toJson() const;
    // False when the object is not an entry (a required key missing or of the wrong type).
    static bool fromJson(const QJsonObject &object, ConnectionHistoryEntry *entry);
};

// The connection history of every window: an NDJSON file in the app's data folder
// (history.ndjson), newest first, at most capacity() entries (the oldest are dropped). Each
// connection appends one line (and one more with its open duration when it ends), so windows of
// other wstester processes can append at the same time; a lock file guards every write, and a
// watcher reloads what others wrote. Secrets never reach the file: add() masks the settings
// (ClientSettingsJson::maskSecrets) and the URL's password. A damaged line is reported in
// problem() and the file is never rewritten without keeping a copy of it.
class ConnectionHistory : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultCapacity = 1000;

    explicit ConnectionHistory(const QString &path, QObject *parent = nullptr);
    ~ConnectionHistory() override;

    // The one every window of this process shares, on defaultPath().
    static ConnectionHistory *instance();
    // <app data>/history.ndjson, unless set (tests; before the first instance()).
    static QString defaultPath();
    static void setDefaultPath(const QString &path);

    QString path() const { return m_path; }
    const QList<ConnectionHistoryEntry> &entries() const { return m_entries; }
    int indexOf(const QString &id) const;
    // One line about a damaged or unwritable file ("" when all is well).
    QString problem() const { return m_problem; }
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);

    // Records a new entry (newest first); a missing id or time is filled in. Returns its id.
    QString add(ConnectionHistoryEntry entry);
    // The connection of that entry closed after being open this long.
    void setOpenDuration(const QString &id, qint64 ms);
    void remove(const QStringList &ids);
    void clear();
    // Reads the file again (what other processes wrote).
    void reload();

Q_SIGNALS:
    // entries() or problem() changed.
    void changed();

private:
    bool appendLine(const QJsonObject &line);
    bool rewrite(const QList<ConnectionHistoryEntry> &entries);
    void readFile();
    void rememberFileState();
    void setProblem(const QString &problem);

    QString m_path;
    QList<ConnectionHistoryEntry> m_entries;
    QString m_problem;
    int m_capacity = defaultCapacity;
    int m_lines = 0; // lines in the file: compacted when well beyond the capacity
    bool m_damaged = false;
    qint64 m_knownSize = -1;
    QDateTime m_knownModified;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace wst
