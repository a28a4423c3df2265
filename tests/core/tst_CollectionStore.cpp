// Collections on disk: a real folder in a temporary directory, read back by a second store.
#include "compose/ClientSettingsJson.h"
#include "compose/Collection.h"
#include "compose/CollectionStore.h"
#include "compose/ConnectionProfile.h"
#include "settings/AppSettings.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QMimeData>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wst;

class tst_CollectionStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip();
    void fileIsStableAndMarked();
    void damagedFileReportedAndKept();
    void secretsMaskedButVariablesKept();
    void variableOnlyValues();
    void duplicateRenameMoveRemoveRestore();
    void dragMimeMovesBetweenFolders();
    void importAndExport();
    void migrateProfilesOnce();
    void importPostmanCollection();

private:
    QString folder(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    static QByteArray read(const QString &path);
    static QJsonObject clientSettings(const QString &url);

    QTemporaryDir m_dir;
};

void tst_CollectionStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

QByteArray tst_CollectionStore::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QJsonObject tst_CollectionStore::clientSettings(const QString &url)
{
    ConnectionOptions options;
    options.url = QUrl(url);
    options.headers = { { "X-Trace", "7" } };
    options.subprotocols = { QStringLiteral("chat") };
    QJsonObject settings = ClientSettingsJson::toJson(options);
    settings.insert(QStringLiteral("url"), url);
    return settings;
}

