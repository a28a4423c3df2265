// Named environments: their files, secrets kept out of them (and out of everything recorded),
// the secret store's fallback, precedence against the session's variables, and {{name}} reaching
// a real connection and the local server's replies.
#include "compose/EnvironmentLibrary.h"
#include "compose/NamedEnvironment.h"
#include "compose/RequestVariables.h"
#include "compose/SecretStore.h"
#include "compose/SecretValues.h"
#include "compose/SessionEnvironment.h"
#include "connection/ClientConnection.h"
#include "connection/ConnectionOptions.h"
#include "server/ReplyRules.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

using namespace wst;

namespace {

const QString Token = QStringLiteral("tok-5ecr3t-V4lue/+=");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every file under `folder` that holds `needle`.
QStringList filesContaining(const QString &folder, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (readAll(path).contains(needle))
            found << path;
    }
    return found;
}

QList<EnvironmentVariable> stagingVariables()
{
    return { { QStringLiteral("host"), QStringLiteral("staging.example.test"), false },
        { QStringLiteral("token"), Token, true } };
}

} // namespace

class tst_Environments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void fileRoundTripKeepsSecretsOut();
    void badInputIsOneLine();
    void importAndExport();
    void renameAndDeleteMoveTheSecrets();
    void noSecretServiceKeepsValuesInMemory();
    void keychainWithoutServiceSaysNoService();
    void sessionVariablesWinOverTheActiveEnvironment();
    void switchingChangesWhatAConnectionSends();
    void replyRulesUseVariablesButNeverExpandTheMessage();
    void secretValuesMaskAndRestore();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString folder() const { return m_dir->filePath(QStringLiteral("environments")); }
};

void tst_Environments::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_Environments::fileRoundTripKeepsSecretsOut()
{
    auto *store = new MemorySecretStore;
    EnvironmentLibrary library(folder(), store);
    QString error;
    QVERIFY2(library.create(QStringLiteral("staging"), &error), qPrintable(error));
    QVERIFY2(library.setVariables(QStringLiteral("staging"), stagingVariables(), &error), qPrintable(error));

    const QByteArray file = readAll(folder() + QStringLiteral("/staging.json"));
    QVERIFY(file.contains("\"format\": \"wstester-environment\""));
    QVERIFY(file.contains("\"secret\": true"));
    QVERIFY(file.contains("staging.example.test"));
    QVERIFY2(!file.contains(Token.toUtf8()), file.constData());
    QVERIFY(!file.contains(QUrl::toPercentEncoding(Token)));
    // Stable: the same environment always makes the same bytes.
    QCOMPARE(library.environment(QStringLiteral("staging")).toFile(), file);
    QCOMPARE(store->values().value(QStringLiteral("environments/staging/token")), Token);

    // A second run reads the file, and the secret from the store.
    auto *again = new MemorySecretStore;
    again->write(QStringLiteral("environments/staging/token"), Token);
    EnvironmentLibrary reread(folder(), again);
    QCOMPARE(reread.names(), QStringList { QStringLiteral("staging") });
    QCOMPARE(reread.environment(QStringLiteral("staging")).variables, stagingVariables());
    QVERIFY(reread.problems().isEmpty());
}

void tst_Environments::badInputIsOneLine()
{
    EnvironmentLibrary library(folder(), new MemorySecretStore);
    QString error;
    QVERIFY(library.create(QStringLiteral("local"), &error));
    QVERIFY(!library.create(QStringLiteral("Local"), &error));
    QVERIFY2(error.contains(QStringLiteral("already an environment")), qPrintable(error));
    QVERIFY(!library.create(QStringLiteral("a/b"), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot name an environment")), qPrintable(error));
    QVERIFY(!library.setVariables(
        QStringLiteral("local"), { { QStringLiteral("1bad"), QString(), false } }, &error));
    QVERIFY2(error.contains(QStringLiteral("not a valid variable name")), qPrintable(error));
    QVERIFY(!library.setVariables(QStringLiteral("local"),
        { { QStringLiteral("a"), QString(), false }, { QStringLiteral("a"), QString(), false } }, &error));
    QVERIFY2(error.contains(QStringLiteral("defined twice")), qPrintable(error));
    QVERIFY(!library.setVariables(
        QStringLiteral("local"), { { QStringLiteral("uuid"), QString(), false } }, &error));
    QVERIFY2(error.contains(QStringLiteral("built in")), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));

    // A bad file in the folder is skipped with a line; the others still load.
    QFile bad(folder() + QStringLiteral("/broken.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{ not json");
    bad.close();
    library.reload();
    QCOMPARE(library.names(), QStringList { QStringLiteral("local") });
    QCOMPARE(library.problems().size(), 1);
    QVERIFY2(library.problems().first().contains(QStringLiteral("broken.json was skipped: Not JSON")),
        qPrintable(library.problems().first()));
    QVERIFY(library.importFile(bad.fileName(), &error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("Not JSON")), qPrintable(error));
    const QString foreign = m_dir->filePath(QStringLiteral("foreign.json"));
    QFile f(foreign);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"values": [{"key": "a", "value": "b"}]})");
    f.close();
    QVERIFY(library.importFile(foreign, &error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("Not a wstester environment")), qPrintable(error));
}

