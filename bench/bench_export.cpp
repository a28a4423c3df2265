// Session export and HAR import of a large session: N text messages of 256 bytes (default
// 1,000,000) in one client tab. Prints key=value lines: the time of each export to a file and
// of importing the exported HAR back, and the output sizes.
#include "session/HarImport.h"
#include "session/SessionExport.h"
#include "session/SessionReader.h"
#include "session/SessionSchema.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <cstdio>
#include <ctime>

using namespace wst;

namespace {

// CPU time of the process in ms: on a shared machine the wall time says more about the
// neighbours than about the code.
qint64 cpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

bool makeSession(const QString &path, qint64 count)
{
    QString error;
    QSqlDatabase db = Schema::openForWriting(path, &error);
    if (!db.isOpen()) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return false;
    }
    sqlite3 *h = Schema::handle(db);
    sqlite3_exec(h,
        "BEGIN; INSERT INTO tabs(id, kind, title, url) VALUES (1, 'client', 'bench', 'ws://127.0.0.1:9/');"
        "INSERT INTO handshakes(tab, conn, time_us, request, response) VALUES (1, 0, 1714564800000000,"
        " 'GET / HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n', 'HTTP/1.1 101 Switching Protocols\r\n\r\n')",
        nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(h,
        "INSERT INTO messages(id, tab, seq, time_us, dir, kind, size, payload) VALUES (?, 1, ?, ?, ?, 0, ?, "
        "?)",
        -1, &insert, nullptr);
    QByteArray payload = R"({"type":"tick","seq":0000000,"data":")";
    payload += QByteArray(256 - payload.size() - 2, 'x') + "\"}";
    for (qint64 i = 0; i < count; ++i) {
        const QByteArray n = QByteArray::number(i).rightJustified(7, '0');
        memcpy(payload.data() + 20, n.constData(), 7);
        sqlite3_bind_int64(insert, 1, Schema::messageId(1, i));
        sqlite3_bind_int64(insert, 2, i);
        sqlite3_bind_int64(insert, 3, 1714564800000001 + i * 37);
        sqlite3_bind_int(insert, 4, i % 10 == 0 ? 1 : 0);
        sqlite3_bind_int(insert, 5, int(payload.size()));
        sqlite3_bind_blob(insert, 6, payload.constData(), int(payload.size()), SQLITE_STATIC);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    const bool ok = sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    Schema::close(db);
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 count = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    QTemporaryDir dir;
    const QString session = dir.filePath(QStringLiteral("bench.wstsession"));
    QElapsedTimer timer;
    timer.start();
    if (!makeSession(session, count))
        return 1;
    printf("messages=%lld\nsession_write_ms=%lld\nsession_bytes=%lld\n", count, timer.elapsed(),
        QFileInfo(session).size());

    SessionReader reader;
    if (!reader.open(session)) {
        fprintf(stderr, "%s\n", qPrintable(reader.errorString()));
        return 1;
    }
    for (SessionExport::Format format : { SessionExport::Format::Ndjson, SessionExport::Format::Csv,
             SessionExport::Format::Json, SessionExport::Format::Har }) {
        const QString name = SessionExport::formatName(format);
        // WST_BENCH_FORMATS=ndjson,har runs only those (for profiling one format).
        const QString only = qEnvironmentVariable("WST_BENCH_FORMATS");
        if (!only.isEmpty() && !only.split(QLatin1Char(',')).contains(name))
            continue;
        const QString target = dir.filePath(QStringLiteral("out.") + name);
        SessionExport exporter(format);
        timer.restart();
        const qint64 cpu = cpuMs();
        if (exporter.writeFile(reader, target) != SessionExport::Result::Ok) {
            fprintf(stderr, "%s\n", qPrintable(exporter.errorString()));
            return 1;
        }
        printf("export_%s_ms=%lld\nexport_%s_cpu_ms=%lld\nexport_%s_bytes=%lld\n", qPrintable(name),
            timer.elapsed(), qPrintable(name), cpuMs() - cpu, qPrintable(name), QFileInfo(target).size());
        // The next export should not pay for this one's page cache.
        if (format != SessionExport::Format::Har)
            QFile::remove(target);
    }
    if (!QFileInfo::exists(dir.filePath(QStringLiteral("out.har"))))
        return 0;
    HarImport importer;
    timer.restart();
    const qint64 cpu = cpuMs();
    if (importer.importFile(
            dir.filePath(QStringLiteral("out.har")), dir.filePath(QStringLiteral("imported.wstsession")))
        != HarImport::Result::Ok) {
        fprintf(stderr, "%s\n", qPrintable(importer.errorString()));
        return 1;
    }
    printf("import_har_ms=%lld\nimport_har_cpu_ms=%lld\nimported_messages=%lld\n", timer.elapsed(),
        cpuMs() - cpu, importer.messageCount());
    return 0;
}
