#pragma once

#include "compose/SavedMessage.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wst {

// Edits one saved message: its name, format and body. OK is refused while the name is empty.
class SavedMessageDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SavedMessageDialog(QWidget *parent = nullptr);

    void setMessage(const SavedMessage &message);
    SavedMessage message() const;

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *formatCombo() const { return m_format; }
    QPlainTextEdit *bodyEdit() const { return m_body; }

    void accept() override;

private:
    QLineEdit *m_name = nullptr;
    QComboBox *m_format = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace wst
