#pragma once

#include <QMenu>

class QActionGroup;

namespace wst {

// View > Language: the system's language, English or Simplified Chinese, each named in its own
// words. The choice is kept in AppSettings and takes effect at the next start, as it says.
class LanguageMenu : public QMenu
{
    Q_OBJECT
public:
    explicit LanguageMenu(QWidget *parent);

Q_SIGNALS:
    // A line for the status bar.
    void message(const QString &text, int timeoutMs);

private:
    void setLanguage(const QString &language);

    QActionGroup *m_group = nullptr;
};

} // namespace wst
