// The client side of the ingest benchmark (bench/run ingest). It connects to a flood server in
// another process (bench_flood_server) and consumes its flood, in one of two modes:
//
//   raw  QCoreApplication, a plain QWebSocket in the main thread that only counts
//        textMessageReceived: the ceiling the app is compared with.
//   app  QApplication (offscreen): the app's real pipeline, wst::ClientConnection -> its
//        MessageStore -> wst::MessageLogModel -> wst::MessageFilterModel -> a shown
//        wst::HistoryView that follows new rows, with a 10 ms timer on the GUI thread whose
//        worst lateness during the flood is the GUI stall, and VmRSS read once every row is
//        published.
//   app-socketio  the same pipeline with the tab's protocol set to Socket.IO, against
//        `bench_flood_server --socketio` (Engine.IO open + CONNECT, then 42["tick",{...}] events):
//        every message also goes through the Socket.IO client session.
//        With --record FILE, the run is also captured into a session file as the window does
//        it: a wst::SessionRecorder opened on FILE (a new file: remove it first), a tab added,
//        and the connection followed (its store attached) before connecting. The flood is timed
//        as without it; the client also reports record_lag_ms, how long after the flood's end
//        the file held every row of the store (rowsWritten() polled every 2 ms from the GUI
//        thread), and writer_cpu_s, the writer thread's CPU seconds from Open until then.
//
// The flood server measures the consumption time; this program prints what only the client can
// see, as one line of key=value pairs starting with "CLIENT".
//
// Usage: bench_ingest raw|app|app-direct|app-socketio --port P [--messages N] [--record FILE]

#include "HistoryView.h"
#include "capture/CaptureBinder.h"
#include "connection/ClientConnection.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "session/SessionRecorder.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QItemSelectionModel>
#include <QMap>
#include <QTimer>
#include <QWebSocket>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <execinfo.h>
#include <functional>
#include <memory>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace {

constexpr int TickMs = 10;
// The session writer thread's name as /proc shows it (the kernel keeps 15 characters of
// "wst-session-writer").
constexpr char WriterThread[] = "wst-session-wri";

// WST_BENCH_STALL_TRACE=MS: a watchdog thread that, whenever the GUI thread has not ticked for
// MS, prints to stderr what it is doing: its state and kernel stack from /proc, and its own stack
// (a signal makes it write its backtrace; resolve the "binary(+0xoffset)" frames with addr2line).
std::atomic<qint64> g_lastTickNs { 0 };
std::atomic<bool> g_traceActive { false };

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void writeBacktrace(int)
{
    void *frames[48];
    const int n = backtrace(frames, 48);
    static const char head[] = "-- GUI thread stack:\n";
    (void)!write(2, head, sizeof head - 1);
    backtrace_symbols_fd(frames, n, 2);
}

void startStallTrace()
{
    const int thresholdMs = qEnvironmentVariableIntValue("WST_BENCH_STALL_TRACE");
    if (thresholdMs <= 0)
        return;
    void *warm[2];
    backtrace(warm, 2); // loads the unwinder now, not inside the signal handler
    std::signal(SIGUSR2, writeBacktrace);
    const pid_t gui = pid_t(syscall(SYS_gettid));
    const pthread_t guiThread = pthread_self();
    std::thread([gui, guiThread, thresholdMs] {
        const QString task = QStringLiteral("/proc/self/task/%1/").arg(gui);
        qint64 reportedAt = 0;
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            const qint64 last = g_lastTickNs.load();
            const qint64 now = steadyNs();
            const qint64 late = now - last - qint64(TickMs) * 1000000;
            // Once when the GUI thread is MS late, then every MS while it stays late.
            if (!g_traceActive.load() || late < qint64(thresholdMs) * 1000000
                || now - reportedAt < qint64(thresholdMs) * 1000000)
                continue;
            reportedAt = now;
            QFile stat(task + QStringLiteral("stat"));
            QFile stack(task + QStringLiteral("stack"));
            QFile wchan(task + QStringLiteral("wchan"));
            stat.open(QIODevice::ReadOnly);
            stack.open(QIODevice::ReadOnly);
            wchan.open(QIODevice::ReadOnly);
            const QByteArray s = stat.readAll();
            std::fprintf(stderr, "== GUI thread late %.1f ms: state %s wchan %s\n%s", double(late) / 1e6,
                s.mid(s.lastIndexOf(')') + 2, 1).constData(), wchan.readAll().constData(),
                stack.readAll().constData());
            // Every other thread: name, state (R running or runnable, S sleeping, D in the
            // kernel), niceness and where it sleeps.
            const QDir tasks(QStringLiteral("/proc/self/task"));
            for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                QFile ts(tasks.filePath(tid) + QStringLiteral("/stat"));
                QFile tw(tasks.filePath(tid) + QStringLiteral("/wchan"));
                ts.open(QIODevice::ReadOnly);
                tw.open(QIODevice::ReadOnly);
                const QByteArray t = ts.readAll();
                const QList<QByteArray> f = t.mid(t.lastIndexOf(')') + 2).split(' ');
                std::fprintf(stderr, "   %s %s nice %s %s\n",
                    t.mid(t.indexOf('(') + 1, t.lastIndexOf(')') - t.indexOf('(') - 1).constData(),
                    f.value(0).constData(), f.value(16).constData(), tw.readAll().constData());
            }
            pthread_kill(guiThread, SIGUSR2);
        }
    }).detach();
}

