#pragma once

#include <QAction>
#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QString>

class QWidget;

namespace wst {

// Every action of the window and every keyboard shortcut of the app, in one table: the menus,
// the toolbar and the tests find an action here by its objectName, the tabs and panes make their
// local shortcuts from it (addLocal), and Help > Keyboard Shortcuts lists it.
class ActionRegistry : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        QString id; // the action's objectName
        QString text; // as in a menu, with its & mnemonic
        QList<QKeySequence> keys;
        QString where; // where the shortcut works ("Window", "Client tab", ...)
        QString toolTip;
        QString statusTip;
        QString icon; // a name for gui::icon(), or empty
        QAction::MenuRole role = QAction::NoRole;
        bool window = false; // one per window, created by the registry
    };

    // Creates the window's actions (not yet connected), added to `window` so that their
    // shortcuts work in any tab.
    explicit ActionRegistry(QWidget *window);

    // The window action of that objectName; nullptr (and a warning) for an unknown name.
    QAction *action(const QString &id) const;
    QList<QAction *> actions() const { return m_ordered; }

    // A shortcut that works only in `owner` (a tab, a list): an action from the table added to
    // it with `context`. The caller connects triggered().
    static QAction *addLocal(QWidget *owner, const QString &id, Qt::ShortcutContext context);

    // Sets the texts, tooltips and status tips of the table again, in the language now installed,
    // on every action under root (the window's and the local ones) named after an entry.
    static void retranslate(QWidget *root);

    // Every entry of the table, window actions first.
    static QList<Entry> entries();
    // Only those with a key.
    static QList<Entry> shortcuts();
    static Entry entry(const QString &id);

private:
    QHash<QString, QAction *> m_actions;
    QList<QAction *> m_ordered;
};

} // namespace wst
