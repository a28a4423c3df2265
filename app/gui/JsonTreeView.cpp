#include "JsonTreeView.h"

#include "GuiHelpers.h"
#include "JsonHighlighter.h"
#include "format/JsonTreeModel.h"

#include <QAction>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QEvent>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QQueue>
#include <QStyledItemDelegate>
#include <QToolBar>
#include <QToolButton>

namespace wst {

namespace {

// Values take the colours of the pretty JSON, so the two views read alike.
class ValueDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (option->state & QStyle::State_Selected)
            return;
        JsonFormat::TokenType token = JsonFormat::TokenType::Key;
        if (index.column() == JsonTreeModel::ValueColumn) {
            switch (JsonTreeModel::Type(index.data(JsonTreeModel::TypeRole).toInt())) {
            case JsonTreeModel::Type::String:
                token = JsonFormat::TokenType::String;
                break;
            case JsonTreeModel::Type::Number:
                token = JsonFormat::TokenType::Number;
                break;
            case JsonTreeModel::Type::Bool:
            case JsonTreeModel::Type::Null:
                token = JsonFormat::TokenType::Keyword;
                break;
            default:
                token = JsonFormat::TokenType::Punctuation;
                break;
            }
        }
        option->palette.setColor(QPalette::Text, JsonHighlighter::tokenColor(token, option->palette));
    }
};

} // namespace

JsonTreeView::JsonTreeView(QWidget *parent)
    : QTreeView(parent)
    , m_model(new JsonTreeModel(this))
{
    setObjectName(QStringLiteral("detailTreeView"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setItemDelegate(new ValueDelegate(this));
    setModel(m_model);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    setColumnWidth(JsonTreeModel::KeyColumn, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 28);

    m_expandAction = new QAction(this);
    m_expandAction->setObjectName(QStringLiteral("treeExpandAllAction"));
    connect(m_expandAction, &QAction::triggered, this, &JsonTreeView::expandAllNodes);
    m_collapseAction = new QAction(this);
    m_collapseAction->setObjectName(QStringLiteral("treeCollapseAllAction"));
    connect(m_collapseAction, &QAction::triggered, this, &JsonTreeView::collapseAllNodes);
    m_copyPathAction = new QAction(this);
    m_copyPathAction->setObjectName(QStringLiteral("treeCopyPathAction"));
    connect(m_copyPathAction, &QAction::triggered, this, &JsonTreeView::copyPath);
    m_copyFieldAction = new QAction(this);
    m_copyFieldAction->setObjectName(QStringLiteral("treeCopyFieldPathAction"));
    connect(m_copyFieldAction, &QAction::triggered, this, &JsonTreeView::copyFieldPath);
    m_copyValueAction = new QAction(this);
    m_copyValueAction->setObjectName(QStringLiteral("treeCopyValueAction"));
    connect(m_copyValueAction, &QAction::triggered, this, &JsonTreeView::copyValue);

    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, &JsonTreeView::updateActions);
    updateActions();
    retranslateUi();
}

void JsonTreeView::setDocument(
    const QByteArray &json, const std::shared_ptr<JsonTreeModel::Skeleton> &skeleton)
{
    m_model->setDocument(json, skeleton);
    setNote({});
    const QModelIndex root = m_model->index(0, 0);
    expand(root);
    setCurrentIndex(root);
    updateActions();
}

void JsonTreeView::clearDocument()
{
    m_model->clear();
    setNote({});
    updateActions();
}

QWidget *JsonTreeView::makeToolBar(QWidget *parent)
{
    auto *bar = new QWidget(parent);
    bar->setObjectName(QStringLiteral("treeToolBar"));
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    // A tool bar, not a row: in a narrow pane (beside the history on a small screen) the buttons
    // that do not fit go behind its » button instead of widening the pane.
    auto *tools = new QToolBar(bar);
    tools->setObjectName(QStringLiteral("treeToolButtons"));
    m_tools = tools;
    tools->setMovable(false);
    layout->addWidget(tools);
    for (QAction *action : { m_expandAction, m_collapseAction, m_copyPathAction, m_copyValueAction }) {
        auto *button = new QToolButton(tools);
        button->setObjectName(action->objectName().replace(QLatin1String("Action"), QLatin1String("Button")));
        button->setDefaultAction(action);
        button->setAccessibleName(action->text());
        button->setAutoRaise(true);
        tools->addWidget(button);
    }
    auto *note = new QLabel(bar);
    note->setObjectName(QStringLiteral("treeNoteLabel"));
    note->setForegroundRole(QPalette::PlaceholderText);
    note->setMinimumWidth(1);
    connect(this, &JsonTreeView::noteChanged, note, &QLabel::setText);
    layout->addWidget(note, 1);
    retranslateUi();
    return bar;
}

void JsonTreeView::setNote(const QString &note)
{
    if (note == m_note)
        return;
    m_note = note;
    Q_EMIT noteChanged(m_note);
}

void JsonTreeView::expandAllNodes()
{
    // Breadth first, so a budget that runs out leaves the upper levels open. A pending
    // relayout makes each expand() a mere mark; the view lays out once, at the end.
    scheduleDelayedItemsLayout();
    QQueue<QModelIndex> queue;
    queue.enqueue(m_model->index(0, 0));
    qsizetype rows = 1;
    bool partial = false;
    while (!queue.isEmpty()) {
        const QModelIndex index = queue.dequeue();
        if (!m_model->hasChildren(index))
            continue;
        if (rows >= MaxExpandedRows && !isExpanded(index)) {
            partial = true; // and no node made only to be left closed
            break;
        }
        const int n = m_model->rowCount(index);
        // What is open already is on screen anyway (the root of 70,000 items, say): only
        // what this opens counts against the budget.
        if (!isExpanded(index) && rows + n > MaxExpandedRows) {
            partial = true;
            continue;
        }
        rows += n;
        expand(index);
        for (int r = 0; r < n; ++r)
            queue.enqueue(m_model->index(r, 0, index));
    }
    setNote(
        partial ? tr("Stopped at %L1 open rows: open the remaining nodes one by one.").arg(rows) : QString());
}

void JsonTreeView::collapseAllNodes()
{
    collapseAll();
    expand(m_model->index(0, 0));
    setNote({});
}

void JsonTreeView::copyPath()
{
    if (currentIndex().isValid())
        QGuiApplication::clipboard()->setText(m_model->path(currentIndex()));
}

void JsonTreeView::copyFieldPath()
{
    const QString field = m_model->fieldPath(currentIndex());
    if (!field.isEmpty())
        QGuiApplication::clipboard()->setText(field);
}

void JsonTreeView::copyValue()
{
    if (currentIndex().isValid())
        QGuiApplication::clipboard()->setText(m_model->valueText(currentIndex()));
}

void JsonTreeView::updateActions()
{
    const bool has = currentIndex().isValid();
    m_copyPathAction->setEnabled(has);
    m_copyValueAction->setEnabled(has);
    m_copyFieldAction->setEnabled(has && !m_model->fieldPath(currentIndex()).isEmpty());
    m_expandAction->setEnabled(m_model->rowCount() > 0);
    m_collapseAction->setEnabled(m_model->rowCount() > 0);
}

void JsonTreeView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex at = indexAt(event->pos());
    if (at.isValid())
        setCurrentIndex(at);
    QMenu menu(this);
    menu.addAction(m_copyValueAction);
    menu.addAction(m_copyPathAction);
    menu.addAction(m_copyFieldAction);
    menu.addSeparator();
    menu.addAction(m_expandAction);
    menu.addAction(m_collapseAction);
    menu.exec(event->globalPos());
}

