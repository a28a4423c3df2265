#include "TlsOptionsWidget.h"

#include "Dialogs.h"
#include "GuiHelpers.h"

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace wst {

using gui::describe;

TlsOptionsWidget::TlsOptionsWidget(QWidget *parent)
    : QWidget(parent)
    , m_caEdit(new QLineEdit(this))
    , m_caButton(new QPushButton(this))
    , m_certEdit(new QLineEdit(this))
    , m_certButton(new QPushButton(this))
    , m_keyEdit(new QLineEdit(this))
    , m_keyButton(new QPushButton(this))
    , m_passphraseEdit(new QLineEdit(this))
    , m_minCombo(new QComboBox(this))
    , m_error(gui::makeErrorLabel(QStringLiteral("tlsError"), this))
{
    setObjectName(QStringLiteral("tlsOptions"));

    m_caEdit->setObjectName(QStringLiteral("caFileEdit"));
    m_caEdit->setClearButtonEnabled(true);
    m_caButton->setObjectName(QStringLiteral("caFileButton"));
    m_certEdit->setObjectName(QStringLiteral("clientCertEdit"));
    m_certEdit->setClearButtonEnabled(true);
    m_certButton->setObjectName(QStringLiteral("clientCertButton"));
    m_keyEdit->setObjectName(QStringLiteral("clientKeyEdit"));
    m_keyEdit->setClearButtonEnabled(true);
    m_keyButton->setObjectName(QStringLiteral("clientKeyButton"));
    m_passphraseEdit->setObjectName(QStringLiteral("clientKeyPassphraseEdit"));
    m_passphraseEdit->setEchoMode(QLineEdit::Password);
    m_minCombo->setObjectName(QStringLiteral("tlsMinCombo"));
    m_minCombo->addItem(QString(), int(QSsl::SecureProtocols));
    m_minCombo->addItem(QString(), int(QSsl::TlsV1_2OrLater));
    m_minCombo->addItem(QString(), int(QSsl::TlsV1_3OrLater));

    const auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, this);
        l->setObjectName(buddy->objectName() + QStringLiteral("Label")); // for retranslateUi()
        l->setBuddy(buddy);
        return l;
    };
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(4, 4, 4, 4);
    grid->addWidget(label(QString(), m_caEdit), 0, 0);
    grid->addWidget(m_caEdit, 0, 1, 1, 3);
    grid->addWidget(m_caButton, 0, 4);
    grid->addWidget(label(QString(), m_certEdit), 1, 0);
    grid->addWidget(m_certEdit, 1, 1, 1, 3);
    grid->addWidget(m_certButton, 1, 4);
    grid->addWidget(label(QString(), m_keyEdit), 2, 0);
    grid->addWidget(m_keyEdit, 2, 1, 1, 3);
    grid->addWidget(m_keyButton, 2, 4);
    grid->addWidget(label(QString(), m_passphraseEdit), 3, 0);
    grid->addWidget(m_passphraseEdit, 3, 1);
    grid->addWidget(label(QString(), m_minCombo), 3, 2, Qt::AlignRight);
    grid->addWidget(m_minCombo, 3, 3);
    grid->addWidget(m_error, 4, 1, 1, 4);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setRowStretch(5, 1);
    retranslateUi();

    const QString pemFilter = tr("PEM files (*.pem *.crt *.cer);;All files (*)");
    connect(m_caButton, &QPushButton::clicked, this,
        [this, pemFilter] { pick(m_caEdit, tr("Choose the CA file"), pemFilter); });
    connect(m_certButton, &QPushButton::clicked, this, [this] {
        pick(m_certEdit, tr("Choose the client certificate"),
            tr("Certificates (*.pem *.crt *.cer *.p12 *.pfx);;All files (*)"));
    });
    connect(m_keyButton, &QPushButton::clicked, this, [this] {
        pick(m_keyEdit, tr("Choose the client key"), tr("PEM keys (*.pem *.key);;All files (*)"));
    });
    for (QLineEdit *edit : { m_caEdit, m_certEdit, m_keyEdit, m_passphraseEdit }) {
        // A stale message would blame a file the user is replacing: forget it while typing.
        connect(edit, &QLineEdit::textChanged, this, [this] {
            setError({});
            Q_EMIT changed();
        });
        connect(edit, &QLineEdit::editingFinished, this, &TlsOptionsWidget::checkIfComplete);
    }
    connect(m_certEdit, &QLineEdit::textChanged, this, &TlsOptionsWidget::updateKeyField);
    connect(m_passphraseEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (!text.isEmpty())
            setPassphraseNotSaved(false);
    });
    connect(m_minCombo, &QComboBox::currentIndexChanged, this, &TlsOptionsWidget::changed);

    setTabOrder(m_caEdit, m_caButton);
    setTabOrder(m_caButton, m_certEdit);
    setTabOrder(m_certEdit, m_certButton);
    setTabOrder(m_certButton, m_keyEdit);
    setTabOrder(m_keyEdit, m_keyButton);
    setTabOrder(m_keyButton, m_passphraseEdit);
    setTabOrder(m_passphraseEdit, m_minCombo);
    updateKeyField();
}

