#pragma once

#include "connection/ConnectionOptions.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace wst {

// TLS beyond the system defaults: a custom CA file, a client certificate (PEM with its key, or
// PKCS#12) with its passphrase, and a minimum TLS version. The files are checked with
// ConnectionOptions::sslConfiguration() when a set is complete and again before connecting; the
// problem is shown inline under the fields.
class TlsOptionsWidget : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit TlsOptionsWidget(QWidget *parent = nullptr);

    // Fills the TLS fields of options.
    void apply(ConnectionOptions *options) const;
    void setOptions(const ConnectionOptions &options);
    // The key passphrase was masked when the session was saved: until one is typed the field
    // says so and check() refuses a client certificate without it.
    void setPassphraseNotSaved(bool notSaved);
    bool isPassphraseNotSaved() const { return m_passphraseNotSaved; }

    // Reads the files now. Returns the problem (also shown inline), or an empty string.
    QString check();
    QString error() const;
    // "CA, client certificate, TLS ≥ 1.2"; empty when everything is at its default.
    QString summary() const;
    static bool isPkcs12(const QString &fileName);

Q_SIGNALS:
    void changed();

private:
    void pick(QLineEdit *edit, const QString &caption, const QString &filter);
    void updateKeyField();
    // Checks while the user fills the fields, but not a half-made pair (a certificate whose key
    // is still to come): that is said only when connecting.
    void checkIfComplete();
    void setError(const QString &error);

    QLineEdit *m_caEdit = nullptr;
    QPushButton *m_caButton = nullptr;
    QLineEdit *m_certEdit = nullptr;
    QPushButton *m_certButton = nullptr;
    QLineEdit *m_keyEdit = nullptr;
    QPushButton *m_keyButton = nullptr;
    QLineEdit *m_passphraseEdit = nullptr;
    QComboBox *m_minCombo = nullptr;
    QLabel *m_error = nullptr;
    bool m_passphraseNotSaved = false;
};

} // namespace wst