void JsonTreeView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        copyValue();
        event->accept();
        return;
    }
    QTreeView::keyPressEvent(event);
}

void JsonTreeView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QTreeView::changeEvent(event);
}

void JsonTreeView::retranslateUi()
{
    setAccessibleName(tr("Message as a tree"));
    setToolTip(tr("The JSON message as a tree. Ctrl+C copies the value of the selected node; "
                  "the context menu copies its path."));
    m_expandAction->setToolTip(
        tr("Open every node (in a very large message, until %L1 rows are open)").arg(MaxExpandedRows));
    m_collapseAction->setToolTip(tr("Close every node but the root"));
    m_copyPathAction->setToolTip(tr("Copy the path of the selected node, such as $.data.items[3].price"));
    m_copyFieldAction->setToolTip(
        tr("Copy the path as a reply rule's JSON field takes it, such as data.items.3.price"));
    m_copyValueAction->setToolTip(tr("Copy the value of the selected node (Ctrl+C): a string without its "
                                     "quotes, an object or array as pretty JSON"));
    m_expandAction->setText(tr("Expand All"));
    m_collapseAction->setText(tr("Collapse All"));
    m_copyPathAction->setText(tr("Copy Path"));
    m_copyFieldAction->setText(tr("Copy Path for a Reply Rule"));
    m_copyValueAction->setText(tr("Copy Value"));
    if (m_tools) {
        m_tools->setAccessibleName(tr("Tree actions"));
        const QList<QToolButton *> buttons = m_tools->findChildren<QToolButton *>();
        for (QToolButton *button : buttons) {
            if (button->defaultAction())
                button->setAccessibleName(button->defaultAction()->text());
        }
    }
    gui::retranslateView(this);
}

} // namespace wst
