#include "ServerSettingsWidget.h"

#include "Dialogs.h"
#include "FaultsEditor.h"
#include "GuiHelpers.h"
#include "RulesEditor.h"
#include "protocols/ProtocolId.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace wst {

using gui::describe;

namespace {

QStringList splitList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(buddy->objectName() + QStringLiteral("Label")); // for retranslateUi()
    label->setBuddy(buddy);
    return label;
}

} // namespace

ServerSettingsWidget::ServerSettingsWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("serverSettings"));

    // TLS.
    auto *tlsBox = new QGroupBox(this);
    tlsBox->setObjectName(QStringLiteral("serverTlsBox"));
    m_tlsCheck = new QCheckBox(tlsBox);
    m_tlsCheck->setObjectName(QStringLiteral("serverTlsCheck"));
    m_certEdit = new QLineEdit(tlsBox);
    m_certEdit->setObjectName(QStringLiteral("serverCertEdit"));
    m_certButton = new QPushButton(tlsBox);
    m_certButton->setObjectName(QStringLiteral("serverCertButton"));
    m_keyEdit = new QLineEdit(tlsBox);
    m_keyEdit->setObjectName(QStringLiteral("serverKeyEdit"));
    m_keyButton = new QPushButton(tlsBox);
    m_keyButton->setObjectName(QStringLiteral("serverKeyButton"));
    auto *tlsHint = new QLabel(tlsBox);
    tlsHint->setObjectName(QStringLiteral("serverTlsHint"));
    tlsHint->setWordWrap(true);
    tlsHint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tlsHint->setForegroundRole(QPalette::PlaceholderText);
    QFont small = tlsHint->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    tlsHint->setFont(small);
    auto *tlsGrid = new QGridLayout(tlsBox);
    tlsGrid->addWidget(m_tlsCheck, 0, 0, 1, 3, Qt::AlignLeft);
    tlsGrid->addWidget(buddyLabel(QString(), m_certEdit, tlsBox), 1, 0);
    tlsGrid->addWidget(m_certEdit, 1, 1);
    tlsGrid->addWidget(m_certButton, 1, 2);
    tlsGrid->addWidget(buddyLabel(QString(), m_keyEdit, tlsBox), 2, 0);
    tlsGrid->addWidget(m_keyEdit, 2, 1);
    tlsGrid->addWidget(m_keyButton, 2, 2);
    tlsGrid->addWidget(tlsHint, 3, 0, 1, 3);
    tlsGrid->setColumnStretch(1, 1);
    tlsGrid->setRowStretch(4, 1);

    // What the server sends on its own.
    auto *messagesBox = new QGroupBox(this);
    messagesBox->setObjectName(QStringLiteral("serverMessagesBox"));
    m_greetingEdit = new QLineEdit(messagesBox);
    m_greetingEdit->setObjectName(QStringLiteral("serverGreetingEdit"));
    m_greetingEdit->setClearButtonEnabled(true);
    m_pushSpin = new QSpinBox(messagesBox);
    m_pushSpin->setObjectName(QStringLiteral("serverPushIntervalSpin"));
    m_pushSpin->setRange(0, 24 * 3600 * 1000);
    m_pushSpin->setSingleStep(100);
    m_pushSpin->setGroupSeparatorShown(true);
    m_pushTextEdit = new QLineEdit(messagesBox);
    m_pushTextEdit->setObjectName(QStringLiteral("serverPushTextEdit"));
    m_protocolCombo = new QComboBox(messagesBox);
    m_protocolCombo->setObjectName(QStringLiteral("serverProtocolCombo"));
    for (ProtocolId id : ProtocolNames::all())
        m_protocolCombo->addItem(QString(), int(id)); // named in retranslateUi()
    m_protocolParamsEdit = new QLineEdit(messagesBox);
    m_protocolParamsEdit->setObjectName(QStringLiteral("serverProtocolParamsEdit"));
    auto *protocolRow = new QHBoxLayout;
    protocolRow->addWidget(m_protocolCombo);
    protocolRow->addWidget(m_protocolParamsEdit, 1);
    auto *pushRow = new QHBoxLayout;
    pushRow->addWidget(m_pushSpin);
    pushRow->addWidget(m_pushTextEdit, 1);
    auto *messagesForm = new QFormLayout(messagesBox);
    messagesForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    messagesForm->addRow(buddyLabel(QString(), m_protocolCombo, messagesBox), protocolRow);
    messagesForm->addRow(buddyLabel(QString(), m_greetingEdit, messagesBox), m_greetingEdit);
    messagesForm->addRow(buddyLabel(QString(), m_pushSpin, messagesBox), pushRow);

    // Who may connect.
    auto *accessBox = new QGroupBox(this);
    accessBox->setObjectName(QStringLiteral("serverAccessBox"));
    m_subprotocolsEdit = new QLineEdit(accessBox);
    m_subprotocolsEdit->setObjectName(QStringLiteral("serverSubprotocolsEdit"));
    m_originsEdit = new QLineEdit(accessBox);
    m_originsEdit->setObjectName(QStringLiteral("serverOriginsEdit"));
    m_maxClientsSpin = new QSpinBox(accessBox);
    m_maxClientsSpin->setObjectName(QStringLiteral("serverMaxClientsSpin"));
    m_maxClientsSpin->setRange(0, 1000000);
    m_maxSizeSpin = new QSpinBox(accessBox);
    m_maxSizeSpin->setObjectName(QStringLiteral("serverMaxMessageSizeSpin"));
    m_maxSizeSpin->setRange(0, int(ServerOptions::QtMaxMessageSize));
    m_maxSizeSpin->setGroupSeparatorShown(true);
    m_maxSizeSpin->setSingleStep(1024 * 1024);
    m_maxSendBufferSpin = new QSpinBox(accessBox);
    m_maxSendBufferSpin->setObjectName(QStringLiteral("serverMaxSendBufferSpin"));
    m_maxSendBufferSpin->setRange(0, std::numeric_limits<int>::max());
    m_maxSendBufferSpin->setGroupSeparatorShown(true);
    m_maxSendBufferSpin->setSingleStep(1024 * 1024);
    auto *limitsRow = new QHBoxLayout;
    limitsRow->addWidget(m_maxClientsSpin);
    limitsRow->addSpacing(8);
    limitsRow->addWidget(buddyLabel(QString(), m_maxSizeSpin, accessBox));
    limitsRow->addWidget(m_maxSizeSpin, 1);
    auto *accessForm = new QFormLayout(accessBox);
    accessForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    accessForm->addRow(buddyLabel(QString(), m_subprotocolsEdit, accessBox), m_subprotocolsEdit);
    accessForm->addRow(buddyLabel(QString(), m_originsEdit, accessBox), m_originsEdit);
    accessForm->addRow(buddyLabel(QString(), m_maxClientsSpin, accessBox), limitsRow);
    accessForm->addRow(buddyLabel(QString(), m_maxSendBufferSpin, accessBox), m_maxSendBufferSpin);
    m_deflateCheck = new QCheckBox(accessBox);
    m_deflateCheck->setObjectName(QStringLiteral("serverDeflateCheck"));
    m_deflateCheck->setChecked(true);
    accessForm->addRow(m_deflateCheck);

    m_faults = new FaultsEditor(this);

    m_rulesBox = new QGroupBox(this);
    m_rulesBox->setObjectName(QStringLiteral("serverRulesBox"));
    m_rules = new RulesEditor(m_rulesBox);
    auto *rulesLayout = new QVBoxLayout(m_rulesBox);
    rulesLayout->addWidget(m_rules);
    m_rulesBox->setVisible(false);

    auto *top = new QHBoxLayout;
    top->setSpacing(8);
    top->addWidget(messagesBox, 4);
    top->addWidget(accessBox, 4);
    top->addWidget(tlsBox, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addLayout(top);
    layout->addWidget(m_faults);
    layout->addWidget(m_rulesBox, 1);

    for (QLineEdit *edit :
        { m_certEdit, m_keyEdit, m_greetingEdit, m_pushTextEdit, m_subprotocolsEdit, m_originsEdit }) {
        connect(edit, &QLineEdit::textChanged, this, &ServerSettingsWidget::changed);
    }
    for (QSpinBox *spin : { m_pushSpin, m_maxClientsSpin, m_maxSizeSpin, m_maxSendBufferSpin })
        connect(spin, &QSpinBox::valueChanged, this, &ServerSettingsWidget::changed);
    connect(m_deflateCheck, &QCheckBox::toggled, this, &ServerSettingsWidget::changed);
    connect(
        m_pushSpin, &QSpinBox::valueChanged, this, [this](int ms) { m_pushTextEdit->setEnabled(ms > 0); });
    connect(m_tlsCheck, &QCheckBox::toggled, this, [this] {
        updateTls();
        Q_EMIT changed();
    });
    connect(m_certButton, &QPushButton::clicked, this,
        [this] { browse(m_certEdit, tr("Choose the server certificate (PEM)")); });
    connect(m_keyButton, &QPushButton::clicked, this,
        [this] { browse(m_keyEdit, tr("Choose the private key (PEM)")); });
    connect(m_rules, &RulesEditor::changed, this, &ServerSettingsWidget::changed);
    connect(m_faults, &FaultsEditor::changed, this, &ServerSettingsWidget::changed);

    retranslateUi();
    setOptions(ServerOptions {});
}

