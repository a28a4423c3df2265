#pragma once

#include <QDialog>

class QTableWidget;

namespace wst {

// Help > Keyboard Shortcuts: every shortcut of the ActionRegistry's table, with where it works.
// Not modal, so a test (or a user) can read it beside the window.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ShortcutsDialog(QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table = nullptr;
};

} // namespace wst
