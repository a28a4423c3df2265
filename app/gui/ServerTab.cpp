#include "ServerTab.h"

#include "ActionRegistry.h"
#include "GuiHelpers.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "RulesEditor.h"
#include "ServerSettingsWidget.h"
#include "protocol/CloseCodes.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"
#include "server/ClientListModel.h"
#include "compose/ServerSettingsJson.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;
using State = LocalServer::State;
using Behaviour = ServerOptions::Behaviour;

namespace {

// A state dot in the client list's State column, and the "All clients" row in bold.
class ClientListDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const bool allRow = index.data(ClientListModel::ClientIdRole).toUInt() == 0;
        if (allRow)
            option->font.setBold(true);
        if (index.column() == ClientListModel::StateColumn && !allRow) {
            option->features |= QStyleOptionViewItem::HasDecoration;
            option->icon = gui::stateIcon(index.data(ClientListModel::ConnectedRole).toBool()
                    ? ClientConnection::State::Open
                    : ClientConnection::State::Closed);
        }
    }
};

QHostAddress parseAddress(const QString &text)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    QString bare = t;
    if (bare.startsWith(QLatin1Char('[')) && bare.endsWith(QLatin1Char(']')))
        bare = bare.mid(1, bare.size() - 2);
    return QHostAddress(bare);
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

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
                m_rttLabel->setText(tr("RTT %1 ms (client %2)")
                                        .arg(QLocale().toString(row.extra / 1000.0, 'f', 2))
                                        .arg(row.connectionId));
                break;
            }
        }
    });
    connect(m_history, &HistoryPane::resendRequested, this, [this](Kind kind, const QByteArray &payload) {
        const quint32 target = m_sendToAll->isChecked() ? 0 : m_selected;
        if (kind == Kind::Binary)
            m_server->sendBinary(target, payload);
        else
            m_server->sendText(target, QString::fromUtf8(payload));
    });

    m_clientView->setCurrentIndex(m_clients->index(0, 0));
    updateAddressWarning();
    updateStatus();
    updateControls();
    validateKick();
}

ServerTab::~ServerTab()
{
    // Nothing said while the children go may reach a window that is itself being destroyed.
    blockSignals(true);
    m_server->disconnect(this);
    // The pane must not outlive the model it shows, whatever order the children die in.
    m_history->setLogModel(nullptr);
    m_clientView->setModel(nullptr);
}

