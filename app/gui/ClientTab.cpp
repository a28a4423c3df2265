#include "ClientTab.h"

#include "ActionRegistry.h"
#include "ComposerWidget.h"
#include "FrameView.h"
#include "GuiHelpers.h"
#include "HandshakeInspector.h"
#include "HistoryPane.h"
#include "Dialogs.h"
#include "HistoryView.h"
#include "PeriodicSendBar.h"
#include "RequestOptionsWidget.h"
#include "SavedMessagesPanel.h"
#include "TlsOptionsWidget.h"
#include "protocol/CloseCodes.h"
#include "messages/MessageLogModel.h"
#include "compose/ClientSettingsJson.h"
#include "compose/ConnectionProfile.h"
#include "compose/PeriodicSender.h"
#include "compose/SessionEnvironment.h"
#include "settings/AppSettings.h"

#include <QComboBox>
#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QSslCertificate>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using State = ClientConnection::State;
using gui::describe;

ClientTab::ClientTab(QWidget *parent)
    : ConnectionPage(parent)
    , m_connection(new ClientConnection(this))
{
    m_log = new MessageLogModel(m_connection->store(), this);
    m_localSaved = new SavedMessageList(this);
    m_globalSaved = new SavedMessageList(this); // until the window gives its own
    m_environment = new SessionEnvironment(this); // likewise
    m_periodic = new PeriodicSender(m_connection, this);
    m_periodic->setEnvironment(m_environment);
    buildUi();
    m_history->setLogModel(m_log);

    connect(m_connection, &ClientConnection::stateChanged, this, &ClientTab::onStateChanged);
    connect(m_connection, &ClientConnection::pongReceived, this, &ClientTab::onPong);
    connect(m_connection, &ClientConnection::handshakeChanged, this, &ClientTab::onHandshakeChanged);
    connect(m_history, &HistoryPane::countersChanged, this, &ClientTab::statusChanged);
    connect(m_history, &HistoryPane::resendRequested, this, &ClientTab::resend);
    connect(m_composer, &ComposerWidget::sendText, m_connection, &ClientConnection::sendText);
    connect(m_composer, &ComposerWidget::sendBinary, m_connection, &ClientConnection::sendBinary);
    connect(AppSettings::instance(), &AppSettings::recentUrlsChanged, this, &ClientTab::reloadRecentUrls);

    reloadRecentUrls();
    m_urlCombo->setEditText(QString());
    updateTitle();
    updateStatusText();
    updateControls();
}

ClientTab::~ClientTab()
{
    // Nothing said while the children go may reach a window that is itself being destroyed.
    blockSignals(true);
    m_connection->disconnect(this);
    // The pane must not outlive the model it shows, whatever order the children die in.
    m_history->setLogModel(nullptr);
}

