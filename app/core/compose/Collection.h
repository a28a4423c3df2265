#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace wst {

// One node of a collection: the collection itself (a file), a folder, a named connection (a
// client tab's settings in the ClientSettingsJson format and its saved messages) or a named
// local-server setup (ServerSettingsJson). Every node has a stable id (a UUID).
struct CollectionItem
{
    enum class Kind { Collection, Folder, Connection, Server };

    Kind kind = Kind::Folder;
    QString id;
    QString name;
    QJsonObject settings; // connections and servers
    QJsonArray messages; // connections: [SavedMessage JSON, …]
    QString fileName; // collections: the file's name in the collections folder
    CollectionItem *parent = nullptr;
    std::vector<std::unique_ptr<CollectionItem>> children;

    bool isEntry() const { return kind == Kind::Connection || kind == Kind::Server; }
    bool isContainer() const { return !isEntry(); }
    int row() const;
    // The collection this item belongs to (itself for a collection).
    CollectionItem *collection();
    CollectionItem *find(const QString &id);
    bool contains(const CollectionItem *item) const;
    // Adds child at row (-1: at the end) and returns it.
    CollectionItem *insert(std::unique_ptr<CollectionItem> child, int row = -1);
    std::unique_ptr<CollectionItem> take(int row);
    // A deep copy; with newIds every node of the copy gets a new id.
    std::unique_ptr<CollectionItem> clone(bool newIds) const;
};

// The collection file format: pretty-printed JSON with sorted keys (so a file kept in Git
// changes only where the collection did).
//
// {"format": "wstester-collection", "version": 1, "id": "…", "name": "…",
//  "items": [{"type": "folder", "id": "…", "name": "…", "items": […]},
//            {"type": "connection", "id": "…", "name": "…", "settings": {…}, "messages": […]},
//            {"type": "server", "id": "…", "name": "…", "settings": {…}}]}
class Collection
{
    Q_DECLARE_TR_FUNCTIONS(Collection)
public:
    static constexpr int Version = 1;

    static QByteArray toFile(const CollectionItem &collection);
    // nullptr and *error (the cause, in one line) when the bytes are not a collection.
    static std::unique_ptr<CollectionItem> fromFile(const QByteArray &bytes, QString *error);
    // What an import reads: a collection file, or a Postman collection (PostmanImport).
    static std::unique_ptr<CollectionItem> fromImport(const QByteArray &bytes, QString *error);

    static QJsonObject itemToJson(const CollectionItem &item);
    static std::unique_ptr<CollectionItem> itemFromJson(const QJsonObject &object, QString *error);

    // Blanks the literal secrets of a connection's settings (ClientSettingsJson::maskSecrets),
    // except a secret header whose value only refers to variables ("{{token}}", or an
    // authorization scheme and references: "Bearer {{token}}"): the variable holds the secret.
    // Returns what was blanked ("headers.Authorization", "clientKeyPassphrase", …).
    static QStringList maskSecrets(QJsonObject &settings);
    static bool refersOnlyToVariables(const QString &value);

    static QString newId();
};

} // namespace wst
