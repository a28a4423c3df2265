// The session file reader on damaged files: the input is written to a file, which checkFile
// and the reader then go through as `wstester session info` and export do. Seeds are real
// session files, so that the fuzzer mutates SQLite pages rather than guessing the header.
#include "FuzzSupport.h"
#include "session/SessionReader.h"
#include "session/SessionSchema.h"

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
    using namespace wst;
    const QString path = folder->filePath(QStringLiteral("in.wstsession"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            abort();
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    QString error;
    if (Schema::checkFile(path, &error)) {
        SessionReader reader;
        if (reader.open(path)) {
            (void)reader.meta("name");
            (void)reader.formatVersion();
            QList<SessionTab> tabs = reader.tabs();
            for (SessionTab &tab : tabs) {
                reader.countMessages(&tab);
                (void)reader.handshakes(tab.id);
                (void)reader.clientIds(tab.id);
            }
            (void)reader.messageCount();
            SessionReader::Cursor cursor(reader);
            for (int rows = 0; rows < 100000 && cursor.next(); ++rows)
                (void)cursor.payload.size();
        }
    }
    // Also the file's leftovers, so that a -journal or -wal from one input never reaches the next.
    for (const char *suffix : { "", "-journal", "-wal", "-shm" })
        QFile::remove(path + QLatin1StringView(suffix));
    return 0;
}
