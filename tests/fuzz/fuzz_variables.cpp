// The {{variable}} templater. The input is a template, then after a NUL byte an environment of
// name=value lines; the environment part is also tried as the JSON array of the settings.
#include "FuzzSupport.h"
#include "compose/Variables.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    const QString text = QString::fromUtf8(nul >= 0 ? input.left(nul) : input);
    const QByteArray envBytes = nul >= 0 ? input.mid(nul + 1) : QByteArray();
    Variables::Environment environment;
    const QList<QByteArray> lines = envBytes.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            environment.append({ QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)) });
    }
    QString error;
    QStringList missing;
    const QString out = Variables::substitute(text, environment, &error, 3, &missing);
    // The contract: an error comes with an empty result and the names it lacks.
    if (!error.isEmpty() && (!out.isEmpty() || missing.isEmpty()))
        abort();
    (void)Variables::referencedNames(text);
    (void)Variables::containsVariables(text);
    for (const auto &pair : std::as_const(environment))
        (void)Variables::isValidName(pair.first);
    const QJsonDocument doc = QJsonDocument::fromJson(envBytes);
    if (doc.isArray()) {
        QString jsonError;
        const Variables::Environment fromJson = Variables::fromJson(doc.array(), &jsonError);
        (void)Variables::toJson(fromJson);
    }
    return 0;
}
