#include "MqttComposer.h"

#include "protocols/mqtt/MqttCodec.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace wst {

namespace {
enum Action { Publish, Subscribe, Unsubscribe };
} // namespace

MqttComposer::MqttComposer(QWidget *parent)
    : ProtocolComposer(parent)
{
    setObjectName(QStringLiteral("mqttComposer"));
    m_form = new QFormLayout(this);
    m_action = new QComboBox(this);
    m_action->setObjectName(QStringLiteral("mqttAction"));
    m_action->addItems({ QString(), QString(), QString() });
    m_topic = new QLineEdit(this);
    m_topic->setObjectName(QStringLiteral("mqttTopic"));
    m_qos = new QComboBox(this);
    m_qos->setObjectName(QStringLiteral("mqttQos"));
    m_qos->addItems({ QString(), QString(), QString() });
    m_retain = new QCheckBox(this);
    m_retain->setObjectName(QStringLiteral("mqttRetain"));
    m_payload = new QPlainTextEdit(this);
    m_payload->setObjectName(QStringLiteral("mqttPayload"));
    m_payload->setTabChangesFocus(true);
    m_userProperties = new QPlainTextEdit(this);
    m_userProperties->setObjectName(QStringLiteral("mqttUserProperties"));
    m_userProperties->setTabChangesFocus(true);
    m_userProperties->setMaximumHeight(m_userProperties->fontMetrics().lineSpacing() * 4);
    m_send = new QPushButton(this);
    m_send->setObjectName(QStringLiteral("mqttSend"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("mqttStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const std::initializer_list<QWidget *> fields { m_action, m_topic, m_qos, m_retain, m_payload,
        m_userProperties };
    for (QWidget *w : fields) {
        auto *label = new QLabel(this);
        label->setBuddy(w);
        m_labels.append(label);
        m_form->addRow(label, w);
    }
    m_form->addRow(m_send);
    m_form->addRow(m_status);

    connect(m_action, &QComboBox::currentIndexChanged, this, [this] { updateFields(); });
    connect(m_send, &QPushButton::clicked, this, [this] { send(); });
    connect(m_topic, &QLineEdit::returnPressed, this, [this] { send(); });
    retranslateUi();
    updateFields();
}

void MqttComposer::retranslateUi()
{
    setAccessibleName(tr("MQTT composer"));
    m_action->setItemText(Publish, tr("Publish"));
    m_action->setItemText(Subscribe, tr("Subscribe"));
    m_action->setItemText(Unsubscribe, tr("Unsubscribe"));
    m_action->setAccessibleName(tr("MQTT action"));
    m_action->setToolTip(tr("Publish a message, or subscribe to / unsubscribe from a topic filter"));
    m_qos->setItemText(0, tr("0 - at most once"));
    m_qos->setItemText(1, tr("1 - at least once"));
    m_qos->setItemText(2, tr("2 - exactly once"));
    m_qos->setAccessibleName(tr("QoS"));
    m_qos->setToolTip(tr("Quality of service: the acknowledgements (PUBACK, or PUBREC/PUBREL/PUBCOMP) are "
                         "exchanged by wstester and shown in the history"));
    m_retain->setText(tr("Retain"));
    m_retain->setToolTip(tr("The broker keeps the message and gives it to later subscribers; an empty "
                            "retained message clears the topic"));
    m_payload->setAccessibleName(tr("Payload"));
    m_payload->setPlaceholderText(tr("Message payload (JSON or text)"));
    m_userProperties->setAccessibleName(tr("User properties"));
    m_userProperties->setPlaceholderText(tr("name: value (one per line)"));
    m_userProperties->setToolTip(tr("MQTT 5 user properties sent with the PUBLISH"));
    m_status->setAccessibleName(tr("Last MQTT reply"));
    m_labels[0]->setText(tr("Action:"));
    m_labels[2]->setText(tr("QoS:"));
    m_labels[4]->setText(tr("Payload:"));
    m_labels[5]->setText(tr("User properties:"));
    updateFields();
}

void MqttComposer::updateFields()
{
    const int action = m_action->currentIndex();
    const bool publish = action == Publish;
    m_labels[1]->setText(publish ? tr("Topic:") : tr("Topic filter:"));
    m_topic->setAccessibleName(publish ? tr("Topic") : tr("Topic filter"));
    m_topic->setPlaceholderText(
        publish ? tr("sensors/kitchen/temperature") : tr("sensors/+/temperature or sensors/#"));
    m_form->setRowVisible(2, action != Unsubscribe);
    m_form->setRowVisible(3, publish);
    m_form->setRowVisible(4, publish);
    m_form->setRowVisible(5, publish && m_v5);
    m_send->setText(m_action->currentText());
    m_send->setToolTip(m_connected
            ? QString()
            : tr("Not connected yet: the command is sent once the broker's CONNACK arrives"));
}

void MqttComposer::setProtocolOptions(const ProtocolOptions &options)
{
    m_v5 = options.integer(QStringLiteral("version"), mqtt::Version311) == mqtt::Version5;
    updateFields();
}

void MqttComposer::setConnected(bool open)
{
    m_connected = open;
    updateFields();
}

void MqttComposer::showProblem(const QString &problem)
{
    m_status->setText(problem);
}

void MqttComposer::showReply(const ProtocolNotice &notice)
{
    const QJsonObject data = notice.data.toObject();
    const QString packet = data.value(QStringLiteral("packet")).toString();
    const QString reason = data.value(QStringLiteral("reason")).toString();
    const QString time
        = notice.rttUs >= 0 ? tr("%1 ms").arg(double(notice.rttUs) / 1000.0, 0, 'f', 1) : QString();
    m_status->setText(tr("%1 %2 (%3) in %4").arg(packet, notice.name, reason, time));
}

void MqttComposer::send()
{
    ProtocolCommand command;
    const int action = m_action->currentIndex();
    command.verb = action == Publish ? QStringLiteral("publish")
        : action == Subscribe        ? QStringLiteral("subscribe")
                                     : QStringLiteral("unsubscribe");
    command.name = m_topic->text().trimmed();
    if (const QString bad = mqtt::MqttCodec::checkTopic(command.name, action != Publish); !bad.isEmpty()) {
        showProblem(tr("Not sent: %1.").arg(bad));
        return;
    }
    if (action != Unsubscribe)
        command.qos = m_qos->currentIndex();
    if (action == Publish) {
        command.retain = m_retain->isChecked();
        command.body = m_payload->toPlainText().toUtf8();
        if (m_v5) {
            const QStringList lines = m_userProperties->toPlainText().split(QLatin1Char('\n'));
            for (int i = 0; i < lines.size(); ++i) {
                if (lines[i].trimmed().isEmpty())
                    continue;
                const qsizetype colon = lines[i].indexOf(QLatin1Char(':'));
                if (colon <= 0) {
                    showProblem(tr("Not sent: user property line %1 is not \"name: value\".").arg(i + 1));
                    return;
                }
                command.headers.append({ lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed() });
            }
        }
    }
    m_status->clear();
    Q_EMIT commandRequested(command);
}

void MqttComposer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ProtocolComposer::changeEvent(event);
}

} // namespace wst
