#include "CollectionsPanel.h"

#include "ActionRegistry.h"
#include "CollectionLink.h"
#include "ConnectionPage.h"
#include "ConnectionTabWidget.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "compose/CollectionStore.h"
#include "settings/AppSettings.h"

#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>

#include <QVBoxLayout>
#include <functional>

namespace wst {

namespace {

// Matches a name or a URL; folders stay shown above what matches (recursive filtering).
class CollectionFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DecorationRole)
            return QSortFilterProxyModel::data(index, role);
        switch (CollectionItem::Kind(index.data(CollectionStore::KindRole).toInt())) {
        case CollectionItem::Kind::Connection:
            return gui::icon(QStringLiteral("new-connection"));
        case CollectionItem::Kind::Server:
            return gui::icon(QStringLiteral("new-server"));
        case CollectionItem::Kind::Collection:
            return QApplication::style()->standardIcon(QStyle::SP_DriveHDIcon);
        default:
            return QApplication::style()->standardIcon(QStyle::SP_DirIcon);
        }
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QRegularExpression &pattern = filterRegularExpression();
        if (pattern.pattern().isEmpty())
            return true;
        const QModelIndex at = sourceModel()->index(row, 0, parent);
        return pattern.match(at.data(Qt::DisplayRole).toString()).hasMatch()
            || pattern.match(at.data(CollectionStore::UrlRole).toString()).hasMatch();
    }
};

class DeleteCommand : public QUndoCommand
{
public:
    DeleteCommand(CollectionStore *store, const QString &id, const QString &text)
        : QUndoCommand(text)
        , m_store(store)
        , m_id(id)
    {
    }
    void redo() override
    {
        if (!m_store->remove(m_id, &m_removed))
            setObsolete(true);
    }
    void undo() override { m_store->restore(m_removed); }

private:
    CollectionStore *m_store;
    QString m_id;
    CollectionStore::Removed m_removed;
};

// Moves `id` so that it ends at `row` of `parentId` (move() takes the row before the item leaves).
void moveToRow(CollectionStore *store, const QString &id, const QString &parentId, int row)
{
    const CollectionItem *it = store->item(id);
    if (!it)
        return;
    const bool sameParent = it->parent && it->parent->id == parentId;
    store->move(id, parentId, sameParent && row > it->row() ? row + 1 : row);
}

// A rename or a move the user already made in the tree: undo takes it back, redo makes it again.
class ViewEditCommand : public QUndoCommand
{
public:
    ViewEditCommand(const QString &text, std::function<void()> undo, std::function<void()> redo)
        : QUndoCommand(text)
        , m_undo(std::move(undo))
        , m_redo(std::move(redo))
    {
    }
    void undo() override { m_undo(); }
    void redo() override
    {
        if (m_done)
            m_redo();
        m_done = true; // the first redo is the push: the edit is already made
    }

private:
    std::function<void()> m_undo;
    std::function<void()> m_redo;
    bool m_done = false;
};

