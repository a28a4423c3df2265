#pragma once

#include "ProtocolComposer.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wst {

// The MQTT composer: publish (topic, QoS, retain, payload, MQTT 5 user properties as
// "name: value" lines), subscribe (topic filter, QoS) and unsubscribe.
class MqttComposer final : public ProtocolComposer
{
    Q_OBJECT
public:
    explicit MqttComposer(QWidget *parent = nullptr);

    void setProtocolOptions(const ProtocolOptions &options) override;
    void showReply(const ProtocolNotice &notice) override;
    void setConnected(bool open) override;
    void showProblem(const QString &problem) override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateFields();
    void send();

    QFormLayout *m_form = nullptr;
    QList<QLabel *> m_labels;
    QComboBox *m_action = nullptr;
    QLineEdit *m_topic = nullptr;
    QComboBox *m_qos = nullptr;
    QCheckBox *m_retain = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QPlainTextEdit *m_userProperties = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_status = nullptr;
    bool m_v5 = false;
    bool m_connected = false;
};

} // namespace wst
