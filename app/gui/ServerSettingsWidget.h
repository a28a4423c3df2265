#pragma once

#include "server/ServerOptions.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace wst {

class FaultsEditor;
class RulesEditor;

// The local server's options beyond address, port and behaviour: TLS files, greeting, periodic
// push, subprotocols, Origin allow-list, limits, and the reply rules.
class ServerSettingsWidget : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ServerSettingsWidget(QWidget *parent = nullptr);

    // Fills the fields this widget owns from the options, and writes them back.
    void setOptions(const ServerOptions &options);
    void applyTo(ServerOptions *options) const;
    // Why the fields cannot be used as they are (a rule that does not compile, wss without files),
    // or an empty string. The behaviour decides whether the rules matter.
    QString problem(ServerOptions::Behaviour behaviour) const;

    void setRulesVisible(bool visible);
    RulesEditor *rulesEditor() const { return m_rules; }
    bool isTlsEnabled() const;

Q_SIGNALS:
    void changed();

private:
    void browse(QLineEdit *edit, const QString &caption);
    void updateTls();

    QCheckBox *m_tlsCheck = nullptr;
    QLineEdit *m_certEdit = nullptr;
    QPushButton *m_certButton = nullptr;
    QLineEdit *m_keyEdit = nullptr;
    QPushButton *m_keyButton = nullptr;
    QLineEdit *m_greetingEdit = nullptr;
    QComboBox *m_protocolCombo = nullptr; // a protocol's server answers instead of the behaviour
    QLineEdit *m_protocolParamsEdit = nullptr; // its settings as a JSON object
    QSpinBox *m_pushSpin = nullptr;
    QLineEdit *m_pushTextEdit = nullptr;
    QLineEdit *m_subprotocolsEdit = nullptr;
    QLineEdit *m_originsEdit = nullptr;
    QSpinBox *m_maxClientsSpin = nullptr;
    QSpinBox *m_maxSizeSpin = nullptr;
    QSpinBox *m_maxSendBufferSpin = nullptr;
    QCheckBox *m_deflateCheck = nullptr;
    QGroupBox *m_rulesBox = nullptr;
    RulesEditor *m_rules = nullptr;
    FaultsEditor *m_faults = nullptr;
};

} // namespace wst