// The worst lateness of a 10 ms timer in the calling thread, tracked while active.
class StallMeter
{
public:
    explicit StallMeter(QObject *context)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(TickMs);
        QObject::connect(&m_timer, &QTimer::timeout, context, [this] { onTick(); });
        m_clock.start();
        m_timer.start();
        startStallTrace();
    }
    void setActive(bool on)
    {
        if (on && !m_active) {
            m_last = m_clock.nsecsElapsed();
            m_lastCpu = threadCpuNs();
        }
        m_active = on;
        g_lastTickNs.store(steadyNs());
        g_traceActive.store(on);
    }
    double worstMs() const { return double(m_worstNs) / 1e6; }
    // The GUI thread's own CPU time during the worst stall: the rest of it the thread was
    // waiting (for a core, a lock or the kernel).
    double worstCpuMs() const { return double(m_worstCpuNs) / 1e6; }

private:
    static qint64 threadCpuNs()
    {
        timespec ts {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }
    void onTick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        g_lastTickNs.store(steadyNs());
        if (m_active && now - m_last - qint64(TickMs) * 1000000 > m_worstNs) {
            m_worstNs = now - m_last - qint64(TickMs) * 1000000;
            m_worstCpuNs = cpu - m_lastCpu;
        }
        m_last = now;
        m_lastCpu = cpu;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_worstNs = 0;
    qint64 m_lastCpu = 0;
    qint64 m_worstCpuNs = 0;
    bool m_active = false;
};

// "VmRSS" or "VmHWM" from /proc/self/status, in MiB.
double procStatusMiB(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// CPU seconds (user + system) and minor page faults so far, per thread of this process by name.
struct ThreadUsage
{
    double cpuSeconds = 0;
    double minorFaults = 0;
};

QMap<QByteArray, ThreadUsage> threadUsage()
{
    QMap<QByteArray, ThreadUsage> result;
    const double hz = double(sysconf(_SC_CLK_TCK));
    const QDir tasks(QStringLiteral("/proc/self/task"));
    const QString self = QString::number(getpid());
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks.filePath(tid) + QStringLiteral("/stat"));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const qsizetype open = stat.indexOf('(');
        const qsizetype close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        QByteArray name = tid == self ? QByteArray("main") : stat.mid(open + 1, close - open - 1);
        name.replace(' ', '_');
        name.replace('=', '_');
        name.replace('(', "");
        name.replace(')', "");
        // fields[0] is field 3 of proc(5): minflt is field 10, utime and stime are 14 and 15.
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.size() < 13)
            continue;
        ThreadUsage &u = result[name];
        u.cpuSeconds += (fields[11].toDouble() + fields[12].toDouble()) / hz;
        u.minorFaults += fields[7].toDouble();
    }
    return result;
}

// " cpu_<thread>=<s> ... flt_<thread>=<n> ...": what each thread used between the two samples.
QByteArray usageDelta(const QMap<QByteArray, ThreadUsage> &before, const QMap<QByteArray, ThreadUsage> &after)
{
    QByteArray cpu;
    QByteArray faults;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        const ThreadUsage b = before.value(it.key());
        const double d = it->cpuSeconds - b.cpuSeconds;
        if (d >= 0.005)
            cpu += " cpu_" + it.key() + '=' + QByteArray::number(d, 'f', 2);
        const double f = it->minorFaults - b.minorFaults;
        if (f >= 1)
            faults += " flt_" + it.key() + '=' + QByteArray::number(f, 'f', 0);
    }
    return cpu + faults;
}

