#include "EnvironmentLibrary.h"

#include "SecretStore.h"
#include "SecretValues.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QScopeGuard>
#include <QStandardPaths>

namespace wst {

EnvironmentLibrary::EnvironmentLibrary(
    const QString &folder, SecretStore *store, QObject *parent, Access access)
    : QObject(parent)
    , m_folder(folder)
    , m_store(store)
    , m_access(access)
{
    if (m_store) {
        m_store->setParent(this);
        connect(m_store, &SecretStore::readDone, this, &EnvironmentLibrary::onRead);
        connect(m_store, &SecretStore::failed, this,
            [this](const QString &key, bool noService, const QString &) { onFailed(key, noService); });
    }
    reload();
}

EnvironmentLibrary::~EnvironmentLibrary()
{
    SecretValues::set({});
}

QString EnvironmentLibrary::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/environments");
}

namespace {

QPointer<EnvironmentLibrary> &appLibrary()
{
    static QPointer<EnvironmentLibrary> library;
    return library;
}

} // namespace

EnvironmentLibrary *EnvironmentLibrary::instance()
{
    QPointer<EnvironmentLibrary> &library = appLibrary();
    if (!library)
        library
            = new EnvironmentLibrary(defaultFolder(), new KeychainSecretStore, QCoreApplication::instance());
    return library;
}

void EnvironmentLibrary::setInstance(EnvironmentLibrary *library)
{
    appLibrary() = library;
}

void EnvironmentLibrary::reload()
{
    m_environments.clear();
    m_problems.clear();
    const QDir dir(m_folder);
    const QFileInfoList files = dir.entryInfoList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QFileInfo &info : files) {
        QFile file(info.filePath());
        QString error;
        std::optional<NamedEnvironment> read;
        if (!file.open(QIODevice::ReadOnly))
            error = file.errorString();
        else
            read = NamedEnvironment::fromFile(file.readAll(), &error);
        if (!read) {
            m_problems.append(tr("%1 was skipped: %2").arg(QDir::toNativeSeparators(info.filePath()), error));
            continue;
        }
        // The file's name decides: renaming a file in Git renames the environment.
        read->name = info.completeBaseName();
        bool hadSecretValue = false;
        for (const EnvironmentVariable &variable : std::as_const(read->variables))
            hadSecretValue = hadSecretValue || (variable.secret && !variable.value.isEmpty());
        m_environments.insert(read->name, *read);
        if (hadSecretValue && m_access == Access::ReadWrite) {
            // A value someone wrote into the file moves to the secret store.
            storeSecrets(*read, nullptr);
            writeFile(*read, &error);
        }
        for (const EnvironmentVariable &variable : std::as_const(read->variables)) {
            if (variable.secret && variable.value.isEmpty() && m_store) {
                const QString key = secretKey(read->name, variable.name);
                m_pendingReads.insert(key);
                m_store->read(key);
            }
        }
    }
    publish();
    Q_EMIT changed();
}

