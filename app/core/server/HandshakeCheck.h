#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace wst {

// The server's reading of a client's opening handshake (RFC 6455 section 4.2.1), before Qt sees
// it: Qt 6.4 closes a bad request without an HTTP answer and takes a Sec-WebSocket-Key of any
// length. A refusal is the answer RFC 6455 section 4.2.2 asks for.
class HandshakeCheck
{
    Q_DECLARE_TR_FUNCTIONS(HandshakeCheck)
public:
    struct Refusal
    {
        QByteArray status; // "400 Bad Request"; empty: the request is a valid handshake
        QByteArray extraHeaders; // whole lines, each ending in CRLF
        QString why; // one line, for the body and the history

        bool isRefused() const { return !status.isEmpty(); }
    };

    // The request is everything up to and including the blank line.
    static Refusal check(const QByteArray &request);

    // The value of the first header of this name in a raw request, or a null array.
    static QByteArray headerValue(const QByteArray &request, const QByteArray &name);
    // How many header lines of this name the request has.
    static int headerCount(const QByteArray &request, const QByteArray &name);
    // The request line with anything unprintable escaped (for the history), cut to 200 bytes.
    static QString requestLine(const QByteArray &request);
    // The whole HTTP answer for a refusal.
    static QByteArray response(const Refusal &refusal);
};

} // namespace wst
