#include "ProtoSchema.h"

#include <QDir>
#include <QFileInfo>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <mutex>

namespace pb = google::protobuf;

namespace wst {

namespace {

// libprotobuf logs parse problems to stderr by itself; the errors that matter reach the user
// through the return values, so only fatal ones (which abort anyway) are let through.
void quietLog(pb::LogLevel level, const char *file, int line, const std::string &message)
{
    if (level == pb::LOGLEVEL_FATAL)
        fprintf(stderr, "libprotobuf FATAL %s:%d: %s\n", file, line, message.c_str());
}

class FirstError : public pb::compiler::MultiFileErrorCollector
{
public:
    void AddError(const std::string &filename, int line, int column, const std::string &message) override
    {
        if (!text.isEmpty())
            return;
        const QString where = diskName(filename);
        text = line < 0 ? QStringLiteral("%1: %2").arg(where, QString::fromStdString(message))
                        : QStringLiteral("%1:%2:%3: %4")
                              .arg(where)
                              .arg(line + 1)
                              .arg(column + 1)
                              .arg(QString::fromStdString(message));
    }
    QString diskName(const std::string &virtualName) const
    {
        std::string disk;
        if (tree && tree->VirtualFileToDiskFile(virtualName, &disk))
            return QDir::toNativeSeparators(QString::fromStdString(disk));
        return QString::fromStdString(virtualName);
    }

    pb::compiler::DiskSourceTree *tree = nullptr;
    QString text;
};

void collectTypes(const pb::Descriptor *message, QStringList *out)
{
    out->append(QString::fromStdString(message->full_name()));
    for (int i = 0; i < message->nested_type_count(); ++i) {
        if (!message->nested_type(i)->options().map_entry())
            collectTypes(message->nested_type(i), out);
    }
}

QString statusText(const pb::util::Status &status)
{
    QString text = QString::fromStdString(std::string(status.message())).trimmed();
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

} // namespace

struct ProtoSchema::Private
{
    pb::compiler::DiskSourceTree tree;
    FirstError errors;
    std::unique_ptr<pb::compiler::Importer> importer;
    std::unique_ptr<pb::DynamicMessageFactory> factory;
    QStringList types;

