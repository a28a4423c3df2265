// CollectionStore as the tree model the Collections panel shows: its rows, their texts and
// icons' data, renaming in place, and moving entries by drag and drop.
#include "CollectionStore.h"

#include <QDir>
#include <QMimeData>

namespace wst {

namespace {
const QLatin1String MimeType("application/x-wstester-collection-ids");
} // namespace

QModelIndex CollectionStore::index(int row, int column, const QModelIndex &parent) const
{
    const CollectionItem *owner = parent.isValid() ? item(parent) : &m_root;
    if (column != 0 || row < 0 || row >= int(owner->children.size()))
        return {};
    return createIndex(row, 0, owner->children[size_t(row)].get());
}

QModelIndex CollectionStore::parent(const QModelIndex &child) const
{
    const CollectionItem *it = item(child);
    if (!it || !it->parent || it->parent == &m_root)
        return {};
    return createIndex(it->parent->row(), 0, it->parent);
}

int CollectionStore::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const CollectionItem *owner = parent.isValid() ? item(parent) : &m_root;
    return int(owner->children.size());
}

int CollectionStore::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant CollectionStore::data(const QModelIndex &index, int role) const
{
    const CollectionItem *it = item(index);
    if (!it)
        return {};
    const QString url = it->kind == CollectionItem::Kind::Connection
        ? it->settings.value(QLatin1String("url")).toString()
        : QString();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return it->name;
    case Qt::ToolTipRole:
        if (it->kind == CollectionItem::Kind::Collection)
            return QDir::toNativeSeparators(QDir(m_directory).filePath(it->fileName));
        if (it->kind == CollectionItem::Kind::Server) {
            return tr("Local server on %1:%2")
                .arg(it->settings.value(QLatin1String("address")).toString(QStringLiteral("127.0.0.1")))
                .arg(it->settings.value(QLatin1String("port")).toInt());
        }
        return url;
    case IdRole:
        return it->id;
    case KindRole:
        return int(it->kind);
    case UrlRole:
        return url;
    default:
        return {};
    }
}

bool CollectionStore::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const CollectionItem *it = item(index);
    if (!it || role != Qt::EditRole)
        return false;
    const QString id = it->id;
    const QString before = it->name;
    if (!rename(id, value.toString()))
        return false;
    Q_EMIT renamedInView(id, before, item(id)->name);
    return true;
}

Qt::ItemFlags CollectionStore::flags(const QModelIndex &index) const
{
    const CollectionItem *it = item(index);
    if (!it)
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
    if (it->kind != CollectionItem::Kind::Collection)
        f |= Qt::ItemIsDragEnabled;
    if (it->isContainer())
        f |= Qt::ItemIsDropEnabled;
    return f;
}

Qt::DropActions CollectionStore::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList CollectionStore::mimeTypes() const
{
    return { MimeType };
}

QMimeData *CollectionStore::mimeData(const QModelIndexList &indexes) const
{
    QStringList ids;
    for (const QModelIndex &i : indexes) {
        if (const CollectionItem *it = item(i); it && it->kind != CollectionItem::Kind::Collection)
            ids.append(it->id);
    }
    if (ids.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setData(MimeType, ids.join(u'\n').toUtf8());
    return mime;
}

bool CollectionStore::canDropMimeData(
    const QMimeData *data, Qt::DropAction, int, int, const QModelIndex &parent) const
{
    const CollectionItem *target = item(parent);
    if (!data || !data->hasFormat(MimeType) || !target || !target->isContainer())
        return false;
    for (const QString &id : QString::fromUtf8(data->data(MimeType)).split(u'\n')) {
        const CollectionItem *moved = find(id);
        if (!moved || moved->contains(target))
            return false;
    }
    return true;
}

bool CollectionStore::dropMimeData(
    const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const QString target = item(parent)->id;
    for (const QString &id : QString::fromUtf8(data->data(MimeType)).split(u'\n')) {
        const CollectionItem *moved = find(id);
        const QString fromParent = moved && moved->parent ? moved->parent->id : QString();
        const int fromRow = moved ? moved->row() : -1;
        if (move(id, target, row) && moved && (moved->parent->id != fromParent || moved->row() != fromRow))
            Q_EMIT movedInView(id, fromParent, fromRow);
        if (row >= 0)
            ++row;
    }
    // The move is done: false keeps the view from removing the source rows itself.
    return false;
}

} // namespace wst
