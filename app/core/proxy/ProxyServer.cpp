#include "ProxyServer.h"

#include "ProxyWorker.h"
#include "messages/MessageStore.h"
#include "protocol/NetworkThread.h"

namespace wst {

ProxyServer::ProxyServer(QObject *parent)
    : QObject(parent)
    , m_store(std::make_shared<MessageStore>())
{
    qRegisterMetaType<wst::ProxyOptions>();
    qRegisterMetaType<QList<wst::ProxyServer::ConnectionInfo>>();
    qRegisterMetaType<QList<wst::ProxyServer::HeldMessage>>();
    auto *worker = new ProxyWorker(m_store);
    worker->moveToThread(NetworkThread::instance());
    m_worker = worker;
    connect(worker, &ProxyWorker::started, this, [this](const QUrl &url) {
        m_url = url;
        m_error.clear();
        m_state = State::Listening;
        Q_EMIT stateChanged(m_state);
    });
    connect(worker, &ProxyWorker::failed, this, [this](const QString &error) {
        m_error = error;
        m_state = State::Error;
        Q_EMIT stateChanged(m_state);
    });
    connect(worker, &ProxyWorker::stopped, this, [this] {
        m_state = State::Stopped;
        Q_EMIT stateChanged(m_state);
        Q_EMIT stopped();
    });
    connect(worker, &ProxyWorker::connectionsChanged, this, [this](const QList<ConnectionInfo> &connections) {
        m_connections = connections;
        Q_EMIT connectionsChanged();
    });
    connect(worker, &ProxyWorker::heldChanged, this, [this](const QList<HeldMessage> &held) {
        m_held = held;
        Q_EMIT heldChanged();
    });
}

ProxyServer::~ProxyServer()
{
    if (m_worker)
        m_worker->deleteLater();
}

ProxyServer::ConnectionInfo ProxyServer::connection(quint32 id) const
{
    for (const ConnectionInfo &c : m_connections) {
        if (c.id == id)
            return c;
    }
    return {};
}

void ProxyServer::start(const ProxyOptions &options)
{
    m_options = options;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), options] { w->start(options); }, Qt::QueuedConnection);
}

void ProxyServer::stop()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data()] { w->stop(); }, Qt::QueuedConnection);
}

void ProxyServer::setPaused(Way way, bool paused)
{
    (way == Way::ToServer ? m_pausedToServer : m_pausedToClient) = paused;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), way, paused] { w->setPaused(way, paused); }, Qt::QueuedConnection);
}

bool ProxyServer::isPaused(Way way) const
{
    return way == Way::ToServer ? m_pausedToServer : m_pausedToClient;
}

void ProxyServer::setBreakpoints(const QList<ProxyBreakpoint> &breakpoints)
{
    m_options.breakpoints = breakpoints;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), breakpoints] { w->setBreakpoints(breakpoints); },
        Qt::QueuedConnection);
}

void ProxyServer::setFaults(const FaultPlan &faults)
{
    m_options.faults = faults;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), faults] { w->setFaults(faults); }, Qt::QueuedConnection);
}

void ProxyServer::forward(quint64 heldId)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), heldId] { w->decide(heldId, true, false, Kind::Text, {}); },
        Qt::QueuedConnection);
}

void ProxyServer::forward(quint64 heldId, Kind kind, const QByteArray &payload)
{
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker.data(), heldId, kind, payload] { w->decide(heldId, true, true, kind, payload); },
        Qt::QueuedConnection);
}

void ProxyServer::drop(quint64 heldId)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), heldId] { w->decide(heldId, false, false, Kind::Text, {}); },
        Qt::QueuedConnection);
}

void ProxyServer::forwardAll()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data()] { w->forwardAll(); }, Qt::QueuedConnection);
}

void ProxyServer::inject(quint32 connection, Way way, Kind kind, const QByteArray &payload)
{
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker.data(), connection, way, kind, payload] { w->inject(connection, way, kind, payload); },
        Qt::QueuedConnection);
}

void ProxyServer::closeConnection(quint32 connection, int code, const QString &reason)
{
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker.data(), connection, code, reason] { w->closeConnection(connection, code, reason); },
        Qt::QueuedConnection);
}

} // namespace wst