void ClientTab::buildUi()
{
    setObjectName(QStringLiteral("clientTab"));

    // URL bar.
    m_urlCombo = new QComboBox(this);
    describe(m_urlCombo, QStringLiteral("urlCombo"), tr("URL"),
        tr("The WebSocket URL (ws:// or wss://). Enter connects; the list holds recently opened URLs."));
    m_urlCombo->setEditable(true);
    m_urlCombo->setInsertPolicy(QComboBox::NoInsert);
    m_urlCombo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_urlCombo->setMinimumContentsLength(30);
    m_urlCombo->lineEdit()->setPlaceholderText(tr("ws://127.0.0.1:8080/ or wss://example.com/feed"));
    m_urlCombo->lineEdit()->setClearButtonEnabled(true);
    m_urlCombo->lineEdit()->setAccessibleName(tr("URL"));
    m_urlCombo->lineEdit()->setObjectName(QStringLiteral("urlEdit"));
    m_connectButton = new QPushButton(tr("&Connect"), this);
    describe(
        m_connectButton, QStringLiteral("connectButton"), tr("Connect"), tr("Open the connection (Enter)"));
    m_connectButton->setMinimumWidth(m_connectButton->fontMetrics().horizontalAdvance(tr("Disconnect")) + 48);
    m_urlError = gui::makeErrorLabel(QStringLiteral("urlError"), this);

    auto *urlLabel = new QLabel(tr("&URL:"), this);
    urlLabel->setBuddy(m_urlCombo);
    auto *urlBar = new QHBoxLayout;
    urlBar->addWidget(urlLabel);
    urlBar->addWidget(m_urlCombo, 1);
    urlBar->addWidget(m_connectButton);

    // State line and the request options toggle.
    m_stateIcon = new QLabel(this);
    m_stateIcon->setObjectName(QStringLiteral("stateIcon"));
    m_stateLabel = new QLabel(this);
    describe(m_stateLabel, QStringLiteral("stateLabel"), tr("Connection state"),
        tr("The state of the connection"));
    m_stateLabel->setTextFormat(Qt::PlainText);
    m_stateLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Shrinks to nothing rather than widening the window; the tooltip has the whole text.
    m_stateLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_stateLabel->setMinimumWidth(1);
    QFont stateFont = m_stateLabel->font();
    stateFont.setBold(true);
    m_stateLabel->setFont(stateFont);
    m_requestToggle = new QToolButton(this);
    describe(m_requestToggle, QStringLiteral("requestToggle"), tr("Request options"),
        tr("Show or hide the request options: headers, subprotocols, Origin, timeout, TLS, proxy "
           "and auto-reconnect"));
    m_requestToggle->setCheckable(true);
    m_requestToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_requestToggle->setArrowType(Qt::RightArrow);
    m_requestToggle->setAutoRaise(true);
    m_requestPanel = new QFrame(this);
    m_requestPanel->setObjectName(QStringLiteral("requestPanel"));
    m_requestPanel->setFrameShape(QFrame::StyledPanel);
    m_requestPanel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_request = new RequestOptionsWidget(m_requestPanel);
    auto *panelLayout = new QVBoxLayout(m_requestPanel);
    panelLayout->setContentsMargins(8, 4, 8, 4);
    panelLayout->addWidget(m_request);
    m_saveProfileButton = new QPushButton(tr("Save as &Profile\u2026"), m_requestPanel);
    describe(m_saveProfileButton, QStringLiteral("saveProfileButton"), tr("Save as profile"),
        tr("Keep the URL and these options under a name, to open them again from the Profiles menu"));
    m_saveProfileButton->setAutoDefault(false);
    auto *profileRow = new QHBoxLayout;
    profileRow->addStretch();
    profileRow->addWidget(m_saveProfileButton);
    panelLayout->addLayout(profileRow);
    m_requestPanel->setVisible(false);

    // Right after a refusal's text, so that what the server answered is one click away.
    m_showResponseButton = new QPushButton(tr("Show response"), this);
    describe(m_showResponseButton, QStringLiteral("showResponseButton"), tr("Show response"),
        tr("Show the server's answer in the handshake inspector (Ctrl+I)"));
    m_showResponseButton->setFlat(true);
    m_showResponseButton->setCursor(Qt::PointingHandCursor);
    QPalette linkPalette = m_showResponseButton->palette();
    linkPalette.setColor(QPalette::ButtonText, linkPalette.color(QPalette::Link));
    m_showResponseButton->setPalette(linkPalette);
    m_showResponseButton->setVisible(false);

    // The countdown of a scheduled automatic reconnect, read from the status once a second.
    m_reconnectCountdown = new QLabel(this);
    describe(m_reconnectCountdown, QStringLiteral("reconnectCountdown"), tr("Reconnect countdown"),
        tr("When the next automatic reconnect attempt starts"));
    m_reconnectCountdown->setTextFormat(Qt::PlainText);
    m_reconnectCountdown->setVisible(false);
    m_cancelReconnectButton = new QPushButton(tr("Cancel reconnect"), this);
    describe(m_cancelReconnectButton, QStringLiteral("cancelReconnectButton"), tr("Cancel reconnect"),
        tr("Stop reconnecting automatically; the connection stays closed"));
    m_cancelReconnectButton->setVisible(false);
    m_countdownTimer = new QTimer(this);
    m_countdownTimer->setSingleShot(true);

    auto *stateBar = new QHBoxLayout;
    stateBar->addWidget(m_stateIcon);
    stateBar->addWidget(m_stateLabel);
    stateBar->addWidget(m_showResponseButton);
    stateBar->addSpacing(8);
    stateBar->addWidget(m_reconnectCountdown);
    stateBar->addWidget(m_cancelReconnectButton);
    stateBar->addStretch(1);
    stateBar->addWidget(m_requestToggle);

    // Certificate errors.
    m_sslBanner = new QFrame(this);
    m_sslBanner->setObjectName(QStringLiteral("sslBanner"));
    m_sslBanner->setAccessibleName(tr("Certificate errors"));
    m_sslBanner->setFrameShape(QFrame::StyledPanel);
    m_sslBanner->setAutoFillBackground(true);
    QPalette bannerPalette = m_sslBanner->palette();
    bannerPalette.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xce));
    bannerPalette.setColor(QPalette::WindowText, QColor(0x5c, 0x3c, 0x00));
    m_sslBanner->setPalette(bannerPalette);
    m_sslText = new QLabel(m_sslBanner);
    m_sslText->setObjectName(QStringLiteral("sslErrorsLabel"));
    m_sslText->setWordWrap(true);
    m_sslText->setTextFormat(Qt::PlainText);
    m_sslText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sslIgnoreButton = new QPushButton(tr("&Ignore these errors for this connection"), m_sslBanner);
    describe(m_sslIgnoreButton, QStringLiteral("sslIgnoreButton"),
        tr("Ignore these errors for this connection"),
        tr("Connect again, accepting exactly these certificate errors, for this connection only"));
    auto *bannerLayout = new QHBoxLayout(m_sslBanner);
    bannerLayout->addWidget(m_sslText, 1);
    bannerLayout->addWidget(m_sslIgnoreButton, 0, Qt::AlignTop);
    m_sslBanner->setVisible(false);

    // Ping and close.
    m_pingPayload = new QLineEdit(this);
    describe(m_pingPayload, QStringLiteral("pingPayloadEdit"), tr("Ping payload"),
        tr("Optional payload of the ping, at most 125 bytes in UTF-8"));
    m_pingPayload->setPlaceholderText(tr("payload (optional)"));
    m_pingPayload->setClearButtonEnabled(true);
    m_pingButton = new QPushButton(tr("&Ping"), this);
    describe(
        m_pingButton, QStringLiteral("pingButton"), tr("Ping"), tr("Send a ping and measure the round trip"));
    m_pingButton->setIcon(gui::icon(QStringLiteral("ping")));
    m_rttLabel = new QLabel(this);
    describe(
        m_rttLabel, QStringLiteral("rttLabel"), tr("Round trip time"), tr("The round trip of the last ping"));
    m_rttLabel->setMinimumWidth(m_rttLabel->fontMetrics().horizontalAdvance(tr("RTT 000.00 ms")));
    m_pingError = gui::makeErrorLabel(QStringLiteral("pingError"), this);

    m_closeCode = new QSpinBox(this);
    describe(m_closeCode, QStringLiteral("closeCodeSpin"), tr("Close code"),
        tr("The status code of the Close frame: 1000, or 3000 to 4999"));
    m_closeCode->setRange(0, 65535);
    m_closeCode->setValue(1000);
    m_closeCodeDescription = new QLabel(this);
    m_closeCodeDescription->setObjectName(QStringLiteral("closeCodeDescription"));
    m_closeCodeDescription->setEnabled(false); // greyed: it explains the code, it is not a control
    m_closeReason = new QLineEdit(this);
    describe(m_closeReason, QStringLiteral("closeReasonEdit"), tr("Close reason"),
        tr("Optional reason of the Close frame, at most 123 bytes in UTF-8"));
    m_closeReason->setPlaceholderText(tr("reason (optional)"));
    m_closeReason->setClearButtonEnabled(true);
    m_closeButton = new QPushButton(tr("C&lose"), this);
    describe(m_closeButton, QStringLiteral("closeButton"), tr("Close"),
        tr("Send a Close frame with this code and reason"));
    m_closeButton->setIcon(gui::icon(QStringLiteral("close-connection")));
    m_closeError = gui::makeErrorLabel(QStringLiteral("closeError"), this);

    auto *actionsBar = new QHBoxLayout;
    auto *pingLabel = new QLabel(tr("Pin&g:"), this);
    pingLabel->setBuddy(m_pingPayload);
    actionsBar->addWidget(pingLabel);
    actionsBar->addWidget(m_pingPayload, 2);
    actionsBar->addWidget(m_pingButton);
    actionsBar->addWidget(m_rttLabel);
    actionsBar->addSpacing(16);
    auto *separator = new QFrame(this);
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    actionsBar->addWidget(separator);
    actionsBar->addSpacing(8);
    auto *closeLabel = new QLabel(tr("Close c&ode:"), this);
    closeLabel->setBuddy(m_closeCode);
    actionsBar->addWidget(closeLabel);
    actionsBar->addWidget(m_closeCode);
    actionsBar->addWidget(m_closeCodeDescription);
    actionsBar->addWidget(m_closeReason, 3);
    actionsBar->addWidget(m_closeButton);
    auto *actionErrors = new QHBoxLayout;
    actionErrors->addWidget(m_pingError, 1);
    actionErrors->addWidget(m_closeError, 1);

    // History and handshake inspector side by side as tabs, the composer under both.
    m_views = new QTabWidget(this);
    m_views->setObjectName(QStringLiteral("clientViews"));
    m_views->setAccessibleName(tr("History, handshake and frames"));
    m_views->setDocumentMode(true);
    m_views->tabBar()->setObjectName(QStringLiteral("clientViewsTabBar"));
    m_views->tabBar()->setAccessibleName(tr("History, handshake or frames"));
    m_views->tabBar()->setToolTip(
        tr("Switch between the message history, the handshake inspector (Ctrl+I) and the raw frames"));
    m_history = new HistoryPane(m_views);
    m_history->setObjectName(QStringLiteral("historyPane"));
    m_inspector = new HandshakeInspector(m_views);
    m_frames = new FrameView(m_connection, m_views);
    m_views->addTab(m_history, tr("History"));
    m_views->addTab(m_inspector, tr("Handshake"));
    m_views->addTab(m_frames, tr("Frames"));
    m_views->setTabToolTip(0, tr("Every message and event of this connection"));
    m_views->setTabToolTip(1, tr("The opening handshake exactly as it crossed the wire (Ctrl+I)"));
    m_views->setTabToolTip(
        2, tr("Every WebSocket frame both ways, control frames included, while recording"));
    m_composer = new ComposerWidget(this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("composerSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_views);
    m_splitter->addWidget(m_composer);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setSizes({ 560, 140 });
    restoreSplitterState(AppSettings::instance()->historySplitterState());
    buildSavedPanel();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(4);
    layout->addLayout(urlBar);
    layout->addWidget(m_urlError);
    layout->addLayout(stateBar);
    layout->addWidget(m_requestPanel);
    layout->addWidget(m_sslBanner);
    m_originNote = new QLabel(this);
    m_originNote->setObjectName(QStringLiteral("originNote"));
    m_originNote->setAccessibleName(tr("Where this history comes from"));
    m_originNote->setWordWrap(true);
    m_originNote->setTextFormat(Qt::PlainText);
    m_originNote->setEnabled(false); // greyed: a note
    m_originNote->setVisible(false);
    layout->addWidget(m_originNote);
    layout->addLayout(actionsBar);
    layout->addLayout(actionErrors);
    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);
    layout->addWidget(rule);
    layout->addWidget(m_sideSplitter, 1);

    connect(m_urlCombo->lineEdit(), &QLineEdit::returnPressed, this, &ClientTab::connectToServer);
    connect(m_urlCombo, &QComboBox::editTextChanged, this, [this] {
        if (!m_urlError->text().isEmpty())
            gui::setInlineError(m_urlError, {}, m_urlCombo);
        updateTitle();
    });
    connect(m_connectButton, &QPushButton::clicked, this, [this] {
        const State s = m_connection->state();
        if (s == State::Connecting || s == State::Open || s == State::Closing)
            disconnectFromServer();
        else
            connectToServer();
    });
    connect(m_requestToggle, &QToolButton::toggled, this, &ClientTab::setRequestExpanded);
    connect(m_saveProfileButton, &QPushButton::clicked, this, &ClientTab::saveAsProfile);
    connect(m_request, &RequestOptionsWidget::changed, this, &ClientTab::updateControls);
    connect(m_sslIgnoreButton, &QPushButton::clicked, this, &ClientTab::ignoreSslErrorsAndReconnect);
    connect(m_showResponseButton, &QPushButton::clicked, this, &ClientTab::showHandshake);
    connect(m_countdownTimer, &QTimer::timeout, this, &ClientTab::updateReconnectCountdown);
    connect(m_cancelReconnectButton, &QPushButton::clicked, this, [this] {
        m_connection->cancelReconnect();
        m_countdownTimer->stop();
        m_reconnectCountdown->setVisible(false);
        m_cancelReconnectButton->setVisible(false);
        m_connectButton->setFocus(Qt::OtherFocusReason); // the button that had it is gone
    });
    connect(m_pingPayload, &QLineEdit::textChanged, this, &ClientTab::validatePing);
    connect(m_pingPayload, &QLineEdit::returnPressed, this, &ClientTab::sendPing);
    connect(m_pingButton, &QPushButton::clicked, this, &ClientTab::sendPing);
    connect(m_closeCode, &QSpinBox::valueChanged, this, &ClientTab::validateClose);
    connect(m_closeReason, &QLineEdit::textChanged, this, &ClientTab::validateClose);
    connect(m_closeReason, &QLineEdit::returnPressed, this, &ClientTab::sendClose);
    connect(m_closeButton, &QPushButton::clicked, this, &ClientTab::sendClose);
    connect(m_splitter, &QSplitter::splitterMoved, this,
        [this] { AppSettings::instance()->setHistorySplitterState(m_splitter->saveState()); });

    QAction *focusUrl = ActionRegistry::addLocal(this, QStringLiteral("focusUrlAction"), Qt::WidgetWithChildrenShortcut);
    connect(focusUrl, &QAction::triggered, this, [this] {
        m_urlCombo->setFocus(Qt::ShortcutFocusReason);
        m_urlCombo->lineEdit()->selectAll();
    });
    QAction *inspect
        = ActionRegistry::addLocal(this, QStringLiteral("toggleHandshakeAction"), Qt::WidgetWithChildrenShortcut);
    connect(inspect, &QAction::triggered, this, &ClientTab::toggleHandshake);

    // The controls are made top to bottom, left to right, so the focus chain already follows
    // what the user sees; the history pane and the composer keep their own order inside.
    setFocusProxy(m_urlCombo);

    validatePing();
    validateClose();
    setRequestExpanded(false);
}

