#pragma once

#include "ConnectionPage.h"
#include "server/LocalServer.h"
#include "server/ServerOptions.h"

#include <QPointer>
#include <QUrl>
#include <QWidget>

class QCheckBox;
class QSplitter;

namespace wst {

class SessionEnvironment;

class ClientListModel;
class ClientListPane;
class ComposerWidget;
class HistoryPane;
class MessageLogModel;
class PingCloseBar;
class ServerControlBar;
class ServerSettingsWidget;

// A local WebSocket server in a tab: its settings, Start/Stop and the listening URL, the list
// of clients with each one's handshake request and history (or every client's together), and
// sending, pinging and kicking. Settings are checked here, inline, before the server is asked
// to start; what the server itself refuses (a port in use, a bad certificate) is shown as well.
class ServerTab : public ConnectionPage
{
    Q_OBJECT
public:
    explicit ServerTab(QWidget *parent = nullptr);
    ~ServerTab() override;

    LocalServer *server() const { return m_server; }
    ClientListModel *clientModel() const { return m_clients; }
    HistoryPane *historyPane() const override { return m_history; }
    ServerSettingsWidget *settingsWidget() const { return m_settings; }
    ComposerWidget *composer() const { return m_composer; }

    // The settings shown in the tab (used by the next start()).
    void setOptions(const ServerOptions &options);
    // {{name}} in the composer, and in replies, the greeting and the push (taken when started).
    void setEnvironment(SessionEnvironment *environment);
    ServerOptions options() const;

    // Starts the server with the settings shown. Returns false, with the reason shown inline,
    // when they are not usable; otherwise the state line follows the server.
    bool start();
    void stop();

    // While a reopened session's history is read back into the server's store, the server
    // cannot start.
    void setHistoryLoading(bool loading) override;
    bool isHistoryLoading() const override { return m_historyLoading; }

    // The client selected in the list (0: none, or "All clients").
    quint32 selectedClient() const { return m_selected; }
    void selectClient(quint32 id);

    // "Server :43817" while listening, otherwise "Local server".
    QString title() const override;
    // "Listening on ws://127.0.0.1:43817/ — 2 clients", "Stopped", "Error — …".
    QString statusText() const override { return m_statusText; }
    // The inline error (empty when none).
    QString errorText() const;

    // ConnectionPage
    QString kind() const override;
    QString customTitle() const override { return m_customTitle; }
    void setCustomTitle(const QString &title) override;
    QString renamePrompt() const override;
    QString resetTitleText() const override;
    ClientConnection::State indicator() const override;
    QString address() const override;
    MessageLogModel *logModel() const override { return m_log; }
    std::shared_ptr<MessageStore> store() const override;
    LocalServer *localServer() const override { return m_server; }
    QJsonObject settingsJson() const override;
    bool setSettingsJson(const QJsonObject &settings, QString *error = nullptr) override;

protected:
    bool startClose() override;
    void retranslateUi() override;
    void retranslateState() override;

Q_SIGNALS:
    // titleChanged() and statusChanged() are ConnectionPage's.
    // The user asked for a client tab connected to this server.
    void openClientRequested(const QUrl &url);

private:
    bool m_historyLoading = false;
    void buildUi();
    void onStateChanged(LocalServer::State state);
    void onClientsChanged();
    void onSelectedClientChanged(quint32 id);
    void updateHistoryFilter();
    void updateStatus();
    void updateControls();
    void revalidate();
    void setError(const QString &error, QWidget *field = nullptr);
    // The client a composed message goes to (0: every client).
    quint32 sendTarget() const;
    void pingClient();
    void kickClient();
    QUrl clientUrl() const;
    // After listening on "any free" port, puts the port it got in the port field.
    void keepPickedPort();
    // When that port is now taken by another program, asks whether to start on another free
    // port; true when it does.
    bool offerAnotherPort();

    LocalServer *m_server = nullptr;
    MessageLogModel *m_log = nullptr;
    ClientListModel *m_clients = nullptr;

    ServerControlBar *m_controlBar = nullptr;
    ServerSettingsWidget *m_settings = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    ClientListPane *m_clientPane = nullptr;
    PingCloseBar *m_kickBar = nullptr;
    HistoryPane *m_history = nullptr;
    ComposerWidget *m_composer = nullptr;
    QPointer<SessionEnvironment> m_environment;
    QCheckBox *m_sendToAll = nullptr;

    quint32 m_selected = 0;
    QString m_statusText;
    QString m_title;
    bool m_startAttempted = false;
    bool m_starting = false; // asked to start, not yet listening or failed
    bool m_stopping = false; // asked to stop, clients still closing
    bool m_portPicked = false; // the port field holds the port "any free" gave
    QString m_customTitle; // ConnectionPage: the name the user gave the tab
};

} // namespace wst
