#include "InterceptPane.h"

#include "BreakpointsEditor.h"
#include "GuiHelpers.h"
#include "compose/MessageFormat.h"
#include "proxy/ProxyHeldModel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;
using Way = ProxyServer::Way;

InterceptPane::InterceptPane(ProxyHeldModel *held, QWidget *parent)
    : QWidget(parent)
    , m_heldModel(held)
{
    m_pauseToServer = new QToolButton(this);
    m_pauseToServer->setCheckable(true);
    m_pauseToClient = new QToolButton(this);
    m_pauseToClient->setCheckable(true);
    for (QToolButton *b : { m_pauseToServer, m_pauseToClient }) {
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setAutoRaise(false);
    }
    m_heldCount = new QLabel(this);
    m_heldCount->setObjectName(QStringLiteral("heldCountLabel"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_pauseToServer);
    bar->addWidget(m_pauseToClient);
    bar->addSpacing(8);
    bar->addWidget(m_heldCount);
    bar->addStretch(1);

    // Held messages.
    m_heldPage = new QWidget(this);
    m_heldView = new QTableView(m_heldPage);
    m_heldView->setModel(m_heldModel);
    m_heldView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_heldView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_heldView->verticalHeader()->hide();
    m_heldView->verticalHeader()->setDefaultSectionSize(m_heldView->fontMetrics().height() + 6);
    m_heldView->horizontalHeader()->setStretchLastSection(true);
    // Widths from the longest words the columns hold, so that "→ server" is never cut.
    const QFontMetrics metrics = m_heldView->fontMetrics();
    const int pad = 16;
    m_heldView->horizontalHeader()->resizeSection(
        ProxyHeldModel::ConnectionColumn, metrics.horizontalAdvance(QStringLiteral("0000")) + pad);
    m_heldView->horizontalHeader()->resizeSection(
        ProxyHeldModel::WayColumn, metrics.horizontalAdvance(QStringLiteral("→ server")) + pad);
    m_heldView->horizontalHeader()->resizeSection(
        ProxyHeldModel::KindColumn, metrics.horizontalAdvance(QStringLiteral("binary")) + pad);
    m_heldView->horizontalHeader()->resizeSection(
        ProxyHeldModel::SizeColumn, metrics.horizontalAdvance(QStringLiteral("000,000")) + pad);
    m_forward = new QPushButton(gui::icon(QStringLiteral("send")), QString(), m_heldPage);
    m_edit = new QPushButton(QString(), m_heldPage);
    m_drop = new QPushButton(gui::icon(QStringLiteral("dismiss")), QString(), m_heldPage);
    m_forwardAll = new QPushButton(QString(), m_heldPage);
    auto *heldButtons = new QVBoxLayout;
    heldButtons->addWidget(m_forward);
    heldButtons->addWidget(m_edit);
    heldButtons->addWidget(m_drop);
    heldButtons->addSpacing(8);
    heldButtons->addWidget(m_forwardAll);
    heldButtons->addStretch(1);
    auto *heldLayout = new QHBoxLayout(m_heldPage);
    heldLayout->setContentsMargins(4, 4, 4, 4);
    heldLayout->addWidget(m_heldView, 1);
    heldLayout->addLayout(heldButtons);

    // Inject.
    m_injectPage = new QWidget(this);
    m_injectConnection = new QComboBox(m_injectPage);
    m_injectConnection->setMinimumContentsLength(14);
    m_injectWay = new QComboBox(m_injectPage);
    m_injectWay->addItem(QString(), int(Way::ToServer));
    m_injectWay->addItem(QString(), int(Way::ToClient));
    m_injectKind = new QComboBox(m_injectPage);
    m_injectKind->addItem(QString(), int(MessageFormat::Type::Text));
    m_injectKind->addItem(QString(), int(MessageFormat::Type::Json));
    m_injectKind->addItem(QString(), int(MessageFormat::Type::Hex));
    m_injectKind->addItem(QString(), int(MessageFormat::Type::Base64));
    m_injectEdit = new QLineEdit(m_injectPage);
    m_inject = new QPushButton(gui::icon(QStringLiteral("send")), QString(), m_injectPage);
    m_injectError = gui::makeErrorLabel(QStringLiteral("injectErrorLabel"), m_injectPage);
    auto *injectRow = new QHBoxLayout;
    injectRow->addWidget(m_injectConnection);
    injectRow->addWidget(m_injectWay);
    injectRow->addWidget(m_injectKind);
    auto *injectRow2 = new QHBoxLayout;
    injectRow2->addWidget(m_injectEdit, 1);
    injectRow2->addWidget(m_inject);
    auto *injectLayout = new QVBoxLayout(m_injectPage);
    injectLayout->setContentsMargins(4, 4, 4, 4);
    injectLayout->addLayout(injectRow);
    injectLayout->addLayout(injectRow2);
    injectLayout->addWidget(m_injectError);
    injectLayout->addStretch(1);

    m_breakpoints = new BreakpointsEditor(this);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("interceptTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_heldPage, QString());
    m_tabs->addTab(m_injectPage, QString());
    m_tabs->addTab(m_breakpoints, QString());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_tabs, 1);

    connect(m_pauseToServer, &QToolButton::toggled, this,
        [this](bool on) { Q_EMIT pauseRequested(Way::ToServer, on); });
    connect(m_pauseToClient, &QToolButton::toggled, this,
        [this](bool on) { Q_EMIT pauseRequested(Way::ToClient, on); });
    connect(m_forward, &QPushButton::clicked, this, [this] {
        if (const quint64 id = selectedHeld())
            Q_EMIT forwardRequested(id);
    });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (const quint64 id = selectedHeld())
            Q_EMIT editRequested(id);
    });
    connect(m_heldView, &QTableView::doubleClicked, this, [this] {
        if (const quint64 id = selectedHeld())
            Q_EMIT editRequested(id);
    });
    connect(m_drop, &QPushButton::clicked, this, [this] {
        if (const quint64 id = selectedHeld())
            Q_EMIT dropRequested(id);
    });
    connect(m_forwardAll, &QPushButton::clicked, this, &InterceptPane::forwardAllRequested);
    connect(m_inject, &QPushButton::clicked, this, &InterceptPane::inject);
    connect(m_injectEdit, &QLineEdit::returnPressed, this, &InterceptPane::inject);
    connect(m_injectEdit, &QLineEdit::textChanged, this, [this] { gui::setInlineError(m_injectError, {}); });
    connect(m_breakpoints, &BreakpointsEditor::changed, this, &InterceptPane::breakpointsChanged);
    connect(m_heldView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &InterceptPane::updateButtons);
    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved }) {
        connect(m_heldModel, signal, this, [this] {
            // The oldest held message is the one to decide on next.
            if (selectedHeld() == 0 && m_heldModel->rowCount() > 0)
                m_heldView->selectRow(0);
            updateButtons();
            retranslateUi();
        });
    }
    connect(m_heldModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_heldModel->rowCount() > 0)
            m_heldView->selectRow(0);
        updateButtons();
        retranslateUi();
    });
    retranslateUi();
    updateButtons();
}

