#include "ScriptWatchdog.h"

#include <QJSEngine>

namespace wst {

ScriptWatchdog::ScriptWatchdog(QJSEngine *engine)
    : m_engine(engine)
    , m_thread([this] { watch(); })
{
}

ScriptWatchdog::~ScriptWatchdog()
{
    {
        const std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void ScriptWatchdog::arm(int ms)
{
    {
        const std::lock_guard lock(m_mutex);
        m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        m_fired = false;
    }
    m_wake.notify_one();
}

bool ScriptWatchdog::disarm()
{
    const std::lock_guard lock(m_mutex);
    m_deadline.reset();
    return m_fired;
}

void ScriptWatchdog::watch()
{
    std::unique_lock lock(m_mutex);
    while (!m_quit) {
        if (!m_deadline) {
            m_wake.wait(lock);
            continue;
        }
        if (m_wake.wait_until(lock, *m_deadline) == std::cv_status::timeout && m_deadline
            && std::chrono::steady_clock::now() >= *m_deadline) {
            // Under the lock: once disarm() returns, no interrupt can arrive late.
            m_engine->setInterrupted(true);
            m_fired = true;
            m_deadline.reset();
        }
    }
}

} // namespace wst
