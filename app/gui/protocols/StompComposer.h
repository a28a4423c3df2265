#pragma once

#include "ProtocolComposer.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wst {

// Composes one STOMP frame: SEND, SUBSCRIBE, UNSUBSCRIBE, ACK, NACK, BEGIN, COMMIT or ABORT,
// with its destination or id, extra headers as "Name: value" lines, a body for SEND, and
// "Request receipt" (the RECEIPT and its time are shown under the button).
class StompComposer final : public ProtocolComposer
{
    Q_OBJECT
public:
    explicit StompComposer(QWidget *parent = nullptr);

    void showReply(const ProtocolNotice &notice) override;
    void setConnected(bool open) override;
    void showProblem(const QString &problem) override;

    // Parses "Name: value" lines (blank lines skipped). On a bad line sets *error and returns {}.
    static ProtocolFields parseHeaders(const QString &text, QString *error);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateFields();
    void submit();
    QString verb() const;

    QComboBox *m_type;
    QLineEdit *m_destination;
    QLineEdit *m_id;
    QComboBox *m_ack;
    QLineEdit *m_transaction;
    QPlainTextEdit *m_headers;
    QPlainTextEdit *m_body;
    QCheckBox *m_receipt;
    QPushButton *m_send;
    QLabel *m_status;
    bool m_open = false;
};

} // namespace wst
