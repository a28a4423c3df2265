#include "SessionController.h"

#include "CollectionLink.h"
#include "ConnectionPage.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "capture/CaptureBinder.h"
#include "compose/ClientSettingsJson.h"
#include "compose/CollectionStore.h"
#include "compose/SessionEnvironment.h"
#include "messages/MessageStore.h"
#include "messages/WorkerPool.h"
#include "session/FilePayloadSource.h"
#include "session/SecretMasking.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"
#include "settings/AppSettings.h"
#include "settings/RecentlyUsed.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QStandardPaths>
#include <QTabBar>
#include <QtConcurrent>

namespace wst {

namespace {

// File > Open Recent, and the desktop's own list of recent files (file choosers, "Recent").
void rememberRecent(const QString &path)
{
    AppSettings::instance()->addRecentSession(path);
    const QString error
        = RecentlyUsed::add({ QFileInfo(path).absoluteFilePath(), QStringLiteral("application/x-wstsession"),
            QStringLiteral("wstester"), QStringLiteral("'wstester %u'"), QDateTime::currentDateTimeUtc() });
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
}

QString &liveFolderOverride()
{
    static QString folder;
    return folder;
}

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObject(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

QJsonArray jsonArray(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).array();
}

} // namespace

SessionController::SessionController(
    ConnectionTabWidget *tabs, SessionEnvironment *environment, QObject *parent)
    : QObject(parent)
    , m_tabs(tabs)
    , m_environment(environment)
    , m_recorder(std::make_unique<SessionRecorder>())
{
    connect(m_recorder.get(), &SessionRecorder::dirtyChanged, this, &SessionController::changed);
    // Past this much payload memory a tab's oldest recorded messages are read back from the file.
    AppSettings *settings = AppSettings::instance();
    const auto applyBudget = [this](int mib) { m_recorder->setMemoryBudget(qint64(mib) << 20); };
    applyBudget(settings->historyMemoryMiB());
    connect(settings, &AppSettings::historyMemoryMiBChanged, this, applyBudget);
    connect(m_recorder.get(), &SessionRecorder::writeFailed, this,
        [this](const QString &error) { Dialogs::warning(dialogParent(), tr("Session File"), error); });
    if (m_environment)
        connect(m_environment, &SessionEnvironment::changed, this, &SessionController::writeEnvironment);
    connect(m_tabs->tabBar(), &QTabBar::tabMoved, this, &SessionController::syncTabs);
}

SessionController::~SessionController()
{
    finish();
}

QWidget *SessionController::dialogParent() const
{
    return m_tabs ? m_tabs->window() : nullptr;
}

qint64 SessionController::tabId(const QWidget *page) const
{
    for (auto it = m_tabIds.cbegin(); it != m_tabIds.cend(); ++it) {
        if (it.key() == page)
            return it.value();
    }
    return 0;
}

QString SessionController::liveFolder()
{
    if (!liveFolderOverride().isEmpty())
        return liveFolderOverride();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1StringView("/sessions");
}

void SessionController::setLiveFolder(const QString &folder)
{
    liveFolderOverride() = folder;
}

QStringList SessionController::recoverableSessions()
{
    QStringList found;
    const QDir dir(liveFolder());
    const QFileInfoList files = dir.entryInfoList(
        { QStringLiteral("live-*.wstsession") }, QDir::Files, QDir::Time | QDir::Reversed);
    for (const QFileInfo &info : files) {
        const QString path = info.absoluteFilePath();
        // A running wstester holds the lock; a crashed one left a stale lock (or none).
        QLockFile lock(path + QLatin1StringView(".lock"));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue;
        lock.unlock();
        SessionContents contents;
        QString error;
        if (!readSessionContents(path, &contents, &error)) {
            if (Schema::isUnfinished(path))
                removeLiveFile(path); // killed while creating it: it never held a message
            continue; // otherwise not ours to judge: left alone
        }
        qint64 messages = 0;
        for (qint64 count : std::as_const(contents.messageCounts))
            messages += count;
        if (messages > 0)
            found.append(path);
        else
            removeLiveFile(path); // nothing in it worth offering
    }
    return found;
}

void SessionController::removeLiveFile(const QString &path)
{
    for (const char *suffix : { "", "-wal", "-shm", "-journal", ".lock" })
        QFile::remove(path + QLatin1StringView(suffix));
}

QString SessionController::displayName() const
{
    if (m_filePath.isEmpty())
        return tr("Untitled session");
    return QFileInfo(m_filePath).completeBaseName();
}

bool SessionController::hasMessages() const
{
    for (auto it = m_tabIds.cbegin(); it != m_tabIds.cend(); ++it) {
        const auto store = it.key()->store();
        if (store && store->count() > 0)
            return true;
    }
    return false;
}

bool SessionController::needsSaving() const
{
    if (!m_recorder->isOpen())
        return false;
    return (m_recovered || m_recorder->isDirty()) && hasMessages() && !onlyTheDemo();
}

void SessionController::setFirstLaunchDemo()
{
    m_demo = true;
}

bool SessionController::onlyTheDemo() const
{
    if (!m_demo)
        return false;
    // The demo writes events only (connecting, open, the hint); anything sent or received is
    // the user's doing. The first row sent ends the look: a demo has a handful of rows.
    for (auto it = m_tabIds.cbegin(); it != m_tabIds.cend(); ++it) {
        const auto store = it.key()->store();
        const qint64 count = store ? store->count() : 0;
        for (qint64 i = 0; i < count; ++i) {
            if (store->row(i).direction != Direction::Event)
                return false;
        }
    }
    return true;
}

bool SessionController::isPristine() const
{
    return !hasMessages() && m_filePath.isEmpty() && !m_recovered;
}

bool SessionController::startNew(QString *error)
{
    const QString folder = liveFolder();
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = tr("The folder %1 cannot be created: the session is not recorded.").arg(folder);
        return false;
    }
    static int counter = 0;
    m_livePath = QStringLiteral("%1/live-%2-%3-%4.wstsession")
                     .arg(folder, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                     .arg(QCoreApplication::applicationPid())
                     .arg(++counter);
    if (!m_recorder->open(m_livePath, error, true)) {
        m_livePath.clear();
        return false;
    }
    return true;
}

bool SessionController::open(const QString &path, QString *error, bool recover, SessionContents *contentsOut)
{
    // Nothing changes until the file is known to be good: openReadOnly() (a saved session) and
    // readSessionContents() (a recovered capture) check it first.
    QString target = path;
    if (!recover) {
        const QString folder = liveFolder();
        QDir().mkpath(folder);
        target = QStringLiteral("%1/live-%2-%3-open.wstsession")
                     .arg(folder, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmsszzz")))
                     .arg(QCoreApplication::applicationPid());
        QSqlDatabase source = Schema::openReadOnly(path, error);
        if (!source.isOpen())
            return false;
        QApplication::setOverrideCursor(Qt::WaitCursor);
        const bool copied = Schema::backupTo(source, target, error);
        QApplication::restoreOverrideCursor();
        Schema::close(source);
        if (!copied)
            return false;
    }
    SessionContents &contents = *contentsOut;
    if (!readSessionContents(target, &contents, error)) {
        if (!recover)
            removeLiveFile(target);
        return false;
    }
    // The window's own empty capture goes; the opened one takes its place.
    const QString previous = m_livePath;
    m_recorder->close();
    if (!previous.isEmpty() && previous != target)
        removeLiveFile(previous);
    m_tabIds.clear();
    m_readOnlyTabs.clear();
    if (!m_recorder->open(target, error, true)) {
        m_livePath.clear();
        if (!recover)
            removeLiveFile(target);
        QString ignored;
        startNew(&ignored); // the window goes on recording what comes next
        return false;
    }
    m_livePath = target;
    m_payloads = FilePayloadSource::open(target, error);
    m_recovered = recover;
    if (recover)
        setFilePath(contents.meta.value(QStringLiteral("saved_path")).toString());
    else
        setFilePath(path);
    if (m_environment) {
        m_environment->fromJson(jsonArray(contents.meta.value(QStringLiteral("environment"))));
        m_environment->setActiveName(contents.meta.value(QStringLiteral("active_environment")).toString());
    }
    for (const SessionTab &saved : std::as_const(contents.tabs)) {
        if (saved.readOnly)
            m_readOnlyTabs.insert(saved.id);
    }
    if (!recover)
        rememberRecent(path);
    m_keepSecrets = contents.meta.value(QStringLiteral("secrets")).toString() == QLatin1StringView("saved");
    m_secretsAsked = !m_filePath.isEmpty();
    return true;
}

void SessionController::restoreFinished()
{
    // What was just restored is what the file holds: not a change.
    m_recorder->markSaved();
    Q_EMIT changed();
}

void SessionController::restorePage(
    ConnectionPage *page, const SessionTab &saved, const SessionContents &contents)
{
    if (!m_recorder->isOpen() || m_tabIds.contains(page))
        return;
    m_tabIds.insert(page, saved.id);
    watch(page, saved.id);
    page->setSettingsJson(saved.settings);
    const QString name = saved.settings.value(QLatin1StringView("tabName")).toString();
    if (!name.isEmpty())
        page->setCustomTitle(name);
    page->setSavedMessagesJson(contents.savedMessages.value(saved.id));
    // The history's JSON columns and highlight rules (optional: older files have none).
    if (HistoryPane *history = page->historyPane()) {
        const QJsonValue view = saved.settings.value(QLatin1StringView("historyView"));
        QStringList problems;
        if (view.isObject())
            history->setViewStateJson(view.toObject(), &problems);
        else if (!view.isUndefined())
            problems << tr("The history's columns and highlight rules are not an object: skipped");
        if (!problems.isEmpty())
            Dialogs::warning(dialogParent(), tr("Session File"),
                tr("Some of the history settings of the tab \u201c%1\u201d could not be restored:\n%2")
                    .arg(page->title(), problems.join(u'\n')));
    }
    CollectionLink::restoreFrom(page, saved.settings, CollectionStore::instance());
    const QList<SessionHandshake> handshakes = contents.handshakes.value(saved.id);
    if (ClientConnection *connection = page->clientConnection(); connection && !handshakes.isEmpty())
        connection->restoreHandshake(handshakes.last().record);
    page->restoreHandshakes(handshakes);
    if (saved.readOnly)
        page->setOriginNote(tr("Imported: the messages and headers of a recorded connection. Connect to open "
                               "a live one; any message can be resent."));
    else if (contents.messageCounts.value(saved.id) > 0)
        page->setOriginNote(m_recovered ? tr("Recovered after wstester was not closed properly.")
                                        : tr("Reopened from %1.").arg(QDir::toNativeSeparators(m_filePath)));
    loadHistory(page, saved.id);
}

int SessionController::currentIndex(const SessionContents &contents)
{
    const QJsonObject layout = jsonObject(contents.meta.value(QStringLiteral("layout")));
    return layout.value(QLatin1StringView("current")).toInt(-1);
}

void SessionController::loadHistory(ConnectionPage *page, qint64 tabId)
{
    page->setHistoryLoading(true);
    // The loader is the store's only writer until it is done: the tab cannot connect meanwhile.
    auto *watcher = new QFutureWatcher<qint64>(this);
    QPointer<ConnectionPage> guarded(page);
    connect(watcher, &QFutureWatcher<qint64>::finished, this, [this, watcher, guarded, tabId] {
        watcher->deleteLater();
        const qint64 rows = watcher->result();
        if (!guarded || !m_tabIds.contains(guarded))
            return;
        if (rows < 0)
            Dialogs::warning(
                dialogParent(), tr("Session File"), tr("Part of the history could not be read back."));
        guarded->setHistoryLoading(false);
        follow(guarded, tabId, guarded->store()->count());
    });
    const QString path = m_livePath;
    const std::shared_ptr<PayloadSource> payloads = m_payloads;
    // Keep the store alive while the loader writes into it, whatever happens to the tab.
    std::shared_ptr<MessageStore> keep = page->store();
    watcher->setFuture(QtConcurrent::run(workerPool(), [path, tabId, keep, payloads] {
        QString error;
        return loadSessionHistory(path, tabId, *keep, payloads, &error);
    }));
}

void SessionController::pageAdded(ConnectionPage *page)
{
    if (!m_recorder->isOpen() || m_tabIds.contains(page))
        return;
    SessionTab tab;
    tab.kind = page->kind();
    const qint64 id = m_recorder->addTab(tab);
    m_tabIds.insert(page, id);
    if (m_tabIds.size() > 2)
        m_demo = false; // the first launch's two tabs, and one more: the user's
    watch(page, id);
    follow(page, id, 0);
    writeTab(page);
    writeLayout();
}

// The one place that binds a live connection or server to the recorder.
void SessionController::follow(ConnectionPage *page, qint64 id, qint64 firstRow)
{
    if (ClientConnection *connection = page->clientConnection())
        CaptureBinder::follow(m_recorder.get(), id, connection, firstRow);
    else if (LocalServer *server = page->localServer())
        CaptureBinder::follow(m_recorder.get(), id, server, firstRow);
    else if (ProxyServer *proxy = page->proxyServer())
        CaptureBinder::follow(m_recorder.get(), id, proxy, firstRow);
}

void SessionController::watch(ConnectionPage *page, qint64 id)
{
    // A page deleted while the window closes stays in the file, but not here.
    connect(page, &QObject::destroyed, this, [this, page] { m_tabIds.remove(page); });
    connect(page, &ConnectionPage::titleChanged, this, [this, page] { writeTab(page); });
    // A connection's settings as it was opened; a server's URL once it listens.
    connect(page, &ConnectionPage::indicatorChanged, this, [this, page] { writeTab(page); });
    if (HistoryPane *history = page->historyPane())
        connect(history, &HistoryPane::viewStateChanged, this, [this, page] { writeTab(page); });
    connect(page, &ConnectionPage::savedMessagesChanged, this,
        [this, page, id] { m_recorder->setSavedMessages(id, page->savedMessagesJson()); });
}

void SessionController::pageRemoved(ConnectionPage *page)
{
    const qint64 id = m_tabIds.take(page);
    m_demo = false;
    if (id > 0) {
        page->disconnect(this);
        m_recorder->removeTab(id);
        writeLayout();
    }
}

void SessionController::writeTab(ConnectionPage *page)
{
    const qint64 id = m_tabIds.value(page);
    if (id <= 0 || !m_tabs)
        return;
    SessionTab tab;
    tab.id = id;
    tab.position = m_tabs->indexOf(page);
    tab.title = page->title();
    tab.kind = page->kind();
    tab.settings = page->settingsJson();
    tab.settings.insert(QStringLiteral("tabName"), page->customTitle());
    if (const HistoryPane *history = page->historyPane()) {
        if (const QJsonObject view = history->viewStateJson(); !view.isEmpty())
            tab.settings.insert(QStringLiteral("historyView"), view);
    }
    CollectionLink::writeTo(page, tab.settings);
    tab.url = page->address();
    tab.readOnly = m_readOnlyTabs.contains(id);
    m_recorder->updateTab(tab);
}

void SessionController::writeLayout()
{
    QJsonObject layout;
    layout.insert(QStringLiteral("current"), m_tabs ? m_tabs->currentIndex() : -1);
    m_recorder->setMeta(QStringLiteral("layout"), jsonText(layout));
}

void SessionController::syncTabs()
{
    for (auto it = m_tabIds.cbegin(); it != m_tabIds.cend(); ++it)
        writeTab(it.key());
    writeLayout();
    writeEnvironment();
}

void SessionController::writeEnvironment()
{
    if (!m_environment)
        return;
    m_recorder->setMeta(QStringLiteral("environment"),
        QString::fromUtf8(QJsonDocument(m_environment->toJson()).toJson(QJsonDocument::Compact)));
    // By name: its variables live in the environment's own file, its secrets in the keychain.
    m_recorder->setMeta(QStringLiteral("active_environment"), m_environment->activeName());
}

bool SessionController::hasSecrets() const
{
    for (auto it = m_tabIds.cbegin(); it != m_tabIds.cend(); ++it) {
        const ClientConnection *connection = it.key()->clientConnection();
        if (!connection)
            continue;
        QJsonObject settings = it.key()->settingsJson();
        // A value still missing since the session was reopened is listed already, and is no secret.
        const qsizetype missing = settings.value(QLatin1StringView("masked")).toArray().size();
        ClientSettingsJson::maskSecrets(settings);
        if (settings.value(QLatin1StringView("masked")).toArray().size() > missing)
            return true;
        const HandshakeRecord &record = connection->handshake();
        if (SecretMasking::maskHeaders(record.request) != record.request
            || SecretMasking::maskHeaders(record.response) != record.response)
            return true;
    }
    return false;
}

bool SessionController::save(QString *error)
{
    if (m_filePath.isEmpty())
        return saveAs(error);
    if (!m_secretsAsked && hasSecrets()) {
        m_keepSecrets = Dialogs::question(dialogParent(), tr("Save Secrets?"),
                            tr("This session holds secrets: Authorization or Cookie header values, a key "
                               "passphrase or a proxy password. Save them in the file?\n\nNo: they are "
                               "masked in the file and must be typed again after opening it."),
                            QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
        m_secretsAsked = true;
    }
    return saveTo(m_filePath, m_keepSecrets, error);
}

bool SessionController::saveAs(QString *error)
{
    const QString suggested = m_filePath.isEmpty()
        ? QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .filePath(QStringLiteral("session.wstsession"))
        : m_filePath;
    QString path = Dialogs::getSaveFileName(dialogParent(), tr("Save Session As"), suggested,
        tr("wstester sessions (*.wstsession);;All files (*)"));
    if (path.isEmpty()) {
        if (error)
            error->clear();
        return false;
    }
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1StringView(".wstsession");
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(m_livePath).absoluteFilePath()) {
        if (error)
            *error = tr("That is the live capture file itself; choose another name.");
        return false;
    }
    m_secretsAsked = false;
    const QString previous = m_filePath;
    m_filePath = path;
    const bool ok = save(error);
    if (!ok)
        m_filePath = previous;
    return ok;
}

bool SessionController::saveTo(const QString &path, bool keepSecrets, QString *error)
{
    if (!m_recorder->isOpen()) {
        if (error)
            *error = tr("This window records no session: %1 could not be written.").arg(liveFolder());
        return false;
    }
    syncTabs();
    m_recorder->setMeta(QStringLiteral("name"), QFileInfo(path).completeBaseName());
    m_recorder->setMeta(QStringLiteral("saved_path"), QFileInfo(path).absoluteFilePath());
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = m_recorder->saveAsBlocking(path, keepSecrets, error);
    QApplication::restoreOverrideCursor();
    if (!ok)
        return false;
    m_recovered = false;
    setFilePath(QFileInfo(path).absoluteFilePath());
    rememberRecent(m_filePath);
    Q_EMIT changed();
    return true;
}

bool SessionController::confirmClose()
{
    if (!needsSaving())
        return true;
    const auto answer = Dialogs::question(dialogParent(), tr("Unsaved Session"),
        tr("The session \u201c%1\u201d has messages that are not saved. Save them before closing?")
            .arg(displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Discard)
        return true;
    QString error;
    if (save(&error))
        return true;
    if (!error.isEmpty())
        Dialogs::warning(dialogParent(), tr("Save Session"), error);
    return false;
}

void SessionController::finish()
{
    if (!m_recorder->isOpen())
        return;
    m_recorder->close();
    m_payloads.reset();
    removeLiveFile(m_livePath);
    m_livePath.clear();
}

void SessionController::forgetFile()
{
    AppSettings::instance()->removeRecentSession(m_filePath);
    m_recovered = true; // unsaved until saved
    setFilePath({});
}

void SessionController::setFilePath(const QString &path)
{
    m_filePath = path;
    Q_EMIT changed();
}

} // namespace wst
