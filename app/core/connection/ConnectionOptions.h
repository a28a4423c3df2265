#pragma once

#include "protocol/PerMessageDeflate.h"
#include "protocols/ProtocolOptions.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QNetworkProxy>
#include <QPair>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

namespace wst {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Everything a client connection is opened with. A plain value: copied to the network thread.
struct ConnectionOptions
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionOptions)
public:
    QUrl url; // as the user typed it (normalised)
    HeaderList headers; // extra request headers, in order
    QStringList subprotocols;
    QString origin;
    int connectTimeoutMs = 10000;
    // A received message larger than this closes the connection with 1009, as browsers and the
    // ws library do, so that an endless message cannot take all the memory. At most
    // QtMaxMessageSize (Qt 6.4 ignores more); 0 means Qt's ceiling.
    static constexpr qint64 DefaultMaxMessageSize = 64 * 1024 * 1024;
    static constexpr qint64 QtMaxMessageSize = 2147483646;
    qint64 maxMessageSize = DefaultMaxMessageSize;
    quint64 effectiveMaxMessageSize() const
    {
        return maxMessageSize <= 0 || maxMessageSize > QtMaxMessageSize ? quint64(QtMaxMessageSize)
                                                                        : quint64(maxMessageSize);
    }
    // Reconnect after a lost or failed connection (not after the user's own close), waiting
    // reconnectInitialMs, then twice as long each time up to reconnectMaxMs.
    bool autoReconnect = false;
    int reconnectInitialMs = 1000;
    int reconnectMaxMs = 30000;
    // Certificate errors the user chose to ignore for this connection (matched by error and
    // certificate), or all of them.
    QList<QSslError> ignoredSslErrors;
    bool ignoreAllSslErrors = false;
    // Route the connection through the in-process wire relay, which records the exact handshake
    // and holds the TLS session. Off only to measure the relay's cost.
    bool useRelay = true;
    // TLS beyond the system CAs (PEM files). The relay's TLS socket uses these.
    QString caCertificateFile; // added to the system CAs
    QString clientCertificateFile; // mutual TLS: PEM with clientKeyFile, or PKCS#12 (.p12/.pfx) alone
    QString clientKeyFile;
    QByteArray clientKeyPassphrase; // of an encrypted PEM key or of the PKCS#12 file
    QSsl::SslProtocol minimumTlsVersion = QSsl::SecureProtocols; // or TlsV1_2OrLater, TlsV1_3OrLater
    // What is spoken over the WebSocket (Raw, Socket.IO, GraphQL, STOMP, MQTT) and its settings.
    ProtocolOptions protocol;
    // permessage-deflate, offered like a browser does (needs the relay; off: no extension offered).
    DeflateOffer deflate;
    // An upstream proxy that the relay chains through (HTTP CONNECT or SOCKS5).
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    // Parses http://[user:pass@]host:port or socks5://[user:pass@]host:port. On failure sets *error.
    static QNetworkProxy parseProxy(const QString &text, QString *error);

    // Parses what the user typed. On failure returns an invalid QUrl and sets *error to a
    // message that says exactly what is wrong. An empty path becomes "/" (Qt 6.4.2 would
    // otherwise send "GET ?x HTTP/1.1").
    static QUrl parseUrl(const QString &text, QString *error);

    // Empty when a header may be set in the table; otherwise why not and where to set it instead.
    static QString headerProblem(const QByteArray &name);
    // Parses "Name: value". On failure sets *error.
    static bool parseHeaderLine(const QString &line, QByteArray *name, QByteArray *value, QString *error);

    // Empty when the options can be used; otherwise the first problem found.
    QString validate() const;
    // Builds the TLS configuration from the system defaults and the files above. Returns an
    // empty string, or what is wrong with a file (unreadable, no certificate, wrong passphrase).
    QString sslConfiguration(QSslConfiguration *configuration) const;
    static bool keyMatchesCertificate(const QSslKey &key, const QSslCertificate &certificate);
};

} // namespace wst

Q_DECLARE_METATYPE(wst::ConnectionOptions)
