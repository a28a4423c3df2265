#include "ClientTab.h"

#include "ActionRegistry.h"
#include "ClientViews.h"
#include "CollectionLink.h"
#include "ComposerWidget.h"
#include "ConnectionBar.h"
#include "FrameView.h"
#include "HandshakeInspector.h"
#include "HistoryPane.h"
#include "PingCloseBar.h"
#include "RequestOptionsWidget.h"
#include "SavedMessagesSide.h"
#include "TabLabels.h"
#include "TlsErrorBanner.h"
#include "compose/ClientSettingsJson.h"
#include "compose/CollectionStore.h"
#include "compose/PeriodicSender.h"
#include "compose/RequestVariables.h"
#include "compose/SecretValues.h"
#include "compose/SessionEnvironment.h"
#include "connection/ConnectionStatus.h"
#include "messages/MessageLogModel.h"
#include "protocol/CloseCodes.h"
#include "protocols/ProtocolPanel.h"
#include "settings/AppSettings.h"

#include <QFrame>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace wst {

using State = ClientConnection::State;

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
    m_history->setWireCounters(m_connection->wireCounters());

    connect(m_connection, &ClientConnection::stateChanged, this, &ClientTab::onStateChanged);
    connect(m_connection, &ClientConnection::pongReceived, this, &ClientTab::onPong);
    connect(m_connection, &ClientConnection::handshakeChanged, this, &ClientTab::onHandshakeChanged);
    connect(m_history, &HistoryPane::countersChanged, this, &ClientTab::statusChanged);
    connect(m_history, &HistoryPane::resendRequested, this, &ClientTab::resend);
    connect(m_composer, &ComposerWidget::sendText, m_connection, &ClientConnection::sendText);
    connect(m_composer, &ComposerWidget::sendBinary, m_connection, &ClientConnection::sendBinary);

    retranslateState();
}

ClientTab::~ClientTab()
{
    // Nothing said while the children go may reach a window that is itself being destroyed: its
    // counters dropping to zero once reached a main window half destroyed.
    blockSignals(true);
    m_connection->disconnect(this);
    const QSignalBlocker quiet(m_history);
    // The pane must not outlive the model it shows, whatever order the children die in.
    m_history->setLogModel(nullptr);
}

