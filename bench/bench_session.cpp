// RESULT session, the file side: a history of N captured 256-byte messages is written by the
// session writer, saved with Save As, and opened again until browsable.
//
// Usage: bench_session --messages N --dir DIR
// Prints: SESSION write_s=... save_s=... open_s=... rss_open_mib=... rss_before_open_mib=... file_mib=...
// (rss_before_open_mib: what the process held before opening, after the write side was freed)
#include "messages/MessageStore.h"
#include "session/FilePayloadSource.h"
#include "session/SessionReader.h"
#include "session/SessionRecorder.h"
#include "session/SessionSchema.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

using namespace wst;

static double rssMib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 messages = 1000000;
    QString dir = QDir::tempPath();
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--messages") == 0)
            messages = std::atoll(argv[++i]);
        else if (qstrcmp(argv[i], "--dir") == 0)
            dir = QString::fromLocal8Bit(argv[++i]);
    }
    const QString live = dir + QStringLiteral("/live.wstsession");
    const QString saved = dir + QStringLiteral("/saved.wstsession");
    const QString reopened = dir + QStringLiteral("/reopened.wstsession");
    double writeS = 0, saveS = 0;
    {
        auto store = std::make_shared<MessageStore>();
        const QString text(256, u'x');
        for (qint64 i = 0; i < messages; ++i)
            store->appendText(Direction(i % 2), Kind::Text, text, nowUs());
        SessionRecorder recorder;
        QString error;
        if (!recorder.open(live, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        const qint64 tab = recorder.addTab({});
        QElapsedTimer timer;
        timer.start();
        recorder.attach(tab, store);
        recorder.flush();
        writeS = timer.nsecsElapsed() / 1e9;
        timer.restart();
        if (!recorder.saveAsBlocking(saved, true, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        saveS = timer.nsecsElapsed() / 1e9;
    }
    // Open as the window does: check, copy to a live file, read the tabs, load the histories.
    const double rssBefore = rssMib();
    QElapsedTimer timer;
    timer.start();
    QString error;
    QSqlDatabase source = Schema::openReadOnly(saved, &error);
    if (!source.isOpen() || !Schema::backupTo(source, reopened, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    Schema::close(source);
    SessionContents contents;
    if (!readSessionContents(reopened, &contents, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    auto payloads = FilePayloadSource::open(reopened, &error);
    MessageStore store;
    const qint64 rows = loadSessionHistory(reopened, contents.tabs.first().id, store, payloads, &error);
    if (rows != messages) {
        std::fprintf(stderr, "loaded %lld of %lld: %s\n", rows, messages, qPrintable(error));
        return 1;
    }
    // Browsable: the first and the last screen can be shown.
    for (qint64 i = 0; i < 40; ++i) {
        (void)store.payload(i);
        (void)store.payload(rows - 1 - i);
    }
    const double openS = timer.nsecsElapsed() / 1e9;
    std::printf("SESSION write_s=%.3f save_s=%.3f open_s=%.3f rss_open_mib=%.1f rss_before_open_mib=%.1f "
                "file_mib=%.1f\n",
        writeS, saveS, openS, rssMib(), rssBefore, QFileInfo(saved).size() / 1048576.0);
    return 0;
}
