#include "ConnectionPage.h"

#include <QEvent>
#include <QTimer>

namespace wst {

namespace {

// How long a closed page may take to finish its close handshake before its socket is aborted.
constexpr int CloseGraceMs = 3000;

} // namespace

ConnectionPage::ConnectionPage(QWidget *parent)
    : QWidget(parent)
{
    connect(this, &ConnectionPage::statusChanged, this, &ConnectionPage::checkIndicator);
}

ConnectionPage::~ConnectionPage() = default;

void ConnectionPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // Children get the event after their parent: a state text the page hands to a child
        // (a button that says Disconnect) must come after the child has set its fixed ones.
        QTimer::singleShot(0, this, [this] { retranslateState(); });
    }
    QWidget::changeEvent(event);
}

QString ConnectionPage::tabToolTip() const
{
    return tr("%1 \u2014 %2").arg(title(), statusText());
}

void ConnectionPage::checkIndicator()
{
    const ClientConnection::State now = indicator();
    if (now == m_indicator)
        return;
    m_indicator = now;
    Q_EMIT indicatorChanged(now);
}

void ConnectionPage::closeGracefully()
{
    if (m_closing)
        return;
    m_closing = true;
    if (!startClose()) {
        finishClose();
        return;
    }
    QTimer::singleShot(CloseGraceMs, this, &ConnectionPage::finishClose);
}

void ConnectionPage::finishClose()
{
    if (!m_closing || m_closeFinished)
        return;
    m_closeFinished = true;
    Q_EMIT closeFinished();
}

} // namespace wst
