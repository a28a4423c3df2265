#include "settings/AppSettings.h"

#include <QMetaProperty>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using wst::AppSettings;

class tst_AppSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void historyMemoryStaysInBounds();
    void init();
    void defaults();
    void roundTripThroughFile();
    void recentUrlsOrderDedupAndCap();
    void recentUrlsNormalisedOnRead();
    void signalsOnlyOnChange();
    void resetGoesBackToDefault();
    void processWideInstance();
    void everyKeyRoundTripsAndSignals_data();
    void everyKeyRoundTripsAndSignals();
    void typedAccess();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("settings.ini")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_AppSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_AppSettings::defaults()
{
    AppSettings s(path());
    QCOMPARE(s.language(), QString());
    QCOMPARE(s.recentUrls(), QStringList());
    QCOMPARE(s.windowGeometry(), QByteArray());
    QCOMPARE(s.windowState(), QByteArray());
    QCOMPARE(s.historySplitterState(), QByteArray());
    QCOMPARE(s.firstRunDone(), false);
    QCOMPARE(
        s.value(AppSettings::Key::FirstRunDone), AppSettings::defaultValue(AppSettings::Key::FirstRunDone));
    QCOMPARE(s.fileName(), path());
    // Every key of the enum has a row in the table, with a distinct name.
    QSet<QString> names;
    const QMetaEnum keys = QMetaEnum::fromType<AppSettings::Key>();
    for (int i = 0; i < keys.keyCount(); ++i)
        names.insert(AppSettings::keyName(AppSettings::Key(keys.value(i))));
    QCOMPARE(names.size(), keys.keyCount());
}

void tst_AppSettings::roundTripThroughFile()
{
    const QByteArray geometry("\x01\x02\x00\xff geometry", 13);
    {
        AppSettings s(path());
        s.setLanguage(QStringLiteral("zh_CN"));
        s.setRecentUrls({ QStringLiteral("ws://a/"), QStringLiteral("wss://b/x") });
        s.setWindowGeometry(geometry);
        s.setWindowState(QByteArrayLiteral("state"));
        s.setHistorySplitterState(QByteArrayLiteral("split"));
        s.setFirstRunDone(true);
        s.sync();
    }
    QVERIFY(QFile::exists(path()));
    AppSettings t(path());
    QCOMPARE(t.language(), QStringLiteral("zh_CN"));
    QCOMPARE(t.recentUrls(), (QStringList { QStringLiteral("ws://a/"), QStringLiteral("wss://b/x") }));
    QCOMPARE(t.windowGeometry(), geometry);
    QCOMPARE(t.windowState(), QByteArrayLiteral("state"));
    QCOMPARE(t.historySplitterState(), QByteArrayLiteral("split"));
    QCOMPARE(t.firstRunDone(), true);

    // A one-element list survives the INI format too (it is written as a plain string).
    t.setRecentUrls({ QStringLiteral("ws://only/") });
    t.sync();
    AppSettings u(path());
    QCOMPARE(u.recentUrls(), QStringList { QStringLiteral("ws://only/") });
}

void tst_AppSettings::recentUrlsOrderDedupAndCap()
{
    AppSettings s(path());
    s.addRecentUrl(QStringLiteral("ws://one/"));
    s.addRecentUrl(QStringLiteral("ws://two/"));
    s.addRecentUrl(QStringLiteral("ws://three/"));
    QCOMPARE(s.recentUrls(),
        (QStringList {
            QStringLiteral("ws://three/"), QStringLiteral("ws://two/"), QStringLiteral("ws://one/") }));

    // Using one again moves it to the front instead of adding a copy.
    s.addRecentUrl(QStringLiteral("  ws://one/ "));
    QCOMPARE(s.recentUrls(),
        (QStringList {
            QStringLiteral("ws://one/"), QStringLiteral("ws://three/"), QStringLiteral("ws://two/") }));

    s.addRecentUrl(QString());
    QCOMPARE(s.recentUrls().size(), 3);

    for (int i = 0; i < 30; ++i)
        s.addRecentUrl(QStringLiteral("ws://h%1/").arg(i));
    const QStringList urls = s.recentUrls();
    QCOMPARE(urls.size(), AppSettings::MaxRecentUrls);
    QCOMPARE(urls.first(), QStringLiteral("ws://h29/"));
    QCOMPARE(urls.last(), QStringLiteral("ws://h10/"));

    s.setRecentUrls({ QStringLiteral("ws://x/"), QStringLiteral("ws://x/"), QStringLiteral("ws://y/") });
    QCOMPARE(s.recentUrls(), (QStringList { QStringLiteral("ws://x/"), QStringLiteral("ws://y/") }));

    s.clearRecentUrls();
    QCOMPARE(s.recentUrls(), QStringList());
}

