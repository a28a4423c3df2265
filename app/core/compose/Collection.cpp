#include "Collection.h"

#include "ClientSettingsJson.h"
#include "PostmanImport.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QUuid>

namespace wst {

namespace {

const QLatin1String FormatKey("format");
const QLatin1String FormatName("wstester-collection");
const QLatin1String VersionKey("version");
const QLatin1String IdKey("id");
const QLatin1String NameKey("name");
const QLatin1String TypeKey("type");
const QLatin1String ItemsKey("items");
const QLatin1String SettingsKey("settings");
const QLatin1String MessagesKey("messages");

QString typeName(CollectionItem::Kind kind)
{
    switch (kind) {
    case CollectionItem::Kind::Connection:
        return QStringLiteral("connection");
    case CollectionItem::Kind::Server:
        return QStringLiteral("server");
    default:
        return QStringLiteral("folder");
    }
}

} // namespace

int CollectionItem::row() const
{
    if (!parent)
        return 0;
    for (size_t i = 0; i < parent->children.size(); ++i) {
        if (parent->children[i].get() == this)
            return int(i);
    }
    return -1;
}

CollectionItem *CollectionItem::collection()
{
    CollectionItem *item = this;
    while (item && item->kind != Kind::Collection)
        item = item->parent;
    return item;
}

CollectionItem *CollectionItem::find(const QString &wanted)
{
    if (id == wanted)
        return this;
    for (const auto &child : children) {
        if (CollectionItem *found = child->find(wanted))
            return found;
    }
    return nullptr;
}

bool CollectionItem::contains(const CollectionItem *item) const
{
    for (; item; item = item->parent) {
        if (item == this)
            return true;
    }
    return false;
}

CollectionItem *CollectionItem::insert(std::unique_ptr<CollectionItem> child, int at)
{
    child->parent = this;
    CollectionItem *raw = child.get();
    if (at < 0 || at > int(children.size()))
        at = int(children.size());
    children.insert(children.begin() + at, std::move(child));
    return raw;
}

std::unique_ptr<CollectionItem> CollectionItem::take(int at)
{
    std::unique_ptr<CollectionItem> taken = std::move(children[size_t(at)]);
    children.erase(children.begin() + at);
    taken->parent = nullptr;
    return taken;
}

std::unique_ptr<CollectionItem> CollectionItem::clone(bool newIds) const
{
    auto copy = std::make_unique<CollectionItem>();
    copy->kind = kind;
    copy->id = newIds ? Collection::newId() : id;
    copy->name = name;
    copy->settings = settings;
    copy->messages = messages;
    copy->fileName = fileName;
    for (const auto &child : children)
        copy->insert(child->clone(newIds));
    return copy;
}

QString Collection::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QJsonObject Collection::itemToJson(const CollectionItem &item)
{
    QJsonObject object { { IdKey, item.id }, { NameKey, item.name } };
    if (item.kind == CollectionItem::Kind::Collection) {
        object.insert(FormatKey, FormatName);
        object.insert(VersionKey, Version);
    } else {
        object.insert(TypeKey, typeName(item.kind));
    }
    if (item.isEntry())
        object.insert(SettingsKey, item.settings);
    if (item.kind == CollectionItem::Kind::Connection)
        object.insert(MessagesKey, item.messages);
    if (item.isContainer()) {
        QJsonArray items;
        for (const auto &child : item.children)
            items.append(itemToJson(*child));
        object.insert(ItemsKey, items);
    }
    return object;
}

std::unique_ptr<CollectionItem> Collection::itemFromJson(const QJsonObject &object, QString *error)
{
    auto item = std::make_unique<CollectionItem>();
    const QString type = object.value(TypeKey).toString();
    if (object.contains(FormatKey))
        item->kind = CollectionItem::Kind::Collection;
    else if (type == QLatin1String("folder"))
        item->kind = CollectionItem::Kind::Folder;
    else if (type == QLatin1String("connection"))
        item->kind = CollectionItem::Kind::Connection;
    else if (type == QLatin1String("server"))
        item->kind = CollectionItem::Kind::Server;
    else {
        *error = tr("an item has the unknown type \u201c%1\u201d").arg(type);
        return nullptr;
    }
    item->id = object.value(IdKey).toString();
    if (item->id.isEmpty()) // written by hand: give it one, kept from the next save on
        item->id = newId();
    item->name = object.value(NameKey).toString();
    if (item->isEntry()) {
        const QJsonValue settings = object.value(SettingsKey);
        if (!settings.isObject() && !settings.isUndefined()) {
            *error = tr("\u201c%1\u201d: \u201csettings\u201d is not an object").arg(item->name);
            return nullptr;
        }
        item->settings = settings.toObject();
    }
    if (item->kind == CollectionItem::Kind::Connection) {
        const QJsonValue messages = object.value(MessagesKey);
        if (!messages.isArray() && !messages.isUndefined()) {
            *error = tr("\u201c%1\u201d: \u201cmessages\u201d is not a list").arg(item->name);
            return nullptr;
        }
        item->messages = messages.toArray();
    }
    if (item->isContainer()) {
        const QJsonValue items = object.value(ItemsKey);
        if (!items.isArray() && !items.isUndefined()) {
            *error = tr("\u201c%1\u201d: \u201citems\u201d is not a list").arg(item->name);
            return nullptr;
        }
        for (const QJsonValue &v : items.toArray()) {
            if (!v.isObject()) {
                *error = tr("\u201c%1\u201d: an item is not an object").arg(item->name);
                return nullptr;
            }
            std::unique_ptr<CollectionItem> child = itemFromJson(v.toObject(), error);
            if (!child)
                return nullptr;
            if (child->kind == CollectionItem::Kind::Collection) {
                *error = tr("\u201c%1\u201d: a collection inside a collection").arg(item->name);
                return nullptr;
            }
            item->insert(std::move(child));
        }
    }
    return item;
}

QByteArray Collection::toFile(const CollectionItem &collection)
{
    return QJsonDocument(itemToJson(collection)).toJson(QJsonDocument::Indented);
}

std::unique_ptr<CollectionItem> Collection::fromFile(const QByteArray &bytes, QString *error)
{
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parse);
    if (parse.error != QJsonParseError::NoError) {
        *error = tr("not valid JSON at byte %1: %2").arg(parse.offset).arg(parse.errorString());
        return nullptr;
    }
    const QJsonObject object = document.object();
    if (object.value(FormatKey).toString() != FormatName) {
        *error = tr("not a wstester collection (no “format”: “%1”)").arg(FormatName);
        return nullptr;
    }
    const int version = object.value(VersionKey).toInt(0);
    if (version < 1 || version > Version) {
        *error = tr("collection format version %1 is not supported (this wstester reads version %2)")
                     .arg(object.value(VersionKey).toVariant().toString())
                     .arg(Version);
        return nullptr;
    }
    std::unique_ptr<CollectionItem> collection = itemFromJson(object, error);
    if (collection && collection->name.trimmed().isEmpty())
        collection->name = tr("Collection");
    return collection;
}

