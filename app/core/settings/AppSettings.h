#pragma once

#include <QByteArray>
#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

// Every setting, once: X(Key, getter, setter, type, name in the file, default). The enum, the
// typed getter, setter, changed signal and property of each key are generated from this table
// (like NotepadNext's DEFINE_SETTING); adding a setting is adding a line here.
#define WST_APP_SETTINGS(X)                                                                                  \
    X(Language, language, setLanguage, QString, "ui/language", QString())                                    \
    X(Theme, theme, setTheme, QString, "ui/theme", QStringLiteral("system"))                                 \
    X(RecentUrls, recentUrls, setRecentUrls, QStringList, "client/recentUrls", QStringList())                \
    X(WindowGeometry, windowGeometry, setWindowGeometry, QByteArray, "window/geometry", QByteArray())        \
    X(WindowState, windowState, setWindowState, QByteArray, "window/state", QByteArray())                    \
    X(HistorySplitterState, historySplitterState, setHistorySplitterState, QByteArray,                       \
        "window/historySplitter", QByteArray())                                                              \
    X(FirstRunDone, firstRunDone, setFirstRunDone, bool, "app/firstRunDone", false)                          \
    X(Profiles, profilesJson, setProfilesJson, QString, "client/profiles", QStringLiteral("[]"))             \
    X(ProfilesMigrated, profilesMigrated, setProfilesMigrated, bool, "client/profilesMigrated", false)       \
    X(RecentSessions, recentSessions, setRecentSessions, QStringList, "session/recent", QStringList())       \
    X(GlobalSavedMessages, globalSavedMessagesJson, setGlobalSavedMessagesJson, QString,                     \
        "client/globalSavedMessages", QStringLiteral("[]"))                                                  \
    X(HistoryMemoryMiB, historyMemoryMiB, setHistoryMemoryMiB, int, "session/historyMemoryMiB", 256)

#define WST_SETTING_ENUM(Key_, getter, setter, Type, name, def) Key_,
#define WST_SETTING_PROPERTY(Key, getter, setter, Type, name, def)                                           \
    Q_PROPERTY(Type getter READ getter WRITE setter NOTIFY getter##Changed)
#define WST_SETTING_ACCESSORS(Key, getter, setter, Type, name, def)                                          \
    Type getter() const;                                                                                     \
    void setter(const Type &value);
#define WST_SETTING_SIGNAL(Key, getter, setter, Type, name, def) void getter##Changed(const Type &value);

namespace wst {

// The type of a key's value, for the typed get<Key>() and set<Key>(); specialised below.
template <auto K> struct AppSettingType;

// The user's preferences, typed: a getter, a setter, a changed signal and a property per key,
// all generated from the one table above. Some keys keep their values in shape (recent URLs
// and sessions without blanks or duplicates and capped; the language trimmed), on reading and
// on writing alike. The app uses instance(); tests build their own on a temporary file and
// install it with setInstance().
class AppSettings : public QObject
{
    Q_OBJECT
    WST_APP_SETTINGS(WST_SETTING_PROPERTY)
public:
    enum class Key { WST_APP_SETTINGS(WST_SETTING_ENUM) };
    Q_ENUM(Key)

    static constexpr int MaxRecentUrls = 20;
    static constexpr int MaxRecentSessions = 10;
    // historyMemoryMiB: payload memory per tab before the oldest recorded payloads are read back
    // from the session file instead; kept within these bounds.
    static constexpr int MinHistoryMemoryMiB = 32;
    static constexpr int MaxHistoryMemoryMiB = 65536;

    // Settings in the platform's usual place for organisation/application "wstester".
    explicit AppSettings(QObject *parent = nullptr);
    // Settings in an INI file at this path (created when first written).
    explicit AppSettings(const QString &fileName, QObject *parent = nullptr);
    ~AppSettings() override;

    // The process-wide settings: the one installed with setInstance(), or else one in the
    // usual place, made on first use (after QCoreApplication's names are set).
    static AppSettings *instance();
    // Not owned; pass nullptr to go back to the default.
    static void setInstance(AppSettings *settings);

    // language: "" follows the system; otherwise a locale name such as "en" or "zh_CN".
    // theme: "system", "light" or "dark" (anything else reads as "system").
    // recentUrls: most recent first, no duplicates, at most MaxRecentUrls.
    // historySplitterState: the client tab's splitter between history and composer.
    // firstRunDone: false until the window has opened once (the first launch sets up a local
    //   echo server and a client connected to it).
    // recentSessions: session files saved or opened, most recent first, at most MaxRecentSessions.
    // profilesJson: [{"name": …, "settings": {…}}] (see ConnectionProfile); read once, when
    //   profilesMigrated is still false, into the collection "Profiles" (CollectionStore), then
    //   left as it was (a backup that keeps the literal secrets the collection file leaves out).
    // globalSavedMessagesJson: the saved messages every connection shares (see SavedMessageList).
    WST_APP_SETTINGS(WST_SETTING_ACCESSORS)

    void addRecentUrl(const QString &url);
    void clearRecentUrls();
    void addRecentSession(const QString &path);
    void removeRecentSession(const QString &path);

    // Typed access by key: get<AppSettings::Key::Language>() is a QString.
    template <Key K> typename AppSettingType<K>::type get() const;
    template <Key K> void set(const typename AppSettingType<K>::type &value);

    // Untyped access by key, for code that iterates the table.
    static QList<Key> keys();
    static QString keyName(Key key);
    // The name of the key's property and, with "Changed", of its signal: "language".
    static const char *propertyName(Key key);
    static QVariant defaultValue(Key key);
    QVariant value(Key key) const;
    // Stores the value in the key's type; returns whether it changed (and signals if so).
    bool setValue(Key key, const QVariant &value);
    void reset(Key key);

    QString fileName() const;
    void sync();

Q_SIGNALS:
    WST_APP_SETTINGS(WST_SETTING_SIGNAL)
    // Any key; emitted after the key's own signal.
    void valueChanged(wst::AppSettings::Key key);

private:
    void emitChanged(Key key);

    std::unique_ptr<QSettings> m_settings;
};

#undef WST_SETTING_ENUM
#undef WST_SETTING_PROPERTY
#undef WST_SETTING_ACCESSORS
#undef WST_SETTING_SIGNAL

#define WST_SETTING_TYPE(Key_, getter, setter, Type, name, def)                                              \
    template <> struct AppSettingType<AppSettings::Key::Key_>                                                \
    {                                                                                                        \
        using type = Type;                                                                                   \
    };
WST_APP_SETTINGS(WST_SETTING_TYPE)
#undef WST_SETTING_TYPE

template <AppSettings::Key K> typename AppSettingType<K>::type AppSettings::get() const
{
    return value(K).template value<typename AppSettingType<K>::type>();
}

template <AppSettings::Key K> void AppSettings::set(const typename AppSettingType<K>::type &value)
{
    setValue(K, QVariant::fromValue(value));
}

} // namespace wst
