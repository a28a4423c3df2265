#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace wst {

// Where the values of secret variables are kept between runs: the system's secret service
// (KeychainSecretStore) or, in tests, memory. Answers may come later (a keychain is asked over
// D-Bus): results arrive as signals, never as return values.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void read(const QString &key) = 0;
    virtual void write(const QString &key, const QString &value) = 0;
    virtual void remove(const QString &key) = 0;

Q_SIGNALS:
    void readDone(const QString &key, const QString &value, bool found);
    // noService: there is no secret service to ask (no D-Bus session, no keyring); otherwise it
    // refused or failed this once.
    void failed(const QString &key, bool noService, const QString &error);
};

// A store in memory; setAvailable(false) makes it answer like a machine without a secret
// service. Answers synchronously.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString &key) override;
    void write(const QString &key, const QString &value) override;
    void remove(const QString &key) override;

    void setAvailable(bool available) { m_available = available; }
    const QHash<QString, QString> &values() const { return m_values; }

private:
    QHash<QString, QString> m_values;
    bool m_available = true;
};

// QtKeychain (libsecret or KWallet over D-Bus), service "wstester". Its insecure fallback (the
// value in a plain settings file when there is no keyring) is never enabled.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(
        const QString &service = QStringLiteral("wstester"), QObject *parent = nullptr);

    void read(const QString &key) override;
    void write(const QString &key, const QString &value) override;
    void remove(const QString &key) override;

private:
    QString m_service;
};

} // namespace wst
