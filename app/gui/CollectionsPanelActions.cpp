// What the Collections panel does with entries: open one in a tab, make collections and
// folders, save the current tab into one, duplicate, import and export.
#include "CollectionsPanel.h"

#include "CollectionLink.h"
#include "ConnectionPage.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "compose/CollectionStore.h"

#include <QDir>
#include <QLabel>
#include <QTreeView>

namespace wst {

namespace {

// Where a new folder or entry goes: the selected container, or else the first collection, or
// else a new one.
QString containerForNew(CollectionStore *store, const QString &selected)
{
    if (!selected.isEmpty())
        return selected;
    if (!store->collections().isEmpty())
        return store->collections().constFirst()->id;
    return store->addCollection(CollectionsPanel::tr("My Collection"));
}

} // namespace

ConnectionPage *CollectionsPanel::open(const QString &id)
{
    const CollectionItem *entry = m_store->item(id);
    if (!entry || !entry->isEntry())
        return nullptr;
    for (ConnectionPage *page : m_tabs->pages()) {
        if (const CollectionLink *link = CollectionLink::of(page); link && link->entryId() == id) {
            m_tabs->setCurrentWidget(page);
            return page;
        }
    }
    const QString name = entry->name;
    const QJsonObject settings = entry->settings;
    const QJsonArray messages = entry->messages;
    // The window makes the tab (and records it in its session) and shows it.
    const bool server = entry->kind == CollectionItem::Kind::Server;
    if (server)
        Q_EMIT m_tabs->newServerRequested();
    else
        Q_EMIT m_tabs->newClientRequested();
    ConnectionPage *page = m_tabs->currentPage();
    if (!page || (page->kind() == QLatin1StringView("server")) != server)
        return nullptr;
    QString error;
    page->setSettingsJson(settings, &error);
    // The history's JSON columns, highlight rules and sort, as the entry keeps them.
    const QJsonValue view = settings.value(QLatin1StringView("historyView"));
    if (HistoryPane *history = page->historyPane(); history && view.isObject()) {
        QStringList problems;
        history->setViewStateJson(view.toObject(), &problems);
        if (!problems.isEmpty())
            error += (error.isEmpty() ? QString() : QStringLiteral("\n")) + problems.join(u'\n');
    }
    if (!error.isEmpty())
        showNotice(tr("\u201c%1\u201d was opened with a problem: %2").arg(name, error));
    page->setSavedMessagesJson(messages);
    page->setCustomTitle(name);
    CollectionLink::bind(page, id, m_store);
    updateSaveShortcut();
    return page;
}

QString CollectionsPanel::newCollection()
{
    QString name;
    if (!Dialogs::getText(
            this, tr("New Collection"), tr("Name of the collection:"), tr("My Collection"), &name)
        || name.trimmed().isEmpty())
        return {};
    const QString id = m_store->addCollection(name);
    if (id.isEmpty())
        showNotice(m_store->lastError());
    select(id);
    return id;
}

QString CollectionsPanel::newFolder()
{
    const QString parent = containerForNew(m_store, containerOf(currentId()));
    QString name;
    if (parent.isEmpty()
        || !Dialogs::getText(this, tr("New Folder"), tr("Name of the folder:"), tr("New folder"), &name)
        || name.trimmed().isEmpty())
        return {};
    const QString id = m_store->addFolder(parent, name);
    if (id.isEmpty())
        showNotice(m_store->lastError());
    select(id);
    return id;
}

QString CollectionsPanel::saveCurrentTabHere()
{
    ConnectionPage *page = m_tabs->currentPage();
    if (!page)
        return {};
    const QString parent = containerForNew(m_store, containerOf(currentId()));
    QString name;
    if (parent.isEmpty()
        || !Dialogs::getText(
            this, tr("Save to Collection"), tr("Name of the collection entry:"), page->title(), &name)
        || name.trimmed().isEmpty())
        return {};
    const QString id = CollectionLink::addTab(page, m_store, parent, name);
    if (id.isEmpty())
        showNotice(m_store->lastError());
    select(id);
    updateSaveShortcut();
    return id;
}

void CollectionsPanel::saveCurrentTab()
{
    ConnectionPage *page = m_tabs->currentPage();
    if (!page)
        return;
    const QString before = m_notice->text();
    if (CollectionLink::saveTab(page, m_store)) {
        if (m_notice->text() == before) // a notice of secrets left out says more
            showStatus(tr("Saved to the collection"), 5000);
        if (const CollectionLink *link = CollectionLink::of(page))
            select(link->entryId());
    } else if (!m_store->lastError().isEmpty()) {
        showNotice(m_store->lastError());
    }
    updateSaveShortcut();
}

QString CollectionsPanel::duplicateCurrent()
{
    const QString id = m_store->duplicate(currentId());
    if (id.isEmpty() && !m_store->lastError().isEmpty())
        showNotice(m_store->lastError());
    select(id);
    return id;
}

void CollectionsPanel::renameCurrent()
{
    if (m_view->currentIndex().isValid())
        m_view->edit(m_view->currentIndex());
}

QString CollectionsPanel::importCollection()
{
    const QString path = Dialogs::getOpenFileName(this, tr("Import Collection"), QDir::homePath(),
        tr("Collections, Postman collections (*.json);;All files (*)"));
    if (path.isEmpty())
        return {};
    const QString id = m_store->importFile(path);
    if (id.isEmpty()) {
        showNotice(m_store->lastError());
        return {};
    }
    showNotice(tr("Imported %1").arg(QDir::toNativeSeparators(path)));
    select(id);
    return id;
}

bool CollectionsPanel::exportCurrent()
{
    const CollectionItem *it = m_store->item(currentId());
    const CollectionItem *collection = it ? const_cast<CollectionItem *>(it)->collection() : nullptr;
    if (!collection)
        return false;
    const QString path = Dialogs::getSaveFileName(this, tr("Export Collection"),
        QDir(QDir::homePath()).filePath(collection->fileName), tr("Collections (*.json)"));
    if (path.isEmpty())
        return false;
    if (!m_store->exportFile(collection->id, path)) {
        showNotice(m_store->lastError());
        return false;
    }
    showNotice(tr("Exported \u201c%1\u201d to %2").arg(collection->name, QDir::toNativeSeparators(path)));
    return true;
}

} // namespace wst
