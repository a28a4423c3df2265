#include "SecretStore.h"

#include <qt6keychain/keychain.h>

namespace wst {

void MemorySecretStore::read(const QString &key)
{
    if (!m_available) {
        Q_EMIT failed(key, true, tr("No secret service"));
        return;
    }
    const auto it = m_values.constFind(key);
    Q_EMIT readDone(key, it == m_values.cend() ? QString() : it.value(), it != m_values.cend());
}

void MemorySecretStore::write(const QString &key, const QString &value)
{
    if (!m_available) {
        Q_EMIT failed(key, true, tr("No secret service"));
        return;
    }
    m_values.insert(key, value);
}

void MemorySecretStore::remove(const QString &key)
{
    if (!m_available) {
        Q_EMIT failed(key, true, tr("No secret service"));
        return;
    }
    m_values.remove(key);
}

namespace {

// A keychain that cannot be reached at all (no D-Bus session, no keyring daemon) reports
// NoBackendAvailable, NotImplemented or, for D-Bus failures, OtherError.
bool isNoService(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
        || error == QKeychain::OtherError;
}

template <typename JobType> JobType *makeJob(const QString &service, const QString &key, SecretStore *store)
{
    auto *job = new JobType(service, store);
    job->setAutoDelete(true);
    // Never a plaintext copy of a secret in a settings file.
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : SecretStore(parent)
    , m_service(service)
{
}

void KeychainSecretStore::read(const QString &key)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *done) {
        const auto error = done->error();
        if (error == QKeychain::NoError)
            Q_EMIT readDone(key, static_cast<QKeychain::ReadPasswordJob *>(done)->textData(), true);
        else if (error == QKeychain::EntryNotFound)
            Q_EMIT readDone(key, QString(), false);
        else
            Q_EMIT failed(key, isNoService(error), done->errorString());
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &value)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(m_service, key, this);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *done) {
        if (done->error() != QKeychain::NoError)
            Q_EMIT failed(key, isNoService(done->error()), done->errorString());
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key)
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *done) {
        const auto error = done->error();
        if (error != QKeychain::NoError && error != QKeychain::EntryNotFound)
            Q_EMIT failed(key, isNoService(error), done->errorString());
    });
    job->start();
}

} // namespace wst
