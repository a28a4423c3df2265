#include "SessionFileActions.h"

#include "ActionRegistry.h"
#include "ConnectionPage.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "SessionController.h"
#include "TransferDialogs.h"
#include "session/SessionRecorder.h"
#include "settings/AppSettings.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QMenu>
#include <QStandardPaths>

namespace wst {

SessionFileActions::SessionFileActions(
    ActionRegistry *actions, SessionController *session, ConnectionTabWidget *tabs, QWidget *window)
    : QObject(window)
    , m_session(session)
    , m_tabs(tabs)
    , m_window(window)
    , m_recentMenu(new QMenu(window))
{
    m_recentMenu->setObjectName(QStringLiteral("recentSessionsMenu"));
    // This object is no widget: it hears the change of language through its menu.
    m_recentMenu->installEventFilter(this);
    retranslateUi();
    connect(AppSettings::instance(), &AppSettings::recentSessionsChanged, this,
        &SessionFileActions::rebuildRecentMenu);
    connect(actions->action(QStringLiteral("openSessionAction")), &QAction::triggered, this,
        &SessionFileActions::openDialog);
    connect(actions->action(QStringLiteral("saveSessionAction")), &QAction::triggered, this,
        &SessionFileActions::save);
    connect(actions->action(QStringLiteral("saveSessionAsAction")), &QAction::triggered, this,
        &SessionFileActions::saveAs);
    connect(actions->action(QStringLiteral("importHarAction")), &QAction::triggered, this,
        &SessionFileActions::importHar);
    connect(actions->action(QStringLiteral("exportAction")), &QAction::triggered, this,
        &SessionFileActions::exportSession);
}

void SessionFileActions::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = AppSettings::instance()->recentSessions();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString &path = files.at(i);
        const QString label
            = i < 9 ? tr("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()) : QFileInfo(path).fileName();
        QAction *action = m_recentMenu->addAction(label, this, [this, path] { Q_EMIT openRequested(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent sessions"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear Menu"), this, [] {
        for (const QString &path : AppSettings::instance()->recentSessions())
            AppSettings::instance()->removeRecentSession(path);
    });
}

bool SessionFileActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_recentMenu && event->type() == QEvent::LanguageChange)
        retranslateUi();
    return QObject::eventFilter(watched, event);
}

void SessionFileActions::retranslateUi()
{
    m_recentMenu->setTitle(tr("Open &Recent"));
    rebuildRecentMenu();
}

void SessionFileActions::openDialog()
{
    const QString path = Dialogs::getOpenFileName(
        m_window, tr("Open Session"), {}, tr("wstester sessions (*.wstsession);;All files (*)"));
    if (!path.isEmpty())
        Q_EMIT openRequested(path);
}

bool SessionFileActions::save()
{
    QString error;
    return reportSave(m_session->save(&error), error);
}

bool SessionFileActions::saveAs()
{
    QString error;
    return reportSave(m_session->saveAs(&error), error);
}

bool SessionFileActions::reportSave(bool saved, const QString &error)
{
    if (saved)
        Q_EMIT message(tr("Saved to %1").arg(QDir::toNativeSeparators(m_session->filePath())), 5000);
    else if (!error.isEmpty()) // empty: the user cancelled
        Dialogs::warning(m_window, tr("Save Session"), error);
    return saved;
}

void SessionFileActions::importHar()
{
    const QString har = Dialogs::getOpenFileName(
        m_window, tr("Import HAR"), {}, tr("HAR files (*.har *.json);;All files (*)"));
    if (har.isEmpty())
        return;
    // The import becomes a session file of its own, opened like any other.
    const QString folder = SessionController::liveFolder();
    QDir().mkpath(folder);
    const QString target
        = QStringLiteral("%1/import-%2-%3.wstsession")
              .arg(folder, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmsszzz")))
              .arg(QCoreApplication::applicationPid());
    QString error;
    const QString imported = Transfer::importHar(m_window, har, target, &error);
    if (imported.isEmpty()) {
        if (!error.isEmpty())
            Dialogs::warning(m_window, tr("Import HAR"), error);
        return;
    }
    Q_EMIT importReady(imported, har);
}

void SessionFileActions::exportSession()
{
    // The file must hold everything shown so far.
    m_session->syncTabs();
    m_session->recorder()->flush();
    ExportOptionsDialog::Scopes scopes;
    ConnectionPage *page = m_tabs->currentPage();
    const qint64 tabId = m_session->tabId(page);
    QList<SessionExport::RowRef> rows;
    if (tabId > 0) {
        scopes.currentTab = true;
        scopes.currentTabTitle = page->title();
        if (HistoryPane *history = page->historyPane()) {
            for (qint64 seq : history->selectedStoreIndexes())
                rows.append({ tabId, seq });
        }
        scopes.selectedRows = rows.size();
    }
    ExportOptionsDialog dialog(scopes, m_window);
    dialog.setSuggestedPath(QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                .filePath(m_session->displayName()));
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto scope = dialog.scope();
    QString error;
    qint64 masked = 0;
    if (Transfer::exportSession(m_window, m_session->livePath(), dialog.format(),
            scope == ExportOptionsDialog::Scope::Tab ? tabId : -1,
            scope == ExportOptionsDialog::Scope::Rows ? rows : QList<SessionExport::RowRef>(),
            dialog.fileName(), &error, dialog.keepSecrets(), &masked)) {
        const QString where = QDir::toNativeSeparators(dialog.fileName());
        Q_EMIT message(
            masked > 0 ? tr("Exported to %1, secrets masked").arg(where) : tr("Exported to %1").arg(where),
            masked > 0 ? 8000 : 5000);
    } else if (!error.isEmpty()) {
        Dialogs::warning(m_window, tr("Export"), error);
    }
}

} // namespace wst
