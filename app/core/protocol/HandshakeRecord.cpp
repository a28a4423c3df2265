#include "HandshakeRecord.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace wst {

HandshakeRecord::Headers HandshakeRecord::parseHeaders(const QByteArray &head)
{
    Headers headers;
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    return headers;
}

static QByteArray firstLine(const QByteArray &head)
{
    const qsizetype end = head.indexOf("\r\n");
    return end < 0 ? head : head.left(end);
}

QByteArray HandshakeRecord::requestLine() const
{
    return firstLine(request);
}

QByteArray HandshakeRecord::statusLine() const
{
    return firstLine(response);
}

int HandshakeRecord::statusCode() const
{
    const QList<QByteArray> parts = statusLine().split(' ');
    return parts.size() >= 2 ? parts.at(1).toInt() : 0;
}

QByteArray HandshakeRecord::header(const Headers &headers, const QByteArray &name)
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QByteArray HandshakeRecord::expectedAccept(const QByteArray &key)
{
    const QByteArray input = key + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64();
}

HandshakeRecord::AcceptCheck HandshakeRecord::acceptCheck() const
{
    const QByteArray accept = header(responseHeaders(), "Sec-WebSocket-Accept");
    if (accept.isEmpty())
        return AcceptCheck::Missing;
    return accept == expectedAccept(header(requestHeaders(), "Sec-WebSocket-Key")) ? AcceptCheck::Valid
                                                                                   : AcceptCheck::Invalid;
}

QString HandshakeRecord::describeCertificate(const QSslCertificate &c)
{
    QStringList sans;
    const auto alternates = c.subjectAlternativeNames();
    for (auto it = alternates.cbegin(); it != alternates.cend(); ++it)
        sans.append(it.value());
    return tr("subject: %1\nissuer: %2\nvalid: %3 to %4\nSHA-256: %5\nSANs: %6")
        .arg(c.subjectDisplayName(), c.issuerDisplayName(), c.effectiveDate().toString(Qt::ISODate),
            c.expiryDate().toString(Qt::ISODate),
            QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':')),
            sans.isEmpty() ? tr("none") : sans.join(QStringLiteral(", ")));
}

QString HandshakeRecord::toText() const
{
    QString out;
    auto ms = [](qint64 us) -> QString {
        return QString::number(double(us) / 1000.0, 'f', 1) + QStringLiteral(" ms");
    };
    if (tcpConnectUs >= 0)
        out += tr("* Connected to %1%2").arg(target, tls ? tr(" over TLS") : QString()) + QLatin1Char('\n');
    else
        out += tr("* Connecting to %1%2").arg(target, tls ? tr(" over TLS") : QString()) + QLatin1Char('\n');
    if (!upstreamError.isEmpty())
        out += tr("* Connection failed: %1").arg(upstreamError) + QLatin1Char('\n');
    if (tls && !tlsProtocol.isEmpty()) {
        out += tr("* TLS: %1, cipher %2").arg(tlsProtocol, cipher) + QLatin1Char('\n');
        for (qsizetype i = 0; i < peerChain.size(); ++i) {
            out += tr("* Certificate %1:").arg(i) + QLatin1Char('\n');
            for (const QString &line : describeCertificate(peerChain.at(i)).split(QLatin1Char('\n')))
                out += QStringLiteral("*   ") + line + QLatin1Char('\n');
        }
    }
    for (const QSslError &e : sslErrors)
        out += tr("* Certificate error: %1").arg(e.errorString()) + QLatin1Char('\n');
    for (const QByteArray &line : request.split('\n')) {
        const QByteArray l = line.endsWith('\r') ? line.chopped(1) : line;
        if (!l.isEmpty())
            out += QStringLiteral("> ") + QString::fromUtf8(l) + QLatin1Char('\n');
    }
    for (const QByteArray &line : response.split('\n')) {
        const QByteArray l = line.endsWith('\r') ? line.chopped(1) : line;
        if (!l.isEmpty())
            out += QStringLiteral("< ") + QString::fromUtf8(l) + QLatin1Char('\n');
    }
    if (!responseBody.isEmpty())
        out += QString::fromUtf8(responseBody) + QLatin1Char('\n');
    if (!response.isEmpty() && statusCode() == 101) {
        switch (acceptCheck()) {
        case AcceptCheck::Valid:
            out += tr("* Sec-WebSocket-Accept is valid") + QLatin1Char('\n');
            break;
        case AcceptCheck::Invalid:
            out += tr("* Sec-WebSocket-Accept is INVALID for the key sent") + QLatin1Char('\n');
            break;
        case AcceptCheck::Missing:
            out += tr("* Sec-WebSocket-Accept is missing") + QLatin1Char('\n');
            break;
        }
    }
    if (const QString deflate = deflateText(); !deflate.isEmpty())
        out += QStringLiteral("* ") + deflate + QLatin1Char('\n');
    QStringList timings;
    if (tcpConnectUs >= 0)
        timings.append(tr("TCP connect %1").arg(ms(tcpConnectUs)));
    if (tlsHandshakeUs >= 0)
        timings.append(tr("TLS handshake %1").arg(ms(tlsHandshakeUs)));
    if (handshakeUs >= 0)
        timings.append(tr("WebSocket handshake %1").arg(ms(handshakeUs)));
    if (!timings.isEmpty())
        out += QStringLiteral("* ") + timings.join(QStringLiteral(", ")) + QLatin1Char('\n');
    return out;
}

QString HandshakeRecord::deflateText() const
{
    switch (deflate) {
    case Deflate::Declined:
        return tr("permessage-deflate: offered, not accepted by the server");
    case Deflate::Agreed:
        return deflateAgreement.describe();
    case Deflate::Failed:
        return deflateError;
    case Deflate::Unknown:
        break;
    }
    return extensions;
}

} // namespace wst
