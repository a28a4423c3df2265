#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace wst {

class ClientConnection;

// The frame composer of the Frames view: a hand-made frame (any opcode, FIN, RSV bits, mask,
// a lying length, fragments, pings between them, any close code, bytewise sending) sent by the
// wire relay straight to the server. The fields write the spec line (the `connect --frame`
// form), which can also be typed; Send sends what the spec line says. The first send of a tab
// warns that this can break the connection.
class FrameComposer : public QWidget
{
    Q_OBJECT
public:
    explicit FrameComposer(ClientConnection *connection, QWidget *parent = nullptr);

    QString specText() const;
    // The spec line from the fields.
    QString specFromFields() const;
    bool send();

Q_SIGNALS:
    // Before a frame is sent: the Frames view starts recording, so that it shows.
    void aboutToSend();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateSpec();
    void updateEnabled();

    ClientConnection *m_connection = nullptr;
    QComboBox *m_opcode = nullptr;
    QCheckBox *m_fin = nullptr;
    QCheckBox *m_rsv[3] = {};
    QCheckBox *m_mask = nullptr;
    QLineEdit *m_maskKey = nullptr;
    QComboBox *m_payloadForm = nullptr;
    QLineEdit *m_payload = nullptr;
    QSpinBox *m_closeCode = nullptr;
    QCheckBox *m_badUtf8 = nullptr;
    QComboBox *m_lengthMode = nullptr;
    QSpinBox *m_lengthValue = nullptr;
    QCheckBox *m_len64 = nullptr;
    QSpinBox *m_fragments = nullptr;
    QCheckBox *m_pingBetween = nullptr;
    QSpinBox *m_bytewise = nullptr;
    QLineEdit *m_spec = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_labels[6] = {};
    bool m_warned = false; // once per tab
};

} // namespace wst
