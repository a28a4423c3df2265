#pragma once

#include "Collection.h"

#include <QAbstractItemModel>
#include <QStringList>

namespace wst {

class AppSettings;

// Every collection of the collections folder (<AppDataLocation>/collections, one JSON file per
// collection), as a tree model: collections at the top, then folders and entries. Every change
// goes through this class and is written at once (QSaveFile), to that collection's file only.
// A file that cannot be read is reported (loadErrors()) and left as it is: never overwritten.
class CollectionStore : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, KindRole, UrlRole };

    // Reads the folder at once.
    explicit CollectionStore(const QString &directory, QObject *parent = nullptr);
    ~CollectionStore() override;

    // The window's store: the collections folder of the app's data folder (made on first use).
    static CollectionStore *instance();
    // Tests: a store of their own (not owned); nullptr goes back to the default one.
    static void setInstance(CollectionStore *store);
    static QString defaultDirectory();

    QString directory() const { return m_directory; }
    // Reads every *.json of the folder again. Returns false when a file could not be read.
    bool reload();
    // "name.json: cause", one per file that could not be read.
    QStringList loadErrors() const { return m_loadErrors; }

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
        const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
        const QModelIndex &parent) override;

    QModelIndex indexOf(const QString &id) const;
    const CollectionItem *item(const QString &id) const;
    const CollectionItem *item(const QModelIndex &index) const;
    QList<const CollectionItem *> collections() const;

    // Each returns the new item's id, or "" with the reason in lastError().
    QString addCollection(const QString &name);
    QString addFolder(const QString &parentId, const QString &name);
    // The settings are masked first (Collection::maskSecrets); *masked says what was left out.
    QString addConnection(const QString &parentId, const QString &name, const QJsonObject &settings,
        const QJsonArray &messages, QStringList *masked = nullptr);
    QString addServer(const QString &parentId, const QString &name, const QJsonObject &settings);
    // Replaces an entry's settings (and a connection's saved messages), masked likewise.
    bool updateEntry(const QString &id, const QJsonObject &settings, const QJsonArray &messages,
        QStringList *masked = nullptr);
    bool rename(const QString &id, const QString &name);
    // A copy with new ids right after the original ("name copy"); returns its id.
    QString duplicate(const QString &id);
    // Moves an item into another folder or collection (row -1: at the end).
    bool move(const QString &id, const QString &newParentId, int row = -1);
    // Removes the item (a collection: its file). *removed gets what undo needs for restore().
    struct Removed
    {
        QJsonObject item;
        QString parentId; // empty for a collection
        int row = -1;
        QString fileName; // for a collection
    };
    bool remove(const QString &id, Removed *removed = nullptr);
    bool restore(const Removed &removed);

    // Copies a collection file (or a Postman collection's WebSocket requests) from anywhere into
    // the folder (ids made new when they clash with an existing collection). Returns the
    // collection's id, or "" and lastError().
    QString importFile(const QString &path);
    bool exportFile(const QString &collectionId, const QString &path);

    // Once per settings file: the connection profiles (AppSettings key Profiles) become the
    // entries of a collection "Profiles". The key itself is left as it was. Returns how many
    // were moved; *masked: the profiles whose literal secrets were left out.
    int migrateProfiles(AppSettings *settings, QStringList *masked = nullptr);

    QString lastError() const { return m_lastError; }

    // Is this the connection's/server's settings as the entry keeps them (secrets masked)?
    static QJsonObject comparable(CollectionItem::Kind kind, QJsonObject settings);

Q_SIGNALS:
    // An entry's name, settings or messages changed, or it was removed.
    void entryChanged(const QString &id);
    // Saving this connection entry left literal secrets out of the file (see maskSecrets).
    void secretsLeftOut(const QString &entryName, const QStringList &what);
    // The user renamed an item in a view (setData) or dragged it elsewhere (dropMimeData): what
    // an undo needs. Calls of rename() and move() themselves say nothing.
    void renamedInView(const QString &id, const QString &before, const QString &after);
    void movedInView(const QString &id, const QString &fromParentId, int fromRow);

private:
    CollectionItem *find(const QString &id) const;
    CollectionItem *container(const QString &id) const;
    QModelIndex indexFor(const CollectionItem *item) const;
    QString insertEntry(const QString &parentId, std::unique_ptr<CollectionItem> entry);
    bool save(CollectionItem *item);
    bool fail(const QString &error);
    QString uniqueFileName(const QString &name) const;

    QString m_directory;
    CollectionItem m_root;
    QStringList m_loadErrors;
    QString m_lastError;
};

} // namespace wst
