#pragma once

#include "proxy/ProxyOptions.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QToolButton;

namespace wst {

class FaultsEditor;

// A proxy's settings beyond where it listens: the certificate and key (with "Make
// certificate…"), upstream TLS, compression, the request headers rewritten on the way up, and
// the faults put on what goes to the client. The top bar (ProxyControlBar) holds the rest.
class ProxySettingsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ProxySettingsWidget(QWidget *parent = nullptr);

    // Reads and writes the fields of `options` this widget shows; the others are left alone.
    void setOptions(const ProxyOptions &options);
    void fillOptions(ProxyOptions *options) const;
    // Why the fields cannot be used (a header without a name, a certificate without a key), or "".
    QString problem() const;

    QLineEdit *certificateEdit() const { return m_certificate; }
    QLineEdit *keyEdit() const { return m_key; }
    QPushButton *makeCertificateButton() const { return m_makeCertificate; }
    QTableWidget *headersTable() const { return m_headers; }
    FaultsEditor *faultsEditor() const { return m_faults; }
    void addHeaderRow(bool set, const QString &name, const QString &value);

Q_SIGNALS:
    void changed();
    // The user asked for a certificate made by wstester.
    void makeCertificateRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void browse(QLineEdit *field, bool key);

    QLineEdit *m_certificate = nullptr;
    QLineEdit *m_key = nullptr;
    QToolButton *m_browseCertificate = nullptr;
    QToolButton *m_browseKey = nullptr;
    QPushButton *m_makeCertificate = nullptr;
    QCheckBox *m_ignoreTls = nullptr;
    QCheckBox *m_passCompression = nullptr;
    QLabel *m_headersLabel = nullptr;
    QTableWidget *m_headers = nullptr;
    QPushButton *m_addHeader = nullptr;
    QPushButton *m_removeHeader = nullptr;
    FaultsEditor *m_faults = nullptr;
    QLabel *m_certificateLabel = nullptr;
    QLabel *m_keyLabel = nullptr;
};

} // namespace wst
