#include "CollectionStore.h"

#include "ConnectionProfile.h"
#include "settings/AppSettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>
#include <QStandardPaths>

#include <functional>

namespace wst {

namespace {

QPointer<CollectionStore> s_instance;
CollectionStore *s_default = nullptr;

} // namespace

CollectionStore::CollectionStore(const QString &directory, QObject *parent)
    : QAbstractItemModel(parent)
    , m_directory(directory)
{
    reload();
}

CollectionStore::~CollectionStore() = default;

QString CollectionStore::defaultDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("collections"));
}

CollectionStore *CollectionStore::instance()
{
    if (s_instance)
        return s_instance;
    if (!s_default)
        s_default = new CollectionStore(defaultDirectory(), QCoreApplication::instance());
    return s_default;
}

void CollectionStore::setInstance(CollectionStore *store)
{
    s_instance = store;
}

bool CollectionStore::reload()
{
    beginResetModel();
    m_root.children.clear();
    m_loadErrors.clear();
    const QDir dir(m_directory);
    const QStringList files = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QFile in(dir.filePath(file));
        QString error;
        std::unique_ptr<CollectionItem> collection;
        if (!in.open(QIODevice::ReadOnly))
            error = in.errorString();
        else
            collection = Collection::fromFile(in.readAll(), &error);
        if (collection && find(collection->id))
            error = tr("the same collection id as another file (a copy?); import it instead");
        if (!collection || !error.isEmpty()) {
            m_loadErrors.append(tr("%1: %2").arg(file, error));
            continue;
        }
        collection->fileName = file;
        m_root.insert(std::move(collection));
    }
    endResetModel();
    return m_loadErrors.isEmpty();
}

// Finding items.

CollectionItem *CollectionStore::find(const QString &id) const
{
    if (id.isEmpty())
        return nullptr;
    for (const auto &collection : m_root.children) {
        if (CollectionItem *found = collection->find(id))
            return found;
    }
    return nullptr;
}

CollectionItem *CollectionStore::container(const QString &id) const
{
    CollectionItem *found = find(id);
    return found && found->isContainer() ? found : nullptr;
}

const CollectionItem *CollectionStore::item(const QString &id) const
{
    return find(id);
}

const CollectionItem *CollectionStore::item(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return static_cast<const CollectionItem *>(index.internalPointer());
}

QModelIndex CollectionStore::indexFor(const CollectionItem *it) const
{
    if (!it || it == &m_root)
        return {};
    return createIndex(it->row(), 0, const_cast<CollectionItem *>(it));
}

QModelIndex CollectionStore::indexOf(const QString &id) const
{
    return indexFor(find(id));
}

QList<const CollectionItem *> CollectionStore::collections() const
{
    QList<const CollectionItem *> all;
    for (const auto &c : m_root.children)
        all.append(c.get());
    return all;
}

// Changes: each one is written to its collection's file at once.

bool CollectionStore::fail(const QString &error)
{
    m_lastError = error;
    return false;
}

bool CollectionStore::save(CollectionItem *it)
{
    CollectionItem *collection = it ? it->collection() : nullptr;
    if (!collection)
        return fail(tr("Nothing to save"));
    if (!QDir().mkpath(m_directory))
        return fail(tr("Cannot make the folder %1").arg(QDir::toNativeSeparators(m_directory)));
    const QString path = QDir(m_directory).filePath(collection->fileName);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(Collection::toFile(*collection)) < 0 || !out.commit())
        return fail(tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()));
    m_lastError.clear();
    return true;
}

QString CollectionStore::uniqueFileName(const QString &name) const
{
    QString base;
    for (const QChar c : name.toLower()) {
        if (c.isLetterOrNumber())
            base.append(c);
        else if (!base.isEmpty() && !base.endsWith(u'-'))
            base.append(u'-');
    }
    while (base.endsWith(u'-'))
        base.chop(1);
    if (base.isEmpty())
        base = QStringLiteral("collection");
    const QDir dir(m_directory);
    QString candidate = base + QLatin1String(".json");
    for (int n = 2; dir.exists(candidate); ++n)
        candidate = QStringLiteral("%1-%2.json").arg(base).arg(n);
    return candidate;
}

QString CollectionStore::addCollection(const QString &name)
{
    auto collection = std::make_unique<CollectionItem>();
    collection->kind = CollectionItem::Kind::Collection;
    collection->id = Collection::newId();
    collection->name = name.trimmed().isEmpty() ? tr("Collection") : name.trimmed();
    collection->fileName = uniqueFileName(collection->name);
    const int row = int(m_root.children.size());
    beginInsertRows({}, row, row);
    CollectionItem *added = m_root.insert(std::move(collection));
    endInsertRows();
    return save(added) ? added->id : QString();
}