void ServerTab::buildUi()
{
    setObjectName(QStringLiteral("serverTab"));
    setAccessibleName(tr("Local server"));

    // The server bar: where to listen, how to behave, Start and Stop.
    m_addressCombo = new QComboBox(this);
    describe(m_addressCombo, QStringLiteral("serverAddressCombo"), tr("Address"),
        tr("The address to listen on: 127.0.0.1 is this machine only; 0.0.0.0 and :: let other machines "
           "connect"));
    m_addressCombo->setEditable(true);
    m_addressCombo->setInsertPolicy(QComboBox::NoInsert);
    m_addressCombo->addItem(QStringLiteral("127.0.0.1"));
    m_addressCombo->addItem(QStringLiteral("::1"));
    m_addressCombo->addItem(QStringLiteral("0.0.0.0"));
    m_addressCombo->addItem(QStringLiteral("::"));
    m_addressCombo->setItemData(0, tr("This machine only (IPv4)"), Qt::ToolTipRole);
    m_addressCombo->setItemData(1, tr("This machine only (IPv6)"), Qt::ToolTipRole);
    m_addressCombo->setItemData(2, tr("Every IPv4 interface: other machines can connect"), Qt::ToolTipRole);
    m_addressCombo->setItemData(3, tr("Every IPv6 interface: other machines can connect"), Qt::ToolTipRole);
    m_addressCombo->setMinimumContentsLength(16);
    m_addressCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_addressCombo->lineEdit()->setObjectName(QStringLiteral("serverAddressEdit"));
    m_addressCombo->lineEdit()->setAccessibleName(tr("Address"));
    m_portSpin = new QSpinBox(this);
    describe(m_portSpin, QStringLiteral("serverPortSpin"), tr("Port"),
        tr("The port to listen on; 0 picks a free one"));
    m_portSpin->setRange(0, 65535);
    m_portSpin->setSpecialValueText(tr("any free"));
    m_portSpin->setMinimumWidth(
        m_portSpin->fontMetrics().horizontalAdvance(QStringLiteral("any free 00")) + 24);
    m_behaviourCombo = new QComboBox(this);
    describe(m_behaviourCombo, QStringLiteral("serverBehaviourCombo"), tr("Behaviour"),
        tr("What the server does with each message it receives"));
    m_behaviourCombo->setMinimumContentsLength(18);
    m_behaviourCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    const struct
    {
        Behaviour behaviour;
        QString name;
        QString tip;
    } behaviours[] = {
        { Behaviour::Echo, tr("Echo"), tr("Send each message back to its sender") },
        { Behaviour::Broadcast, tr("Broadcast to all"),
            tr("Send each message to every client, the sender too") },
        { Behaviour::BroadcastOthers, tr("Broadcast to others"),
            tr("Send each message to every client except its sender") },
        { Behaviour::Manual, tr("Manual"), tr("Send nothing by itself: you send from this tab") },
        { Behaviour::Rules, tr("Reply rules"),
            tr("Answer with the first reply rule that matches the message") },
    };
    for (const auto &b : behaviours) {
        m_behaviourCombo->addItem(b.name, int(b.behaviour));
        m_behaviourCombo->setItemData(m_behaviourCombo->count() - 1, b.tip, Qt::ToolTipRole);
    }
    m_startButton = new QPushButton(tr("&Start"), this);
    describe(m_startButton, QStringLiteral("serverStartButton"), tr("Start server"),
        tr("Start listening with these settings"));
    m_startButton->setIcon(gui::icon(QStringLiteral("connect")));
    m_startButton->setDefault(true);
    m_stopButton = new QPushButton(tr("St&op"), this);
    describe(m_stopButton, QStringLiteral("serverStopButton"), tr("Stop server"),
        tr("Close every client with 1001 (going away) and stop listening"));
    m_stopButton->setIcon(gui::icon(QStringLiteral("disconnect")));
    m_settingsToggle = new QToolButton(this);
    describe(m_settingsToggle, QStringLiteral("serverSettingsToggle"), tr("Server settings"),
        tr("Show or hide the settings: TLS, greeting, periodic push, subprotocols, origins, limits, reply "
           "rules"));
    m_settingsToggle->setText(tr("Setti&ngs"));
    m_settingsToggle->setCheckable(true);
    m_settingsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_settingsToggle->setAutoRaise(true);

    auto *addressLabel = new QLabel(tr("&Address:"), this);
    addressLabel->setBuddy(m_addressCombo);
    auto *portLabel = new QLabel(tr("&Port:"), this);
    portLabel->setBuddy(m_portSpin);
    auto *behaviourLabel = new QLabel(tr("&Behaviour:"), this);
    behaviourLabel->setBuddy(m_behaviourCombo);
    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(addressLabel);
    bar->addWidget(m_addressCombo);
    bar->addSpacing(6);
    bar->addWidget(portLabel);
    bar->addWidget(m_portSpin);
    bar->addSpacing(6);
    bar->addWidget(behaviourLabel);
    bar->addWidget(m_behaviourCombo);
    bar->addStretch(1);
    bar->addWidget(m_startButton);
    bar->addWidget(m_stopButton);
    bar->addWidget(m_settingsToggle);

    m_addressWarning = new QLabel(this);
    m_addressWarning->setObjectName(QStringLiteral("serverAddressWarning"));
    m_addressWarning->setWordWrap(true);
    m_addressWarning->setTextFormat(Qt::PlainText);
    m_addressWarning->setAutoFillBackground(true);
    m_addressWarning->setMargin(4);
    QPalette warn = m_addressWarning->palette();
    warn.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xce));
    warn.setColor(QPalette::WindowText, QColor(0x5c, 0x3c, 0x00));
    m_addressWarning->setPalette(warn);
    m_addressWarning->setVisible(false);
    m_error = gui::makeErrorLabel(QStringLiteral("serverError"), this);

    // The state line: state, URL, copy, open a client.
    m_stateIcon = new QLabel(this);
    m_stateIcon->setObjectName(QStringLiteral("serverStateIcon"));
    m_stateLabel = new QLabel(this);
    describe(
        m_stateLabel, QStringLiteral("serverStateLabel"), tr("Server state"), tr("The state of the server"));
    m_stateLabel->setTextFormat(Qt::PlainText);
    QFont bold = m_stateLabel->font();
    bold.setBold(true);
    m_stateLabel->setFont(bold);
    m_urlLabel = new QLabel(this);
    describe(
        m_urlLabel, QStringLiteral("serverUrlLabel"), tr("Server URL"), tr("The URL clients connect to"));
    m_urlLabel->setTextFormat(Qt::PlainText);
    m_urlLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_urlLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copyUrlButton = new QToolButton(this);
    describe(m_copyUrlButton, QStringLiteral("copyServerUrlButton"), tr("Copy URL"),
        tr("Copy the server's URL to the clipboard"));
    m_copyUrlButton->setText(tr("Copy &URL"));
    m_openClientButton = new QPushButton(tr("Open client &tab"), this);
    describe(m_openClientButton, QStringLiteral("openClientButton"), tr("Open client tab"),
        tr("Open a client tab connected to this server"));
    m_openClientButton->setIcon(gui::icon(QStringLiteral("new-connection")));
    auto *stateBar = new QHBoxLayout;
    stateBar->setSpacing(6);
    stateBar->addWidget(m_stateIcon);
    stateBar->addWidget(m_stateLabel);
    stateBar->addSpacing(8);
    stateBar->addWidget(m_urlLabel);
    stateBar->addWidget(m_copyUrlButton);
    stateBar->addStretch(1);
    stateBar->addWidget(m_openClientButton);

    // Settings, in a panel that folds away once the server runs.
    m_settingsPanel = new QFrame(this);
    m_settingsPanel->setObjectName(QStringLiteral("serverSettingsPanel"));
    m_settingsPanel->setFrameShape(QFrame::StyledPanel);
    m_settingsPanel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_settings = new ServerSettingsWidget(m_settingsPanel);
    auto *panelLayout = new QVBoxLayout(m_settingsPanel);
    panelLayout->setContentsMargins(8, 6, 8, 6);
    panelLayout->addWidget(m_settings);

    // Clients: the list, the selected one's handshake, ping and kick.
    auto *clientsSide = new QWidget(this);
    m_clientsTitle = sectionTitle(tr("Clients"), clientsSide);
    m_clientsTitle->setObjectName(QStringLiteral("clientsTitle"));
    m_clientView = new QTableView(clientsSide);
    describe(m_clientView, QStringLiteral("clientList"), tr("Clients"),
        tr("The clients of this server. Select one to see its handshake and history; All shows every "
           "client's messages."));
    m_clientView->setModel(m_clients);
    m_clientView->setItemDelegate(new ClientListDelegate(m_clientView));
    m_clientView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clientView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_clientView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_clientView->setShowGrid(false);
    m_clientView->setAlternatingRowColors(true);
    m_clientView->setWordWrap(false);
    m_clientView->setTabKeyNavigation(false);
    m_clientView->setCornerButtonEnabled(false);
    m_clientView->verticalHeader()->hide();
    m_clientView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_clientView->verticalHeader()->setDefaultSectionSize(m_clientView->fontMetrics().height() + 8);
    QHeaderView *clientHeader = m_clientView->horizontalHeader();
    clientHeader->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    clientHeader->setHighlightSections(false);
    clientHeader->setStretchLastSection(true);
    const QFontMetrics fm = m_clientView->fontMetrics();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 20; };
    clientHeader->setMinimumSectionSize(width(QStringLiteral("00")));
    clientHeader->resizeSection(ClientListModel::IdColumn, width(QStringLiteral("Client")));
    clientHeader->resizeSection(ClientListModel::PeerColumn, width(QStringLiteral("127.0.0.1:00000")));
    clientHeader->resizeSection(ClientListModel::SinceColumn, width(QStringLiteral("00:00:00")));
    clientHeader->resizeSection(ClientListModel::InColumn, width(QStringLiteral("0000")));
    clientHeader->resizeSection(ClientListModel::OutColumn, width(QStringLiteral("0000")));

    m_handshakeTitle = sectionTitle(tr("Handshake request"), clientsSide);
    m_handshakeView = new QPlainTextEdit(clientsSide);
    describe(m_handshakeView, QStringLiteral("handshakeView"), tr("Handshake request"),
        tr("The selected client's opening HTTP request, exactly as it arrived"));
    m_handshakeView->setReadOnly(true);
    m_handshakeView->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_handshakeView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_handshakeView->setTabChangesFocus(true);
    auto *handshakeBox = new QWidget(clientsSide);
    auto *handshakeLayout = new QVBoxLayout(handshakeBox);
    handshakeLayout->setContentsMargins(0, 4, 0, 0);
    handshakeLayout->setSpacing(4);
    handshakeLayout->addWidget(m_handshakeTitle);
    handshakeLayout->addWidget(m_handshakeView, 1);
    auto *listBox = new QWidget(clientsSide);
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(4);
    listLayout->addWidget(m_clientsTitle);
    listLayout->addWidget(m_clientView, 1);
    auto *clientsSplitter = new QSplitter(Qt::Vertical, clientsSide);
    clientsSplitter->setObjectName(QStringLiteral("clientsSplitter"));
    clientsSplitter->setChildrenCollapsible(false);
    clientsSplitter->addWidget(listBox);
    clientsSplitter->addWidget(handshakeBox);
    clientsSplitter->setStretchFactor(0, 1);
    clientsSplitter->setStretchFactor(1, 1);

    m_pingButton = new QPushButton(tr("P&ing"), clientsSide);
    describe(m_pingButton, QStringLiteral("serverPingButton"), tr("Ping"),
        tr("Ping the selected client (with All: every client) and measure the round trip"));
    m_pingButton->setIcon(gui::icon(QStringLiteral("ping")));
    m_rttLabel = new QLabel(clientsSide);
    describe(m_rttLabel, QStringLiteral("serverRttLabel"), tr("Round trip time"),
        tr("The round trip of the last pong"));
    m_rttLabel->setForegroundRole(QPalette::PlaceholderText);
    m_kickCode = new QSpinBox(clientsSide);
    describe(m_kickCode, QStringLiteral("kickCodeSpin"), tr("Kick close code"),
        tr("The close code sent to the kicked client: 1000, or 3000 to 4999"));
    m_kickCode->setRange(0, 65535);
    m_kickCode->setValue(4000);
    m_kickCodeDescription = new QLabel(clientsSide);
    m_kickCodeDescription->setObjectName(QStringLiteral("kickCodeDescription"));
    m_kickCodeDescription->setEnabled(false);
    m_kickReason = new QLineEdit(clientsSide);
    describe(m_kickReason, QStringLiteral("kickReasonEdit"), tr("Kick reason"),
        tr("Optional reason sent with the close code, at most 123 bytes in UTF-8"));
    m_kickReason->setPlaceholderText(tr("reason (optional)"));
    m_kickReason->setClearButtonEnabled(true);
    m_kickButton = new QPushButton(tr("&Kick"), clientsSide);
    describe(m_kickButton, QStringLiteral("kickButton"), tr("Kick client"),
        tr("Close the selected client's connection with this code and reason"));
    m_kickButton->setIcon(gui::icon(QStringLiteral("close-connection")));
    m_kickError = gui::makeErrorLabel(QStringLiteral("kickError"), clientsSide);

    auto *pingRow = new QHBoxLayout;
    pingRow->addWidget(m_pingButton);
    pingRow->addWidget(m_rttLabel, 1);
    auto *kickLabel = new QLabel(tr("Close code:"), clientsSide);
    kickLabel->setBuddy(m_kickCode);
    auto *kickRow = new QHBoxLayout;
    kickRow->addWidget(kickLabel);
    kickRow->addWidget(m_kickCode);
    kickRow->addWidget(m_kickCodeDescription, 1);
    auto *kickRow2 = new QHBoxLayout;
    kickRow2->addWidget(m_kickReason, 1);
    kickRow2->addWidget(m_kickButton);
    auto *clientsLayout = new QVBoxLayout(clientsSide);
    clientsLayout->setContentsMargins(0, 0, 0, 0);
    clientsLayout->setSpacing(4);
    clientsLayout->addWidget(clientsSplitter, 1);
    clientsLayout->addLayout(pingRow);
    clientsLayout->addLayout(kickRow);
    clientsLayout->addLayout(kickRow2);
    clientsLayout->addWidget(m_kickError);

    // History and the composer.
    m_history = new HistoryPane(this);
    auto *composer = new QWidget(this);
    composer->setObjectName(QStringLiteral("serverComposer"));
    m_sendEdit = new QPlainTextEdit(composer);
    describe(m_sendEdit, QStringLiteral("serverSendEdit"), tr("Message to send"),
        tr("A text message for the selected client, or every client (Ctrl+Enter sends)"));
    m_sendEdit->setPlaceholderText(tr("Message text; Ctrl+Enter sends"));
    m_sendEdit->setTabChangesFocus(true);
    m_sendEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sendToAll = new QCheckBox(tr("To e&very client"), composer);
    describe(m_sendToAll, QStringLiteral("sendToAllCheck"), tr("Send to every client"),
        tr("Send to every connected client instead of the selected one"));
    m_sendButton = new QPushButton(tr("Sen&d"), composer);
    describe(m_sendButton, QStringLiteral("serverSendButton"), tr("Send"), tr("Send the text (Ctrl+Enter)"));
    m_sendButton->setIcon(gui::icon(QStringLiteral("send")));
    auto *sendRow = new QHBoxLayout;
    sendRow->addWidget(m_sendToAll);
    sendRow->addStretch(1);
    sendRow->addWidget(m_sendButton);
    auto *composerLayout = new QVBoxLayout(composer);
    composerLayout->setContentsMargins(0, 4, 0, 0);
    composerLayout->setSpacing(4);
    composerLayout->addWidget(m_sendEdit, 1);
    composerLayout->addLayout(sendRow);
    auto *historySplitter = new QSplitter(Qt::Vertical, this);
    historySplitter->setObjectName(QStringLiteral("serverHistorySplitter"));
    historySplitter->setChildrenCollapsible(false);
    historySplitter->addWidget(m_history);
    historySplitter->addWidget(composer);
    historySplitter->setStretchFactor(0, 1);
    historySplitter->setStretchFactor(1, 0);
    historySplitter->setSizes({ 500, 110 });

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
    layout->addLayout(bar);
    layout->addWidget(m_addressWarning);
    layout->addWidget(m_error);
    layout->addLayout(stateBar);
    layout->addWidget(m_settingsPanel);
    layout->addWidget(m_mainSplitter, 1);

    // Wiring.
    connect(m_addressCombo, &QComboBox::editTextChanged, this, [this] {
        updateAddressWarning();
        revalidate();
    });
    connect(m_portSpin, &QSpinBox::valueChanged, this, &ServerTab::revalidate);
    connect(m_behaviourCombo, &QComboBox::currentIndexChanged, this, [this] {
        const bool rules = Behaviour(m_behaviourCombo->currentData().toInt()) == Behaviour::Rules;
        m_settings->setRulesVisible(rules);
        if (rules)
            setSettingsExpanded(true);
        revalidate();
    });
    connect(m_settings, &ServerSettingsWidget::changed, this, &ServerTab::revalidate);
    connect(m_startButton, &QPushButton::clicked, this, &ServerTab::start);
    connect(m_stopButton, &QPushButton::clicked, this, &ServerTab::stop);
    connect(m_settingsToggle, &QToolButton::toggled, this, &ServerTab::setSettingsExpanded);
    connect(m_copyUrlButton, &QToolButton::clicked, this, &ServerTab::copyUrl);
    connect(m_openClientButton, &QPushButton::clicked, this, [this] {
        if (m_server->state() == State::Listening)
            Q_EMIT openClientRequested(clientUrl());
    });
    connect(m_addressCombo->lineEdit(), &QLineEdit::returnPressed, this, &ServerTab::start);
    connect(m_clientView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { onCurrentClientChanged(current); });
    connect(m_pingButton, &QPushButton::clicked, this, &ServerTab::pingClient);
    connect(m_kickCode, &QSpinBox::valueChanged, this, &ServerTab::validateKick);
    connect(m_kickReason, &QLineEdit::textChanged, this, &ServerTab::validateKick);
    connect(m_kickReason, &QLineEdit::returnPressed, this, &ServerTab::kickClient);
    connect(m_kickButton, &QPushButton::clicked, this, &ServerTab::kickClient);
    connect(m_sendButton, &QPushButton::clicked, this, &ServerTab::sendMessage);
    connect(m_sendToAll, &QCheckBox::toggled, this, &ServerTab::updateControls);
    QAction *sendAction = ActionRegistry::addLocal(m_sendEdit, QStringLiteral("serverSendAction"), Qt::WidgetShortcut);
    connect(sendAction, &QAction::triggered, this, &ServerTab::sendMessage);

    QWidget *order[] = {
        m_addressCombo,
        m_portSpin,
        m_behaviourCombo,
        m_startButton,
        m_stopButton,
        m_settingsToggle,
        m_copyUrlButton,
        m_openClientButton,
        m_settings,
        m_clientView,
        m_handshakeView,
        m_pingButton,
        m_kickCode,
        m_kickReason,
        m_kickButton,
        m_history,
        m_sendEdit,
        m_sendToAll,
        m_sendButton,
    };
    for (size_t i = 0; i + 1 < std::size(order); ++i)
        setTabOrder(order[i], order[i + 1]);
    setFocusProxy(m_addressCombo);
    setSettingsExpanded(true);
}

