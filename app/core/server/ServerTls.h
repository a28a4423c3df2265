#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace wst {

// The TLS settings a listening socket of ours (the local server, the proxy) serves with, from
// PEM files: the certificate chain and an unencrypted RSA or EC key. Without a value, *error
// says in one line why the files cannot be used.
std::optional<QSslConfiguration> listeningTls(
    const QString &certificateFile, const QString &keyFile, QString *error);

} // namespace wst
