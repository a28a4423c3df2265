#include "ConnectionHistoryPanel.h"

#include "ActionRegistry.h"
#include "ClientTab.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "compose/ConnectionHistory.h"
#include "compose/ConnectionHistoryModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace wst {

ConnectionHistoryPanel::ConnectionHistoryPanel(ConnectionHistory *history, TabFactory newTab, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_newTab(std::move(newTab))
    , m_model(new ConnectionHistoryModel(history, this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_search(new QLineEdit(this))
    , m_problem(gui::makeErrorLabel(QStringLiteral("connectionHistoryProblem"), this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("connectionHistoryPanel"));
    m_filter->setSourceModel(m_model);
    m_filter->setFilterKeyColumn(-1); // URL and outcome alike
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_search->setObjectName(QStringLiteral("connectionHistorySearch"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName(QStringLiteral("connectionHistoryView"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false); // Tab leaves the list
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(ConnectionHistoryModel::Url, 180);
    m_view->setColumnWidth(ConnectionHistoryModel::Outcome, 140);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    // Enter, and a double-click (or a single one where the style activates on one).
    connect(m_view, &QAbstractItemView::activated, this, [this] { openSelected(); });
    connect(m_view, &QWidget::customContextMenuRequested, this, &ConnectionHistoryPanel::showContextMenu);

    m_open = new QAction(this);
    m_open->setObjectName(QStringLiteral("connectionHistoryOpenAction"));
    connect(m_open, &QAction::triggered, this, &ConnectionHistoryPanel::openSelected);
    // Ctrl+C and Delete while the list has the focus (listed in Help > Keyboard Shortcuts).
    m_copy = ActionRegistry::addLocal(m_view, QStringLiteral("copyHistoryUrlAction"), Qt::WidgetShortcut);
    connect(m_copy, &QAction::triggered, this, &ConnectionHistoryPanel::copySelectedUrl);
    m_delete
        = ActionRegistry::addLocal(m_view, QStringLiteral("deleteHistoryEntriesAction"), Qt::WidgetShortcut);
    connect(m_delete, &QAction::triggered, this, &ConnectionHistoryPanel::deleteSelected);
    m_clear = new QAction(this);
    m_clear->setObjectName(QStringLiteral("connectionHistoryClearAction"));
    connect(m_clear, &QAction::triggered, this, &ConnectionHistoryPanel::clearHistory);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_problem);
    layout->addWidget(m_view, 1);

    connect(m_history, &ConnectionHistory::changed, this, &ConnectionHistoryPanel::updateProblem);
    retranslateUi();
    updateProblem();
}

QStringList ConnectionHistoryPanel::selectedIds() const
{
    QStringList ids;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_view->currentIndex().isValid())
        rows.append(m_view->currentIndex());
    for (const QModelIndex &row : std::as_const(rows))
        ids.append(row.data(ConnectionHistoryModel::IdRole).toString());
    return ids;
}

ClientTab *ConnectionHistoryPanel::openSelected()
{
    const QModelIndex current = m_view->currentIndex();
    const int at = current.isValid()
        ? m_history->indexOf(current.data(ConnectionHistoryModel::IdRole).toString())
        : -1;
    if (at < 0 || !m_newTab)
        return nullptr;
    const ConnectionHistoryEntry entry = m_history->entries().at(at);
    ClientTab *tab = m_newTab();
    if (!tab)
        return nullptr;
    if (entry.settings.isEmpty() || !tab->setSettingsJson(entry.settings))
        tab->setUrlText(entry.url);
    // A secret the history did not keep would go out empty.
    const QStringList masked = entry.settings.value(QLatin1StringView("masked")).toVariant().toStringList();
    if (masked.isEmpty())
        tab->connectToServer();
    else
        Q_EMIT message(tr("The history keeps no secrets: fill in %1, then connect.")
                           .arg(masked.join(QStringLiteral(", "))),
            8000);
    return tab;
}

void ConnectionHistoryPanel::copySelectedUrl()
{
    QStringList urls;
    for (const QString &id : selectedIds()) {
        const int at = m_history->indexOf(id);
        if (at >= 0)
            urls.append(m_history->entries().at(at).url);
    }
    if (!urls.isEmpty())
        QApplication::clipboard()->setText(urls.join(QLatin1Char('\n')));
}

void ConnectionHistoryPanel::deleteSelected()
{
    const QStringList ids = selectedIds();
    if (!ids.isEmpty())
        m_history->remove(ids);
}

void ConnectionHistoryPanel::clearHistory()
{
    if (m_history->entries().isEmpty())
        return;
    const auto answer = Dialogs::question(this, tr("Clear History"),
        tr("Forget all %1 connections of the history? This cannot be undone.")
            .arg(m_history->entries().size()),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes)
        m_history->clear();
}

void ConnectionHistoryPanel::showContextMenu(const QPoint &pos)
{
    const bool any = m_view->indexAt(pos).isValid() || !selectedIds().isEmpty();
    m_open->setEnabled(any);
    m_copy->setEnabled(any);
    m_delete->setEnabled(any);
    m_clear->setEnabled(!m_history->entries().isEmpty());
    QMenu menu(this);
    menu.addActions({ m_open, m_copy });
    menu.addSeparator();
    menu.addActions({ m_delete, m_clear });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void ConnectionHistoryPanel::updateProblem()
{
    gui::setInlineError(m_problem, m_history->problem());
}

void ConnectionHistoryPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ConnectionHistoryPanel::retranslateUi()
{
    setAccessibleName(tr("Connection history"));
    gui::describe(m_search, QStringLiteral("connectionHistorySearch"), tr("Search the connection history"),
        tr("Shows the connections whose URL or outcome contains this text"));
    m_search->setPlaceholderText(tr("Search URL or outcome"));
    gui::describe(m_view, QStringLiteral("connectionHistoryView"), tr("Connections made"),
        tr("Every connection a client tab made, newest first. Enter or a double-click opens it again "
           "in a new tab."));
    m_copy->setText(tr("Copy URL"));
    m_delete->setText(tr("Delete"));
    m_open->setText(tr("Open in a New Tab"));
    m_clear->setText(tr("Clear History\u2026"));
    gui::retranslateView(m_view);
}

} // namespace wst
