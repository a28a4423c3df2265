#include "DecoderSetting.h"

#include <QJsonArray>

namespace wst {

namespace {

const QString kCodec = QStringLiteral("codec");
const QString kFiles = QStringLiteral("protoFiles");
const QString kPaths = QStringLiteral("importPaths");
const QString kTypeIn = QStringLiteral("typeIn");
const QString kTypeOut = QStringLiteral("typeOut");
const QString kFirstByte = QStringLiteral("firstByte");

bool readStrings(const QJsonObject &json, const QString &name, QStringList *out, QString *error)
{
    const QJsonValue value = json.value(name);
    if (value.isUndefined())
        return true;
    if (!value.isArray()) {
        *error = DecoderSetting::tr("Decoder: \u201c%1\u201d is not a list of strings.").arg(name);
        return false;
    }
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().isEmpty()) {
            *error
                = DecoderSetting::tr("Decoder: \u201c%1\u201d holds something that is not a path.").arg(name);
            return false;
        }
        out->append(item.toString());
    }
    return true;
}

bool readString(const QJsonObject &json, const QString &name, QString *out, QString *error)
{
    const QJsonValue value = json.value(name);
    if (value.isUndefined())
        return true;
    if (!value.isString()) {
        *error = DecoderSetting::tr("Decoder: \u201c%1\u201d is not a string.").arg(name);
        return false;
    }
    *out = value.toString();
    return true;
}

} // namespace

QString DecoderSetting::key(Codec codec)
{
    switch (codec) {
    case Codec::None:
        return QStringLiteral("none");
    case Codec::MessagePack:
        return QStringLiteral("msgpack");
    case Codec::Cbor:
        return QStringLiteral("cbor");
    case Codec::Bson:
        return QStringLiteral("bson");
    case Codec::Protobuf:
        return QStringLiteral("protobuf");
    }
    return {};
}

std::optional<DecoderSetting::Codec> DecoderSetting::codecFromKey(QStringView key)
{
    for (const Codec codec : { Codec::None, Codec::MessagePack, Codec::Cbor, Codec::Bson, Codec::Protobuf }) {
        if (DecoderSetting::key(codec) == key)
            return codec;
    }
    return std::nullopt;
}

QString DecoderSetting::label(Codec codec)
{
    switch (codec) {
    case Codec::None:
        return tr("None");
    case Codec::MessagePack:
        return tr("MessagePack");
    case Codec::Cbor:
        return tr("CBOR");
    case Codec::Bson:
        return tr("BSON");
    case Codec::Protobuf:
        return tr("Protocol Buffers");
    }
    return {};
}

QJsonObject DecoderSetting::toJson() const
{
    QJsonObject json { { kCodec, key(codec) } };
    if (codec != Codec::Protobuf)
        return json;
    json.insert(kFiles, QJsonArray::fromStringList(protoFiles));
    if (!importPaths.isEmpty())
        json.insert(kPaths, QJsonArray::fromStringList(importPaths));
    if (!typeIn.isEmpty())
        json.insert(kTypeIn, typeIn);
    if (!typeOut.isEmpty())
        json.insert(kTypeOut, typeOut);
    if (!typeByFirstByte.isEmpty()) {
        QJsonObject rule;
        for (auto it = typeByFirstByte.cbegin(); it != typeByFirstByte.cend(); ++it)
            rule.insert(QString::number(it.key()), it.value());
        json.insert(kFirstByte, rule);
    }
    return json;
}

std::optional<DecoderSetting> DecoderSetting::fromJson(const QJsonObject &json, QString *error)
{
    DecoderSetting s;
    const QJsonValue codec = json.value(kCodec);
    const auto kind = codec.isString() ? codecFromKey(codec.toString()) : std::nullopt;
    if (!kind) {
        *error = tr("Decoder: unknown codec \u201c%1\u201d (none, msgpack, cbor, bson or protobuf).")
                     .arg(codec.isString() ? codec.toString() : QStringLiteral("?"));
        return std::nullopt;
    }
    s.codec = *kind;
    if (!readStrings(json, kFiles, &s.protoFiles, error) || !readStrings(json, kPaths, &s.importPaths, error)
        || !readString(json, kTypeIn, &s.typeIn, error) || !readString(json, kTypeOut, &s.typeOut, error))
        return std::nullopt;
    const QJsonValue rule = json.value(kFirstByte);
    if (!rule.isUndefined() && !rule.isObject()) {
        *error = tr("Decoder: \u201c%1\u201d is not an object of byte values and types.").arg(kFirstByte);
        return std::nullopt;
    }
    const QJsonObject ruleObject = rule.toObject();
    for (auto it = ruleObject.begin(); it != ruleObject.end(); ++it) {
        bool number = false;
        const int byte = it.key().toInt(&number);
        if (!number || !it.value().isString()) {
            *error = tr("Decoder: the first-byte rule \u201c%1\u201d is not a byte value with a type.")
                         .arg(it.key());
            return std::nullopt;
        }
        s.typeByFirstByte.insert(byte, it.value().toString());
    }
    if (const QString problem = s.validate(); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    error->clear();
    return s;
}

QString DecoderSetting::validate() const
{
    if (codec != Codec::Protobuf) {
        if (!protoFiles.isEmpty() || !typeIn.isEmpty() || !typeOut.isEmpty() || !typeByFirstByte.isEmpty())
            return tr("Decoder: .proto files and message types belong to Protocol Buffers only.");
        return {};
    }
    if (protoFiles.isEmpty())
        return tr("Decoder: Protocol Buffers needs at least one .proto file.");
    for (auto it = typeByFirstByte.cbegin(); it != typeByFirstByte.cend(); ++it) {
        if (it.key() < 0 || it.key() > 255)
            return tr("Decoder: the first byte %1 is not 0-255.").arg(it.key());
        if (it.value().isEmpty())
            return tr("Decoder: the first byte %1 has no message type.").arg(it.key());
    }
    if (typeIn.isEmpty() && typeOut.isEmpty() && typeByFirstByte.isEmpty())
        return tr("Decoder: no message type chosen.");
    return {};
}

} // namespace wst
