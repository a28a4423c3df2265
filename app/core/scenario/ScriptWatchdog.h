#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

class QJSEngine;

namespace wst {

// Interrupts a QJSEngine that runs past a deadline. QJSEngine::evaluate() blocks the thread that
// calls it (the window's, for the Tests panel), so the clock has to run on a thread of its own;
// QJSEngine::setInterrupted() is the one call that is safe from there.
class ScriptWatchdog
{
public:
    explicit ScriptWatchdog(QJSEngine *engine);
    ~ScriptWatchdog();
    ScriptWatchdog(const ScriptWatchdog &) = delete;
    ScriptWatchdog &operator=(const ScriptWatchdog &) = delete;

    void arm(int ms);
    // Ends the watch; true when the deadline passed and the engine was interrupted. The engine
    // is left interrupted then: the caller clears it once it has read the outcome.
    bool disarm();

private:
    void watch();

    QJSEngine *m_engine;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<std::chrono::steady_clock::time_point> m_deadline;
    bool m_fired = false;
    bool m_quit = false;
    std::thread m_thread; // last: started once the members above exist
};

} // namespace wst