void ServerTab::setSettingsExpanded(bool expanded)
{
    m_settingsPanel->setVisible(expanded);
    const QSignalBlocker blocker(m_settingsToggle);
    m_settingsToggle->setChecked(expanded);
    m_settingsToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

void ServerTab::setOptions(const ServerOptions &options)
{
    m_addressCombo->setEditText(options.address.toString());
    m_portSpin->setValue(options.port);
    m_behaviourCombo->setCurrentIndex(m_behaviourCombo->findData(int(options.behaviour)));
    m_settings->setOptions(options);
}

ServerOptions ServerTab::options() const
{
    ServerOptions options;
    options.address = parseAddress(m_addressCombo->currentText());
    options.port = quint16(m_portSpin->value());
    options.behaviour = Behaviour(m_behaviourCombo->currentData().toInt());
    m_settings->applyTo(&options);
    return options;
}

QString ServerTab::problem(ServerOptions *options) const
{
    *options = this->options();
    if (options->address.isNull())
        return tr(
            "\u201c%1\u201d is not an IP address: use 127.0.0.1, 0.0.0.0, :: or an address of this machine.")
            .arg(m_addressCombo->currentText().trimmed());
    const QString settingsProblem = m_settings->problem(options->behaviour);
    if (!settingsProblem.isEmpty())
        return settingsProblem;
    return options->validate();
}

bool ServerTab::start()
{
    const State state = m_server->state();
    if (state == State::Listening || m_starting || m_historyLoading)
        return false;
    m_startAttempted = true;
    ServerOptions options;
    const QString why = problem(&options);
    if (!why.isEmpty()) {
        setError(why, options.address.isNull() ? m_addressCombo : nullptr);
        if (!options.address.isNull())
            setSettingsExpanded(true);
        return false;
    }
    setError({});
    m_starting = true;
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
    const int row = m_clients->rowForClient(id);
    if (row >= 0)
        m_clientView->setCurrentIndex(m_clients->index(row, 0));
}

QString ServerTab::title() const
{
    return m_customTitle.isEmpty() ? m_title : m_customTitle;
}

QString ServerTab::errorText() const
{
    return m_error->text();
}

void ServerTab::setError(const QString &error, QWidget *field)
{
    gui::setInlineError(m_error, error, field);
}

void ServerTab::revalidate()
{
    // Problems are shown from the first Start on, and vanish as soon as they are fixed.
    if (!m_startAttempted || m_server->state() == State::Listening)
        return;
    ServerOptions options;
    const QString why = problem(&options);
    setError(why, options.address.isNull() ? m_addressCombo : nullptr);
}

void ServerTab::updateAddressWarning()
{
    const QHostAddress address = parseAddress(m_addressCombo->currentText());
    const bool exposed = !address.isNull() && !address.isLoopback();
    m_addressWarning->setText(exposed
            ? tr("Other machines on your network can connect to a server on %1. Use 127.0.0.1 to keep it "
                 "on this machine.")
                  .arg(address.toString())
            : QString());
    m_addressWarning->setAccessibleName(m_addressWarning->text());
    m_addressWarning->setVisible(exposed);
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
        setSettingsExpanded(false);
        break;
    case State::Error:
        setError(m_server->errorString(), m_portSpin);
        break;
    case State::Stopped:
        break;
    }
    updateStatus();
    updateControls();
}

