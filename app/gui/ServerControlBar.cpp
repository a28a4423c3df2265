#include "ServerControlBar.h"

#include "FoldingPanelArea.h"
#include "GuiHelpers.h"
#include "ServerSettingsWidget.h"
#include "Theme.h"

#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
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
using Behaviour = ServerOptions::Behaviour;

namespace {

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

} // namespace

ServerControlBar::ServerControlBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("serverControlBar"));

    // The server bar: where to listen, how to behave, Start and Stop.
    m_addressCombo = new QComboBox(this);
    m_addressCombo->setObjectName(QStringLiteral("serverAddressCombo"));
    m_addressCombo->setEditable(true);
    m_addressCombo->setInsertPolicy(QComboBox::NoInsert);
    m_addressCombo->addItem(QStringLiteral("127.0.0.1"));
    m_addressCombo->addItem(QStringLiteral("::1"));
    m_addressCombo->addItem(QStringLiteral("0.0.0.0"));
    m_addressCombo->addItem(QStringLiteral("::"));
    m_addressCombo->setMinimumContentsLength(16);
    m_addressCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_addressCombo->lineEdit()->setObjectName(QStringLiteral("serverAddressEdit"));
    m_portSpin = new QSpinBox(this);
    m_portSpin->setObjectName(QStringLiteral("serverPortSpin"));
    m_portSpin->setRange(0, 65535);
    m_portSpin->setMinimumWidth(
        m_portSpin->fontMetrics().horizontalAdvance(QStringLiteral("any free 00")) + 24);
    m_behaviourCombo = new QComboBox(this);
    m_behaviourCombo->setObjectName(QStringLiteral("serverBehaviourCombo"));
    m_behaviourCombo->setMinimumContentsLength(18);
    m_behaviourCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    // Narrower than that on an 800×600 screen rather than widening the window.
    const QFontMetrics comboMetrics = m_behaviourCombo->fontMetrics();
    m_behaviourCombo->setMinimumWidth(comboMetrics.horizontalAdvance(QStringLiteral("Broadcast to")) + 36);
    m_addressCombo->setMinimumWidth(comboMetrics.horizontalAdvance(QStringLiteral("127.0.0.1")) + 36);
    for (Behaviour b : { Behaviour::Echo, Behaviour::Broadcast, Behaviour::BroadcastOthers, Behaviour::Manual,
             Behaviour::Rules })
        m_behaviourCombo->addItem(QString(), int(b)); // named in retranslateUi()
    m_startButton = new QPushButton(this);
    m_startButton->setIcon(gui::icon(QStringLiteral("connect")));
    m_startButton->setDefault(true);
    m_stopButton = new QPushButton(this);
    m_stopButton->setIcon(gui::icon(QStringLiteral("disconnect")));
    m_settingsToggle = new QToolButton(this);
    m_settingsToggle->setObjectName(QStringLiteral("serverSettingsToggle"));
    m_settingsToggle->setCheckable(true);
    m_settingsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_settingsToggle->setAutoRaise(true);

    auto *addressLabel = new QLabel(this);
    addressLabel->setObjectName(QStringLiteral("serverAddressLabel"));
    addressLabel->setBuddy(m_addressCombo);
    auto *portLabel = new QLabel(this);
    portLabel->setObjectName(QStringLiteral("serverPortLabel"));
    portLabel->setBuddy(m_portSpin);
    auto *behaviourLabel = new QLabel(this);
    behaviourLabel->setObjectName(QStringLiteral("serverBehaviourLabel"));
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
    theme::setColour(m_addressWarning, QPalette::Window, theme::Role::BannerBackground);
    theme::setColour(m_addressWarning, QPalette::WindowText, theme::Role::BannerText);
    m_addressWarning->setVisible(false);
    m_error = gui::makeErrorLabel(QStringLiteral("serverError"), this);

    // The state line: state, URL, copy, open a client.
    m_stateIcon = new QLabel(this);
    m_stateIcon->setObjectName(QStringLiteral("serverStateIcon"));
    m_stateLabel = new QLabel(this);
    m_stateLabel->setTextFormat(Qt::PlainText);
    QFont bold = m_stateLabel->font();
    bold.setBold(true);
    m_stateLabel->setFont(bold);
    m_urlLabel = new QLabel(this);
    m_urlLabel->setTextFormat(Qt::PlainText);
    m_urlLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_urlLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copyUrlButton = new QToolButton(this);
    m_openClientButton = new QPushButton(this);
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

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_addressWarning);
    layout->addWidget(m_error);
    layout->addLayout(stateBar);
    m_settingsArea = new FoldingPanelArea(m_settingsPanel, parent, this);
    m_settingsArea->setObjectName(QStringLiteral("serverSettingsArea"));
    layout->addWidget(m_settingsArea);

    connect(m_addressCombo, &QComboBox::editTextChanged, this, [this] {
        updateAddressWarning();
        Q_EMIT optionsEdited();
    });
    connect(m_portSpin, &QSpinBox::valueChanged, this, &ServerControlBar::optionsEdited);
    connect(m_behaviourCombo, &QComboBox::currentIndexChanged, this, [this] {
        const bool rules = Behaviour(m_behaviourCombo->currentData().toInt()) == Behaviour::Rules;
        m_settings->setRulesVisible(rules);
        if (rules)
            setSettingsExpanded(true);
        Q_EMIT optionsEdited();
    });
    connect(m_settings, &ServerSettingsWidget::changed, this, &ServerControlBar::optionsEdited);
    connect(m_startButton, &QPushButton::clicked, this, &ServerControlBar::startRequested);
    connect(m_stopButton, &QPushButton::clicked, this, &ServerControlBar::stopRequested);
    connect(m_settingsToggle, &QToolButton::toggled, this, &ServerControlBar::setSettingsExpanded);
    connect(m_copyUrlButton, &QToolButton::clicked, this, &ServerControlBar::copyUrl);
    connect(m_openClientButton, &QPushButton::clicked, this, &ServerControlBar::openClientRequested);
    connect(m_addressCombo->lineEdit(), &QLineEdit::returnPressed, this, &ServerControlBar::startRequested);

    setFocusProxy(m_addressCombo);
    setSettingsExpanded(true);
    retranslateUi();
}