void ServerSettingsWidget::browse(QLineEdit *edit, const QString &caption)
{
    const QString path = Dialogs::getOpenFileName(
        this, caption, edit->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
    if (!path.isEmpty()) {
        edit->setText(path);
        m_tlsCheck->setChecked(true);
    }
}

void ServerSettingsWidget::updateTls()
{
    const bool on = m_tlsCheck->isChecked();
    for (QWidget *w : { static_cast<QWidget *>(m_certEdit), static_cast<QWidget *>(m_keyEdit) })
        w->setEnabled(on);
}

bool ServerSettingsWidget::isTlsEnabled() const
{
    return m_tlsCheck->isChecked();
}

void ServerSettingsWidget::setOptions(const ServerOptions &options)
{
    m_tlsCheck->setChecked(options.isSecure() || !options.keyFile.isEmpty());
    m_certEdit->setText(options.certificateFile);
    m_keyEdit->setText(options.keyFile);
    m_greetingEdit->setText(options.greeting);
    m_pushSpin->setValue(options.pushIntervalMs);
    m_pushTextEdit->setText(options.pushText);
    m_pushTextEdit->setEnabled(options.pushIntervalMs > 0);
    m_subprotocolsEdit->setText(options.subprotocols.join(QLatin1String(", ")));
    m_originsEdit->setText(options.allowedOrigins.join(QLatin1String(", ")));
    m_maxClientsSpin->setValue(options.maxClients);
    m_maxSizeSpin->setValue(int(qBound(qint64(0), options.maxMessageSize, ServerOptions::QtMaxMessageSize)));
    // A limit above what the spin box holds shows as its largest value; 0 (no limit) stays 0.
    m_maxSendBufferSpin->setValue(
        int(qBound(qint64(0), options.maxSendBuffer, qint64(std::numeric_limits<int>::max()))));
    m_deflateCheck->setChecked(options.deflate);
    m_rules->setRules(options.rules);
    m_faults->setPlan(options.faults);
    m_protocolCombo->setCurrentIndex(qMax(0, m_protocolCombo->findData(int(options.protocol.id))));
    m_protocolParamsEdit->setText(options.protocol.params.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(options.protocol.params).toJson(QJsonDocument::Compact)));
    updateTls();
}

