#include "AppSettings.h"

#include <QPointer>

namespace wst {

namespace {

struct Entry
{
    AppSettings::Key key;
    QLatin1String name;
    const char *property;
    QVariant defaultValue;
};

const QList<Entry> &table()
{
#define WST_SETTING_ENTRY(Key_, getter, setter, Type, name, def)                                             \
    Entry { AppSettings::Key::Key_, QLatin1String(name), #getter, QVariant::fromValue<Type>(def) },
    static const QList<Entry> entries { WST_APP_SETTINGS(WST_SETTING_ENTRY) };
#undef WST_SETTING_ENTRY
    return entries;
}

const Entry &entry(AppSettings::Key key)
{
    return table().at(qsizetype(key)); // the table is in the enum's order: both come from one list
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

QStringList recentList(const QStringList &items, qsizetype max, bool trim)
{
    QStringList out;
    for (const QString &item : items) {
        const QString trimmed = trim ? item.trimmed() : item;
        if (!trimmed.isEmpty() && !out.contains(trimmed))
            out.append(trimmed);
        if (out.size() == max)
            break;
    }
    return out;
}

// The shape some keys keep, on reading (a file edited by hand) and on writing.
QVariant normalised(AppSettings::Key key, const QVariant &value)
{
    switch (key) {
    case AppSettings::Key::Language:
        return value.toString().trimmed();
    case AppSettings::Key::Theme: {
        const QString theme = value.toString().trimmed().toLower();
        return theme == QLatin1StringView("light") || theme == QLatin1StringView("dark")
            ? theme
            : QStringLiteral("system");
    }
    case AppSettings::Key::RecentUrls:
        return recentList(value.toStringList(), AppSettings::MaxRecentUrls, true);
    case AppSettings::Key::RecentSessions:
        return recentList(value.toStringList(), AppSettings::MaxRecentSessions, false);
    case AppSettings::Key::HistoryMemoryMiB: {
        bool ok = false;
        const int mib = value.toInt(&ok);
        return ok ? qBound(AppSettings::MinHistoryMemoryMiB, mib, AppSettings::MaxHistoryMemoryMiB) : 256;
    }
    default:
        return value;
    }
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

QList<AppSettings::Key> AppSettings::keys()
{
    QList<Key> out;
    for (const Entry &e : table())
        out.append(e.key);
    return out;
}

QString AppSettings::keyName(Key key)
{
    return entry(key).name;
}

const char *AppSettings::propertyName(Key key)
{
    return entry(key).property;
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
            v = v.toStringList();
        else if (!v.convert(e.defaultValue.metaType()))
            return e.defaultValue;
    }
    return normalised(key, v);
}

bool AppSettings::setValue(Key key, const QVariant &value)
{
    const Entry &e = entry(key);
    QVariant v = value;
    if (v.metaType() != e.defaultValue.metaType() && !v.convert(e.defaultValue.metaType()))
        return false;
    v = normalised(key, v);
    if (this->value(key) == v)
        return false;
    m_settings->setValue(e.name, v);
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
#define WST_SETTING_EMIT(Key_, getter, setter, Type, name, def)                                              \
    case Key::Key_:                                                                                          \
        Q_EMIT getter##Changed(getter());                                                                    \
        break;
        WST_APP_SETTINGS(WST_SETTING_EMIT)
#undef WST_SETTING_EMIT
    }
    Q_EMIT valueChanged(key);
}

#define WST_SETTING_DEFINE(Key_, getter, setter, Type, name, def)                                            \
    Type AppSettings::getter() const                                                                         \
    {                                                                                                        \
        return get<Key::Key_>();                                                                             \
    }                                                                                                        \
    void AppSettings::setter(const Type &value)                                                              \
    {                                                                                                        \
        set<Key::Key_>(value);                                                                               \
    }
WST_APP_SETTINGS(WST_SETTING_DEFINE)
#undef WST_SETTING_DEFINE

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
    setRecentUrls({});
}

void AppSettings::addRecentSession(const QString &path)
{
    QStringList files = recentSessions();
    files.removeAll(path);
    files.prepend(path);
    setRecentSessions(files);
}

void AppSettings::removeRecentSession(const QString &path)
{
    QStringList files = recentSessions();
    if (files.removeAll(path) > 0)
        setRecentSessions(files);
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
