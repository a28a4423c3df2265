#pragma once

#include "protocol/HandshakeRecord.h"

#include <QJsonObject>

namespace wst {

// The `details` of a handshakes row: everything of a HandshakeRecord but its bytes.
// Keys: target, tls, tcpConnectUs, tlsHandshakeUs, handshakeUs, tlsProtocol, cipher,
// upstreamError, peerChain (PEM strings, leaf first), sslErrors ([{error, certificate (index in
// peerChain or -1), text}]).
QJsonObject handshakeDetails(const HandshakeRecord &record);
HandshakeRecord handshakeFromRow(const QByteArray &request, const QByteArray &response,
    const QByteArray &responseBody, const QJsonObject &details);

} // namespace wst
