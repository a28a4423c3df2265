#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace wst {

class CollectionStore;
class ConnectionPage;

// The binding of a tab to the collection entry it was opened from (or saved to): whether the
// tab's settings (and a client's saved messages) differ from the entry, and saving them back.
// A child of the page; the tab widget asks it for the title's mark.
class CollectionLink : public QObject
{
    Q_OBJECT
public:
    // Binds the page to the entry (replacing an earlier binding) and returns the link.
    static CollectionLink *bind(ConnectionPage *page, const QString &entryId, CollectionStore *store);
    static CollectionLink *of(const ConnectionPage *page);

    // The tab's title and tooltip with the mark of unsaved changes to the entry ("• name").
    static QString decorateTitle(const ConnectionPage *page, const QString &title);
    static QString decorateToolTip(const ConnectionPage *page, const QString &toolTip);

    // The session file keeps the binding in the tab's settings under this key.
    static void writeTo(const ConnectionPage *page, QJsonObject &settings);
    static void restoreFrom(ConnectionPage *page, const QJsonObject &settings, CollectionStore *store);

    // Saves the page to its entry; an unbound page is kept as a new entry under a name asked
    // for (through Dialogs), in the first collection (made when there is none), and bound.
    // False when cancelled or not written (the store's lastError()).
    static bool saveTab(ConnectionPage *page, CollectionStore *store);
    // Keeps the page as a new entry of this folder or collection, under `name`, and binds it.
    static QString addTab(
        ConnectionPage *page, CollectionStore *store, const QString &parentId, const QString &name);

    QString entryId() const { return m_entryId; }
    // The entry still exists and the tab differs from it.
    bool isDirty() const { return m_dirty; }
    // Writes the tab's settings (and a client's saved messages) into the entry.
    bool save();

Q_SIGNALS:
    void dirtyChanged(bool dirty);

private:
    CollectionLink(ConnectionPage *page, CollectionStore *store);
    void recheck();
    bool differs() const;

    ConnectionPage *m_page = nullptr;
    QPointer<CollectionStore> m_store;
    QString m_entryId;
    bool m_dirty = false;
};

} // namespace wst
