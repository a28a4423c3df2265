// The MessagePack, CBOR and BSON decoders on any bytes; the first byte chooses the codec (its
// value modulo 3: 0 MessagePack, 1 CBOR, 2 BSON). What decodes must be valid JSON that the same
// codec encodes again, and that encoding must decode once more.
#include "FuzzSupport.h"
#include "format/BsonCodec.h"
#include "format/CborCodec.h"
#include "format/JsonFormat.h"
#include "format/MsgPackCodec.h"

namespace {

enum class Codec { MessagePack, Cbor, Bson };

QByteArray decode(Codec codec, QByteArrayView bytes, QString *error)
{
    switch (codec) {
    case Codec::Cbor:
        return wst::CborCodec::decode(bytes, error);
    case Codec::Bson:
        return wst::BsonCodec::decode(bytes, error);
    case Codec::MessagePack:
        break;
    }
    return wst::MsgPackCodec::decode(bytes, error);
}

QByteArray encode(Codec codec, QByteArrayView json, QString *error)
{
    switch (codec) {
    case Codec::Cbor:
        return wst::CborCodec::encode(json, error);
    case Codec::Bson:
        return wst::BsonCodec::encode(json, error);
    case Codec::MessagePack:
        break;
    }
    return wst::MsgPackCodec::encode(json, error);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    if (size == 0)
        return 0;
    const Codec codec = Codec(data[0] % 3);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QString error;
    const QByteArray json = decode(codec, input, &error);
    if (json.isEmpty() == error.isEmpty())
        abort(); // exactly one of a result and an error
    if (json.isEmpty())
        return 0;
    if (!JsonFormat::check(json).ok)
        abort();
    const QByteArray again = encode(codec, json, &error);
    // Qt's JSON parser refuses nesting deeper than 1024 (and libbson's reader its own depth), so
    // only an error is allowed there.
    if (again.isEmpty())
        return 0;
    const QByteArray back = decode(codec, again, &error);
    if (back.isEmpty() || !JsonFormat::check(back).ok)
        abort();
    return 0;
}
