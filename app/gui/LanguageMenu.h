#pragma once

#include <QMenu>

class QActionGroup;

namespace wst {

// View > Language: the system's language, English or Simplified Chinese, each named in its own
// words. The choice is kept in AppSettings and takes effect at once in every open window.
class LanguageMenu : public QMenu
{
    Q_OBJECT
public:
    explicit LanguageMenu(QWidget *parent);

Q_SIGNALS:
    // A line for the status bar.
    void message(const QString &text, int timeoutMs);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setLanguage(const QString &language);
    void retranslateUi();

    QActionGroup *m_group = nullptr;
};

} // namespace wst