void InterceptPane::setConnections(const QList<ProxyServer::ConnectionInfo> &connections, quint32 selected)
{
    const quint32 current = m_injectConnection->currentData().toUInt();
    const QSignalBlocker blocker(m_injectConnection);
    m_injectConnection->clear();
    for (const ProxyServer::ConnectionInfo &c : connections) {
        if (c.open)
            m_injectConnection->addItem(tr("Connection %1").arg(c.id), c.id);
    }
    int index = m_injectConnection->findData(selected ? selected : current);
    if (index < 0)
        index = m_injectConnection->findData(current);
    m_injectConnection->setCurrentIndex(index >= 0 ? index : 0);
    updateButtons();
}

void InterceptPane::setLive(bool live)
{
    m_live = live;
    updateButtons();
}

void InterceptPane::setPaused(Way way, bool paused)
{
    QToolButton *button = way == Way::ToServer ? m_pauseToServer : m_pauseToClient;
    const QSignalBlocker blocker(button);
    button->setChecked(paused);
}

quint64 InterceptPane::selectedHeld() const
{
    const QModelIndexList rows = m_heldView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return 0;
    return m_heldModel->data(rows.first(), ProxyHeldModel::HeldIdRole).toULongLong();
}

void InterceptPane::selectHeld(quint64 id)
{
    const int row = m_heldModel->rowForId(id);
    if (row >= 0)
        m_heldView->selectRow(row);
}