QString describeLeftOut(const QStringList &what)
{
    QStringList parts;
    for (const QString &w : what) {
        if (w.startsWith(QLatin1String("headers.")))
            parts << CollectionsPanel::tr("the %1 header's value").arg(w.mid(8));
        else if (w == QLatin1String("clientKeyPassphrase"))
            parts << CollectionsPanel::tr("the key passphrase");
        else if (w == QLatin1String("proxy.password"))
            parts << CollectionsPanel::tr("the proxy password");
        else if (w == QLatin1String("url.password"))
            parts << CollectionsPanel::tr("the password in the URL");
        else
            parts << w;
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

CollectionsPanel::CollectionsPanel(ConnectionTabWidget *tabs, ActionRegistry *actions, QWidget *parent)
    : QWidget(parent)
    , m_tabs(tabs)
    , m_actions(actions)
    , m_store(CollectionStore::instance())
    , m_search(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_filter(new CollectionFilter(this))
    , m_notice(new QLabel(this))
    , m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("collectionsPanel"));
    m_search->setObjectName(QStringLiteral("collectionsSearch"));
    m_search->setClearButtonEnabled(true);

    m_filter->setSourceModel(m_store);
    m_filter->setRecursiveFilteringEnabled(true);
    m_view->setObjectName(QStringLiteral("collectionsTree"));
    m_view->setModel(m_filter);
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(true);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setDragDropMode(QAbstractItemView::DragDrop);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDropIndicatorShown(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->installEventFilter(this);
    m_view->expandAll();

    m_notice->setObjectName(QStringLiteral("collectionsNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();

    buildActions();
    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("collectionsToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({ m_newCollection, m_newFolder, m_saveHere, m_import, m_export });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(toolbar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_notice);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterRegularExpression(QRegularExpression(
            QRegularExpression::escape(text.trimmed()), QRegularExpression::CaseInsensitiveOption));
        m_view->expandAll();
    });
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        open(sourceIndex(index).data(CollectionStore::IdRole).toString());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &CollectionsPanel::showMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
        &CollectionsPanel::updateActions);
    // New rows (a folder, a restored item, a file imported) are shown open.
    connect(m_filter, &QAbstractItemModel::rowsInserted, m_view,
        [this](const QModelIndex &parent) { m_view->expand(parent); });
    connect(m_store, &CollectionStore::renamedInView, this,
        [this](const QString &id, const QString &before, const QString &after) {
            CollectionStore *store = m_store;
            m_undo->push(new ViewEditCommand(
                tr("Rename \u201c%1\u201d").arg(before), [store, id, before] { store->rename(id, before); },
                [store, id, after] { store->rename(id, after); }));
        });
    connect(m_store, &CollectionStore::movedInView, this,
        [this](const QString &id, const QString &fromParent, int fromRow) {
            CollectionStore *store = m_store;
            const CollectionItem *it = store->item(id);
            const QString toParent = it->parent->id;
            const int toRow = it->row();
            m_undo->push(new ViewEditCommand(
                tr("Move \u201c%1\u201d").arg(it->name),
                [store, id, fromParent, fromRow] { moveToRow(store, id, fromParent, fromRow); },
                [store, id, toParent, toRow] { moveToRow(store, id, toParent, toRow); }));
        });
    connect(m_store, &QAbstractItemModel::rowsInserted, this, &CollectionsPanel::updateSaveShortcut);
    connect(m_store, &QAbstractItemModel::rowsRemoved, this, &CollectionsPanel::updateSaveShortcut);
    connect(m_store, &CollectionStore::secretsLeftOut, this,
        [this](const QString &name, const QStringList &what) {
            showNotice(tr(
                "Not written to the collection file for \u201c%1\u201d: %2. To keep a secret with the entry, "
                "put it in a variable and write {{name}} instead.")
                           .arg(name, describeLeftOut(what)));
        });
    connect(tabs, &QTabWidget::currentChanged, this, &CollectionsPanel::updateSaveShortcut);
    connect(tabs, &ConnectionTabWidget::pageChanged, this, &CollectionsPanel::updateSaveShortcut);

    QStringList notes = m_store->loadErrors();
    if (!notes.isEmpty())
        notes.prepend(tr("Not read (left as they are):"));
    QStringList masked;
    if (const int moved = m_store->migrateProfiles(AppSettings::instance(), &masked)) {
        notes << tr("Your %n connection profile(s) are now entries of the collection \u201cProfiles\u201d.",
            "", moved);
        if (!masked.isEmpty())
            notes << tr(
                "Their secrets were not written to the collection file (the old profiles keep them in "
                "the settings file): %1.")
                         .arg(masked.join(QStringLiteral(", ")));
    }
    if (!notes.isEmpty())
        showNotice(notes.join(u'\n'));
    retranslateUi();
    updateActions();
    updateSaveShortcut();
}

