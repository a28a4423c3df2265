#pragma once

#include "ProtocolComposer.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace wst {

// Socket.IO connection settings: the namespace, the auth object of the CONNECT packet and the
// Engine.IO version (4: Socket.IO v3/v4, 3: Socket.IO v2). Auth that is not a JSON object is
// kept as typed (the protocol's validate() names the problem) so that nothing is lost.
class SocketIoSettingsEditor final : public ProtocolSettingsEditor
{
    Q_OBJECT
public:
    explicit SocketIoSettingsEditor(QWidget *parent = nullptr);

    void setParams(const QJsonObject &params) override;
    QJsonObject params() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateProblem();

    QLabel *m_namespaceLabel = nullptr;
    QLabel *m_authLabel = nullptr;
    QLabel *m_eioLabel = nullptr;
    QLineEdit *m_namespace = nullptr;
    QPlainTextEdit *m_auth = nullptr;
    QComboBox *m_eio = nullptr;
    QLabel *m_problem = nullptr;
    QJsonObject m_other; // params this editor does not show (path, server mode), kept as they were
};

} // namespace wst
