#include "ConnectionHistoryBinder.h"

#include "compose/ClientSettingsJson.h"
#include "compose/ConnectionHistory.h"

namespace wst {

ConnectionHistoryBinder *ConnectionHistoryBinder::follow(
    ClientConnection *connection, ConnectionHistory *history, SettingsSource settings)
{
    return new ConnectionHistoryBinder(connection, history, std::move(settings));
}

ConnectionHistoryBinder::ConnectionHistoryBinder(
    ClientConnection *connection, ConnectionHistory *history, SettingsSource settings)
    : QObject(connection)
    , m_connection(connection)
    , m_history(history)
    , m_settings(std::move(settings))
{
    connect(connection, &ClientConnection::stateChanged, this, &ConnectionHistoryBinder::onStateChanged);
}

ConnectionHistoryBinder::~ConnectionHistoryBinder()
{
    // The tab went away with its connection open (the window was destroyed): the time so far.
    finishOpen();
}

void ConnectionHistoryBinder::onStateChanged(ClientConnection::State state)
{
    using State = ClientConnection::State;
    switch (state) {
    case State::Connecting:
        finishOpen();
        if (!m_attempting) {
            m_attempting = true;
            m_startedAt = QDateTime::currentDateTimeUtc();
            // Taken now: the user may edit the tab while it connects.
            m_attemptSettings
                = m_settings ? m_settings() : ClientSettingsJson::toJson(m_connection->options());
        }
        break;
    case State::Open:
        if (m_attempting)
            record(int(ConnectionHistoryEntry::Outcome::Opened));
        break;
    case State::Closed:
    case State::Error:
        if (m_attempting) {
            const int status = m_connection->handshake().statusCode();
            record(int(status > 0 && status != 101 ? ConnectionHistoryEntry::Outcome::Refused
                                                   : ConnectionHistoryEntry::Outcome::Failed));
        }
        finishOpen();
        break;
    case State::Idle:
    case State::Closing:
        break;
    }
}

void ConnectionHistoryBinder::record(int outcome)
{
    m_attempting = false;
    if (!m_history)
        return;
    const ClientConnection::Status &status = m_connection->status();
    ConnectionHistoryEntry entry;
    entry.at = m_startedAt;
    entry.url = m_connection->options().url.toString();
    entry.outcome = ConnectionHistoryEntry::Outcome(outcome);
    entry.settings = m_attemptSettings;
    if (entry.outcome == ConnectionHistoryEntry::Outcome::Opened) {
        entry.subprotocol = status.subprotocol;
        entry.id = m_history->add(entry);
        m_openId = entry.id;
        m_openFor.start();
        return;
    }
    entry.httpStatus = entry.outcome == ConnectionHistoryEntry::Outcome::Refused
        ? m_connection->handshake().statusCode()
        : 0;
    entry.error = status.errorString.isEmpty() ? tr("Closed before it opened") : status.errorString;
    m_history->add(entry);
}

void ConnectionHistoryBinder::finishOpen()
{
    if (m_openId.isEmpty())
        return;
    if (m_history)
        m_history->setOpenDuration(m_openId, m_openFor.elapsed());
    m_openId.clear();
}

} // namespace wst
