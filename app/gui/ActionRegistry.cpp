#include "ActionRegistry.h"

#include "GuiHelpers.h"

#include <QWidget>

namespace wst {

namespace {

QKeySequence keys(QKeyCombination combination)
{
    return QKeySequence(combination);
}

ActionRegistry::Entry local(
    const QString &id, const QString &text, const QList<QKeySequence> &keys, const QString &where)
{
    ActionRegistry::Entry entry;
    entry.id = id;
    entry.text = text;
    entry.keys = keys;
    entry.where = where;
    return entry;
}

} // namespace

QList<ActionRegistry::Entry> ActionRegistry::entries()
{
    const QString window = tr("Window");
    const QString client = tr("Client tab");
    const QString composer = tr("Composer");
    const QString history = tr("History");
    const QString details = tr("Message details");
    const QString headers = tr("Request headers");
    const QString saved = tr("Saved messages");
    const QString variables = tr("Variables");
    const QString rules = tr("Reply rules");
    const QString connections = tr("Connection history");
    const QString collections = tr("Collections");
    const QKeySequence ctrlEnter[] = { keys(Qt::CTRL | Qt::Key_Return), keys(Qt::CTRL | Qt::Key_Enter) };
    // Menus show the window entries in this order; the list of shortcuts too.
    QList<Entry> all = {
        { QStringLiteral("newConnectionAction"), tr("&New Connection"), { keys(Qt::CTRL | Qt::Key_T) },
            window, tr("Open a tab for a new connection (Ctrl+T)"), tr("Open a tab for a new connection"),
            QStringLiteral("new-connection"), QAction::NoRole, true },
        { QStringLiteral("newServerAction"), tr("New &Local Server"),
            { keys(Qt::CTRL | Qt::SHIFT | Qt::Key_T) }, window,
            tr("Open a tab with a WebSocket server on this machine, for testing clients (Ctrl+Shift+T)"),
            tr("Open a tab with a WebSocket server on this machine"), QStringLiteral("new-server"),
            QAction::NoRole, true },
        { QStringLiteral("newProxyAction"), tr("New &Proxy"), { keys(Qt::CTRL | Qt::SHIFT | Qt::Key_P) },
            window,
            tr("Open a tab with an intercepting proxy between a real app and a real server (Ctrl+Shift+P)"),
            tr("Open a tab with an intercepting proxy between a real app and a real server"),
            QStringLiteral("new-proxy"), QAction::NoRole, true },
        { QStringLiteral("newWindowAction"), tr("New &Window"), { keys(Qt::CTRL | Qt::Key_N) }, window,
            tr("Open a window with a session of its own (Ctrl+N)"), {}, {}, QAction::NoRole, true },
        { QStringLiteral("openSessionAction"), tr("&Open Session\u2026"), { keys(Qt::CTRL | Qt::Key_O) },
            window, tr("Open a saved session with its tabs and their histories (Ctrl+O)"), {},
            QStringLiteral("open"), QAction::NoRole, true },
        { QStringLiteral("saveSessionAction"), tr("&Save Session"), { keys(Qt::CTRL | Qt::Key_S) }, window,
            tr("Save every tab with its settings and its whole history (Ctrl+S)"), {}, QStringLiteral("save"),
            QAction::NoRole, true },
        { QStringLiteral("saveSessionAsAction"), tr("Save Session &As\u2026"),
            { keys(Qt::CTRL | Qt::SHIFT | Qt::Key_S) }, window,
            tr("Save the session to another file (Ctrl+Shift+S)"), {}, {}, QAction::NoRole, true },
        { QStringLiteral("saveToCollectionAction"), tr("Save to &Collection"), { keys(Qt::CTRL | Qt::Key_S) },
            window,
            tr("Save the tab's settings to the collection entry it came from, or keep it as a new entry "
               "(Ctrl+S "
               "while the current tab came from a collection; Save Session has Ctrl+S otherwise)"),
            {}, {}, QAction::NoRole, true },
        { QStringLiteral("importHarAction"), tr("&Import HAR\u2026"), {}, window,
            tr("Open the WebSocket connections of a HAR file (as Chrome DevTools saves it) as tabs"), {}, {},
            QAction::NoRole, true },
        { QStringLiteral("exportAction"), tr("&Export\u2026"), { keys(Qt::CTRL | Qt::Key_E) }, window,
            tr("Export the session, this tab or the selected messages as HAR, NDJSON, JSON, CSV, or a k6 or "
               "Artillery load script (Ctrl+E)"),
            {}, {}, QAction::NoRole, true },
        { QStringLiteral("closeTabAction"), tr("&Close Tab"), { keys(Qt::CTRL | Qt::Key_W) }, window,
            tr("Close the current tab and its connection (Ctrl+W)"), {}, QStringLiteral("close-tab"),
            QAction::NoRole, true },
        { QStringLiteral("renameTabAction"), tr("&Rename Tab\u2026"), { QKeySequence(Qt::Key_F2) }, window,
            tr("Give the current tab a name (F2)"), {}, {}, QAction::NoRole, true },
        { QStringLiteral("closeWindowAction"), tr("Close &Window"),
            { keys(Qt::CTRL | Qt::SHIFT | Qt::Key_W) }, window,
            tr("Close this window and its connections (Ctrl+Shift+W)"), {}, {}, QAction::NoRole, true },
        { QStringLiteral("quitAction"), tr("&Quit"), { QKeySequence(QKeySequence::Quit) }, window,
            tr("Close every window, asking about unsaved sessions (Ctrl+Q)"), {}, {}, QAction::QuitRole,
            true },
        { QStringLiteral("workspaceAction"), tr("&Workspace"), { QKeySequence(Qt::Key_F9) }, window,
            tr("Show or hide the workspace: collections, connection history, environments (F9)"), {}, {},
            QAction::NoRole, true },
        { QStringLiteral("chartsAction"), tr("&Charts"), { QKeySequence(Qt::Key_F7) }, window,
            tr("Show or hide the live charts of the current tab: messages and bytes per second, ping round "
               "trips, a JSON value (F7)"),
            {}, {}, QAction::NoRole, true },
        { QStringLiteral("statisticsAction"), tr("&Statistics\u2026"), { QKeySequence(Qt::Key_F8) }, window,
            tr("Counts, sizes, times between messages and top JSON values of the current tab (F8)"), {}, {},
            QAction::NoRole, true },
        { QStringLiteral("decoderAction"), tr("&Decoder\u2026"), {}, window,
            tr("Choose how the current client tab reads binary messages: MessagePack, CBOR or Protocol "
               "Buffers"),
            {}, {}, QAction::NoRole, true },
        { QStringLiteral("keyboardShortcutsAction"), tr("&Keyboard Shortcuts"), {}, window,
            tr("List every keyboard shortcut of wstester"), {}, {}, QAction::NoRole, true },
        { QStringLiteral("aboutAction"), tr("&About wstester"), {}, window, {}, {}, {}, QAction::AboutRole,
            true },
        { QStringLiteral("aboutQtAction"), tr("About &Qt"), {}, window, {}, {}, {}, QAction::AboutQtRole,
            true },

        local(QStringLiteral("focusUrlAction"), tr("Go to the URL"), { keys(Qt::CTRL | Qt::Key_L) }, client),
        local(QStringLiteral("toggleHandshakeAction"), tr("Show the handshake or the history"),
            { keys(Qt::CTRL | Qt::Key_I) }, client),
        local(QStringLiteral("toggleSavedMessagesAction"), tr("Show or hide the saved messages"),
            { keys(Qt::CTRL | Qt::Key_B) }, client),
        local(QStringLiteral("composerSendAction"), tr("Send the message"), { ctrlEnter[0], ctrlEnter[1] },
            composer),
        local(QStringLiteral("saveLocalAction"), tr("Save the message for this connection"),
            { keys(Qt::CTRL | Qt::Key_D) }, composer),
        local(QStringLiteral("clearHistoryAction"), tr("Clear the history"), { keys(Qt::CTRL | Qt::Key_L) },
            history),
        local(QStringLiteral("findHistoryAction"), tr("Filter the history"),
            { QKeySequence(QKeySequence::Find) }, history),
        local(QStringLiteral("findInMessageAction"), tr("Find in the message"),
            { QKeySequence(QKeySequence::Find) }, details),
        local(QStringLiteral("findNextAction"), tr("Next match"), { QKeySequence(Qt::Key_F3) }, details),
        local(QStringLiteral("findPreviousAction"), tr("Previous match"), { keys(Qt::SHIFT | Qt::Key_F3) },
            details),
        local(QStringLiteral("copyRowsAction"), tr("Copy the selected messages"),
            { QKeySequence(QKeySequence::Copy) }, history),
        local(QStringLiteral("compareAction"), tr("Compare the two selected messages"),
            { keys(Qt::CTRL | Qt::Key_D) }, history),
        local(
            QStringLiteral("addHeaderAction"), tr("Add a header"), { QKeySequence(Qt::Key_Insert) }, headers),
        local(QStringLiteral("removeHeadersAction"), tr("Remove the selected headers"),
            { QKeySequence(QKeySequence::Delete) }, headers),
        local(QStringLiteral("removeSavedMessageAction"), tr("Delete the saved message"),
            { QKeySequence(QKeySequence::Delete) }, saved),
        local(QStringLiteral("renameSavedMessageAction"), tr("Rename the saved message"),
            { QKeySequence(Qt::Key_F2) }, saved),
        local(QStringLiteral("addVariableAction"), tr("Add a variable"), { QKeySequence(Qt::Key_Insert) },
            variables),
        local(QStringLiteral("removeVariablesAction"), tr("Remove the selected variables"),
            { QKeySequence(QKeySequence::Delete) }, variables),
        local(QStringLiteral("addRuleAction"), tr("Add a rule"), { QKeySequence(Qt::Key_Insert) }, rules),
        local(QStringLiteral("removeRuleAction"), tr("Remove the rule"),
            { QKeySequence(QKeySequence::Delete) }, rules),
        local(QStringLiteral("moveRuleUpAction"), tr("Move the rule up"), { keys(Qt::ALT | Qt::Key_Up) },
            rules),
        local(QStringLiteral("moveRuleDownAction"), tr("Move the rule down"),
            { keys(Qt::ALT | Qt::Key_Down) }, rules),
        local(QStringLiteral("copyHistoryUrlAction"), tr("Copy the URLs of the selected connections"),
            { QKeySequence(QKeySequence::Copy) }, connections),
        local(QStringLiteral("deleteHistoryEntriesAction"), tr("Delete the selected connections"),
            { QKeySequence(QKeySequence::Delete) }, connections),
        local(QStringLiteral("openCollectionEntryKey"), tr("Open the entry in a tab"),
            { QKeySequence(Qt::Key_Return) }, collections),
        local(QStringLiteral("renameCollectionItemKey"), tr("Rename the item"), { QKeySequence(Qt::Key_F2) },
            collections),
        local(QStringLiteral("deleteCollectionItemKey"), tr("Delete the item"),
            { QKeySequence(Qt::Key_Delete) }, collections),
        local(QStringLiteral("undoCollectionsKey"), tr("Undo the last delete"),
            { QKeySequence(QKeySequence::Undo) }, collections),
    };
    return all;
}

QList<ActionRegistry::Entry> ActionRegistry::shortcuts()
{
    QList<Entry> found;
    for (const Entry &e : entries()) {
        if (!e.keys.isEmpty())
            found.append(e);
    }
    return found;
}

ActionRegistry::Entry ActionRegistry::entry(const QString &id)
{
    for (const Entry &e : entries()) {
        if (e.id == id)
            return e;
    }
    qWarning("ActionRegistry: no action %s", qPrintable(id));
    return {};
}

ActionRegistry::ActionRegistry(QWidget *window)
    : QObject(window)
{
    for (const Entry &e : entries()) {
        if (!e.window)
            continue;
        auto *action = new QAction(e.text, window);
        action->setObjectName(e.id);
        if (!e.icon.isEmpty())
            action->setIcon(gui::icon(e.icon));
        action->setShortcuts(e.keys);
        if (!e.toolTip.isEmpty())
            action->setToolTip(e.toolTip);
        if (!e.statusTip.isEmpty())
            action->setStatusTip(e.statusTip);
        action->setMenuRole(e.role);
        if (!e.keys.isEmpty())
            window->addAction(action);
        m_actions.insert(e.id, action);
        m_ordered.append(action);
    }
}

void ActionRegistry::retranslate(QWidget *root)
{
    QHash<QString, Entry> byId;
    for (const Entry &e : entries())
        byId.insert(e.id, e);
    // The window's actions and the local ones of its tabs and panes (addLocal), all named by id;
    // a pane that shows other words on an action sets them again in its own retranslateUi().
    const QList<QAction *> actions = root->findChildren<QAction *>();
    for (QAction *action : actions) {
        const auto found = byId.constFind(action->objectName());
        if (found == byId.constEnd())
            continue;
        action->setText(found->text);
        if (!found->toolTip.isEmpty())
            action->setToolTip(found->toolTip);
        if (!found->statusTip.isEmpty())
            action->setStatusTip(found->statusTip);
    }
}

QAction *ActionRegistry::action(const QString &id) const
{
    QAction *found = m_actions.value(id);
    if (!found)
        qWarning("ActionRegistry: no window action %s", qPrintable(id));
    return found;
}

QAction *ActionRegistry::addLocal(QWidget *owner, const QString &id, Qt::ShortcutContext context)
{
    const Entry e = entry(id);
    auto *action = new QAction(e.text, owner);
    action->setObjectName(id);
    action->setShortcuts(e.keys);
    action->setShortcutContext(context);
    owner->addAction(action);
    return action;
}

} // namespace wst
