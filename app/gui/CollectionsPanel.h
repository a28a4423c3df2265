#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;
class QUndoStack;

namespace wst {

class ActionRegistry;
class CollectionStore;
class ConnectionPage;
class ConnectionTabWidget;

// The Collections page of the workspace: the collections folder as a tree (collections,
// folders, connections and server setups), filtered by name or URL. Enter or a double-click
// opens an entry in a tab (not connected); the context menu and the keys (F2, Del, Ctrl+Z)
// edit the tree; entries are dragged between folders. It also owns File > Save to Collection,
// which takes Ctrl+S while the current tab came from a collection.
class CollectionsPanel : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    // Opens tabs in `tabs` (through its newClientRequested/newServerRequested, as the window
    // answers them) and takes the window's Save Session and Save to Collection from `actions`.
    CollectionsPanel(ConnectionTabWidget *tabs, ActionRegistry *actions, QWidget *parent);

    CollectionStore *store() const { return m_store; }
    QTreeView *view() const { return m_view; }
    QUndoStack *undoStack() const { return m_undo; }
    // The last notice (a problem, a secret left out, what Undo brings back); empty when none.
    QString notice() const;

    // Opens the entry in a new tab, or brings the tab already opened from it to the front.
    // nullptr for a folder or an unknown id.
    ConnectionPage *open(const QString &id);
    QString currentId() const;
    void select(const QString &id);

    // The actions of the context menu, on the current item.
    QString newCollection();
    QString newFolder();
    QString saveCurrentTabHere();
    QString duplicateCurrent();
    void renameCurrent();
    bool deleteCurrent();
    QString importCollection();
    bool exportCurrent();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildActions();
    void showMenu(const QPoint &pos);
    void updateActions();
    void updateSaveShortcut();
    void saveCurrentTab();
    void showNotice(const QString &text);
    void showStatus(const QString &text, int timeoutMs);
    QString containerOf(const QString &id) const;
    QModelIndex sourceIndex(const QModelIndex &viewIndex) const;

    ConnectionTabWidget *m_tabs = nullptr;
    ActionRegistry *m_actions = nullptr;
    CollectionStore *m_store = nullptr;
    QLineEdit *m_search = nullptr;
    QTreeView *m_view = nullptr;
    QSortFilterProxyModel *m_filter = nullptr;
    QLabel *m_notice = nullptr;
    QUndoStack *m_undo = nullptr;
    QAction *m_open = nullptr;
    QAction *m_newCollection = nullptr;
    QAction *m_newFolder = nullptr;
    QAction *m_saveHere = nullptr;
    QAction *m_duplicate = nullptr;
    QAction *m_rename = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_import = nullptr;
    QAction *m_export = nullptr;
    QAction *m_saveToCollection = nullptr; // the window's
};

} // namespace wst
