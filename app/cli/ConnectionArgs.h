#pragma once

#include "connection/ConnectionOptions.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>

namespace wst::cli {

// The options that say how to connect, shared by `connect` and `handshake`: the URL, headers,
// subprotocols, Origin, timeouts and TLS.
class ConnectionArgs
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionArgs)
public:
    ConnectionArgs();
    void addTo(QCommandLineParser &parser) const;
    // Fills *options from the parsed arguments (the URL is the one positional argument).
    // On failure returns false and sets *error to a message for the user.
    bool read(const QCommandLineParser &parser, ConnectionOptions *options, QString *error) const;
    bool verbose(const QCommandLineParser &parser) const { return parser.isSet(m_verbose); }

private:
    QCommandLineOption m_header;
    QCommandLineOption m_protocol;
    QCommandLineOption m_origin;
    QCommandLineOption m_connectTimeout;
    QCommandLineOption m_insecure;
    QCommandLineOption m_caCert;
    QCommandLineOption m_cert;
    QCommandLineOption m_key;
    QCommandLineOption m_keyPassphrase;
    QCommandLineOption m_verbose;
    QCommandLineOption m_proxy;
    QCommandLineOption m_tlsMin;
    QCommandLineOption m_reconnect;
    QCommandLineOption m_maxMessageSize;
    QCommandLineOption m_noDeflate;
    QCommandLineOption m_deflateOption;
};

} // namespace wst::cli