void tst_AppSettings::recentUrlsNormalisedOnRead()
{
    // A file edited by hand (or by an older version) with duplicates and too many entries.
    {
        QSettings raw(path(), QSettings::IniFormat);
        QStringList urls;
        for (int i = 0; i < 25; ++i)
            urls << QStringLiteral("ws://h%1/").arg(i) << QStringLiteral("ws://h0/");
        raw.setValue(AppSettings::keyName(AppSettings::Key::RecentUrls), urls);
    }
    AppSettings s(path());
    const QStringList urls = s.recentUrls();
    QCOMPARE(urls.size(), AppSettings::MaxRecentUrls);
    QCOMPARE(urls.count(QStringLiteral("ws://h0/")), 1);
    QCOMPARE(urls.at(1), QStringLiteral("ws://h1/"));
}

void tst_AppSettings::signalsOnlyOnChange()
{
    AppSettings s(path());
    QSignalSpy language(&s, &AppSettings::languageChanged);
    QSignalSpy recent(&s, &AppSettings::recentUrlsChanged);
    QSignalSpy geometry(&s, &AppSettings::windowGeometryChanged);
    QSignalSpy state(&s, &AppSettings::windowStateChanged);
    QSignalSpy splitter(&s, &AppSettings::historySplitterStateChanged);
    QSignalSpy firstRun(&s, &AppSettings::firstRunDoneChanged);
    QSignalSpy any(&s, &AppSettings::valueChanged);

    s.setLanguage(QStringLiteral("en"));
    QCOMPARE(language.size(), 1);
    QCOMPARE(language.at(0).at(0).toString(), QStringLiteral("en"));
    s.setLanguage(QStringLiteral("en"));
    QCOMPARE(language.size(), 1);

    s.addRecentUrl(QStringLiteral("ws://a/"));
    QCOMPARE(recent.size(), 1);
    QCOMPARE(recent.at(0).at(0).toStringList(), QStringList { QStringLiteral("ws://a/") });
    s.addRecentUrl(QStringLiteral("ws://a/")); // already first: nothing changes
    QCOMPARE(recent.size(), 1);

    s.setWindowGeometry(QByteArrayLiteral("g"));
    s.setWindowState(QByteArrayLiteral("s"));
    s.setHistorySplitterState(QByteArrayLiteral("p"));
    s.setFirstRunDone(true);
    s.setFirstRunDone(true);
    QCOMPARE(geometry.size(), 1);
    QCOMPARE(state.size(), 1);
    QCOMPARE(splitter.size(), 1);
    QCOMPARE(firstRun.size(), 1);
    QCOMPARE(firstRun.at(0).at(0).toBool(), true);
    QCOMPARE(any.size(), 6);
    QCOMPARE(any.last().at(0).value<AppSettings::Key>(), AppSettings::Key::FirstRunDone);
}

void tst_AppSettings::resetGoesBackToDefault()
{
    AppSettings s(path());
    s.setLanguage(QStringLiteral("zh_CN"));
    QSignalSpy language(&s, &AppSettings::languageChanged);
    s.reset(AppSettings::Key::Language);
    QCOMPARE(s.language(), QString());
    QCOMPARE(language.size(), 1);
    s.reset(AppSettings::Key::Language);
    QCOMPARE(language.size(), 1);
}

void tst_AppSettings::historyMemoryStaysInBounds()
{
    AppSettings s(path());
    QCOMPARE(s.historyMemoryMiB(), 256);
    s.setHistoryMemoryMiB(1);
    QCOMPARE(s.historyMemoryMiB(), AppSettings::MinHistoryMemoryMiB);
    s.setHistoryMemoryMiB(1 << 30);
    QCOMPARE(s.historyMemoryMiB(), AppSettings::MaxHistoryMemoryMiB);
    // A file edited by hand.
    QSettings(path(), QSettings::IniFormat)
        .setValue(QStringLiteral("session/historyMemoryMiB"), QStringLiteral("lots"));
    QCOMPARE(AppSettings(path()).historyMemoryMiB(), 256);
}

void tst_AppSettings::processWideInstance()
{
    auto *mine = new AppSettings(path(), this);
    AppSettings::setInstance(mine);
    QCOMPARE(AppSettings::instance(), mine);
    AppSettings::setInstance(nullptr);
    QVERIFY(AppSettings::instance() != mine);
    QVERIFY(AppSettings::instance() != nullptr);
    // The installed pointer is weak: a deleted instance is never handed out.
    AppSettings::setInstance(mine);
    delete mine;
    QVERIFY(AppSettings::instance() != nullptr);
}

