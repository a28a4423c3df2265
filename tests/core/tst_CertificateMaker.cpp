#include "proxy/CertificateMaker.h"
#include "server/LocalServer.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslCertificateExtension>
#include <QSslKey>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace wst;

class tst_CertificateMaker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void caAndLeafLoadAndVerify();
    void opensslAgrees();
    void anExistingCaIsNeverOverwrittenSilently();
    void badHostsAreRefused();
    void servesWssThatTrustsOnlyThisCa();
    void trustInstructionsNameTheFile();

private:
    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
};

void tst_CertificateMaker::caAndLeafLoadAndVerify()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY2(CertificateMaker::writeCa(dir.path(), false, &error), qPrintable(error));
    QVERIFY2(CertificateMaker::writeLeaf(
                 dir.path(), { QStringLiteral("localhost"), QStringLiteral("127.0.0.1") }, &error),
        qPrintable(error));

    const QList<QSslCertificate> ca
        = QSslCertificate::fromData(read(CertificateMaker::caCertificateFile(dir.path())));
    const QList<QSslCertificate> leaf
        = QSslCertificate::fromData(read(CertificateMaker::leafCertificateFile(dir.path())));
    QCOMPARE(ca.size(), 1);
    QCOMPARE(leaf.size(), 1);
    QVERIFY(ca.first().isSelfSigned());
    QVERIFY(!leaf.first().isSelfSigned());
    QCOMPARE(leaf.first().issuerInfo(QSslCertificate::CommonName),
        ca.first().subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(
        leaf.first().subjectInfo(QSslCertificate::CommonName), QStringList { QStringLiteral("localhost") });
    const auto alt = leaf.first().subjectAlternativeNames();
    QVERIFY(alt.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    QVERIFY(alt.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    // The CA says it is one; the leaf says it is not.
    bool caIsCa = false;
    for (const QSslCertificateExtension &e : ca.first().extensions()) {
        if (e.name() == QLatin1String("basicConstraints"))
            caIsCa = e.value().toMap().value(QStringLiteral("ca")).toBool();
    }
    QVERIFY(caIsCa);
    QVERIFY(leaf.first().expiryDate() <= QDateTime::currentDateTimeUtc().addDays(398));

    const QSslKey key(read(CertificateMaker::leafKeyFile(dir.path())), QSsl::Ec, QSsl::Pem);
    QVERIFY(!key.isNull());
    QVERIFY(!QSslKey(read(CertificateMaker::caKeyFile(dir.path())), QSsl::Ec, QSsl::Pem).isNull());
    // The keys are the user's secret: only the owner reads them.
    QCOMPARE(QFile::permissions(CertificateMaker::caKeyFile(dir.path()))
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
        QFileDevice::Permissions());

    // Verified for the name the client uses once this CA is trusted (verify() trusts what the
    // default configuration trusts), and not without it.
    QVERIFY(!QSslCertificate::verify(leaf, QStringLiteral("localhost")).isEmpty());
    const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = saved;
    trusting.setCaCertificates(ca);
    QSslConfiguration::setDefaultConfiguration(trusting);
    const QList<QSslError> errors = QSslCertificate::verify(leaf, QStringLiteral("localhost"));
    const QList<QSslError> otherName = QSslCertificate::verify(leaf, QStringLiteral("example.com"));
    QSslConfiguration::setDefaultConfiguration(saved);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).errorString()));
    QVERIFY(!otherName.isEmpty());
}

void tst_CertificateMaker::opensslAgrees()
{
    // Another implementation reads the chain: the openssl tool checks the purpose too.
    QTemporaryDir dir;
    QString error;
    QVERIFY2(CertificateMaker::writeCa(dir.path(), false, &error), qPrintable(error));
    QVERIFY2(
        CertificateMaker::writeLeaf(dir.path(), { QStringLiteral("localhost") }, &error), qPrintable(error));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
        { QStringLiteral("verify"), QStringLiteral("-purpose"), QStringLiteral("sslserver"),
            QStringLiteral("-CAfile"), CertificateMaker::caCertificateFile(dir.path()),
            CertificateMaker::leafCertificateFile(dir.path()) });
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
    QVERIFY(openssl.readAllStandardOutput().contains(": OK"));
}

