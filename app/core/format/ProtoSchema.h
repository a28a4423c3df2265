#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <memory>

namespace wst {

// .proto files read at run time (libprotoc's Importer over a DiskSourceTree, imports resolved
// through the import paths and each file's own folder) and messages of their types decoded to
// JSON and encoded from it (DynamicMessageFactory, protobuf's JSON mapping with the field names
// of the .proto). Immutable once loaded; share it with std::shared_ptr.
class ProtoSchema
{
    Q_DECLARE_TR_FUNCTIONS(ProtoSchema)
public:
    ~ProtoSchema();
    ProtoSchema(const ProtoSchema &) = delete;
    ProtoSchema &operator=(const ProtoSchema &) = delete;

    // Reads the files; on failure returns null and sets *error to the first problem in one line,
    // as "/path/chat.proto:12:5: "Strin" is not defined." (line and column from 1).
    static std::shared_ptr<const ProtoSchema> load(
        const QStringList &files, const QStringList &importPaths, QString *error);

    // Fully qualified names ("chat.v1.Envelope") of every message type the files define, nested
    // ones included, sorted.
    QStringList messageTypes() const;
    bool hasMessageType(const QString &fullName) const;
    // Why this name cannot be used, or an empty string.
    QString checkMessageType(const QString &fullName) const;

    // A message of this type to compact JSON; on failure an empty array and *error.
    QByteArray decode(const QString &type, QByteArrayView bytes, QString *error) const;
    // JSON text (protobuf's JSON mapping; .proto or lowerCamel names) to the message's bytes.
    QByteArray encode(const QString &type, QByteArrayView json, QString *error) const;

private:
    ProtoSchema();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace wst
