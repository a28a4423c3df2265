#pragma once

#include "ConnectionPage.h"
#include "proxy/ProxyServer.h"

#include <QUrl>

class QLabel;
class QSplitter;
class QTabWidget;
class QTableView;

namespace wst {

class HandshakeInspector;
class HistoryPane;
class InterceptPane;
class MessageLogModel;
class ProxyConnectionModel;
class ProxyControlBar;
class ProxyHeldModel;

// An intercepting proxy in a tab: a real app on one side, a real server on the other. Its
// settings and Start/Stop with what to point the app at; the connections with both handshakes
// of the selected one (app ↔ proxy, proxy ↔ server); the history of every connection or of the
// selected one; and intercept: pause a way, forward, edit or drop held messages, inject, replay
// a recorded message, breakpoints. A reopened session shows its recorded connections.
class ProxyTab : public ConnectionPage
{
    Q_OBJECT
public:
    explicit ProxyTab(QWidget *parent = nullptr);
    ~ProxyTab() override;

    ProxyServer *proxy() const { return m_proxy; }
    ProxyControlBar *controlBar() const { return m_controlBar; }
    InterceptPane *interceptPane() const { return m_intercept; }
    ProxyConnectionModel *connectionModel() const { return m_connections; }
    ProxyHeldModel *heldModel() const { return m_held; }
    QTableView *connectionView() const { return m_connectionView; }
    HandshakeInspector *downstreamInspector() const { return m_downstreamInspector; }
    HandshakeInspector *upstreamInspector() const { return m_upstreamInspector; }

    void setOptions(const ProxyOptions &options);
    ProxyOptions options() const;
    // Starts with the settings shown; false, with the reason shown inline, when they are not usable.
    bool start();
    void stop();

    quint32 selectedConnection() const { return m_selected; }
    void selectConnection(quint32 id);
    // Opens "Edit & forward" for a held message (a dialog of its own, not modal to the window).
    void editHeld(quint64 heldId);
    // Injects the recorded message of that store row again into the way it travelled.
    bool replay(qint64 storeIndex);
    // "Make certificate…": the dialog, shown; its result fills the certificate fields.
    void makeCertificate();
    QString errorText() const;

    // ConnectionPage
    QString kind() const override;
    QString title() const override;
    QString customTitle() const override { return m_customTitle; }
    void setCustomTitle(const QString &title) override;
    QString renamePrompt() const override;
    QString resetTitleText() const override;
    ClientConnection::State indicator() const override;
    QString statusText() const override { return m_statusText; }
    QString address() const override;
    HistoryPane *historyPane() const override { return m_history; }
    MessageLogModel *logModel() const override { return m_log; }
    std::shared_ptr<MessageStore> store() const override;
    ProxyServer *proxyServer() const override { return m_proxy; }
    void restoreHandshakes(const QList<SessionHandshake> &handshakes) override;
    QJsonObject settingsJson() const override;
    bool setSettingsJson(const QJsonObject &settings, QString *error = nullptr) override;
    void setHistoryLoading(bool loading) override;
    bool isHistoryLoading() const override { return m_historyLoading; }
    void setOriginNote(const QString &note) override;

Q_SIGNALS:
    // The user asked for a client tab connected through the proxy.
    void openClientRequested(const QUrl &url);

protected:
    bool startClose() override;
    void retranslateUi() override;
    void retranslateState() override;

private:
    void buildUi();
    void wire();
    void onStateChanged(ProxyServer::State state);
    void onConnectionsChanged();
    void onSelectedRowChanged();
    void showHandshakes();
    void updateHistoryFilter();
    void updateStatus();
    void updateControls();
    void revalidate();
    void applyBreakpoints();

    ProxyServer *m_proxy = nullptr;
    MessageLogModel *m_log = nullptr;
    ProxyConnectionModel *m_connections = nullptr;
    ProxyHeldModel *m_held = nullptr;

    ProxyControlBar *m_controlBar = nullptr;
    QLabel *m_originNote = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QLabel *m_connectionsTitle = nullptr;
    QTableView *m_connectionView = nullptr;
    QTabWidget *m_handshakeTabs = nullptr;
    HandshakeInspector *m_downstreamInspector = nullptr;
    HandshakeInspector *m_upstreamInspector = nullptr;
    HistoryPane *m_history = nullptr;
    InterceptPane *m_intercept = nullptr;

    quint32 m_selected = 0;
    QString m_statusText;
    QString m_title;
    QString m_customTitle;
    bool m_historyLoading = false;
    bool m_startAttempted = false;
    bool m_starting = false;
    bool m_stopping = false;
};

} // namespace wst