void tst_CertificateMaker::anExistingCaIsNeverOverwrittenSilently()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("made/on/demand"));
    QVERIFY(!CertificateMaker::hasCa(folder));
    QString error;
    QVERIFY2(CertificateMaker::writeCa(folder, false, &error), qPrintable(error));
    QVERIFY(CertificateMaker::hasCa(folder));
    const QByteArray first = read(CertificateMaker::caCertificateFile(folder));
    QVERIFY(!CertificateMaker::writeCa(folder, false, &error));
    QVERIFY2(error.contains(QStringLiteral("kept")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QCOMPARE(read(CertificateMaker::caCertificateFile(folder)), first);
    error.clear();
    QVERIFY2(CertificateMaker::writeCa(folder, true, &error), qPrintable(error));
    QVERIFY(read(CertificateMaker::caCertificateFile(folder)) != first);
}

void tst_CertificateMaker::badHostsAreRefused()
{
    QString error;
    const CertificateMaker::Pem ca = CertificateMaker::makeCa(QStringLiteral("t"), &error);
    QVERIFY2(!ca.certificate.isEmpty(), qPrintable(error));
    // A comma would add a second entry to the subjectAltName.
    QVERIFY(CertificateMaker::makeLeaf(ca, { QStringLiteral("a.test,DNS:bank.example") }, &error)
                .certificate.isEmpty());
    QVERIFY2(error.contains(QStringLiteral("a.test,DNS:bank.example")), qPrintable(error));
    QVERIFY(CertificateMaker::makeLeaf(ca, {}, &error).certificate.isEmpty());
    CertificateMaker::Pem wrongKey = ca;
    wrongKey.key = CertificateMaker::makeCa(QStringLiteral("other"), &error).key;
    error.clear();
    QVERIFY(
        CertificateMaker::makeLeaf(wrongKey, { QStringLiteral("localhost") }, &error).certificate.isEmpty());
    QVERIFY(!error.isEmpty());
    // IPv6 in brackets and wildcards are fine.
    error.clear();
    const CertificateMaker::Pem leaf = CertificateMaker::makeLeaf(
        ca, { QStringLiteral("[::1]"), QStringLiteral("*.example.test") }, &error);
    QVERIFY2(!leaf.certificate.isEmpty(), qPrintable(error));
    const auto alt = QSslCertificate(leaf.certificate).subjectAlternativeNames();
    QVERIFY(alt.values(QSsl::DnsEntry).contains(QStringLiteral("*.example.test")));
    QCOMPARE(alt.values(QSsl::IpAddressEntry).size(), 1);
}

void tst_CertificateMaker::servesWssThatTrustsOnlyThisCa()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(CertificateMaker::writeCa(dir.path(), false, &error), qPrintable(error));
    QVERIFY2(CertificateMaker::writeLeaf(
                 dir.path(), { QStringLiteral("127.0.0.1"), QStringLiteral("localhost") }, &error),
        qPrintable(error));

    LocalServer server;
    ServerOptions options;
    options.certificateFile = CertificateMaker::leafCertificateFile(dir.path());
    options.keyFile = CertificateMaker::leafKeyFile(dir.path());
    server.start(options);
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalServer::State::Listening, 10000);
    QCOMPARE(server.url().scheme(), QStringLiteral("wss"));

    // A client that trusts exactly this CA (and nothing of the system's) connects and is echoed.
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.setCaCertificates(
        QSslCertificate::fromData(read(CertificateMaker::caCertificateFile(dir.path()))));
    trusting.setPeerVerifyMode(QSslSocket::VerifyPeer);
    QWebSocket client;
    client.setSslConfiguration(trusting);
    QSignalSpy echoed(&client, &QWebSocket::textMessageReceived);
    QList<QSslError> errorsSeen;
    connect(&client, &QWebSocket::sslErrors, this,
        [&errorsSeen](const QList<QSslError> &errors) { errorsSeen += errors; });
    connect(&client, &QWebSocket::connected, this,
        [&client] { client.sendTextMessage(QStringLiteral("over tls")); });
    client.open(server.url());
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), 1, 15000);
    QCOMPARE(echoed.first().first().toString(), QStringLiteral("over tls"));
    QVERIFY(errorsSeen.isEmpty());
    client.close();

    // Without the CA the same server is refused with a TLS error: nothing else trusts it.
    QWebSocket stranger;
    QSignalSpy strangerErrors(&stranger, &QWebSocket::sslErrors);
    QSignalSpy strangerConnected(&stranger, &QWebSocket::connected);
    QSignalSpy strangerFailed(&stranger, &QWebSocket::disconnected);
    stranger.open(server.url());
    QTRY_VERIFY_WITH_TIMEOUT(!strangerErrors.isEmpty(), 15000);
    const auto errors = strangerErrors.first().first().value<QList<QSslError>>();
    QVERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const QSslError &e) {
        return e.error() == QSslError::UnableToGetLocalIssuerCertificate
            || e.error() == QSslError::UnableToVerifyFirstCertificate
            || e.error() == QSslError::CertificateUntrusted;
    }));
    QTRY_VERIFY_WITH_TIMEOUT(!strangerFailed.isEmpty(), 15000);
    QCOMPARE(strangerConnected.size(), 0);
    server.stop();
}

void tst_CertificateMaker::trustInstructionsNameTheFile()
{
    const QString text = CertificateMaker::trustInstructions(QStringLiteral("/tmp/x/ca.pem"));
    QVERIFY(text.contains(
        QStringLiteral("certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n wstester -i \"/tmp/x/ca.pem\"")));
    QVERIFY(text.contains(QStringLiteral("/usr/local/share/ca-certificates/wstester.crt")));
    QVERIFY(text.contains(QStringLiteral("update-ca-certificates")));
    QVERIFY(text.contains(QStringLiteral("NODE_EXTRA_CA_CERTS=\"/tmp/x/ca.pem\"")));
    QVERIFY(text.contains(QStringLiteral("SSL_CERT_FILE=\"/tmp/x/ca.pem\"")));
    QVERIFY(text.contains(QStringLiteral("Firefox")));
}

QTEST_GUILESS_MAIN(tst_CertificateMaker)
#include "tst_CertificateMaker.moc"
