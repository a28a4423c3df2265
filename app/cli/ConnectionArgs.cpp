#include "ConnectionArgs.h"

#include "NumberArgs.h"

namespace wst::cli {

ConnectionArgs::ConnectionArgs()
    : m_header({ QStringLiteral("H"), QStringLiteral("header") }, tr("Add a request header (repeatable)."),
        tr("Name: value"))
    , m_protocol({ QStringLiteral("p"), QStringLiteral("subprotocol") },
          tr("Offer a subprotocol (repeatable)."), tr("name"))
    , m_origin(QStringLiteral("origin"), tr("Send this Origin header."), tr("origin"))
    , m_connectTimeout(QStringLiteral("connect-timeout"),
          tr("How long to wait for the handshake (default 10)."), tr("seconds"), QStringLiteral("10"))
    , m_insecure({ QStringLiteral("k"), QStringLiteral("insecure") },
          tr("Accept any server certificate (wss://): verification errors are shown, not fatal."))
    , m_caCert(QStringLiteral("cacert"), tr("Also trust the CA certificates in this PEM file."), tr("file"))
    , m_cert(QStringLiteral("cert"),
          tr("Client certificate for mutual TLS: PEM (with --key) or PKCS#12 (.p12/.pfx)."), tr("file"))
    , m_key(QStringLiteral("key"), tr("Private key of the client certificate (PEM)."), tr("file"))
    , m_keyPassphrase(QStringLiteral("key-passphrase"),
          tr("Passphrase of an encrypted --key or of a PKCS#12 --cert."), tr("text"))
    , m_verbose({ QStringLiteral("v"), QStringLiteral("verbose") },
          tr("Print the handshake (request, response, TLS) on standard error."))
    , m_proxy(QStringLiteral("proxy"),
          tr("Connect through this proxy: http://[user:pass@]host:port or socks5://…"), tr("url"))
    , m_tlsMin(QStringLiteral("tls-min"), tr("Lowest TLS version to accept: 1.2 or 1.3."), tr("version"))
    , m_reconnect(QStringLiteral("reconnect"),
          tr("Reconnect after a lost or failed connection, waiting 1 s, 2 s, 4 s… up to 30 s."))
    , m_maxMessageSize(QStringLiteral("max-message-size"),
          tr("Close with 1009 when the server sends a larger message (default %1 bytes; 0: Qt's "
             "limit of %2).")
              .arg(ConnectionOptions::DefaultMaxMessageSize)
              .arg(ConnectionOptions::QtMaxMessageSize),
          tr("bytes"))
    , m_noDeflate(QStringLiteral("no-deflate"),
          tr("Offer no permessage-deflate (compression); a browser offers it, and so does wstester."))
    , m_deflateOption(QStringLiteral("deflate-option"),
          tr("A permessage-deflate parameter to offer (repeatable): client_max_window_bits=9..15, "
             "server_max_window_bits=8..15, client_no_context_takeover, server_no_context_takeover."),
          tr("name[=value]"))
{
}

void ConnectionArgs::addTo(QCommandLineParser &parser) const
{
    parser.addPositionalArgument(QStringLiteral("URL"), tr("The ws:// or wss:// URL to connect to."));
    parser.addOptions({ m_header, m_protocol, m_origin, m_connectTimeout, m_insecure, m_caCert, m_cert, m_key,
        m_keyPassphrase, m_verbose, m_proxy, m_tlsMin, m_reconnect, m_maxMessageSize, m_noDeflate,
        m_deflateOption });
}

bool ConnectionArgs::read(const QCommandLineParser &parser, ConnectionOptions *options, QString *error) const
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        *error = positional.isEmpty() ? tr("a URL is required, e.g. ws://127.0.0.1:8080/")
                                      : tr("only one URL can be given.");
        return false;
    }
    options->url = ConnectionOptions::parseUrl(positional.first(), error);
    if (!options->url.isValid())
        return false;
    for (const QString &line : parser.values(m_header)) {
        QByteArray name, value;
        if (!ConnectionOptions::parseHeaderLine(line, &name, &value, error))
            return false;
        options->headers.append({ name, value });
    }
    options->subprotocols = parser.values(m_protocol);
    options->origin = parser.value(m_origin);
    if (!NumberArgs::seconds(
            parser, m_connectTimeout, 0.001, NumberArgs::MaxSeconds, &options->connectTimeoutMs, error))
        return false;
    if (parser.isSet(m_maxMessageSize)
        && !NumberArgs::wholeNumber(parser, m_maxMessageSize, 0, ConnectionOptions::QtMaxMessageSize,
            &options->maxMessageSize, error))
        return false;
    options->ignoreAllSslErrors = parser.isSet(m_insecure);
    options->caCertificateFile = parser.value(m_caCert);
    options->clientCertificateFile = parser.value(m_cert);
    options->clientKeyFile = parser.value(m_key);
    options->clientKeyPassphrase = parser.value(m_keyPassphrase).toUtf8();
    options->autoReconnect = parser.isSet(m_reconnect);
    options->deflate.enabled = !parser.isSet(m_noDeflate);
    if (parser.isSet(m_noDeflate) && parser.isSet(m_deflateOption)) {
        *error = tr("--deflate-option cannot be used with --no-deflate.");
        return false;
    }
    for (const QString &option : parser.values(m_deflateOption)) {
        if (!options->deflate.setOption(option, error)) {
            *error = tr("--deflate-option: %1").arg(*error);
            return false;
        }
    }
    if (parser.isSet(m_proxy)) {
        options->proxy = ConnectionOptions::parseProxy(parser.value(m_proxy), error);
        if (!error->isEmpty())
            return false;
    }
    if (parser.isSet(m_tlsMin)) {
        const QString v = parser.value(m_tlsMin);
        if (v == QLatin1String("1.2")) {
            options->minimumTlsVersion = QSsl::TlsV1_2OrLater;
        } else if (v == QLatin1String("1.3")) {
            options->minimumTlsVersion = QSsl::TlsV1_3OrLater;
        } else {
            *error = tr("--tls-min takes 1.2 or 1.3.");
            return false;
        }
    }
    *error = options->validate();
    if (error->isEmpty()) {
        QSslConfiguration unused;
        *error = options->sslConfiguration(&unused);
    }
    return error->isEmpty();
}

} // namespace wst::cli
