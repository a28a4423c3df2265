#include "ConnectionHistory.h"

#include "ClientSettingsJson.h"
#include "SecretValues.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLockFile>
#include <QPointer>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <QUuid>

#include <algorithm>

namespace wst {

namespace {

QString &defaultPathOverride()
{
    static QString path;
    return path;
}

QString outcomeName(ConnectionHistoryEntry::Outcome outcome)
{
    switch (outcome) {
    case ConnectionHistoryEntry::Outcome::Opened:
        return QStringLiteral("opened");
    case ConnectionHistoryEntry::Outcome::Refused:
        return QStringLiteral("refused");
    case ConnectionHistoryEntry::Outcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

QString withoutPassword(const QString &text)
{
    QUrl url(text);
    if (!url.isValid() || url.password().isEmpty())
        return text;
    url.setPassword(QString());
    return url.toString();
}

} // namespace

QJsonObject ConnectionHistoryEntry::toJson() const
{
    QJsonObject o { { QStringLiteral("id"), id },
        { QStringLiteral("at"), at.toUTC().toString(Qt::ISODateWithMs) }, { QStringLiteral("url"), url },
        { QStringLiteral("outcome"), outcomeName(outcome) } };
    if (!subprotocol.isEmpty())
        o.insert(QStringLiteral("subprotocol"), subprotocol);
    if (httpStatus > 0)
        o.insert(QStringLiteral("status"), httpStatus);
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    if (openMs >= 0)
        o.insert(QStringLiteral("openMs"), openMs);
    if (!settings.isEmpty())
        o.insert(QStringLiteral("settings"), settings);
    return o;
}

bool ConnectionHistoryEntry::fromJson(const QJsonObject &o, ConnectionHistoryEntry *entry)
{
    ConnectionHistoryEntry e;
    e.id = o.value(QLatin1StringView("id")).toString();
    e.at = QDateTime::fromString(o.value(QLatin1StringView("at")).toString(), Qt::ISODateWithMs);
    e.url = o.value(QLatin1StringView("url")).toString();
    const QString outcome = o.value(QLatin1StringView("outcome")).toString();
    if (e.id.isEmpty() || !e.at.isValid() || !o.value(QLatin1StringView("url")).isString())
        return false;
    if (outcome == QLatin1StringView("opened"))
        e.outcome = Outcome::Opened;
    else if (outcome == QLatin1StringView("refused"))
        e.outcome = Outcome::Refused;
    else if (outcome == QLatin1StringView("failed"))
        e.outcome = Outcome::Failed;
    else
        return false;
    e.subprotocol = o.value(QLatin1StringView("subprotocol")).toString();
    e.httpStatus = o.value(QLatin1StringView("status")).toInt();
    e.error = o.value(QLatin1StringView("error")).toString();
    e.openMs = qint64(o.value(QLatin1StringView("openMs")).toDouble(-1));
    e.settings = o.value(QLatin1StringView("settings")).toObject();
    *entry = e;
    return true;
}

ConnectionHistory::ConnectionHistory(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_watcher(new QFileSystemWatcher(this))
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    // The folder is watched too: the file may not exist yet, and a rewrite replaces it.
    m_watcher->addPath(QFileInfo(m_path).absolutePath());
    const auto onDisk = [this] {
        if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
            m_watcher->addPath(m_path);
        const QFileInfo info(m_path);
        if (info.exists() == (m_knownSize >= 0) && info.size() == qMax<qint64>(m_knownSize, 0)
            && info.lastModified() == m_knownModified)
            return; // our own write, or nothing of ours
        reload();
    };
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, onDisk);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, onDisk);
    readFile();
    if (QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
}

ConnectionHistory::~ConnectionHistory() = default;

ConnectionHistory *ConnectionHistory::instance()
{
    static QPointer<ConnectionHistory> shared;
    if (!shared)
        shared = new ConnectionHistory(defaultPath(), QCoreApplication::instance());
    return shared;
}

QString ConnectionHistory::defaultPath()
{
    if (!defaultPathOverride().isEmpty())
        return defaultPathOverride();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QLatin1StringView("/history.ndjson");
}

void ConnectionHistory::setDefaultPath(const QString &path)
{
    defaultPathOverride() = path;
}

int ConnectionHistory::indexOf(const QString &id) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).id == id)
            return i;
    }
    return -1;
}

void ConnectionHistory::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    if (m_entries.size() > m_capacity) {
        m_entries.resize(m_capacity);
        Q_EMIT changed();
    }
}

QString ConnectionHistory::add(ConnectionHistoryEntry entry)
{
    if (entry.id.isEmpty())
        entry.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!entry.at.isValid())
        entry.at = QDateTime::currentDateTimeUtc();
    // Secrets stop here, whoever calls.
    entry.url = SecretValues::mask(withoutPassword(entry.url));
    entry.error = SecretValues::mask(entry.error);
    ClientSettingsJson::maskSecrets(entry.settings);
    if (!SecretValues::isEmpty()) {
        // A secret variable's value typed as it is (not as {{name}}) stays out too; {{name}} is
        // JSON-safe, so the masked text parses back.
        const QByteArray masked
            = SecretValues::mask(QJsonDocument(entry.settings).toJson(QJsonDocument::Compact));
        entry.settings = QJsonDocument::fromJson(masked).object();
    }
    appendLine(entry.toJson());
    m_entries.prepend(entry);
    if (m_entries.size() > m_capacity)
        m_entries.resize(m_capacity);
    // Compacted now and then, not at every line: a rewrite costs the whole file.
    if (m_lines > m_capacity + qMax(16, m_capacity / 4) && !m_damaged)
        rewrite(m_entries);
    Q_EMIT changed();
    return entry.id;
}

