// Protocol Buffers decoding of any bytes as chat.v1.Event (tests/data/proto/chat.proto, with
// an import, a map, a recursive field). What decodes must be valid JSON; when that JSON encodes
// again, the message must decode to the same JSON.
#include "FuzzSupport.h"
#include "format/JsonFormat.h"
#include "format/ProtoSchema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    static const std::shared_ptr<const ProtoSchema> schema = [] {
        wst::fuzz::ensureApplication();
        QString error;
        auto loaded = ProtoSchema::load({ QStringLiteral(WST_TEST_DATA "/proto/chat.proto") }, {}, &error);
        if (!loaded) {
            fprintf(stderr, "%s\n", qPrintable(error));
            abort();
        }
        return loaded;
    }();
    const QString type = QStringLiteral("chat.v1.Event");
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const QByteArray json = schema->decode(type, input, &error);
    if (json.isEmpty()) {
        if (error.isEmpty())
            abort();
        return 0;
    }
    if (!JsonFormat::check(json).ok)
        abort();
    // libprotobuf may print what its own parser refuses (a map with the same key twice, read
    // from the wire as two entries): only what encodes again must decode to the same JSON.
    const QByteArray bytes = schema->encode(type, json, &error);
    if (!error.isEmpty())
        return 0;
    if (schema->decode(type, bytes, &error) != json)
        abort();
    return 0;
}
