#include "HandshakeJson.h"

#include <QJsonArray>

namespace wst {

QJsonObject handshakeDetails(const HandshakeRecord &record)
{
    QJsonObject details;
    details.insert(QLatin1StringView("target"), record.target);
    details.insert(QLatin1StringView("tls"), record.tls);
    details.insert(QLatin1StringView("tcpConnectUs"), record.tcpConnectUs);
    details.insert(QLatin1StringView("tlsHandshakeUs"), record.tlsHandshakeUs);
    details.insert(QLatin1StringView("handshakeUs"), record.handshakeUs);
    if (!record.tlsProtocol.isEmpty())
        details.insert(QLatin1StringView("tlsProtocol"), record.tlsProtocol);
    if (!record.cipher.isEmpty())
        details.insert(QLatin1StringView("cipher"), record.cipher);
    if (!record.upstreamError.isEmpty())
        details.insert(QLatin1StringView("upstreamError"), record.upstreamError);
    if (const QString deflate = record.deflateText(); !deflate.isEmpty())
        details.insert(QLatin1StringView("extensions"), deflate);
    QJsonArray chain;
    for (const QSslCertificate &certificate : record.peerChain)
        chain.append(QString::fromLatin1(certificate.toPem()));
    if (!chain.isEmpty())
        details.insert(QLatin1StringView("peerChain"), chain);
    QJsonArray errors;
    for (const QSslError &error : record.sslErrors) {
        QJsonObject e;
        e.insert(QLatin1StringView("error"), int(error.error()));
        e.insert(QLatin1StringView("certificate"), int(record.peerChain.indexOf(error.certificate())));
        e.insert(QLatin1StringView("text"), error.errorString());
        errors.append(e);
    }
    if (!errors.isEmpty())
        details.insert(QLatin1StringView("sslErrors"), errors);
    return details;
}

HandshakeRecord handshakeFromRow(const QByteArray &request, const QByteArray &response,
    const QByteArray &responseBody, const QJsonObject &details)
{
    HandshakeRecord record;
    record.request = request;
    record.response = response;
    record.responseBody = responseBody;
    record.target = details.value(QLatin1StringView("target")).toString();
    record.tls = details.value(QLatin1StringView("tls")).toBool();
    record.tcpConnectUs = details.value(QLatin1StringView("tcpConnectUs")).toInteger(-1);
    record.tlsHandshakeUs = details.value(QLatin1StringView("tlsHandshakeUs")).toInteger(-1);
    record.handshakeUs = details.value(QLatin1StringView("handshakeUs")).toInteger(-1);
    record.tlsProtocol = details.value(QLatin1StringView("tlsProtocol")).toString();
    record.cipher = details.value(QLatin1StringView("cipher")).toString();
    record.upstreamError = details.value(QLatin1StringView("upstreamError")).toString();
    record.extensions = details.value(QLatin1StringView("extensions")).toString();
    const QJsonArray chain = details.value(QLatin1StringView("peerChain")).toArray();
    for (const QJsonValue &pem : chain) {
        const QList<QSslCertificate> certificates
            = QSslCertificate::fromData(pem.toString().toLatin1(), QSsl::Pem);
        if (!certificates.isEmpty())
            record.peerChain.append(certificates.first());
    }
    const QJsonArray errors = details.value(QLatin1StringView("sslErrors")).toArray();
    for (const QJsonValue &value : errors) {
        const QJsonObject e = value.toObject();
        const auto error = QSslError::SslError(e.value(QLatin1StringView("error")).toInt());
        const int index = e.value(QLatin1StringView("certificate")).toInt(-1);
        record.sslErrors.append(index >= 0 && index < record.peerChain.size()
                ? QSslError(error, record.peerChain.at(index))
                : QSslError(error));
    }
    return record;
}

} // namespace wst
