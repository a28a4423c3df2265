#pragma once

#include "connection/ConnectionOptions.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace wst {

// A client connection's settings as JSON. This format is shared by connection profiles and
// session files, so it is a contract: keys are only ever added.
//
// {"url": "ws://…", "headers": [["Name", "value"], …], "subprotocols": ["chat"], "origin": "",
//  "connectTimeoutMs": 10000, "autoReconnect": false, "reconnectInitialMs": 1000,
//  "reconnectMaxMs": 30000, "ignoreAllSslErrors": false, "caCertificateFile": "",
//  "clientCertificateFile": "", "clientKeyFile": "", "clientKeyPassphrase": "",
//  "minimumTls": "any" | "1.2" | "1.3", "proxy": "http://user:pass@host:port" or "",
//  "protocol": {"name": "raw" | "socket.io" | "graphql-ws" | "stomp" | "mqtt", ...its params},
//  "decoder": {"codec": "msgpack" | "cbor" | "bson" | "protobuf", ...} (DecoderSetting; read by the tab)}
//
// Reading ignores unknown keys, keeps the default for a missing key, and refuses a key of the
// wrong type with a message that names it.
class ClientSettingsJson
{
    Q_DECLARE_TR_FUNCTIONS(ClientSettingsJson)
public:
    static QJsonObject toJson(const ConnectionOptions &options);
    // On a problem sets *error (naming the key) and returns what could be read; otherwise clears it.
    static ConnectionOptions fromJson(const QJsonObject &object, QString *error);

    // Blanks the secrets before the settings leave the machine: the values of the
    // Authorization, Proxy-Authorization and Cookie headers, the key passphrase, and the
    // passwords in the proxy and in the URL. What was blanked is listed in "masked", e.g.
    // ["headers.Authorization", "clientKeyPassphrase", "proxy.password"].
    static void maskSecrets(QJsonObject &object);
    // Authorization, Proxy-Authorization, Cookie and Set-Cookie (any case).
    static bool isSecretHeader(QByteArrayView name);

    // "http://user:pass@host:port", "socks5://host:port", or "" for no proxy.
    static QString proxyToText(const QNetworkProxy &proxy);
    static QString minimumTlsToText(QSsl::SslProtocol protocol);
};

} // namespace wst
