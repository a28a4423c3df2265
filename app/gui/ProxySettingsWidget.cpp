#include "ProxySettingsWidget.h"

#include "Dialogs.h"
#include "FaultsEditor.h"
#include "GuiHelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

namespace {

enum HeaderColumn { ActionColumn, NameColumn, ValueColumn };

} // namespace

ProxySettingsWidget::ProxySettingsWidget(QWidget *parent)
    : QWidget(parent)
{
    m_certificate = new QLineEdit(this);
    m_key = new QLineEdit(this);
    m_browseCertificate = new QToolButton(this);
    m_browseKey = new QToolButton(this);
    m_makeCertificate = new QPushButton(this);
    m_ignoreTls = new QCheckBox(this);
    m_passCompression = new QCheckBox(this);
    m_passCompression->setChecked(true);
    m_headersLabel = new QLabel(this);
    m_headers = new QTableWidget(0, 3, this);
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->setMinimumHeight(90);
    m_headers->setMaximumHeight(150);
    m_addHeader = new QPushButton(this);
    m_removeHeader = new QPushButton(this);
    m_faults = new FaultsEditor(this);

    auto *certRow = new QHBoxLayout;
    certRow->addWidget(m_certificate, 1);
    certRow->addWidget(m_browseCertificate);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_browseKey);
    keyRow->addWidget(m_makeCertificate);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_certificateLabel = new QLabel(this);
    m_certificateLabel->setBuddy(m_certificate);
    m_keyLabel = new QLabel(this);
    m_keyLabel->setBuddy(m_key);
    form->addRow(m_certificateLabel, certRow);
    form->addRow(m_keyLabel, keyRow);
    auto *checks = new QHBoxLayout;
    checks->addWidget(m_ignoreTls);
    checks->addWidget(m_passCompression);
    checks->addStretch(1);
    form->addRow(QString(), checks);

    auto *headerButtons = new QVBoxLayout;
    headerButtons->addWidget(m_addHeader);
    headerButtons->addWidget(m_removeHeader);
    headerButtons->addStretch(1);
    auto *headersRow = new QHBoxLayout;
    headersRow->addWidget(m_headers, 1);
    headersRow->addLayout(headerButtons);

    auto *left = new QVBoxLayout;
    left->addLayout(form);
    left->addWidget(m_headersLabel);
    left->addLayout(headersRow);
    left->addStretch(1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(left, 3);
    layout->addWidget(m_faults, 2);

    connect(m_certificate, &QLineEdit::textChanged, this, &ProxySettingsWidget::changed);
    connect(m_key, &QLineEdit::textChanged, this, &ProxySettingsWidget::changed);
    connect(m_ignoreTls, &QCheckBox::toggled, this, &ProxySettingsWidget::changed);
    connect(m_passCompression, &QCheckBox::toggled, this, &ProxySettingsWidget::changed);
    connect(m_headers, &QTableWidget::itemChanged, this, &ProxySettingsWidget::changed);
    connect(m_faults, &FaultsEditor::changed, this, &ProxySettingsWidget::changed);
    connect(m_browseCertificate, &QToolButton::clicked, this, [this] { browse(m_certificate, false); });
    connect(m_browseKey, &QToolButton::clicked, this, [this] { browse(m_key, true); });
    connect(m_makeCertificate, &QPushButton::clicked, this, &ProxySettingsWidget::makeCertificateRequested);
    connect(m_addHeader, &QPushButton::clicked, this, [this] {
        addHeaderRow(true, QString(), QString());
        m_headers->setCurrentCell(m_headers->rowCount() - 1, NameColumn);
        m_headers->editItem(m_headers->item(m_headers->rowCount() - 1, NameColumn));
    });
    connect(m_removeHeader, &QPushButton::clicked, this, [this] {
        const int row = m_headers->currentRow();
        if (row >= 0) {
            m_headers->removeRow(row);
            Q_EMIT changed();
        }
    });
    retranslateUi();
}

void ProxySettingsWidget::addHeaderRow(bool set, const QString &name, const QString &value)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    auto *action = new QComboBox(m_headers);
    action->addItem(tr("Set"), true);
    action->addItem(tr("Remove"), false);
    action->setCurrentIndex(set ? 0 : 1);
    describe(action, QStringLiteral("headerActionCombo"), tr("What to do with the header"),
        tr("Set: replace the header's value (or add it); Remove: take it out of the request"));
    connect(action, &QComboBox::currentIndexChanged, this, &ProxySettingsWidget::changed);
    m_headers->setCellWidget(row, ActionColumn, action);
    m_headers->setItem(row, NameColumn, new QTableWidgetItem(name));
    m_headers->setItem(row, ValueColumn, new QTableWidgetItem(value));
    Q_EMIT changed();
}

void ProxySettingsWidget::setOptions(const ProxyOptions &options)
{
    const QSignalBlocker blocker(this);
    m_certificate->setText(options.certificateFile);
    m_key->setText(options.keyFile);
    m_ignoreTls->setChecked(options.ignoreUpstreamTlsErrors);
    m_passCompression->setChecked(options.passCompression);
    m_headers->setRowCount(0);
    for (const auto &[name, value] : options.setHeaders)
        addHeaderRow(true, QString::fromLatin1(name), QString::fromUtf8(value));
    for (const QByteArray &name : options.removeHeaders)
        addHeaderRow(false, QString::fromLatin1(name), QString());
    m_faults->setPlan(options.faults);
}

