#include "ClientViews.h"

#include "FrameView.h"
#include "HandshakeInspector.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "ScenarioRecording.h"

#include <QTabBar>

namespace wst {

ClientViews::ClientViews(ClientConnection *connection, QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(QStringLiteral("clientViews"));
    setAccessibleName(tr("History, handshake and frames"));
    setDocumentMode(true);
    tabBar()->setObjectName(QStringLiteral("clientViewsTabBar"));
    tabBar()->setAccessibleName(tr("History, handshake or frames"));
    tabBar()->setToolTip(
        tr("Switch between the message history, the handshake inspector (Ctrl+I) and the raw frames"));
    m_history = new HistoryPane(this);
    m_history->setObjectName(QStringLiteral("historyPane"));
    ScenarioRecording::attachTo(m_history);
    m_inspector = new HandshakeInspector(this);
    m_frames = new FrameView(connection, this);
    addTab(m_history, tr("History"));
    addTab(m_inspector, tr("Handshake"));
    addTab(m_frames, tr("Frames"));
    setTabToolTip(0, tr("Every message and event of this connection"));
    setTabToolTip(1, tr("The opening handshake exactly as it crossed the wire (Ctrl+I)"));
    setTabToolTip(2, tr("Every WebSocket frame both ways, control frames included, while recording"));
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
    setTabText(
        indexOf(m_inspector), code != 0 && code != 101 ? tr("Handshake (%1)").arg(code) : tr("Handshake"));
}

} // namespace wst