    const pb::Descriptor *find(const QString &type) const
    {
        return importer->pool()->FindMessageTypeByName(type.toStdString());
    }
};

ProtoSchema::ProtoSchema()
    : d(std::make_unique<Private>())
{
}

ProtoSchema::~ProtoSchema() = default;

std::shared_ptr<const ProtoSchema> ProtoSchema::load(
    const QStringList &files, const QStringList &importPaths, QString *error)
{
    static std::once_flag quiet;
    std::call_once(quiet, [] { pb::SetLogHandler(quietLog); });
    if (files.isEmpty()) {
        *error = tr("Protobuf: no .proto file chosen.");
        return nullptr;
    }
    std::shared_ptr<ProtoSchema> schema(new ProtoSchema);
    Private &p = *schema->d;
    for (const QString &dir : importPaths) {
        const QFileInfo info(dir);
        if (!info.isDir()) {
            *error = tr("Protobuf: the import path %1 is not a folder.").arg(QDir::toNativeSeparators(dir));
            return nullptr;
        }
        p.tree.MapPath("", QDir::cleanPath(info.absoluteFilePath()).toStdString());
    }
    QStringList virtualNames;
    for (const QString &file : files) {
        const QFileInfo info(file);
        if (!info.isFile()) {
            *error = tr("Protobuf: %1 does not exist.").arg(QDir::toNativeSeparators(file));
            return nullptr;
        }
        // A file's own folder resolves its neighbours, after the import paths the user gave.
        p.tree.MapPath("", QDir::cleanPath(info.absolutePath()).toStdString());
    }
    for (const QString &file : files) {
        std::string virtualName, shadowing;
        const auto found = p.tree.DiskFileToVirtualFile(
            QDir::cleanPath(QFileInfo(file).absoluteFilePath()).toStdString(), &virtualName, &shadowing);
        if (found == pb::compiler::DiskSourceTree::SHADOWED) {
            *error = tr("Protobuf: %1 is shadowed by %2, which has the same name in an earlier import path.")
                         .arg(QDir::toNativeSeparators(file), QString::fromStdString(shadowing));
            return nullptr;
        }
        if (found != pb::compiler::DiskSourceTree::SUCCESS) {
            *error = tr("Protobuf: cannot read %1.").arg(QDir::toNativeSeparators(file));
            return nullptr;
        }
        virtualNames.append(QString::fromStdString(virtualName));
    }
    p.errors.tree = &p.tree;
    p.importer = std::make_unique<pb::compiler::Importer>(&p.tree, &p.errors);
    for (const QString &name : std::as_const(virtualNames)) {
        const pb::FileDescriptor *file = p.importer->Import(name.toStdString());
        if (!file) {
            *error = p.errors.text.isEmpty() ? tr("Protobuf: cannot read %1.").arg(name)
                                             : tr("Protobuf: %1").arg(p.errors.text);
            return nullptr;
        }
        for (int i = 0; i < file->message_type_count(); ++i)
            collectTypes(file->message_type(i), &p.types);
    }
    p.types.sort();
    p.types.removeDuplicates();
    p.factory = std::make_unique<pb::DynamicMessageFactory>(p.importer->pool());
    error->clear();
    return schema;
}

QStringList ProtoSchema::messageTypes() const
{
    return d->types;
}

bool ProtoSchema::hasMessageType(const QString &fullName) const
{
    return d->find(fullName) != nullptr;
}

QString ProtoSchema::checkMessageType(const QString &fullName) const
{
    if (fullName.isEmpty())
        return tr("Protobuf: no message type chosen.");
    if (d->find(fullName))
        return {};
    QString hint;
    // The same simple name in another package: "chat.Event" for "chat.v1.Event".
    const QString simple = fullName.mid(fullName.lastIndexOf(u'.') + 1);
    for (const QString &type : d->types) {
        if (type.endsWith(u'.' + simple) || type == simple) {
            hint = tr(" (did you mean %1?)").arg(type);
            break;
        }
    }
    return tr("Protobuf: the .proto files define no message type %1%2.").arg(fullName, hint);
}

QByteArray ProtoSchema::decode(const QString &type, QByteArrayView bytes, QString *error) const
{
    const pb::Descriptor *descriptor = d->find(type);
    if (!descriptor) {
        *error = checkMessageType(type);
        return {};
    }
    std::unique_ptr<pb::Message> message(d->factory->GetPrototype(descriptor)->New());
    if (!message->ParsePartialFromArray(bytes.data(), int(qMin<qsizetype>(bytes.size(), INT_MAX)))
        || bytes.size() > INT_MAX) {
        *error
            = tr("Protobuf: the bytes are not a %1 message (truncated, or a field of the wrong wire type).")
                  .arg(type);
        return {};
    }
    if (!message->IsInitialized()) {
        *error = tr("Protobuf: the %1 message lacks required fields: %2.")
                     .arg(type, QString::fromStdString(message->InitializationErrorString()));
        return {};
    }
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string json;
    const auto status = pb::util::MessageToJsonString(*message, &json, options);
    if (!status.ok()) {
        *error = tr("Protobuf: cannot write %1 as JSON: %2.").arg(type, statusText(status));
        return {};
    }
    error->clear();
    return QByteArray::fromStdString(json);
}

QByteArray ProtoSchema::encode(const QString &type, QByteArrayView json, QString *error) const
{
    const pb::Descriptor *descriptor = d->find(type);
    if (!descriptor) {
        *error = checkMessageType(type);
        return {};
    }
    std::unique_ptr<pb::Message> message(d->factory->GetPrototype(descriptor)->New());
    const auto status = pb::util::JsonStringToMessage(
        pb::StringPiece(json.data(), size_t(json.size())), message.get(), pb::util::JsonParseOptions());
    if (!status.ok()) {
        *error = tr("Protobuf: the JSON is not a %1: %2.").arg(type, statusText(status));
        return {};
    }
    if (!message->IsInitialized()) {
        *error = tr("Protobuf: the %1 message lacks required fields: %2.")
                     .arg(type, QString::fromStdString(message->InitializationErrorString()));
        return {};
    }
    std::string out;
    message->SerializePartialToString(&out);
    error->clear();
    return QByteArray::fromStdString(out);
}

} // namespace wst