void ServerTab::onClientsChanged()
{
    const int connected = m_clients->connectedCount();
    m_clientsTitle->setText(
        tr("Clients: %1 connected, %2 in all").arg(connected).arg(m_clients->rowCount() - 1));
    updateStatus();
    updateControls();
}

void ServerTab::onCurrentClientChanged(const QModelIndex &current)
{
    m_selected = current.isValid() ? m_clients->clientId(current.row()) : 0;
    const LocalServer::ClientInfo *info = current.isValid() ? m_clients->clientAt(current.row()) : nullptr;
    if (info) {
        m_handshakeTitle->setText(tr("Handshake request of client %1").arg(info->id));
        m_handshakeView->setPlainText(QString::fromUtf8(info->handshakeRequest));
    } else {
        m_handshakeTitle->setText(tr("Handshake request"));
        m_handshakeView->clear();
        m_handshakeView->setPlaceholderText(
            tr("Select a client to see the request it opened the connection with."));
    }
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
    m_stateIcon->setPixmap(gui::stateIcon(icon).pixmap(16, 16));
    m_stateLabel->setText(stateText);
    const bool listening = state == State::Listening;
    m_urlLabel->setText(listening ? m_server->url().toString() : QString());
    m_urlLabel->setVisible(listening);
    m_copyUrlButton->setVisible(listening);

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
    for (QWidget *w : { static_cast<QWidget *>(m_addressCombo), static_cast<QWidget *>(m_portSpin),
             static_cast<QWidget *>(m_behaviourCombo), static_cast<QWidget *>(m_settings) }) {
        w->setEnabled(editable);
    }
    m_startButton->setEnabled(editable && !m_historyLoading);
    m_stopButton->setEnabled(listening);
    m_copyUrlButton->setEnabled(listening);
    m_openClientButton->setEnabled(listening);

    const int row = m_clients->rowForClient(m_selected);
    const LocalServer::ClientInfo *info = m_selected ? m_clients->clientAt(row) : nullptr;
    const bool clientConnected = listening && info && info->connected;
    const bool anyConnected = listening && m_clients->connectedCount() > 0;
    const bool toAll = m_sendToAll->isChecked() || m_selected == 0;
    m_pingButton->setEnabled(m_selected ? clientConnected : anyConnected);
    m_pingButton->setText(m_selected ? tr("P&ing client %1").arg(m_selected) : tr("P&ing every client"));
    m_kickCode->setEnabled(clientConnected);
    m_kickReason->setEnabled(clientConnected);
    m_kickButton->setEnabled(clientConnected && m_kickValid);
    m_kickButton->setText(m_selected ? tr("&Kick client %1").arg(m_selected) : tr("&Kick"));
    m_sendButton->setEnabled(toAll ? anyConnected : clientConnected);
    m_sendButton->setText(toAll ? tr("Sen&d to every client") : tr("Sen&d to client %1").arg(m_selected));
}