void tst_CollectionStore::roundTrip()
{
    const QString dir = folder("roundtrip");
    QString connection;
    QString server;
    QString folderId;
    const QJsonArray messages { QJsonObject { { QStringLiteral("name"), QStringLiteral("hello") },
        { QStringLiteral("format"), QStringLiteral("text") },
        { QStringLiteral("body"), QStringLiteral("hi {{who}}") } } };
    {
        CollectionStore store(dir);
        QAbstractItemModelTester tester(&store, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(store.loadErrors().isEmpty());
        QCOMPARE(store.rowCount(), 0);
        const QString collection = store.addCollection(QStringLiteral("Team API"));
        QVERIFY2(!collection.isEmpty(), qPrintable(store.lastError()));
        folderId = store.addFolder(collection, QStringLiteral("Staging"));
        QVERIFY(!folderId.isEmpty());
        connection = store.addConnection(folderId, QStringLiteral("Feed"),
            clientSettings(QStringLiteral("ws://127.0.0.1:9/feed")), messages);
        QVERIFY(!connection.isEmpty());
        server = store.addServer(
            collection, QStringLiteral("Echo"), QJsonObject { { QStringLiteral("port"), 9001 } });
        QVERIFY(!server.isEmpty());
        QVERIFY(QFile::exists(QDir(dir).filePath(QStringLiteral("team-api.json"))));
    }
    CollectionStore again(dir);
    QAbstractItemModelTester tester(&again, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(again.loadErrors().isEmpty());
    QCOMPARE(again.rowCount(), 1);
    const CollectionItem *feed = again.item(connection);
    QVERIFY(feed);
    QCOMPARE(feed->kind, CollectionItem::Kind::Connection);
    QCOMPARE(feed->name, QStringLiteral("Feed"));
    QCOMPARE(feed->parent->id, folderId);
    QCOMPARE(feed->settings.value(QStringLiteral("url")).toString(), QStringLiteral("ws://127.0.0.1:9/feed"));
    QCOMPARE(feed->messages, messages);
    QString error;
    const ConnectionOptions options = ClientSettingsJson::fromJson(feed->settings, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(options.subprotocols, QStringList { QStringLiteral("chat") });
    const CollectionItem *echo = again.item(server);
    QVERIFY(echo);
    QCOMPARE(echo->kind, CollectionItem::Kind::Server);
    QCOMPARE(echo->settings.value(QStringLiteral("port")).toInt(), 9001);
    QCOMPARE(again.data(again.indexOf(connection), CollectionStore::UrlRole).toString(),
        QStringLiteral("ws://127.0.0.1:9/feed"));
}

void tst_CollectionStore::fileIsStableAndMarked()
{
    const QString dir = folder("stable");
    CollectionStore store(dir);
    const QString collection = store.addCollection(QStringLiteral("Stable"));
    store.addConnection(collection, QStringLiteral("A"), clientSettings(QStringLiteral("ws://a/")), {});
    const QString path = QDir(dir).filePath(QStringLiteral("stable.json"));
    const QByteArray first = read(path);
    const QJsonObject object = QJsonDocument::fromJson(first).object();
    QCOMPARE(object.value(QStringLiteral("format")).toString(), QStringLiteral("wstester-collection"));
    QCOMPARE(object.value(QStringLiteral("version")).toInt(), 1);
    QVERIFY(first.contains("\n    \"")); // pretty-printed
    // Reading and writing again changes nothing: a file in Git changes only where the user did.
    CollectionStore again(dir);
    const QString id = again.collections().at(0)->id;
    QVERIFY(again.rename(id, QStringLiteral("Other")));
    QVERIFY(again.rename(id, QStringLiteral("Stable")));
    QCOMPARE(read(path), first);
}

void tst_CollectionStore::damagedFileReportedAndKept()
{
    const QString dir = folder("damaged");
    QVERIFY(QDir().mkpath(dir));
    const QString broken = QDir(dir).filePath(QStringLiteral("broken.json"));
    const QString foreign = QDir(dir).filePath(QStringLiteral("foreign.json"));
    const QByteArray brokenBytes = "{\"format\": \"wstester-collection\", \"version\": 1, \"items\": [";
    const QByteArray foreignBytes = "{\"info\": {\"name\": \"postman\"}}";
    for (const auto &[path, bytes] :
        { std::pair { broken, brokenBytes }, std::pair { foreign, foreignBytes } }) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    CollectionStore store(dir);
    QCOMPARE(store.rowCount(), 0);
    const QStringList errors = store.loadErrors();
    QCOMPARE(errors.size(), 2);
    QVERIFY2(
        errors.at(0).startsWith(QStringLiteral("broken.json: not valid JSON")), qPrintable(errors.at(0)));
    QVERIFY2(errors.at(1).startsWith(QStringLiteral("foreign.json: not a wstester collection")),
        qPrintable(errors.at(1)));
    // A new collection with the same name goes into another file; the damaged one stays as it was.
    QVERIFY(!store.addCollection(QStringLiteral("broken")).isEmpty());
    QCOMPARE(store.collections().at(0)->fileName, QStringLiteral("broken-2.json"));
    QCOMPARE(read(broken), brokenBytes);
    QCOMPARE(read(foreign), foreignBytes);
}

void tst_CollectionStore::secretsMaskedButVariablesKept()
{
    const QString dir = folder("secrets");
    CollectionStore store(dir);
    const QString collection = store.addCollection(QStringLiteral("Secrets"));
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:1/"));
    options.headers = { { "Authorization", "Bearer literal-token-123" }, { "Cookie", "{{session_cookie}}" },
        { "Proxy-Authorization", "Basic {{proxy_auth}}" }, { "X-Api", "visible" } };
    options.clientKeyPassphrase = QByteArrayLiteral("key-pass-456");
    options.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("proxy.local"), 3128,
        QStringLiteral("me"), QStringLiteral("proxy-pass-789"));
    QStringList masked;
    const QString id = store.addConnection(
        collection, QStringLiteral("Secret"), ClientSettingsJson::toJson(options), {}, &masked);
    QVERIFY(!id.isEmpty());
    QCOMPARE(masked,
        (QStringList { QStringLiteral("headers.Authorization"), QStringLiteral("clientKeyPassphrase"),
            QStringLiteral("proxy.password") }));
    const QByteArray file = read(QDir(dir).filePath(QStringLiteral("secrets.json")));
    QVERIFY(!file.contains("literal-token-123"));
    QVERIFY(!file.contains("key-pass-456"));
    QVERIFY(!file.contains("proxy-pass-789"));
    QVERIFY(file.contains("{{session_cookie}}"));
    QVERIFY(file.contains("Basic {{proxy_auth}}"));
    QVERIFY(file.contains("visible"));

    // Updating the entry masks the same way.
    options.headers = { { "authorization", "other-secret-000" } };
    QVERIFY(store.updateEntry(id, ClientSettingsJson::toJson(options), {}, &masked));
    QVERIFY(masked.contains(QStringLiteral("headers.authorization")));
    QVERIFY(!read(QDir(dir).filePath(QStringLiteral("secrets.json"))).contains("other-secret-000"));
}

void tst_CollectionStore::variableOnlyValues()
{
    QVERIFY(Collection::refersOnlyToVariables(QStringLiteral("{{token}}")));
    QVERIFY(Collection::refersOnlyToVariables(QStringLiteral(" {{ token }} ")));
    QVERIFY(Collection::refersOnlyToVariables(QStringLiteral("Bearer {{token}}")));
    QVERIFY(Collection::refersOnlyToVariables(QStringLiteral("{{a}}{{b.c}}")));
    QVERIFY(!Collection::refersOnlyToVariables(QStringLiteral("Bearer abc{{token}}")));
    QVERIFY(!Collection::refersOnlyToVariables(QStringLiteral("{{token}} abc")));
    QVERIFY(!Collection::refersOnlyToVariables(QStringLiteral("Bearer abc")));
    QVERIFY(!Collection::refersOnlyToVariables(QStringLiteral("{{a b}}")));
    QVERIFY(!Collection::refersOnlyToVariables(QString()));
}

void tst_CollectionStore::duplicateRenameMoveRemoveRestore()
{
    const QString dir = folder("edits");
    CollectionStore store(dir);
    QAbstractItemModelTester tester(&store, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString collection = store.addCollection(QStringLiteral("Edits"));
    const QString a = store.addFolder(collection, QStringLiteral("A"));
    const QString b = store.addFolder(collection, QStringLiteral("B"));
    const QString entry
        = store.addConnection(a, QStringLiteral("One"), clientSettings(QStringLiteral("ws://one/")), {});
    const QString copy = store.duplicate(entry);
    QVERIFY(!copy.isEmpty() && copy != entry);
    QCOMPARE(store.item(copy)->name, QStringLiteral("One copy"));
    QCOMPARE(store.item(copy)->settings, store.item(entry)->settings);
    QVERIFY(store.rename(copy, QStringLiteral("Two")));
    QVERIFY(store.move(copy, b));
    QCOMPARE(store.item(copy)->parent->id, b);
    QVERIFY(!store.move(a, a)); // not into itself
    const QString inner = store.addFolder(a, QStringLiteral("Inner"));
    QVERIFY(!store.move(a, inner)); // nor into its own child

    CollectionStore::Removed removed;
    QVERIFY(store.remove(a, &removed));
    QVERIFY(!store.item(entry));
    QVERIFY(store.restore(removed));
    QCOMPARE(store.item(entry)->parent->id, a);
    QCOMPARE(store.item(a)->row(), 0);

    CollectionStore again(dir);
    QCOMPARE(again.item(copy)->name, QStringLiteral("Two"));
    QCOMPARE(again.item(copy)->parent->id, b);
    QCOMPARE(again.item(entry)->parent->id, a);

    // A whole collection goes with its file, and comes back.
    QVERIFY(store.remove(collection, &removed));
    QVERIFY(!QFile::exists(QDir(dir).filePath(QStringLiteral("edits.json"))));
    QVERIFY(store.restore(removed));
    QVERIFY(QFile::exists(QDir(dir).filePath(QStringLiteral("edits.json"))));
}

void tst_CollectionStore::dragMimeMovesBetweenFolders()
{
    CollectionStore store(folder("drag"));
    QAbstractItemModelTester tester(&store, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString collection = store.addCollection(QStringLiteral("Drag"));
    const QString a = store.addFolder(collection, QStringLiteral("A"));
    const QString b = store.addFolder(collection, QStringLiteral("B"));
    const QString entry
        = store.addConnection(a, QStringLiteral("E"), clientSettings(QStringLiteral("ws://e/")), {});
    std::unique_ptr<QMimeData> mime(store.mimeData({ store.indexOf(entry) }));
    QVERIFY(mime);
    QVERIFY(store.canDropMimeData(mime.get(), Qt::MoveAction, -1, 0, store.indexOf(b)));
    QVERIFY(!store.canDropMimeData(mime.get(), Qt::MoveAction, -1, 0, store.indexOf(entry)));
    store.dropMimeData(mime.get(), Qt::MoveAction, -1, 0, store.indexOf(b));
    QCOMPARE(store.item(entry)->parent->id, b);
    std::unique_ptr<QMimeData> folderMime(store.mimeData({ store.indexOf(a) }));
    QVERIFY(!store.canDropMimeData(folderMime.get(), Qt::MoveAction, -1, 0, store.indexOf(a)));
}

void tst_CollectionStore::importAndExport()
{
    CollectionStore store(folder("export"));
    const QString collection = store.addCollection(QStringLiteral("Shared"));
    const QString entry
        = store.addConnection(collection, QStringLiteral("E"), clientSettings(QStringLiteral("ws://e/")), {});
    const QString exported = m_dir.filePath(QStringLiteral("elsewhere/shared-export.json"));
    QVERIFY(QDir().mkpath(QFileInfo(exported).path()));
    QVERIFY2(store.exportFile(entry, exported), qPrintable(store.lastError()));

    // Into another folder: the same ids. Into the same one again: new ids, another file.
    CollectionStore other(folder("import"));
    const QString imported = other.importFile(exported);
    QCOMPARE(imported, collection);
    QVERIFY(other.item(entry));
    const QString twice = other.importFile(exported);
    QVERIFY(!twice.isEmpty() && twice != collection);
    QCOMPARE(other.collections().size(), 2);
    QCOMPARE(other.collections().at(1)->fileName, QStringLiteral("shared-2.json"));
    QCOMPARE(CollectionStore(folder("import")).collections().size(), 2);

    const QString bad = m_dir.filePath(QStringLiteral("elsewhere/bad.json"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[1, 2");
    file.close();
    QVERIFY(other.importFile(bad).isEmpty());
    QVERIFY2(other.lastError().contains(QStringLiteral("not valid JSON")), qPrintable(other.lastError()));
}

void tst_CollectionStore::migrateProfilesOnce()
{
    AppSettings settings(m_dir.filePath(QStringLiteral("settings.ini")));
    QJsonObject withSecret = clientSettings(QStringLiteral("ws://profile/"));
    withSecret.insert(QStringLiteral("headers"),
        QJsonArray { QJsonValue(
            QJsonArray { QStringLiteral("Authorization"), QStringLiteral("Bearer profile-secret") }) });
    ConnectionProfile::store(&settings,
        { { QStringLiteral("Local"), clientSettings(QStringLiteral("ws://127.0.0.1:1/")) },
            { QStringLiteral("Prod"), withSecret } });
    const QString dir = folder("migrate");
    CollectionStore store(dir);
    QStringList masked;
    QCOMPARE(store.migrateProfiles(&settings, &masked), 2);
    QCOMPARE(masked, QStringList { QStringLiteral("Prod") });
    QCOMPARE(store.collections().size(), 1);
    const CollectionItem *profiles = store.collections().at(0);
    QCOMPARE(profiles->name, QStringLiteral("Profiles"));
    QCOMPARE(int(profiles->children.size()), 2);
    QCOMPARE(profiles->children[1]->name, QStringLiteral("Prod"));
    QVERIFY(!read(QDir(dir).filePath(profiles->fileName)).contains("profile-secret"));
    // The old key is left as it was (a backup); the migration does not run again.
    QCOMPARE(ConnectionProfile::load(&settings).size(), 2);
    QVERIFY(settings.profilesMigrated());
    QCOMPARE(store.migrateProfiles(&settings), 0);
    CollectionStore again(dir);
    QCOMPARE(again.migrateProfiles(&settings), 0);
    QCOMPARE(again.collections().size(), 1);
}

void tst_CollectionStore::importPostmanCollection()
{
    const QString dir = folder("postman");
    CollectionStore store(dir);
    const QString id
        = store.importFile(QStringLiteral(WST_TEST_DATA "/postman-websocket.postman_collection.json"));
    QVERIFY2(!id.isEmpty(), qPrintable(store.lastError()));
    const CollectionItem *collection = store.item(id);
    QCOMPARE(collection->name, QStringLiteral("Realtime API"));
    // The folder with a WebSocket request and the request at the top; HTTP requests and a
    // folder of only HTTP requests are left out.
    QCOMPARE(int(collection->children.size()), 2);
    const CollectionItem *streams = collection->children[0].get();
    QCOMPARE(streams->kind, CollectionItem::Kind::Folder);
    QCOMPARE(int(streams->children.size()), 1);
    const CollectionItem *ticker = streams->children[0].get();
    QCOMPARE(ticker->kind, CollectionItem::Kind::Connection);
    QCOMPARE(ticker->name, QStringLiteral("Ticker"));
    QString error;
    const ConnectionOptions options = ClientSettingsJson::fromJson(ticker->settings, &error);
    QCOMPARE(ticker->settings.value(QStringLiteral("url")).toString(),
        QStringLiteral("wss://{{host}}/ticker?pair=btc"));
    QCOMPARE(
        options.headers, (HeaderList { { "X-Client", "postman" }, { "Authorization", "Bearer {{token}}" } }));
    QCOMPARE(collection->children[1]->name, QStringLiteral("Echo"));
    // Its literal secrets stay out of the file like any other.
    const QByteArray file = read(QDir(dir).filePath(collection->fileName));
    QVERIFY(!file.contains("literal-postman-secret"));
    QVERIFY(file.contains("Bearer {{token}}"));
    QCOMPARE(QJsonDocument::fromJson(file).object().value(QStringLiteral("format")).toString(),
        QStringLiteral("wstester-collection"));

    // Postman without a WebSocket request: one line that says so.
    const QString http = m_dir.filePath(QStringLiteral("http-only.json"));
    QFile out(http);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(
        R"({"info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
                 "item": [{"name": "h", "request": {"url": "https://example.com/"}}]})");
    out.close();
    QVERIFY(store.importFile(http).isEmpty());
    QVERIFY2(store.lastError().contains(QStringLiteral("without WebSocket requests")),
        qPrintable(store.lastError()));
}

QTEST_GUILESS_MAIN(tst_CollectionStore)
#include "tst_CollectionStore.moc"
