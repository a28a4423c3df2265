#include "AppSettings.h"

#include <QPointer>

#include <array>

namespace wst {

namespace {

struct Entry
{
    AppSettings::Key key;
    QLatin1String name;
    QVariant defaultValue;
};

// Every key and its default, in one place.
const std::array<Entry, 9> &table()
{
    using K = AppSettings::Key;
    static const std::array<Entry, 9> entries { {
        { K::Language, QLatin1String("ui/language"), QVariant(QString()) },
        { K::RecentUrls, QLatin1String("client/recentUrls"), QVariant(QStringList()) },
        { K::WindowGeometry, QLatin1String("window/geometry"), QVariant(QByteArray()) },
        { K::WindowState, QLatin1String("window/state"), QVariant(QByteArray()) },
        { K::HistorySplitterState, QLatin1String("window/historySplitter"), QVariant(QByteArray()) },
        { K::LastComposerMode, QLatin1String("composer/lastMode"), QVariant(QStringLiteral("text")) },
        { K::FirstRunDone, QLatin1String("app/firstRunDone"), QVariant(false) },
        { K::Profiles, QLatin1String("client/profiles"), QVariant(QStringLiteral("[]")) },
        { K::GlobalSavedMessages, QLatin1String("client/globalSavedMessages"), QVariant(QStringLiteral("[]")) },
    } };
    return entries;
}

const Entry &entry(AppSettings::Key key)
{
    for (const Entry &e : table()) {
        if (e.key == key)
            return e;
    }
    Q_UNREACHABLE();
}

QPointer<AppSettings> &installed()
{
    static QPointer<AppSettings> settings;
    return settings;
}

std::unique_ptr<AppSettings> &fallback()
{
    static std::unique_ptr<AppSettings> settings;
    return settings;
}

QStringList normalisedUrls(const QStringList &urls)
{
    QStringList out;
    for (const QString &url : urls) {
        const QString trimmed = url.trimmed();
        if (!trimmed.isEmpty() && !out.contains(trimmed))
            out.append(trimmed);
        if (out.size() == AppSettings::MaxRecentUrls)
            break;
    }
    return out;
}

} // namespace

AppSettings::AppSettings(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{
}

AppSettings::AppSettings(const QString &fileName, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

AppSettings::~AppSettings() = default;

AppSettings *AppSettings::instance()
{
    if (installed())
        return installed();
    if (!fallback())
        fallback() = std::make_unique<AppSettings>();
    return fallback().get();
}

void AppSettings::setInstance(AppSettings *settings)
{
    installed() = settings;
}

QString AppSettings::keyName(Key key)
{
    return entry(key).name;
}

QVariant AppSettings::defaultValue(Key key)
{
    return entry(key).defaultValue;
}

QVariant AppSettings::value(Key key) const
{
    const Entry &e = entry(key);
    QVariant v = m_settings->value(e.name, e.defaultValue);
    // INI files keep no types: give every key back in the type of its default.
    if (!v.isValid())
        return e.defaultValue;
    if (v.metaType() != e.defaultValue.metaType()) {
        if (e.defaultValue.metaType().id() == QMetaType::QStringList)
            return v.toStringList();
        if (!v.convert(e.defaultValue.metaType()))
            return e.defaultValue;
    }
    return v;
}

bool AppSettings::store(Key key, const QVariant &value)
{
    if (this->value(key) == value)
        return false;
    m_settings->setValue(entry(key).name, value);
    emitChanged(key);
    return true;
}

void AppSettings::reset(Key key)
{
    const QVariant before = value(key);
    m_settings->remove(entry(key).name);
    if (before != value(key))
        emitChanged(key);
}

void AppSettings::emitChanged(Key key)
{
    switch (key) {
    case Key::Language:
        Q_EMIT languageChanged(language());
        break;
    case Key::RecentUrls:
        Q_EMIT recentUrlsChanged(recentUrls());
        break;
    case Key::WindowGeometry:
        Q_EMIT windowGeometryChanged(windowGeometry());
        break;
    case Key::WindowState:
        Q_EMIT windowStateChanged(windowState());
        break;
    case Key::HistorySplitterState:
        Q_EMIT historySplitterStateChanged(historySplitterState());
        break;
    case Key::LastComposerMode:
        Q_EMIT lastComposerModeChanged(lastComposerMode());
        break;
    case Key::FirstRunDone:
        Q_EMIT firstRunDoneChanged(firstRunDone());
        break;
    case Key::Profiles:
        Q_EMIT profilesJsonChanged(profilesJson());
        break;
    case Key::GlobalSavedMessages:
        Q_EMIT globalSavedMessagesJsonChanged(globalSavedMessagesJson());
        break;
    }
    Q_EMIT valueChanged(key);
}

QString AppSettings::language() const
{
    return value(Key::Language).toString();
}

void AppSettings::setLanguage(const QString &language)
{
    store(Key::Language, language.trimmed());
}

QStringList AppSettings::recentUrls() const
{
    return normalisedUrls(value(Key::RecentUrls).toStringList());
}

void AppSettings::setRecentUrls(const QStringList &urls)
{
    store(Key::RecentUrls, normalisedUrls(urls));
}

void AppSettings::addRecentUrl(const QString &url)
{
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty())
        return;
    QStringList urls = recentUrls();
    urls.removeAll(trimmed);
    urls.prepend(trimmed);
    setRecentUrls(urls);
}

void AppSettings::clearRecentUrls()
{
    store(Key::RecentUrls, QStringList());
}

QByteArray AppSettings::windowGeometry() const
{
    return value(Key::WindowGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    store(Key::WindowGeometry, geometry);
}

QByteArray AppSettings::windowState() const
{
    return value(Key::WindowState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    store(Key::WindowState, state);
}

QByteArray AppSettings::historySplitterState() const
{
    return value(Key::HistorySplitterState).toByteArray();
}

void AppSettings::setHistorySplitterState(const QByteArray &state)
{
    store(Key::HistorySplitterState, state);
}

QString AppSettings::lastComposerMode() const
{
    return value(Key::LastComposerMode).toString();
}

void AppSettings::setLastComposerMode(const QString &mode)
{
    store(Key::LastComposerMode, mode);
}

bool AppSettings::firstRunDone() const
{
    return value(Key::FirstRunDone).toBool();
}

void AppSettings::setFirstRunDone(bool done)
{
    store(Key::FirstRunDone, done);
}

QString AppSettings::profilesJson() const
{
    return value(Key::Profiles).toString();
}

void AppSettings::setProfilesJson(const QString &json)
{
    store(Key::Profiles, json);
}

QString AppSettings::globalSavedMessagesJson() const
{
    return value(Key::GlobalSavedMessages).toString();
}

void AppSettings::setGlobalSavedMessagesJson(const QString &json)
{
    store(Key::GlobalSavedMessages, json);
}

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}

void AppSettings::sync()
{
    m_settings->sync();
}

} // namespace wst
