#pragma once

// Certificates made at test time with openssl (never committed): make() gives a CA, a server
// certificate for localhost and 127.0.0.1 signed by it, and a client certificate signed by it;
// makeSelfSigned() gives one self-signed server certificate (self.pem, self.key).
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>

class TestCerts
{
public:
    bool make()
    {
        if (!m_dir.isValid())
            return false;
        QFile ext(path("server.ext"));
        if (!ext.open(QIODevice::WriteOnly))
            return false;
        ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        ext.close();
        QFile clientExt(path("client.ext"));
        if (!clientExt.open(QIODevice::WriteOnly))
            return false;
        clientExt.write("extendedKeyUsage=clientAuth\n");
        clientExt.close();
        return run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out",
                   path("ca.pem"), "-days", "2", "-subj", "/CN=wstester test CA")
            && run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("server.key"), "-out",
                path("server.csr"), "-subj", "/CN=localhost")
            && run("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", path("server.ext"))
            && run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("client.key"), "-out",
                path("client.csr"), "-subj", "/CN=wstester client")
            && run("x509", "-req", "-in", path("client.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("client.pem"), "-days", "2", "-extfile", path("client.ext"));
    }
    bool makeSelfSigned()
    {
        return m_dir.isValid()
            && run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("self.key"), "-out",
                path("self.pem"), "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1");
    }
    // A server's TLS configuration with this certificate and key (no client certificate asked).
    QSslConfiguration serverConfiguration(const char *certificate, const char *key) const
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(QSslCertificate::fromData(read(certificate)));
        tls.setPrivateKey(QSslKey(read(key), QSsl::Rsa));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        return tls;
    }
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QByteArray read(const char *name) const
    {
        QFile f(path(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private:
    static QString text(const char *s) { return QString::fromUtf8(s); }
    static QString text(const QString &s) { return s; }
    template <typename... Args> static bool run(const Args &...args)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"), QStringList { text(args)... });
        return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }
    QTemporaryDir m_dir;
};
