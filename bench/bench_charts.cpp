// Live charts during a flood: a writer thread appends text JSON messages to a MessageStore at a
// steady rate (default 1,000,000 a second) while a shown ChartsPanel, with a JSON value path
// set, charts it through its StreamSampler. Each sampler update is drawn by refresh() and then
// painted at once (the parts of the charts it changed, as the app's event loop would): that is
// the GUI thread's cost per update, timed. Also the GUI thread's whole CPU time during the flood
// per update, the sampler's update on its worker, and the worst lateness of a 10 ms timer on the
// GUI thread. Prints one key=value line per run and one of medians.
#include "ChartsPanel.h"
#include "messages/MessageStore.h"
#include "messages/StreamSampler.h"

#include <QApplication>
#include <QChart>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QGraphicsScene>
#include <QLineEdit>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>
#include <vector>

using namespace wst;

namespace {

// CPU time of the calling thread: what an update costs without the time the (shared) machine
// gave to other processes meanwhile.
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Run
{
    double updateMedianMs = 0;
    double updateWorstMs = 0;
    double cpuMedianMs = 0;
    double cpuWorstMs = 0;
    double firstMs = 0;
    double firstCpuMs = 0;
    double workerMedianMs = 0;
    double workerWorstMs = 0;
    double stallMs = 0;
    double guiCpuPerUpdateMs = 0; // all of the GUI thread's CPU during the flood, per update
    double rateMps = 0;
    double catchUpMs = 0;
    qint64 updates = 0;
    qint64 maxPayloads = 0;
    qint64 rows = 0;
};

Run runOnce(qint64 messages, qint64 ratePerSecond)
{
    auto store = std::make_shared<MessageStore>();
    StreamSampler sampler(store);
    ChartsPanel panel;
    panel.resize(1400, 420);
    panel.setSampler(&sampler);
    // The bench draws each update itself, timed: the panel's own connection would draw twice.
    QObject::disconnect(&sampler, nullptr, &panel, nullptr);
    panel.valuePathEdit()->setText(QStringLiteral("$.price"));
    Q_EMIT panel.valuePathEdit()->editingFinished();
    panel.show();
    QApplication::processEvents();

    const bool repaintAll = qEnvironmentVariableIntValue("WST_BENCH_CHARTS_REPAINT_ALL") == 1;
    std::vector<double> updateMs, cpuMs, workerMs;
    qint64 maxPayloads = 0;
    StreamStats::Work lastWork;
    QObject::connect(&sampler, &StreamSampler::updated, &panel, [&] {
        QElapsedTimer t;
        t.start();
        const double cpu0 = threadCpuMs();
        panel.refresh();
        // What the app's event loop does next, done here to time it: a chart's scene applies its
        // items' changes in a queued call, which marks the views' changed parts dirty; the
        // window's update request then paints those parts (as the app does: not the whole
        // panel; WST_BENCH_CHARTS_REPAINT_ALL=1 paints it all).
        for (int c = 0; panel.chart(c); ++c)
            QCoreApplication::sendPostedEvents(panel.chart(c)->scene(), QEvent::MetaCall);
        if (repaintAll)
            panel.repaint();
        else
            QCoreApplication::sendPostedEvents(&panel, QEvent::UpdateRequest);
        updateMs.push_back(double(t.nsecsElapsed()) / 1e6);
        cpuMs.push_back(threadCpuMs() - cpu0);
        if (qEnvironmentVariableIsSet("WST_BENCH_CHARTS_TRACE"))
            std::fprintf(stderr, "update %zu %.2f ms (cpu %.2f ms, refresh %.2f ms)\n", updateMs.size(),
                updateMs.back(), cpuMs.back(), double(panel.lastRefreshUs()) / 1e3);
        workerMs.push_back(double(sampler.lastUpdateUs()) / 1e3);
        const StreamStats::Work work = sampler.totalWork();
        maxPayloads = std::max(maxPayloads, work.payloadsRead - lastWork.payloadsRead);
        lastWork = work;
    });

    // The GUI thread's worst lateness of a 10 ms timer during the flood.
    double stallMs = 0;
    QElapsedTimer clock;
    clock.start();
    qint64 lastNs = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, &panel, [&] {
        const qint64 now = clock.nsecsElapsed();
        stallMs = std::max(stallMs, double(now - lastNs) / 1e6 - 10.0);
        lastNs = now;
    });
    tick.start(10);

