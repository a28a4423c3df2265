#include "ProtocolPanel.h"

#include "ProtocolComposer.h"
#include "connection/ClientConnection.h"
#include "messages/MessageLogModel.h"
#include "protocols/Protocol.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wst {

namespace {
enum Column { IdColumn, NameColumn, StateColumn, StopColumn, ColumnCount };

// STOMP and MQTT unsubscribe; GraphQL stops (complete). The protocols accept "stop" for all.
const QString StopVerb = QStringLiteral("stop");
} // namespace

ProtocolPanel::ProtocolPanel(ClientConnection *connection, MessageLogModel *log, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_log(log)
    , m_title(new QLabel(this))
    , m_state(new QLabel(this))
    , m_operations(new QTreeWidget(this))
    , m_scroll(new QScrollArea(this))
{
    m_scroll->setObjectName(QStringLiteral("protocolComposerArea"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    setObjectName(QStringLiteral("protocolPanel"));
    // The history keeps the room: the panel takes what it needs, and less when the window is short.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_state->setObjectName(QStringLiteral("protocolState"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_operations->setObjectName(QStringLiteral("protocolOperations"));
    m_operations->setColumnCount(ColumnCount);
    m_operations->setRootIsDecorated(false);
    m_operations->setUniformRowHeights(true);
    m_operations->header()->setStretchLastSection(false);
    m_operations->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_operations->setMaximumHeight(fontMetrics().height() * 7);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title);
    top->addWidget(m_state, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_operations);

    connect(m_connection, &ClientConnection::protocolStateChanged, this, [this] {
        updateLogProtocol();
        updateState();
        updateOperations();
    });
    connect(m_connection, &ClientConnection::stateChanged, this, &ProtocolPanel::updateState);
    connect(m_connection, &ClientConnection::commandRefused, this, [this](const QString &problem) {
        if (m_composer)
            m_composer->showProblem(problem);
    });
    connect(m_connection, &ClientConnection::protocolNotice, this, [this](const ProtocolNotice &notice) {
        if (m_composer
            && (notice.type == ProtocolNotice::Type::Reply || notice.type == ProtocolNotice::Type::Error))
            m_composer->showReply(notice);
    });
    setProtocolOptions({});
    retranslateUi();
}

void ProtocolPanel::setProtocolOptions(const ProtocolOptions &options)
{
    const bool sameProtocol = m_composer && options.id == m_options.id;
    m_options = options;
    setVisible(!options.isRaw());
    if (!sameProtocol) {
        delete m_scroll->takeWidget();
        m_composer = ProtocolComposer::create(options.id, m_scroll);
        if (m_composer) {
            // In a scroll area: a tall composer (MQTT, STOMP) must not make the window taller
            // than the screen.
            m_scroll->setWidget(m_composer);
            connect(m_composer, &ProtocolComposer::commandRequested, m_connection, &ClientConnection::submit);
        }
    }
    if (m_composer)
        m_composer->setProtocolOptions(options);
    updateLogProtocol();
    retranslateUi();
    updateState();
    updateOperations();
}

void ProtocolPanel::updateLogProtocol()
{
    using State = ClientConnection::State;
    const State state = m_connection->state();
    const bool live = state == State::Connecting || state == State::Open || state == State::Closing;
    const std::shared_ptr<const Protocol> current = m_log->protocol();
    const ProtocolOptions wanted = live ? m_connection->protocol()->options() : m_options;
    // Not connected, only a change of protocol re-reads the history: typing in the protocol's
    // settings must not reset the view at every key (the next connect applies them).
    const bool changed = !current || (live ? current->options() != wanted : current->id() != wanted.id);
    if (wanted.isRaw())
        m_log->setProtocol(nullptr);
    else if (changed)
        m_log->setProtocol(live ? m_connection->protocol() : Protocol::create(wanted));
}

QString ProtocolPanel::stateText() const
{
    return m_state->text();
}

void ProtocolPanel::updateState()
{
    const bool open = m_connection->state() == ClientConnection::State::Open;
    const ProtocolState &state = m_connection->protocolState();
    const bool speaking = open && m_connection->protocol()->id() == m_options.id && !m_options.isRaw();
    QString text;
    if (!speaking)
        text = tr("not connected: sends wait for the connection and the protocol's handshake");
    else if (!state.isReady())
        text = tr("handshake in progress: sends are queued");
    else
        text = tr("ready");
    m_state->setText(text);
    if (m_composer)
        m_composer->setConnected(speaking && state.isReady());
}

void ProtocolPanel::updateOperations()
{
    const QList<ProtocolState::Operation> &operations = m_connection->protocolState().operations();
    m_operations->clear();
    for (const ProtocolState::Operation &operation : operations) {
        auto *item = new QTreeWidgetItem(m_operations);
        item->setText(IdColumn, operation.id);
        item->setText(NameColumn, operation.name);
        item->setText(StateColumn,
            operation.active
                ? tr("active since %1")
                      .arg(QDateTime::fromMSecsSinceEpoch(operation.startedUs / 1000)
                               .toString(QStringLiteral("HH:mm:ss")))
                : (operation.endReason.isEmpty() ? tr("ended") : tr("ended: %1").arg(operation.endReason)));
        if (operation.active) {
            auto *stopButton = new QPushButton(tr("Stop"), m_operations);
            stopButton->setAccessibleName(
                tr("Stop %1").arg(operation.name.isEmpty() ? operation.id : operation.name));
            stopButton->setToolTip(tr("End this subscription (complete, or unsubscribe)"));
            connect(stopButton, &QPushButton::clicked, this, [this, id = operation.id] { stop(id); });
            m_operations->setItemWidget(item, StopColumn, stopButton);
        }
    }
    m_operations->setVisible(!operations.isEmpty());
}

void ProtocolPanel::stop(const QString &id)
{
    ProtocolCommand command;
    command.verb = StopVerb;
    command.id = id;
    m_connection->submit(command);
}

void ProtocolPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        updateState();
        updateOperations();
    }
    QWidget::changeEvent(event);
}

void ProtocolPanel::retranslateUi()
{
    m_title->setText(ProtocolNames::displayName(m_options.id));
    m_state->setAccessibleName(tr("Protocol state"));
    m_operations->setAccessibleName(tr("Subscriptions"));
    m_operations->setToolTip(
        tr("Subscriptions and other operations of the protocol, with a Stop button each"));
    m_operations->setHeaderLabels({ tr("Id"), tr("Subscription"), tr("State"), QString() });
}

} // namespace wst
