#pragma once

#include <QByteArray>
#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

namespace wst {

// The user's preferences, typed: one getter, one setter and one changed signal per key, with
// every key and its default in one table (AppSettings.cpp). The app uses instance(); tests
// build their own on a temporary file and install it with setInstance().
class AppSettings : public QObject
{
    Q_OBJECT
public:
    enum class Key {
        Language,
        RecentUrls,
        WindowGeometry,
        WindowState,
        HistorySplitterState,
        LastComposerMode,
        FirstRunDone,
        Profiles,
        GlobalSavedMessages,
    };
    Q_ENUM(Key)

    static constexpr int MaxRecentUrls = 20;

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

    // "" follows the system; otherwise a locale name such as "en" or "zh_CN".
    QString language() const;
    void setLanguage(const QString &language);

    // Most recent first, no duplicates, at most MaxRecentUrls.
    QStringList recentUrls() const;
    void setRecentUrls(const QStringList &urls);
    void addRecentUrl(const QString &url);
    void clearRecentUrls();

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    // The client tab's splitter between history and composer.
    QByteArray historySplitterState() const;
    void setHistorySplitterState(const QByteArray &state);

    // The composer's mode as a stable name ("text", "json", "hex", "base64", "file").
    QString lastComposerMode() const;
    void setLastComposerMode(const QString &mode);

    // False until wstester has opened its window once: the first launch sets up a local echo
    // server and a client connected to it.
    bool firstRunDone() const;
    void setFirstRunDone(bool done);

    // Connection profiles as a JSON array [{"name": …, "settings": {…}}] (see ConnectionProfile).
    QString profilesJson() const;
    void setProfilesJson(const QString &json);
    // The saved messages every connection shares, as a JSON array (see SavedMessageList).
    QString globalSavedMessagesJson() const;
    void setGlobalSavedMessagesJson(const QString &json);

    // Generic access by key, for code that iterates the table.
    static QString keyName(Key key);
    static QVariant defaultValue(Key key);
    QVariant value(Key key) const;
    void reset(Key key);

    QString fileName() const;
    void sync();

Q_SIGNALS:
    void languageChanged(const QString &language);
    void recentUrlsChanged(const QStringList &urls);
    void windowGeometryChanged(const QByteArray &geometry);
    void windowStateChanged(const QByteArray &state);
    void historySplitterStateChanged(const QByteArray &state);
    void lastComposerModeChanged(const QString &mode);
    void firstRunDoneChanged(bool done);
    void profilesJsonChanged(const QString &json);
    void globalSavedMessagesJsonChanged(const QString &json);
    // Any key; emitted after the key's own signal.
    void valueChanged(wst::AppSettings::Key key);

private:
    bool store(Key key, const QVariant &value);
    void emitChanged(Key key);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace wst