void ClientTab::buildUi()
{
    setObjectName(QStringLiteral("clientTab"));

    m_bar = new ConnectionBar(this);
    m_request = m_bar->requestOptions();
    m_tlsBanner = new TlsErrorBanner(this);
    m_pingClose = new PingCloseBar(PingCloseBar::Role::Close, this);

    // History and handshake inspector side by side as tabs, the composer under both.
    m_views = new ClientViews(m_connection, this);
    m_history = m_views->history();
    m_inspector = m_views->inspector();
    m_frames = m_views->frames();
    m_composer = new ComposerWidget(this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("composerSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_views);
    m_splitter->addWidget(m_composer);
    m_splitter->insertWidget(1, m_protocolPanel = new ProtocolPanel(m_connection, m_log, m_splitter));
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setSizes({ 560, 140 });
    restoreSplitterState(AppSettings::instance()->historySplitterState());
    buildSavedPanel();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(4);
    layout->addWidget(m_bar);
    layout->addWidget(m_tlsBanner);
    m_originNote = new QLabel(this);
    m_originNote->setObjectName(QStringLiteral("originNote"));
    m_originNote->setWordWrap(true);
    m_originNote->setTextFormat(Qt::PlainText);
    m_originNote->setEnabled(false); // greyed: a note
    m_originNote->setVisible(false);
    layout->addWidget(m_originNote);
    layout->addWidget(m_pingClose);
    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);
    layout->addWidget(rule);
    layout->addWidget(m_saved, 1);

    connect(m_bar, &ConnectionBar::connectRequested, this, &ClientTab::connectToServer);
    connect(m_bar, &ConnectionBar::urlTextChanged, this, &ClientTab::updateTitle);
    connect(m_bar, &ConnectionBar::connectButtonClicked, this, [this] {
        const State s = m_connection->state();
        if (s == State::Connecting || s == State::Open || s == State::Closing)
            disconnectFromServer();
        else
            connectToServer();
    });
    connect(m_bar, &ConnectionBar::saveToCollectionRequested, this, &ClientTab::saveToCollection);
    connect(m_bar, &ConnectionBar::requestChanged, this, &ClientTab::updateControls);
    connect(m_bar, &ConnectionBar::requestChanged, this,
        [this] { m_protocolPanel->setProtocolOptions(m_request->options().protocol); });
    connect(m_tlsBanner, &TlsErrorBanner::ignoreRequested, this, &ClientTab::ignoreSslErrorsAndReconnect);
    connect(m_bar, &ConnectionBar::showResponseRequested, this, &ClientTab::showHandshake);
    connect(
        m_bar, &ConnectionBar::cancelReconnectRequested, m_connection, &ClientConnection::cancelReconnect);
    connect(m_pingClose, &PingCloseBar::pingRequested, this, &ClientTab::sendPing);
    connect(m_pingClose, &PingCloseBar::closeRequested, this, &ClientTab::sendClose);
    connect(m_splitter, &QSplitter::splitterMoved, this,
        [this] { AppSettings::instance()->setHistorySplitterState(m_splitter->saveState()); });

    QAction *focusUrl
        = ActionRegistry::addLocal(this, QStringLiteral("focusUrlAction"), Qt::WidgetWithChildrenShortcut);
    connect(focusUrl, &QAction::triggered, this, [this] { m_bar->focusUrl(Qt::ShortcutFocusReason, true); });
    QAction *inspect = ActionRegistry::addLocal(
        this, QStringLiteral("toggleHandshakeAction"), Qt::WidgetWithChildrenShortcut);
    connect(inspect, &QAction::triggered, this, &ClientTab::toggleHandshake);

    // The controls are made top to bottom, left to right, so the focus chain already follows
    // what the user sees; the history pane and the composer keep their own order inside.
    setFocusProxy(m_bar);
}

QString ClientTab::urlText() const
{
    return m_bar->urlText();
}

void ClientTab::setUrlText(const QString &text)
{
    m_bar->setUrlText(text);
}

QString ClientTab::urlError() const
{
    return m_bar->urlError();
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
    // {{name}} is filled for the connection only: the tab and its session keep what was typed.
    QString urlForConnection = urlText();
    ConnectionOptions options = m_request->options();
    const bool filled = RequestVariables::substitute(
        &urlForConnection, &options, m_environment->effectiveVariables(), &error);
    const QUrl url = filled ? ConnectionOptions::parseUrl(urlForConnection, &error) : QUrl();
    if (!url.isValid()) {
        m_bar->setUrlError(error);
        m_bar->focusUrl(Qt::OtherFocusReason);
        return false;
    }
    m_bar->setUrlError({});
    if (!m_request->problem().isEmpty()) {
        // The problem is already shown inline in the request options: make sure it is seen.
        m_bar->setRequestExpanded(true);
        m_request->showProblem();
        return false;
    }
    // A value the session did not keep, and the TLS files (an unreadable file, a wrong passphrase,
    // a key of another certificate), are said here, next to the field, rather than as a failed
    // connection or an empty header sent.
    if (!m_request->checkBeforeConnect().isEmpty()) {
        m_bar->setRequestExpanded(true);
        return false;
    }
    options.url = url;
    options.ignoreAllSslErrors = m_ignoreAllSslErrors;
    m_lastOptions = options;
    m_connectingUrl = Variables::containsVariables(urlText()) ? urlText() : url.toString();
    m_tlsBanner->clearErrors();
    m_tlsBanner->setVisible(false);
    m_pingClose->setRttText({});
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
    if (!m_pingClose->checkPing() || m_connection->state() != State::Open)
        return false;
    if (!m_connection->ping(m_pingClose->pingPayload()))
        return false;
    m_pingClose->setRttText(tr("waiting\u2026"));
    return true;
}

bool ClientTab::sendClose()
{
    if (!m_pingClose->checkClose() || m_connection->state() != State::Open)
        return false;
    return m_connection->close(
        m_pingClose->closeCode(), m_pingClose->closeReason(), m_pingClose->sendAnyway());
}

void ClientTab::onStateChanged(State state)
{
    const ClientConnection::Status &status = m_connection->status();
    if (state == State::Open && !m_connectingUrl.isEmpty())
        AppSettings::instance()->addRecentUrl(m_connectingUrl);
    if (state == State::Error && !status.sslErrors.isEmpty())
        m_tlsBanner->showErrors(status.sslErrors);
    else if (state == State::Connecting || state == State::Open)
        m_tlsBanner->setVisible(false);
    if (state != State::Open && m_pingClose->rttText() == tr("waiting\u2026"))
        m_pingClose->setRttText({});
    updateStatusText();
    updateControls();
    onHandshakeChanged();
    updateReconnectCountdown();
    Q_EMIT stateChanged(state);
}

QString ClientTab::reconnectCountdownText() const
{
    return m_bar->reconnectCountdownText();
}

void ClientTab::updateReconnectCountdown()
{
    const ClientConnection::Status &s = m_connection->status();
    m_bar->setReconnect(s.reconnectAtMs, s.reconnectAttempt);
}

void ClientTab::onHandshakeChanged()
{
    const HandshakeRecord &record = m_connection->handshake();
    m_inspector->setRecord(record);
    if (m_connection->state() == State::Open)
        updateStatusText(); // the certificate errors ignored, once the record has them
    const int code = record.statusCode();
    m_views->setHandshakeStatusCode(code);

    const bool answered = !record.response.isEmpty();
    const bool failed
        = m_connection->state() == State::Error && (answered || !record.upstreamError.isEmpty());
    m_bar->setResponseLink(failed, answered);
}

void ClientTab::showHandshake()
{
    m_views->showHandshake();
}

void ClientTab::showHistory()
{
    m_views->showHistory();
}

void ClientTab::showFrames()
{
    m_views->showFrames();
}

bool ClientTab::isHandshakeShown() const
{
    return m_views->isHandshakeShown();
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
        m_pingClose->setRttText(tr("Unsolicited pong"));
        return;
    }
    const double ms = rttUs / 1000.0;
    m_pingClose->setRttText(tr("RTT %1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 2 : 1)));
}

void ClientTab::updateStatusText()
{
    const ClientConnection::Status &s = m_connection->status();
    const QStringList ignored = ConnectionStatus::ignoredCertificateErrors(s, m_connection->handshake());
    const QString text = s.state == State::Idle && m_historyLoading
        ? tr("Loading the history from the session file\u2026")
        : ConnectionStatus::text(s, m_connection->handshake());
    m_statusText = text;
    m_bar->setStatus(text, s.state);
    m_bar->setIgnoredCertificateErrors(ignored);
    Q_EMIT statusChanged();
}

void ClientTab::updateControls()
{
    const State s = m_connection->state();
    const bool open = s == State::Open;
    const QString notOpen = tr("Not available: the connection is not open");
    m_bar->updateControls(s, m_historyLoading);
    m_pingClose->setPingAvailable(open, notOpen);
    m_pingClose->setCloseAvailable(open, notOpen);
    m_composer->setSendAllowed(
        open, open ? QString() : tr("Connect first: messages need an open connection"));
}

void ClientTab::retranslateState()
{
    m_originNote->setAccessibleName(tr("Where this history comes from"));
    updateTitle(); // "New connection" in the new language
    updateStatusText();
    updateControls();
}

void ClientTab::updateTitle()
{
    QString title = TabLabels::forUrl(QUrl(urlText().trimmed()));
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

void ClientTab::ignoreSslErrorsAndReconnect()
{
    if (m_tlsBanner->errors().isEmpty())
        return;
    ConnectionOptions options = m_lastOptions;
    options.ignoredSslErrors = m_tlsBanner->errors();
    m_tlsBanner->setVisible(false);
    m_connection->open(options);
    onHandshakeChanged();
    // The button that had the focus is gone: give it to where the user goes next.
    m_composer->editor()->setFocus(Qt::OtherFocusReason);
}

void ClientTab::resend(Kind kind, const QByteArray &payload)
{
    switch (kind) {
    case Kind::Text:
        // A reopened session holds a secret as {{name}}: its value goes out, as it first did.
        m_connection->sendText(QString::fromUtf8(SecretValues::restore(payload)));
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

QJsonObject ClientTab::settingsJson() const
{
    ConnectionOptions options = m_request->options();
    options.ignoreAllSslErrors = m_ignoreAllSslErrors;
    QJsonObject json = ClientSettingsJson::toJson(options);
    // The URL as typed, even when it cannot be connected to yet.
    json.insert(QStringLiteral("url"), urlText().trimmed());
    if (const QStringList notSaved = m_request->notSaved(); !notSaved.isEmpty())
        json.insert(QStringLiteral("masked"), QJsonArray::fromStringList(notSaved)); // still missing
    if (!m_decoder.isNone())
        json.insert(QStringLiteral("decoder"), m_decoder.toJson());
    return json;
}

bool ClientTab::setSettingsJson(const QJsonObject &settings, QString *error)
{
    QString problem;
    const ConnectionOptions options = ClientSettingsJson::fromJson(settings, &problem);
    setUrlText(settings.value(QStringLiteral("url")).toString());
    m_request->setOptions(options, settings.value(QStringLiteral("masked")).toVariant().toStringList());
    m_ignoreAllSslErrors = options.ignoreAllSslErrors;
    readDecoderJson(settings, &problem);
    updateControls();
    if (error)
        *error = problem;
    return problem.isEmpty();
}

bool ClientTab::saveToCollection()
{
    return CollectionLink::saveTab(this, CollectionStore::instance());
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
    // The reason tells the server why.
    if (now == State::Open)
        m_connection->close(1000, QStringLiteral("tab closed")); // on the wire: not translated
    return true;
}

} // namespace wst
