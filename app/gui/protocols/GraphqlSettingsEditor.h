#pragma once

#include "ProtocolComposer.h"

#include <QJsonObject>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace wst {

// GraphQL over WebSocket's connection settings: the subprotocol (graphql-transport-ws or the
// legacy graphql-ws), the connection_init payload as JSON, and how long to wait for the ack.
// Keys it does not show (the mock server's) are kept as they were.
class GraphqlSettingsEditor : public ProtocolSettingsEditor
{
    Q_OBJECT
public:
    explicit GraphqlSettingsEditor(QWidget *parent = nullptr);

    void setParams(const QJsonObject &params) override;
    // While the payload text is not a JSON object, the last good payload is kept (the text
    // stays in the editor, with the problem shown under it).
    QJsonObject params() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void payloadEdited();

    QComboBox *m_subprotocol;
    QPlainTextEdit *m_payload;
    QSpinBox *m_ackTimeout;
    QLabel *m_problem;
    QJsonObject m_params;
    bool m_loading = false;
};

} // namespace wst