void ServerControlBar::setSettingsExpanded(bool expanded)
{
    m_settingsArea->setVisible(expanded);
    const QSignalBlocker blocker(m_settingsToggle);
    m_settingsToggle->setChecked(expanded);
    m_settingsToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

void ServerControlBar::setOptions(const ServerOptions &options)
{
    m_addressCombo->setEditText(options.address.toString());
    m_portSpin->setValue(options.port);
    m_behaviourCombo->setCurrentIndex(m_behaviourCombo->findData(int(options.behaviour)));
    m_settings->setOptions(options);
}

ServerOptions ServerControlBar::options() const
{
    ServerOptions options;
    options.address = parseAddress(m_addressCombo->currentText());
    options.port = quint16(m_portSpin->value());
    options.behaviour = Behaviour(m_behaviourCombo->currentData().toInt());
    m_settings->applyTo(&options);
    return options;
}

QString ServerControlBar::problem(ServerOptions *options) const
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

QString ServerControlBar::errorText() const
{
    return m_error->text();
}

void ServerControlBar::setError(const QString &error, QWidget *field)
{
    gui::setInlineError(m_error, error, field);
}

void ServerControlBar::updateAddressWarning()
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

void ServerControlBar::setState(const QString &text, ClientConnection::State icon, const QUrl &url)
{
    m_stateIcon->setPixmap(gui::stateIcon(icon).pixmap(16, 16));
    m_stateLabel->setText(text);
    m_url = url;
    const bool listening = !url.isEmpty();
    m_urlLabel->setText(listening ? url.toString() : QString());
    m_urlLabel->setVisible(listening);
    m_copyUrlButton->setVisible(listening);
}

void ServerControlBar::setControls(bool editable, bool canStart, bool listening)
{
    for (QWidget *w : { static_cast<QWidget *>(m_addressCombo), static_cast<QWidget *>(m_portSpin),
             static_cast<QWidget *>(m_behaviourCombo), static_cast<QWidget *>(m_settings) }) {
        w->setEnabled(editable);
    }
    m_startButton->setEnabled(canStart);
    m_stopButton->setEnabled(listening);
    m_copyUrlButton->setEnabled(listening);
    m_openClientButton->setEnabled(listening);
}

void ServerControlBar::copyUrl()
{
    if (m_url.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_url.toString());
    m_copyUrlButton->setText(tr("Copied"));
    QTimer::singleShot(
        1500, m_copyUrlButton, [button = m_copyUrlButton] { button->setText(tr("Copy &URL")); });
}

void ServerControlBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ServerControlBar::retranslateUi()
{
    describe(m_addressCombo, QStringLiteral("serverAddressCombo"), tr("Address"),
        tr("The address to listen on: 127.0.0.1 is this machine only; 0.0.0.0 and :: let other machines "
           "connect"));
    m_addressCombo->setItemData(0, tr("This machine only (IPv4)"), Qt::ToolTipRole);
    m_addressCombo->setItemData(1, tr("This machine only (IPv6)"), Qt::ToolTipRole);
    m_addressCombo->setItemData(2, tr("Every IPv4 interface: other machines can connect"), Qt::ToolTipRole);
    m_addressCombo->setItemData(3, tr("Every IPv6 interface: other machines can connect"), Qt::ToolTipRole);
    m_addressCombo->lineEdit()->setAccessibleName(tr("Address"));
    describe(m_portSpin, QStringLiteral("serverPortSpin"), tr("Port"),
        tr("The port to listen on; 0 picks a free one"));
    m_portSpin->setSpecialValueText(tr("any free"));
    describe(m_behaviourCombo, QStringLiteral("serverBehaviourCombo"), tr("Behaviour"),
        tr("What the server does with each message it receives"));
    describe(m_startButton, QStringLiteral("serverStartButton"), tr("Start server"),
        tr("Start listening with these settings"));
    describe(m_stopButton, QStringLiteral("serverStopButton"), tr("Stop server"),
        tr("Close every client with 1001 (going away) and stop listening"));
    describe(m_settingsToggle, QStringLiteral("serverSettingsToggle"), tr("Server settings"),
        tr("Show or hide the settings: TLS, greeting, periodic push, subprotocols, origins, limits, reply "
           "rules"));
    m_settingsToggle->setText(tr("Setti&ngs"));
    describe(
        m_stateLabel, QStringLiteral("serverStateLabel"), tr("Server state"), tr("The state of the server"));
    describe(
        m_urlLabel, QStringLiteral("serverUrlLabel"), tr("Server URL"), tr("The URL clients connect to"));
    describe(m_copyUrlButton, QStringLiteral("copyServerUrlButton"), tr("Copy URL"),
        tr("Copy the server's URL to the clipboard"));
    m_copyUrlButton->setText(tr("Copy &URL"));
    describe(m_openClientButton, QStringLiteral("openClientButton"), tr("Open client tab"),
        tr("Open a client tab connected to this server"));
    const std::pair<QString, QString> behaviours[] = {
        { tr("Echo"), tr("Send each message back to its sender") },
        { tr("Broadcast to all"), tr("Send each message to every client, the sender too") },
        { tr("Broadcast to others"), tr("Send each message to every client except its sender") },
        { tr("Manual"), tr("Send nothing by itself: you send from this tab") },
        { tr("Reply rules"), tr("Answer with the first reply rule that matches the message") },
    };
    for (int i = 0; i < m_behaviourCombo->count(); ++i) {
        m_behaviourCombo->setItemText(i, behaviours[i].first);
        m_behaviourCombo->setItemData(i, behaviours[i].second, Qt::ToolTipRole);
    }
    m_startButton->setText(tr("&Start"));
    m_stopButton->setText(tr("St&op"));
    m_openClientButton->setText(tr("Open client &tab"));
    findChild<QLabel *>(QStringLiteral("serverAddressLabel"))->setText(tr("&Address:"));
    findChild<QLabel *>(QStringLiteral("serverPortLabel"))->setText(tr("&Port:"));
    findChild<QLabel *>(QStringLiteral("serverBehaviourLabel"))->setText(tr("&Behaviour:"));
    updateAddressWarning();
}

} // namespace wst
