// The HAR importer on any document: it refuses or writes a session file, never more.
#include "FuzzSupport.h"
#include "session/HarImport.h"

#include <QFile>
#include <QTemporaryDir>

namespace {
QTemporaryDir *folder = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    folder = new QTemporaryDir;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString target = folder->filePath(QStringLiteral("out.wstsession"));
    wst::HarImport import;
    import.importData(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), target,
        QStringLiteral("fuzz.har"));
    (void)import.errorString();
    QFile::remove(target);
    return 0;
}
