#pragma once

#include <QMenu>

namespace wst {

class ActionRegistry;

// Help: Keyboard Shortcuts (the ActionRegistry's list, in a dialog that stays open beside the
// window), About wstester and About Qt.
class HelpMenu : public QMenu
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    HelpMenu(ActionRegistry *actions, QWidget *window);

    void showShortcuts();
    void about();
};

} // namespace wst