void InterceptPane::updateButtons()
{
    const bool selected = m_live && selectedHeld() != 0;
    m_forward->setEnabled(selected);
    m_edit->setEnabled(selected);
    m_drop->setEnabled(selected);
    m_forwardAll->setEnabled(m_live && m_heldModel->rowCount() > 0);
    m_pauseToServer->setEnabled(m_live);
    m_pauseToClient->setEnabled(m_live);
    m_inject->setEnabled(m_live && m_injectConnection->count() > 0);
}

void InterceptPane::inject()
{
    if (!m_inject->isEnabled())
        return;
    const auto type = MessageFormat::Type(m_injectKind->currentData().toInt());
    const MessageFormat::Encoded encoded = MessageFormat::encode(type, m_injectEdit->text());
    if (!encoded.ok()) {
        gui::setInlineError(m_injectError, encoded.error, m_injectEdit);
        return;
    }
    Q_EMIT injectRequested(m_injectConnection->currentData().toUInt(),
        Way(m_injectWay->currentData().toInt()), encoded.binary ? Kind::Binary : Kind::Text, encoded.payload);
}

void InterceptPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void InterceptPane::retranslateUi()
{
    m_pauseToServer->setText(tr("Pause → &server"));
    describe(m_pauseToServer, QStringLiteral("pauseToServerButton"), tr("Pause messages to the server"),
        tr("Hold every message the app sends until you forward, edit or drop it"));
    m_pauseToClient->setText(tr("Pause → c&lient"));
    describe(m_pauseToClient, QStringLiteral("pauseToClientButton"), tr("Pause messages to the client"),
        tr("Hold every message the server sends until you forward, edit or drop it"));
    const int held = m_heldModel->rowCount();
    m_heldCount->setText(held ? tr("%n message(s) held", nullptr, held) : QString());
    m_heldCount->setAccessibleName(tr("Held messages"));
    m_tabs->setTabText(0, held ? tr("&Held (%1)").arg(held) : tr("&Held"));
    m_tabs->setTabText(1, tr("&Inject"));
    m_tabs->setTabText(2, tr("&Breakpoints"));
    m_tabs->setAccessibleName(tr("Intercept"));
    m_tabs->setToolTip(tr("Held messages, injecting a message, and breakpoints"));
    describe(m_heldView, QStringLiteral("heldMessagesView"), tr("Held messages"),
        tr("Messages held by a paused way or a breakpoint, oldest first; later messages of the same "
           "connection "
           "and way wait behind them"));
    m_forward->setText(tr("&Forward"));
    describe(m_forward, QStringLiteral("forwardHeldButton"), tr("Forward the held message"),
        tr("Send the selected message on, unchanged"));
    m_edit->setText(tr("&Edit && Forward…"));
    describe(m_edit, QStringLiteral("editHeldButton"), tr("Edit and forward the held message"),
        tr("Change the selected message, then send what you wrote instead"));
    m_drop->setText(tr("&Drop"));
    describe(m_drop, QStringLiteral("dropHeldButton"), tr("Drop the held message"),
        tr("Throw the selected message away: the other side never gets it"));
    m_forwardAll->setText(tr("Forward &All"));
    describe(m_forwardAll, QStringLiteral("forwardAllHeldButton"), tr("Forward every held message"),
        tr("Send every held message on, in order; paused ways stay paused"));
    describe(m_injectConnection, QStringLiteral("injectConnectionCombo"), tr("Connection to inject into"),
        tr("The open connection that gets the new message"));
    m_injectWay->setItemText(0, tr("→ server"));
    m_injectWay->setItemText(1, tr("→ client"));
    describe(m_injectWay, QStringLiteral("injectWayCombo"), tr("Way to inject into"),
        tr("To the server (as if the app sent it) or to the client (as if the server sent it)"));
    for (int i = 0; i < m_injectKind->count(); ++i)
        m_injectKind->setItemText(
            i, MessageFormat::label(MessageFormat::Type(m_injectKind->itemData(i).toInt())));
    describe(m_injectKind, QStringLiteral("injectKindCombo"), tr("Message format"),
        tr("Text, JSON (checked), or bytes in hex or base64 (a binary message)"));
    m_injectEdit->setPlaceholderText(tr("The message to inject"));
    describe(m_injectEdit, QStringLiteral("injectEdit"), tr("Message to inject"),
        tr("A new message for the chosen way of the connection (Enter injects it)"));
    m_inject->setText(tr("In&ject"));
    describe(m_inject, QStringLiteral("injectButton"), tr("Inject the message"),
        tr("Send the message into the chosen way of the connection"));
}

} // namespace wst
