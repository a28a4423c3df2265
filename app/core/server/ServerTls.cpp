#include "ServerTls.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace wst {

std::optional<QSslConfiguration> listeningTls(
    const QString &certificateFile, const QString &keyFile, QString *error)
{
    // The words are the local server's, where they were first written (and translated).
    const auto tr = [](const char *text) { return QCoreApplication::translate("wst::ServerWorker", text); };
    QFile certFile(certificateFile);
    QFile keyIn(keyFile);
    if (!certFile.open(QIODevice::ReadOnly) || !keyIn.open(QIODevice::ReadOnly)) {
        *error = tr(QT_TRANSLATE_NOOP("wst::ServerWorker", "Cannot read the certificate or key file."));
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyData = keyIn.readAll();
    QSslKey key(keyData, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyData, QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty()) {
        *error
            = tr(QT_TRANSLATE_NOOP("wst::ServerWorker", "%1 holds no PEM certificate.")).arg(certificateFile);
        return std::nullopt;
    }
    if (key.isNull()) {
        *error = tr(
            QT_TRANSLATE_NOOP("wst::ServerWorker", "%1 holds no unencrypted PEM private key (RSA or EC)."))
                     .arg(keyFile);
        return std::nullopt;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}

} // namespace wst