void tst_Environments::importAndExport()
{
    EnvironmentLibrary library(folder(), new MemorySecretStore);
    QString error;
    QVERIFY(library.create(QStringLiteral("staging"), &error));
    QVERIFY(library.setVariables(QStringLiteral("staging"), stagingVariables(), &error));
    const QString plain = m_dir->filePath(QStringLiteral("plain.json"));
    const QString withSecrets = m_dir->filePath(QStringLiteral("team-staging.json"));
    QVERIFY2(library.exportFile(QStringLiteral("staging"), plain, false, &error), qPrintable(error));
    QVERIFY(library.exportFile(QStringLiteral("staging"), withSecrets, true, &error));
    QVERIFY(!readAll(plain).contains(Token.toUtf8()));
    QVERIFY(readAll(withSecrets).contains(Token.toUtf8()));

    // An import under a name that is taken is refused; under its file's name it is added, and the
    // secret it carried goes to the store, not into the data folder.
    QVERIFY(library.importFile(withSecrets, &error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("already an environment")), qPrintable(error));
    QVERIFY(library.rename(QStringLiteral("staging"), QStringLiteral("old"), &error));
    QCOMPARE(library.importFile(withSecrets, &error), QStringLiteral("staging"));
    QCOMPARE(library.variables(QStringLiteral("staging")).last().second, Token);
    QVERIFY(filesContaining(folder(), Token.toUtf8()).isEmpty());
}

void tst_Environments::renameAndDeleteMoveTheSecrets()
{
    auto *store = new MemorySecretStore;
    EnvironmentLibrary library(folder(), store);
    QString error;
    QVERIFY(library.create(QStringLiteral("staging"), &error));
    QVERIFY(library.setVariables(QStringLiteral("staging"), stagingVariables(), &error));
    QVERIFY(library.duplicate(QStringLiteral("staging"), QStringLiteral("copy"), &error));
    QVERIFY(library.rename(QStringLiteral("staging"), QStringLiteral("prod"), &error));
    QVERIFY(!QFile::exists(folder() + QStringLiteral("/staging.json")));
    QVERIFY(QFile::exists(folder() + QStringLiteral("/prod.json")));
    QCOMPARE(store->values().value(QStringLiteral("environments/prod/token")), Token);
    QVERIFY(!store->values().contains(QStringLiteral("environments/staging/token")));
    QVERIFY(library.remove(QStringLiteral("prod"), &error));
    QVERIFY(!store->values().contains(QStringLiteral("environments/prod/token")));
    QCOMPARE(store->values().value(QStringLiteral("environments/copy/token")), Token);
    // Made plain: the secret leaves the store and its value is written to the file.
    QList<EnvironmentVariable> plain = stagingVariables();
    plain[1].secret = false;
    QVERIFY(library.setVariables(QStringLiteral("copy"), plain, &error));
    QVERIFY(!store->values().contains(QStringLiteral("environments/copy/token")));
    QVERIFY(readAll(folder() + QStringLiteral("/copy.json")).contains("tok-5ecr3t"));
}

void tst_Environments::noSecretServiceKeepsValuesInMemory()
{
    auto *store = new MemorySecretStore;
    store->setAvailable(false);
    EnvironmentLibrary library(folder(), store);
    QVERIFY(library.secretServiceAvailable());
    QSignalSpy spy(&library, &EnvironmentLibrary::secretServiceChanged);
    QString error;
    QVERIFY(library.create(QStringLiteral("staging"), &error));
    QVERIFY(library.setVariables(QStringLiteral("staging"), stagingVariables(), &error));
    QCOMPARE(spy.count(), 1);
    QVERIFY(!library.secretServiceAvailable());
    QCOMPARE(library.secretServiceNote(),
        QStringLiteral("No secret service: secret values are kept only until wstester quits."));
    QCOMPARE(library.variables(QStringLiteral("staging")).last().second, Token);
    QVERIFY(filesContaining(m_dir->path(), Token.toUtf8()).isEmpty());
}