void ServerSettingsWidget::applyTo(ServerOptions *options) const
{
    if (m_tlsCheck->isChecked()) {
        options->certificateFile = m_certEdit->text().trimmed();
        options->keyFile = m_keyEdit->text().trimmed();
    } else {
        options->certificateFile.clear();
        options->keyFile.clear();
    }
    options->greeting = m_greetingEdit->text();
    options->pushIntervalMs = m_pushSpin->value();
    options->pushText = m_pushTextEdit->text();
    options->subprotocols = splitList(m_subprotocolsEdit->text());
    options->allowedOrigins = splitList(m_originsEdit->text());
    options->maxClients = m_maxClientsSpin->value();
    options->maxMessageSize = m_maxSizeSpin->value();
    options->maxSendBuffer = m_maxSendBufferSpin->value();
    options->deflate = m_deflateCheck->isChecked();
    options->rules = m_rules->rules();
    options->faults = m_faults->plan();
    options->protocol.id = ProtocolId(m_protocolCombo->currentData().toInt());
    options->protocol.params = QJsonDocument::fromJson(m_protocolParamsEdit->text().toUtf8()).object();
}

QString ServerSettingsWidget::problem(ServerOptions::Behaviour behaviour) const
{
    if (m_tlsCheck->isChecked()
        && (m_certEdit->text().trimmed().isEmpty() || m_keyEdit->text().trimmed().isEmpty()))
        return tr("wss:// needs a certificate file and a key file: choose them under TLS.");
    if (const QString params = m_protocolParamsEdit->text().trimmed(); !params.isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(params.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return tr("The protocol settings must be a JSON object such as {\"mode\": \"broadcast\"}: %1")
                .arg(error.error != QJsonParseError::NoError ? error.errorString() : tr("not an object"));
    }
    if (const QString faults = m_faults->plan().validate(); !faults.isEmpty())
        return faults;
    if (behaviour == ServerOptions::Behaviour::Rules) {
        QString error;
        m_rules->rules(&error);
        if (!error.isEmpty())
            return error;
        if (m_rules->ruleCount() == 0)
            return tr("The reply-rules behaviour needs at least one rule: add one under Reply rules.");
    }
    return {};
}

void ServerSettingsWidget::setRulesVisible(bool visible)
{
    m_rulesBox->setVisible(visible);
}

void ServerSettingsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ServerSettingsWidget::retranslateUi()
{
    setAccessibleName(tr("Server settings"));
    describe(m_tlsCheck, QStringLiteral("serverTlsCheck"), tr("Secure server (wss)"),
        tr("Serve wss:// with a PEM certificate and an unencrypted PEM key"));
    describe(m_certEdit, QStringLiteral("serverCertEdit"), tr("Certificate file"),
        tr("The server certificate (PEM), optionally followed by its chain"));
    m_certEdit->setPlaceholderText(tr("cert.pem"));
    describe(m_certButton, QStringLiteral("serverCertButton"), tr("Choose certificate file"),
        tr("Choose the certificate file"));
    describe(m_keyEdit, QStringLiteral("serverKeyEdit"), tr("Key file"),
        tr("The certificate's private key (PEM, RSA or EC, not encrypted)"));
    m_keyEdit->setPlaceholderText(tr("key.pem"));
    describe(
        m_keyButton, QStringLiteral("serverKeyButton"), tr("Choose key file"), tr("Choose the key file"));
    describe(m_greetingEdit, QStringLiteral("serverGreetingEdit"), tr("Greeting"),
        tr("Sent to each client when it connects; {{client}} and {{time}} are filled in. Empty: none."));
    m_greetingEdit->setPlaceholderText(tr("none, e.g. welcome, client {{client}}"));
    describe(m_pushSpin, QStringLiteral("serverPushIntervalSpin"), tr("Periodic push interval"),
        tr("Every so many milliseconds, send the push text to every client (at least 10 ms; 0: off)"));
    m_pushSpin->setSuffix(tr(" ms"));
    m_pushSpin->setSpecialValueText(tr("off"));
    describe(m_pushTextEdit, QStringLiteral("serverPushTextEdit"), tr("Periodic push text"),
        tr("What the periodic push sends; {{client}} and {{time}} are filled in"));
    describe(m_subprotocolsEdit, QStringLiteral("serverSubprotocolsEdit"), tr("Supported subprotocols"),
        tr("Subprotocols the server accepts, in order of preference, separated by commas. Empty: none."));
    m_subprotocolsEdit->setPlaceholderText(tr("none, e.g. chat.v2, chat.v1"));
    describe(m_originsEdit, QStringLiteral("serverOriginsEdit"), tr("Allowed origins"),
        tr("Origins allowed to connect, separated by commas; others get 403. Empty: any origin."));
    m_originsEdit->setPlaceholderText(tr("any, e.g. http://localhost:3000"));
    describe(m_maxClientsSpin, QStringLiteral("serverMaxClientsSpin"), tr("Maximum clients"),
        tr("How many clients may be connected at once; more get 503. 0: no limit."));
    m_maxClientsSpin->setSpecialValueText(tr("no limit"));
    describe(m_maxSizeSpin, QStringLiteral("serverMaxMessageSizeSpin"), tr("Maximum message size"),
        tr("The largest message a client may send, in bytes; a larger one closes it with 1009. 0: no "
           "limit."));
    m_maxSizeSpin->setSuffix(tr(" bytes"));
    m_maxSizeSpin->setSpecialValueText(tr("no limit"));
    describe(m_maxSendBufferSpin, QStringLiteral("serverMaxSendBufferSpin"), tr("Maximum send buffer"),
        tr("The most bytes sent to one client and not yet taken by it; a client over it when more is sent "
           "is dropped (it is not reading). 0: no limit."));
    m_maxSendBufferSpin->setSuffix(tr(" bytes"));
    m_maxSendBufferSpin->setSpecialValueText(tr("no limit"));
    const auto label = [this](QWidget *buddy, const QString &text) {
        findChild<QLabel *>(buddy->objectName() + QStringLiteral("Label"))->setText(text);
    };
    findChild<QGroupBox *>(QStringLiteral("serverTlsBox"))->setTitle(tr("TLS"));
    m_tlsCheck->setText(tr("&Secure (wss://)"));
    m_certButton->setText(tr("&Browse\u2026"));
    m_keyButton->setText(tr("Bro&wse\u2026"));
    findChild<QLabel *>(QStringLiteral("serverTlsHint"))
        ->setText(
            tr("A localhost pair: openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem "
               "-days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"));
    label(m_certEdit, tr("&Certificate:"));
    label(m_keyEdit, tr("&Key:"));
    findChild<QGroupBox *>(QStringLiteral("serverMessagesBox"))->setTitle(tr("Sent by the server"));
    label(m_greetingEdit, tr("&Greeting:"));
    label(m_protocolCombo, tr("Pro&tocol:"));
    for (int i = 0; i < m_protocolCombo->count(); ++i)
        m_protocolCombo->setItemText(
            i, ProtocolNames::displayName(ProtocolId(m_protocolCombo->itemData(i).toInt())));
    describe(m_protocolCombo, QStringLiteral("serverProtocolCombo"), tr("Server protocol"),
        tr("Raw: the behaviour answers. Socket.IO server, GraphQL mock, STOMP or MQTT broker: the protocol "
           "answers every client instead, and the behaviour is not used."));
    describe(m_protocolParamsEdit, QStringLiteral("serverProtocolParamsEdit"), tr("Protocol settings"),
        tr("The protocol server's settings as a JSON object, e.g. {\"mode\": \"broadcast\"} for Socket.IO or "
           "{\"count\": 10} for the GraphQL mock. Empty: the defaults."));
    m_protocolParamsEdit->setPlaceholderText(tr("defaults, e.g. {\"mode\": \"broadcast\"}"));
    label(m_pushSpin, tr("&Push every:"));
    findChild<QGroupBox *>(QStringLiteral("serverAccessBox"))->setTitle(tr("Access and limits"));
    label(m_maxSizeSpin, tr("Max &size:"));
    label(m_subprotocolsEdit, tr("Sub&protocols:"));
    label(m_originsEdit, tr("&Origins:"));
    label(m_maxClientsSpin, tr("Max c&lients:"));
    label(m_maxSendBufferSpin, tr("Max &queued:"));
    describe(m_deflateCheck, QStringLiteral("serverDeflateCheck"), tr("Compression (permessage-deflate)"),
        tr("Agree to permessage-deflate when a client offers it, as browsers do (RFC 7692); each client's "
           "handshake shows what was agreed. Off: every client talks uncompressed."));
    m_deflateCheck->setText(tr("Co&mpression (permessage-deflate)"));
    m_rulesBox->setTitle(tr("Reply rules"));
}

} // namespace wst
