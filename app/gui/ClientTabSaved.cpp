// A client tab's saved messages (its own list and the window's) and the variables they are
// filled from: the panel beside the history and the composer, and the periodic send bar.
#include "ClientTab.h"

#include "ActionRegistry.h"
#include "ClientViews.h"
#include "ComposerWidget.h"
#include "PeriodicSendBar.h"
#include "SavedMessagesPanel.h"
#include "SavedMessagesSide.h"
#include "compose/PeriodicSender.h"
#include "compose/SessionEnvironment.h"

#include <QSplitter>

namespace wst {

void ClientTab::buildSavedPanel()
{
    // The saved messages beside the history and the composer, hidden until asked for.
    m_saved = new SavedMessagesSide(m_splitter, m_views, m_composer, this);
    m_saved->setLists(m_localSaved, m_globalSaved);
    m_saved->setEnvironment(m_environment);
    m_savedPanel = m_saved->panel();
    QAction *toggle = ActionRegistry::addLocal(
        this, QStringLiteral("toggleSavedMessagesAction"), Qt::WidgetWithChildrenShortcut);
    connect(toggle, &QAction::triggered, m_saved, &SavedMessagesSide::togglePanel);

    m_composer->setEnvironment(m_environment);
    m_periodicBar = new PeriodicSendBar(m_periodic, m_composer, m_composer);
    m_composer->addFooterWidget(m_periodicBar);

    connect(m_saved, &SavedMessagesSide::sendRequested, this, &ClientTab::sendSavedMessage);
    connect(m_saved, &SavedMessagesSide::periodicRequested, this,
        [this](const SavedMessage &message) { m_periodicBar->start(message); });
    connect(m_localSaved, &SavedMessageList::changed, this, &ClientTab::savedMessagesChanged);
}

bool ClientTab::isSavedPanelVisible() const
{
    return m_saved->isPanelVisible();
}

void ClientTab::setSavedPanelVisible(bool visible)
{
    m_saved->setPanelVisible(visible);
}

QJsonArray ClientTab::savedMessagesJson() const
{
    return m_localSaved->toJson();
}

void ClientTab::setSavedMessagesJson(const QJsonArray &messages)
{
    m_localSaved->fromJson(messages);
}

void ClientTab::setGlobalSavedMessages(SavedMessageList *messages)
{
    if (!messages || messages == m_globalSaved)
        return;
    if (m_globalSaved && m_globalSaved->parent() == this)
        m_globalSaved->deleteLater();
    m_globalSaved = messages;
    m_saved->setLists(m_localSaved, m_globalSaved);
}

void ClientTab::setEnvironment(SessionEnvironment *environment)
{
    if (!environment || environment == m_environment)
        return;
    if (m_environment && m_environment->parent() == this)
        m_environment->deleteLater();
    m_environment = environment;
    m_composer->setEnvironment(environment);
    m_periodic->setEnvironment(environment);
    m_saved->setEnvironment(environment);
}

bool ClientTab::sendSavedMessage(const SavedMessage &message)
{
    bool binary = false;
    QByteArray payload;
    if (!m_saved->prepare(message, m_connection->state() == ClientConnection::State::Open, &binary, &payload))
        return false;
    if (binary)
        m_connection->sendBinary(payload);
    else
        m_connection->sendText(QString::fromUtf8(payload));
    return true;
}

bool ClientTab::saveComposerMessage(bool global)
{
    return m_saved->saveComposerMessage(global);
}

} // namespace wst
