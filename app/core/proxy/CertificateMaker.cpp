#include "CertificateMaker.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace wst {

namespace {

template <typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
void freeBio(BIO *b)
{
    BIO_free(b);
}
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, freeBio>>;

constexpr long CaDays = 3650;
// Chromium and Safari reject leaf certificates valid for more than 398 days.
constexpr long LeafDays = 397;

QString lastOpenSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown error");
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

// A certificate with a fresh random serial, the validity window and the subject's CN; the
// caller adds the extensions and signs it.
CertPtr newCertificate(EVP_PKEY *key, const QString &commonName, long days)
{
    CertPtr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1)
        return {};
    BnPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return {};
    // An hour back, so that a clock a little behind still accepts it.
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)
        || !X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600))
        return {};
    const QByteArray cn = commonName.left(64).toUtf8();
    X509_NAME *name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(
            name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("wstester"), -1, -1, 0)
            != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
               reinterpret_cast<const unsigned char *>(cn.constData()), int(cn.size()), -1, 0)
            != 1)
        return {};
    if (X509_set_pubkey(cert.get(), key) != 1)
        return {};
    return cert;
}

CertificateMaker::Pem toPem(X509 *cert, EVP_PKEY *key)
{
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), cert) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return { bioBytes(certBio.get()), bioBytes(keyBio.get()) };
}

// "DNS:name" or "IP:address" for one host; empty when it is neither (commas and the like would
// otherwise smuggle other entries into the extension).
QString altName(const QString &host)
{
    QString h = host.trimmed();
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    const QHostAddress address(h);
    if (!address.isNull())
        return QStringLiteral("IP:") + address.toString();
    static const QRegularExpression name(QStringLiteral("^(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})$"));
    if (name.match(h).hasMatch())
        return QStringLiteral("DNS:") + h.toLower();
    return {};
}

bool writeFile(const QString &path, const QByteArray &data, bool secret, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = CertificateMaker::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (secret)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(data);
    if (!file.commit()) {
        *error = CertificateMaker::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QByteArray readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = CertificateMaker::tr("Cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

} // namespace

QString CertificateMaker::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/proxy-ca");
}

QString CertificateMaker::caCertificateFile(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("ca.pem"));
}

QString CertificateMaker::caKeyFile(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("ca.key"));
}

QString CertificateMaker::leafCertificateFile(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("server.pem"));
}

QString CertificateMaker::leafKeyFile(const QString &folder)
{
    return QDir(folder).filePath(QStringLiteral("server.key"));
}

bool CertificateMaker::hasCa(const QString &folder)
{
    return QFile::exists(caCertificateFile(folder)) || QFile::exists(caKeyFile(folder));
}

CertificateMaker::Pem CertificateMaker::makeCa(const QString &commonName, QString *error)
{
    KeyPtr key(EVP_EC_gen("P-256"));
    CertPtr cert = key ? newCertificate(key.get(), commonName, CaDays) : CertPtr();
    if (!cert) {
        *error = tr("Cannot make the certificate authority: %1").arg(lastOpenSslError());
        return {};
    }
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    if (!addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
        || !addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign")
        || !addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash")
        || X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        *error = tr("Cannot make the certificate authority: %1").arg(lastOpenSslError());
        return {};
    }
    Pem pem = toPem(cert.get(), key.get());
    if (pem.certificate.isEmpty())
        *error = tr("Cannot make the certificate authority: %1").arg(lastOpenSslError());
    return pem;
}

