#include "ThemeMenu.h"

#include "Theme.h"
#include "settings/AppSettings.h"

#include <QActionGroup>
#include <QApplication>
#include <QEvent>

namespace wst {

ThemeMenu::ThemeMenu(QWidget *parent)
    : QMenu(parent)
    , m_group(new QActionGroup(this))
{
    setObjectName(QStringLiteral("themeMenu"));
    m_group->setExclusive(true);
    const QString current = AppSettings::instance()->theme();
    for (const theme::Choice choice : { theme::Choice::System, theme::Choice::Light, theme::Choice::Dark }) {
        const QString name = theme::choiceName(choice);
        QAction *action = addAction(QString());
        action->setObjectName(QStringLiteral("themeAction_") + name);
        action->setCheckable(true);
        action->setChecked(name == current);
        action->setData(name);
        m_group->addAction(action);
        connect(action, &QAction::triggered, this, [this, name] { choose(name); });
    }
    retranslateUi();
}

void ThemeMenu::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMenu::changeEvent(event);
}

void ThemeMenu::retranslateUi()
{
    setTitle(tr("&Theme"));
    const QList<QAction *> actions = m_group->actions();
    actions.at(0)->setText(tr("Follow the &Desktop"));
    actions.at(1)->setText(tr("&Light"));
    actions.at(2)->setText(tr("Dar&k"));
}

void ThemeMenu::choose(const QString &name)
{
    AppSettings *settings = AppSettings::instance();
    // Choosing "Follow the Desktop" again reads the desktop's preference again.
    if (name != theme::choiceName(theme::Choice::System) && settings->theme() == name
        && theme::choiceName(theme::applied()) == name)
        return;
    settings->setTheme(name);
    theme::apply(theme::choiceFromName(name));
    // Every open window has the new palette; the other windows' menus show the choice too.
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        for (ThemeMenu *menu : widget->findChildren<ThemeMenu *>()) {
            for (QAction *action : menu->m_group->actions())
                action->setChecked(action->data().toString() == name);
        }
    }
    QString line;
    if (theme::applied() != theme::Choice::System)
        line = theme::appliedDark() ? tr("Theme: dark") : tr("Theme: light");
    else
        line = theme::appliedDark() ? tr("Theme: following the desktop, which prefers dark")
                                    : tr("Theme: following the desktop, which prefers light");
    Q_EMIT message(line, 4000);
}

} // namespace wst