QString CollectionStore::insertEntry(const QString &parentId, std::unique_ptr<CollectionItem> entry)
{
    CollectionItem *owner = container(parentId);
    if (!owner) {
        fail(tr("No folder or collection to put it in"));
        return {};
    }
    const int row = int(owner->children.size());
    beginInsertRows(indexFor(owner), row, row);
    CollectionItem *added = owner->insert(std::move(entry));
    endInsertRows();
    return save(added) ? added->id : QString();
}

QString CollectionStore::addFolder(const QString &parentId, const QString &name)
{
    auto folder = std::make_unique<CollectionItem>();
    folder->kind = CollectionItem::Kind::Folder;
    folder->id = Collection::newId();
    folder->name = name.trimmed().isEmpty() ? tr("New folder") : name.trimmed();
    return insertEntry(parentId, std::move(folder));
}

QString CollectionStore::addConnection(const QString &parentId, const QString &name,
    const QJsonObject &settings, const QJsonArray &messages, QStringList *masked)
{
    auto entry = std::make_unique<CollectionItem>();
    entry->kind = CollectionItem::Kind::Connection;
    entry->id = Collection::newId();
    entry->name = name.trimmed();
    entry->settings = settings;
    const QStringList left = Collection::maskSecrets(entry->settings);
    if (masked)
        *masked = left;
    entry->messages = messages;
    const QString entryName = entry->name;
    const QString id = insertEntry(parentId, std::move(entry));
    if (!id.isEmpty() && !left.isEmpty())
        Q_EMIT secretsLeftOut(entryName, left);
    return id;
}

QString CollectionStore::addServer(const QString &parentId, const QString &name, const QJsonObject &settings)
{
    auto entry = std::make_unique<CollectionItem>();
    entry->kind = CollectionItem::Kind::Server;
    entry->id = Collection::newId();
    entry->name = name.trimmed();
    entry->settings = settings;
    return insertEntry(parentId, std::move(entry));
}

QJsonObject CollectionStore::comparable(CollectionItem::Kind kind, QJsonObject settings)
{
    if (kind == CollectionItem::Kind::Connection)
        Collection::maskSecrets(settings);
    return settings;
}

bool CollectionStore::updateEntry(
    const QString &id, const QJsonObject &settings, const QJsonArray &messages, QStringList *masked)
{
    CollectionItem *entry = find(id);
    if (!entry || !entry->isEntry())
        return fail(tr("The collection entry is gone"));
    entry->settings = settings;
    QStringList left;
    if (entry->kind == CollectionItem::Kind::Connection) {
        left = Collection::maskSecrets(entry->settings);
        entry->messages = messages;
    }
    if (masked)
        *masked = left;
    const QModelIndex at = indexFor(entry);
    Q_EMIT dataChanged(at, at);
    const bool saved = save(entry);
    Q_EMIT entryChanged(id);
    if (saved && !left.isEmpty())
        Q_EMIT secretsLeftOut(entry->name, left);
    return saved;
}

bool CollectionStore::rename(const QString &id, const QString &name)
{
    CollectionItem *it = find(id);
    if (!it || name.trimmed().isEmpty() || it->name == name.trimmed())
        return false;
    it->name = name.trimmed();
    const QModelIndex at = indexFor(it);
    Q_EMIT dataChanged(at, at);
    const bool saved = save(it);
    Q_EMIT entryChanged(id);
    return saved;
}

QString CollectionStore::duplicate(const QString &id)
{
    CollectionItem *original = find(id);
    if (!original || original->kind == CollectionItem::Kind::Collection)
        return {};
    std::unique_ptr<CollectionItem> copy = original->clone(true);
    copy->name = tr("%1 copy").arg(original->name);
    CollectionItem *owner = original->parent;
    const int row = original->row() + 1;
    beginInsertRows(indexFor(owner), row, row);
    CollectionItem *added = owner->insert(std::move(copy), row);
    endInsertRows();
    return save(added) ? added->id : QString();
}

bool CollectionStore::move(const QString &id, const QString &newParentId, int row)
{
    CollectionItem *it = find(id);
    CollectionItem *target = container(newParentId);
    if (!it || !target || it->kind == CollectionItem::Kind::Collection || it->contains(target))
        return false;
    CollectionItem *from = it->parent;
    CollectionItem *oldCollection = it->collection();
    const int fromRow = it->row();
    if (row < 0 || row > int(target->children.size()))
        row = int(target->children.size());
    if (from == target && (row == fromRow || row == fromRow + 1))
        return true;
    if (!beginMoveRows(indexFor(from), fromRow, fromRow, indexFor(target), row))
        return false;
    std::unique_ptr<CollectionItem> taken = from->take(fromRow);
    target->insert(std::move(taken), from == target && row > fromRow ? row - 1 : row);
    endMoveRows();
    bool saved = save(target);
    if (oldCollection != target->collection())
        saved = save(oldCollection) && saved;
    return saved;
}