void tst_Environments::keychainWithoutServiceSaysNoService()
{
    // This machine (and CI) has no D-Bus session: the real QtKeychain must fail, and must not
    // fall back to a plaintext settings file. No bus is reachable from here even on a desktop
    // (no address, no X11 autolaunch, no $XDG_RUNTIME_DIR/bus), so no real keyring is touched.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("XDG_RUNTIME_DIR", m_dir->path().toUtf8());
    qunsetenv("DISPLAY");
    qputenv("XDG_CONFIG_HOME", m_dir->filePath(QStringLiteral("config")).toUtf8());
    qputenv("HOME", m_dir->path().toUtf8());
    KeychainSecretStore store(QStringLiteral("wstester-test"));
    QSignalSpy failed(&store, &SecretStore::failed);
    store.write(QStringLiteral("environments/x/token"), Token);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY2(failed.first().at(1).toBool(), qPrintable(failed.first().at(2).toString()));
    QSignalSpy read(&store, &SecretStore::readDone);
    store.read(QStringLiteral("environments/x/token"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 30000);
    QCOMPARE(read.count(), 0);
    QVERIFY(filesContaining(m_dir->path(), Token.toUtf8()).isEmpty());

    EnvironmentLibrary library(folder(), new KeychainSecretStore(QStringLiteral("wstester-test")));
    QString error;
    QVERIFY(library.create(QStringLiteral("staging"), &error));
    QVERIFY(library.setVariables(QStringLiteral("staging"), stagingVariables(), &error));
    QTRY_VERIFY_WITH_TIMEOUT(!library.secretServiceAvailable(), 30000);
    QCOMPARE(library.variables(QStringLiteral("staging")).last().second, Token);
}

void tst_Environments::sessionVariablesWinOverTheActiveEnvironment()
{
    EnvironmentLibrary library(folder(), new MemorySecretStore);
    QString error;
    QVERIFY(library.create(QStringLiteral("staging"), &error));
    QVERIFY(library.setVariables(QStringLiteral("staging"), stagingVariables(), &error));
    QVERIFY(library.create(QStringLiteral("local"), &error));
    QVERIFY(library.setVariables(
        QStringLiteral("local"), { { QStringLiteral("host"), QStringLiteral("127.0.0.1"), false } }, &error));

    SessionEnvironment session;
    session.setLibrary(&library);
    QSignalSpy values(&session, &SessionEnvironment::valuesChanged);
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QString());
    QVERIFY(error.contains(QStringLiteral("{{host}} is not defined")));
    session.setActiveName(QStringLiteral("staging"));
    QCOMPARE(values.count(), 1);
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QStringLiteral("staging.example.test"));
    session.setActiveName(QStringLiteral("local"));
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QStringLiteral("127.0.0.1"));
    // The session's own variable is the more specific: it wins.
    session.setValue(QStringLiteral("host"), QStringLiteral("mine.test"));
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QStringLiteral("mine.test"));
    session.setVariables({});
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QStringLiteral("127.0.0.1"));
    // Editing the active environment reaches the window at once.
    const int before = values.count();
    QVERIFY(library.setVariables(
        QStringLiteral("local"), { { QStringLiteral("host"), QStringLiteral("localhost"), false } }, &error));
    QVERIFY(values.count() > before);
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QStringLiteral("localhost"));
    // An environment that is gone adds nothing, and its name is kept (saved with the session).
    QVERIFY(library.remove(QStringLiteral("local"), &error));
    QCOMPARE(session.activeName(), QStringLiteral("local"));
    QCOMPARE(session.substitute(QStringLiteral("{{host}}"), &error), QString());
}

