#pragma once

#include "compose/MessageFormat.h"
#include "messages/Message.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;

namespace wst {

// "Edit & forward" of a held message: its payload as text, JSON (checked) or bytes in hex or
// base64, the way the composer reads them; OK forwards what is written instead.
class HeldMessageEditor : public QDialog
{
    Q_OBJECT
public:
    HeldMessageEditor(Kind kind, const QByteArray &payload, const QString &title, QWidget *parent = nullptr);

    QComboBox *formatCombo() const { return m_format; }
    QPlainTextEdit *editor() const { return m_editor; }
    // What OK forwards (valid only when error() is empty).
    Kind kind() const { return m_encoded.binary ? Kind::Binary : Kind::Text; }
    QByteArray payload() const { return m_encoded.payload; }
    QString error() const { return m_encoded.error; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void revalidate();
    MessageFormat::Type format() const;

    QLabel *m_formatLabel = nullptr;
    QComboBox *m_format = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    MessageFormat::Encoded m_encoded;
    QString m_title;
};

} // namespace wst
