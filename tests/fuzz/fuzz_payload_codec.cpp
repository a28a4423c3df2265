// The MessagePack and CBOR decoders on any bytes; the first byte chooses the codec (even:
// MessagePack, odd: CBOR). What decodes must be valid JSON that the same codec encodes again,
// and that encoding must decode once more.
#include "FuzzSupport.h"
#include "format/CborCodec.h"
#include "format/JsonFormat.h"
#include "format/MsgPackCodec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    if (size == 0)
        return 0;
    const bool cbor = data[0] & 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QString error;
    const QByteArray json = cbor ? CborCodec::decode(input, &error) : MsgPackCodec::decode(input, &error);
    if (json.isEmpty() == error.isEmpty())
        abort(); // exactly one of a result and an error
    if (json.isEmpty())
        return 0;
    if (!JsonFormat::check(json).ok)
        abort();
    const QByteArray again = cbor ? CborCodec::encode(json, &error) : MsgPackCodec::encode(json, &error);
    // Qt's JSON parser refuses nesting deeper than 1024, so only an error of that kind is allowed.
    if (again.isEmpty())
        return 0;
    const QByteArray back = cbor ? CborCodec::decode(again, &error) : MsgPackCodec::decode(again, &error);
    if (back.isEmpty() || !JsonFormat::check(back).ok)
        abort();
    return 0;
}
