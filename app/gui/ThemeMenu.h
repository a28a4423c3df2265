#pragma once

#include <QMenu>

class QActionGroup;

namespace wst {

// View > Theme: follow the desktop, light or dark. The choice is kept in AppSettings ("ui/theme")
// and takes effect at once in every open window (theme::apply()).
class ThemeMenu : public QMenu
{
    Q_OBJECT
public:
    explicit ThemeMenu(QWidget *parent);

Q_SIGNALS:
    // A line for the status bar.
    void message(const QString &text, int timeoutMs);

protected:
    void changeEvent(QEvent *event) override;

private:
    void choose(const QString &name);
    void retranslateUi();

    QActionGroup *m_group = nullptr;
};

} // namespace wst
