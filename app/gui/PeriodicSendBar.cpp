#include "PeriodicSendBar.h"

#include "ComposerWidget.h"
#include "GuiHelpers.h"
#include "Theme.h"
#include "compose/PeriodicSender.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>

namespace wst {

using gui::describe;

PeriodicSendBar::PeriodicSendBar(PeriodicSender *sender, ComposerWidget *composer, QWidget *parent)
    : QWidget(parent)
    , m_sender(sender)
    , m_composer(composer)
    , m_stack(new QStackedWidget(this))
    , m_interval(new QSpinBox(this))
    , m_count(new QSpinBox(this))
    , m_startButton(new QPushButton(this))
    , m_indicator(new QLabel(this))
    , m_stopButton(new QPushButton(this))
    , m_message(new QLabel(this))
    , m_dismissButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("periodicSendBar"));

    m_interval->setRange(1, 24 * 3600 * 1000);
    m_interval->setValue(1000);
    m_interval->setAccelerated(true);
    m_count->setRange(0, 100000000);
    m_count->setValue(0);
    m_startButton->setIcon(gui::icon(QStringLiteral("repeat")));
    m_startButton->setAutoDefault(false);

    m_indicator->setTextFormat(Qt::PlainText);
    QFont bold = m_indicator->font();
    bold.setBold(true);
    m_indicator->setFont(bold);
    theme::setColour(m_indicator, QPalette::WindowText, theme::Role::InfoText);
    m_stopButton->setIcon(gui::icon(QStringLiteral("stop")));
    m_stopButton->setAutoDefault(false);

    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dismissButton->setIcon(gui::icon(QStringLiteral("dismiss")));
    m_dismissButton->setAutoRaise(true);

    auto *idle = new QWidget(m_stack);
    auto *idleLayout = new QHBoxLayout(idle);
    idleLayout->setContentsMargins(0, 0, 0, 0);
    auto *repeatLabel = new QLabel(idle);
    repeatLabel->setObjectName(QStringLiteral("periodicRepeatLabel"));
    repeatLabel->setBuddy(m_interval);
    auto *countLabel = new QLabel(idle);
    countLabel->setObjectName(QStringLiteral("periodicCountLabel"));
    countLabel->setBuddy(m_count);
    idleLayout->addWidget(repeatLabel);
    idleLayout->addWidget(m_interval);
    idleLayout->addWidget(countLabel);
    idleLayout->addWidget(m_count);
    idleLayout->addWidget(m_startButton);
    idleLayout->addSpacing(8);
    idleLayout->addWidget(m_message, 1);
    idleLayout->addWidget(m_dismissButton);

    auto *runningPage = new QWidget(m_stack);
    runningPage->setObjectName(QStringLiteral("periodicRunningPage"));
    auto *runningLayout = new QHBoxLayout(runningPage);
    runningLayout->setContentsMargins(0, 0, 0, 0);
    auto *icon = new QLabel(runningPage);
    icon->setPixmap(gui::icon(QStringLiteral("repeat")).pixmap(16, 16));
    runningLayout->addWidget(icon);
    runningLayout->addWidget(m_indicator, 1);
    runningLayout->addWidget(m_stopButton);

    m_stack->addWidget(idle);
    m_stack->addWidget(runningPage);
    m_stack->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    showIdle({}, false);
    retranslateUi();

    connect(m_startButton, &QPushButton::clicked, this, &PeriodicSendBar::startFromComposer);
    connect(m_stopButton, &QPushButton::clicked, this, &PeriodicSendBar::stop);
    connect(m_dismissButton, &QToolButton::clicked, this, [this] {
        showIdle({}, false);
        m_startButton->setFocus(Qt::OtherFocusReason);
    });
    connect(m_sender, &PeriodicSender::started, this, &PeriodicSendBar::showRunning);
    connect(m_sender, &PeriodicSender::progress, this, &PeriodicSendBar::updateProgress);
    connect(m_sender, &PeriodicSender::stopped, this,
        [this](PeriodicSender::StopReason reason, const QString &message) {
            const bool hadFocus = m_stopButton->hasFocus();
            showIdle(message,
                reason == PeriodicSender::StopReason::ConnectionClosed
                    || reason == PeriodicSender::StopReason::Error);
            if (hadFocus)
                m_startButton->setFocus(Qt::OtherFocusReason); // the button that had it is gone
        });
}

