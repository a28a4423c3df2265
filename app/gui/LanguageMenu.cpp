#include "LanguageMenu.h"

#include "Gui.h"
#include "settings/AppSettings.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QEvent>

namespace wst {

LanguageMenu::LanguageMenu(QWidget *parent)
    : QMenu(parent)
    , m_group(new QActionGroup(this))
{
    setObjectName(QStringLiteral("languageMenu"));
    m_group->setExclusive(true);
    const QString current = AppSettings::instance()->language();
    const std::pair<QString, QString> languages[] = {
        { QString(), QString() }, // named in retranslateUi()
        { QStringLiteral("en"), QStringLiteral("English") }, // each language in its own words
        { QStringLiteral("zh_CN"), QStringLiteral("\u7b80\u4f53\u4e2d\u6587") },
    };
    for (const auto &[code, name] : languages) {
        QAction *action = addAction(name);
        action->setObjectName(
            QStringLiteral("languageAction_") + (code.isEmpty() ? QStringLiteral("system") : code));
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        m_group->addAction(action);
        // A copy: clang 14 cannot capture a structured binding.
        connect(action, &QAction::triggered, this, [this, language = code] { setLanguage(language); });
    }
    retranslateUi();
}

void LanguageMenu::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMenu::changeEvent(event);
}

void LanguageMenu::retranslateUi()
{
    setTitle(tr("&Language"));
    m_group->actions().constFirst()->setText(tr("System"));
}

void LanguageMenu::setLanguage(const QString &language)
{
    AppSettings *settings = AppSettings::instance();
    if (settings->language() == language)
        return;
    settings->setLanguage(language);
    // Every open window retranslates itself on the LanguageChange this sends.
    gui::installTranslations(QCoreApplication::instance(), language);
}

} // namespace wst