bool CollectionStore::remove(const QString &id, Removed *removed)
{
    CollectionItem *it = find(id);
    if (!it)
        return false;
    Removed what;
    what.item = Collection::itemToJson(*it);
    what.row = it->row();
    CollectionItem *owner = it->parent;
    const bool isCollection = it->kind == CollectionItem::Kind::Collection;
    if (isCollection)
        what.fileName = it->fileName;
    else
        what.parentId = owner->id;
    QStringList gone;
    std::function<void(const CollectionItem *)> collect = [&gone, &collect](const CollectionItem *i) {
        if (i->isEntry())
            gone.append(i->id);
        for (const auto &c : i->children)
            collect(c.get());
    };
    collect(it);
    beginRemoveRows(indexFor(owner), what.row, what.row);
    owner->take(what.row);
    endRemoveRows();
    bool done = true;
    if (isCollection) {
        const QString path = QDir(m_directory).filePath(what.fileName);
        if (QFile::exists(path) && !QFile::remove(path))
            done = fail(tr("Cannot remove %1").arg(QDir::toNativeSeparators(path)));
    } else {
        done = save(owner);
    }
    if (removed)
        *removed = what;
    for (const QString &entry : gone)
        Q_EMIT entryChanged(entry);
    return done;
}

bool CollectionStore::restore(const Removed &removed)
{
    QString error;
    std::unique_ptr<CollectionItem> it = Collection::itemFromJson(removed.item, &error);
    if (!it)
        return fail(error);
    CollectionItem *owner = removed.fileName.isEmpty() ? container(removed.parentId) : &m_root;
    if (!owner)
        return fail(tr("The folder it was in is gone"));
    if (!removed.fileName.isEmpty())
        it->fileName = QFile::exists(QDir(m_directory).filePath(removed.fileName)) ? uniqueFileName(it->name)
                                                                                   : removed.fileName;
    const int row = qBound(0, removed.row, int(owner->children.size()));
    beginInsertRows(indexFor(owner), row, row);
    CollectionItem *added = owner->insert(std::move(it), row);
    endInsertRows();
    return save(added);
}

// Files from and to anywhere, and the profiles of older versions.

QString CollectionStore::importFile(const QString &path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        fail(tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), in.errorString()));
        return {};
    }
    QString error;
    std::unique_ptr<CollectionItem> collection = Collection::fromImport(in.readAll(), &error);
    if (!collection) {
        fail(tr("%1: %2").arg(QDir::toNativeSeparators(path), error));
        return {};
    }
    std::function<bool(const CollectionItem *)> clashes = [this, &clashes](const CollectionItem *i) {
        if (find(i->id))
            return true;
        for (const auto &c : i->children) {
            if (clashes(c.get()))
                return true;
        }
        return false;
    };
    if (clashes(collection.get()))
        collection = collection->clone(true);
    // Entries of a file from elsewhere are masked like the ones saved here.
    std::function<void(CollectionItem *)> mask = [&mask](CollectionItem *i) {
        if (i->kind == CollectionItem::Kind::Connection)
            Collection::maskSecrets(i->settings);
        for (const auto &c : i->children)
            mask(c.get());
    };
    mask(collection.get());
    collection->fileName = uniqueFileName(collection->name);
    const int row = int(m_root.children.size());
    beginInsertRows({}, row, row);
    CollectionItem *added = m_root.insert(std::move(collection));
    endInsertRows();
    return save(added) ? added->id : QString();
}

bool CollectionStore::exportFile(const QString &collectionId, const QString &path)
{
    CollectionItem *it = find(collectionId);
    CollectionItem *collection = it ? it->collection() : nullptr;
    if (!collection)
        return fail(tr("No collection to export"));
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(Collection::toFile(*collection)) < 0 || !out.commit())
        return fail(tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()));
    return true;
}

int CollectionStore::migrateProfiles(AppSettings *settings, QStringList *masked)
{
    if (!settings || settings->profilesMigrated())
        return 0;
    const QList<ConnectionProfile> profiles = ConnectionProfile::load(settings);
    if (!profiles.isEmpty()) {
        const QString collection = addCollection(tr("Profiles"));
        if (collection.isEmpty())
            return 0; // not written: tried again next time
        for (const ConnectionProfile &p : profiles) {
            QStringList left;
            addConnection(collection, p.name, p.settings, {}, &left);
            if (!left.isEmpty() && masked)
                masked->append(p.name);
        }
    }
    settings->setProfilesMigrated(true);
    return int(profiles.size());
}

} // namespace wst
