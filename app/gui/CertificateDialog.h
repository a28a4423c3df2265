#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wst {

// "Make certificate…" of a proxy tab: makes (or reuses) a local certificate authority in a
// folder, a certificate for the host names the app connects to, and shows how to make apps
// trust the authority (copyable). An existing authority is reused, and replaced only when the
// user ticks the box: apps may trust it already.
class CertificateDialog : public QDialog
{
    Q_OBJECT
public:
    // `authority`: the proxy wants the authority itself (explicit mode signs per-host
    // certificates with it), not a leaf.
    explicit CertificateDialog(bool authority, QWidget *parent = nullptr);

    QLineEdit *folderEdit() const { return m_folder; }
    QLineEdit *hostsEdit() const { return m_hosts; }
    QPlainTextEdit *instructionsView() const { return m_instructions; }
    // Makes what is asked; false with the reason shown in the dialog.
    bool make();
    // After make(): the files for the proxy's certificate and key fields.
    QString certificateFile() const { return m_certificateFile; }
    QString keyFile() const { return m_keyFile; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateState();

    bool m_authority = false;
    QLabel *m_intro = nullptr;
    QLabel *m_folderLabel = nullptr;
    QLineEdit *m_folder = nullptr;
    QLabel *m_hostsLabel = nullptr;
    QLineEdit *m_hosts = nullptr;
    QLabel *m_caState = nullptr;
    QCheckBox *m_replace = nullptr;
    QPushButton *m_makeButton = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_instructionsLabel = nullptr;
    QPlainTextEdit *m_instructions = nullptr;
    QPushButton *m_copyButton = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_certificateFile;
    QString m_keyFile;
};

} // namespace wst