int PeriodicSendBar::intervalMs() const
{
    return m_interval->value();
}

void PeriodicSendBar::setIntervalMs(int ms)
{
    m_interval->setValue(ms);
}

int PeriodicSendBar::count() const
{
    return m_count->value();
}

void PeriodicSendBar::setCount(int count)
{
    m_count->setValue(count);
}

bool PeriodicSendBar::startFromComposer()
{
    QString error;
    const SavedMessage message = m_composer->currentMessage(&error);
    if (!error.isEmpty()) {
        showIdle(error, true);
        return false;
    }
    return start(message);
}

bool PeriodicSendBar::start(const SavedMessage &message)
{
    QString error;
    if (!m_sender->start(message, m_interval->value(), m_count->value(), &error)) {
        showIdle(tr("Not started: %1").arg(error), true);
        return false;
    }
    return true;
}

void PeriodicSendBar::stop()
{
    m_sender->stop();
}

QString PeriodicSendBar::indicatorText() const
{
    return m_sender->isRunning() ? m_indicator->text() : QString();
}

QString PeriodicSendBar::errorText() const
{
    return m_message->text();
}

void PeriodicSendBar::showRunning()
{
    m_stack->setCurrentIndex(1);
    updateProgress();
    if (m_startButton->hasFocus())
        m_stopButton->setFocus(Qt::OtherFocusReason);
}

void PeriodicSendBar::updateProgress()
{
    const QString text = m_sender->progressText();
    m_indicator->setText(text);
    m_indicator->setAccessibleDescription(text);
}

void PeriodicSendBar::showIdle(const QString &message, bool error)
{
    m_stack->setCurrentIndex(0);
    m_message->setText(message);
    m_message->setAccessibleDescription(message);
    if (error)
        theme::setColour(m_message, QPalette::WindowText, theme::Role::ErrorText);
    else
        theme::clearColour(m_message, QPalette::WindowText);
    m_message->setVisible(!message.isEmpty());
    m_dismissButton->setVisible(!message.isEmpty());
}

void PeriodicSendBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PeriodicSendBar::retranslateUi()
{
    setAccessibleName(tr("Periodic send"));
    describe(m_interval, QStringLiteral("periodicIntervalSpin"), tr("Repeat interval"),
        tr("How often the message is sent, in milliseconds"));
    m_interval->setSuffix(tr(" ms"));
    describe(m_count, QStringLiteral("periodicCountSpin"), tr("Repeat count"),
        tr("How many messages to send; \u201cuntil stopped\u201d (0) sends until you press Stop"));
    m_count->setSpecialValueText(tr("until stopped"));
    m_count->setSuffix(tr(" times"));
    describe(m_startButton, QStringLiteral("periodicStartButton"), tr("Start periodic send"),
        tr("Send the composer's message now and then every interval; {{counter}} counts 1, 2, 3\u2026"));
    describe(m_indicator, QStringLiteral("periodicIndicator"), tr("Periodic send progress"),
        tr("How many messages the periodic send has sent"));
    describe(m_stopButton, QStringLiteral("periodicStopButton"), tr("Stop periodic send"),
        tr("Stop sending; what was sent stays in the history"));
    describe(m_message, QStringLiteral("periodicMessage"), tr("Periodic send result"),
        tr("Why the last periodic send ended, or why it could not start"));
    describe(
        m_dismissButton, QStringLiteral("periodicDismissButton"), tr("Dismiss"), tr("Hide this message"));
    m_startButton->setText(tr("Star&t"));
    m_stopButton->setText(tr("St&op"));
    findChild<QLabel *>(QStringLiteral("periodicRepeatLabel"))->setText(tr("Repeat e&very"));
    findChild<QLabel *>(QStringLiteral("periodicCountLabel"))->setText(tr("&count"));
    if (m_stack->currentIndex() == 1)
        updateProgress(); // the core's words, asked for again
}

} // namespace wst