QStringList EnvironmentLibrary::names() const
{
    QStringList out = m_environments.keys();
    std::sort(out.begin(), out.end(),
        [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return out;
}

bool EnvironmentLibrary::contains(const QString &name) const
{
    return m_environments.contains(name);
}

NamedEnvironment EnvironmentLibrary::environment(const QString &name) const
{
    return m_environments.value(name);
}

Variables::Environment EnvironmentLibrary::variables(const QString &name) const
{
    const auto it = m_environments.constFind(name);
    return it == m_environments.cend() ? Variables::Environment() : it->resolved();
}

QString EnvironmentLibrary::existingName(const QString &name) const
{
    for (auto it = m_environments.cbegin(); it != m_environments.cend(); ++it) {
        if (it.key().compare(name, Qt::CaseInsensitive) == 0)
            return it.key();
    }
    return {};
}

QString EnvironmentLibrary::filePath(const QString &name) const
{
    return m_folder + u'/' + name + QStringLiteral(".json");
}

bool EnvironmentLibrary::writeFile(const NamedEnvironment &environment, QString *error)
{
    if (!QDir().mkpath(m_folder)) {
        *error = tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(m_folder));
        return false;
    }
    QSaveFile file(filePath(environment.name));
    if (!file.open(QIODevice::WriteOnly) || file.write(environment.toFile(false)) < 0 || !file.commit()) {
        *error = tr("Cannot write %1: %2.")
                     .arg(QDir::toNativeSeparators(filePath(environment.name)), file.errorString());
        return false;
    }
    return true;
}

bool EnvironmentLibrary::add(NamedEnvironment environment, QString *error)
{
    if (const QString problem = NamedEnvironment::nameProblem(environment.name); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    if (const QString existing = existingName(environment.name); !existing.isEmpty()) {
        *error = tr("There is already an environment named \u201c%1\u201d.").arg(existing);
        return false;
    }
    if (!writeFile(environment, error))
        return false;
    storeSecrets(environment, nullptr);
    m_environments.insert(environment.name, environment);
    publish();
    Q_EMIT changed();
    return true;
}

bool EnvironmentLibrary::create(const QString &name, QString *error)
{
    NamedEnvironment environment;
    environment.name = name;
    return add(environment, error);
}

bool EnvironmentLibrary::duplicate(const QString &from, const QString &to, QString *error)
{
    if (!m_environments.contains(from)) {
        *error = tr("There is no environment named \u201c%1\u201d.").arg(from);
        return false;
    }
    NamedEnvironment copy = m_environments.value(from);
    copy.name = to;
    return add(copy, error);
}

bool EnvironmentLibrary::rename(const QString &from, const QString &to, QString *error)
{
    if (!m_environments.contains(from)) {
        *error = tr("There is no environment named \u201c%1\u201d.").arg(from);
        return false;
    }
    if (from == to)
        return true;
    if (const QString problem = NamedEnvironment::nameProblem(to); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    const QString existing = existingName(to);
    if (!existing.isEmpty() && existing != from) {
        *error = tr("There is already an environment named \u201c%1\u201d.").arg(existing);
        return false;
    }
    NamedEnvironment renamed = m_environments.value(from);
    renamed.name = to;
    // Only a change of case: the same file on a case-insensitive file system.
    const bool sameFile = existing == from;
    if (!writeFile(renamed, error))
        return false;
    if (!sameFile)
        QFile::remove(filePath(from));
    forgetSecrets(m_environments.value(from));
    storeSecrets(renamed, nullptr);
    m_environments.remove(from);
    m_environments.insert(to, renamed);
    publish();
    Q_EMIT changed();
    return true;
}

bool EnvironmentLibrary::remove(const QString &name, QString *error)
{
    if (!m_environments.contains(name)) {
        *error = tr("There is no environment named \u201c%1\u201d.").arg(name);
        return false;
    }
    if (QFile::exists(filePath(name)) && !QFile::remove(filePath(name))) {
        *error = tr("Cannot delete %1.").arg(QDir::toNativeSeparators(filePath(name)));
        return false;
    }
    forgetSecrets(m_environments.value(name));
    m_environments.remove(name);
    publish();
    Q_EMIT changed();
    return true;
}

bool EnvironmentLibrary::setVariables(
    const QString &name, const QList<EnvironmentVariable> &variables, QString *error)
{
    const auto it = m_environments.find(name);
    if (it == m_environments.end()) {
        *error = tr("There is no environment named \u201c%1\u201d.").arg(name);
        return false;
    }
    NamedEnvironment changedEnvironment = *it;
    changedEnvironment.variables = variables;
    if (const QString problem = changedEnvironment.problem(); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    if (changedEnvironment.variables == it->variables)
        return true;
    if (!writeFile(changedEnvironment, error))
        return false;
    const NamedEnvironment before = *it;
    *it = changedEnvironment;
    storeSecrets(changedEnvironment, &before);
    publish();
    Q_EMIT changed();
    return true;
}

QString EnvironmentLibrary::importFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
        return {};
    }
    std::optional<NamedEnvironment> read = NamedEnvironment::fromFile(file.readAll(), error);
    if (!read) {
        *error = tr("%1: %2").arg(QDir::toNativeSeparators(path), *error);
        return {};
    }
    if (read->name.isEmpty() || !NamedEnvironment::nameProblem(read->name).isEmpty())
        read->name = QFileInfo(path).completeBaseName();
    if (!add(*read, error))
        return {};
    return read->name;
}

bool EnvironmentLibrary::exportFile(
    const QString &name, const QString &path, bool includeSecrets, QString *error)
{
    if (!m_environments.contains(name)) {
        *error = tr("There is no environment named \u201c%1\u201d.").arg(name);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_environments.value(name).toFile(includeSecrets)) < 0
        || !file.commit()) {
        *error = tr("Cannot write %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

QString EnvironmentLibrary::secretServiceNote() const
{
    return m_noService ? tr("No secret service: secret values are kept only until wstester quits.")
                       : QString();
}

void EnvironmentLibrary::storeSecrets(const NamedEnvironment &environment, const NamedEnvironment *before)
{
    if (!m_store)
        return;
    for (const EnvironmentVariable &variable : environment.variables) {
        if (!variable.secret)
            continue;
        bool unchanged = false;
        if (before) {
            for (const EnvironmentVariable &old : before->variables)
                unchanged
                    = unchanged || (old.secret && old.name == variable.name && old.value == variable.value);
        }
        if (!unchanged)
            m_store->write(secretKey(environment.name, variable.name), variable.value);
    }
    if (!before)
        return;
    // A secret that was removed, renamed or made plain leaves the secret store.
    for (const EnvironmentVariable &old : before->variables) {
        if (!old.secret)
            continue;
        bool kept = false;
        for (const EnvironmentVariable &variable : environment.variables)
            kept = kept || (variable.secret && variable.name == old.name);
        if (!kept)
            m_store->remove(secretKey(environment.name, old.name));
    }
}

void EnvironmentLibrary::forgetSecrets(const NamedEnvironment &environment)
{
    if (!m_store)
        return;
    for (const EnvironmentVariable &variable : environment.variables) {
        if (variable.secret)
            m_store->remove(secretKey(environment.name, variable.name));
    }
}

void EnvironmentLibrary::onRead(const QString &key, const QString &value, bool found)
{
    // Answered, whatever the outcome; signalled after the value is in place.
    const auto settled = qScopeGuard([this, key] { settle(key); });
    if (!found)
        return;
    for (auto it = m_environments.begin(); it != m_environments.end(); ++it) {
        for (EnvironmentVariable &variable : it->variables) {
            // A value typed meanwhile wins over the one read.
            if (variable.secret && variable.value.isEmpty() && secretKey(it.key(), variable.name) == key) {
                variable.value = value;
                publish();
                Q_EMIT changed();
                return;
            }
        }
    }
}

void EnvironmentLibrary::onFailed(const QString &key, bool noService)
{
    if (noService && !m_noService) {
        m_noService = true;
        Q_EMIT secretServiceChanged();
    }
    settle(key);
}

void EnvironmentLibrary::settle(const QString &key)
{
    if (m_pendingReads.remove(key) && m_pendingReads.isEmpty())
        Q_EMIT secretsSettled();
}

void EnvironmentLibrary::publish()
{
    QList<QPair<QString, QString>> secrets;
    for (const NamedEnvironment &environment : std::as_const(m_environments)) {
        for (const EnvironmentVariable &variable : environment.variables) {
            if (variable.secret && !variable.value.isEmpty())
                secrets.append({ variable.name, variable.value });
        }
    }
    SecretValues::set(secrets);
}

QString EnvironmentLibrary::secretKey(const QString &environment, const QString &variable)
{
    return QStringLiteral("environments/%1/%2").arg(environment, variable);
}

} // namespace wst