QString ClientTab::urlText() const
{
    return m_urlCombo->currentText();
}

void ClientTab::setUrlText(const QString &text)
{
    m_urlCombo->setEditText(text);
}

QString ClientTab::urlError() const
{
    return m_urlError->text();
}

void ClientTab::setHistoryLoading(bool loading)
{
    if (m_historyLoading == loading)
        return;
    m_historyLoading = loading;
    updateStatusText();
    updateControls();
}

void ClientTab::setOriginNote(const QString &note)
{
    m_originNote->setText(note);
    m_originNote->setVisible(!note.isEmpty());
}

QString ClientTab::originNote() const
{
    return m_originNote->text();
}

bool ClientTab::connectToServer()
{
    if (m_historyLoading)
        return false;
    QString error;
    const QUrl url = ConnectionOptions::parseUrl(urlText(), &error);
    if (!url.isValid()) {
        gui::setInlineError(m_urlError, error, m_urlCombo);
        m_urlCombo->setFocus(Qt::OtherFocusReason);
        return false;
    }
    gui::setInlineError(m_urlError, {}, m_urlCombo);
    if (!m_request->problem().isEmpty()) {
        // The problem is already shown inline in the request options: make sure it is seen.
        m_requestToggle->setChecked(true);
        m_request->showProblem();
        return false;
    }
    // The TLS files are read now, so an unreadable file, a wrong passphrase or a key of another
    // certificate is said here, next to the field, rather than as a failed connection.
    if (!m_request->checkTls().isEmpty()) {
        m_requestToggle->setChecked(true);
        return false;
    }
    ConnectionOptions options = m_request->options();
    options.url = url;
    options.ignoreAllSslErrors = m_ignoreAllSslErrors;
    m_lastOptions = options;
    m_connectingUrl = url.toString();
    m_pendingSslErrors.clear();
    m_sslBanner->setVisible(false);
    m_rttLabel->clear();
    m_connection->open(options);
    onHandshakeChanged(); // open() forgot the previous attempt's record
    return true;
}

