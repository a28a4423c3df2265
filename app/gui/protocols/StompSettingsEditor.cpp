#include "StompSettingsEditor.h"

#include "GuiHelpers.h"
#include "protocols/stomp/StompProtocol.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace wst {

using gui::describe;

StompSettingsEditor::StompSettingsEditor(QWidget *parent)
    : ProtocolSettingsEditor(parent)
    , m_login(new QLineEdit(this))
    , m_passcode(new QLineEdit(this))
    , m_host(new QLineEdit(this))
    , m_heartbeatOut(new QSpinBox(this))
    , m_heartbeatIn(new QSpinBox(this))
    , m_version(new QComboBox(this))
{
    setObjectName(QStringLiteral("stompSettings"));
    m_passcode->setEchoMode(QLineEdit::Password);
    for (QSpinBox *box : { m_heartbeatOut, m_heartbeatIn }) {
        box->setRange(0, 86400000);
        box->setSingleStep(1000);
        box->setValue(StompProtocol::DefaultHeartbeatMs);
    }
    m_version->addItem(QStringLiteral("1.2"), QStringLiteral("1.2"));
    m_version->addItem(QStringLiteral("1.1"), QStringLiteral("1.1"));

    auto *form = new QFormLayout(this);
    form->setContentsMargins(4, 4, 4, 4);
    form->addRow(QStringLiteral("-"), m_login);
    form->addRow(QStringLiteral("-"), m_passcode);
    form->addRow(QStringLiteral("-"), m_host);
    form->addRow(QStringLiteral("-"), m_heartbeatOut);
    form->addRow(QStringLiteral("-"), m_heartbeatIn);
    form->addRow(QStringLiteral("-"), m_version);
    retranslateUi();

    const auto edited = [this] {
        if (!m_loading)
            Q_EMIT this->edited();
    };
    for (QLineEdit *edit : { m_login, m_passcode, m_host })
        connect(edit, &QLineEdit::textChanged, this, edited);
    for (QSpinBox *box : { m_heartbeatOut, m_heartbeatIn })
        connect(box, &QSpinBox::valueChanged, this, edited);
    connect(m_version, &QComboBox::currentIndexChanged, this, edited);
}

void StompSettingsEditor::setParams(const QJsonObject &params)
{
    m_loading = true;
    m_login->setText(params.value(QStringLiteral("login")).toString());
    m_passcode->setText(params.value(QStringLiteral("passcode")).toString());
    m_host->setText(params.value(QStringLiteral("host")).toString());
    m_heartbeatOut->setValue(
        params.value(QStringLiteral("heartbeatOutMs")).toInt(StompProtocol::DefaultHeartbeatMs));
    m_heartbeatIn->setValue(
        params.value(QStringLiteral("heartbeatInMs")).toInt(StompProtocol::DefaultHeartbeatMs));
    const int version
        = m_version->findData(params.value(QStringLiteral("version")).toString(QStringLiteral("1.2")));
    m_version->setCurrentIndex(qMax(0, version));
    m_loading = false;
}

QJsonObject StompSettingsEditor::params() const
{
    QJsonObject p;
    // Only what differs from the defaults, so saved sessions stay small and readable.
    if (!m_login->text().isEmpty())
        p.insert(QStringLiteral("login"), m_login->text());
    if (!m_passcode->text().isEmpty())
        p.insert(QStringLiteral("passcode"), m_passcode->text());
    if (!m_host->text().trimmed().isEmpty())
        p.insert(QStringLiteral("host"), m_host->text().trimmed());
    if (m_heartbeatOut->value() != StompProtocol::DefaultHeartbeatMs)
        p.insert(QStringLiteral("heartbeatOutMs"), m_heartbeatOut->value());
    if (m_heartbeatIn->value() != StompProtocol::DefaultHeartbeatMs)
        p.insert(QStringLiteral("heartbeatInMs"), m_heartbeatIn->value());
    if (m_version->currentData().toString() != QLatin1String("1.2"))
        p.insert(QStringLiteral("version"), m_version->currentData().toString());
    return p;
}

void StompSettingsEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolSettingsEditor::changeEvent(event);
}

void StompSettingsEditor::retranslateUi()
{
    setAccessibleName(tr("STOMP settings"));
    describe(
        m_login, QStringLiteral("stompLogin"), tr("Login"), tr("The login header of CONNECT; empty: none"));
    gui::setFormLabel(m_login, tr("Login:"));
    describe(m_passcode, QStringLiteral("stompPasscode"), tr("Passcode"),
        tr("The passcode header of CONNECT; empty: none"));
    gui::setFormLabel(m_passcode, tr("Passcode:"));
    describe(m_host, QStringLiteral("stompHost"), tr("Virtual host"),
        tr("The host header of CONNECT (RabbitMQ's virtual host); empty: the URL's host"));
    gui::setFormLabel(m_host, tr("Host:"));
    m_host->setPlaceholderText(tr("the URL's host"));
    describe(m_heartbeatOut, QStringLiteral("stompHeartbeatOut"), tr("Send heart-beats every"),
        tr("How often this side can send heart-beats; the server may ask for a slower pace. 0: never"));
    gui::setFormLabel(m_heartbeatOut, tr("Send heart-beats every:"));
    describe(m_heartbeatIn, QStringLiteral("stompHeartbeatIn"), tr("Expect heart-beats every"),
        tr("How often the server should send heart-beats; a server silent for twice as long is noted. 0: "
           "never"));
    gui::setFormLabel(m_heartbeatIn, tr("Expect heart-beats every:"));
    for (QSpinBox *box : { m_heartbeatOut, m_heartbeatIn }) {
        box->setSuffix(tr(" ms"));
        box->setSpecialValueText(tr("off"));
    }
    describe(m_version, QStringLiteral("stompVersion"), tr("STOMP version"),
        tr("1.2 offers 1.2 and 1.1 (the server chooses); 1.1 offers 1.1 only"));
    gui::setFormLabel(m_version, tr("Version:"));
}

} // namespace wst
