#include "PostmanImport.h"

#include <QJsonArray>

namespace wst {

namespace {

QString requestUrl(const QJsonValue &url)
{
    return url.isObject() ? url.toObject().value(QLatin1String("raw")).toString().trimmed()
                          : url.toString().trimmed();
}

bool isWebSocketUrl(const QString &url)
{
    return url.startsWith(QLatin1String("ws://"), Qt::CaseInsensitive)
        || url.startsWith(QLatin1String("wss://"), Qt::CaseInsensitive);
}

QJsonArray headersOf(const QJsonObject &request)
{
    QJsonArray headers;
    for (const QJsonValue &v : request.value(QLatin1String("header")).toArray()) {
        const QJsonObject h = v.toObject();
        if (h.value(QLatin1String("disabled")).toBool() || h.value(QLatin1String("key")).toString().isEmpty())
            continue;
        headers.append(QJsonArray {
            h.value(QLatin1String("key")).toString(), h.value(QLatin1String("value")).toString() });
    }
    // Postman keeps a bearer token apart from the headers: [{"key": "token", "value": "…"}].
    const QJsonObject auth = request.value(QLatin1String("auth")).toObject();
    if (auth.value(QLatin1String("type")).toString() == QLatin1String("bearer")) {
        for (const QJsonValue &v : auth.value(QLatin1String("bearer")).toArray()) {
            const QJsonObject p = v.toObject();
            if (p.value(QLatin1String("key")).toString() == QLatin1String("token"))
                headers.append(QJsonArray { QStringLiteral("Authorization"),
                    QString(QStringLiteral("Bearer ") + p.value(QLatin1String("value")).toString()) });
        }
    }
    return headers;
}

// Adds the WebSocket requests of `items` to `into`; folders without one are left out.
void convertItems(const QJsonArray &items, CollectionItem *into, int *skipped)
{
    for (const QJsonValue &v : items) {
        const QJsonObject item = v.toObject();
        const QString name = item.value(QLatin1String("name")).toString();
        if (item.value(QLatin1String("item")).isArray()) {
            auto folder = std::make_unique<CollectionItem>();
            folder->kind = CollectionItem::Kind::Folder;
            folder->id = Collection::newId();
            folder->name = name.isEmpty() ? PostmanImport::tr("Folder") : name;
            convertItems(item.value(QLatin1String("item")).toArray(), folder.get(), skipped);
            if (!folder->children.empty())
                into->insert(std::move(folder));
            continue;
        }
        const QJsonObject request = item.value(QLatin1String("request")).toObject();
        const QString url = requestUrl(request.value(QLatin1String("url")));
        if (!isWebSocketUrl(url)) {
            ++*skipped;
            continue;
        }
        auto entry = std::make_unique<CollectionItem>();
        entry->kind = CollectionItem::Kind::Connection;
        entry->id = Collection::newId();
        entry->name = name.isEmpty() ? url : name;
        entry->settings.insert(QStringLiteral("url"), url);
        entry->settings.insert(QStringLiteral("headers"), headersOf(request));
        into->insert(std::move(entry));
    }
}

int countEntries(const CollectionItem &item)
{
    int n = item.isEntry() ? 1 : 0;
    for (const auto &child : item.children)
        n += countEntries(*child);
    return n;
}

} // namespace

bool PostmanImport::isPostman(const QJsonObject &object)
{
    return object.value(QLatin1String("info"))
        .toObject()
        .value(QLatin1String("schema"))
        .toString()
        .contains(QLatin1String("schema.getpostman.com"));
}

std::unique_ptr<CollectionItem> PostmanImport::convert(
    const QJsonObject &object, QString *error, int *skipped)
{
    auto collection = std::make_unique<CollectionItem>();
    collection->kind = CollectionItem::Kind::Collection;
    collection->id = Collection::newId();
    collection->name = object.value(QLatin1String("info")).toObject().value(QLatin1String("name")).toString();
    if (collection->name.trimmed().isEmpty())
        collection->name = tr("Postman collection");
    int left = 0;
    convertItems(object.value(QLatin1String("item")).toArray(), collection.get(), &left);
    if (skipped)
        *skipped = left;
    if (countEntries(*collection) == 0) {
        *error = tr(
            "a Postman collection without WebSocket requests (ws:// or wss:// URLs): %n other request(s)", "",
            left);
        return nullptr;
    }
    return collection;
}

} // namespace wst
