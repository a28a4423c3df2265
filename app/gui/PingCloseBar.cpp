#include "PingCloseBar.h"

#include "GuiHelpers.h"
#include "protocol/CloseCodes.h"

#include <QCheckBox>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

PingCloseBar::PingCloseBar(Role role, QWidget *parent)
    : QWidget(parent)
    , m_role(role)
{
    if (role == Role::Close)
        buildCloseRole();
    else
        buildKickRole();

    if (m_pingPayload) {
        connect(m_pingPayload, &QLineEdit::textChanged, this, &PingCloseBar::validatePing);
        connect(m_pingPayload, &QLineEdit::returnPressed, this, &PingCloseBar::pingRequested);
    }
    connect(m_pingButton, &QPushButton::clicked, this, &PingCloseBar::pingRequested);
    connect(m_closeCode, &QSpinBox::valueChanged, this, &PingCloseBar::validateClose);
    connect(m_closeReason, &QLineEdit::textChanged, this, &PingCloseBar::validateClose);
    connect(m_closeReason, &QLineEdit::returnPressed, this, &PingCloseBar::closeRequested);
    connect(m_closeButton, &QPushButton::clicked, this, &PingCloseBar::closeRequested);

    retranslateUi();
}

void PingCloseBar::buildCloseRole()
{
    setObjectName(QStringLiteral("pingCloseBar"));
    m_pingPayload = new QLineEdit(this);
    m_pingPayload->setObjectName(QStringLiteral("pingPayloadEdit"));
    m_pingPayload->setClearButtonEnabled(true);
    m_pingButton = new QPushButton(this);
    m_pingButton->setObjectName(QStringLiteral("pingButton"));
    m_pingButton->setIcon(gui::icon(QStringLiteral("ping")));
    m_rttLabel = new QLabel(this);
    m_rttLabel->setObjectName(QStringLiteral("rttLabel"));
    m_pingError = gui::makeErrorLabel(QStringLiteral("pingError"), this);

    m_closeCode = new QSpinBox(this);
    m_closeCode->setObjectName(QStringLiteral("closeCodeSpin"));
    m_closeCode->setRange(0, 65535);
    m_closeCode->setValue(1000);
    m_closeCodeDescription = new QLabel(this);
    m_closeCodeDescription->setObjectName(QStringLiteral("closeCodeDescription"));
    m_closeCodeDescription->setEnabled(false); // greyed: it explains the code, it is not a control
    m_closeReason = new QLineEdit(this);
    m_closeReason->setObjectName(QStringLiteral("closeReasonEdit"));
    m_closeReason->setClearButtonEnabled(true);
    m_closeButton = new QPushButton(this);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    m_closeButton->setIcon(gui::icon(QStringLiteral("close-connection")));
    m_closeError = gui::makeErrorLabel(QStringLiteral("closeError"), this);
    m_sendAnyway = new QCheckBox(this);
    m_sendAnyway->setObjectName(QStringLiteral("closeSendAnywayCheck"));
    m_sendAnyway->setVisible(false);
    connect(m_sendAnyway, &QCheckBox::toggled, this, &PingCloseBar::validateClose);

    auto *actionsBar = new QHBoxLayout;
    auto *pingLabel = new QLabel(this);
    pingLabel->setObjectName(QStringLiteral("pingLabel"));
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
    auto *closeLabel = new QLabel(this);
    closeLabel->setObjectName(QStringLiteral("closeCodeLabel"));
    closeLabel->setBuddy(m_closeCode);
    actionsBar->addWidget(closeLabel);
    actionsBar->addWidget(m_closeCode);
    actionsBar->addWidget(m_closeCodeDescription);
    actionsBar->addWidget(m_closeReason, 3);
    actionsBar->addWidget(m_closeButton);
    auto *actionErrors = new QHBoxLayout;
    actionErrors->addWidget(m_pingError, 1);
    actionErrors->addWidget(m_closeError, 1);
    actionErrors->addWidget(m_sendAnyway);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(actionsBar);
    layout->addLayout(actionErrors);
}

