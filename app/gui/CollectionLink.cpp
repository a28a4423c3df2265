#include "CollectionLink.h"

#include "ClientTab.h"
#include "ConnectionBar.h"
#include "ConnectionPage.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "ServerSettingsWidget.h"
#include "compose/ClientSettingsJson.h"
#include "compose/CollectionStore.h"
#include "compose/ServerSettingsJson.h"

namespace wst {

namespace {

const QLatin1StringView SessionKey("collectionEntry");
const QLatin1StringView HistoryViewKey("historyView");

// The settings as a tab would give them back (every key, defaults filled in), masked as the
// collection file keeps them: an entry written by hand or by an older wstester compares equal
// to the tab opened from it.
QJsonObject normalized(CollectionItem::Kind kind, const QJsonObject &settings)
{
    QString ignored;
    QJsonObject json;
    if (kind == CollectionItem::Kind::Server) {
        json = ServerSettingsJson::toJson(ServerSettingsJson::fromJson(settings, &ignored));
    } else {
        json = ClientSettingsJson::toJson(ClientSettingsJson::fromJson(settings, &ignored));
        json.insert(QStringLiteral("url"), settings.value(QLatin1StringView("url")).toString().trimmed());
        // The tab's own key, beside the connection's (ClientTab::settingsJson()).
        if (const QJsonValue decoder = settings.value(QLatin1StringView("decoder")); !decoder.isUndefined())
            json.insert(QStringLiteral("decoder"), decoder);
    }
    // The history's JSON columns, highlight rules and sort (HistoryPane::viewStateJson()).
    if (const QJsonValue view = settings.value(HistoryViewKey); view.isObject() && !view.toObject().isEmpty())
        json.insert(HistoryViewKey, view);
    json = CollectionStore::comparable(kind, json);
    json.remove(QLatin1StringView("masked"));
    return json;
}

// What an entry keeps of a tab: its settings and the state of its history's view.
QJsonObject entrySettings(const ConnectionPage *page)
{
    QJsonObject settings = page->settingsJson();
    if (const HistoryPane *history = page->historyPane()) {
        if (const QJsonObject view = history->viewStateJson(); !view.isEmpty())
            settings.insert(HistoryViewKey, view);
    }
    return settings;
}

} // namespace

CollectionLink::CollectionLink(ConnectionPage *page, CollectionStore *store)
    : QObject(page)
    , m_page(page)
    , m_store(store)
{
    setObjectName(QStringLiteral("collectionLink"));
    // What can change a tab's settings or saved messages, and the entry itself.
    connect(store, &CollectionStore::entryChanged, this, [this](const QString &id) {
        if (id == m_entryId)
            recheck();
    });
    connect(page, &ConnectionPage::titleChanged, this, &CollectionLink::recheck);
    connect(page, &ConnectionPage::savedMessagesChanged, this, &CollectionLink::recheck);
    connect(page, &ConnectionPage::indicatorChanged, this, &CollectionLink::recheck);
    if (auto *bar = page->findChild<ConnectionBar *>()) {
        connect(bar, &ConnectionBar::urlTextChanged, this, &CollectionLink::recheck);
        connect(bar, &ConnectionBar::requestChanged, this, &CollectionLink::recheck);
    }
    if (auto *client = qobject_cast<ClientTab *>(page))
        connect(client, &ClientTab::decoderChanged, this, &CollectionLink::recheck);
    if (auto *server = page->findChild<ServerSettingsWidget *>())
        connect(server, &ServerSettingsWidget::changed, this, &CollectionLink::recheck);
    if (HistoryPane *history = page->historyPane())
        connect(history, &HistoryPane::viewStateChanged, this, &CollectionLink::recheck);
}

CollectionLink *CollectionLink::of(const ConnectionPage *page)
{
    return page
        ? page->findChild<CollectionLink *>(QStringLiteral("collectionLink"), Qt::FindDirectChildrenOnly)
        : nullptr;
}

CollectionLink *CollectionLink::bind(ConnectionPage *page, const QString &entryId, CollectionStore *store)
{
    CollectionLink *link = of(page);
    if (link && link->m_store != store) {
        delete link;
        link = nullptr;
    }
    if (!link)
        link = new CollectionLink(page, store);
    link->m_entryId = entryId;
    link->m_dirty = link->differs();
    Q_EMIT link->dirtyChanged(link->m_dirty);
    Q_EMIT page->titleChanged();
    return link;
}

bool CollectionLink::differs() const
{
    const CollectionItem *entry = m_store ? m_store->item(m_entryId) : nullptr;
    if (!entry || !entry->isEntry())
        return false;
    if (normalized(entry->kind, entrySettings(m_page)) != normalized(entry->kind, entry->settings))
        return true;
    return entry->kind == CollectionItem::Kind::Connection && m_page->savedMessagesJson() != entry->messages;
}

void CollectionLink::recheck()
{
    const bool dirty = differs();
    if (dirty == m_dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
    // The tab widget redraws the title (and its mark) on titleChanged.
    Q_EMIT m_page->titleChanged();
}

bool CollectionLink::save()
{
    if (!m_store)
        return false;
    const bool saved = m_store->updateEntry(m_entryId, entrySettings(m_page), m_page->savedMessagesJson());
    recheck();
    return saved;
}

QString CollectionLink::decorateTitle(const ConnectionPage *page, const QString &title)
{
    const CollectionLink *link = of(page);
    return link && link->isDirty() ? QStringLiteral("\u2022 ") + title : title;
}

QString CollectionLink::decorateToolTip(const ConnectionPage *page, const QString &toolTip)
{
    const CollectionLink *link = of(page);
    if (!link || !link->isDirty())
        return toolTip;
    return toolTip + u'\n' + tr("Unsaved changes to the collection entry (Ctrl+S saves them to it)");
}

void CollectionLink::writeTo(const ConnectionPage *page, QJsonObject &settings)
{
    if (const CollectionLink *link = of(page))
        settings.insert(SessionKey, link->entryId());
}

void CollectionLink::restoreFrom(ConnectionPage *page, const QJsonObject &settings, CollectionStore *store)
{
    const QString id = settings.value(SessionKey).toString();
    if (!id.isEmpty() && store && store->item(id))
        bind(page, id, store);
}

QString CollectionLink::addTab(
    ConnectionPage *page, CollectionStore *store, const QString &parentId, const QString &name)
{
    const QString id = page->kind() == QLatin1StringView("server")
        ? store->addServer(parentId, name, entrySettings(page))
        : store->addConnection(parentId, name, entrySettings(page), page->savedMessagesJson());
    if (!id.isEmpty())
        bind(page, id, store);
    return id;
}

bool CollectionLink::saveTab(ConnectionPage *page, CollectionStore *store)
{
    if (CollectionLink *link = of(page); link && store->item(link->entryId()))
        return link->save();
    QString name;
    if (!Dialogs::getText(
            page, tr("Save to Collection"), tr("Name of the collection entry:"), page->title(), &name)
        || name.trimmed().isEmpty())
        return false;
    QString collection;
    if (!store->collections().isEmpty())
        collection = store->collections().constFirst()->id;
    else
        collection = store->addCollection(tr("My Collection"));
    return !collection.isEmpty() && !addTab(page, store, collection, name).isEmpty();
}

} // namespace wst