void ServerTab::validateKick()
{
    const int code = m_kickCode->value();
    const QString why = CloseCodes::validate(code, m_kickReason->text());
    m_kickValid = why.isEmpty();
    m_kickCodeDescription->setText(CloseCodes::description(code));
    gui::setInlineError(m_kickError, why, m_kickCode);
    updateControls();
}

void ServerTab::sendMessage()
{
    if (!m_sendButton->isEnabled())
        return;
    const quint32 target = (m_sendToAll->isChecked() || m_selected == 0) ? 0 : m_selected;
    m_server->sendText(target, m_sendEdit->toPlainText());
}

void ServerTab::pingClient()
{
    if (!m_pingButton->isEnabled())
        return;
    m_rttLabel->setText(tr("waiting for the pong\u2026"));
    m_server->ping(m_selected);
}

void ServerTab::kickClient()
{
    if (!m_selected)
        return;
    const QString why = CloseCodes::validate(m_kickCode->value(), m_kickReason->text());
    if (!why.isEmpty()) {
        gui::setInlineError(m_kickError, why, m_kickCode);
        return;
    }
    m_server->kick(m_selected, m_kickCode->value(), m_kickReason->text());
}

void ServerTab::copyUrl()
{
    if (m_server->state() != State::Listening)
        return;
    QGuiApplication::clipboard()->setText(m_server->url().toString());
    m_copyUrlButton->setText(tr("Copied"));
    QTimer::singleShot(
        1500, m_copyUrlButton, [button = m_copyUrlButton] { button->setText(tr("Copy &URL")); });
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
