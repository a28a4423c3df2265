#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace wst {

// What Save As leaves out of a copy unless the user keeps secrets: header values
// (Authorization, Proxy-Authorization, Cookie, Set-Cookie) and the secrets of client settings
// (ClientSettingsJson::maskSecrets: passphrases, proxy passwords).
namespace SecretMasking {

// The values of secret headers in a handshake's head become "(masked)"; the request or status
// line and every other header are kept byte for byte. Returns `head` itself when nothing changed.
QByteArray maskHeaders(const QByteArray &head);

// Masks every tab's settings and every handshake of a session database (a copy being saved) in
// one transaction, and notes meta secrets = 'masked'. False with *error on failure.
bool maskSession(QSqlDatabase &copy, QString *error);

} // namespace SecretMasking

} // namespace wst
