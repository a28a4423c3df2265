#include "PayloadCodec.h"

#include "format/BsonCodec.h"
#include "format/CborCodec.h"
#include "format/MsgPackCodec.h"
#include "format/ProtoSchema.h"

namespace wst {

std::shared_ptr<const PayloadCodec> PayloadCodec::create(const DecoderSetting &setting, QString *error)
{
    if (const QString problem = setting.validate(); !problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    std::shared_ptr<PayloadCodec> codec(new PayloadCodec);
    codec->m_setting = setting;
    if (setting.codec == DecoderSetting::Codec::Protobuf) {
        codec->m_schema = ProtoSchema::load(setting.protoFiles, setting.importPaths, error);
        if (!codec->m_schema)
            return nullptr;
        QStringList types { setting.typeIn, setting.typeOut };
        types += setting.typeByFirstByte.values();
        for (const QString &type : std::as_const(types)) {
            if (type.isEmpty())
                continue;
            if (const QString problem = codec->m_schema->checkMessageType(type); !problem.isEmpty()) {
                *error = problem;
                return nullptr;
            }
        }
    }
    error->clear();
    return codec;
}

QString PayloadCodec::typeFor(Direction direction) const
{
    const QString &preferred = direction == Direction::Out ? m_setting.typeOut : m_setting.typeIn;
    if (!preferred.isEmpty())
        return preferred;
    return direction == Direction::Out ? m_setting.typeIn : m_setting.typeOut;
}

PayloadCodec::Decoded PayloadCodec::decode(Direction direction, QByteArrayView bytes) const
{
    Decoded out;
    switch (m_setting.codec) {
    case DecoderSetting::Codec::None:
        out.error = tr("No decoder is set.");
        break;
    case DecoderSetting::Codec::MessagePack:
        out.json = MsgPackCodec::decode(bytes, &out.error);
        break;
    case DecoderSetting::Codec::Cbor:
        out.json = CborCodec::decode(bytes, &out.error);
        break;
    case DecoderSetting::Codec::Bson:
        out.json = BsonCodec::decode(bytes, &out.error);
        break;
    case DecoderSetting::Codec::Protobuf: {
        QByteArrayView body = bytes;
        out.type = typeFor(direction);
        if (!m_setting.typeByFirstByte.isEmpty()) {
            const int first = bytes.isEmpty() ? -1 : int(uchar(bytes.front()));
            const auto it = m_setting.typeByFirstByte.constFind(first);
            if (it != m_setting.typeByFirstByte.cend()) {
                out.type = it.value();
                body = bytes.sliced(1);
            } else if (out.type.isEmpty()) {
                out.error = first < 0 ? tr("Protobuf: the payload is empty; the first byte selects the type.")
                                      : tr("Protobuf: no message type for the first byte %1.").arg(first);
                break;
            }
        }
        out.json = m_schema->decode(out.type, body, &out.error);
        break;
    }
    }
    if (!out.ok())
        out.json.clear();
    return out;
}

PayloadCodec::Encoded PayloadCodec::encode(Direction direction, QByteArrayView json) const
{
    Encoded out;
    switch (m_setting.codec) {
    case DecoderSetting::Codec::None:
        out.error = tr("No encoder is set.");
        break;
    case DecoderSetting::Codec::MessagePack:
        out.payload = MsgPackCodec::encode(json, &out.error);
        break;
    case DecoderSetting::Codec::Cbor:
        out.payload = CborCodec::encode(json, &out.error);
        break;
    case DecoderSetting::Codec::Bson:
        out.payload = BsonCodec::encode(json, &out.error);
        break;
    case DecoderSetting::Codec::Protobuf: {
        const QString type = typeFor(direction);
        if (type.isEmpty()) {
            out.error = tr("Protobuf: no message type to send.");
            break;
        }
        out.payload = m_schema->encode(type, json, &out.error);
        // With a first-byte rule the byte that names this type goes first.
        for (auto it = m_setting.typeByFirstByte.cbegin(); out.ok() && it != m_setting.typeByFirstByte.cend();
             ++it) {
            if (it.value() == type) {
                out.payload.prepend(char(it.key()));
                break;
            }
        }
        break;
    }
    }
    if (!out.ok())
        out.payload.clear();
    return out;
}

} // namespace wst
