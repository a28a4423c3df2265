#include "NetworkThread.h"

#include <QCoreApplication>
#include <QMutex>

namespace wst {

namespace {
QMutex s_mutex;
QThread *s_thread = nullptr;
}

QThread *NetworkThread::instance()
{
    QMutexLocker lock(&s_mutex);
    if (!s_thread) {
        s_thread = new QThread;
        s_thread->setObjectName(QStringLiteral("wst-network"));
        s_thread->start();
        qAddPostRoutine(&NetworkThread::shutdown);
    }
    return s_thread;
}

void NetworkThread::shutdown()
{
    QMutexLocker lock(&s_mutex);
    if (!s_thread)
        return;
    s_thread->quit();
    s_thread->wait();
    delete s_thread;
    s_thread = nullptr;
}

} // namespace wst