void PingCloseBar::buildKickRole()
{
    setObjectName(QStringLiteral("kickBar"));
    m_pingButton = new QPushButton(this);
    m_pingButton->setObjectName(QStringLiteral("serverPingButton"));
    m_pingButton->setIcon(gui::icon(QStringLiteral("ping")));
    m_rttLabel = new QLabel(this);
    m_rttLabel->setObjectName(QStringLiteral("serverRttLabel"));
    m_rttLabel->setForegroundRole(QPalette::PlaceholderText);
    m_closeCode = new QSpinBox(this);
    m_closeCode->setObjectName(QStringLiteral("kickCodeSpin"));
    m_closeCode->setRange(0, 65535);
    m_closeCode->setValue(4000);
    m_closeCodeDescription = new QLabel(this);
    m_closeCodeDescription->setObjectName(QStringLiteral("kickCodeDescription"));
    m_closeCodeDescription->setEnabled(false);
    m_closeReason = new QLineEdit(this);
    m_closeReason->setObjectName(QStringLiteral("kickReasonEdit"));
    m_closeReason->setClearButtonEnabled(true);
    m_closeButton = new QPushButton(this);
    m_closeButton->setObjectName(QStringLiteral("kickButton"));
    m_closeButton->setIcon(gui::icon(QStringLiteral("close-connection")));
    m_closeError = gui::makeErrorLabel(QStringLiteral("kickError"), this);

    auto *pingRow = new QHBoxLayout;
    pingRow->addWidget(m_pingButton);
    pingRow->addWidget(m_rttLabel, 1);
    auto *kickLabel = new QLabel(this);
    kickLabel->setObjectName(QStringLiteral("kickCodeLabel"));
    kickLabel->setBuddy(m_closeCode);
    auto *kickRow = new QHBoxLayout;
    kickRow->addWidget(kickLabel);
    kickRow->addWidget(m_closeCode);
    kickRow->addWidget(m_closeCodeDescription, 1);
    auto *kickRow2 = new QHBoxLayout;
    kickRow2->addWidget(m_closeReason, 1);
    kickRow2->addWidget(m_closeButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(pingRow);
    layout->addLayout(kickRow);
    layout->addLayout(kickRow2);
    layout->addWidget(m_closeError);
}

QByteArray PingCloseBar::pingPayload() const
{
    return m_pingPayload ? m_pingPayload->text().toUtf8() : QByteArray();
}

int PingCloseBar::closeCode() const
{
    return m_closeCode->value();
}

QString PingCloseBar::closeReason() const
{
    return m_closeReason->text();
}

bool PingCloseBar::checkPing()
{
    validatePing();
    return m_pingValid;
}

bool PingCloseBar::checkClose()
{
    validateClose();
    return m_closeValid;
}

void PingCloseBar::setPingAvailable(bool available, const QString &whyNot)
{
    m_pingAvailable = available;
    m_pingWhyNot = whyNot;
    updateButtons();
}

void PingCloseBar::setCloseAvailable(bool available, const QString &whyNot)
{
    m_closeAvailable = available;
    m_closeWhyNot = whyNot;
    if (m_role == Role::Kick) {
        m_closeCode->setEnabled(available);
        m_closeReason->setEnabled(available);
    }
    updateButtons();
}

void PingCloseBar::setPingButtonText(const QString &text)
{
    m_pingButton->setText(text);
}

void PingCloseBar::setCloseButtonText(const QString &text)
{
    m_closeButton->setText(text);
}

QString PingCloseBar::rttText() const
{
    return m_rttLabel->text();
}

void PingCloseBar::setRttText(const QString &text)
{
    m_rttLabel->setText(text);
}

void PingCloseBar::validatePing()
{
    QString error;
    if (m_pingPayload) {
        const qsizetype bytes = m_pingPayload->text().toUtf8().size();
        if (bytes > CloseCodes::MaxPingBytes)
            error = tr("The ping payload is %1 bytes in UTF-8; at most %2 are allowed.")
                        .arg(bytes)
                        .arg(CloseCodes::MaxPingBytes);
        gui::setInlineError(m_pingError, error, m_pingPayload);
    }
    m_pingValid = error.isEmpty();
    updateButtons();
}

bool PingCloseBar::sendAnyway() const
{
    return m_sendAnyway && m_sendAnyway->isChecked() && CloseCodes::isReportOnly(m_closeCode->value());
}

void PingCloseBar::validateClose()
{
    const int code = m_closeCode->value();
    if (m_sendAnyway && code != m_sendAnywayCode) {
        // Asked afresh for each such code: a confirmation is not a setting.
        const QSignalBlocker blocker(m_sendAnyway);
        m_sendAnyway->setChecked(false);
        m_sendAnyway->setVisible(CloseCodes::isReportOnly(code));
        m_sendAnywayCode = code;
    }
    const QString error = CloseCodes::validate(code, m_closeReason->text(), sendAnyway());
    m_closeCodeDescription->setText(CloseCodes::description(code));
    m_closeCode->setAccessibleDescription(CloseCodes::description(code));
    m_closeValid = error.isEmpty();
    gui::setInlineError(m_closeError, error, m_closeCode);
    updateButtons();
}

void PingCloseBar::updateButtons()
{
    const auto tip
        = [](bool available, bool valid, const QString &whyNot, const QString &usual, const QLabel *error) {
              if (!available)
                  return whyNot.isEmpty() ? usual : whyNot;
              return valid || !error ? usual : error->text();
          };
    m_pingButton->setEnabled(m_pingAvailable && m_pingValid);
    m_pingButton->setToolTip(tip(m_pingAvailable, m_pingValid, m_pingWhyNot, m_pingTip, m_pingError));
    m_closeButton->setEnabled(m_closeAvailable && m_closeValid);
    m_closeButton->setToolTip(tip(m_closeAvailable, m_closeValid, m_closeWhyNot, m_closeTip, m_closeError));
}

void PingCloseBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PingCloseBar::retranslateUi()
{
    if (m_role == Role::Close) {
        describe(m_pingPayload, QStringLiteral("pingPayloadEdit"), tr("Ping payload"),
            tr("Optional payload of the ping, at most 125 bytes in UTF-8"));
        m_pingPayload->setPlaceholderText(tr("payload (optional)"));
        m_pingButton->setText(tr("&Ping"));
        m_pingTip = tr("Send a ping and measure the round trip");
        describe(m_pingButton, QStringLiteral("pingButton"), tr("Ping"), m_pingTip);
        describe(m_rttLabel, QStringLiteral("rttLabel"), tr("Round trip time"),
            tr("The round trip of the last ping"));
        m_rttLabel->setMinimumWidth(m_rttLabel->fontMetrics().horizontalAdvance(tr("RTT 000.00 ms")));
        describe(m_closeCode, QStringLiteral("closeCodeSpin"), tr("Close code"),
            tr("The status code of the Close frame: 1000-1003, 1007-1014 or 3000-4999"));
        describe(m_closeReason, QStringLiteral("closeReasonEdit"), tr("Close reason"),
            tr("Optional reason of the Close frame, at most 123 bytes in UTF-8"));
        m_closeReason->setPlaceholderText(tr("reason (optional)"));
        m_closeButton->setText(tr("C&lose"));
        m_closeTip = tr("Send a Close frame with this code and reason");
        describe(m_closeButton, QStringLiteral("closeButton"), tr("Close"), m_closeTip);
        m_sendAnyway->setText(tr("Send anyway (not allowed on the wire, for testing servers)"));
        describe(m_sendAnyway, QStringLiteral("closeSendAnywayCheck"), tr("Send this close code anyway"),
            tr("Codes 1005, 1006 and 1015 only report what happened and must never be sent in a Close "
               "frame. Tick to send it all the same, to see how the server copes."));
        findChild<QLabel *>(QStringLiteral("pingLabel"))->setText(tr("Pin&g:"));
        findChild<QLabel *>(QStringLiteral("closeCodeLabel"))->setText(tr("Close c&ode:"));
    } else {
        m_pingButton->setText(tr("P&ing")); // the server tab names the client it pings
        m_pingTip = tr("Ping the selected client (with All: every client) and measure the round trip");
        describe(m_pingButton, QStringLiteral("serverPingButton"), tr("Ping"), m_pingTip);
        describe(m_rttLabel, QStringLiteral("serverRttLabel"), tr("Round trip time"),
            tr("The round trip of the last pong"));
        describe(m_closeCode, QStringLiteral("kickCodeSpin"), tr("Kick close code"),
            tr("The close code sent to the kicked client: 1000-1003, 1007-1014 or 3000-4999"));
        describe(m_closeReason, QStringLiteral("kickReasonEdit"), tr("Kick reason"),
            tr("Optional reason sent with the close code, at most 123 bytes in UTF-8"));
        m_closeReason->setPlaceholderText(tr("reason (optional)"));
        m_closeButton->setText(tr("&Kick"));
        m_closeTip = tr("Close the selected client's connection with this code and reason");
        describe(m_closeButton, QStringLiteral("kickButton"), tr("Kick client"), m_closeTip);
        findChild<QLabel *>(QStringLiteral("kickCodeLabel"))->setText(tr("Close code:"));
    }
    validatePing();
    validateClose();
}

} // namespace wst