void tst_AppSettings::everyKeyRoundTripsAndSignals_data()
{
    QTest::addColumn<AppSettings::Key>("key");
    QTest::addColumn<QVariant>("sample"); // a value other than the default, already in normal form
    const QMetaEnum names = QMetaEnum::fromType<AppSettings::Key>();
    QCOMPARE(AppSettings::keys().size(), names.keyCount());
    for (AppSettings::Key key : AppSettings::keys()) {
        const QVariant def = AppSettings::defaultValue(key);
        QVariant sample;
        switch (def.metaType().id()) {
        case QMetaType::QString:
            // The theme is one of three names (anything else reads as its default).
            sample = key == AppSettings::Key::Theme ? QStringLiteral("dark")
                                                    : QStringLiteral("sample \u00e9 %1").arg(int(key));
            break;
        case QMetaType::QStringList:
            sample = QStringList { QStringLiteral("ws://one/"), QStringLiteral("/tmp/two \u00e9") };
            break;
        case QMetaType::QByteArray:
            sample = QByteArray("\x00\xff sample", 9);
            break;
        case QMetaType::Bool:
            sample = !def.toBool();
            break;
        case QMetaType::Int:
            sample = def.toInt() + 1;
            break;
        default:
            QFAIL(qPrintable(QStringLiteral("no sample for the type of %1").arg(AppSettings::keyName(key))));
        }
        QTest::newRow(names.valueToKey(int(key))) << key << sample;
    }
}

// Each key of the table has a property with a change signal, keeps a value through the file,
// signals once per change (its own signal and valueChanged) and goes back to its default.
void tst_AppSettings::everyKeyRoundTripsAndSignals()
{
    QFETCH(AppSettings::Key, key);
    QFETCH(QVariant, sample);
    AppSettings s(path());
    const QMetaObject *meta = s.metaObject();
    const QMetaProperty property = meta->property(meta->indexOfProperty(AppSettings::propertyName(key)));
    QVERIFY2(property.isValid(), AppSettings::propertyName(key));
    QVERIFY(property.isWritable());
    QVERIFY(property.hasNotifySignal());
    QCOMPARE(property.notifySignal().name(), QByteArray(AppSettings::propertyName(key)) + "Changed");
    QCOMPARE(property.read(&s), AppSettings::defaultValue(key));

    QSignalSpy own(&s, property.notifySignal());
    QSignalSpy any(&s, &AppSettings::valueChanged);
    QVERIFY(property.write(&s, sample));
    QCOMPARE(own.size(), 1);
    QCOMPARE(own.at(0).at(0), sample);
    QCOMPARE(any.size(), 1);
    QCOMPARE(any.at(0).at(0).value<AppSettings::Key>(), key);
    QCOMPARE(property.read(&s), sample);
    QCOMPARE(s.value(key), sample);
    QVERIFY(!s.setValue(key, sample)); // the same value again: no change, no signal
    QCOMPARE(own.size(), 1);
    s.sync();

    {
        AppSettings again(path());
        QCOMPARE(again.value(key), sample);
        QCOMPARE(property.read(&again), sample);
    }

    s.reset(key);
    QCOMPARE(own.size(), 2);
    QCOMPARE(any.size(), 2);
    QCOMPARE(s.value(key), AppSettings::defaultValue(key));
}

void tst_AppSettings::typedAccess()
{
    AppSettings s(path());
    static_assert(std::is_same_v<decltype(s.get<AppSettings::Key::FirstRunDone>()), bool>);
    static_assert(std::is_same_v<decltype(s.get<AppSettings::Key::RecentUrls>()), QStringList>);
    QSignalSpy done(&s, &AppSettings::firstRunDoneChanged);
    s.set<AppSettings::Key::FirstRunDone>(true);
    QCOMPARE(s.firstRunDone(), true);
    QCOMPARE(done.size(), 1);
    s.set<AppSettings::Key::Language>(QStringLiteral("  zh_CN "));
    QCOMPARE(s.get<AppSettings::Key::Language>(), QStringLiteral("zh_CN"));
    QCOMPARE(s.language(), QStringLiteral("zh_CN"));
    // The theme is one of three names; what a hand-edited file has besides reads as "system".
    QCOMPARE(s.theme(), QStringLiteral("system"));
    s.setTheme(QStringLiteral(" Dark "));
    QCOMPARE(s.theme(), QStringLiteral("dark"));
    s.setTheme(QStringLiteral("solarized"));
    QCOMPARE(s.theme(), QStringLiteral("system"));
}

QTEST_GUILESS_MAIN(tst_AppSettings)
#include "tst_AppSettings.moc"