void ClientTab::disconnectFromServer()
{
    switch (m_connection->state()) {
    case State::Open:
        m_connection->close(1000, {});
        break;
    case State::Connecting:
        m_connection->close(1000, {}); // cancels the attempt
        break;
    case State::Closing:
        m_connection->abort();
        break;
    default:
        break;
    }
}

bool ClientTab::sendPing()
{
    validatePing();
    if (!m_pingValid || m_connection->state() != State::Open)
        return false;
    if (!m_connection->ping(m_pingPayload->text().toUtf8()))
        return false;
    m_rttLabel->setText(tr("waiting\u2026"));
    return true;
}

bool ClientTab::sendClose()
{
    validateClose();
    if (!m_closeValid || m_connection->state() != State::Open)
        return false;
    return m_connection->close(m_closeCode->value(), m_closeReason->text());
}

void ClientTab::validatePing()
{
    const qsizetype bytes = m_pingPayload->text().toUtf8().size();
    QString error;
    if (bytes > CloseCodes::MaxPingBytes)
        error = tr("The ping payload is %1 bytes in UTF-8; at most %2 are allowed.")
                    .arg(bytes)
                    .arg(CloseCodes::MaxPingBytes);
    m_pingValid = error.isEmpty();
    gui::setInlineError(m_pingError, error, m_pingPayload);
    updateControls();
}