void CollectionsPanel::buildActions()
{
    const auto make = [this](const QString &id) {
        auto *action = new QAction(this); // named in retranslateUi()
        action->setObjectName(id);
        return action;
    };
    m_open = make(QStringLiteral("openCollectionEntryAction"));
    m_newCollection = make(QStringLiteral("newCollectionAction"));
    m_newFolder = make(QStringLiteral("newCollectionFolderAction"));
    m_saveHere = make(QStringLiteral("saveTabHereAction"));
    m_duplicate = make(QStringLiteral("duplicateCollectionItemAction"));
    m_rename = make(QStringLiteral("renameCollectionItemAction"));
    m_delete = make(QStringLiteral("deleteCollectionItemAction"));
    m_import = make(QStringLiteral("importCollectionAction"));
    m_export = make(QStringLiteral("exportCollectionAction"));
    m_undoAction = m_undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setObjectName(QStringLiteral("undoCollectionsAction"));

    connect(m_open, &QAction::triggered, this, [this] { open(currentId()); });
    connect(m_newCollection, &QAction::triggered, this, &CollectionsPanel::newCollection);
    connect(m_newFolder, &QAction::triggered, this, &CollectionsPanel::newFolder);
    connect(m_saveHere, &QAction::triggered, this, &CollectionsPanel::saveCurrentTabHere);
    connect(m_duplicate, &QAction::triggered, this, &CollectionsPanel::duplicateCurrent);
    connect(m_rename, &QAction::triggered, this, &CollectionsPanel::renameCurrent);
    connect(m_delete, &QAction::triggered, this, &CollectionsPanel::deleteCurrent);
    connect(m_import, &QAction::triggered, this, &CollectionsPanel::importCollection);
    connect(m_export, &QAction::triggered, this, &CollectionsPanel::exportCurrent);

    m_saveToCollection = m_actions->action(QStringLiteral("saveToCollectionAction"));
    connect(m_saveToCollection, &QAction::triggered, this, &CollectionsPanel::saveCurrentTab);
}

QString CollectionsPanel::notice() const
{
    return m_notice->text();
}

void CollectionsPanel::showStatus(const QString &text, int timeoutMs)
{
    if (auto *main = qobject_cast<QMainWindow *>(window()))
        main->statusBar()->showMessage(text, timeoutMs);
}

void CollectionsPanel::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        showStatus(text.section(u'\n', -1), 10000);
}

QModelIndex CollectionsPanel::sourceIndex(const QModelIndex &viewIndex) const
{
    return m_filter->mapToSource(viewIndex);
}

QString CollectionsPanel::currentId() const
{
    return sourceIndex(m_view->currentIndex()).data(CollectionStore::IdRole).toString();
}

void CollectionsPanel::select(const QString &id)
{
    const QModelIndex at = m_filter->mapFromSource(m_store->indexOf(id));
    if (!at.isValid())
        return;
    m_view->expand(at.parent());
    m_view->setCurrentIndex(at);
    m_view->scrollTo(at);
}

QString CollectionsPanel::containerOf(const QString &id) const
{
    const CollectionItem *it = m_store->item(id);
    if (it && it->isEntry())
        it = it->parent;
    return it ? it->id : QString();
}

void CollectionsPanel::updateActions()
{
    const CollectionItem *it = m_store->item(currentId());
    const bool any = it != nullptr;
    m_open->setEnabled(any && it->isEntry());
    m_saveHere->setEnabled(m_tabs->currentPage() != nullptr);
    m_duplicate->setEnabled(any && it->kind != CollectionItem::Kind::Collection);
    m_rename->setEnabled(any);
    m_delete->setEnabled(any);
    m_export->setEnabled(any);
}

void CollectionsPanel::updateSaveShortcut()
{
    // Ctrl+S saves to the collection entry the current tab came from, else the session.
    const QKeySequence save(Qt::CTRL | Qt::Key_S);
    const CollectionLink *link = CollectionLink::of(m_tabs->currentPage());
    const bool bound = link && m_store->item(link->entryId());
    QAction *session = m_actions->action(QStringLiteral("saveSessionAction"));
    // pageChanged comes with every status update of a busy tab: touch the shortcuts only on a change.
    if (m_saveToCollection->shortcut().isEmpty() == bound) {
        session->setShortcut(bound ? QKeySequence() : save);
        m_saveToCollection->setShortcut(bound ? save : QKeySequence());
    }
    m_saveToCollection->setEnabled(m_tabs->currentPage() != nullptr);
    updateActions();
}

void CollectionsPanel::showMenu(const QPoint &pos)
{
    updateActions();
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("collectionsMenu"));
    menu.setToolTipsVisible(true);
    menu.addAction(m_open);
    menu.addSeparator();
    menu.addActions({ m_newFolder, m_saveHere });
    menu.addSeparator();
    menu.addActions({ m_duplicate, m_rename, m_delete, m_undoAction });
    menu.addSeparator();
    menu.addActions({ m_newCollection, m_import, m_export });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

