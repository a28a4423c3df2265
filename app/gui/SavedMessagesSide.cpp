#include "SavedMessagesSide.h"

#include "ComposerWidget.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "SavedMessagesPanel.h"
#include "compose/SessionEnvironment.h"

#include <QEvent>
#include <QListView>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QToolButton>

namespace wst {

SavedMessagesSide::SavedMessagesSide(
    QWidget *content, QTabWidget *toggleHost, ComposerWidget *composer, QWidget *parent)
    : QSplitter(Qt::Horizontal, parent)
    , m_composer(composer)
{
    m_panel = new SavedMessagesPanel(this);
    m_panel->setVisible(false);
    setObjectName(QStringLiteral("savedSplitter"));
    setChildrenCollapsible(false);
    addWidget(content);
    addWidget(m_panel);
    setStretchFactor(0, 1);
    setStretchFactor(1, 0);
    setSizes({ 900, 300 });

    m_toggle = new QToolButton(toggleHost);
    m_toggle->setObjectName(QStringLiteral("savedToggle"));
    m_toggle->setIcon(gui::icon(QStringLiteral("saved")));
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    toggleHost->setCornerWidget(m_toggle, Qt::TopRightCorner);
    connect(m_toggle, &QToolButton::toggled, this, &SavedMessagesSide::setPanelVisible);

    connect(m_composer, &ComposerWidget::saveRequested, this, &SavedMessagesSide::saveComposerMessage);
    connect(
        m_panel, &SavedMessagesPanel::saveComposerRequested, this, &SavedMessagesSide::saveComposerMessage);
    connect(m_panel, &SavedMessagesPanel::sendRequested, this, &SavedMessagesSide::sendRequested);
    connect(m_panel, &SavedMessagesPanel::periodicRequested, this, &SavedMessagesSide::periodicRequested);
    connect(m_panel, &SavedMessagesPanel::loadRequested, this, [this](const SavedMessage &message) {
        m_composer->setMessage(message);
        m_composer->editor()->setFocus(Qt::OtherFocusReason);
    });
    retranslateUi();
}

void SavedMessagesSide::setLists(SavedMessageList *local, SavedMessageList *global)
{
    m_local = local;
    m_global = global;
    m_panel->setLists(local, global);
}

void SavedMessagesSide::setEnvironment(SessionEnvironment *environment)
{
    m_environment = environment;
    m_panel->setEnvironment(environment);
}

bool SavedMessagesSide::prepare(
    const SavedMessage &message, bool connected, bool *binary, QByteArray *payload)
{
    if (!connected) {
        m_panel->setError(tr("\u201c%1\u201d was not sent: connect first.").arg(message.name));
        return false;
    }
    QString error;
    const QString body = m_environment ? m_environment->substitute(message.body, &error) : message.body;
    if (error.isEmpty())
        SavedMessage::encode(message.format, body, binary, payload, &error, m_codec.get());
    if (!error.isEmpty()) {
        m_panel->setError(tr("\u201c%1\u201d was not sent: %2").arg(message.name, error));
        return false;
    }
    m_panel->setError({});
    return true;
}

bool SavedMessagesSide::isPanelVisible() const
{
    return !m_panel->isHidden();
}

void SavedMessagesSide::setPanelVisible(bool visible)
{
    m_panel->setVisible(visible);
    if (m_toggle->isChecked() != visible)
        m_toggle->setChecked(visible);
}

void SavedMessagesSide::togglePanel()
{
    setPanelVisible(!isPanelVisible());
    if (isPanelVisible())
        m_panel->view(false)->setFocus(Qt::ShortcutFocusReason);
}

bool SavedMessagesSide::saveComposerMessage(bool global)
{
    QString error;
    SavedMessage message = m_composer->currentMessage(&error);
    if (error.isEmpty() && message.body.isEmpty())
        error = tr("Write a message in the composer first.");
    if (!error.isEmpty()) {
        setPanelVisible(true);
        m_panel->setError(error);
        return false;
    }
    QString name = SavedMessage::suggestName(message.body);
    if (!Dialogs::getText(this, global ? tr("Save for Every Connection") : tr("Save for This Connection"),
            tr("Name of the saved message:"), name, &name))
        return false;
    message.name = name.trimmed().isEmpty() ? SavedMessage::suggestName(message.body) : name.trimmed();
    SavedMessageList *list = global ? m_global.data() : m_local.data();
    if (!list)
        return false;
    const int row = list->add(message);
    setPanelVisible(true);
    m_panel->setError({});
    m_panel->view(global)->setCurrentIndex(list->index(row));
    return true;
}

void SavedMessagesSide::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QSplitter::changeEvent(event);
}

void SavedMessagesSide::retranslateUi()
{
    gui::describe(m_toggle, QStringLiteral("savedToggle"), tr("Saved messages"),
        tr("Show or hide the saved messages and the variables (Ctrl+B)"));
    m_toggle->setText(tr("Saved"));
}

} // namespace wst
