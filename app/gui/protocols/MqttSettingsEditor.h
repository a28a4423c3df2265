#pragma once

#include "ProtocolComposer.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace wst {

// The MQTT connection settings: version, client id, clean start, keep-alive, user name and
// password, and the will (topic, payload, QoS, retain). Keys the editor does not show (e.g.
// "sessionExpiry") are kept as they were.
class MqttSettingsEditor final : public ProtocolSettingsEditor
{
    Q_OBJECT
public:
    explicit MqttSettingsEditor(QWidget *parent = nullptr);

    void setParams(const QJsonObject &params) override;
    QJsonObject params() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QFormLayout *m_form = nullptr;
    QList<QLabel *> m_labels;
    QComboBox *m_version = nullptr;
    QLineEdit *m_clientId = nullptr;
    QCheckBox *m_cleanStart = nullptr;
    QSpinBox *m_keepAlive = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_willTopic = nullptr;
    QLineEdit *m_willPayload = nullptr;
    QComboBox *m_willQos = nullptr;
    QCheckBox *m_willRetain = nullptr;
    QJsonObject m_params;
    bool m_loading = false;
};

} // namespace wst
