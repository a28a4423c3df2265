#include "WorkerPool.h"

#include <QCoreApplication>
#include <QMutex>
#include <QThread>
#include <QThreadPool>

#include <utility>

namespace wst {

namespace {

QBasicMutex s_mutex;
QThreadPool *s_pool = nullptr;

// From QCoreApplication's destructor: running tasks finish first, as the global pool's do.
void destroyPool()
{
    QThreadPool *pool = nullptr;
    {
        const QMutexLocker lock(&s_mutex);
        pool = std::exchange(s_pool, nullptr);
    }
    if (pool) {
        pool->waitForDone();
        delete pool;
    }
}

} // namespace

QThreadPool *workerPool()
{
    const QMutexLocker lock(&s_mutex);
    if (!s_pool) {
        s_pool = new QThreadPool;
        s_pool->setObjectName(QStringLiteral("wst-worker-pool"));
        s_pool->setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
        if (QCoreApplication::instance())
            qAddPostRoutine(destroyPool);
    }
    return s_pool;
}

} // namespace wst
