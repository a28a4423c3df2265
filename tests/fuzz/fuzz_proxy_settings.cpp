// A proxy tab's settings as a session file keeps them (ProxySettingsJson): whatever is read, its
// JSON reads back as the same settings, and an error is one line.
#include "FuzzSupport.h"
#include "compose/ProxySettingsJson.h"

#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QJsonObject object = QJsonDocument::fromJson(input).object();
    QString error;
    const ProxyOptions options = ProxySettingsJson::fromJson(object, &error);
    if (error.contains(QLatin1Char('\n')))
        abort(); // one line (no key of the settings can put a line break into it)
    const QJsonObject once = ProxySettingsJson::toJson(options);
    QString again;
    const QJsonObject twice = ProxySettingsJson::toJson(ProxySettingsJson::fromJson(once, &again));
    if (!again.isEmpty() || once != twice)
        abort(); // what was read is written so that it reads back the same
    for (const ProxyBreakpoint &b : options.breakpoints)
        (void)b.match.matches(QString::fromUtf8(input.left(200)));
    return 0;
}