bool TlsOptionsWidget::isPkcs12(const QString &fileName)
{
    const QString lower = fileName.trimmed().toLower();
    return lower.endsWith(QLatin1String(".p12")) || lower.endsWith(QLatin1String(".pfx"));
}

void TlsOptionsWidget::pick(QLineEdit *edit, const QString &caption, const QString &filter)
{
    const QString current = edit->text().trimmed();
    const QString dir = current.isEmpty() ? QString() : QFileInfo(current).absolutePath();
    const QString file = Dialogs::getOpenFileName(this, caption, dir, filter);
    if (file.isEmpty())
        return;
    edit->setText(file);
    edit->setFocus(Qt::OtherFocusReason);
    checkIfComplete();
}

void TlsOptionsWidget::updateKeyField()
{
    // A PKCS#12 file carries its own key.
    const bool pkcs12 = isPkcs12(m_certEdit->text());
    m_keyEdit->setEnabled(!pkcs12);
    m_keyButton->setEnabled(!pkcs12);
    m_keyEdit->setPlaceholderText(pkcs12 ? tr("inside the PKCS#12 file") : tr("none"));
}

void TlsOptionsWidget::apply(ConnectionOptions *options) const
{
    options->caCertificateFile = m_caEdit->text().trimmed();
    options->clientCertificateFile = m_certEdit->text().trimmed();
    options->clientKeyFile
        = isPkcs12(options->clientCertificateFile) ? QString() : m_keyEdit->text().trimmed();
    options->clientKeyPassphrase = m_passphraseEdit->text().toUtf8();
    options->minimumTlsVersion = QSsl::SslProtocol(m_minCombo->currentData().toInt());
}

void TlsOptionsWidget::setOptions(const ConnectionOptions &options)
{
    m_caEdit->setText(options.caCertificateFile);
    m_certEdit->setText(options.clientCertificateFile);
    m_keyEdit->setText(options.clientKeyFile);
    m_passphraseEdit->setText(QString::fromUtf8(options.clientKeyPassphrase));
    const int index = m_minCombo->findData(int(options.minimumTlsVersion));
    m_minCombo->setCurrentIndex(qMax(0, index));
    setError({});
}

void TlsOptionsWidget::setPassphraseNotSaved(bool notSaved)
{
    m_passphraseNotSaved = notSaved && m_passphraseEdit->text().isEmpty();
    m_passphraseEdit->setPlaceholderText(m_passphraseNotSaved ? tr("value not saved") : QString());
}

QString TlsOptionsWidget::check()
{
    ConnectionOptions options;
    apply(&options);
    if (m_passphraseNotSaved && !options.clientCertificateFile.isEmpty()
        && options.clientKeyPassphrase.isEmpty()) {
        const QString problem = tr("The key passphrase was not saved with the session. Type it or "
                                   "remove the client certificate.");
        setError(problem);
        m_passphraseEdit->setFocus(Qt::OtherFocusReason);
        return problem;
    }
    QSslConfiguration configuration;
    const QString problem = options.sslConfiguration(&configuration);
    setError(problem);
    return problem;
}

void TlsOptionsWidget::checkIfComplete()
{
    const bool cert = !m_certEdit->text().trimmed().isEmpty();
    const bool key = !m_keyEdit->text().trimmed().isEmpty();
    if (cert == key || isPkcs12(m_certEdit->text()))
        check();
}

