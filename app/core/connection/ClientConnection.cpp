#include "ClientConnection.h"

#include "ClientWorker.h"
#include "WireCounters.h"
#include "messages/MessageStore.h"
#include "protocol/CloseCodes.h"
#include "protocol/NetworkThread.h"
#include "protocols/Protocol.h"

namespace wst {

ClientConnection::ClientConnection(QObject *parent)
    : QObject(parent)
    , m_store(std::make_shared<MessageStore>())
    , m_frames(std::make_shared<MessageStore>())
    , m_recordFrames(std::make_shared<std::atomic_bool>(false))
    , m_wireCounters(std::make_shared<WireCounters>())
{
    qRegisterMetaType<wst::ClientConnection::Status>();
    qRegisterMetaType<wst::ConnectionOptions>();
    qRegisterMetaType<wst::HandshakeRecord>();
    qRegisterMetaType<wst::ProtocolCommand>();
    qRegisterMetaType<wst::ProtocolNotice>();
    m_protocol = Protocol::create({});
    auto *worker = new ClientWorker(m_store, m_frames, m_recordFrames, m_wireCounters);
    worker->moveToThread(NetworkThread::instance());
    m_worker = worker;
    connect(worker, &ClientWorker::statusChanged, this, &ClientConnection::applyStatus);
    connect(worker, &ClientWorker::pongReceived, this, &ClientConnection::pongReceived);
    connect(worker, &ClientWorker::handshakeRecorded, this, [this](const HandshakeRecord &record) {
        m_handshake = record;
        Q_EMIT handshakeChanged();
    });
    connect(worker, &ClientWorker::protocolNotice, this, [this](const ProtocolNotice &notice) {
        if (m_protocolState.apply(notice))
            Q_EMIT protocolStateChanged();
        Q_EMIT protocolNotice(notice);
    });
    connect(worker, &ClientWorker::commandRefused, this, &ClientConnection::commandRefused);
    connect(worker, &ClientWorker::commandHandled, this, &ClientConnection::commandHandled);
}

ClientConnection::~ClientConnection()
{
    if (m_worker)
        m_worker->deleteLater();
}

void ClientConnection::applyStatus(const Status &status)
{
    const bool changed = status.state != m_status.state || status.reconnectAtMs != m_status.reconnectAtMs;
    m_status = status;
    if (changed || status.state == State::Error)
        Q_EMIT stateChanged(status.state);
}

void ClientConnection::restoreHandshake(const HandshakeRecord &record)
{
    m_handshake = record;
    Q_EMIT handshakeChanged();
}

void ClientConnection::open(const ConnectionOptions &options)
{
    m_options = options;
    m_handshake = {};
    m_protocol = Protocol::create(options.protocol);
    m_protocolState.reset();
    Q_EMIT protocolStateChanged();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), options] { w->open(options); }, Qt::QueuedConnection);
}

quint64 ClientConnection::submit(const ProtocolCommand &command)
{
    const quint64 ticket = m_nextTicket++;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), command, ticket] { w->submit(command, ticket); },
        Qt::QueuedConnection);
    return ticket;
}

void ClientConnection::sendText(const QString &text)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), text] { w->sendText(text); }, Qt::QueuedConnection);
}

void ClientConnection::sendBinary(const QByteArray &data)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), data] { w->sendBinary(data); }, Qt::QueuedConnection);
}

bool ClientConnection::ping(const QByteArray &payload)
{
    if (payload.size() > CloseCodes::MaxPingBytes)
        return false;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), payload] { w->ping(payload); }, Qt::QueuedConnection);
    return true;
}

bool ClientConnection::close(int code, const QString &reason, bool sendAnyway)
{
    if (!CloseCodes::validate(code, reason, sendAnyway).isEmpty())
        return false;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), code, reason] { w->close(code, reason); }, Qt::QueuedConnection);
    return true;
}

void ClientConnection::sendFrame(const FrameSpec &spec)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), spec] { w->sendFrame(spec); }, Qt::QueuedConnection);
}

void ClientConnection::abort()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data()] { w->abort(); }, Qt::QueuedConnection);
}

void ClientConnection::cancelReconnect()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data()] { w->cancelReconnect(); }, Qt::QueuedConnection);
}

void ClientConnection::note(const QString &text)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker.data(), text] { w->note(text); }, Qt::QueuedConnection);
}

void ClientConnection::setRecordFrames(bool on)
{
    m_recordFrames->store(on, std::memory_order_relaxed);
}

bool ClientConnection::recordsFrames() const
{
    return m_recordFrames->load(std::memory_order_relaxed);
}

QString ClientConnection::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return tr("Not connected");
    case State::Connecting:
        return tr("Connecting");
    case State::Open:
        return tr("Open");
    case State::Closing:
        return tr("Closing");
    case State::Closed:
        return tr("Closed");
    case State::Error:
        return tr("Error");
    }
    return {};
}

} // namespace wst
