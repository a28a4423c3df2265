#pragma once

#include "ConnectionPage.h"
#include "compose/SavedMessage.h"
#include "compose/SessionEnvironment.h"
#include "connection/ClientConnection.h"
#include "format/DecoderSetting.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QSplitter;

namespace wst {

class ClientViews;
class DecoderDialog;
class PayloadCodec;
class ComposerWidget;
class ConnectionBar;
class FrameView;
class HandshakeInspector;
class HistoryPane;
class MessageLogModel;
class PeriodicSendBar;
class PeriodicSender;
class PingCloseBar;
class RequestOptionsWidget;
class SavedMessagesPanel;
class SavedMessagesSide;
class ProtocolPanel;
class SessionEnvironment;
class TlsErrorBanner;

// One client connection: the URL and its request options, the state, ping and close, the
// history beside the handshake inspector, and the composer. Everything the user types is checked here,
// inline, before the connection is asked to do anything.
class ClientTab : public ConnectionPage
{
    Q_OBJECT
public:
    explicit ClientTab(QWidget *parent = nullptr);
    ~ClientTab() override;

    ClientConnection *connection() const { return m_connection; }
    HistoryPane *historyPane() const override { return m_history; }
    ComposerWidget *composer() const { return m_composer; }
    RequestOptionsWidget *requestOptions() const { return m_request; }
    MessageLogModel *logModel() const override { return m_log; }
    HandshakeInspector *handshakeInspector() const { return m_inspector; }
    FrameView *frameView() const { return m_frames; }

    // Brings the handshake inspector to the front (Ctrl+I toggles it with the history).
    void showHandshake();
    void showHistory();
    void showFrames();
    bool isHandshakeShown() const;
    // "Reconnecting in 3 s (attempt 2)…" while an automatic reconnect is scheduled, else empty.
    QString reconnectCountdownText() const;

    QString urlText() const;
    void setUrlText(const QString &text);
    // The inline error under the URL field (empty when there is none).
    QString urlError() const;

    // Connects to the URL in the field. Returns false, with the reason shown inline, when the
    // URL or the request options are not usable; nothing is sent then.
    bool connectToServer();
    // Closes normally (1000) when open; cancels a connection attempt; aborts while closing.
    void disconnectFromServer();
    bool sendPing();
    bool sendClose();

    // "Open — subprotocol chat", "Closed — 1000 normal closure: bye", "Error — …".
    QString statusText() const override { return m_statusText; }
    QString countersText() const override;
    ClientConnection::State state() const { return m_connection->state(); }

    // The tab's title: the name the user gave it, or else the host of the URL.
    QString title() const override;
    QString customTitle() const override { return m_customTitle; }
    void setCustomTitle(const QString &title) override;

    QByteArray saveSplitterState() const override;
    void restoreSplitterState(const QByteArray &state) override;

    // This connection's saved messages (kept in the session file by whoever saves the session).
    SavedMessageList *savedMessages() const { return m_localSaved; }
    QJsonArray savedMessagesJson() const override;
    void setSavedMessagesJson(const QJsonArray &messages) override;
    // The list shared by every tab (the window's); until set, the tab has one of its own.
    void setGlobalSavedMessages(SavedMessageList *messages);
    SavedMessageList *globalSavedMessages() const { return m_globalSaved; }
    // The variables messages are filled from (the window's); until set, the tab has its own.
    void setEnvironment(SessionEnvironment *environment);
    SessionEnvironment *environment() const { return m_environment; }

    SavedMessagesPanel *savedPanel() const { return m_savedPanel; }
    bool isSavedPanelVisible() const;
    void setSavedPanelVisible(bool visible);
    // Sends a saved message with its variables filled. When it cannot be sent (not open, an
    // undefined variable, bad hex…) nothing is sent and the panel says why.
    bool sendSavedMessage(const SavedMessage &message);
    // Asks for a name (through Dialogs) and saves the composer's message in this connection's
    // list or in the global one. Returns false when cancelled or when there is nothing to save.
    bool saveComposerMessage(bool global);

