#pragma once

#include <QJsonObject>
#include <QMenu>

#include <functional>

namespace wst {

class ConnectionPage;

// The Profiles menu: save the current connection's URL and request options under a name, open
// a saved profile in a new tab, delete one. Rebuilt from AppSettings each time it opens.
class ProfilesMenu : public QMenu
{
    Q_OBJECT
public:
    // `current` gives the window's current page (nullptr: none).
    ProfilesMenu(std::function<ConnectionPage *()> current, QWidget *parent);

    void rebuild();

    // Asks for a name (suggested: `name`) and keeps `settings` as a profile, asking before it
    // replaces one of the same name. False when cancelled.
    static bool saveProfile(QWidget *parent, const QString &name, const QJsonObject &settings);

Q_SIGNALS:
    void openRequested(const QString &name);

private:
    std::function<ConnectionPage *()> m_current;
};

} // namespace wst
