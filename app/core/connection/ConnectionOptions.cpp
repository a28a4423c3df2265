#include "ConnectionOptions.h"

#include "format/InputText.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace wst {

QUrl ConnectionOptions::parseUrl(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *error = tr("Enter a URL such as ws://127.0.0.1:8080/ or wss://example.com/feed.");
        return {};
    }
    QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = tr("The URL is not valid: %1").arg(InputText::escaped(url.errorString()));
        return {};
    }
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty()) {
        *error = tr("The URL has no scheme: start it with ws:// or wss://.");
        return {};
    }
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss")) {
        if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
            *error = tr("The scheme \u201c%1\u201d is not a WebSocket scheme: use %2:// instead.")
                         .arg(scheme,
                             scheme == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
        else
            *error = tr("The scheme \u201c%1\u201d is not supported: use ws:// or wss://.").arg(scheme);
        return {};
    }
    if (url.host().isEmpty()) {
        *error = tr("The URL has no host.");
        return {};
    }
    if (!url.fragment().isEmpty() || url.hasFragment()) {
        *error = tr("A WebSocket URL cannot have a fragment (the part after \u201c#\u201d).");
        return {};
    }
    url.setScheme(scheme);
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    return url;
}

QString ConnectionOptions::headerProblem(const QByteArray &name)
{
    const QByteArray n = name.trimmed().toLower();
    if (n.isEmpty())
        return tr("The header has no name.");
    for (char c : n) {
        // RFC 9110 token characters.
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return tr("\u201c%1\u201d is not a valid header name.")
                .arg(InputText::escaped(QString::fromUtf8(name)));
    }
    if (n == "host")
        return tr("Host is made from the URL: change the URL instead.");
    if (n == "origin")
        return tr("Set Origin in the Origin field, not as a header.");
    if (n == "sec-websocket-protocol")
        return tr("Set subprotocols in the Subprotocols field, not as a header.");
    if (n == "upgrade" || n == "connection" || n == "sec-websocket-key" || n == "sec-websocket-version")
        return tr("%1 is part of the WebSocket handshake and is sent by wstester itself.")
            .arg(QString::fromUtf8(name.trimmed()));
    if (n == "sec-websocket-extensions")
        return tr("Sec-WebSocket-Extensions cannot be set: wstester offers permessage-deflate itself "
                  "(Request options: Compression).");
    return {};
}

bool ConnectionOptions::parseHeaderLine(
    const QString &line, QByteArray *name, QByteArray *value, QString *error)
{
    const qsizetype colon = line.indexOf(u':');
    if (colon <= 0) {
        *error = tr("\u201c%1\u201d is not a header: write it as \u201cName: value\u201d.")
                     .arg(InputText::escaped(line));
        return false;
    }
    *name = line.left(colon).trimmed().toUtf8();
    *value = line.mid(colon + 1).trimmed().toUtf8();
    const QString problem = headerProblem(*name);
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    return true;
}

QString ConnectionOptions::validate() const
{
    if (!url.isValid())
        return tr("The URL is not valid.");
    QStringList seen;
    for (const auto &h : headers) {
        const QString problem = headerProblem(h.first);
        if (!problem.isEmpty())
            return problem;
        if (h.second.contains('\n') || h.second.contains('\r'))
            return tr("The value of header %1 contains a line break.").arg(QString::fromUtf8(h.first));
        const QString lower = QString::fromUtf8(h.first).toLower();
        if (seen.contains(lower))
            return tr("Header %1 is set twice: Qt sends one value per header name.")
                .arg(QString::fromUtf8(h.first));
        seen.append(lower);
    }
    for (const QString &p : subprotocols) {
        if (p.isEmpty() || p.contains(u',') || p.contains(u' '))
            return tr("\u201c%1\u201d is not a valid subprotocol name.").arg(InputText::escaped(p));
    }
    if (connectTimeoutMs <= 0)
        return tr("The connect timeout must be positive.");
    return {};
}

namespace {

// The contents of the DER INTEGER at *at (advancing past it), or empty when it is not one.
QByteArray derInteger(const QByteArray &der, qsizetype *at)
{
    if (*at + 2 > der.size() || der[*at] != 0x02)
        return {};
    qsizetype length = quint8(der[*at + 1]);
    qsizetype start = *at + 2;
    if (length & 0x80) {
        const int bytes = length & 0x7f;
        length = 0;
        for (int i = 0; i < bytes && start < der.size(); ++i)
            length = (length << 8) | quint8(der[start++]);
    }
    *at = start + length;
    return der.mid(start, length);
}

// PFX ::= SEQUENCE { version INTEGER (3), authSafe, macData }: enough to tell a PKCS#12 file that
// does not open (its passphrase) from a file that is something else.
bool looksLikePkcs12(const QByteArray &der)
{
    if (der.size() < 5 || quint8(der[0]) != 0x30)
        return false;
    qsizetype at = 2;
    if (quint8(der[1]) & 0x80)
        at += quint8(der[1]) & 0x7f;
    return derInteger(der, &at) == QByteArray(1, 3);
}

} // namespace

