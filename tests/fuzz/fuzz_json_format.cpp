// The JSON checker, pretty-printer and line tokenizer on any bytes. What check() accepts,
// pretty() must print, and the printed text must check again.
#include "FuzzSupport.h"
#include "format/JsonFormat.h"

#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)JsonFormat::looksLikeJson(input);
    const JsonFormat::Result checked = JsonFormat::check(input);
    if (!checked.ok && (checked.errorOffset < 0 || checked.errorOffset > input.size()))
        abort();
    for (const int indent : { 0, 2 }) {
        const JsonFormat::Result pretty = JsonFormat::pretty(input, indent);
        if (pretty.ok != checked.ok)
            abort();
        if (pretty.ok) {
            if (!JsonFormat::check(pretty.text).ok)
                abort();
            const QStringList lines = QString::fromUtf8(pretty.text).split(QLatin1Char('\n'));
            for (const QString &line : lines)
                (void)JsonFormat::tokenizeLine(line);
        }
    }
    const QString text = QString::fromUtf8(input);
    for (const JsonFormat::Token &t : JsonFormat::tokenizeLine(text)) {
        if (t.start < 0 || t.length < 0 || t.start + t.length > text.size())
            abort();
    }
    return 0;
}
