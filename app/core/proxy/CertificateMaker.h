#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace wst {

// Makes the certificates the proxy needs to speak wss:// to a real app: a local certificate
// authority (an EC P-256 key and a self-signed CA:TRUE certificate, valid ten years) and leaf
// certificates for host names or IP addresses (subjectAltName, serverAuth, valid 397 days: the
// most browsers accept) signed by it. The app trusts the CA once (trustInstructions()); every
// leaf made later is then trusted too. Everything is PEM: the files the local server and the
// proxy read.
class CertificateMaker
{
    Q_DECLARE_TR_FUNCTIONS(CertificateMaker)
public:
    struct Pem
    {
        QByteArray certificate;
        QByteArray key; // PKCS#8, unencrypted
    };

    // Where the CA lives unless the user picks another folder: <app data>/proxy-ca.
    static QString defaultFolder();
    // The files of the CA and of a leaf in `folder`.
    static QString caCertificateFile(const QString &folder);
    static QString caKeyFile(const QString &folder);
    static QString leafCertificateFile(const QString &folder);
    static QString leafKeyFile(const QString &folder);
    static bool hasCa(const QString &folder);

    // A new CA in memory. On failure an empty Pem and *error set (one line).
    static Pem makeCa(const QString &commonName, QString *error);
    // A leaf for `hosts` (names and/or IP addresses; the first is the subject's CN) signed by the
    // CA given as PEM. Used by the proxy for each host of an explicit-proxy tunnel, too.
    static Pem makeLeaf(const Pem &ca, const QStringList &hosts, QString *error);

    // Writes a new CA into `folder` (made if missing). An existing CA is kept and this fails,
    // unless `replace` is true: a CA that apps already trust is never overwritten silently.
    static bool writeCa(const QString &folder, bool replace, QString *error);
    // Writes a leaf for `hosts` signed by the CA in `folder` (server.pem, server.key), replacing
    // an earlier leaf (leaves are cheap; the CA is what is trusted).
    static bool writeLeaf(const QString &folder, const QStringList &hosts, QString *error);

    // How to make apps trust `caFile`: Chromium/Chrome on Linux, Debian system-wide, Firefox,
    // node, python, curl. Plain text with the exact commands, ready to copy.
    static QString trustInstructions(const QString &caFile);
};

} // namespace wst
