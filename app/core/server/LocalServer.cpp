#include "LocalServer.h"

#include "ServerWorker.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocol/NetworkThread.h"

namespace wst {

LocalServer::LocalServer(QObject *parent)
    : QObject(parent)
    , m_store(std::make_shared<MessageStore>())
{
    qRegisterMetaType<wst::ServerOptions>();
    qRegisterMetaType<QList<wst::LocalServer::ClientInfo>>();
    auto *worker = new ServerWorker(m_store);
    worker->moveToThread(NetworkThread::instance());
    m_worker = worker;
    connect(worker, &ServerWorker::started, this, [this](const QUrl &url) {
        m_url = url;
        m_error.clear();
        m_state = State::Listening;
        Q_EMIT stateChanged(m_state);
    });
    connect(worker, &ServerWorker::failed, this, [this](const QString &error) {
        m_error = error;
        m_state = State::Error;
        Q_EMIT stateChanged(m_state);
    });
    connect(worker, &ServerWorker::stopped, this, [this] {
        m_state = State::Stopped;
        Q_EMIT stateChanged(m_state);
        Q_EMIT stopped();
    });
    connect(worker, &ServerWorker::clientsChanged, this, [this](const QList<ClientInfo> &clients) {
        m_clients = clients;
        Q_EMIT clientsChanged();
    });
}

LocalServer::~LocalServer()
{
    if (m_worker)
        m_worker->deleteLater();
}

LocalServer::ClientInfo LocalServer::client(quint32 id) const
{
    for (const ClientInfo &c : m_clients) {
        if (c.id == id)
            return c;
    }
    return {};
}

void LocalServer::start(const ServerOptions &options)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), options] { w->start(options); }, Qt::QueuedConnection);
}

void LocalServer::stop()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data()] { w->stop(); }, Qt::QueuedConnection);
}

void LocalServer::sendText(quint32 clientId, const QString &text)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), clientId, text] { w->sendText(clientId, text); },
        Qt::QueuedConnection);
}

void LocalServer::sendBinary(quint32 clientId, const QByteArray &data)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), clientId, data] { w->sendBinary(clientId, data); },
        Qt::QueuedConnection);
}

void LocalServer::submit(quint32 clientId, const ProtocolCommand &command)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), clientId, command] { w->submit(clientId, command); },
        Qt::QueuedConnection);
}

bool LocalServer::ping(quint32 clientId, const QByteArray &payload)
{
    if (payload.size() > CloseCodes::MaxPingBytes)
        return false;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), clientId, payload] { w->ping(clientId, payload); },
        Qt::QueuedConnection);
    return true;
}

bool LocalServer::kick(quint32 clientId, int code, const QString &reason)
{
    if (!CloseCodes::validate(code, reason).isEmpty())
        return false;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), clientId, code, reason] { w->kick(clientId, code, reason); },
        Qt::QueuedConnection);
    return true;
}

} // namespace wst
