#pragma once

#include "connection/ClientConnection.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

#include <memory>

namespace wst {

class HistoryPane;
class LocalServer;
class MessageLogModel;
class MessageStore;
class ProxyServer;
struct SessionHandshake;

// What the window, its tab widget and the session binder know of a tab: a client connection
// or a local server. Only the code that creates tabs knows the concrete kinds.
class ConnectionPage : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionPage(QWidget *parent = nullptr);
    ~ConnectionPage() override;

    // "client", "server" or "proxy", as session files name the kinds.
    virtual QString kind() const = 0;

    // The title shown on the tab: the name the user gave it, or else the page's own.
    virtual QString title() const = 0;
    virtual QString customTitle() const = 0;
    // An empty name goes back to the page's own title.
    virtual void setCustomTitle(const QString &title) = 0;
    // The rename dialog's prompt: what an empty name goes back to.
    virtual QString renamePrompt() const = 0;
    // The menu entry that clears the name ("Use the URL's Host as Name").
    virtual QString resetTitleText() const = 0;

    // What the tab icon shows (a server that listens is Open).
    virtual ClientConnection::State indicator() const = 0;
    virtual QString statusText() const = 0;
    virtual QString countersText() const { return {}; }
    // The URL the page is about: the one typed, or the one a server listens on ("" if none).
    virtual QString address() const = 0;
    // "host — Open" on the tab's tooltip.
    virtual QString tabToolTip() const;

    virtual HistoryPane *historyPane() const = 0;
    virtual MessageLogModel *logModel() const = 0;
    virtual std::shared_ptr<MessageStore> store() const = 0;
    // The live object a session records: one of them, the others nullptr.
    virtual ClientConnection *clientConnection() const { return nullptr; }
    virtual LocalServer *localServer() const { return nullptr; }
    virtual ProxyServer *proxyServer() const { return nullptr; }
    // A reopened session's handshakes of this tab (pages that show them per connection).
    virtual void restoreHandshakes(const QList<SessionHandshake> &) { }

    // The settings as session files keep them (ClientSettingsJson, ServerSettingsJson).
    virtual QJsonObject settingsJson() const = 0;
    // On a problem sets *error (and applies what it could).
    virtual bool setSettingsJson(const QJsonObject &settings, QString *error = nullptr) = 0;
    // Saved messages of this page (a client's own list); empty for pages without one.
    virtual QJsonArray savedMessagesJson() const { return {}; }
    virtual void setSavedMessagesJson(const QJsonArray &) { }

    // While a reopened session's history is read back the page cannot connect or start.
    virtual void setHistoryLoading(bool loading) = 0;
    virtual bool isHistoryLoading() const = 0;
    // A note above the history about where it comes from; empty hides it.
    virtual void setOriginNote(const QString &) { }
    virtual QByteArray saveSplitterState() const { return {}; }
    virtual void restoreSplitterState(const QByteArray &) { }

    // Closes without losing the peer's view of it: a client sends Close 1000 "tab closed", a
    // server stops (1001 to every client). closeFinished() follows once the close handshakes
    // are over, or after a grace period, or at once when there is nothing to close.
    void closeGracefully();
    bool isClosing() const { return m_closing; }

Q_SIGNALS:
    // title() changed.
    void titleChanged();
    // statusText() or countersText() changed.
    void statusChanged();
    // indicator() changed.
    void indicatorChanged(wst::ClientConnection::State state);
    // This page's saved messages changed.
    void savedMessagesChanged();
    void closeFinished();

protected:
    // Starts closing; false when there is nothing to wait for. Call finishClose() when done.
    virtual bool startClose() = 0;
    void finishClose();
    // On LanguageChange: retranslateUi() at once, then, once the page's children have
    // retranslated themselves, retranslateState().
    void changeEvent(QEvent *event) override;
    // The page's fixed texts, in the language now installed.
    virtual void retranslateUi() { }
    // The texts computed from the page's state (its status, title, controls), again.
    virtual void retranslateState() { }

private:
    void checkIndicator();

    ClientConnection::State m_indicator = ClientConnection::State::Idle;
    bool m_closing = false;
    bool m_closeFinished = false;
};

} // namespace wst