void ClientTab::validateClose()
{
    const int code = m_closeCode->value();
    const QString error = CloseCodes::validate(code, m_closeReason->text());
    m_closeCodeDescription->setText(CloseCodes::description(code));
    m_closeCode->setAccessibleDescription(CloseCodes::description(code));
    m_closeValid = error.isEmpty();
    gui::setInlineError(m_closeError, error, m_closeCode);
    updateControls();
}

void ClientTab::onStateChanged(State state)
{
    const ClientConnection::Status &status = m_connection->status();
    if (state == State::Open && !m_connectingUrl.isEmpty())
        AppSettings::instance()->addRecentUrl(m_connectingUrl);
    if (state == State::Error && !status.sslErrors.isEmpty())
        showSslBanner(status.sslErrors);
    else if (state == State::Connecting || state == State::Open)
        m_sslBanner->setVisible(false);
    if (state != State::Open && m_rttLabel->text() == tr("waiting\u2026"))
        m_rttLabel->clear();
    updateStatusText();
    updateControls();
    onHandshakeChanged();
    updateReconnectCountdown();
    Q_EMIT stateChanged(state);
}

QString ClientTab::reconnectCountdownText() const
{
    const ClientConnection::Status &s = m_connection->status();
    if (s.reconnectAtMs <= 0)
        return {};
    const qint64 leftMs = s.reconnectAtMs - QDateTime::currentMSecsSinceEpoch();
    const qint64 seconds = qMax<qint64>(1, (leftMs + 999) / 1000);
    return tr("Reconnecting in %1 s (attempt %2)\u2026").arg(seconds).arg(s.reconnectAttempt);
}

void ClientTab::updateReconnectCountdown()
{
    const QString text = reconnectCountdownText();
    const bool scheduled = !text.isEmpty();
    if (scheduled) {
        m_reconnectCountdown->setText(text);
        m_reconnectCountdown->setAccessibleDescription(text);
        // The next update just after the shown number of seconds drops: timed from the deadline,
        // not from when the status arrived, so that no number is skipped.
        const qint64 leftMs = m_connection->status().reconnectAtMs - QDateTime::currentMSecsSinceEpoch();
        const qint64 untilNextMs = leftMs > 1000 ? (leftMs - 1) % 1000 + 1 : 1000;
        m_countdownTimer->start(int(untilNextMs) + 5);
    } else {
        m_countdownTimer->stop();
    }
    m_reconnectCountdown->setVisible(scheduled);
    m_cancelReconnectButton->setVisible(scheduled);
}

void ClientTab::onHandshakeChanged()
{
    const HandshakeRecord &record = m_connection->handshake();
    m_inspector->setRecord(record);
    const int code = record.statusCode();
    m_views->setTabText(m_views->indexOf(m_inspector),
        code != 0 && code != 101 ? tr("Handshake (%1)").arg(code) : tr("Handshake"));

    const bool answered = !record.response.isEmpty();
    const bool failed
        = m_connection->state() == State::Error && (answered || !record.upstreamError.isEmpty());
    if (failed) {
        const QString text = answered ? tr("Show response") : tr("Show details");
        m_showResponseButton->setText(text);
        m_showResponseButton->setAccessibleName(text);
        m_showResponseButton->setToolTip(answered
                ? tr("Show the server's status line, headers and body in the handshake inspector (Ctrl+I)")
                : tr("Show why the server could not be reached in the handshake inspector (Ctrl+I)"));
    }
    m_showResponseButton->setVisible(failed);
}

void ClientTab::showHandshake()
{
    m_views->setCurrentWidget(m_inspector);
    m_inspector->focusExchange();
}

void ClientTab::showHistory()
{
    m_views->setCurrentWidget(m_history);
    m_history->view()->setFocus(Qt::ShortcutFocusReason);
}

void ClientTab::showFrames()
{
    m_views->setCurrentWidget(m_frames);
}

bool ClientTab::isHandshakeShown() const
{
    return m_views->currentWidget() == m_inspector;
}

void ClientTab::toggleHandshake()
{
    if (isHandshakeShown())
        showHistory();
    else
        showHandshake();
}