void ProxySettingsWidget::fillOptions(ProxyOptions *options) const
{
    options->certificateFile = m_certificate->text().trimmed();
    options->keyFile = m_key->text().trimmed();
    options->ignoreUpstreamTlsErrors = m_ignoreTls->isChecked();
    options->passCompression = m_passCompression->isChecked();
    options->setHeaders.clear();
    options->removeHeaders.clear();
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const auto *action = qobject_cast<QComboBox *>(m_headers->cellWidget(row, ActionColumn));
        const QString name = m_headers->item(row, NameColumn)
            ? m_headers->item(row, NameColumn)->text().trimmed()
            : QString();
        const QString value
            = m_headers->item(row, ValueColumn) ? m_headers->item(row, ValueColumn)->text() : QString();
        if (name.isEmpty())
            continue;
        if (!action || action->currentData().toBool())
            options->setHeaders.append({ name.toLatin1(), value.toUtf8() });
        else
            options->removeHeaders.append(name.toLatin1());
    }
    options->faults = m_faults->plan();
}

QString ProxySettingsWidget::problem() const
{
    const QString certificate = m_certificate->text().trimmed();
    const QString key = m_key->text().trimmed();
    if (certificate.isEmpty() != key.isEmpty())
        return tr("Give both the certificate and its key, or neither (then the proxy speaks ws://).");
    for (const QString &file : { certificate, key }) {
        if (!file.isEmpty() && !QFileInfo(file).isReadable())
            return tr("%1 cannot be read.").arg(file);
    }
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString name = m_headers->item(row, NameColumn)
            ? m_headers->item(row, NameColumn)->text().trimmed()
            : QString();
        const QString value
            = m_headers->item(row, ValueColumn) ? m_headers->item(row, ValueColumn)->text() : QString();
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (!token.match(name).hasMatch())
            return tr("Header rewrite %1: “%2” is not a header name.").arg(row + 1).arg(name);
        if (value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r')))
            return tr("Header rewrite %1: a value cannot hold a line break.").arg(row + 1);
    }
    return m_faults->plan().validate();
}

void ProxySettingsWidget::browse(QLineEdit *field, bool key)
{
    const QString file
        = Dialogs::getOpenFileName(this, key ? tr("Private Key (PEM)") : tr("Certificate (PEM)"),
            field->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
    if (!file.isEmpty())
        field->setText(file);
}

void ProxySettingsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ProxySettingsWidget::retranslateUi()
{
    m_certificateLabel->setText(tr("&Certificate:"));
    m_keyLabel->setText(tr("&Key:"));
    m_certificate->setPlaceholderText(tr("none: the proxy listens as ws://"));
    describe(m_certificate, QStringLiteral("proxyCertificateEdit"), tr("Certificate file"),
        tr("A PEM certificate: with its key the proxy listens as wss:// (reverse), or signs a certificate "
           "for "
           "each host of a CONNECT tunnel (explicit: then this is the certificate authority)"));
    m_key->setPlaceholderText(tr("the certificate's private key (PEM)"));
    describe(m_key, QStringLiteral("proxyKeyEdit"), tr("Private key file"),
        tr("The unencrypted PEM private key of the certificate"));
    m_browseCertificate->setText(tr("…"));
    describe(m_browseCertificate, QStringLiteral("proxyBrowseCertificateButton"),
        tr("Choose the certificate file"), tr("Choose the certificate file"));
    m_browseKey->setText(tr("…"));
    describe(m_browseKey, QStringLiteral("proxyBrowseKeyButton"), tr("Choose the key file"),
        tr("Choose the key file"));
    m_makeCertificate->setText(tr("&Make Certificate…"));
    describe(m_makeCertificate, QStringLiteral("makeCertificateButton"), tr("Make certificate"),
        tr("Make a local certificate authority and a certificate signed by it, fill both fields, and show "
           "how to "
           "make apps trust it"));
    m_ignoreTls->setText(tr("&Ignore the server's TLS errors"));
    describe(m_ignoreTls, QStringLiteral("ignoreUpstreamTlsCheck"), tr("Ignore the server's TLS errors"),
        tr("Connect to a wss:// server even when its certificate is not trusted (self-signed, expired, "
           "another "
           "name)"));
    m_passCompression->setText(tr("Pass &compression on"));
    describe(m_passCompression, QStringLiteral("passCompressionCheck"), tr("Pass compression on"),
        tr("Pass the app's permessage-deflate offer to the server; off: strip it, so both sides talk "
           "uncompressed"));
    m_headersLabel->setText(tr("Request headers rewritten on the way to the server:"));
    m_headers->setHorizontalHeaderLabels({ tr("Action"), tr("Header"), tr("Value") });
    describe(m_headers, QStringLiteral("headerRewritesTable"), tr("Header rewrites"),
        tr("Headers set (replaced or added) or removed in every handshake request the proxy forwards"));
    m_addHeader->setText(tr("&Add"));
    describe(m_addHeader, QStringLiteral("addHeaderRewriteButton"), tr("Add a header rewrite"),
        tr("Add a header to set or remove"));
    m_removeHeader->setText(tr("Remo&ve"));
    describe(m_removeHeader, QStringLiteral("removeHeaderRewriteButton"), tr("Remove the header rewrite"),
        tr("Remove the selected header rewrite"));
    m_faults->setTitle(tr("Faults on what goes to the client"));
}

} // namespace wst
