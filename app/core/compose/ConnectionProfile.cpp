#include "ConnectionProfile.h"

#include "settings/AppSettings.h"

#include <QJsonDocument>

namespace wst {

QJsonArray ConnectionProfile::listToJson(const QList<ConnectionProfile> &profiles)
{
    QJsonArray array;
    for (const ConnectionProfile &p : profiles)
        array.append(
            QJsonObject { { QStringLiteral("name"), p.name }, { QStringLiteral("settings"), p.settings } });
    return array;
}

QList<ConnectionProfile> ConnectionProfile::listFromJson(const QJsonArray &array)
{
    QList<ConnectionProfile> profiles;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QStringLiteral("name")).toString().trimmed();
        const QJsonValue settings = o.value(QStringLiteral("settings"));
        if (name.isEmpty() || !settings.isObject())
            continue;
        profiles.append({ name, settings.toObject() });
    }
    return profiles;
}

QList<ConnectionProfile> ConnectionProfile::load(const AppSettings *settings)
{
    return listFromJson(QJsonDocument::fromJson(settings->profilesJson().toUtf8()).array());
}

void ConnectionProfile::store(AppSettings *settings, const QList<ConnectionProfile> &profiles)
{
    settings->setProfilesJson(
        QString::fromUtf8(QJsonDocument(listToJson(profiles)).toJson(QJsonDocument::Compact)));
}

int ConnectionProfile::indexOf(const QList<ConnectionProfile> &profiles, const QString &name)
{
    for (int i = 0; i < profiles.size(); ++i) {
        if (profiles.at(i).name == name)
            return i;
    }
    return -1;
}

void ConnectionProfile::save(AppSettings *settings, const ConnectionProfile &profile)
{
    QList<ConnectionProfile> profiles = load(settings);
    const int at = indexOf(profiles, profile.name);
    if (at >= 0)
        profiles[at] = profile;
    else
        profiles.append(profile);
    store(settings, profiles);
}

bool ConnectionProfile::remove(AppSettings *settings, const QString &name)
{
    QList<ConnectionProfile> profiles = load(settings);
    const int at = indexOf(profiles, name);
    if (at < 0)
        return false;
    profiles.removeAt(at);
    store(settings, profiles);
    return true;
}

} // namespace wst
