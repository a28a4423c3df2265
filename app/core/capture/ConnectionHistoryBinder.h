#pragma once

#include "connection/ClientConnection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace wst {

class ConnectionHistory;

// Records every connection attempt of a client connection in the connection history, from the
// connection's own state changes: opened (with the subprotocol), refused (with the HTTP status)
// or failed (with the error), and how long it stayed open. It lives as a child of the connection.
class ConnectionHistoryBinder : public QObject
{
    Q_OBJECT
public:
    // The settings as the tab shows them (variables not filled in); without it the connection's
    // own options are recorded.
    using SettingsSource = std::function<QJsonObject()>;

    static ConnectionHistoryBinder *follow(
        ClientConnection *connection, ConnectionHistory *history, SettingsSource settings = {});
    ~ConnectionHistoryBinder() override;

private:
    ConnectionHistoryBinder(
        ClientConnection *connection, ConnectionHistory *history, SettingsSource settings);
    void onStateChanged(ClientConnection::State state);
    void record(int outcome);
    void finishOpen();

    ClientConnection *m_connection = nullptr;
    QPointer<ConnectionHistory> m_history;
    SettingsSource m_settings;
    bool m_attempting = false;
    QDateTime m_startedAt;
    QJsonObject m_attemptSettings;
    QString m_openId; // the entry of the connection open now
    QElapsedTimer m_openFor;
};

} // namespace wst
