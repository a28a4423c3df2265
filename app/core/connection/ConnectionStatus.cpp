#include "ConnectionStatus.h"

#include "protocol/CloseCodes.h"

namespace wst {

QString ConnectionStatus::closeText(int code, const QString &reason)
{
    if (reason.isEmpty())
        return tr("%1 %2").arg(code).arg(CloseCodes::description(code));
    return tr("%1 %2: %3").arg(code).arg(CloseCodes::description(code), reason);
}

QStringList ConnectionStatus::ignoredCertificateErrors(
    const ClientConnection::Status &status, const HandshakeRecord &record)
{
    QStringList lines;
    if (status.state == ClientConnection::State::Open) {
        for (const QSslError &e : record.sslErrors)
            lines.append(e.errorString());
    }
    return lines;
}

QString ConnectionStatus::text(const ClientConnection::Status &status, const HandshakeRecord &record)
{
    const QString words = text(status);
    return ignoredCertificateErrors(status, record).isEmpty()
        ? words
        : tr("%1 \u2014 certificate errors ignored").arg(words);
}

QString ConnectionStatus::text(const ClientConnection::Status &status)
{
    using State = ClientConnection::State;
    switch (status.state) {
    case State::Idle:
        return tr("Not connected");
    case State::Connecting:
        return tr("Connecting\u2026");
    case State::Open:
        return status.subprotocol.isEmpty() ? tr("Open")
                                            : tr("Open \u2014 subprotocol %1").arg(status.subprotocol);
    case State::Closing:
        return tr("Closing\u2026");
    case State::Closed:
        // closeCode 0: no close handshake was seen, so there is no code to show.
        return status.closeCode == 0
            ? tr("Closed")
            : tr("Closed \u2014 %1").arg(closeText(status.closeCode, status.closeReason));
    case State::Error:
        return tr("Error \u2014 %1").arg(status.errorString);
    }
    return {};
}

} // namespace wst
