#include "ProxyControlBar.h"

#include "FoldingPanelArea.h"
#include "GuiHelpers.h"
#include "ProxySettingsWidget.h"

#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

ProxyControlBar::ProxyControlBar(QWidget *parent)
    : QWidget(parent)
{
    m_modeCombo = new QComboBox(this);
    m_modeCombo->addItem(QString(), int(ProxyOptions::Mode::Reverse));
    m_modeCombo->addItem(QString(), int(ProxyOptions::Mode::Explicit));
    m_addressCombo = new QComboBox(this);
    m_addressCombo->setEditable(true);
    m_addressCombo->addItems(
        { QStringLiteral("127.0.0.1"), QStringLiteral("::1"), QStringLiteral("0.0.0.0") });
    m_portSpin = new QSpinBox(this);
    m_portSpin->setRange(0, 65535);
    m_upstreamLabel = new QLabel(this);
    m_upstreamEdit = new QLineEdit(this);
    m_upstreamLabel->setBuddy(m_upstreamEdit);
    m_startButton = new QPushButton(gui::icon(QStringLiteral("connect")), QString(), this);
    m_startButton->setDefault(true);
    m_stopButton = new QPushButton(gui::icon(QStringLiteral("stop")), QString(), this);
    m_settingsToggle = new QToolButton(this);
    m_settingsToggle->setCheckable(true);
    m_settingsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    bar->addWidget(m_modeCombo);
    bar->addWidget(m_addressCombo);
    bar->addWidget(m_portSpin);
    bar->addSpacing(6);
    bar->addWidget(m_upstreamLabel);
    bar->addWidget(m_upstreamEdit, 1);
    bar->addWidget(m_startButton);
    bar->addWidget(m_stopButton);
    bar->addWidget(m_settingsToggle);

    m_error = gui::makeErrorLabel(QStringLiteral("proxyErrorLabel"), this);

    m_stateIcon = new QLabel(this);
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("proxyStateLabel"));
    m_pointAtLabel = new QLabel(this);
    m_pointAtLabel->setObjectName(QStringLiteral("proxyPointAtLabel"));
    m_pointAtLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont mono = m_pointAtLabel->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_pointAtLabel->setFont(mono);
    m_copyButton = new QToolButton(this);
    m_openClientButton = new QPushButton(gui::icon(QStringLiteral("new-connection")), QString(), this);
    auto *stateBar = new QHBoxLayout;
    stateBar->setSpacing(4);
    stateBar->addWidget(m_stateIcon);
    stateBar->addWidget(m_stateLabel);
    stateBar->addSpacing(8);
    stateBar->addWidget(m_pointAtLabel);
    stateBar->addWidget(m_copyButton);
    stateBar->addStretch(1);
    stateBar->addWidget(m_openClientButton);

    m_settingsPanel = new QFrame(this);
    m_settingsPanel->setObjectName(QStringLiteral("proxySettingsPanel"));
    m_settingsPanel->setFrameShape(QFrame::StyledPanel);
    m_settingsPanel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_settings = new ProxySettingsWidget(m_settingsPanel);
    auto *panelLayout = new QVBoxLayout(m_settingsPanel);
    panelLayout->setContentsMargins(8, 6, 8, 6);
    panelLayout->addWidget(m_settings);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addLayout(stateBar);
    m_settingsArea = new FoldingPanelArea(m_settingsPanel, parent, this);
    m_settingsArea->setObjectName(QStringLiteral("proxySettingsArea"));
    layout->addWidget(m_settingsArea);

    connect(m_modeCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateModeFields();
        Q_EMIT optionsEdited();
    });
    connect(m_addressCombo, &QComboBox::editTextChanged, this, &ProxyControlBar::optionsEdited);
    connect(m_portSpin, &QSpinBox::valueChanged, this, &ProxyControlBar::optionsEdited);
    connect(m_upstreamEdit, &QLineEdit::textChanged, this, &ProxyControlBar::optionsEdited);
    connect(m_upstreamEdit, &QLineEdit::returnPressed, this, &ProxyControlBar::startRequested);
    connect(m_settings, &ProxySettingsWidget::changed, this, &ProxyControlBar::optionsEdited);
    connect(m_settings, &ProxySettingsWidget::makeCertificateRequested, this,
        &ProxyControlBar::makeCertificateRequested);
    connect(m_startButton, &QPushButton::clicked, this, &ProxyControlBar::startRequested);
    connect(m_stopButton, &QPushButton::clicked, this, &ProxyControlBar::stopRequested);
    connect(m_settingsToggle, &QToolButton::toggled, this, &ProxyControlBar::setSettingsExpanded);
    connect(m_copyButton, &QToolButton::clicked, this, &ProxyControlBar::copyPointAt);
    connect(m_openClientButton, &QPushButton::clicked, this, &ProxyControlBar::openClientRequested);

    setFocusProxy(m_upstreamEdit);
    setSettingsExpanded(false);
    retranslateUi();
    setState(QString(), ClientConnection::State::Idle, QString());
}

