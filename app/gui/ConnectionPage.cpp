#include "ConnectionPage.h"

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
