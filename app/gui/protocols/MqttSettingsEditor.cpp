#include "MqttSettingsEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace wst {

MqttSettingsEditor::MqttSettingsEditor(QWidget *parent)
    : ProtocolSettingsEditor(parent)
{
    setObjectName(QStringLiteral("mqttSettings"));
    m_form = new QFormLayout(this);
    m_version = new QComboBox(this);
    m_version->setObjectName(QStringLiteral("mqttVersion"));
    m_version->addItem(QStringLiteral("MQTT 3.1.1"), 4);
    m_version->addItem(QStringLiteral("MQTT 5.0"), 5);
    m_clientId = new QLineEdit(this);
    m_clientId->setObjectName(QStringLiteral("mqttClientId"));
    m_cleanStart = new QCheckBox(this);
    m_cleanStart->setObjectName(QStringLiteral("mqttCleanStart"));
    m_cleanStart->setChecked(true);
    m_keepAlive = new QSpinBox(this);
    m_keepAlive->setObjectName(QStringLiteral("mqttKeepAlive"));
    m_keepAlive->setRange(0, 65535);
    m_keepAlive->setValue(60);
    m_username = new QLineEdit(this);
    m_username->setObjectName(QStringLiteral("mqttUsername"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("mqttPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_willTopic = new QLineEdit(this);
    m_willTopic->setObjectName(QStringLiteral("mqttWillTopic"));
    m_willPayload = new QLineEdit(this);
    m_willPayload->setObjectName(QStringLiteral("mqttWillPayload"));
    m_willQos = new QComboBox(this);
    m_willQos->setObjectName(QStringLiteral("mqttWillQos"));
    m_willQos->addItems({ QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2") });
    m_willRetain = new QCheckBox(this);
    m_willRetain->setObjectName(QStringLiteral("mqttWillRetain"));
    const std::initializer_list<QWidget *> fields { m_version, m_clientId, m_cleanStart, m_keepAlive,
        m_username, m_password, m_willTopic, m_willPayload, m_willQos, m_willRetain };
    for (QWidget *w : fields) {
        auto *label = new QLabel(this);
        label->setBuddy(w);
        m_labels.append(label);
        m_form->addRow(label, w);
    }
    auto changed = [this] {
        if (!m_loading)
            Q_EMIT edited();
    };
    connect(m_version, &QComboBox::currentIndexChanged, this, changed);
    connect(m_willQos, &QComboBox::currentIndexChanged, this, changed);
    connect(m_cleanStart, &QCheckBox::toggled, this, changed);
    connect(m_willRetain, &QCheckBox::toggled, this, changed);
    connect(m_keepAlive, &QSpinBox::valueChanged, this, changed);
    for (QLineEdit *edit : { m_clientId, m_username, m_password, m_willTopic, m_willPayload })
        connect(edit, &QLineEdit::textEdited, this, changed);
    retranslateUi();
}

void MqttSettingsEditor::retranslateUi()
{
    setAccessibleName(tr("MQTT settings"));
    const QStringList labels { tr("Version:"), tr("Client id:"), QString(), tr("Keep-alive:"),
        tr("User name:"), tr("Password:"), tr("Will topic:"), tr("Will payload:"), tr("Will QoS:"),
        QString() };
    for (int i = 0; i < m_labels.size(); ++i)
        m_labels[i]->setText(labels.value(i));
    m_version->setAccessibleName(tr("MQTT version"));
    m_version->setToolTip(tr("The protocol level sent in CONNECT: 4 (MQTT 3.1.1) or 5 (MQTT 5.0)"));
    m_clientId->setAccessibleName(tr("Client id"));
    m_clientId->setPlaceholderText(tr("generated (wstester-xxxxxx)"));
    m_clientId->setToolTip(
        tr("The CONNECT client identifier; empty: a new one is generated for every connection"));
    m_cleanStart->setText(tr("Clean start"));
    m_cleanStart->setToolTip(tr("Start a new session (Clean Session in MQTT 3.1.1)"));
    m_keepAlive->setAccessibleName(tr("Keep-alive"));
    m_keepAlive->setSuffix(tr(" s"));
    m_keepAlive->setSpecialValueText(tr("off"));
    m_keepAlive->setToolTip(tr("Seconds between PINGREQs, which wstester sends by itself (an MQTT 5 broker's "
                               "Server Keep Alive wins)"));
    m_username->setAccessibleName(tr("User name"));
    m_password->setAccessibleName(tr("Password"));
    m_willTopic->setAccessibleName(tr("Will topic"));
    m_willTopic->setToolTip(tr("The broker publishes the will message here if the connection drops without "
                               "DISCONNECT; empty: no will"));
    m_willPayload->setAccessibleName(tr("Will payload"));
    m_willQos->setAccessibleName(tr("Will QoS"));
    m_willRetain->setText(tr("Retain the will"));
}

void MqttSettingsEditor::setParams(const QJsonObject &params)
{
    m_loading = true;
    m_params = params;
    m_version->setCurrentIndex(params.value(QStringLiteral("version")).toInt(4) == 5 ? 1 : 0);
    m_clientId->setText(params.value(QStringLiteral("clientId")).toString());
    m_cleanStart->setChecked(params.value(QStringLiteral("cleanStart")).toBool(true));
    m_keepAlive->setValue(params.value(QStringLiteral("keepAlive")).toInt(60));
    m_username->setText(params.value(QStringLiteral("username")).toString());
    m_password->setText(params.value(QStringLiteral("password")).toString());
    const QJsonObject will = params.value(QStringLiteral("will")).toObject();
    m_willTopic->setText(will.value(QStringLiteral("topic")).toString());
    m_willPayload->setText(will.value(QStringLiteral("payload")).toString());
    m_willQos->setCurrentIndex(qBound(0, will.value(QStringLiteral("qos")).toInt(0), 2));
    m_willRetain->setChecked(will.value(QStringLiteral("retain")).toBool(false));
    m_loading = false;
}

QJsonObject MqttSettingsEditor::params() const
{
    QJsonObject p = m_params;
    p.insert(QStringLiteral("version"), m_version->currentData().toInt());
    p.insert(QStringLiteral("cleanStart"), m_cleanStart->isChecked());
    p.insert(QStringLiteral("keepAlive"), m_keepAlive->value());
    auto setOrRemove = [&p](const QString &key, const QString &value) {
        if (value.isEmpty())
            p.remove(key);
        else
            p.insert(key, value);
    };
    setOrRemove(QStringLiteral("clientId"), m_clientId->text().trimmed());
    setOrRemove(QStringLiteral("username"), m_username->text());
    setOrRemove(QStringLiteral("password"), m_password->text());
    if (m_willTopic->text().trimmed().isEmpty()) {
        p.remove(QStringLiteral("will"));
    } else {
        p.insert(QStringLiteral("will"),
            QJsonObject {
                { QStringLiteral("topic"), m_willTopic->text().trimmed() },
                { QStringLiteral("payload"), m_willPayload->text() },
                { QStringLiteral("qos"), m_willQos->currentIndex() },
                { QStringLiteral("retain"), m_willRetain->isChecked() },
            });
    }
    return p;
}

void MqttSettingsEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolSettingsEditor::changeEvent(event);
}

} // namespace wst