    std::atomic<bool> done { false };
    std::atomic<qint64> writtenNs { 0 };
    std::thread writer([&] {
        constexpr qint64 Batch = 1000;
        const auto start = std::chrono::steady_clock::now();
        const auto period
            = std::chrono::nanoseconds(1'000'000'000LL * Batch / std::max<qint64>(1, ratePerSecond));
        QByteArray payload;
        for (qint64 i = 0; i < messages; i += Batch) {
            {
                MessageStore::Batch batch(*store);
                const qint64 now = nowUs();
                for (qint64 j = i; j < std::min(messages, i + Batch); ++j) {
                    payload = "{\"seq\":" + QByteArray::number(j) + ",\"price\":"
                        + QByteArray::number(100.0 + double(j % 1000) / 100.0, 'f', 2) + ",\"sym\":\"ABC\"}";
                    batch.appendBytes(Direction::In, Kind::Text, payload, now);
                }
            }
            std::this_thread::sleep_until(start + period * (i / Batch + 1));
        }
        writtenNs
            = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
                  .count();
        done = true;
    });
    // The GUI thread waits in its event loop (a busy processEvents() loop would take a core).
    QEventLoop loop;
    QTimer poll;
    const double guiCpu0 = threadCpuMs();
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done)
            loop.quit();
    });
    poll.start(20);
    loop.exec();
    const double guiCpuMs = threadCpuMs() - guiCpu0;
    const size_t floodUpdates = updateMs.size();
    writer.join();
    tick.stop();
    // How long the sampler takes to have read every row once the flood stops.
    QElapsedTimer catchUp;
    catchUp.start();
    QObject::disconnect(&poll, nullptr, &loop, nullptr);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (sampler.snapshot().position >= store->count())
            loop.quit();
    });
    loop.exec();

    Run r;
    // The first update draws the charts' first points (glyphs, layout): a one-time cost, apart.
    if (!updateMs.empty()) {
        r.firstMs = updateMs.front();
        r.firstCpuMs = cpuMs.front();
        updateMs.erase(updateMs.begin());
        cpuMs.erase(cpuMs.begin());
    }
    r.updateMedianMs = median(updateMs);
    r.updateWorstMs = updateMs.empty() ? 0 : *std::max_element(updateMs.begin(), updateMs.end());
    r.cpuMedianMs = median(cpuMs);
    r.cpuWorstMs = cpuMs.empty() ? 0 : *std::max_element(cpuMs.begin(), cpuMs.end());
    r.workerMedianMs = median(workerMs);
    r.workerWorstMs = workerMs.empty() ? 0 : *std::max_element(workerMs.begin(), workerMs.end());
    r.stallMs = std::max(0.0, stallMs);
    r.guiCpuPerUpdateMs = floodUpdates ? guiCpuMs / double(floodUpdates) : 0;
    r.rateMps = double(messages) / (double(writtenNs) / 1e9);
    r.catchUpMs = double(catchUp.nsecsElapsed()) / 1e6;
    r.updates = qint64(updateMs.size()) + 1;
    r.maxPayloads = maxPayloads;
    r.rows = store->count();
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({ QStringLiteral("messages"), QStringLiteral("Messages per run."), QStringLiteral("n"),
        QStringLiteral("4000000") });
    parser.addOption({ QStringLiteral("rate"), QStringLiteral("Messages per second."), QStringLiteral("n"),
        QStringLiteral("1000000") });
    parser.addOption(
        { QStringLiteral("runs"), QStringLiteral("Runs."), QStringLiteral("n"), QStringLiteral("3") });
    parser.process(app);
    const qint64 messages = parser.value(QStringLiteral("messages")).toLongLong();
    const qint64 rate = parser.value(QStringLiteral("rate")).toLongLong();
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());

    std::vector<double> med, worst, cmed, cworst, first, firstCpu, wmed, wworst, stall, guiCpu, rates,
        catchUp;
    qint64 updates = 0, maxPayloads = 0;
    for (int i = 0; i < runs; ++i) {
        const Run r = runOnce(messages, rate);
        std::printf(
            "run=%d update_median_ms=%.2f update_worst_ms=%.2f cpu_median_ms=%.2f cpu_worst_ms=%.2f "
            "first_update_ms=%.2f first_update_cpu_ms=%.2f worker_median_ms=%.2f "
            "worker_worst_ms=%.2f stall_ms=%.1f gui_cpu_per_update_ms=%.2f rate_mps=%.0f catch_up_ms=%.0f "
            "updates=%lld payloads_per_update_max=%lld rows=%lld\n",
            i + 1, r.updateMedianMs, r.updateWorstMs, r.cpuMedianMs, r.cpuWorstMs, r.firstMs, r.firstCpuMs,
            r.workerMedianMs, r.workerWorstMs, r.stallMs, r.guiCpuPerUpdateMs, r.rateMps, r.catchUpMs,
            static_cast<long long>(r.updates), static_cast<long long>(r.maxPayloads),
            static_cast<long long>(r.rows));
        std::fflush(stdout);
        med.push_back(r.updateMedianMs);
        worst.push_back(r.updateWorstMs);
        cmed.push_back(r.cpuMedianMs);
        cworst.push_back(r.cpuWorstMs);
        first.push_back(r.firstMs);
        firstCpu.push_back(r.firstCpuMs);
        wmed.push_back(r.workerMedianMs);
        wworst.push_back(r.workerWorstMs);
        stall.push_back(r.stallMs);
        guiCpu.push_back(r.guiCpuPerUpdateMs);
        rates.push_back(r.rateMps);
        catchUp.push_back(r.catchUpMs);
        updates += r.updates;
        maxPayloads = std::max(maxPayloads, r.maxPayloads);
    }
    std::printf("update_median_ms=%.2f update_worst_ms=%.2f cpu_median_ms=%.2f cpu_worst_ms=%.2f "
                "first_update_ms=%.2f first_update_cpu_ms=%.2f worker_median_ms=%.2f worker_worst_ms=%.2f "
                "stall_ms=%.1f gui_cpu_per_update_ms=%.2f rate_mps=%.0f catch_up_ms=%.0f updates=%lld "
                "payloads_per_update_max=%lld messages=%lld runs=%d\n",
        median(med), *std::max_element(worst.begin(), worst.end()), median(cmed),
        *std::max_element(cworst.begin(), cworst.end()), median(first), median(firstCpu), median(wmed),
        *std::max_element(wworst.begin(), wworst.end()), median(stall), median(guiCpu), median(rates),
        median(catchUp), static_cast<long long>(updates), static_cast<long long>(maxPayloads),
        static_cast<long long>(messages), runs);
    return 0;
}
