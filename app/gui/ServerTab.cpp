#include "ServerTab.h"

#include "ActionRegistry.h"
#include "ClientListPane.h"
#include "ComposerWidget.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "PingCloseBar.h"
#include "ServerControlBar.h"
#include "compose/ServerSettingsJson.h"
#include "compose/SessionEnvironment.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "protocols/Protocol.h"
#include "server/ClientListModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTcpServer>
#include <QTimer>
#include <QVBoxLayout>

namespace wst {

using gui::describe;
using State = LocalServer::State;

ServerTab::ServerTab(QWidget *parent)
    : ConnectionPage(parent)
    , m_server(new LocalServer(this))
    , m_clients(new ClientListModel(this))
{
    m_log = new MessageLogModel(m_server->store(), this);
    m_clients->setObjectName(QStringLiteral("clientListModel"));
    m_clients->setAllRow(true);
    m_clients->setServer(m_server);
    buildUi();
    retranslateUi();
    m_history->setLogModel(m_log);

    connect(m_server, &LocalServer::stateChanged, this, &ServerTab::onStateChanged);
    connect(m_server, &LocalServer::clientsChanged, this, &ServerTab::onClientsChanged);
    connect(m_log, &MessageLogModel::rowsPublished, this, [this](int added) {
        // The round trip of the newest pong, for the line beside the Ping button.
        const MessageStore &store = m_log->store();
        const qint64 end = m_log->storeIndex(m_log->rowCount());
        for (qint64 i = end - 1; i >= qMax<qint64>(0, end - added); --i) {
            const MessageRow &row = store.row(i);
            if (row.kind == Kind::Pong && row.extra >= 0) {
                m_kickBar->setRttText(tr("RTT %1 ms (client %2)")
                                          .arg(QLocale().toString(row.extra / 1000.0, 'f', 2))
                                          .arg(row.connectionId));
                break;
            }
        }
    });
    connect(m_history, &HistoryPane::resendRequested, this, [this](Kind kind, const QByteArray &payload) {
        const quint32 target = sendTarget();
        if (kind == Kind::Binary)
            m_server->sendBinary(target, payload);
        else
            m_server->sendText(target, QString::fromUtf8(payload));
    });

    m_clientPane->view()->setCurrentIndex(m_clients->index(0, 0));
    updateStatus();
    updateControls();
}

ServerTab::~ServerTab()
{
    // Nothing said while the children go may reach a window that is itself being destroyed.
    blockSignals(true);
    m_server->disconnect(this);
    // The pane must not outlive the model it shows, whatever order the children die in.
    m_history->setLogModel(nullptr);
    m_clientPane->view()->setModel(nullptr);
}

void ServerTab::buildUi()
{
    setObjectName(QStringLiteral("serverTab"));

    m_controlBar = new ServerControlBar(this);
    m_settings = m_controlBar->settingsWidget();

    // Clients: the list, the selected one's handshake, ping and kick.
    auto *clientsSide = new QWidget(this);
    m_clientPane = new ClientListPane(m_clients, clientsSide);
    m_kickBar = new PingCloseBar(PingCloseBar::Role::Kick, clientsSide);
    auto *clientsLayout = new QVBoxLayout(clientsSide);
    clientsLayout->setContentsMargins(0, 0, 0, 0);
    clientsLayout->setSpacing(4);
    clientsLayout->addWidget(m_clientPane, 1);
    clientsLayout->addWidget(m_kickBar);

    // History and the composer.
    m_history = new HistoryPane(this);
    // The same composer as a client tab's; the target is the selected client, or every client.
    m_composer = new ComposerWidget(this);
    m_composer->setObjectName(QStringLiteral("serverComposer"));
    m_composer->setSavingAvailable(false); // a server tab has no saved messages (yet)
    m_composer->setProtobufAvailable(false); // nor a decoder to encode Protobuf with
    m_sendToAll = new QCheckBox(m_composer);
    m_sendToAll->setObjectName(QStringLiteral("sendToAllCheck"));
    m_composer->addTargetWidget(m_sendToAll);
    auto *historySplitter = new QSplitter(Qt::Vertical, this);
    historySplitter->setObjectName(QStringLiteral("serverHistorySplitter"));
    historySplitter->setChildrenCollapsible(false);
    historySplitter->addWidget(m_history);
    historySplitter->addWidget(m_composer);
    historySplitter->setStretchFactor(0, 1);
    historySplitter->setStretchFactor(1, 0);
    historySplitter->setSizes({ 460, 150 });

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("serverMainSplitter"));
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(clientsSide);
    m_mainSplitter->addWidget(historySplitter);
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 5);
    m_mainSplitter->setSizes({ 480, 880 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(4);
    layout->addWidget(m_controlBar);
    layout->addWidget(m_mainSplitter, 1);

    // Wiring.
    connect(m_controlBar, &ServerControlBar::optionsEdited, this, &ServerTab::revalidate);
    // A port the user sets replaces the one "any free" gave (keepPickedPort).
    connect(m_controlBar->portSpin(), &QSpinBox::valueChanged, this, [this] { m_portPicked = false; });
    connect(m_controlBar, &ServerControlBar::startRequested, this, &ServerTab::start);
    connect(m_controlBar, &ServerControlBar::stopRequested, this, &ServerTab::stop);
    connect(m_controlBar, &ServerControlBar::openClientRequested, this, [this] {
        if (m_server->state() == State::Listening)
            Q_EMIT openClientRequested(clientUrl());
    });
    connect(m_clientPane, &ClientListPane::selectedClientChanged, this, &ServerTab::onSelectedClientChanged);
    connect(m_kickBar, &PingCloseBar::pingRequested, this, &ServerTab::pingClient);
    connect(m_kickBar, &PingCloseBar::closeRequested, this, &ServerTab::kickClient);
    connect(m_sendToAll, &QCheckBox::toggled, this, &ServerTab::updateControls);
    connect(m_composer, &ComposerWidget::sendText, this,
        [this](const QString &text) { m_server->sendText(sendTarget(), text); });
    connect(m_composer, &ComposerWidget::sendBinary, this,
        [this](const QByteArray &data) { m_server->sendBinary(sendTarget(), data); });

    // The controls are made top to bottom, left to right, so the focus chain already follows
    // what the user sees.
    setFocusProxy(m_controlBar);
}

void ServerTab::setOptions(const ServerOptions &options)
{
    m_controlBar->setOptions(options);
}

void ServerTab::setEnvironment(SessionEnvironment *environment)
{
    m_environment = environment;
    m_composer->setEnvironment(environment);
}

ServerOptions ServerTab::options() const
{
    return m_controlBar->options();
}

bool ServerTab::start()
{
    const State state = m_server->state();
    if (state == State::Listening || m_starting || m_historyLoading)
        return false;
    m_startAttempted = true;
    ServerOptions options;
    const QString why = m_controlBar->problem(&options);
    if (!why.isEmpty()) {
        setError(why, options.address.isNull() ? m_controlBar->addressCombo() : nullptr);
        if (!options.address.isNull())
            m_controlBar->setSettingsExpanded(true);
        return false;
    }
    setError({});
    if (m_environment)
        options.variables = m_environment->effectiveVariables();
    m_starting = true;
    // The history reads the clients' messages as the protocol's.
    m_log->setProtocol(options.protocol.isRaw() ? nullptr : Protocol::create(options.protocol));
    m_server->start(options);
    updateStatus();
    updateControls();
    return true;
}

void ServerTab::stop()
{
    if (m_server->state() != State::Listening)
        return;
    m_stopping = true;
    m_server->stop();
    updateStatus();
    updateControls();
}

void ServerTab::selectClient(quint32 id)
{
    m_clientPane->selectClient(id);
}

QString ServerTab::title() const
{
    return m_customTitle.isEmpty() ? m_title : m_customTitle;
}

QString ServerTab::errorText() const
{
    return m_controlBar->errorText();
}

void ServerTab::setError(const QString &error, QWidget *field)
{
    m_controlBar->setError(error, field);
}

void ServerTab::revalidate()
{
    // Problems are shown from the first Start on, and vanish as soon as they are fixed.
    if (!m_startAttempted || m_server->state() == State::Listening)
        return;
    ServerOptions options;
    const QString why = m_controlBar->problem(&options);
    setError(why, options.address.isNull() ? m_controlBar->addressCombo() : nullptr);
}

void ServerTab::onStateChanged(LocalServer::State state)
{
    m_starting = false;
    if (state != State::Listening)
        m_stopping = false;
    switch (state) {
    case State::Listening:
        m_startAttempted = false;
        setError({});
        m_controlBar->setSettingsExpanded(false);
        keepPickedPort();
        break;
    case State::Error:
        if (!offerAnotherPort())
            setError(m_server->errorString(), m_controlBar->portSpin());
        break;
    case State::Stopped:
        break;
    }
    updateStatus();
    updateControls();
}

void ServerTab::keepPickedPort()
{
    // "Any free port" is resolved once: a restart keeps the port the clients were given, so their
    // tabs (and their automatic reconnects) still reach it. The field shows it; 0 picks anew.
    QSpinBox *spin = m_controlBar->portSpin();
    if (spin->value() != 0)
        return;
    spin->setValue(m_server->url().port());
    m_portPicked = true;
}

bool ServerTab::offerAnotherPort()
{
    const int port = m_controlBar->portSpin()->value();
    if (!m_portPicked || port == 0)
        return false;
    QTcpServer probe; // only a port now taken by another program is worth the question
    if (probe.listen(m_controlBar->options().address, quint16(port))
        || probe.serverError() != QAbstractSocket::AddressInUseError)
        return false;
    const QMessageBox::StandardButton answer = Dialogs::question(this, tr("Port Taken"),
        tr("Port %1, which this server had, is now used by another program. Start on another free "
           "port?\n\nTabs connected to this server will then need its new address.")
            .arg(port),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    if (answer != QMessageBox::Yes)
        return false;
    m_controlBar->portSpin()->setValue(0);
    QTimer::singleShot(0, this, [this] { start(); });
    return true;
}

void ServerTab::onClientsChanged()
{
    m_clientPane->updateTitle();
    updateStatus();
    updateControls();
}

void ServerTab::onSelectedClientChanged(quint32 id)
{
    m_selected = id;
    updateHistoryFilter();
    updateControls();
}

void ServerTab::updateHistoryFilter()
{
    m_history->filterModel()->setConnectionId(m_selected ? qint64(m_selected) : -1);
    // The All view shows which client each row belongs to, right after the row number.
    HistoryView *view = m_history->view();
    view->setClientColumnVisible(m_selected == 0);
    QHeaderView *header = view->horizontalHeader();
    if (header->count() > MessageLogModel::ClientColumn)
        header->moveSection(
            header->visualIndex(MessageLogModel::ClientColumn), MessageLogModel::IdColumn + 1);
}

void ServerTab::retranslateUi()
{
    setAccessibleName(tr("Local server"));
    m_sendToAll->setText(tr("To e&very client"));
    describe(m_sendToAll, QStringLiteral("sendToAllCheck"), tr("Send to every client"),
        tr("Send to every connected client instead of the selected one"));
}

void ServerTab::retranslateState()
{
    m_clientPane->updateTitle();
    updateStatus();
    updateControls();
}

void ServerTab::updateStatus()
{
    const State state = m_server->state();
    const bool starting = m_starting;
    const bool stopping = m_stopping;
    const int connected = m_clients->connectedCount();
    QString stateText;
    ClientConnection::State icon = ClientConnection::State::Idle;
    QString status;
    if (starting) {
        stateText = tr("Starting\u2026");
        icon = ClientConnection::State::Connecting;
        status = stateText;
    } else if (stopping) {
        stateText = tr("Stopping\u2026");
        icon = ClientConnection::State::Closing;
        status = tr("Stopping: closing every client with 1001");
    } else {
        switch (state) {
        case State::Listening:
            stateText = tr("Listening on");
            icon = ClientConnection::State::Open;
            status = tr("Listening on %1 \u2014 %n client(s) connected", nullptr, connected)
                         .arg(m_server->url().toString());
            break;
        case State::Stopped:
            stateText = tr("Stopped");
            status = stateText;
            break;
        case State::Error:
            stateText = tr("Not listening");
            icon = ClientConnection::State::Error;
            status = tr("Error \u2014 %1").arg(m_server->errorString());
            break;
        }
    }
    const bool listening = state == State::Listening;
    m_controlBar->setState(stateText, icon, listening ? m_server->url() : QUrl());

    const QString title = listening ? tr("Server :%1").arg(m_server->url().port()) : tr("Local server");
    if (title != m_title) {
        m_title = title;
        Q_EMIT titleChanged();
    }
    if (status != m_statusText) {
        m_statusText = status;
        Q_EMIT statusChanged();
    }
}

void ServerTab::setHistoryLoading(bool loading)
{
    m_historyLoading = loading;
    updateControls();
}

void ServerTab::updateControls()
{
    const State state = m_server->state();
    const bool starting = m_starting;
    const bool stopping = m_stopping;
    const bool listening = state == State::Listening && !stopping;
    const bool editable = state != State::Listening && !starting && !stopping;
    m_controlBar->setControls(editable, editable && !m_historyLoading, listening);

    const int row = m_clients->rowForClient(m_selected);
    const LocalServer::ClientInfo *info = m_selected ? m_clients->clientAt(row) : nullptr;
    const bool clientConnected = listening && info && info->connected;
    const bool anyConnected = listening && m_clients->connectedCount() > 0;
    const bool toAll = m_sendToAll->isChecked() || m_selected == 0;
    m_kickBar->setPingAvailable(m_selected ? clientConnected : anyConnected);
    m_kickBar->setPingButtonText(
        m_selected ? tr("P&ing client %1").arg(m_selected) : tr("P&ing every client"));
    m_kickBar->setCloseAvailable(clientConnected);
    m_kickBar->setCloseButtonText(m_selected ? tr("&Kick client %1").arg(m_selected) : tr("&Kick"));
    const bool canSend = toAll ? anyConnected : clientConnected;
    m_composer->setSendAllowed(canSend,
        canSend     ? QString()
            : toAll ? tr("No client is connected")
                    : tr("Client %1 is not connected").arg(m_selected));
    m_composer->setSendButtonText(
        toAll ? tr("Sen&d to every client") : tr("Sen&d to client %1").arg(m_selected));
}

quint32 ServerTab::sendTarget() const
{
    return (m_sendToAll->isChecked() || m_selected == 0) ? 0 : m_selected;
}

void ServerTab::pingClient()
{
    if (!m_kickBar->pingButton()->isEnabled())
        return;
    m_kickBar->setRttText(tr("waiting for the pong\u2026"));
    m_server->ping(m_selected);
}

void ServerTab::kickClient()
{
    if (!m_selected)
        return;
    if (!m_kickBar->checkClose())
        return;
    m_server->kick(m_selected, m_kickBar->closeCode(), m_kickBar->closeReason());
}

QUrl ServerTab::clientUrl() const
{
    // A server on every interface is reached from here through the loopback address.
    QUrl url = m_server->url();
    const QHostAddress host(url.host());
    if (host == QHostAddress(QHostAddress::AnyIPv4))
        url.setHost(QStringLiteral("127.0.0.1"));
    else if (host == QHostAddress(QHostAddress::AnyIPv6))
        url.setHost(QStringLiteral("::1"));
    return url;
}

// ConnectionPage

QString ServerTab::kind() const
{
    return QStringLiteral("server");
}

void ServerTab::setCustomTitle(const QString &title)
{
    const QString trimmed = title.trimmed();
    if (trimmed == m_customTitle)
        return;
    m_customTitle = trimmed;
    Q_EMIT titleChanged();
}

QString ServerTab::renamePrompt() const
{
    return tr("Name of this tab (empty: use the server's port):");
}

QString ServerTab::resetTitleText() const
{
    return tr("Use the Server's &Port as Name");
}

ClientConnection::State ServerTab::indicator() const
{
    switch (m_server->state()) {
    case LocalServer::State::Listening:
        return ClientConnection::State::Open;
    case LocalServer::State::Error:
        return ClientConnection::State::Error;
    case LocalServer::State::Stopped:
        break;
    }
    return ClientConnection::State::Idle;
}

QString ServerTab::address() const
{
    return m_server->state() == LocalServer::State::Listening ? m_server->url().toString() : QString();
}

std::shared_ptr<MessageStore> ServerTab::store() const
{
    return m_server->store();
}

QJsonObject ServerTab::settingsJson() const
{
    return ServerSettingsJson::toJson(options());
}

bool ServerTab::setSettingsJson(const QJsonObject &settings, QString *error)
{
    QString problem;
    setOptions(ServerSettingsJson::fromJson(settings, &problem));
    if (error)
        *error = problem;
    return problem.isEmpty();
}

bool ServerTab::startClose()
{
    if (m_server->state() != LocalServer::State::Listening)
        return false;
    connect(m_server, &LocalServer::stopped, this, &ServerTab::finishClose);
    stop(); // closes every client with 1001
    return true;
}

} // namespace wst
