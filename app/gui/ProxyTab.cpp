#include "ProxyTab.h"

#include "BreakpointsEditor.h"
#include "GuiHelpers.h"
#include "HandshakeInspector.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "InterceptPane.h"
#include "ProxyControlBar.h"
#include "ProxySettingsWidget.h"
#include "compose/ProxySettingsJson.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "proxy/ProxyConnectionModel.h"
#include "proxy/ProxyHeldModel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;
using State = ProxyServer::State;
using Way = ProxyServer::Way;

ProxyTab::ProxyTab(QWidget *parent)
    : ConnectionPage(parent)
    , m_proxy(new ProxyServer(this))
    , m_connections(new ProxyConnectionModel(this))
    , m_held(new ProxyHeldModel(this))
{
    m_log = new MessageLogModel(m_proxy->store(), this);
    buildUi();
    wire();
    retranslateUi();
    m_history->setLogModel(m_log);
    m_connectionView->selectRow(0);
    updateHistoryFilter();
    updateStatus();
    updateControls();
}

ProxyTab::~ProxyTab()
{
    blockSignals(true);
    m_proxy->disconnect(this);
    m_history->setLogModel(nullptr);
    m_connectionView->setModel(nullptr);
}

void ProxyTab::buildUi()
{
    setObjectName(QStringLiteral("proxyTab"));
    m_controlBar = new ProxyControlBar(this);
    m_originNote = new QLabel(this);
    m_originNote->setObjectName(QStringLiteral("proxyOriginNote"));
    m_originNote->setWordWrap(true);
    m_originNote->hide();

    // Connections, and the selected one's two handshakes.
    auto *connectionsSide = new QSplitter(Qt::Vertical, this);
    connectionsSide->setObjectName(QStringLiteral("proxyConnectionsSplitter"));
    connectionsSide->setChildrenCollapsible(false);
    auto *listBox = new QWidget(connectionsSide);
    m_connectionsTitle = new QLabel(listBox);
    m_connectionView = new QTableView(listBox);
    m_connectionView->setModel(m_connections);
    m_connectionView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_connectionView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_connectionView->verticalHeader()->hide();
    m_connectionView->verticalHeader()->setDefaultSectionSize(m_connectionView->fontMetrics().height() + 6);
    m_connectionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_connectionView->horizontalHeader()->setSectionResizeMode(
        ProxyConnectionModel::UpstreamColumn, QHeaderView::Stretch);
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(2);
    listLayout->addWidget(m_connectionsTitle);
    listLayout->addWidget(m_connectionView, 1);
    m_handshakeTabs = new QTabWidget(connectionsSide);
    m_handshakeTabs->setObjectName(QStringLiteral("proxyHandshakeTabs"));
    m_handshakeTabs->setDocumentMode(true);
    m_downstreamInspector = new HandshakeInspector(m_handshakeTabs);
    m_downstreamInspector->setObjectName(QStringLiteral("downstreamInspector"));
    m_upstreamInspector = new HandshakeInspector(m_handshakeTabs);
    m_upstreamInspector->setObjectName(QStringLiteral("upstreamInspector"));
    m_handshakeTabs->addTab(m_downstreamInspector, QString());
    m_handshakeTabs->addTab(m_upstreamInspector, QString());
    connectionsSide->addWidget(listBox);
    connectionsSide->addWidget(m_handshakeTabs);
    connectionsSide->setSizes({ 220, 380 });

    // History, and intercept under it.
    m_history = new HistoryPane(this);
    m_intercept = new InterceptPane(m_held, this);
    m_intercept->setObjectName(QStringLiteral("interceptPane"));
    auto *historySplitter = new QSplitter(Qt::Vertical, this);
    historySplitter->setObjectName(QStringLiteral("proxyHistorySplitter"));
    historySplitter->setChildrenCollapsible(false);
    historySplitter->addWidget(m_history);
    historySplitter->addWidget(m_intercept);
    historySplitter->setStretchFactor(0, 1);
    historySplitter->setSizes({ 420, 220 });

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("proxyMainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(connectionsSide);
    m_mainSplitter->addWidget(historySplitter);
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 5);
    m_mainSplitter->setSizes({ 500, 860 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(4);
    layout->addWidget(m_controlBar);
    layout->addWidget(m_originNote);
    layout->addWidget(m_mainSplitter, 1);
    setFocusProxy(m_controlBar);
}

void ProxyTab::wire()
{
    connect(m_proxy, &ProxyServer::stateChanged, this, &ProxyTab::onStateChanged);
    connect(m_proxy, &ProxyServer::connectionsChanged, this, &ProxyTab::onConnectionsChanged);
    connect(m_proxy, &ProxyServer::heldChanged, this, [this] { m_held->setHeld(m_proxy->held()); });
    connect(m_proxy, &ProxyServer::stopped, this, [this] {
        m_stopping = false;
        updateStatus();
        updateControls();
    });
    connect(m_controlBar, &ProxyControlBar::optionsEdited, this, &ProxyTab::revalidate);
    connect(m_controlBar, &ProxyControlBar::startRequested, this, &ProxyTab::start);
    connect(m_controlBar, &ProxyControlBar::stopRequested, this, &ProxyTab::stop);
    connect(m_controlBar, &ProxyControlBar::makeCertificateRequested, this, &ProxyTab::makeCertificate);
    connect(m_controlBar, &ProxyControlBar::openClientRequested, this, [this] {
        if (m_proxy->state() == State::Listening)
            Q_EMIT openClientRequested(
                QUrl(ProxyControlBar::pointAt(ProxyOptions::Mode::Reverse, m_proxy->url())));
    });
    connect(m_connectionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ProxyTab::onSelectedRowChanged);
    // The intercept pane asks; the proxy does.
    connect(m_intercept, &InterceptPane::pauseRequested, this, [this](Way way, bool paused) {
        m_proxy->setPaused(way, paused);
        m_intercept->setPaused(way, m_proxy->isPaused(way));
    });
    connect(
        m_intercept, &InterceptPane::forwardRequested, this, [this](quint64 id) { m_proxy->forward(id); });
    connect(m_intercept, &InterceptPane::editRequested, this, &ProxyTab::editHeld);
    connect(m_intercept, &InterceptPane::dropRequested, this, [this](quint64 id) { m_proxy->drop(id); });
    connect(m_intercept, &InterceptPane::forwardAllRequested, this, [this] { m_proxy->forwardAll(); });
    connect(m_intercept, &InterceptPane::injectRequested, this,
        [this](quint32 connection, Way way, Kind kind, const QByteArray &payload) {
            m_proxy->inject(connection, way, kind, payload);
        });
    connect(m_intercept, &InterceptPane::breakpointsChanged, this, &ProxyTab::applyBreakpoints);
    // "Resend" of the history is Replay here: into the way the message travelled.
    connect(m_history, &HistoryPane::resendRequested, this, [this] {
        for (qint64 index : m_history->selectedStoreIndexes())
            replay(index);
    });
}

void ProxyTab::setOptions(const ProxyOptions &options)
{
    m_controlBar->setOptions(options);
    m_intercept->breakpointsEditor()->setBreakpoints(options.breakpoints);
}

ProxyOptions ProxyTab::options() const
{
    ProxyOptions options;
    m_controlBar->problem(&options);
    options.breakpoints = m_intercept->breakpointsEditor()->breakpoints();
    return options;
}

bool ProxyTab::start()
{
    if (m_proxy->state() == State::Listening || m_starting || m_historyLoading)
        return false;
    m_startAttempted = true;
    ProxyOptions options;
    QString why = m_controlBar->problem(&options);
    if (why.isEmpty())
        options.breakpoints = m_intercept->breakpointsEditor()->breakpoints(&why);
    if (why.isEmpty())
        why = options.validate();
    if (!why.isEmpty()) {
        m_controlBar->setError(why);
        return false;
    }
    m_controlBar->setError({});
    m_starting = true;
    m_proxy->start(options);
    // Pauses chosen before the start hold from the first message on.
    m_proxy->setPaused(Way::ToServer, m_intercept->pauseToServerButton()->isChecked());
    m_proxy->setPaused(Way::ToClient, m_intercept->pauseToClientButton()->isChecked());
    updateStatus();
    updateControls();
    return true;
}

void ProxyTab::stop()
{
    if (m_proxy->state() != State::Listening)
        return;
    m_stopping = true;
    m_proxy->stop();
    updateStatus();
    updateControls();
}

void ProxyTab::revalidate()
{
    if (!m_startAttempted || m_proxy->state() == State::Listening)
        return;
    ProxyOptions options;
    m_controlBar->setError(m_controlBar->problem(&options));
}

void ProxyTab::applyBreakpoints()
{
    if (m_proxy->state() == State::Listening)
        m_proxy->setBreakpoints(m_intercept->breakpointsEditor()->breakpoints());
}

void ProxyTab::onStateChanged(ProxyServer::State state)
{
    m_starting = false;
    if (state != State::Listening)
        m_stopping = false;
    if (state == State::Listening) {
        m_startAttempted = false;
        m_controlBar->setError({});
        m_controlBar->setSettingsExpanded(false);
        // "Any free port" is resolved once, so that a restart keeps the address the app was given.
        if (m_controlBar->portSpin()->value() == 0)
            m_controlBar->portSpin()->setValue(m_proxy->url().port());
    } else if (state == State::Error) {
        m_controlBar->setError(m_proxy->errorString(), m_controlBar->portSpin());
    }
    updateStatus();
    updateControls();
}

void ProxyTab::onConnectionsChanged()
{
    m_connections->setConnections(m_proxy->connections());
    m_intercept->setConnections(m_proxy->connections(), m_selected);
    showHandshakes();
    updateStatus();
    updateControls();
}

void ProxyTab::restoreHandshakes(const QList<SessionHandshake> &handshakes)
{
    const QList<ProxyServer::ConnectionInfo> recorded = ProxyConnectionModel::fromHandshakes(handshakes);
    if (recorded.isEmpty())
        return;
    m_connections->setConnections(recorded);
    showHandshakes();
    updateStatus();
}

void ProxyTab::selectConnection(quint32 id)
{
    const int row = m_connections->rowForConnection(id);
    if (row >= 0)
        m_connectionView->selectRow(row);
}

void ProxyTab::onSelectedRowChanged()
{
    m_selected = m_connections->connectionId(m_connectionView->currentIndex().row());
    updateHistoryFilter();
    showHandshakes();
    m_intercept->setConnections(m_proxy->connections(), m_selected);
    updateControls();
}

void ProxyTab::showHandshakes()
{
    const ProxyServer::ConnectionInfo *info = m_connections->connection(m_selected);
    m_downstreamInspector->setRecord(info ? info->downstream : HandshakeRecord());
    m_upstreamInspector->setRecord(info ? info->upstreamRecord : HandshakeRecord());
}

void ProxyTab::updateHistoryFilter()
{
    m_history->filterModel()->setConnectionId(m_selected ? qint64(m_selected) : -1);
    HistoryView *view = m_history->view();
    view->setClientColumnVisible(m_selected == 0);
    QHeaderView *header = view->horizontalHeader();
    if (header->count() > MessageLogModel::ClientColumn)
        header->moveSection(
            header->visualIndex(MessageLogModel::ClientColumn), MessageLogModel::IdColumn + 1);
}

void ProxyTab::updateStatus()
{
    const State state = m_proxy->state();
    const ProxyOptions::Mode mode = m_proxy->options().mode;
    QString stateText;
    QString status;
    ClientConnection::State icon = ClientConnection::State::Idle;
    QString pointAt;
    if (m_starting) {
        stateText = status = tr("Starting…");
        icon = ClientConnection::State::Connecting;
    } else if (m_stopping) {
        stateText = tr("Stopping…");
        status = tr("Stopping: closing every connection with 1001");
        icon = ClientConnection::State::Closing;
    } else if (state == State::Listening) {
        icon = ClientConnection::State::Open;
        pointAt = ProxyControlBar::pointAt(mode, m_proxy->url());
        const int open = m_connections->openCount();
        if (mode == ProxyOptions::Mode::Explicit) {
            stateText = tr("HTTP proxy — start the app with:");
            status = tr("HTTP proxy on %1 — %n connection(s) open", nullptr, open)
                         .arg(m_proxy->url().toString());
        } else {
            stateText
                = tr("Forwarding to %1 — point the app at:").arg(m_proxy->options().upstream.toString());
            status = tr("Proxy %1 → %2 — %n connection(s) open", nullptr, open)
                         .arg(pointAt, m_proxy->options().upstream.toString());
        }
    } else if (state == State::Error) {
        stateText = tr("Not listening");
        status = tr("Error — %1").arg(m_proxy->errorString());
        icon = ClientConnection::State::Error;
    } else {
        stateText = status = tr("Stopped");
    }
    m_controlBar->setState(stateText, icon, pointAt);
    const QString title
        = state == State::Listening ? tr("Proxy :%1").arg(m_proxy->url().port()) : tr("Proxy");
    if (title != m_title) {
        m_title = title;
        Q_EMIT titleChanged();
    }
    if (status != m_statusText) {
        m_statusText = status;
        Q_EMIT statusChanged();
    }
    const int count = int(m_connections->connections().size());
    m_connectionsTitle->setText(
        tr("Connections (%1 open, %2 in all)").arg(m_connections->openCount()).arg(count));
}

void ProxyTab::updateControls()
{
    const State state = m_proxy->state();
    const bool listening = state == State::Listening && !m_stopping;
    const bool editable = state != State::Listening && !m_starting && !m_stopping;
    const bool reverse = m_proxy->options().mode == ProxyOptions::Mode::Reverse;
    m_controlBar->setControls(editable, editable && !m_historyLoading, listening, listening && reverse);
    m_intercept->setLive(listening);
}

QString ProxyTab::errorText() const
{
    return m_controlBar->errorText();
}

void ProxyTab::setOriginNote(const QString &note)
{
    m_originNote->setText(note);
    m_originNote->setVisible(!note.isEmpty());
}

void ProxyTab::retranslateUi()
{
    setAccessibleName(tr("Proxy"));
    m_handshakeTabs->setTabText(0, tr("App ↔ proxy"));
    m_handshakeTabs->setTabToolTip(
        0, tr("The handshake between the app and the proxy, as it crossed the wire"));
    m_handshakeTabs->setTabText(1, tr("Proxy ↔ server"));
    m_handshakeTabs->setTabToolTip(
        1, tr("The handshake between the proxy and the real server, as it crossed the wire"));
    m_handshakeTabs->setAccessibleName(tr("Handshakes of the selected connection"));
    m_handshakeTabs->setToolTip(tr("Both handshakes of the selected connection"));
    describe(m_connectionView, QStringLiteral("proxyConnectionsView"), tr("Proxied connections"),
        tr("Every connection through the proxy; select one to see its handshakes and only its messages"));
    m_history->resendAction()->setText(tr("&Replay"));
    m_history->resendAction()->setToolTip(tr("Inject the selected message again into the way it travelled"));
}

void ProxyTab::retranslateState()
{
    // The history's own texts came back with its retranslation: Replay again.
    m_history->resendAction()->setText(tr("&Replay"));
    m_history->resendAction()->setToolTip(tr("Inject the selected message again into the way it travelled"));
    updateStatus();
    updateControls();
}

// ConnectionPage

QString ProxyTab::kind() const
{
    return QStringLiteral("proxy");
}

QString ProxyTab::title() const
{
    return m_customTitle.isEmpty() ? m_title : m_customTitle;
}

void ProxyTab::setCustomTitle(const QString &title)
{
    const QString trimmed = title.trimmed();
    if (trimmed == m_customTitle)
        return;
    m_customTitle = trimmed;
    Q_EMIT titleChanged();
}

QString ProxyTab::renamePrompt() const
{
    return tr("Name of this tab (empty: use the proxy's port):");
}

QString ProxyTab::resetTitleText() const
{
    return tr("Use the Proxy's &Port as Name");
}

ClientConnection::State ProxyTab::indicator() const
{
    switch (m_proxy->state()) {
    case State::Listening:
        return ClientConnection::State::Open;
    case State::Error:
        return ClientConnection::State::Error;
    case State::Stopped:
        break;
    }
    return ClientConnection::State::Idle;
}

QString ProxyTab::address() const
{
    return m_proxy->state() == State::Listening ? m_proxy->url().toString() : QString();
}

std::shared_ptr<MessageStore> ProxyTab::store() const
{
    return m_proxy->store();
}

QJsonObject ProxyTab::settingsJson() const
{
    return ProxySettingsJson::toJson(options());
}

bool ProxyTab::setSettingsJson(const QJsonObject &settings, QString *error)
{
    QString problem;
    setOptions(ProxySettingsJson::fromJson(settings, &problem));
    if (error)
        *error = problem;
    return problem.isEmpty();
}

void ProxyTab::setHistoryLoading(bool loading)
{
    m_historyLoading = loading;
    updateControls();
}

bool ProxyTab::startClose()
{
    if (m_proxy->state() != State::Listening)
        return false;
    connect(m_proxy, &ProxyServer::stopped, this, &ProxyTab::finishClose);
    stop();
    return true;
}

} // namespace wst
