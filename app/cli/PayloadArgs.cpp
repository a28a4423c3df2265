#include "PayloadArgs.h"

namespace wst::cli {

PayloadArgs::PayloadArgs()
    : m_decode(QStringLiteral("decode"),
        tr("Print binary messages as JSON decoded from CODEC: msgpack, cbor, bson or "
           "protobuf:FILE.proto:package.Message (with --json a “decoded\u201d value, or a "
           "“decode_error\u201d, is added to binary rows)."),
        tr("codec"))
    , m_encode(QStringLiteral("encode"),
          tr("Send the --send texts and the lines of standard input as binary messages: JSON "
             "encoded in CODEC (msgpack, cbor, bson or protobuf:FILE.proto:package.Message)."),
          tr("codec"))
    , m_protoPath(QStringLiteral("proto-path"),
          tr("Look for the imports of .proto files in this folder (repeatable; the file's own "
             "folder is searched last)."),
          tr("dir"))
{
}

void PayloadArgs::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ m_decode, m_encode, m_protoPath });
}

std::optional<DecoderSetting> PayloadArgs::parseSpec(
    const QString &spec, const QStringList &importPaths, QString *error)
{
    DecoderSetting setting;
    const QString protobuf = QStringLiteral("protobuf:");
    if (spec.startsWith(protobuf)) {
        // The type is after the last colon, so that the file's path may hold colons.
        const QString rest = spec.mid(protobuf.size());
        const qsizetype colon = rest.lastIndexOf(u':');
        if (colon <= 0 || colon == rest.size() - 1) {
            *error = tr("\u201c%1\u201d: protobuf needs a file and a message type, as "
                        "protobuf:FILE.proto:package.Message.")
                         .arg(spec);
            return std::nullopt;
        }
        setting.codec = DecoderSetting::Codec::Protobuf;
        setting.protoFiles = { rest.left(colon) };
        setting.importPaths = importPaths;
        setting.typeIn = setting.typeOut = rest.mid(colon + 1);
        return setting;
    }
    const auto codec = DecoderSetting::codecFromKey(spec);
    if (!codec || *codec == DecoderSetting::Codec::None || *codec == DecoderSetting::Codec::Protobuf) {
        *error
            = tr("\u201c%1\u201d is not a codec: msgpack, cbor, bson or protobuf:FILE.proto:package.Message.")
                  .arg(spec);
        return std::nullopt;
    }
    setting.codec = *codec;
    return setting;
}

bool PayloadArgs::read(const QCommandLineParser &parser, QString *error)
{
    const QStringList paths = parser.values(m_protoPath);
    const auto make = [&](const QCommandLineOption &option, std::shared_ptr<const PayloadCodec> *out) {
        if (!parser.isSet(option))
            return true;
        const QStringList values = parser.values(option);
        if (values.size() > 1) {
            *error = tr("--%1 is given %2 times; give it once.")
                         .arg(option.names().constFirst())
                         .arg(values.size());
            return false;
        }
        const auto setting = parseSpec(values.constFirst(), paths, error);
        if (!setting)
            return false;
        *out = PayloadCodec::create(*setting, error);
        return *out != nullptr;
    };
    if (!make(m_decode, &m_decoder) || !make(m_encode, &m_encoder))
        return false;
    if (!paths.isEmpty() && !parser.isSet(m_decode) && !parser.isSet(m_encode)) {
        *error = tr("--proto-path needs --decode or --encode with protobuf.");
        return false;
    }
    error->clear();
    return true;
}

} // namespace wst::cli