void ClientTab::onPong(qint64 rttUs, const QByteArray &payload)
{
    Q_UNUSED(payload)
    if (rttUs < 0) {
        m_rttLabel->setText(tr("Unsolicited pong"));
        return;
    }
    const double ms = rttUs / 1000.0;
    m_rttLabel->setText(tr("RTT %1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 2 : 1)));
}

void ClientTab::updateStatusText()
{
    const ClientConnection::Status &s = m_connection->status();
    QString text;
    switch (s.state) {
    case State::Idle:
        text = m_historyLoading ? tr("Loading the history from the session file\u2026") : tr("Not connected");
        break;
    case State::Connecting:
        text = tr("Connecting\u2026");
        break;
    case State::Open:
        text = s.subprotocol.isEmpty() ? tr("Open") : tr("Open \u2014 subprotocol %1").arg(s.subprotocol);
        break;
    case State::Closing:
        text = tr("Closing\u2026");
        break;
    case State::Closed:
        if (s.closeCode == 0)
            text = tr("Closed");
        else if (s.closeReason.isEmpty())
            text = tr("Closed \u2014 %1 %2").arg(s.closeCode).arg(CloseCodes::description(s.closeCode));
        else
            text = tr("Closed \u2014 %1 %2: %3")
                       .arg(s.closeCode)
                       .arg(CloseCodes::description(s.closeCode), s.closeReason);
        break;
    case State::Error:
        text = tr("Error \u2014 %1").arg(s.errorString);
        break;
    }
    m_statusText = text;
    m_stateLabel->setText(text);
    m_stateLabel->setToolTip(text);
    m_stateLabel->setAccessibleDescription(text);
    m_stateIcon->setPixmap(gui::stateIcon(s.state).pixmap(14, 14));
    QPalette pal = palette();
    if (s.state == State::Error)
        pal.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    else if (s.state == State::Open)
        pal.setColor(QPalette::WindowText, QColor(0x1e, 0x7e, 0x34));
    m_stateLabel->setPalette(pal);
    Q_EMIT statusChanged();
}

void ClientTab::updateControls()
{
    const State s = m_connection->state();
    const bool open = s == State::Open;
    const QString notOpen = tr("Not available: the connection is not open");
    switch (s) {
    case State::Connecting:
        m_connectButton->setText(tr("&Cancel"));
        m_connectButton->setToolTip(tr("Stop connecting"));
        m_connectButton->setIcon(gui::icon(QStringLiteral("disconnect")));
        m_connectButton->setEnabled(true);
        break;
    case State::Open:
        m_connectButton->setText(tr("&Disconnect"));
        m_connectButton->setToolTip(tr("Close the connection normally (1000)"));
        m_connectButton->setIcon(gui::icon(QStringLiteral("disconnect")));
        m_connectButton->setEnabled(true);
        break;
    case State::Closing:
        m_connectButton->setText(tr("&Abort"));
        m_connectButton->setToolTip(tr("Drop the connection without waiting for the server's Close frame"));
        m_connectButton->setIcon(gui::icon(QStringLiteral("disconnect")));
        m_connectButton->setEnabled(true);
        break;
    default: {
        const QString problem = m_request->problem();
        m_connectButton->setText(tr("&Connect"));
        m_connectButton->setIcon(gui::icon(QStringLiteral("connect")));
        m_connectButton->setEnabled(problem.isEmpty() && !m_historyLoading);
        m_connectButton->setToolTip(m_historyLoading ? tr("Wait until the history is loaded")
                : problem.isEmpty()                   ? tr("Open the connection (Enter)")
                                                      : tr("Fix the request options first: %1").arg(problem));
        break;
    }
    }
    m_connectButton->setAccessibleName(m_connectButton->text().remove(u'&'));

    m_pingButton->setEnabled(open && m_pingValid);
    m_pingButton->setToolTip(!open ? notOpen
            : m_pingValid          ? tr("Send a ping and measure the round trip")
                                   : m_pingError->text());
    m_closeButton->setEnabled(open && m_closeValid);
    m_closeButton->setToolTip(!open ? notOpen
            : m_closeValid          ? tr("Send a Close frame with this code and reason")
                                    : m_closeError->text());
    m_composer->setSendAllowed(
        open, open ? QString() : tr("Connect first: messages need an open connection"));

    const QString summary = m_request->summary();
    const QString problem = m_request->problem();
    QString toggleText = tr("Request options");
    // A TLS file problem does not disable Connect (the file may be fixed outside wstester), but
    // the collapsed panel still says there is one.
    if (!problem.isEmpty() || !m_request->tls()->error().isEmpty())
        toggleText = tr("Request options (problem)");
    else if (!summary.isEmpty())
        toggleText = tr("Request options: %1").arg(summary);
    m_requestToggle->setText(toggleText);
}

void ClientTab::setRequestExpanded(bool expanded)
{
    if (m_requestToggle->isChecked() != expanded)
        m_requestToggle->setChecked(expanded);
    m_requestPanel->setVisible(expanded);
    m_requestToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

void ClientTab::updateTitle()
{
    const QUrl url(urlText().trimmed());
    QString title = url.host();
    if (!title.isEmpty() && url.port() != -1)
        title += u':' + QString::number(url.port());
    if (title.isEmpty())
        title = tr("New connection");
    if (title == m_autoTitle)
        return;
    m_autoTitle = title;
    if (m_customTitle.isEmpty())
        Q_EMIT titleChanged();
}

QString ClientTab::title() const
{
    return m_customTitle.isEmpty() ? m_autoTitle : m_customTitle;
}

void ClientTab::setCustomTitle(const QString &title)
{
    const QString trimmed = title.trimmed();
    if (trimmed == m_customTitle)
        return;
    m_customTitle = trimmed;
    Q_EMIT titleChanged();
}

QString ClientTab::countersText() const
{
    return m_history->countersText();
}

QByteArray ClientTab::saveSplitterState() const
{
    return m_splitter->saveState();
}

void ClientTab::restoreSplitterState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

void ClientTab::reloadRecentUrls()
{
    const QString text = m_urlCombo->currentText();
    const QSignalBlocker blocker(m_urlCombo);
    m_urlCombo->clear();
    m_urlCombo->addItems(AppSettings::instance()->recentUrls());
    m_urlCombo->setEditText(text);
}

void ClientTab::showSslBanner(const QList<QSslError> &errors)
{
    m_pendingSslErrors = errors;
    QStringList lines;
    lines << tr("The server's certificate was not accepted:");
    for (const QSslError &e : errors) {
        QString line = QStringLiteral("\u2022 ") + e.errorString();
        if (!e.certificate().isNull()) {
            const QString subject = e.certificate().subjectDisplayName();
            if (!subject.isEmpty())
                line += tr(" (certificate: %1)").arg(subject);
        }
        if (!lines.contains(line))
            lines << line;
    }
    m_sslText->setText(lines.join(u'\n'));
    m_sslBanner->setAccessibleDescription(m_sslText->text());
    m_sslBanner->setVisible(true);
}

void ClientTab::ignoreSslErrorsAndReconnect()
{
    if (m_pendingSslErrors.isEmpty())
        return;
    ConnectionOptions options = m_lastOptions;
    options.ignoredSslErrors = m_pendingSslErrors;
    m_sslBanner->setVisible(false);
    m_connectingUrl = options.url.toString();
    m_connection->open(options);
    onHandshakeChanged();
    // The button that had the focus is gone: give it to where the user goes next.
    m_composer->editor()->setFocus(Qt::OtherFocusReason);
}

void ClientTab::resend(Kind kind, const QByteArray &payload)
{
    switch (kind) {
    case Kind::Text:
        m_connection->sendText(QString::fromUtf8(payload));
        break;
    case Kind::Binary:
        m_connection->sendBinary(payload);
        break;
    case Kind::Ping:
        m_connection->ping(payload);
        break;
    default:
        break;
    }
}

void ClientTab::buildSavedPanel()
{
    // The saved messages beside the history and the composer, hidden until asked for.
    m_savedPanel = new SavedMessagesPanel(this);
    m_savedPanel->setLists(m_localSaved, m_globalSaved);
    m_savedPanel->setEnvironment(m_environment);
    m_savedPanel->setVisible(false);
    m_sideSplitter = new QSplitter(Qt::Horizontal, this);
    m_sideSplitter->setObjectName(QStringLiteral("savedSplitter"));
    m_sideSplitter->setChildrenCollapsible(false);
    m_sideSplitter->addWidget(m_splitter);
    m_sideSplitter->addWidget(m_savedPanel);
    m_sideSplitter->setStretchFactor(0, 1);
    m_sideSplitter->setStretchFactor(1, 0);
    m_sideSplitter->setSizes({ 900, 300 });

    m_savedToggle = new QToolButton(m_views);
    describe(m_savedToggle, QStringLiteral("savedToggle"), tr("Saved messages"),
        tr("Show or hide the saved messages and the variables (Ctrl+B)"));
    m_savedToggle->setText(tr("Saved"));
    m_savedToggle->setIcon(gui::icon(QStringLiteral("saved")));
    m_savedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_savedToggle->setCheckable(true);
    m_savedToggle->setAutoRaise(true);
    m_views->setCornerWidget(m_savedToggle, Qt::TopRightCorner);
    QAction *toggle
        = ActionRegistry::addLocal(this, QStringLiteral("toggleSavedMessagesAction"), Qt::WidgetWithChildrenShortcut);
    connect(toggle, &QAction::triggered, this, [this] {
        setSavedPanelVisible(!isSavedPanelVisible());
        if (isSavedPanelVisible())
            m_savedPanel->view(false)->setFocus(Qt::ShortcutFocusReason);
    });
    connect(m_savedToggle, &QToolButton::toggled, this, &ClientTab::setSavedPanelVisible);

    m_composer->setEnvironment(m_environment);
    m_periodicBar = new PeriodicSendBar(m_periodic, m_composer, m_composer);
    m_composer->addFooterWidget(m_periodicBar);

    connect(m_composer, &ComposerWidget::saveRequested, this, &ClientTab::saveComposerMessage);
    connect(m_savedPanel, &SavedMessagesPanel::saveComposerRequested, this, &ClientTab::saveComposerMessage);
    connect(m_savedPanel, &SavedMessagesPanel::sendRequested, this, &ClientTab::sendSavedMessage);
    connect(m_savedPanel, &SavedMessagesPanel::periodicRequested, this, [this](const SavedMessage &message) {
        m_periodicBar->start(message);
    });
    connect(m_savedPanel, &SavedMessagesPanel::loadRequested, this, [this](const SavedMessage &message) {
        m_composer->setMessage(message);
        m_composer->editor()->setFocus(Qt::OtherFocusReason);
    });
    connect(m_localSaved, &SavedMessageList::changed, this, &ClientTab::savedMessagesChanged);
}

bool ClientTab::isSavedPanelVisible() const
{
    return !m_savedPanel->isHidden();
}

void ClientTab::setSavedPanelVisible(bool visible)
{
    m_savedPanel->setVisible(visible);
    if (m_savedToggle->isChecked() != visible)
        m_savedToggle->setChecked(visible);
}

QJsonArray ClientTab::savedMessagesJson() const
{
    return m_localSaved->toJson();
}

void ClientTab::setSavedMessagesJson(const QJsonArray &messages)
{
    m_localSaved->fromJson(messages);
}

void ClientTab::setGlobalSavedMessages(SavedMessageList *messages)
{
    if (!messages || messages == m_globalSaved)
        return;
    if (m_globalSaved && m_globalSaved->parent() == this)
        m_globalSaved->deleteLater();
    m_globalSaved = messages;
    m_savedPanel->setLists(m_localSaved, m_globalSaved);
}

void ClientTab::setEnvironment(SessionEnvironment *environment)
{
    if (!environment || environment == m_environment)
        return;
    if (m_environment && m_environment->parent() == this)
        m_environment->deleteLater();
    m_environment = environment;
    m_composer->setEnvironment(environment);
    m_periodic->setEnvironment(environment);
    m_savedPanel->setEnvironment(environment);
}

bool ClientTab::sendSavedMessage(const SavedMessage &message)
{
    if (m_connection->state() != State::Open) {
        m_savedPanel->setError(tr("\u201c%1\u201d was not sent: connect first.").arg(message.name));
        return false;
    }
    QString error;
    const QString body = m_environment->substitute(message.body, &error);
    bool binary = false;
    QByteArray payload;
    if (error.isEmpty())
        SavedMessage::encode(message.format, body, &binary, &payload, &error);
    if (!error.isEmpty()) {
        m_savedPanel->setError(tr("\u201c%1\u201d was not sent: %2").arg(message.name, error));
        return false;
    }
    m_savedPanel->setError({});
    if (binary)
        m_connection->sendBinary(payload);
    else
        m_connection->sendText(QString::fromUtf8(payload));
    return true;
}

bool ClientTab::saveComposerMessage(bool global)
{
    QString error;
    SavedMessage message = m_composer->currentMessage(&error);
    if (error.isEmpty() && message.body.isEmpty())
        error = tr("Write a message in the composer first.");
    if (!error.isEmpty()) {
        setSavedPanelVisible(true);
        m_savedPanel->setError(error);
        return false;
    }
    QString name = message.body.simplified().left(40);
    if (!Dialogs::getText(this, global ? tr("Save for Every Connection") : tr("Save for This Connection"),
            tr("Name of the saved message:"), name, &name))
        return false;
    message.name = name.trimmed().isEmpty() ? message.body.simplified().left(40) : name.trimmed();
    SavedMessageList *list = global ? m_globalSaved.data() : m_localSaved;
    const int row = list->add(message);
    setSavedPanelVisible(true);
    m_savedPanel->setError({});
    m_savedPanel->view(global)->setCurrentIndex(list->index(row));
    return true;
}

QJsonObject ClientTab::settingsJson() const
{
    ConnectionOptions options = m_request->options();
    options.ignoreAllSslErrors = m_ignoreAllSslErrors;
    QJsonObject json = ClientSettingsJson::toJson(options);
    // The URL as typed, even when it cannot be connected to yet.
    json.insert(QStringLiteral("url"), urlText().trimmed());
    return json;
}

bool ClientTab::setSettingsJson(const QJsonObject &settings, QString *error)
{
    QString problem;
    const ConnectionOptions options = ClientSettingsJson::fromJson(settings, &problem);
    setUrlText(settings.value(QStringLiteral("url")).toString());
    m_request->setOptions(options);
    m_ignoreAllSslErrors = options.ignoreAllSslErrors;
    updateControls();
    if (error)
        *error = problem;
    return problem.isEmpty();
}

bool ClientTab::saveAsProfile()
{
    QString name;
    if (!Dialogs::getText(this, tr("Save as Profile"), tr("Name of the profile:"), title(), &name))
        return false;
    name = name.trimmed();
    if (name.isEmpty())
        return false;
    AppSettings *settings = AppSettings::instance();
    if (ConnectionProfile::indexOf(ConnectionProfile::load(settings), name) >= 0
        && Dialogs::question(this, tr("Save as Profile"),
               tr("A profile named \u201c%1\u201d exists. Replace it?").arg(name))
            != QMessageBox::Yes)
        return false;
    ConnectionProfile::save(settings, { name, settingsJson() });
    return true;
}

// ConnectionPage

QString ClientTab::kind() const
{
    return QStringLiteral("client");
}

QString ClientTab::renamePrompt() const
{
    return tr("Name of this tab (empty: use the URL's host):");
}

QString ClientTab::resetTitleText() const
{
    return tr("Use the URL's &Host as Name");
}

ClientConnection::State ClientTab::indicator() const
{
    return state();
}

QString ClientTab::address() const
{
    return urlText().trimmed();
}

QString ClientTab::tabToolTip() const
{
    return tr("%1 \u2014 %2").arg(urlText().isEmpty() ? title() : urlText(), statusText());
}

std::shared_ptr<MessageStore> ClientTab::store() const
{
    return m_connection->store();
}

bool ClientTab::startClose()
{
    const State now = state();
    if (now != State::Open && now != State::Closing)
        return false; // a connection attempt is simply dropped
    connect(this, &ClientTab::stateChanged, this, [this](State state) {
        if (state == State::Closed || state == State::Error)
            finishClose();
    });
    // The reason tells the server why (wstester's clients send 1000 or 3000-4999 only).
    if (now == State::Open)
        m_connection->close(1000, QStringLiteral("tab closed")); // on the wire: not translated
    return true;
}

} // namespace wst
