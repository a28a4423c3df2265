#pragma once

#include "connection/ClientConnection.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace wst {

// The words for a connection's state, shared by the window's status line and the command line
// so that both say the same thing: "Connecting…", "Open — subprotocol chat",
// "Closed — 4001 private use: bye now", "Error — Connection refused".
class ConnectionStatus
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionStatus)
public:
    static QString text(const ClientConnection::Status &status);
    // The same, and " — certificate errors ignored" when the connection opened in spite of them.
    static QString text(const ClientConnection::Status &status, const HandshakeRecord &record);
    // A close as code, meaning and reason: "1000 normal closure", "4001 private use: bye now".
    static QString closeText(int code, const QString &reason);
    // The certificate errors of an open connection, one line each: the relay saw them and the
    // connection opened all the same, so the user chose to ignore them. Empty otherwise.
    static QStringList ignoredCertificateErrors(
        const ClientConnection::Status &status, const HandshakeRecord &record);
};

} // namespace wst
