#include "NetworkThread.h"

#include <QCoreApplication>
#include <QMutex>

namespace wst {

namespace {
QMutex s_mutex;
QThread *s_threads[2] = { nullptr, nullptr };
bool s_routineAdded = false;

QThread *threadAt(int i, const char *name)
{
    QMutexLocker lock(&s_mutex);
    if (!s_threads[i]) {
        s_threads[i] = new QThread;
        s_threads[i]->setObjectName(QString::fromLatin1(name));
        s_threads[i]->start();
        if (!s_routineAdded) {
            s_routineAdded = true;
            qAddPostRoutine(&NetworkThread::shutdown);
        }
    }
    return s_threads[i];
}
} // namespace

QThread *NetworkThread::instance()
{
    return threadAt(0, "wst-network");
}

QThread *NetworkThread::relayInstance()
{
    return threadAt(1, "wst-relay");
}

void NetworkThread::shutdown()
{
    QMutexLocker lock(&s_mutex);
    // The network thread first: its objects may still hand relays to the relay thread.
    for (QThread *&thread : s_threads) {
        if (!thread)
            continue;
        thread->quit();
        thread->wait();
        delete thread;
        thread = nullptr;
    }
    s_routineAdded = false;
}

} // namespace wst
