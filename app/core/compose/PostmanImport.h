#pragma once

#include "Collection.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace wst {

// A Postman collection (v2.0 / v2.1 JSON, as Postman exports it) as a wstester collection: its
// folders become folders, and each request whose URL is ws:// or wss:// becomes a connection
// with the request's enabled headers (and a bearer token as an Authorization header). HTTP
// requests are left out. {{variables}} are kept as written: wstester uses the same syntax.
class PostmanImport
{
    Q_DECLARE_TR_FUNCTIONS(PostmanImport)
public:
    // Is this a Postman collection ("info.schema" on schema.getpostman.com)?
    static bool isPostman(const QJsonObject &object);
    // nullptr and *error when it holds no WebSocket request. *skipped: requests left out.
    static std::unique_ptr<CollectionItem> convert(
        const QJsonObject &object, QString *error, int *skipped = nullptr);
};

} // namespace wst
