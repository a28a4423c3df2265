#include "HistoryPane.h"

#include "DetailPane.h"
#include "Dialogs.h"
#include "DiffDialog.h"
#include "FilterBar.h"
#include "GuiHelpers.h"
#include "HighlightRulesDialog.h"
#include "HistoryView.h"
#include "MessageWindow.h"
#include "ShapeSplitter.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace wst {

namespace {

QToolButton *makeButton(
    QWidget *parent, QAction *action, const QString &objectName, const QString &accessible)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(objectName);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAccessibleName(accessible);
    return button;
}

} // namespace

HistoryPane::HistoryPane(QWidget *parent)
    : QWidget(parent)
    , m_filter(new MessageFilterModel(this))
    , m_view(new HistoryView(this))
    , m_detail(new DetailPane(this))
    , m_filterBar(new FilterBar(this))
{
    setObjectName(QStringLiteral("historyPane"));
    m_filter->setObjectName(QStringLiteral("historyFilterModel"));
    m_view->setModel(m_filter);
    m_filterBar->setFilterModel(m_filter);

    m_clearAction = new QAction(this);
    m_clearAction->setObjectName(QStringLiteral("clearHistoryAction"));
    m_clearAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_clearAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_clearAction, &QAction::triggered, this, &HistoryPane::clearHistory);

    m_copyAction = new QAction(this);
    m_copyAction->setObjectName(QStringLiteral("copyRowsAction"));
    m_copyAction->setShortcut(QKeySequence::Copy);
    // Only while the table has focus, so that Ctrl+C in the detail pane copies its own selection.
    m_copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_copyAction, &QAction::triggered, this, &HistoryPane::copySelection);

    m_resendAction = new QAction(this);
    m_resendAction->setObjectName(QStringLiteral("resendAction"));
    connect(m_resendAction, &QAction::triggered, this, &HistoryPane::resendSelected);

    m_followAction = new QAction(this);
    m_followAction->setObjectName(QStringLiteral("followAction"));
    m_followAction->setCheckable(true);
    m_followAction->setChecked(m_view->isFollowing());
    connect(m_followAction, &QAction::toggled, m_view, &HistoryView::setFollowing);
    connect(m_view, &HistoryView::followingChanged, m_followAction, &QAction::setChecked);

    auto *findAction = new QAction(this);
    findAction->setObjectName(QStringLiteral("findHistoryAction"));
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    // One Ctrl+F for the pane, routed by focus: two shortcuts on nested widgets would be ambiguous.
    connect(findAction, &QAction::triggered, this, [this] {
        if (m_detail->isAncestorOf(QApplication::focusWidget()))
            m_detail->showFind();
        else
            m_filterBar->focusFilter();
    });
    addAction(findAction);
    addAction(m_clearAction);

    m_addColumnAction = new QAction(this);
    m_addColumnAction->setObjectName(QStringLiteral("addJsonColumnAction"));
    connect(m_addColumnAction, &QAction::triggered, this, &HistoryPane::promptAddJsonColumn);
    m_highlightAction = new QAction(this);
    m_highlightAction->setObjectName(QStringLiteral("highlightRulesAction"));
    connect(m_highlightAction, &QAction::triggered, this, [this] { editHighlightRules(); });
    m_compareAction = new QAction(this);
    m_compareAction->setObjectName(QStringLiteral("compareAction"));
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_compareAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_compareAction, &QAction::triggered, this, [this] { compareSelected(); });
    addAction(m_compareAction);

    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    auto *separator2 = new QAction(this);
    separator2->setSeparator(true);
    m_view->addActions({ m_copyAction, m_resendAction, m_compareAction, separator, m_addColumnAction,
        m_highlightAction, separator2, m_followAction, m_clearAction });

    QHeaderView *header = m_view->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setSectionsClickable(true);
    connect(header, &QWidget::customContextMenuRequested, this, [this, header](const QPoint &pos) {
        QMenu *menu = createHeaderMenu(header->logicalIndexAt(pos), this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(header->mapToGlobal(pos));
    });
    connect(header, &QHeaderView::sectionClicked, this, &HistoryPane::onHeaderClicked);
    connect(m_filter, &MessageFilterModel::sortFinished, this, &HistoryPane::updateSortIndicator);

    m_splitter = new ShapeSplitter(this);
    m_splitter->setObjectName(QStringLiteral("historySplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *clearButton = makeButton(this, m_clearAction, QStringLiteral("clearHistoryButton"), QString());
    auto *copyButton = makeButton(this, m_copyAction, QStringLiteral("copyRowsButton"), QString());
    auto *resendButton = makeButton(this, m_resendAction, QStringLiteral("resendButton"), QString());
    m_followButton = makeButton(this, m_followAction, QStringLiteral("followButton"), QString());

    m_countersLabel = new QLabel(this);
    m_countersLabel->setObjectName(QStringLiteral("countersLabel"));
    m_countersLabel->setForegroundRole(QPalette::PlaceholderText);
    m_countersLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The counters (with compression's, long) are cut on a narrow window rather than widen it.
    m_countersLabel->setMinimumWidth(1);

    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(0, 0, 0, 0);
    bottom->setSpacing(4);
    bottom->addWidget(clearButton);
    bottom->addWidget(copyButton);
    bottom->addWidget(resendButton);
    bottom->addWidget(m_followButton);
    bottom->addStretch(1);
    bottom->addWidget(m_countersLabel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_splitter, 1);
    layout->addLayout(bottom);

    QItemSelectionModel *selection = m_view->selectionModel();
    connect(selection, &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    connect(selection, &QItemSelectionModel::selectionChanged, this, &HistoryPane::updateActions);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &HistoryPane::onFilterReset);
    connect(m_view, &QAbstractItemView::doubleClicked, this,
        [this](const QModelIndex &index) { openMessageWindow(index); });
    connect(m_detail, &DetailPane::openInWindowRequested, this, [this] { openMessageWindow({}); });

    // The counts follow within a quarter second; the rate is measured over a second or more.
    m_countersTimer.setInterval(250);
    connect(&m_countersTimer, &QTimer::timeout, this, &HistoryPane::updateCounters);
    m_countersTimer.start();
    m_rateClock.start();
    retranslateUi();
    updateActions();
}

HistoryPane::~HistoryPane() = default;

void HistoryPane::setLogModel(MessageLogModel *model)
{
    m_log = model;
    m_selectedStoreIndex = -1;
    m_filter->setSourceModel(model);
    if (m_log) {
        // The pane's columns and rules hold for every model it shows (a server's clients).
        if (m_log->jsonColumns() != m_jsonPaths) {
            while (m_log->jsonColumnCount() > 0)
                m_log->removeJsonColumn(m_log->jsonColumnCount() - 1);
            for (const QString &path : std::as_const(m_jsonPaths)) {
                QString ignored;
                m_log->addJsonColumn(path, &ignored);
            }
        }
        HighlightRules rules;
        rules.setRules(m_rules);
        m_log->setHighlightRules(rules);
    }
    m_rateLastMessages = 0;
    m_countersBase = {};
    m_wireBase = {};
    if (m_log) {
        const MessageStore::Counters c = m_log->store().counters();
        m_rateLastMessages = c.messagesIn + c.messagesOut;
    }
    m_rateClock.restart();
    m_rate = 0;
    updateCounters();
    updateActions();
}

void HistoryPane::onCurrentRowChanged(const QModelIndex &current)
{
    m_selectedStoreIndex
        = current.isValid() ? current.data(MessageLogModel::StoreIndexRole).toLongLong() : -1;
    m_detail->showIndex(current);
    updateActions();
}

void HistoryPane::onFilterReset()
{
    // A new filter rebuilds the rows; bring back the selected message if it still passes.
    QModelIndex restored;
    if (m_log && m_selectedStoreIndex >= 0) {
        const int row = m_log->rowForStoreIndex(m_selectedStoreIndex);
        if (row >= 0)
            restored = m_filter->mapFromSource(m_log->index(row, 0));
    }
    if (restored.isValid()) {
        const qint64 keep = m_selectedStoreIndex;
        m_view->selectionModel()->setCurrentIndex(
            restored, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_selectedStoreIndex = keep;
        if (!m_view->isFollowing())
            m_view->scrollTo(restored, QAbstractItemView::PositionAtCenter);
    } else {
        if (m_log && m_selectedStoreIndex >= 0 && m_log->rowForStoreIndex(m_selectedStoreIndex) < 0)
            m_selectedStoreIndex = -1; // cleared from the history, not just filtered out
        m_detail->clearMessage();
    }
    updateActions();
}

bool HistoryPane::selectStoreIndex(qint64 storeIndex)
{
    const int row = m_log && storeIndex >= 0 ? m_log->rowForStoreIndex(storeIndex) : -1;
    const QModelIndex index = row >= 0 ? m_filter->mapFromSource(m_log->index(row, 0)) : QModelIndex();
    if (!index.isValid())
        return false;
    // Following new rows would scroll the selected one away at once.
    m_view->setFollowing(false);
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

MessageWindow *HistoryPane::openMessageWindow(const QModelIndex &index)
{
    if (!index.isValid() && !m_detail->hasMessage())
        return nullptr;
    const DetailPane::Message message = index.isValid() ? DetailPane::messageAt(index) : m_detail->message();
    auto *window = new MessageWindow(message, m_detail->mode(), this);
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}

bool HistoryPane::addJsonColumn(const QString &path, QString *error)
{
    QString problem;
    const QString text = path.trimmed();
    if (m_jsonPaths.contains(text))
        problem = tr("The history already has a column for %1").arg(text);
    else if (m_log && !m_log->addJsonColumn(text, &problem))
        problem = tr("Not a JSON path: %1").arg(problem);
    else if (!m_log && !JsonPath::parse(text, &problem))
        problem = tr("Not a JSON path: %1").arg(problem);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    m_jsonPaths.append(text);
    Q_EMIT viewStateChanged();
    return true;
}

void HistoryPane::removeJsonColumn(int index)
{
    if (index < 0 || index >= m_jsonPaths.size())
        return;
    m_jsonPaths.removeAt(index);
    if (m_log)
        m_log->removeJsonColumn(index);
    updateSortIndicator();
    Q_EMIT viewStateChanged();
}

void HistoryPane::setHighlightRules(const QList<HighlightRules::Rule> &rules)
{
    m_rules = rules;
    if (m_log) {
        HighlightRules parsed;
        parsed.setRules(rules);
        m_log->setHighlightRules(parsed);
    }
    m_view->viewport()->update();
    Q_EMIT viewStateChanged();
}

void HistoryPane::promptAddJsonColumn()
{
    // A path from the JSON tree's "Copy Path" is the likeliest thing on the clipboard.
    QString initial = QGuiApplication::clipboard()->text().trimmed();
    if (!initial.startsWith(u'$') || initial.size() > 200 || initial.contains(u'\n'))
        initial = QStringLiteral("$.");
    QString path;
    while (Dialogs::getText(this, tr("Add JSON Column"),
        tr("A JSON path whose value each message shows in a column of its own, for example $.type or "
           "$.data.price:"),
        initial, &path)) {
        QString error;
        if (addJsonColumn(path, &error))
            return;
        Dialogs::warning(this, tr("Add JSON Column"), error);
        initial = path;
    }
}

HighlightRulesDialog *HistoryPane::editHighlightRules()
{
    auto *dialog = new HighlightRulesDialog(m_rules, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { setHighlightRules(dialog->rules()); });
    dialog->open();
    return dialog;
}

DiffDialog *HistoryPane::compareSelected()
{
    const QList<qint64> selected = selectedStoreIndexes();
    if (selected.size() != 2 || !m_log)
        return nullptr;
    const auto side = [this](qint64 si) {
        const MessageStore &store = m_log->store();
        const MessageRow &r = store.row(si);
        DiffDialog::Side s;
        s.title = QStringLiteral("#%1  %2  %3  %4")
                      .arg(si + 1)
                      .arg(MessageLogModel::directionArrow(r.direction), MessageLogModel::kindName(r.kind),
                          QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000)
                              .toString(QStringLiteral("HH:mm:ss.zzz")));
        if (r.kind == Kind::Text || r.kind == Kind::Binary) {
            s.payload = store.payloadCopy(si);
            if (r.size <= DiffDialog::MaxBytes)
                s.document = m_log->document(r.direction, r.kind, s.payload);
        } else {
            s.payload = MessageLogModel::summary(store, si).toUtf8();
            s.document = QJsonValue(QJsonValue::Undefined);
        }
        return s;
    };
    auto *dialog = new DiffDialog(side(selected.at(0)), side(selected.at(1)), this);
    dialog->show();
    dialog->raise();
    return dialog;
}

QMenu *HistoryPane::createHeaderMenu(int logicalColumn, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("historyHeaderMenu"));
    menu->addAction(m_addColumnAction);
    if (MessageLogModel::isJsonColumn(logicalColumn)
        && logicalColumn - MessageLogModel::ColumnCount < m_jsonPaths.size()) {
        const int index = logicalColumn - MessageLogModel::ColumnCount;
        QAction *remove = menu->addAction(tr("&Remove Column %1").arg(m_jsonPaths.at(index)));
        remove->setObjectName(QStringLiteral("removeJsonColumnAction"));
        remove->setToolTip(tr("Remove this JSON column from the history"));
        connect(remove, &QAction::triggered, this, [this, index] { removeJsonColumn(index); });
    }
    if (logicalColumn >= 0) {
        menu->addSeparator();
        QAction *ascending = menu->addAction(tr("Sort &Ascending"));
        ascending->setObjectName(QStringLiteral("sortAscendingAction"));
        connect(ascending, &QAction::triggered, this,
            [this, logicalColumn] { sortByColumn(logicalColumn, Qt::AscendingOrder); });
        QAction *descending = menu->addAction(tr("Sort &Descending"));
        descending->setObjectName(QStringLiteral("sortDescendingAction"));
        connect(descending, &QAction::triggered, this,
            [this, logicalColumn] { sortByColumn(logicalColumn, Qt::DescendingOrder); });
    }
    if (m_filter->sortColumn() >= 0) {
        QAction *arrival = menu->addAction(tr("Order of &Arrival"));
        arrival->setObjectName(QStringLiteral("sortArrivalAction"));
        arrival->setToolTip(tr("Show the messages in the order they came, newest at the bottom"));
        connect(arrival, &QAction::triggered, this, [this] { sortByColumn(-1, Qt::AscendingOrder); });
    }
    menu->addSeparator();
    menu->addAction(m_highlightAction);
    return menu;
}

void HistoryPane::sortByColumn(int column, Qt::SortOrder order)
{
    const int before = m_filter->sortColumn();
    const Qt::SortOrder beforeOrder = m_filter->sortOrder();
    m_filter->sort(column, order);
    // Sorted rows land anywhere: following the bottom would jump around.
    if (column >= 0)
        m_view->setFollowing(false);
    updateSortIndicator();
    if (m_filter->sortColumn() != before || (before >= 0 && m_filter->sortOrder() != beforeOrder))
        Q_EMIT viewStateChanged();
}

namespace {

// The fixed columns by the names a saved sort uses (JSON columns go by their path).
constexpr std::pair<MessageLogModel::Column, const char *> SortNames[] = {
    { MessageLogModel::IdColumn, "id" },
    { MessageLogModel::TimeColumn, "time" },
    { MessageLogModel::DirectionColumn, "direction" },
    { MessageLogModel::KindColumn, "kind" },
    { MessageLogModel::SizeColumn, "size" },
    { MessageLogModel::PreviewColumn, "data" },
    { MessageLogModel::ClientColumn, "client" },
    { MessageLogModel::ProtocolNameColumn, "name" },
    { MessageLogModel::ProtocolIdColumn, "protocolId" },
    { MessageLogModel::ProtocolQosColumn, "qos" },
};

} // namespace

void HistoryPane::onHeaderClicked(int logicalColumn)
{
    // Ascending, descending, then back to the order of arrival.
    if (m_filter->sortColumn() != logicalColumn)
        sortByColumn(logicalColumn, Qt::AscendingOrder);
    else if (m_filter->sortOrder() == Qt::AscendingOrder)
        sortByColumn(logicalColumn, Qt::DescendingOrder);
    else
        sortByColumn(-1, Qt::AscendingOrder);
}

void HistoryPane::updateSortIndicator()
{
    QHeaderView *header = m_view->horizontalHeader();
    const int column = m_filter->sortColumn();
    header->setSortIndicatorShown(column >= 0);
    if (column >= 0)
        header->setSortIndicator(column, m_filter->sortOrder());
}

QJsonObject HistoryPane::viewStateJson() const
{
    QJsonObject state;
    if (!m_jsonPaths.isEmpty())
        state.insert(QStringLiteral("jsonColumns"), QJsonArray::fromStringList(m_jsonPaths));
    if (!m_rules.isEmpty()) {
        HighlightRules rules;
        rules.setRules(m_rules);
        state.insert(QStringLiteral("highlightRules"), rules.toJson());
    }
    if (const int column = m_filter->sortColumn(); column >= 0) {
        QString name;
        if (MessageLogModel::isJsonColumn(column))
            name = m_jsonPaths.value(column - MessageLogModel::ColumnCount);
        for (const auto &[fixed, fixedName] : SortNames) {
            if (fixed == column)
                name = QLatin1StringView(fixedName);
        }
        if (!name.isEmpty()) {
            state.insert(QStringLiteral("sort"),
                QJsonObject { { QStringLiteral("column"), name },
                    { QStringLiteral("order"),
                        m_filter->sortOrder() == Qt::DescendingOrder ? QStringLiteral("descending")
                                                                     : QStringLiteral("ascending") } });
        }
    }
    return state;
}

void HistoryPane::setViewStateJson(const QJsonObject &state, QStringList *errors)
{
    const QJsonValue columns = state.value(QLatin1StringView("jsonColumns"));
    if (!columns.isUndefined() && !columns.isArray())
        errors->append(tr("The JSON columns are not a list: skipped"));
    while (!m_jsonPaths.isEmpty())
        removeJsonColumn(int(m_jsonPaths.size()) - 1);
    const QJsonArray paths = columns.toArray();
    for (qsizetype i = 0; i < paths.size(); ++i) {
        QString error;
        if (!paths.at(i).isString())
            errors->append(tr("JSON column %1 is not a path: skipped").arg(i + 1));
        else if (!addJsonColumn(paths.at(i).toString(), &error))
            errors->append(
                tr("JSON column %1 (%2): %3: skipped").arg(i + 1).arg(paths.at(i).toString(), error));
    }
    const QJsonValue rules = state.value(QLatin1StringView("highlightRules"));
    if (!rules.isUndefined() && !rules.isArray())
        errors->append(tr("The highlight rules are not a list: skipped"));
    setHighlightRules(HighlightRules::fromJson(rules.toArray(), errors));

    // The sort, by a fixed column's name or a JSON column's path; none: the order of arrival.
    const QJsonValue sort = state.value(QLatin1StringView("sort"));
    int column = -1;
    Qt::SortOrder order = Qt::AscendingOrder;
    if (sort.isObject()) {
        const QString name = sort.toObject().value(QLatin1StringView("column")).toString();
        const QString orderName = sort.toObject().value(QLatin1StringView("order")).toString();
        if (const qsizetype path = m_jsonPaths.indexOf(name); path >= 0 && name.startsWith(u'$'))
            column = MessageLogModel::ColumnCount + int(path);
        for (const auto &[fixed, fixedName] : SortNames) {
            if (name == QLatin1StringView(fixedName))
                column = fixed;
        }
        if (column < 0)
            errors->append(tr("The sort by “%1” names no column of the history: skipped").arg(name));
        else if (orderName == QLatin1StringView("descending"))
            order = Qt::DescendingOrder;
        else if (orderName != QLatin1StringView("ascending"))
            errors->append(
                tr("The sort order “%1” is neither ascending nor descending: ascending").arg(orderName));
    } else if (!sort.isUndefined()) {
        errors->append(tr("The sort is not an object: skipped"));
    }
    if (column >= 0 || m_filter->sortColumn() >= 0)
        sortByColumn(column, order);
}

void HistoryPane::updateActions()
{
    const bool hasSelection = m_view->selectionModel() && m_view->selectionModel()->hasSelection();
    m_copyAction->setEnabled(hasSelection);
    bool resendable = false;
    const QModelIndex current = m_view->currentIndex();
    if (hasSelection && current.isValid() && m_view->selectionModel()->isRowSelected(current.row(), {})) {
        const auto kind = Kind(current.data(MessageLogModel::KindRole).toInt());
        const auto dir = Direction(current.data(MessageLogModel::DirectionRole).toInt());
        resendable = (kind == Kind::Text || kind == Kind::Binary) && dir != Direction::Event;
    }
    m_resendAction->setEnabled(resendable);
    // Counted from the ranges: a select-all over a million rows must not visit each.
    qint64 selectedRows = 0;
    if (m_view->selectionModel()) {
        for (const QItemSelectionRange &range : m_view->selectionModel()->selection())
            selectedRows += range.height();
    }
    m_compareAction->setEnabled(selectedRows == 2);
    m_clearAction->setEnabled(m_log != nullptr);
}

void HistoryPane::setWireCounters(std::shared_ptr<const WireCounters> counters)
{
    m_wireCounters = std::move(counters);
    m_wireBase = {};
    updateCounters();
}

void HistoryPane::clearHistory()
{
    if (!m_log)
        return;
    m_selectedStoreIndex = -1;
    m_countersBase = m_log->store().counters();
    if (m_wireCounters)
        m_wireBase = m_wireCounters->totals();
    m_log->clear();
    m_detail->clearMessage();
    m_view->setFollowing(true);
    updateActions();
    updateCounters();
}

void HistoryPane::forEachSelected(const std::function<void(qint64 storeIndex)> &visit) const
{
    if (!m_log || !m_view->selectionModel())
        return;
    // Walk the ranges rather than selectedRows(): a select-all over a million rows would
    // otherwise build a million indexes first.
    QList<QItemSelectionRange> ranges = m_view->selectionModel()->selection();
    std::sort(ranges.begin(), ranges.end(),
        [](const QItemSelectionRange &a, const QItemSelectionRange &b) { return a.top() < b.top(); });
    int lastRow = -1;
    for (const QItemSelectionRange &range : ranges) {
        for (int row = qMax(range.top(), lastRow + 1); row <= range.bottom(); ++row) {
            const QModelIndex source = m_filter->mapToSource(m_filter->index(row, 0));
            if (source.isValid())
                visit(m_log->storeIndex(source.row()));
            lastRow = row;
        }
    }
}

QString HistoryPane::selectedRowsText() const
{
    QStringList lines;
    forEachSelected([this, &lines](qint64 si) {
        const MessageStore &store = m_log->store();
        const MessageRow &r = store.row(si);
        lines << QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000).toString(Qt::ISODateWithMs) + u'\t'
                + MessageLogModel::directionName(r.direction) + u'\t' + MessageLogModel::kindName(r.kind)
                + u'\t' + MessageLogModel::summary(store, si);
    });
    return lines.join(u'\n');
}

QList<qint64> HistoryPane::selectedStoreIndexes() const
{
    QList<qint64> indexes;
    forEachSelected([&indexes](qint64 si) { indexes.append(si); });
    std::sort(indexes.begin(), indexes.end());
    return indexes;
}

void HistoryPane::copySelection()
{
    const QString text = selectedRowsText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void HistoryPane::resendSelected()
{
    if (!m_resendAction->isEnabled())
        return;
    const QModelIndex current = m_view->currentIndex();
    const auto kind = Kind(current.data(MessageLogModel::KindRole).toInt());
    Q_EMIT resendRequested(kind, current.data(MessageLogModel::PayloadRole).toByteArray());
}

void HistoryPane::updateCounters()
{
    MessageStore::Counters c;
    if (m_log)
        c = m_log->store().counters();
    const qint64 total = c.messagesIn + c.messagesOut;
    if (const qint64 elapsedMs = m_rateClock.elapsed(); elapsedMs >= 1000) {
        m_rateClock.restart();
        if (total >= m_rateLastMessages)
            m_rate = double(total - m_rateLastMessages) * 1000.0 / double(elapsedMs);
        m_rateLastMessages = total;
    }
    c.messagesIn -= m_countersBase.messagesIn;
    c.messagesOut -= m_countersBase.messagesOut;
    c.bytesIn -= m_countersBase.bytesIn;
    c.bytesOut -= m_countersBase.bytesOut;

    const QLocale locale;
    QString text = tr("%1 in / %2 out  \u00b7  %3 in / %4 out  \u00b7  %5 msg/s")
                       .arg(locale.toString(c.messagesIn), locale.toString(c.messagesOut),
                           locale.formattedDataSize(c.bytesIn, 1), locale.formattedDataSize(c.bytesOut, 1),
                           locale.toString(qRound64(qMax(0.0, m_rate))));
    // Rows hidden by Clear are still in the session file: the status bar says so while they are.
    if (const qint64 cleared = m_log ? m_log->storeIndex(0) : 0; cleared > 0)
        text += QStringLiteral("  \u00b7  ")
            + tr("%n cleared, kept in the session file", nullptr, int(cleared));
    if (m_wireCounters) {
        if (const QString wire = (m_wireCounters->totals() - m_wireBase).text(); !wire.isEmpty())
            text += QStringLiteral("  \u00b7  ") + wire;
    }
    m_countersLabel->setText(text);
    if (text != m_countersText) {
        m_countersText = text;
        Q_EMIT countersChanged(m_countersText);
    }
}

void HistoryPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void HistoryPane::retranslateUi()
{
    setAccessibleName(tr("History"));
    m_clearAction->setText(tr("C&lear"));
    m_clearAction->setToolTip(tr("Clear the messages shown so far and restart the counters (Ctrl+L). The "
                                 "session file keeps them: saving, exporting the session or the tab, and "
                                 "reopening still have them; export selected rows to leave them out."));
    m_copyAction->setText(tr("&Copy"));
    m_copyAction->setToolTip(
        tr("Copy the selected messages as text: time, direction, kind and content (Ctrl+C)"));
    m_resendAction->setText(tr("&Resend"));
    m_resendAction->setToolTip(tr("Send the selected text or binary message again"));
    m_followAction->setText(tr("&Follow"));
    m_followAction->setToolTip(
        tr("Keep the newest message in view; scrolling up pauses, scrolling to the end resumes"));
    m_addColumnAction->setText(tr("Add &JSON Column\u2026"));
    m_addColumnAction->setToolTip(
        tr("Show a value of each JSON message in a column of its own, chosen by a path such as $.type"));
    m_highlightAction->setText(tr("&Highlight Rules\u2026"));
    m_highlightAction->setToolTip(
        tr("Colour the rows whose message matches an expression, such as $.level == \"error\""));
    m_compareAction->setText(tr("Com&pare"));
    m_compareAction->setToolTip(
        tr("Compare the two selected messages: JSON key by key, text line by line (Ctrl+D)"));
    if (auto *findAction
        = findChild<QAction *>(QStringLiteral("findHistoryAction"), Qt::FindDirectChildrenOnly))
        findAction->setText(tr("Find"));
    findChild<QToolButton *>(QStringLiteral("clearHistoryButton"))->setAccessibleName(tr("Clear history"));
    findChild<QToolButton *>(QStringLiteral("copyRowsButton"))
        ->setAccessibleName(tr("Copy selected messages"));
    findChild<QToolButton *>(QStringLiteral("resendButton"))->setAccessibleName(tr("Resend message"));
    m_followButton->setAccessibleName(tr("Follow new messages"));
    m_countersLabel->setAccessibleName(tr("Message counters"));
    m_countersLabel->setToolTip(
        tr("Data messages received and sent, their bytes, and the current rate, since the last Clear; "
           "with compression, the bytes of the messages against the bytes on the wire, each way"));
    gui::retranslateView(m_view);
    updateCounters();
}

} // namespace wst
