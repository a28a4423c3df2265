#pragma once

#include "protocol/PerMessageDeflate.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

namespace wst {

// The relay's permessage-deflate layer, once negotiated: the QWebSocket (which knows no
// extension, QT64-NOTES.md) reads and writes plain frames, the server compressed ones.
// Server to client: a message whose first frame has RSV1 is collected, inflated and handed on as
// one plain frame; everything else passes unchanged. Client to server: each data message of the
// QWebSocket (masked, perhaps in fragments) is unmasked, compressed, and sent as one masked frame
// with RSV1. Control frames pass unchanged both ways.
class DeflateStage
{
    Q_DECLARE_TR_FUNCTIONS(DeflateStage)
public:
    DeflateStage(const DeflateAgreement &agreement, quint64 maxMessageBytes);

    // The server's bytes in, the plain frames out. After a failure nothing more comes out.
    QByteArray fromServer(QByteArrayView wire);
    // The QWebSocket's bytes in, the wire's out.
    QByteArray fromClient(QByteArrayView plain);

    // Why the connection must be failed: its close code (1002, 1007, 1009) and one line.
    int failureCode() const { return m_failureCode; }
    QString failureReason() const { return m_failureReason; }

    // Data message payload bytes: on the wire and as messages, each way.
    struct Totals
    {
        quint64 wireIn = 0;
        quint64 messageIn = 0;
        quint64 wireOut = 0;
        quint64 messageOut = 0;
        quint64 compressedIn = 0; // messages
        quint64 compressedOut = 0;
    };
    const Totals &totals() const { return m_totals; }
    // The last message inflated: its compressed and inflated sizes (for the frame view).
    struct Sizes
    {
        quint64 wire = 0;
        quint64 message = 0;
    };
    QList<Sizes> takeInflated() { return std::exchange(m_inflated, {}); }
    QList<Sizes> takeDeflated() { return std::exchange(m_deflated, {}); }

    static QByteArray frame(quint8 firstByte, QByteArrayView payload, bool mask);

private:
    void fail(int code, const QString &reason);

    MessageInflater m_inflater;
    MessageDeflater m_deflater;
    QByteArray m_serverBuffer;
    QByteArray m_clientBuffer;
    bool m_aside = false; // from a frame the QWebSocket must judge on, all goes to it unchanged
    bool m_serverCompressed = false; // the message in progress had RSV1
    bool m_serverInMessage = false;
    quint8 m_serverOpcode = 0;
    QByteArray m_serverPayload;
    bool m_clientInMessage = false;
    quint8 m_clientOpcode = 0;
    QByteArray m_clientPayload;
    quint64 m_maxMessageBytes;
    int m_failureCode = 0;
    QString m_failureReason;
    Totals m_totals;
    QList<Sizes> m_inflated;
    QList<Sizes> m_deflated;
};

} // namespace wst
