#pragma once

#include "NamedEnvironment.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

namespace wst {

class SecretStore;

// The named environments: one file each in <data folder>/environments/<name>.json, shared by every
// window. Secret values live in the SecretStore (the system's secret service) and in memory,
// never in the files; when there is no secret service they live in memory only, until the app
// quits, and secretServiceNote() says so. Every secret value known is published to SecretValues,
// so what the app records hides it.
class EnvironmentLibrary : public QObject
{
    Q_OBJECT
public:
    // ReadOnly (a headless run): files are never written, so a secret value someone put into a
    // file is used from there and not moved to the secret store.
    enum class Access { ReadWrite, ReadOnly };

    // Takes `store` as a child. Reads the folder at once (reload()).
    EnvironmentLibrary(const QString &folder, SecretStore *store, QObject *parent = nullptr,
        Access access = Access::ReadWrite);
    ~EnvironmentLibrary() override;

    // <AppDataLocation>/environments
    static QString defaultFolder();
    // The app's library (default folder, the system keychain), made on first use.
    static EnvironmentLibrary *instance();
    // Makes `library` the app's (tests: a temporary folder and an in-memory store); not owned.
    static void setInstance(EnvironmentLibrary *library);

    QString folder() const { return m_folder; }
    void reload();
    // A line for each file that could not be read (skipped, left as it is).
    QStringList problems() const { return m_problems; }

    QStringList names() const; // sorted, case-insensitively
    bool contains(const QString &name) const;
    NamedEnvironment environment(const QString &name) const;
    // The variables with their values (secrets included, as far as known).
    Variables::Environment variables(const QString &name) const;

    // Each returns false with *error (one line) and changes nothing on failure.
    bool create(const QString &name, QString *error);
    bool rename(const QString &from, const QString &to, QString *error);
    bool duplicate(const QString &from, const QString &to, QString *error);
    bool remove(const QString &name, QString *error);
    bool setVariables(const QString &name, const QList<EnvironmentVariable> &variables, QString *error);
    // Adds the file's environment (its own name, or the file's base name; an existing name is
    // refused). Returns the name, or empty with *error.
    QString importFile(const QString &path, QString *error);
    // Secret values are written only when includeSecrets.
    bool exportFile(const QString &name, const QString &path, bool includeSecrets, QString *error);

    bool secretServiceAvailable() const { return !m_noService; }
    // True while secret values asked of the secret service have not all been answered yet;
    // secretsSettled() follows when the last answer (a value, none, or a failure) is in.
    bool secretsPending() const { return !m_pendingReads.isEmpty(); }
    // "No secret service: …" when there is none, else empty.
    QString secretServiceNote() const;

Q_SIGNALS:
    void changed();
    void secretServiceChanged();
    void secretsSettled();

private:
    QString filePath(const QString &name) const;
    QString existingName(const QString &name) const; // case-insensitive match, or empty
    bool writeFile(const NamedEnvironment &environment, QString *error);
    bool add(NamedEnvironment environment, QString *error);
    void storeSecrets(const NamedEnvironment &environment, const NamedEnvironment *before);
    void forgetSecrets(const NamedEnvironment &environment);
    void onRead(const QString &key, const QString &value, bool found);
    void onFailed(const QString &key, bool noService);
    void settle(const QString &key);
    void publish();
    static QString secretKey(const QString &environment, const QString &variable);

    QString m_folder;
    QPointer<SecretStore> m_store;
    QMap<QString, NamedEnvironment> m_environments;
    QStringList m_problems;
    bool m_noService = false;
    Access m_access = Access::ReadWrite;
    QSet<QString> m_pendingReads; // secret keys asked of the store, not answered yet
};

} // namespace wst
