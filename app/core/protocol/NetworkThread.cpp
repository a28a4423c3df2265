#include "NetworkThread.h"

#include <QCoreApplication>
#include <QMutex>

#include <cstring>
#include <dlfcn.h>
#include <link.h>

namespace wst {

namespace {
QMutex s_mutex;
QThread *s_threads[2] = { nullptr, nullptr };
bool s_routineAdded = false;

// Frees OpenSSL's state for the calling thread, if OpenSSL is loaded at all (Qt's TLS plugin
// loads it privately, RTLD_LOCAL, on first use: hence dlopen with RTLD_NOLOAD).
//
// Why: QThread::wait() returns before the thread's own thread-local destructors have run, and a
// QThread cannot be joined. OpenSSL frees its per-thread state in such a destructor, and frees the
// same lists again in its atexit handler: with the main thread already in exit(), the two raced
// (ASan: "attempting double-free ... in thread T1 (wst-network)" at the end of `wstester serve`,
// about one run in a hundred). Freed here, while the main thread still waits, the thread-local
// destructor finds nothing left to free.
// The path of the libcrypto this process has loaded, or empty. Looked up in the list of loaded
// objects rather than by dlopen() of a guessed name: a failed dlopen() leaves a dlerror buffer
// in the thread (LSan reports it).
QByteArray loadedLibCrypto()
{
    QByteArray path;
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *data) {
            const char *name = info->dlpi_name;
            if (name && strstr(name, "/libcrypto.so")) {
                *static_cast<QByteArray *>(data) = name;
                return 1;
            }
            return 0;
        },
        &path);
    return path;
}

void stopOpenSslThreadState()
{
    const QByteArray path = loadedLibCrypto();
    if (path.isEmpty())
        return;
    void *library = dlopen(path.constData(), RTLD_NOW | RTLD_NOLOAD);
    if (!library)
        return;
    using Stop = void (*)();
    if (const auto stop = reinterpret_cast<Stop>(dlsym(library, "OPENSSL_thread_stop")))
        stop();
    dlclose(library);
}

class SocketThread : public QThread
{
protected:
    void run() override
    {
        exec();
        // What was deleteLater()'d last goes now (QThread would do it after run()), so that
        // nothing touches OpenSSL once its state for this thread is freed.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        stopOpenSslThreadState();
    }
};

QThread *threadAt(int i, const char *name)
{
    QMutexLocker lock(&s_mutex);
    if (!s_threads[i]) {
        s_threads[i] = new SocketThread;
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
