#pragma once

#include "compose/SavedMessage.h"

#include <QPointer>
#include <QSplitter>

#include <memory>

class QTabWidget;
class QToolButton;

namespace wst {

class ComposerWidget;
class SavedMessagesPanel;
class PayloadCodec;
class SessionEnvironment;

// The saved messages beside what a tab shows (its views and composer), hidden until asked for
// with the "Saved" toggle: loading a saved message into the composer, and saving the composer's
// message under a name, preparing one to send. Sending it is the tab's job (sendRequested).
class SavedMessagesSide : public QSplitter
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    // content: what the panel sits beside; toggleHost: the tab widget whose corner gets the
    // toggle; composer: where messages are saved from and loaded into.
    SavedMessagesSide(QWidget *content, QTabWidget *toggleHost, ComposerWidget *composer, QWidget *parent);

    SavedMessagesPanel *panel() const { return m_panel; }
    // This connection's list and the one shared by every tab (not owned).
    void setLists(SavedMessageList *local, SavedMessageList *global);
    void setEnvironment(SessionEnvironment *environment);
    // The tab's decoder, which "protobuf" messages are encoded with (null: none).
    void setCodec(std::shared_ptr<const PayloadCodec> codec) { m_codec = std::move(codec); }

    bool isPanelVisible() const;
    void setPanelVisible(bool visible);
    // Ctrl+B: shows or hides the panel; a shown panel gets the focus.
    void togglePanel();
    // Asks for a name (through Dialogs) and saves the composer's message in the local or the
    // global list. Returns false when cancelled or when there is nothing to save.
    bool saveComposerMessage(bool global);
    // The message as it goes out (variables substituted, encoded), or false with the reason
    // shown in the panel (not connected, an unknown variable, bad hex...).
    bool prepare(const SavedMessage &message, bool connected, bool *binary, QByteArray *payload);

Q_SIGNALS:
    void sendRequested(const wst::SavedMessage &message);
    void periodicRequested(const wst::SavedMessage &message);

private:
    ComposerWidget *m_composer = nullptr;
    SavedMessagesPanel *m_panel = nullptr;
    QToolButton *m_toggle = nullptr;
    QPointer<SavedMessageList> m_local;
    QPointer<SavedMessageList> m_global;
    QPointer<SessionEnvironment> m_environment;
    std::shared_ptr<const PayloadCodec> m_codec;
};

} // namespace wst
