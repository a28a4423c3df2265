#include "CertificateDialog.h"

#include "GuiHelpers.h"
#include "proxy/CertificateMaker.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

CertificateDialog::CertificateDialog(bool authority, QWidget *parent)
    : QDialog(parent)
    , m_authority(authority)
{
    setObjectName(QStringLiteral("certificateDialog"));
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_folder = new QLineEdit(QDir::toNativeSeparators(CertificateMaker::defaultFolder()), this);
    m_folderLabel = new QLabel(this);
    m_folderLabel->setBuddy(m_folder);
    m_hosts = new QLineEdit(QStringLiteral("localhost, 127.0.0.1, ::1"), this);
    m_hostsLabel = new QLabel(this);
    m_hostsLabel->setBuddy(m_hosts);
    m_caState = new QLabel(this);
    m_caState->setWordWrap(true);
    m_replace = new QCheckBox(this);
    m_makeButton = new QPushButton(this);
    m_makeButton->setDefault(true);
    m_error = gui::makeErrorLabel(QStringLiteral("certificateErrorLabel"), this);
    m_instructionsLabel = new QLabel(this);
    m_instructions = new QPlainTextEdit(this);
    m_instructions->setReadOnly(true);
    m_instructions->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono = m_instructions->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_instructions->setFont(mono);
    m_instructions->setMinimumSize(640, 260);
    m_instructionsLabel->setBuddy(m_instructions);
    m_copyButton = new QPushButton(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *form = new QFormLayout;
    form->addRow(m_folderLabel, m_folder);
    if (m_authority)
        m_hosts->hide();
    else
        form->addRow(m_hostsLabel, m_hosts);
    auto *makeRow = new QHBoxLayout;
    makeRow->addWidget(m_replace);
    makeRow->addStretch(1);
    makeRow->addWidget(m_makeButton);
    auto *copyRow = new QHBoxLayout;
    copyRow->addWidget(m_instructionsLabel, 1);
    copyRow->addWidget(m_copyButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(form);
    layout->addWidget(m_caState);
    layout->addLayout(makeRow);
    layout->addWidget(m_error);
    layout->addLayout(copyRow);
    layout->addWidget(m_instructions, 1);
    layout->addWidget(m_buttons);

    connect(m_folder, &QLineEdit::textChanged, this, &CertificateDialog::updateState);
    connect(m_replace, &QCheckBox::toggled, this, &CertificateDialog::updateState);
    connect(m_makeButton, &QPushButton::clicked, this, &CertificateDialog::make);
    connect(m_copyButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_instructions->toPlainText());
        m_copyButton->setText(tr("Copied"));
        QTimer::singleShot(1500, m_copyButton, [this] { m_copyButton->setText(tr("C&opy Instructions")); });
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    retranslateUi();
    updateState();
}

bool CertificateDialog::make()
{
    const QString folder = QDir::fromNativeSeparators(m_folder->text().trimmed());
    QString error;
    bool ok = true;
    if (folder.isEmpty()) {
        error = tr("Give the folder for the certificate authority.");
        ok = false;
    }
    if (ok && (!CertificateMaker::hasCa(folder) || m_replace->isChecked()))
        ok = CertificateMaker::writeCa(folder, m_replace->isChecked(), &error);
    if (ok && m_authority) {
        m_certificateFile = CertificateMaker::caCertificateFile(folder);
        m_keyFile = CertificateMaker::caKeyFile(folder);
    } else if (ok) {
        QStringList hosts
            = m_hosts->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
        ok = CertificateMaker::writeLeaf(folder, hosts, &error);
        m_certificateFile = CertificateMaker::leafCertificateFile(folder);
        m_keyFile = CertificateMaker::leafKeyFile(folder);
    }
    gui::setInlineError(m_error, error, m_makeButton);
    if (!ok) {
        m_certificateFile.clear();
        m_keyFile.clear();
    }
    m_replace->setChecked(false);
    updateState();
    return ok;
}

void CertificateDialog::updateState()
{
    const QString folder = QDir::fromNativeSeparators(m_folder->text().trimmed());
    const bool exists = !folder.isEmpty() && CertificateMaker::hasCa(folder);
    m_replace->setEnabled(exists);
    if (!exists)
        m_replace->setChecked(false);
    if (!exists)
        m_caState->setText(tr("No certificate authority in this folder yet: one is made (trust it once)."));
    else if (m_replace->isChecked())
        m_caState->setText(
            tr("The certificate authority in this folder is replaced: apps that trusted it must "
               "trust the new one."));
    else
        m_caState->setText(tr("This folder holds a certificate authority: it is used, so apps that trust it "
                              "already trust the new certificate."));
    const bool made = !m_certificateFile.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(made);
    m_instructions->setPlainText(exists
            ? CertificateMaker::trustInstructions(CertificateMaker::caCertificateFile(folder))
            : QString());
    m_copyButton->setEnabled(exists);
}

void CertificateDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        updateState();
    }
    QDialog::changeEvent(event);
}

void CertificateDialog::retranslateUi()
{
    setWindowTitle(tr("Make Certificate"));
    m_intro->setText(m_authority
            ? tr(
                "As an HTTP proxy, wstester decrypts an app's wss:// connections with a certificate it signs "
                "for each host, using a certificate authority of its own. Make it here, then make the app "
                "trust it.")
            : tr("For wss://, the proxy needs a certificate for the name the app connects to, signed by a "
                 "certificate authority the app trusts. Make both here, then make the app trust the "
                 "authority."));
    m_folderLabel->setText(tr("&Folder:"));
    describe(m_folder, QStringLiteral("certificateFolderEdit"), tr("Certificate folder"),
        tr("Where the certificate authority (ca.pem, ca.key) and the certificate (server.pem, server.key) "
           "are "
           "kept"));
    m_hostsLabel->setText(tr("&Host names:"));
    describe(m_hosts, QStringLiteral("certificateHostsEdit"), tr("Host names"),
        tr("The names and IP addresses the app connects to, separated by commas"));
    m_replace->setText(tr("&Replace the certificate authority"));
    describe(m_replace, QStringLiteral("replaceCaCheck"), tr("Replace the certificate authority"),
        tr("Make a new certificate authority instead of using the one in the folder (apps must then trust "
           "the "
           "new one)"));
    m_makeButton->setText(tr("&Make"));
    describe(m_makeButton, QStringLiteral("makeCertificateNowButton"), tr("Make the certificate"),
        tr("Make the files now"));
    m_caState->setAccessibleName(tr("Certificate authority state"));
    m_instructionsLabel->setText(tr("How to make apps &trust it:"));
    describe(m_instructions, QStringLiteral("trustInstructionsView"), tr("Trust instructions"),
        tr("The commands that make browsers, the system, node and python trust the certificate authority"));
    m_copyButton->setText(tr("C&opy Instructions"));
    describe(m_copyButton, QStringLiteral("copyTrustInstructionsButton"), tr("Copy the instructions"),
        tr("Copy the trust instructions to the clipboard"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Use These Files"));
    describe(m_buttons->button(QDialogButtonBox::Ok), QStringLiteral("useCertificateButton"),
        tr("Use these files"), tr("Put the certificate and key in the proxy's settings"));
    describe(m_buttons->button(QDialogButtonBox::Cancel), QStringLiteral("cancelCertificateButton"),
        tr("Cancel"), tr("Close without changing the proxy's settings"));
}

} // namespace wst