    // How binary payloads are read in the message details ("Decoder…"), saved with the tab.
    DecoderSetting decoder() const { return m_decoder; }
    std::shared_ptr<const PayloadCodec> codec() const { return m_codec; }
    // Keeps the setting; when it cannot be used (a .proto file missing, an unknown type) the
    // messages are shown undecoded, *error says why and false is returned.
    bool setDecoder(const DecoderSetting &setting, QString *error = nullptr);
    // Opens the decoder dialog (window-modal, not blocking); OK sets the decoder.
    DecoderDialog *editDecoder();

    PeriodicSender *periodicSender() const { return m_periodic; }
    PeriodicSendBar *periodicBar() const { return m_periodicBar; }

    // The URL as typed and the request options, in the ClientSettingsJson format.
    QJsonObject settingsJson() const override;
    // Fills the URL and the request options. On a problem sets *error (and applies what it could).
    bool setSettingsJson(const QJsonObject &settings, QString *error = nullptr) override;
    // Saves the settings and saved messages to the collection entry the tab came from, or asks
    // for a name (through Dialogs; the tab's title by default) and keeps them as a new entry.
    bool saveToCollection();

    // While a reopened session's history is read back from the file: the tab cannot connect
    // yet (the history is being written into its store) and says so.
    void setHistoryLoading(bool loading) override;
    bool isHistoryLoading() const override { return m_historyLoading; }
    // A note above the history about where it comes from (a reopened or imported session);
    // empty hides it.
    void setOriginNote(const QString &note) override;
    QString originNote() const;

    // ConnectionPage
    QString kind() const override;
    QString renamePrompt() const override;
    QString resetTitleText() const override;
    ClientConnection::State indicator() const override;
    QString address() const override;
    QString tabToolTip() const override;
    std::shared_ptr<MessageStore> store() const override;
    ClientConnection *clientConnection() const override { return m_connection; }

protected:
    bool startClose() override;
    // Its texts, all computed from its state: set after the children's (ConnectionPage).
    void retranslateState() override;

Q_SIGNALS:
    // titleChanged(), statusChanged() (statusText() or countersText()) and
    // savedMessagesChanged() are ConnectionPage's.
    void stateChanged(wst::ClientConnection::State state);
    // setDecoder() changed the setting (the collection entry may differ now).
    void decoderChanged();

private:
    void buildUi();
    void onStateChanged(ClientConnection::State state);
    void onPong(qint64 rttUs, const QByteArray &payload);
    void updateStatusText();
    void updateControls();
    void updateTitle();
    void ignoreSslErrorsAndReconnect();
    void resend(wst::Kind kind, const QByteArray &payload);
    void onHandshakeChanged();
    void toggleHandshake();
    void updateReconnectCountdown();
    void buildSavedPanel();
    void readDecoderJson(const QJsonObject &settings, QString *problem);

    ClientConnection *m_connection = nullptr;
    MessageLogModel *m_log = nullptr;

    ConnectionBar *m_bar = nullptr;
    RequestOptionsWidget *m_request = nullptr;
    TlsErrorBanner *m_tlsBanner = nullptr;
    PingCloseBar *m_pingClose = nullptr;

    QSplitter *m_splitter = nullptr;
    ClientViews *m_views = nullptr; // the history, the handshake inspector and the frames
    HistoryPane *m_history = nullptr;
    HandshakeInspector *m_inspector = nullptr;
    FrameView *m_frames = nullptr;
    ComposerWidget *m_composer = nullptr;
    ProtocolPanel *m_protocolPanel = nullptr; // above the composer while a protocol is chosen
    SavedMessagesSide *m_saved = nullptr; // the history and composer beside the saved panel
    SavedMessagesPanel *m_savedPanel = nullptr;
    SavedMessageList *m_localSaved = nullptr;
    QPointer<SavedMessageList> m_globalSaved;
    QPointer<SessionEnvironment> m_environment;
    PeriodicSender *m_periodic = nullptr;
    PeriodicSendBar *m_periodicBar = nullptr;
    bool m_ignoreAllSslErrors = false;
    bool m_historyLoading = false;
    QLabel *m_originNote = nullptr;

    QString m_statusText;
    QString m_customTitle;
    QString m_autoTitle;
    QString m_connectingUrl; // the URL of the current attempt, remembered once it opens
    ConnectionOptions m_lastOptions;
    DecoderSetting m_decoder;
    std::shared_ptr<const PayloadCodec> m_codec;
};

} // namespace wst