QUrl floodUrl(int port)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/flood").arg(port));
}

int runRaw(int argc, char **argv, int port, qint64 expected)
{
    QCoreApplication app(argc, argv);
    QWebSocket socket;
    StallMeter stall(&app);
    QElapsedTimer clock;
    qint64 count = 0;
    QMap<QByteArray, ThreadUsage> cpuBefore;
    QObject::connect(&socket, &QWebSocket::connected, &app, [&] {
        cpuBefore = threadUsage();
        stall.setActive(true);
        clock.start();
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &app, [&count](const QString &) { ++count; });
    QObject::connect(&socket, &QWebSocket::disconnected, &app, [&] {
        stall.setActive(false);
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        std::printf("CLIENT mode=raw received=%lld seconds_since_open=%.3f stall_ms=%.1f rss_mib=%.1f%s\n",
            qlonglong(count), seconds, stall.worstMs(), procStatusMiB("VmRSS"),
            usageDelta(cpuBefore, threadUsage()).constData());
        std::fflush(stdout);
        app.exit(count == expected || expected < 0 ? 0 : 1);
    });
    QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &app,
        [&socket](QAbstractSocket::SocketError) {
            std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(socket.errorString()));
        });
    socket.open(floodUrl(port));
    return app.exec();
}

// --browse: what a user does after a long capture, each timed on the GUI thread until painted:
// scroll to the top (the oldest rows, read back from the file when evicted), select the first
// row (its whole payload, as the detail pane reads it), scroll back to the bottom, select the
// last row.
QByteArray browseKeys(wst::HistoryView &view, QAbstractItemModel &model)
{
    QElapsedTimer timer;
    const auto timed = [&](const char *key, const std::function<void()> &step) -> QByteArray {
        timer.start();
        step();
        view.viewport()->repaint();
        return QByteArray(" ") + key + '=' + QByteArray::number(double(timer.nsecsElapsed()) / 1e6, 'f', 1);
    };
    const auto select = [&](int row) {
        const QModelIndex index = model.index(row, 0);
        view.selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        (void)index.data(wst::MessageLogModel::PayloadRole).toByteArray();
    };
    QByteArray keys = timed("scroll_top_ms", [&] { view.scrollToTop(); });
    keys += timed("select_old_ms", [&] { select(0); });
    keys += timed("scroll_bottom_ms", [&] { view.scrollToBottom(); });
    keys += timed("select_new_ms", [&] { select(model.rowCount() - 1); });
    return keys;
}

// --browse, after the GUI steps: every payload of the store searched for a substring that is
// not there, in another thread (what a filter's scan reads; evicted rows come from the file).
QByteArray scanKeys(const wst::MessageStore &store)
{
    QElapsedTimer timer;
    timer.start();
    qint64 found = 0;
    std::thread scanner([&store, &found] {
        store.scanPayloads(0, store.count() - 1, [&found](qint64, QByteArrayView bytes) {
            found += bytes.indexOf("no such text") >= 0;
            return true;
        });
    });
    scanner.join();
    return " scan_s=" + QByteArray::number(double(timer.nsecsElapsed()) / 1e9, 'f', 2)
        + " scan_found=" + QByteArray::number(found);
}

// --browse, last: the history's filter set to a substring that is not there, as a user types it,
// timed until every row was tested (on a worker: evicted rows come from the file in ranges),
// with the worst lateness of a 5 ms timer on the GUI thread meanwhile.
QByteArray filterKeys(wst::MessageFilterModel &filter)
{
    QElapsedTimer clock;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(5);
    qint64 last = 0;
    qint64 worst = 0;
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const qint64 now = clock.nsecsElapsed();
        worst = qMax(worst, now - last - 5000000);
        last = now;
    });
    clock.start();
    ticker.start();
    filter.setText(QStringLiteral("no such text"));
    while (filter.isScanning())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    return " filter_s=" + QByteArray::number(seconds, 'f', 2)
        + " filter_rows=" + QByteArray::number(filter.rowCount())
        + " filter_worker_rows=" + QByteArray::number(filter.rowsTestedOnWorker())
        + " filter_stall_ms=" + QByteArray::number(double(qMax<qint64>(worst, 0)) / 1e6, 'f', 1);
}

