#include "ClientViews.h"

#include "FrameView.h"
#include "HandshakeInspector.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "ScenarioRecording.h"
#include "connection/ClientConnection.h"
#include "protocols/Protocol.h"

#include <QEvent>
#include <QTabBar>

namespace wst {

ClientViews::ClientViews(ClientConnection *connection, QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(QStringLiteral("clientViews"));
    setDocumentMode(true);
    tabBar()->setObjectName(QStringLiteral("clientViewsTabBar"));
    m_history = new HistoryPane(this);
    m_history->setObjectName(QStringLiteral("historyPane"));
    ScenarioRecording::attachTo(m_history);
    m_inspector = new HandshakeInspector(this);
    m_frames = new FrameView(connection, this);
    addTab(m_history, QString());
    addTab(m_inspector, QString());
    addTab(m_frames, QString());
    connect(connection, &ClientConnection::protocolStateChanged, m_inspector, [this, connection] {
        m_inspector->setProtocolHandshake(ProtocolNames::displayName(connection->protocol()->id()),
            connection->protocolState().handshake());
    });
    retranslateUi();
}

void ClientViews::showHandshake()
{
    setCurrentWidget(m_inspector);
    m_inspector->focusExchange();
}

void ClientViews::showHistory()
{
    setCurrentWidget(m_history);
    m_history->view()->setFocus(Qt::ShortcutFocusReason);
}

void ClientViews::showFrames()
{
    setCurrentWidget(m_frames);
}

bool ClientViews::isHandshakeShown() const
{
    return currentWidget() == m_inspector;
}

void ClientViews::setHandshakeStatusCode(int code)
{
    m_handshakeCode = code;
    setTabText(
        indexOf(m_inspector), code != 0 && code != 101 ? tr("Handshake (%1)").arg(code) : tr("Handshake"));
}

void ClientViews::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QTabWidget::changeEvent(event);
}

void ClientViews::retranslateUi()
{
    setAccessibleName(tr("History, handshake and frames"));
    tabBar()->setAccessibleName(tr("History, handshake or frames"));
    tabBar()->setToolTip(
        tr("Switch between the message history, the handshake inspector (Ctrl+I) and the raw frames"));
    setTabText(indexOf(m_history), tr("History"));
    setTabText(indexOf(m_frames), tr("Frames"));
    setHandshakeStatusCode(m_handshakeCode);
    setTabToolTip(0, tr("Every message and event of this connection"));
    setTabToolTip(1, tr("The opening handshake exactly as it crossed the wire (Ctrl+I)"));
    setTabToolTip(2, tr("Every WebSocket frame both ways, control frames included, while recording"));
}

} // namespace wst
