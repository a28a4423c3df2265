#pragma once

#include "PerMessageDeflate.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace wst {

// What crossed the wire while a client connection was set up: the exact request and response
// bytes, the TLS session, and the timings. Filled by the relay; read by the inspector.
struct HandshakeRecord
{
    Q_DECLARE_TR_FUNCTIONS(HandshakeRecord)
public:
    QByteArray request; // exactly as sent, up to and including the blank line
    QByteArray response; // exactly as received: status line, headers, blank line
    QByteArray responseBody; // the start of a refusal's body (at most 4 KiB)
    QString target; // host:port that the relay connected to
    bool tls = false;

    // Timings in µs; -1 when the step did not happen.
    qint64 tcpConnectUs = -1;
    qint64 tlsHandshakeUs = -1;
    qint64 handshakeUs = -1; // request sent -> response complete

    // TLS
    QString tlsProtocol;
    QString cipher;
    QList<QSslCertificate> peerChain;
    QList<QSslError> sslErrors;
    QString upstreamError; // the connection to the server failed before any HTTP
    // permessage-deflate as the relay negotiated it. Kept as data, not text, so that
    // deflateText() speaks the language of the moment (the window's language can change).
    enum class Deflate { Unknown, Declined, Agreed, Failed };
    Deflate deflate = Deflate::Unknown;
    DeflateAgreement deflateAgreement; // Agreed
    QString deflateError; // Failed: why the server's answer failed the handshake
    QString extensions; // Unknown: the text a saved session holds (empty: not offered)
    // "permessage-deflate: server window 15 bits, ...", "... offered, not accepted by the
    // server", the failure, or extensions; empty when there is nothing to say.
    QString deflateText() const;

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    static Headers parseHeaders(const QByteArray &head); // in wire order, duplicates kept
    QByteArray requestLine() const;
    QByteArray statusLine() const;
    int statusCode() const; // 0 when there is no response
    Headers requestHeaders() const { return parseHeaders(request); }
    Headers responseHeaders() const { return parseHeaders(response); }
    static QByteArray header(const Headers &headers, const QByteArray &name); // first of that name

    // RFC 6455 4.2.2: base64(SHA-1(key + GUID)).
    static QByteArray expectedAccept(const QByteArray &key);
    enum class AcceptCheck { Missing, Valid, Invalid };
    AcceptCheck acceptCheck() const;

    // A plain-text rendering (like curl -v) for copying and for `wstester handshake`.
    QString toText() const;
    static QString describeCertificate(const QSslCertificate &certificate);
};

} // namespace wst

Q_DECLARE_METATYPE(wst::HandshakeRecord)
