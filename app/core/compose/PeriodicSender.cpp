#include "PeriodicSender.h"

#include "MessageFormat.h"
#include "SessionEnvironment.h"
#include "Variables.h"

#include <QTimer>

namespace wst {

PeriodicSender::PeriodicSender(ClientConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    init();
    connect(connection, &ClientConnection::stateChanged, this, [this](ClientConnection::State state) {
        if (!m_running || state == ClientConnection::State::Open)
            return;
        finish(StopReason::ConnectionClosed,
            m_count == 0 ? tr("Periodic send stopped: the connection closed after %1 sent.").arg(m_sent)
                         : tr("Periodic send stopped: the connection closed after %1 of %2 sent.")
                               .arg(m_sent)
                               .arg(m_count));
    });
}

PeriodicSender::PeriodicSender(Sink sink, QObject *parent)
    : QObject(parent)
    , m_sink(std::move(sink))
{
    init();
}

PeriodicSender::~PeriodicSender() = default;

void PeriodicSender::init()
{
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &PeriodicSender::tick);
}

void PeriodicSender::setEnvironment(SessionEnvironment *environment)
{
    m_environment = environment;
}

bool PeriodicSender::start(const SavedMessage &message, int intervalMs, int count, QString *error)
{
    if (m_running) {
        m_timer->stop();
        m_running = false;
    }
    error->clear();
    if (intervalMs <= 0) {
        *error = tr("The interval must be at least 1 ms.");
        return false;
    }
    if (count < 0) {
        *error = tr("The count cannot be negative (0 sends until stopped).");
        return false;
    }
    if (!m_sink && (!m_connection || m_connection->state() != ClientConnection::State::Open)) {
        *error = tr("Connect first: a periodic send needs an open connection.");
        return false;
    }
    m_message = message;
    m_intervalMs = intervalMs;
    m_count = count;
    m_sent = 0;
    m_lastStopMessage.clear();
    // The first send is made now, so that a message that cannot be made is refused here.
    if (!sendOne(error))
        return false;
    m_running = true;
    Q_EMIT started();
    Q_EMIT progress(m_sent, remaining());
    if (m_count != 0 && m_sent >= m_count) {
        finish(StopReason::Finished, tr("Periodic send finished: %1 sent.").arg(m_sent));
        return true;
    }
    m_timer->start(m_intervalMs);
    return true;
}

void PeriodicSender::stop()
{
    if (!m_running)
        return;
    finish(StopReason::Stopped,
        m_count == 0 ? tr("Periodic send stopped after %1 sent.").arg(m_sent)
                     : tr("Periodic send stopped after %1 of %2 sent.").arg(m_sent).arg(m_count));
}

void PeriodicSender::tick()
{
    if (!m_running)
        return;
    QString error;
    if (!sendOne(&error)) {
        finish(StopReason::Error, tr("Periodic send stopped after %1 sent: %2").arg(m_sent).arg(error));
        return;
    }
    Q_EMIT progress(m_sent, remaining());
    if (m_count != 0 && m_sent >= m_count)
        finish(StopReason::Finished, tr("Periodic send finished: %1 sent.").arg(m_sent));
}

bool PeriodicSender::sendOne(QString *error)
{
    const qint64 counter = m_sent + 1;
    const QString body = m_environment
        ? m_environment->substitute(m_message.body, error, counter)
        : Variables::substitute(m_message.body, Variables::Environment(), error, counter);
    if (!error->isEmpty())
        return false;
    const std::optional<MessageFormat::Type> format = MessageFormat::fromKey(m_message.format);
    if (!format || *format == MessageFormat::Type::File) {
        *error = SavedMessage::tr("Unknown message format \u201c%1\u201d.").arg(m_message.format);
        return false;
    }
    const MessageFormat::Encoded encoded = MessageFormat::encode(*format, body, m_codec.get());
    if (!encoded.ok()) {
        *error = encoded.error;
        return false;
    }
    if (m_sink) {
        m_sink(encoded.binary, encoded.payload);
    } else if (m_connection) {
        if (encoded.binary)
            m_connection->sendBinary(encoded.payload);
        else
            m_connection->sendText(QString::fromUtf8(encoded.payload));
    }
    ++m_sent;
    return true;
}

void PeriodicSender::finish(StopReason reason, const QString &message)
{
    m_timer->stop();
    m_running = false;
    m_lastStopMessage = message;
    Q_EMIT stopped(reason, message);
}

QString PeriodicSender::progressText() const
{
    if (!m_running)
        return {};
    if (m_count == 0)
        return tr("Sending every %1 ms \u00b7 %2 sent").arg(m_intervalMs).arg(m_sent);
    return tr("Sending every %1 ms \u00b7 %2 of %3 sent").arg(m_intervalMs).arg(m_sent).arg(m_count);
}

} // namespace wst