// Qt has no call that compares a private key with a certificate, so compare the public part
// both carry: the RSA modulus, or the EC public point, must appear in the certificate's key.
bool ConnectionOptions::keyMatchesCertificate(const QSslKey &key, const QSslCertificate &certificate)
{
    const QByteArray publicDer = certificate.publicKey().toDer();
    const QByteArray privateDer = key.toDer();
    if (publicDer.isEmpty() || privateDer.isEmpty())
        return true; // nothing to compare: let the TLS handshake decide
    if (key.algorithm() == QSsl::Rsa) {
        // RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, ... }
        qsizetype at = 2;
        if (quint8(privateDer[1]) & 0x80)
            at += quint8(privateDer[1]) & 0x7f;
        derInteger(privateDer, &at); // version
        const QByteArray modulus = derInteger(privateDer, &at);
        return modulus.isEmpty() || publicDer.contains(modulus);
    }
    if (key.algorithm() == QSsl::Ec && publicDer.size() > 65)
        return privateDer.contains(publicDer.right(65)) || privateDer.contains(publicDer.right(33));
    return true;
}

QString ConnectionOptions::sslConfiguration(QSslConfiguration *configuration) const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    auto readFile = [](const QString &path, QByteArray *data) -> QString {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return tr("Cannot read %1: %2.").arg(path, file.errorString());
        *data = file.readAll();
        return {};
    };
    QByteArray data;
    if (!caCertificateFile.isEmpty()) {
        if (const QString problem = readFile(caCertificateFile, &data); !problem.isEmpty())
            return problem;
        const QList<QSslCertificate> cas = QSslCertificate::fromData(data, QSsl::Pem);
        if (cas.isEmpty())
            return tr("%1 holds no PEM certificate (expected \u201c-----BEGIN CERTIFICATE-----\u201d).")
                .arg(caCertificateFile);
        config.addCaCertificates(cas);
    }
    const QString lowerName = clientCertificateFile.toLower();
    if (lowerName.endsWith(QLatin1String(".p12")) || lowerName.endsWith(QLatin1String(".pfx"))) {
        // PKCS#12 holds the certificate, its key and maybe CAs, behind one passphrase.
        QFile file(clientCertificateFile);
        if (!file.open(QIODevice::ReadOnly))
            return tr("Cannot read %1: %2.").arg(clientCertificateFile, file.errorString());
        QSslKey key;
        QSslCertificate certificate;
        QList<QSslCertificate> cas;
        if (!QSslCertificate::importPkcs12(&file, &key, &certificate, &cas, clientKeyPassphrase)) {
            file.seek(0);
            if (!looksLikePkcs12(file.read(16)))
                return tr("%1 is not a PKCS#12 file.").arg(clientCertificateFile);
            if (clientKeyPassphrase.isEmpty())
                return tr("%1 is encrypted: give its passphrase.").arg(clientCertificateFile);
            // OpenSSL 3 also refuses the legacy RC2 encryption of old exports, passphrase or not.
            return tr("Cannot open the PKCS#12 file %1: the passphrase is wrong, or it is encrypted in a way "
                      "OpenSSL does not support.")
                .arg(clientCertificateFile);
        }
        config.setLocalCertificateChain(QList<QSslCertificate> { certificate } + cas);
        config.setPrivateKey(key);
        config.setProtocol(minimumTlsVersion);
        *configuration = config;
        return {};
    }
    if (clientCertificateFile.isEmpty() != clientKeyFile.isEmpty())
        return tr("A client certificate needs both the certificate file and its key file.");
    if (!clientCertificateFile.isEmpty()) {
        if (const QString problem = readFile(clientCertificateFile, &data); !problem.isEmpty())
            return problem;
        const QList<QSslCertificate> chain = QSslCertificate::fromData(data, QSsl::Pem);
        if (chain.isEmpty())
            return tr("%1 holds no PEM certificate.").arg(clientCertificateFile);
        if (const QString problem = readFile(clientKeyFile, &data); !problem.isEmpty())
            return problem;
        QSslKey key(data, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey, clientKeyPassphrase);
        if (key.isNull())
            key = QSslKey(data, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey, clientKeyPassphrase);
        if (key.isNull()) {
            return data.contains("ENCRYPTED") && clientKeyPassphrase.isEmpty()
                ? tr("%1 is encrypted: give its passphrase.").arg(clientKeyFile)
                : tr("Cannot read the private key in %1: not a PEM RSA or EC key, or a wrong passphrase.")
                      .arg(clientKeyFile);
        }
        if (!keyMatchesCertificate(key, chain.first()))
            return tr("The private key in %1 does not belong to the certificate in %2.")
                .arg(clientKeyFile, clientCertificateFile);
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
    }
    config.setProtocol(minimumTlsVersion);
    *configuration = config;
    return {};
}

QNetworkProxy ConnectionOptions::parseProxy(const QString &text, QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type = QNetworkProxy::NoProxy;
    if (scheme == QLatin1String("http"))
        type = QNetworkProxy::HttpProxy;
    else if (scheme == QLatin1String("socks5"))
        type = QNetworkProxy::Socks5Proxy;
    if (!url.isValid() || url.host().isEmpty() || type == QNetworkProxy::NoProxy || url.port() <= 0) {
        *error = tr("\u201c%1\u201d is not a proxy: write http://host:port or socks5://host:port "
                    "(optionally with user:password@).")
                     .arg(InputText::escaped(text));
        return QNetworkProxy(QNetworkProxy::NoProxy);
    }
    error->clear();
    return QNetworkProxy(type, url.host(), quint16(url.port()), url.userName(), url.password());
}

} // namespace wst
