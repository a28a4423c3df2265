#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace wst {

// Ping and close: a Ping button with the round trip beside it, and a close code and reason with
// the button that sends them. Both are checked as typed (a ping payload of at most 125 bytes, a
// close code that may be sent, a reason of at most 123 bytes) and the problem is said inline.
// The owner says when pinging and closing are possible and does them on the request signals.
//   Close: a client tab's bar on one line, with a ping payload; closes with 1000 by default.
//   Kick:  a server tab's bar for the selected client, stacked under the client list; no ping
//          payload, kicks with 4000 by default.
class PingCloseBar : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    enum class Role { Close, Kick };

    explicit PingCloseBar(Role role, QWidget *parent = nullptr);

    Role role() const { return m_role; }

    // The ping's payload in UTF-8 (always empty for Kick).
    QByteArray pingPayload() const;
    int closeCode() const;
    QString closeReason() const;
    // Close role: the user confirmed sending a code that must never be on the wire (1005, 1006,
    // 1015), to test a server; shown and asked only while such a code is chosen.
    bool sendAnyway() const;

    // Checks the fields again, shows the problem inline and returns whether they can be sent.
    bool checkPing();
    bool checkClose();

    // Whether the connection can take a ping / a close now; whyNot is the buttons' tooltip then
    // (empty: the usual tooltip). For Kick the code and reason fields follow the availability.
    void setPingAvailable(bool available, const QString &whyNot = {});
    void setCloseAvailable(bool available, const QString &whyNot = {});
    // The buttons' text when it names a target ("Kick client 3").
    void setPingButtonText(const QString &text);
    void setCloseButtonText(const QString &text);

    // The line beside the Ping button ("RTT 1.25 ms", "waiting…").
    QString rttText() const;
    void setRttText(const QString &text);

    QLineEdit *pingPayloadEdit() const { return m_pingPayload; } // null for Kick
    QPushButton *pingButton() const { return m_pingButton; }
    QSpinBox *closeCodeSpin() const { return m_closeCode; }
    QLineEdit *closeReasonEdit() const { return m_closeReason; }
    QPushButton *closeButton() const { return m_closeButton; }

Q_SIGNALS:
    // The Ping button, or Enter in the payload field.
    void pingRequested();
    // The Close (Kick) button, or Enter in the reason field.
    void closeRequested();

private:
    void buildCloseRole();
    void buildKickRole();
    void validatePing();
    void validateClose();
    void updateButtons();

    Role m_role;
    QLineEdit *m_pingPayload = nullptr;
    QPushButton *m_pingButton = nullptr;
    QLabel *m_rttLabel = nullptr;
    QLabel *m_pingError = nullptr;
    QSpinBox *m_closeCode = nullptr;
    QLabel *m_closeCodeDescription = nullptr;
    QLineEdit *m_closeReason = nullptr;
    QCheckBox *m_sendAnyway = nullptr;
    int m_sendAnywayCode = -1; // the code the check box was last set up for
    QPushButton *m_closeButton = nullptr;
    QLabel *m_closeError = nullptr;

    QString m_pingTip;
    QString m_closeTip;
    bool m_pingValid = true;
    bool m_closeValid = true;
    bool m_pingAvailable = false;
    bool m_closeAvailable = false;
    QString m_pingWhyNot;
    QString m_closeWhyNot;
};

} // namespace wst
