#pragma once

#include "ProtocolComposer.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wst {

// GraphQL over WebSocket: a query (subscription, query or mutation), its variables as JSON and
// an optional operation name; the button starts the operation (Ctrl+Return too). Replies and
// errors of operations are shown in one line under it.
class GraphqlComposer : public ProtocolComposer
{
    Q_OBJECT
public:
    explicit GraphqlComposer(QWidget *parent = nullptr);

    void setConnected(bool open) override;
    void showReply(const ProtocolNotice &notice) override;
    void showProblem(const QString &problem) override;

    // The text as a JSON object: empty text is an empty object. On a problem returns false and
    // sets *error to one line (what is wrong, line and column).
    static bool objectFromText(const QString &text, QJsonObject *object, QString *error);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateButton();
    void submit();
    void setStatus(const QString &text, bool problem);

    QPlainTextEdit *m_query;
    QPlainTextEdit *m_variables;
    QLineEdit *m_operationName;
    QPushButton *m_subscribe;
    QLabel *m_status;
    bool m_connected = false;
};

} // namespace wst