bool CollectionsPanel::eventFilter(QObject *watched, QEvent *event)
{
    // The tree's own keys win over the window's shortcuts while it has the focus (F2 renames
    // the tab, Delete and Ctrl+Z mean nothing to the window).
    // (While a name is edited the editor has the keys, not the tree.)
    if (watched == m_view
        && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool del = key->key() == Qt::Key_Delete && key->modifiers() == Qt::NoModifier;
        const bool undo = key->matches(QKeySequence::Undo);
        const bool rename = key->key() == Qt::Key_F2 && key->modifiers() == Qt::NoModifier;
        if (event->type() == QEvent::ShortcutOverride && (del || undo || rename)) {
            event->accept();
            return true;
        }
        if (event->type() == QEvent::KeyPress && (del || undo)) {
            if (del)
                deleteCurrent();
            else
                m_undo->undo();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool CollectionsPanel::deleteCurrent()
{
    const QString id = currentId();
    const CollectionItem *it = m_store->item(id);
    if (!it)
        return false;
    const QString name = it->name;
    m_undo->push(new DeleteCommand(m_store, id, tr("Delete \u201c%1\u201d").arg(name)));
    showNotice(tr("Deleted \u201c%1\u201d. Ctrl+Z in the collections (or Undo in their menu) brings it back.")
                   .arg(name));
    return m_store->item(id) == nullptr;
}

void CollectionsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CollectionsPanel::retranslateUi()
{
    setAccessibleName(tr("Collections"));
    gui::describe(m_search, QStringLiteral("collectionsSearch"), tr("Filter collections"),
        tr("Show only the entries whose name or URL contains this text"));
    m_search->setPlaceholderText(tr("Filter by name or URL"));
    gui::describe(m_view, QStringLiteral("collectionsTree"), tr("Collections"),
        tr("Saved connections and local servers: Enter or a double-click opens one in a tab, F2 renames, "
           "Del deletes (Ctrl+Z brings it back), drag to move between folders"));
    m_notice->setAccessibleName(tr("Collections notice"));
    m_open->setText(tr("&Open in a Tab\tEnter"));
    m_open->setToolTip(tr("Open the connection or server setup in a new tab (not connected)"));
    m_newCollection->setText(tr("New &Collection\u2026"));
    m_newCollection->setToolTip(tr("Make a new collection (a file of its own in the collections folder)"));
    m_newFolder->setText(tr("New &Folder\u2026"));
    m_newFolder->setToolTip(tr("Make a folder in the selected collection or folder"));
    m_saveHere->setText(tr("&Save Current Tab Here\u2026"));
    m_saveHere->setToolTip(
        tr("Keep the current tab's settings (and saved messages) as an entry of the selected folder"));
    m_duplicate->setText(tr("D&uplicate"));
    m_duplicate->setToolTip(tr("Make a copy of the selected entry or folder"));
    m_rename->setText(tr("&Rename\tF2"));
    m_rename->setToolTip(tr("Rename the selected item"));
    m_delete->setText(tr("&Delete\tDel"));
    m_delete->setToolTip(tr("Delete the selected item (Ctrl+Z brings it back)"));
    m_import->setText(tr("&Import\u2026"));
    m_import->setToolTip(
        tr("Copy a collection file, or the WebSocket requests of a Postman collection, into the collections "
           "folder"));
    m_export->setText(tr("&Export\u2026"));
    m_export->setToolTip(
        tr("Write the selected collection to a file of your choice (secrets stay out of it)"));
    findChild<QToolBar *>(QStringLiteral("collectionsToolBar"))->setAccessibleName(tr("Collections actions"));
    // QUndoStack keeps the prefix its action was made with: a new action says it in this language.
    if (m_undoAction && !m_undoAction->text().startsWith(tr("&Undo"))) {
        delete m_undoAction;
        m_undoAction = m_undo->createUndoAction(this, tr("&Undo"));
        m_undoAction->setObjectName(QStringLiteral("undoCollectionsAction"));
    }
}

} // namespace wst