QString TlsOptionsWidget::error() const
{
    return m_error->text();
}

void TlsOptionsWidget::setError(const QString &error)
{
    if (error == m_error->text())
        return;
    // The field the message is about carries it for a screen reader.
    QWidget *field = m_caEdit;
    const QString key = m_keyEdit->text().trimmed();
    const QString cert = m_certEdit->text().trimmed();
    if (!key.isEmpty() && error.contains(key))
        field = m_keyEdit;
    else if (!cert.isEmpty() && error.contains(cert))
        field = m_certEdit;
    for (QWidget *w : { static_cast<QWidget *>(m_caEdit), static_cast<QWidget *>(m_certEdit),
             static_cast<QWidget *>(m_keyEdit) })
        w->setAccessibleDescription({});
    gui::setInlineError(m_error, error, error.isEmpty() ? nullptr : field);
    Q_EMIT changed();
}

QString TlsOptionsWidget::summary() const
{
    QStringList parts;
    if (!m_caEdit->text().trimmed().isEmpty())
        parts << tr("CA %1").arg(QFileInfo(m_caEdit->text().trimmed()).fileName());
    if (!m_certEdit->text().trimmed().isEmpty())
        parts << tr("client certificate");
    if (m_minCombo->currentIndex() > 0)
        parts << m_minCombo->currentText();
    return parts.join(QStringLiteral(", "));
}

void TlsOptionsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TlsOptionsWidget::retranslateUi()
{
    setAccessibleName(tr("TLS options"));
    describe(m_caEdit, QStringLiteral("caFileEdit"), tr("CA file"),
        tr("A PEM file of CA certificates to trust besides the system's, for servers with a private "
           "or self-made CA"));
    m_caEdit->setPlaceholderText(tr("system CAs only"));
    describe(
        m_caButton, QStringLiteral("caFileButton"), tr("Choose CA file"), tr("Choose the CA file (PEM)"));
    describe(m_certEdit, QStringLiteral("clientCertEdit"), tr("Client certificate"),
        tr("For servers that ask for a client certificate (mutual TLS): a PEM certificate with its "
           "key file, or a PKCS#12 file (.p12, .pfx) that holds both"));
    m_certEdit->setPlaceholderText(tr("none"));
    describe(m_certButton, QStringLiteral("clientCertButton"), tr("Choose client certificate"),
        tr("Choose the client certificate (PEM, .p12 or .pfx)"));
    describe(m_keyEdit, QStringLiteral("clientKeyEdit"), tr("Client key"),
        tr("The private key of the client certificate (PEM, RSA or EC)"));
    describe(m_keyButton, QStringLiteral("clientKeyButton"), tr("Choose client key"),
        tr("Choose the private key of the client certificate (PEM)"));
    describe(m_passphraseEdit, QStringLiteral("clientKeyPassphraseEdit"), tr("Passphrase"),
        tr("The passphrase of an encrypted key or of the PKCS#12 file; empty when there is none"));
    describe(m_minCombo, QStringLiteral("tlsMinCombo"), tr("Minimum TLS version"),
        tr("Refuse servers that cannot speak at least this TLS version"));
    m_minCombo->setItemText(0, tr("Any"));
    m_minCombo->setItemText(1, tr("TLS 1.2 or later"));
    m_minCombo->setItemText(2, tr("TLS 1.3 or later"));
    for (QPushButton *browse : { m_caButton, m_certButton, m_keyButton })
        browse->setText(tr("Browse\u2026"));
    const auto label = [this](QWidget *buddy, const QString &text) {
        findChild<QLabel *>(buddy->objectName() + QStringLiteral("Label"))->setText(text);
    };
    label(m_caEdit, tr("C&A file (PEM):"));
    label(m_certEdit, tr("Client cer&tificate:"));
    label(m_keyEdit, tr("Client &key (PEM):"));
    label(m_passphraseEdit, tr("Passp&hrase:"));
    label(m_minCombo, tr("&Minimum TLS:"));
    updateKeyField();
    setPassphraseNotSaved(m_passphraseNotSaved);
}

} // namespace wst
