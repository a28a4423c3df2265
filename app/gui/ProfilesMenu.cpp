#include "ProfilesMenu.h"

#include "ConnectionPage.h"
#include "Dialogs.h"
#include "compose/ConnectionProfile.h"
#include "settings/AppSettings.h"

#include <QMessageBox>

namespace wst {

ProfilesMenu::ProfilesMenu(std::function<ConnectionPage *()> current, QWidget *parent)
    : QMenu(tr("&Profiles"), parent)
    , m_current(std::move(current))
{
    setObjectName(QStringLiteral("profilesMenu"));
    setToolTipsVisible(true);
    connect(this, &QMenu::aboutToShow, this, &ProfilesMenu::rebuild);
    rebuild();
}

bool ProfilesMenu::saveProfile(QWidget *parent, const QString &suggested, const QJsonObject &settings)
{
    QString name;
    if (!Dialogs::getText(parent, tr("Save as Profile"), tr("Name of the profile:"), suggested, &name))
        return false;
    name = name.trimmed();
    if (name.isEmpty())
        return false;
    AppSettings *appSettings = AppSettings::instance();
    if (ConnectionProfile::indexOf(ConnectionProfile::load(appSettings), name) >= 0
        && Dialogs::question(parent, tr("Save as Profile"),
               tr("A profile named \u201c%1\u201d exists. Replace it?").arg(name))
            != QMessageBox::Yes)
        return false;
    ConnectionProfile::save(appSettings, { name, settings });
    return true;
}

void ProfilesMenu::rebuild()
{
    clear();
    QAction *save = addAction(tr("&Save Current Connection as Profile\u2026"));
    save->setObjectName(QStringLiteral("saveProfileAction"));
    save->setToolTip(tr("Keep the current tab's URL and request options under a name"));
    ConnectionPage *page = m_current();
    save->setEnabled(page && page->canSaveAsProfile());
    connect(save, &QAction::triggered, this, [this] {
        if (ConnectionPage *current = m_current())
            current->saveAsProfile();
    });
    const QList<ConnectionProfile> profiles = ConnectionProfile::load(AppSettings::instance());
    addSeparator();
    if (profiles.isEmpty()) {
        QAction *none = addAction(tr("No profiles yet"));
        none->setEnabled(false);
        return;
    }
    QMenu *remove = nullptr;
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles.at(i);
        QString label = p.name;
        label.replace(u'&', QStringLiteral("&&"));
        QAction *open = addAction(label);
        open->setObjectName(QStringLiteral("openProfileAction_%1").arg(i));
        open->setToolTip(tr("Open %1 in a new tab").arg(p.settings.value(QStringLiteral("url")).toString()));
        connect(open, &QAction::triggered, this, [this, name = p.name] { Q_EMIT openRequested(name); });
        if (!remove) {
            remove = new QMenu(tr("&Delete Profile"), this);
            remove->setObjectName(QStringLiteral("deleteProfileMenu"));
        }
        QAction *del = remove->addAction(label);
        connect(del, &QAction::triggered, this, [this, name = p.name] {
            if (Dialogs::question(
                    parentWidget(), tr("Delete Profile"), tr("Delete the profile \u201c%1\u201d?").arg(name))
                == QMessageBox::Yes)
                ConnectionProfile::remove(AppSettings::instance(), name);
        });
    }
    addSeparator();
    addMenu(remove);
}

} // namespace wst
