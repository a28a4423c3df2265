// The hand-made frame spec parser (connect --frame SPEC, the frame composer) on any text, and
// the builder on whatever it accepts: no file is read (the reader refuses), and a built plan's
// frames account for every byte of it.
#include "FuzzSupport.h"
#include "protocol/FrameBuilder.h"
#include "protocol/FrameSpecParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    fuzz::ensureApplication();
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    FrameSpec spec;
    QString error;
    const auto noFiles = [](const QString &, QByteArray *, QString *problem) {
        *problem = QStringLiteral("no files while fuzzing");
        return false;
    };
    if (!FrameSpecParser::parse(text, &spec, &error, noFiles)) {
        if (error.isEmpty() || error.contains(QLatin1Char('\n')))
            abort(); // a refusal is one line
        return 0;
    }
    // Big payloads are legal but slow to build a few thousand times a second.
    if (spec.payload.size() > 1 << 20 || (spec.bytewiseDelayMs >= 0 && spec.payload.size() > 4096))
        return 0;
    const FrameBuilder::Plan plan = FrameBuilder::build(spec);
    qsizetype frameBytes = 0;
    for (const FrameBuilder::Frame &f : plan.frames) {
        if (f.info.header.size() < 2 || f.info.header.size() > 14 || !f.bytes.startsWith(f.info.header))
            abort();
        frameBytes += f.bytes.size();
    }
    if (frameBytes != plan.bytes().size() || plan.frames.size() < spec.fragments)
        abort();
    (void)spec.describe();
    return 0;
}