int runApp(int argc, char **argv, int port, qint64 expected, const QByteArray &mode,
    const QString &recordPath, bool browse, qint64 budgetMiB)
{
    const bool relay = mode != "app-direct";
    const bool socketIo = mode == "app-socketio";
    // The Socket.IO flood starts with the open packet and the CONNECT reply.
    if (socketIo && expected >= 0)
        expected += 2;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    wst::ClientConnection connection;
    const std::shared_ptr<wst::MessageStore> store = connection.store();
    wst::MessageLogModel log(store);
    wst::MessageFilterModel filter;
    filter.setSourceModel(&log);
    wst::HistoryView view;
    view.setModel(&filter);
    view.resize(1200, 800);
    view.show();
    // Auto-scroll as the app has it: follow new rows while the view says it is following. (When
    // HistoryView does this itself, this second scrollToBottom per batch is a no-op in cost.)
    QObject::connect(&log, &wst::MessageLogModel::rowsPublished, &view, [&view] {
        if (view.isFollowing())
            view.scrollToBottom();
    });

    // --record: capture into a session file as the window does, from before the connection opens.
    const bool recording = !recordPath.isEmpty();
    wst::SessionRecorder recorder;
    if (budgetMiB >= 0)
        recorder.setMemoryBudget(budgetMiB << 20);
    if (recording) {
        QString error;
        if (!recorder.open(recordPath, &error, true)) {
            std::fprintf(
                stderr, "bench_ingest: --record %s: %s\n", qPrintable(recordPath), qPrintable(error));
            return 1;
        }
        QObject::connect(&recorder, &wst::SessionRecorder::writeFailed, &app,
            [](const QString &why) { std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(why)); });
        wst::SessionTab tab;
        tab.title = QStringLiteral("flood");
        tab.url = floodUrl(port).toString();
        const qint64 tabId = recorder.addTab(tab);
        // attach(tabId, connection.store()) plus the handshake row, as `wstester connect --record`.
        wst::CaptureBinder::follow(&recorder, tabId, &connection);
    }

    StallMeter stall(&app);
    QElapsedTimer clock;
    QMap<QByteArray, ThreadUsage> cpuBefore;
    QMap<QByteArray, ThreadUsage> cpuPublished;
    QMap<QByteArray, ThreadUsage> cpuRecorded;
    qint64 closedNs = -1;
    qint64 publishedNs = -1;
    bool publishing = false;
    qint64 recordedNs = recording ? -1 : 0;
    double rssMiB = 0;
    double hwmMiB = 0;
    bool done = false;
    int status = 0;
    QTimer recordPoll;
    recordPoll.setInterval(2);

    const auto finishIfDone = [&] {
        if (done || publishedNs < 0 || recordedNs < 0)
            return;
        done = true;
        recordPoll.stop();
        const qint64 received = store->counters().messagesIn;
        // Every thread's CPU until every row was published; the writer's until the file held them.
        QMap<QByteArray, ThreadUsage> cpuAfter = cpuPublished;
        QByteArray recordKeys;
        if (recording) {
            const ThreadUsage before = cpuBefore.value(WriterThread);
            const ThreadUsage after = cpuRecorded.value(WriterThread);
            cpuAfter.insert(WriterThread, after);
            recordKeys = " record_lag_ms=" + QByteArray::number(double(recordedNs - closedNs) / 1e6, 'f', 1)
                + " record_rows=" + QByteArray::number(recorder.rowsWritten())
                + " writer_cpu_s=" + QByteArray::number(after.cpuSeconds - before.cpuSeconds, 'f', 2)
                + " writer_flt=" + QByteArray::number(after.minorFaults - before.minorFaults, 'f', 0);
            // The file holds every row and the writer evicted after its last commit.
            recordKeys += " rss_end_mib=" + QByteArray::number(procStatusMiB("VmRSS"), 'f', 1)
                + " evicted_rows=" + QByteArray::number(store->evictedRows());
        }
        if (browse)
            recordKeys += browseKeys(view, filter) + scanKeys(*store) + filterKeys(filter);
        std::printf(
            "CLIENT mode=%s received=%lld rows=%lld seconds_since_open=%.3f publish_lag_ms=%.1f "
            "stall_ms=%.1f stall_cpu_ms=%.1f rss_mib=%.1f hwm_mib=%.1f store_mib=%.1f following=%d%s%s\n",
            mode.constData(), qlonglong(received), qlonglong(log.rowCount()), double(closedNs) / 1e9,
            double(publishedNs - closedNs) / 1e6, stall.worstMs(), stall.worstCpuMs(), rssMiB, hwmMiB,
            double(store->memoryBytes()) / (1024.0 * 1024.0), int(view.isFollowing()), recordKeys.constData(),
            usageDelta(cpuBefore, cpuAfter).constData());
        std::fflush(stdout);
        if (expected >= 0 && received != expected) {
            std::fprintf(stderr, "bench_ingest: received %lld messages, expected %lld\n", qlonglong(received),
                qlonglong(expected));
            status = 1;
        }
        app.exit(status);
    };

    // Every row handed to the GUI after the flood ended: the GUI figures are taken here.
    const auto checkPublished = [&] {
        if (publishing || publishedNs >= 0 || closedNs < 0 || log.rowCount() < store->count())
            return;
        publishing = true; // processEvents() below must not come back here or finish early
        const qint64 now = clock.nsecsElapsed();
        stall.setActive(false);
        cpuPublished = threadUsage();
        // Let the view lay out and paint the last batch before measuring memory.
        QCoreApplication::processEvents();
        rssMiB = procStatusMiB("VmRSS");
        hwmMiB = procStatusMiB("VmHWM");
        publishedNs = now;
        finishIfDone();
    };

    // Every row of the store in the file after the flood ended (polled: the GUI thread never
    // waits for the writer).
    QObject::connect(&recordPoll, &QTimer::timeout, &app, [&] {
        if (recordedNs >= 0 || recorder.rowsWritten() < store->count())
            return;
        recordedNs = clock.nsecsElapsed();
        cpuRecorded = threadUsage();
        recordPoll.stop();
        finishIfDone();
    });

    QObject::connect(
        &connection, &wst::ClientConnection::stateChanged, &app, [&](wst::ClientConnection::State state) {
            using State = wst::ClientConnection::State;
            if (state == State::Open) {
                cpuBefore = threadUsage();
                stall.setActive(true);
                clock.start();
            } else if (state == State::Closed || state == State::Error) {
                if (closedNs >= 0)
                    return;
                if (state == State::Error) {
                    std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(connection.status().errorString));
                    status = 1;
                }
                if (!clock.isValid())
                    clock.start();
                closedNs = clock.nsecsElapsed();
                if (recording)
                    recordPoll.start();
                checkPublished();
            }
        });
    QObject::connect(
        &log, &wst::MessageLogModel::rowsPublished, &app, [&checkPublished] { checkPublished(); });

    wst::ConnectionOptions options;
    options.url = floodUrl(port);
    options.useRelay = relay; // app-direct: the same pipeline without the wire relay
    if (socketIo)
        options.protocol.id = wst::ProtocolId::SocketIo;
    connection.open(options);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QByteArray mode;
    int port = 0;
    qint64 expected = -1;
    QString recordPath;
    bool browse = false;
    qint64 budgetMiB = -1;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--port" && hasValue)
            port = std::atoi(argv[++i]);
        else if (arg == "--messages" && hasValue)
            expected = std::atoll(argv[++i]);
        else if (arg == "--record" && hasValue)
            recordPath = QString::fromLocal8Bit(argv[++i]);
        else if (arg == "--budget-mib" && hasValue)
            budgetMiB = std::atoll(argv[++i]);
        else if (arg == "--browse")
            browse = true;
        else if (mode.isEmpty()
            && (arg == "raw" || arg == "app" || arg == "app-direct" || arg == "app-socketio"))
            mode = arg;
        else
            mode = "?";
    }
    if ((mode != "raw" && mode != "app" && mode != "app-direct" && mode != "app-socketio") || port <= 0
        || (mode == "raw" && !recordPath.isEmpty())) {
        std::fprintf(stderr,
            "usage: %s raw|app|app-direct|app-socketio --port P [--messages N] [--record FILE (not raw)]"
            " [--budget-mib N] [--browse]\n",
            argv[0]);
        return 2;
    }
    if (mode == "raw")
        return runRaw(argc, argv, port, expected);
    return runApp(argc, argv, port, expected, mode, recordPath, browse, budgetMiB);
}
