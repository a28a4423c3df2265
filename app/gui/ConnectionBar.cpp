#include "ConnectionBar.h"

#include "FoldingPanelArea.h"
#include "GuiHelpers.h"
#include "RequestOptionsWidget.h"
#include "Theme.h"
#include "TlsOptionsWidget.h"
#include "settings/AppSettings.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using State = ClientConnection::State;
using gui::describe;

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("connectionBar"));

    // URL bar.
    m_urlCombo = new QComboBox(this);
    m_urlCombo->setObjectName(QStringLiteral("urlCombo"));
    m_urlCombo->setEditable(true);
    m_urlCombo->setInsertPolicy(QComboBox::NoInsert);
    m_urlCombo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_urlCombo->setMinimumContentsLength(30);
    m_urlCombo->lineEdit()->setClearButtonEnabled(true);
    m_urlCombo->lineEdit()->setObjectName(QStringLiteral("urlEdit"));
    m_connectButton = new QPushButton(this);
    describe(
        m_connectButton, QStringLiteral("connectButton"), tr("Connect"), tr("Open the connection (Enter)"));
    m_urlError = gui::makeErrorLabel(QStringLiteral("urlError"), this);

    auto *urlLabel = new QLabel(this);
    urlLabel->setObjectName(QStringLiteral("urlLabel"));
    urlLabel->setBuddy(m_urlCombo);
    auto *urlBar = new QHBoxLayout;
    urlBar->addWidget(urlLabel);
    urlBar->addWidget(m_urlCombo, 1);
    urlBar->addWidget(m_connectButton);

    // State line and the request options toggle.
    m_stateIcon = new QLabel(this);
    m_stateIcon->setObjectName(QStringLiteral("stateIcon"));
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_stateLabel->setTextFormat(Qt::PlainText);
    m_stateLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Shrinks to nothing rather than widening the window; the tooltip has the whole text.
    m_stateLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_stateLabel->setMinimumWidth(1);
    QFont stateFont = m_stateLabel->font();
    stateFont.setBold(true);
    m_stateLabel->setFont(stateFont);
    m_certificateIgnoredIcon = new QLabel(this);
    m_certificateIgnoredIcon->setObjectName(QStringLiteral("certificateIgnoredIcon"));
    m_certificateIgnoredIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(16, 16));
    m_certificateIgnoredIcon->setVisible(false);
    m_requestToggle = new QToolButton(this);
    m_requestToggle->setObjectName(QStringLiteral("requestToggle"));
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
    m_saveToCollectionButton = new QPushButton(m_requestPanel);
    m_saveToCollectionButton->setObjectName(QStringLiteral("saveToCollectionButton"));
    m_saveToCollectionButton->setAutoDefault(false);
    auto *profileRow = new QHBoxLayout;
    profileRow->addStretch();
    profileRow->addWidget(m_saveToCollectionButton);
    panelLayout->addLayout(profileRow);
    m_requestScroll = new FoldingPanelArea(m_requestPanel, parent, this);
    m_requestScroll->setObjectName(QStringLiteral("requestScroll"));
    m_requestScroll->setVisible(false);

    // Right after a refusal's text, so that what the server answered is one click away.
    m_showResponseButton = new QPushButton(this);
    m_showResponseButton->setObjectName(QStringLiteral("showResponseButton"));
    m_showResponseButton->setFlat(true);
    m_showResponseButton->setCursor(Qt::PointingHandCursor);
    QPalette linkPalette = m_showResponseButton->palette();
    linkPalette.setColor(QPalette::ButtonText, linkPalette.color(QPalette::Link));
    m_showResponseButton->setPalette(linkPalette);
    m_showResponseButton->setVisible(false);

    // The countdown of a scheduled automatic reconnect, read from the status once a second.
    m_reconnectCountdown = new QLabel(this);
    m_reconnectCountdown->setObjectName(QStringLiteral("reconnectCountdown"));
    m_reconnectCountdown->setTextFormat(Qt::PlainText);
    m_reconnectCountdown->setVisible(false);
    m_cancelReconnectButton = new QPushButton(this);
    m_cancelReconnectButton->setObjectName(QStringLiteral("cancelReconnectButton"));
    m_cancelReconnectButton->setVisible(false);
    m_countdownTimer = new QTimer(this);
    m_countdownTimer->setSingleShot(true);

    auto *stateBar = new QHBoxLayout;
    stateBar->addWidget(m_stateIcon);
    stateBar->addWidget(m_stateLabel);
    stateBar->addWidget(m_certificateIgnoredIcon);
    stateBar->addWidget(m_showResponseButton);
    stateBar->addSpacing(8);
    stateBar->addWidget(m_reconnectCountdown);
    stateBar->addWidget(m_cancelReconnectButton);
    stateBar->addStretch(1);
    stateBar->addWidget(m_requestToggle);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(urlBar);
    layout->addWidget(m_urlError);
    layout->addLayout(stateBar);
    layout->addWidget(m_requestScroll);

    connect(m_urlCombo->lineEdit(), &QLineEdit::returnPressed, this, &ConnectionBar::connectRequested);
    connect(m_urlCombo, &QComboBox::editTextChanged, this, [this] {
        if (!m_urlError->text().isEmpty())
            gui::setInlineError(m_urlError, {}, m_urlCombo);
        Q_EMIT urlTextChanged();
    });
    connect(m_connectButton, &QPushButton::clicked, this, &ConnectionBar::connectButtonClicked);
    connect(m_requestToggle, &QToolButton::toggled, this, &ConnectionBar::setRequestExpanded);
    connect(m_saveToCollectionButton, &QPushButton::clicked, this, &ConnectionBar::saveToCollectionRequested);
    connect(m_request, &RequestOptionsWidget::changed, this, &ConnectionBar::requestChanged);
    connect(m_showResponseButton, &QPushButton::clicked, this, &ConnectionBar::showResponseRequested);
    connect(m_cancelReconnectButton, &QPushButton::clicked, this, [this] {
        Q_EMIT cancelReconnectRequested();
        setReconnect(0, 0);
        m_connectButton->setFocus(Qt::OtherFocusReason); // the button that had it is gone
    });
    connect(m_countdownTimer, &QTimer::timeout, this, &ConnectionBar::updateReconnectCountdown);
    connect(AppSettings::instance(), &AppSettings::recentUrlsChanged, this, &ConnectionBar::reloadRecentUrls);

    setFocusProxy(m_urlCombo);
    reloadRecentUrls();
    m_urlCombo->setEditText(QString());
    setRequestExpanded(false);
    retranslateUi();
}

