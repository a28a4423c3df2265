#pragma once

#include "ProtocolComposer.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace wst {

// STOMP connection settings: login, passcode, virtual host, heart-beat intervals and version
// (the params documented in StompProtocol.h).
class StompSettingsEditor final : public ProtocolSettingsEditor
{
    Q_OBJECT
public:
    explicit StompSettingsEditor(QWidget *parent = nullptr);

    void setParams(const QJsonObject &params) override;
    QJsonObject params() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLineEdit *m_login;
    QLineEdit *m_passcode;
    QLineEdit *m_host;
    QSpinBox *m_heartbeatOut;
    QSpinBox *m_heartbeatIn;
    QComboBox *m_version;
    bool m_loading = false;
};

} // namespace wst