CertificateMaker::Pem CertificateMaker::makeLeaf(const Pem &ca, const QStringList &hosts, QString *error)
{
    QStringList names;
    for (const QString &host : hosts) {
        const QString name = altName(host);
        if (name.isEmpty()) {
            *error = tr("“%1” is neither a host name nor an IP address.").arg(host);
            return {};
        }
        if (!names.contains(name))
            names.append(name);
    }
    if (names.isEmpty()) {
        *error = tr("A certificate needs at least one host name or IP address.");
        return {};
    }
    BioPtr caCertBio(BIO_new_mem_buf(ca.certificate.constData(), int(ca.certificate.size())));
    BioPtr caKeyBio(BIO_new_mem_buf(ca.key.constData(), int(ca.key.size())));
    CertPtr caCert(PEM_read_bio_X509(caCertBio.get(), nullptr, nullptr, nullptr));
    KeyPtr caKey(PEM_read_bio_PrivateKey(caKeyBio.get(), nullptr, nullptr, nullptr));
    if (!caCert || !caKey) {
        *error = tr("The certificate authority cannot be read: %1").arg(lastOpenSslError());
        return {};
    }
    if (X509_check_private_key(caCert.get(), caKey.get()) != 1) {
        ERR_clear_error();
        *error = tr("The certificate authority's key does not belong to its certificate.");
        return {};
    }
    KeyPtr key(EVP_EC_gen("P-256"));
    QString cn = names.first().section(QLatin1Char(':'), 1);
    CertPtr cert = key ? newCertificate(key.get(), cn, LeafDays) : CertPtr();
    const QByteArray san = names.join(QLatin1Char(',')).toLatin1();
    if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(caCert.get())) != 1
        || !addExtension(cert.get(), caCert.get(), NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(cert.get(), caCert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment")
        || !addExtension(cert.get(), caCert.get(), NID_ext_key_usage, "serverAuth")
        || !addExtension(cert.get(), caCert.get(), NID_subject_alt_name, san.constData())
        || !addExtension(cert.get(), caCert.get(), NID_subject_key_identifier, "hash")
        || !addExtension(cert.get(), caCert.get(), NID_authority_key_identifier, "keyid:always")
        || X509_sign(cert.get(), caKey.get(), EVP_sha256()) == 0) {
        *error = tr("Cannot make the certificate: %1").arg(lastOpenSslError());
        return {};
    }
    Pem pem = toPem(cert.get(), key.get());
    if (pem.certificate.isEmpty())
        *error = tr("Cannot make the certificate: %1").arg(lastOpenSslError());
    return pem;
}

bool CertificateMaker::writeCa(const QString &folder, bool replace, QString *error)
{
    if (hasCa(folder) && !replace) {
        *error = tr("%1 already holds a certificate authority; it is kept.")
                     .arg(QDir::toNativeSeparators(folder));
        return false;
    }
    if (!QDir().mkpath(folder)) {
        *error = tr("Cannot make the folder %1.").arg(QDir::toNativeSeparators(folder));
        return false;
    }
    const Pem ca = makeCa(tr("wstester local CA"), error);
    if (ca.certificate.isEmpty())
        return false;
    return writeFile(caKeyFile(folder), ca.key, true, error)
        && writeFile(caCertificateFile(folder), ca.certificate, false, error);
}

bool CertificateMaker::writeLeaf(const QString &folder, const QStringList &hosts, QString *error)
{
    Pem ca;
    ca.certificate = readFile(caCertificateFile(folder), error);
    if (ca.certificate.isEmpty())
        return false;
    ca.key = readFile(caKeyFile(folder), error);
    if (ca.key.isEmpty())
        return false;
    const Pem leaf = makeLeaf(ca, hosts, error);
    if (leaf.certificate.isEmpty())
        return false;
    return writeFile(leafKeyFile(folder), leaf.key, true, error)
        && writeFile(leafCertificateFile(folder), leaf.certificate, false, error);
}

QString CertificateMaker::trustInstructions(const QString &caFile)
{
    const QString ca = QDir::toNativeSeparators(caFile);
    const QString quoted = QLatin1Char('"') + ca + QLatin1Char('"');
    QStringList lines;
    lines << tr("Apps trust the proxy's wss:// once they trust this certificate authority:") << ca
          << QString();
    lines << tr("Chromium and Google Chrome on Linux (their own certificate store; needs libnss3-tools):")
          << QStringLiteral("certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n wstester -i ") + quoted
          << QString();
    lines << tr("Every program on Debian or Ubuntu (system-wide, as root):")
          << QStringLiteral("sudo cp ") + quoted
            + QStringLiteral(" /usr/local/share/ca-certificates/wstester.crt")
          << QStringLiteral("sudo update-ca-certificates") << QString();
    lines << tr("Firefox: Settings → Privacy & Security → Certificates → View Certificates → "
                "Authorities → Import…, choose the file above and tick “Trust this CA to identify "
                "websites”.")
          << QString();
    lines << tr("Node.js:")
          << QStringLiteral("NODE_EXTRA_CA_CERTS=") + quoted + QStringLiteral(" node app.js") << QString();
    lines << tr("Python (ssl, websockets, requests):")
          << QStringLiteral("SSL_CERT_FILE=") + quoted + QStringLiteral(" REQUESTS_CA_BUNDLE=") + quoted
            + QStringLiteral(" python3 app.py")
          << QString();
    lines << tr("curl:") << QStringLiteral("curl --cacert ") + quoted + QStringLiteral(" …") << QString();
    lines << tr("To stop trusting it: certutil -D -d sql:$HOME/.pki/nssdb -n wstester; remove the "
                "file from /usr/local/share/ca-certificates and run update-ca-certificates --fresh.");
    return lines.join(QLatin1Char('\n'));
}

} // namespace wst