void tst_Environments::switchingChangesWhatAConnectionSends()
{
    QWebSocketServer server(QStringLiteral("peer"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QNetworkRequest> requests;
    QStringList received;
    connect(&server, &QWebSocketServer::newConnection, this, [&server, &requests, &received] {
        while (QWebSocket *s = server.nextPendingConnection()) {
            s->setParent(&server);
            requests << s->request();
            connect(s, &QWebSocket::textMessageReceived, &server,
                [&received](const QString &text) { received << text; });
        }
    });

    EnvironmentLibrary library(folder(), new MemorySecretStore);
    QString error;
    for (const QString &name : { QStringLiteral("local"), QStringLiteral("staging") }) {
        QVERIFY(library.create(name, &error));
        QVERIFY(library.setVariables(name,
            { { QStringLiteral("port"), QString::number(server.serverPort()), false },
                { QStringLiteral("path"), name + QStringLiteral("-feed"), false },
                { QStringLiteral("key"), QStringLiteral("key-of-") + name, true },
                { QStringLiteral("proto"), name + QStringLiteral(".v1"), false } },
            &error));
    }
    SessionEnvironment session;
    session.setLibrary(&library);

    auto connectOnce = [&](const QString &active) {
        session.setActiveName(active);
        QString url = QStringLiteral("ws://127.0.0.1:{{port}}/{{path}}?k={{key}}");
        ConnectionOptions options;
        options.headers = { { "X-Api-Key", "{{key}}" } };
        options.subprotocols = { QStringLiteral("{{proto}}") };
        QString why;
        QVERIFY2(RequestVariables::substitute(&url, &options, session.effectiveVariables(), &why),
            qPrintable(why));
        options.url = ConnectionOptions::parseUrl(url, &why);
        QVERIFY2(options.url.isValid(), qPrintable(why));
        ClientConnection connection;
        connection.open(options);
        QTRY_COMPARE(connection.state(), ClientConnection::State::Open);
        connection.sendText(session.substitute(QStringLiteral("{\"key\":\"{{key}}\"}"), &why));
        QTRY_COMPARE(received.size(), requests.size());
    };
    connectOnce(QStringLiteral("local"));
    QCOMPARE(requests.last().url().path(), QStringLiteral("/local-feed"));
    QCOMPARE(requests.last().url().query(), QStringLiteral("k=key-of-local"));
    QCOMPARE(requests.last().rawHeader("X-Api-Key"), QByteArray("key-of-local"));
    QCOMPARE(requests.last().rawHeader("Sec-WebSocket-Protocol"), QByteArray("local.v1"));
    QCOMPARE(received.last(), QStringLiteral("{\"key\":\"key-of-local\"}"));
    connectOnce(QStringLiteral("staging"));
    QCOMPARE(requests.last().url().path(), QStringLiteral("/staging-feed"));
    QCOMPARE(requests.last().rawHeader("X-Api-Key"), QByteArray("key-of-staging"));
    QCOMPARE(received.last(), QStringLiteral("{\"key\":\"key-of-staging\"}"));

    // An undefined variable names the field and the variable, and nothing is sent.
    session.setActiveName({});
    QString url = QStringLiteral("ws://127.0.0.1:{{port}}/");
    ConnectionOptions options;
    QVERIFY(!RequestVariables::substitute(&url, &options, session.effectiveVariables(), &error));
    QVERIFY2(error.startsWith(QStringLiteral("URL: {{port}} is not defined")), qPrintable(error));
    QCOMPARE(url, QStringLiteral("ws://127.0.0.1:{{port}}/"));
}

void tst_Environments::replyRulesUseVariablesButNeverExpandTheMessage()
{
    const QList<QPair<QString, QString>> variables { { QStringLiteral("token"), Token },
        { QStringLiteral("env"), QStringLiteral("staging") } };
    const QDateTime now = QDateTime::currentDateTime();
    QCOMPARE(ReplyRules::expand(
                 QStringLiteral("{{env}}: {{message}}"), QStringLiteral("{{token}}"), 7, now, variables),
        QStringLiteral("staging: {{token}}"));
    QCOMPARE(ReplyRules::expand(QStringLiteral("{{unknown}} {{client}}"), QString(), 7, now, variables),
        QStringLiteral("{{unknown}} 7"));
}

void tst_Environments::secretValuesMaskAndRestore()
{
    SecretValues::set(
        { { QStringLiteral("token"), Token }, { QStringLiteral("pin"), QStringLiteral("12") } });
    const QByteArray url
        = "GET /feed?k=" + QUrl::toPercentEncoding(Token) + " HTTP/1.1\r\nX-Key: " + Token.toUtf8();
    bool changed = false;
    const QByteArray masked = SecretValues::mask(url, &changed);
    QVERIFY(changed);
    QCOMPARE(masked, QByteArray("GET /feed?k={{token}} HTTP/1.1\r\nX-Key: {{token}}"));
    QCOMPARE(SecretValues::restore("a {{token}} b"), "a " + Token.toUtf8() + " b");
    // Too short to mask without destroying the history.
    QCOMPARE(SecretValues::mask(QByteArray("pin 12")), QByteArray("pin 12"));
    SecretValues::set({});
    QCOMPARE(SecretValues::mask(url), url);
}

QTEST_GUILESS_MAIN(tst_Environments)
#include "tst_Environments.moc"
