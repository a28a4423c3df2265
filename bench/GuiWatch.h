// A GUI-thread stall meter shared by the benchmarks that drive widgets: a 5 ms precise timer on
// the GUI thread whose worst lateness, from an action until its result is there (and 200 ms of
// painting after), is the stall.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace bench {

// The worst lateness of a 5 ms timer while `until` is false, and the time until it is true.
struct Watch
{
    double callMs = 0;
    double stallMs = 0;
    double totalMs = 0;
};

template <typename Start, typename Done> Watch watch(Start start, Done done)
{
    constexpr int IntervalMs = 5;
    Watch w;
    QElapsedTimer clock;
    qint64 lastNs = 0;
    qint64 worstGapNs = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(IntervalMs);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const qint64 now = clock.nsecsElapsed();
        worstGapNs = std::max(worstGapNs, now - lastNs);
        lastNs = now;
    });
    clock.start();
    ticker.start();
    start();
    w.callMs = double(clock.nsecsElapsed()) / 1e6;
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    w.totalMs = double(clock.nsecsElapsed()) / 1e6;
    // What is painted after the result arrived (the first screen of the view) counts too.
    const qint64 settle = clock.nsecsElapsed() + 200'000'000;
    while (clock.nsecsElapsed() < settle)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    const qint64 now = clock.nsecsElapsed();
    worstGapNs = std::max(worstGapNs, now - lastNs);
    w.stallMs = std::max(0.0, double(worstGapNs) / 1e6 - IntervalMs);
    return w;
}

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace bench
