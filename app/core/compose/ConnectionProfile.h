#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace wst {

class AppSettings;

// A client tab's settings kept under a name (settings in the ClientSettingsJson format).
// Profiles live in AppSettings (key Profiles) as [{"name": …, "settings": {…}}, …]. They are
// the user's own, on the user's machine, so secrets are kept as they are, like the rest of the
// settings file; mask them (ClientSettingsJson::maskSecrets) before they leave it.
struct ConnectionProfile
{
    QString name;
    QJsonObject settings;

    bool operator==(const ConnectionProfile &other) const = default;

    static QJsonArray listToJson(const QList<ConnectionProfile> &profiles);
    // Entries without a name or without settings are skipped.
    static QList<ConnectionProfile> listFromJson(const QJsonArray &array);

    static QList<ConnectionProfile> load(const AppSettings *settings);
    static void store(AppSettings *settings, const QList<ConnectionProfile> &profiles);
    // Adds the profile, or replaces the one of the same name (in its place).
    static void save(AppSettings *settings, const ConnectionProfile &profile);
    static bool remove(AppSettings *settings, const QString &name);
    static int indexOf(const QList<ConnectionProfile> &profiles, const QString &name);
};

} // namespace wst