std::unique_ptr<CollectionItem> Collection::fromImport(const QByteArray &bytes, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(bytes).object();
    if (PostmanImport::isPostman(object))
        return PostmanImport::convert(object, error);
    return fromFile(bytes, error);
}

bool Collection::refersOnlyToVariables(const QString &value)
{
    // An optional authorization scheme, then nothing but {{name}} references.
    static const QRegularExpression pattern(QStringLiteral(
        R"(^\s*(?:[A-Za-z][A-Za-z0-9-]*\s+)?(?:\{\{\s*[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}\s*)+$)"));
    return pattern.match(value).hasMatch();
}

QStringList Collection::maskSecrets(QJsonObject &settings)
{
    const QJsonArray before = settings.value(QLatin1String("headers")).toArray();
    ClientSettingsJson::maskSecrets(settings);
    QStringList masked;
    for (const QJsonValue &v : settings.value(QLatin1String("masked")).toArray())
        masked.append(v.toString());
    QJsonArray headers = settings.value(QLatin1String("headers")).toArray();
    for (qsizetype i = 0; i < headers.size() && i < before.size(); ++i) {
        const QJsonArray pair = before.at(i).toArray();
        const QString value = pair.at(1).toString();
        if (pair.size() == 2 && ClientSettingsJson::isSecretHeader(pair.at(0).toString().toUtf8())
            && refersOnlyToVariables(value)) {
            headers[i] = pair;
            masked.removeAll(QStringLiteral("headers.") + pair.at(0).toString().trimmed());
        }
    }
    if (settings.contains(QLatin1String("headers")))
        settings.insert(QLatin1String("headers"), headers);
    // "masked" says what this file left out; nothing left out, no list.
    if (masked.isEmpty())
        settings.remove(QLatin1String("masked"));
    else
        settings.insert(QLatin1String("masked"), QJsonArray::fromStringList(masked));
    return masked;
}

} // namespace wst
