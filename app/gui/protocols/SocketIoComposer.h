#pragma once

#include "ProtocolComposer.h"

#include <QJsonArray>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wst {

// Socket.IO emit: an event name, its JSON args (one per line, or one JSON array holding all of
// them) and "Expect ack"; the last ack's reply and round-trip time are shown under it.
class SocketIoComposer final : public ProtocolComposer
{
    Q_OBJECT
public:
    explicit SocketIoComposer(QWidget *parent = nullptr);

    void showReply(const ProtocolNotice &notice) override;
    void setConnected(bool open) override;
    void showProblem(const QString &problem) override;

    // The args as typed: a JSON array of all of them, or one JSON value per non-empty line.
    // On a problem returns false and sets *error, naming the line.
    static bool parseArgs(const QString &text, QJsonArray *args, QString *error);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void send();

    QLabel *m_eventLabel = nullptr;
    QLabel *m_argsLabel = nullptr;
    QLineEdit *m_event = nullptr;
    QPlainTextEdit *m_args = nullptr;
    QCheckBox *m_expectAck = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_reply = nullptr;
    bool m_connected = false;
};

} // namespace wst
