#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

namespace wst {

// BSON (MongoDB's binary JSON, bsonspec.org) to JSON text and back, on Debian's libbson. A
// payload is one document. Decoded, it is MongoDB's relaxed extended JSON, compact: plain
// numbers and strings, and {"$oid"}, {"$date"}, {"$binary"}, {"$numberDecimal"}… for the types
// JSON has not. Encoding reads the same (relaxed or canonical) extended JSON.
class BsonCodec
{
    Q_DECLARE_TR_FUNCTIONS(BsonCodec)
public:
    // The whole payload as one document, as compact JSON (UTF-8); on failure an empty array and
    // one line in *error, e.g. "BSON: the document says 40 bytes, the payload has 12."
    static QByteArray decode(QByteArrayView bytes, QString *error);
    // A JSON object to one BSON document; anything else, or bad JSON, fails with one line.
    static QByteArray encode(QByteArrayView json, QString *error);
};

} // namespace wst