void ProxyControlBar::setOptions(const ProxyOptions &options)
{
    m_modeCombo->setCurrentIndex(m_modeCombo->findData(int(options.mode)));
    m_addressCombo->setEditText(options.address.toString());
    m_portSpin->setValue(options.port);
    m_upstreamEdit->setText(options.upstream.toString());
    m_settings->setOptions(options);
    updateModeFields();
}

QString ProxyControlBar::problem(ProxyOptions *options) const
{
    options->mode = ProxyOptions::Mode(m_modeCombo->currentData().toInt());
    options->address = QHostAddress(m_addressCombo->currentText().trimmed());
    options->port = quint16(m_portSpin->value());
    const QString upstream = m_upstreamEdit->text().trimmed();
    options->upstream = upstream.isEmpty() ? QUrl() : QUrl(upstream);
    m_settings->fillOptions(options);
    if (options->address.isNull())
        return tr("“%1” is not an IP address to listen on.").arg(m_addressCombo->currentText());
    if (options->mode == ProxyOptions::Mode::Reverse) {
        if (upstream.isEmpty())
            return tr("Give the server's URL (ws:// or wss://) that clients are forwarded to.");
        const QString scheme = options->upstream.scheme().toLower();
        if (!options->upstream.isValid() || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
            || options->upstream.host().isEmpty())
            return tr("“%1” is not a ws:// or wss:// URL.").arg(upstream);
    }
    return m_settings->problem();
}

void ProxyControlBar::setError(const QString &error, QWidget *field)
{
    gui::setInlineError(m_error, error, field);
}

QString ProxyControlBar::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

void ProxyControlBar::setSettingsExpanded(bool expanded)
{
    m_settingsArea->setVisible(expanded);
    const QSignalBlocker blocker(m_settingsToggle);
    m_settingsToggle->setChecked(expanded);
    m_settingsToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

QString ProxyControlBar::pointAt(ProxyOptions::Mode mode, const QUrl &url)
{
    if (url.isEmpty())
        return {};
    QUrl shown = url;
    const QHostAddress host(url.host());
    if (host == QHostAddress(QHostAddress::AnyIPv4))
        shown.setHost(QStringLiteral("127.0.0.1"));
    else if (host == QHostAddress(QHostAddress::AnyIPv6))
        shown.setHost(QStringLiteral("::1"));
    if (mode == ProxyOptions::Mode::Explicit) {
        shown.setScheme(QStringLiteral("http"));
        shown.setPath(QString());
        return QStringLiteral("--proxy-server=") + shown.toString(QUrl::StripTrailingSlash);
    }
    return shown.toString();
}

void ProxyControlBar::setState(const QString &text, ClientConnection::State icon, const QString &pointAt)
{
    m_stateIcon->setPixmap(gui::stateIcon(icon).pixmap(16, 16));
    m_stateLabel->setText(text);
    m_pointAt = pointAt;
    m_pointAtLabel->setText(pointAt);
    m_pointAtLabel->setVisible(!pointAt.isEmpty());
    m_copyButton->setVisible(!pointAt.isEmpty());
}

void ProxyControlBar::setControls(bool editable, bool canStart, bool listening, bool canOpenClient)
{
    for (QWidget *w : { static_cast<QWidget *>(m_modeCombo), static_cast<QWidget *>(m_addressCombo),
             static_cast<QWidget *>(m_portSpin), static_cast<QWidget *>(m_upstreamEdit),
             static_cast<QWidget *>(m_settings) })
        w->setEnabled(editable);
    m_startButton->setEnabled(canStart);
    m_stopButton->setEnabled(listening);
    m_copyButton->setEnabled(listening);
    m_openClientButton->setEnabled(canOpenClient);
}

void ProxyControlBar::updateModeFields()
{
    const bool reverse
        = ProxyOptions::Mode(m_modeCombo->currentData().toInt()) == ProxyOptions::Mode::Reverse;
    m_upstreamLabel->setEnabled(reverse);
    m_upstreamEdit->setEnabled(reverse && m_modeCombo->isEnabled());
    m_openClientButton->setVisible(reverse);
}

void ProxyControlBar::copyPointAt()
{
    if (m_pointAt.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_pointAt);
    m_copyButton->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copyButton, [button = m_copyButton] { button->setText(tr("&Copy")); });
}

void ProxyControlBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ProxyControlBar::retranslateUi()
{
    m_modeCombo->setItemText(0, tr("Reverse proxy"));
    m_modeCombo->setItemText(1, tr("HTTP proxy (explicit)"));
    describe(m_modeCombo, QStringLiteral("proxyModeCombo"), tr("Proxy mode"),
        tr("Reverse: every client that connects here is forwarded to the server's URL. HTTP proxy: point a "
           "browser or app at it (CONNECT, or --proxy-server) and it forwards to wherever the app connects"));
    describe(m_addressCombo, QStringLiteral("proxyAddressCombo"), tr("Listening address"),
        tr("The address the proxy listens on: 127.0.0.1 only for this machine, 0.0.0.0 for every interface"));
    m_portSpin->setSpecialValueText(tr("any free port"));
    describe(m_portSpin, QStringLiteral("proxyPortSpin"), tr("Listening port"),
        tr("The port the proxy listens on (0: any free port)"));
    m_upstreamLabel->setText(tr("→ &Server:"));
    m_upstreamEdit->setPlaceholderText(tr("ws://127.0.0.1:9000/ or wss://api.example.com/feed"));
    describe(m_upstreamEdit, QStringLiteral("proxyUpstreamEdit"), tr("Server URL"),
        tr("The real server each client is forwarded to; the client's path and query are appended"));
    m_startButton->setText(tr("&Start"));
    describe(m_startButton, QStringLiteral("proxyStartButton"), tr("Start the proxy"),
        tr("Start listening and forwarding"));
    m_stopButton->setText(tr("S&top"));
    describe(m_stopButton, QStringLiteral("proxyStopButton"), tr("Stop the proxy"),
        tr("Close every proxied connection (1001 to both sides) and stop listening"));
    m_settingsToggle->setText(tr("Se&ttings"));
    describe(m_settingsToggle, QStringLiteral("proxySettingsToggle"), tr("Proxy settings"),
        tr("Show or hide the certificate, header rewrites, TLS and fault settings"));
    m_copyButton->setText(tr("&Copy"));
    describe(m_copyButton, QStringLiteral("copyPointAtButton"), tr("Copy what to point the app at"),
        tr("Copy the URL (or the --proxy-server argument) to give the app"));
    m_openClientButton->setText(tr("Open &client tab"));
    describe(m_openClientButton, QStringLiteral("proxyOpenClientButton"),
        tr("Open a client tab through the proxy"), tr("Open a client tab connected to the proxy's URL"));
    m_stateLabel->setAccessibleName(tr("Proxy state"));
    m_pointAtLabel->setAccessibleName(tr("What to point the app at"));
    m_pointAtLabel->setToolTip(tr("Give this to the app: the URL to connect to, or the proxy to use"));
}

} // namespace wst