QString ConnectionBar::urlText() const
{
    return m_urlCombo->currentText();
}

void ConnectionBar::setUrlText(const QString &text)
{
    m_urlCombo->setEditText(text);
}

QString ConnectionBar::urlError() const
{
    return m_urlError->text();
}

void ConnectionBar::setUrlError(const QString &error)
{
    gui::setInlineError(m_urlError, error, m_urlCombo);
}

void ConnectionBar::focusUrl(Qt::FocusReason reason, bool selectAll)
{
    m_urlCombo->setFocus(reason);
    if (selectAll)
        m_urlCombo->lineEdit()->selectAll();
}

void ConnectionBar::setRequestExpanded(bool expanded)
{
    if (m_requestToggle->isChecked() != expanded)
        m_requestToggle->setChecked(expanded);
    m_requestScroll->setVisible(expanded);
    m_requestToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

void ConnectionBar::setStatus(const QString &text, State state)
{
    m_stateLabel->setText(text);
    m_stateLabel->setToolTip(text);
    m_stateLabel->setAccessibleDescription(text);
    m_stateIcon->setPixmap(gui::stateIcon(state).pixmap(14, 14));
    if (state == State::Error || state == State::Open) {
        theme::setColour(m_stateLabel, QPalette::WindowText,
            state == State::Error ? theme::Role::ErrorText : theme::Role::SuccessText);
    } else {
        theme::clearColour(m_stateLabel, QPalette::WindowText);
    }
}

void ConnectionBar::setIgnoredCertificateErrors(const QStringList &errors)
{
    QString tip;
    if (!errors.isEmpty())
        tip = tr("The server's certificate was not verified: these errors were ignored for this "
                 "connection on your request.")
            + QStringLiteral("\n\u2022 ") + errors.join(QStringLiteral("\n\u2022 "));
    m_certificateIgnoredIcon->setToolTip(tip);
    m_certificateIgnoredIcon->setAccessibleDescription(tip);
    m_certificateIgnoredIcon->setVisible(!errors.isEmpty());
}

void ConnectionBar::updateControls(State state, bool historyLoading)
{
    m_state = state;
    m_historyLoading = historyLoading;
    switch (state) {
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
        m_connectButton->setEnabled(problem.isEmpty() && !historyLoading);
        m_connectButton->setToolTip(historyLoading ? tr("Wait until the history is loaded")
                : problem.isEmpty()                ? tr("Open the connection (Enter)")
                                                   : tr("Fix the request options first: %1").arg(problem));
        break;
    }
    }
    m_connectButton->setAccessibleName(m_connectButton->text().remove(u'&'));

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

void ConnectionBar::setResponseLink(bool failed, bool answered)
{
    m_responseAnswered = answered;
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

void ConnectionBar::setReconnect(qint64 atMs, int attempt)
{
    m_reconnectAtMs = atMs;
    m_reconnectAttempt = attempt;
    updateReconnectCountdown();
}

QString ConnectionBar::reconnectCountdownText() const
{
    if (m_reconnectAtMs <= 0)
        return {};
    const qint64 leftMs = m_reconnectAtMs - QDateTime::currentMSecsSinceEpoch();
    const qint64 seconds = qMax<qint64>(1, (leftMs + 999) / 1000);
    return tr("Reconnecting in %1 s (attempt %2)\u2026").arg(seconds).arg(m_reconnectAttempt);
}

void ConnectionBar::updateReconnectCountdown()
{
    const QString text = reconnectCountdownText();
    const bool scheduled = !text.isEmpty();
    if (scheduled) {
        m_reconnectCountdown->setText(text);
        m_reconnectCountdown->setAccessibleDescription(text);
        // The next update just after the shown number of seconds drops: timed from the deadline,
        // not from when the status arrived, so that no number is skipped.
        const qint64 leftMs = m_reconnectAtMs - QDateTime::currentMSecsSinceEpoch();
        const qint64 untilNextMs = leftMs > 1000 ? (leftMs - 1) % 1000 + 1 : 1000;
        m_countdownTimer->start(int(untilNextMs) + 5);
    } else {
        m_countdownTimer->stop();
    }
    m_reconnectCountdown->setVisible(scheduled);
    m_cancelReconnectButton->setVisible(scheduled);
}

void ConnectionBar::reloadRecentUrls()
{
    const QString text = m_urlCombo->currentText();
    const QSignalBlocker blocker(m_urlCombo);
    m_urlCombo->clear();
    m_urlCombo->addItems(AppSettings::instance()->recentUrls());
    m_urlCombo->setEditText(text);
}

void ConnectionBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ConnectionBar::retranslateUi()
{
    describe(m_urlCombo, QStringLiteral("urlCombo"), tr("URL"),
        tr("The WebSocket URL (ws:// or wss://). Enter connects; the list holds recently opened URLs."));
    m_urlCombo->lineEdit()->setPlaceholderText(tr("ws://127.0.0.1:8080/ or wss://example.com/feed"));
    m_urlCombo->lineEdit()->setAccessibleName(tr("URL"));
    m_connectButton->setMinimumWidth(m_connectButton->fontMetrics().horizontalAdvance(tr("Disconnect")) + 48);
    findChild<QLabel *>(QStringLiteral("urlLabel"))->setText(tr("&URL:"));
    describe(m_stateLabel, QStringLiteral("stateLabel"), tr("Connection state"),
        tr("The state of the connection"));
    describe(m_certificateIgnoredIcon, QStringLiteral("certificateIgnoredIcon"),
        tr("Certificate errors ignored"), m_certificateIgnoredIcon->toolTip());
    describe(m_requestToggle, QStringLiteral("requestToggle"), tr("Request options"),
        tr("Show or hide the request options: headers, subprotocols, Origin, timeout, TLS, proxy "
           "and auto-reconnect"));
    m_saveToCollectionButton->setText(tr("Save to &Collection\u2026"));
    describe(m_saveToCollectionButton, QStringLiteral("saveToCollectionButton"), tr("Save to collection"),
        tr("Keep the URL, these options and the saved messages as a collection entry, to open them again "
           "from "
           "the workspace's Collections page (F9)"));
    describe(m_showResponseButton, QStringLiteral("showResponseButton"), tr("Show response"),
        tr("Show the server's answer in the handshake inspector (Ctrl+I)"));
    m_showResponseButton->setText(tr("Show response"));
    if (!m_showResponseButton->isHidden())
        setResponseLink(true, m_responseAnswered);
    describe(m_reconnectCountdown, QStringLiteral("reconnectCountdown"), tr("Reconnect countdown"),
        tr("When the next automatic reconnect attempt starts"));
    m_cancelReconnectButton->setText(tr("Cancel reconnect"));
    describe(m_cancelReconnectButton, QStringLiteral("cancelReconnectButton"), tr("Cancel reconnect"),
        tr("Stop reconnecting automatically; the connection stays closed"));
    updateControls(m_state, m_historyLoading);
    updateReconnectCountdown();
}

} // namespace wst