void ConnectionHistory::setOpenDuration(const QString &id, qint64 ms)
{
    const int at = indexOf(id);
    if (at < 0)
        return;
    m_entries[at].openMs = ms;
    appendLine({ { QStringLiteral("id"), id }, { QStringLiteral("openMs"), ms } });
    Q_EMIT changed();
}

void ConnectionHistory::remove(const QStringList &ids)
{
    QLockFile lock(m_path + QLatin1StringView(".lock"));
    lock.tryLock(2000);
    readFile(); // what other windows added since is kept
    QList<ConnectionHistoryEntry> kept;
    for (const ConnectionHistoryEntry &e : std::as_const(m_entries)) {
        if (!ids.contains(e.id))
            kept.append(e);
    }
    rewrite(kept);
    Q_EMIT changed();
}

void ConnectionHistory::clear()
{
    QLockFile lock(m_path + QLatin1StringView(".lock"));
    lock.tryLock(2000);
    readFile();
    rewrite({});
    Q_EMIT changed();
}

void ConnectionHistory::reload()
{
    readFile();
    Q_EMIT changed();
}

bool ConnectionHistory::appendLine(const QJsonObject &line)
{
    QLockFile lock(m_path + QLatin1StringView(".lock"));
    lock.tryLock(2000); // a line is appended in one write: even unlocked it does not interleave
    QFile file(m_path);
    const bool ok = file.open(QIODevice::WriteOnly | QIODevice::Append)
        && file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n') > 0 && file.flush();
    if (!ok) {
        setProblem(tr("The connection history %1 cannot be written: %2")
                       .arg(QDir::toNativeSeparators(m_path), file.errorString()));
        return false;
    }
    file.close();
    ++m_lines;
    rememberFileState();
    if (!m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
    return true;
}

bool ConnectionHistory::rewrite(const QList<ConnectionHistoryEntry> &entries)
{
    QString kept;
    if (m_damaged) {
        // Never overwrite what could not be read without keeping it.
        kept = m_path + QLatin1StringView(".damaged-")
            + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        if (!QFile::copy(m_path, kept)) {
            setProblem(tr("The connection history %1 is damaged and could not be copied aside; it was left "
                          "as it is.")
                           .arg(QDir::toNativeSeparators(m_path)));
            return false;
        }
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        setProblem(tr("The connection history %1 cannot be written: %2")
                       .arg(QDir::toNativeSeparators(m_path), file.errorString()));
        return false;
    }
    // Oldest first, as appended.
    for (auto it = entries.crbegin(); it != entries.crend(); ++it)
        file.write(QJsonDocument(it->toJson()).toJson(QJsonDocument::Compact) + '\n');
    if (!file.commit()) {
        setProblem(tr("The connection history %1 cannot be written: %2")
                       .arg(QDir::toNativeSeparators(m_path), file.errorString()));
        return false;
    }
    m_entries = entries;
    m_lines = int(entries.size());
    m_damaged = false;
    rememberFileState();
    m_problem = kept.isEmpty()
        ? QString()
        : tr("The damaged connection history was kept as %1.").arg(QDir::toNativeSeparators(kept));
    return true;
}

void ConnectionHistory::readFile()
{
    m_entries.clear();
    m_lines = 0;
    m_damaged = false;
    m_problem.clear();
    QFile file(m_path);
    if (!file.exists()) {
        rememberFileState();
        return;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        m_problem = tr("The connection history %1 cannot be read: %2")
                        .arg(QDir::toNativeSeparators(m_path), file.errorString());
        m_damaged = true;
        return;
    }
    QList<ConnectionHistoryEntry> oldestFirst;
    QHash<QString, qsizetype> byId;
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        ++m_lines;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        const QJsonObject o = doc.object();
        ConnectionHistoryEntry entry;
        QString why;
        if (error.error != QJsonParseError::NoError)
            why = error.errorString();
        else if (!doc.isObject())
            why = tr("not a JSON object");
        else if (o.contains(QLatin1StringView("url"))) {
            if (ConnectionHistoryEntry::fromJson(o, &entry)) {
                byId.insert(entry.id, oldestFirst.size());
                oldestFirst.append(entry);
            } else {
                why = tr("not a connection entry");
            }
        } else if (byId.contains(o.value(QLatin1StringView("id")).toString())) {
            oldestFirst[byId.value(o.value(QLatin1StringView("id")).toString())].openMs
                = qint64(o.value(QLatin1StringView("openMs")).toDouble(-1));
        } else if (!o.contains(QLatin1StringView("id"))) {
            why = tr("not a connection entry");
        } // else: the duration of an entry dropped since
        if (!why.isEmpty() && !m_damaged) {
            m_damaged = true;
            m_problem = tr("The connection history %1 is damaged at line %2 (%3); that line is skipped "
                           "and the file is left as it is.")
                            .arg(QDir::toNativeSeparators(m_path))
                            .arg(lineNumber)
                            .arg(why);
        }
    }
    for (auto it = oldestFirst.crbegin(); it != oldestFirst.crend() && m_entries.size() < m_capacity; ++it)
        m_entries.append(*it);
    rememberFileState();
}

void ConnectionHistory::rememberFileState()
{
    const QFileInfo info(m_path);
    m_knownSize = info.exists() ? info.size() : -1;
    m_knownModified = info.lastModified();
}

void ConnectionHistory::setProblem(const QString &problem)
{
    m_problem = problem;
    Q_EMIT changed();
}

} // namespace wst
