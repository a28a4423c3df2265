#pragma once

#include "connection/ClientConnection.h"

#include <QWidget>

class QComboBox;
class QFrame;
class QLabel;
class QPushButton;
class QTimer;
class QToolButton;

namespace wst {

class FoldingPanelArea;
class RequestOptionsWidget;

// The top of a client tab: the URL with its recent list and Connect (Cancel, Disconnect, Abort),
// the state line (with "Show response" after a refused handshake and the countdown of an
// automatic reconnect), and the request options folded under a toggle. It says what the user
// asked for through signals; the tab decides what to do with the connection.
class ConnectionBar : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    QString urlText() const;
    void setUrlText(const QString &text);
    QString urlError() const;
    // The inline error under the URL (empty hides it).
    void setUrlError(const QString &error);
    // The URL field gets the focus (Ctrl+L also selects its text).
    void focusUrl(Qt::FocusReason reason, bool selectAll = false);
    QComboBox *urlCombo() const { return m_urlCombo; }
    QPushButton *connectButton() const { return m_connectButton; }

    RequestOptionsWidget *requestOptions() const { return m_request; }
    void setRequestExpanded(bool expanded);

    // The state line: the status text and the state's dot and colour.
    void setStatus(const QString &text, ClientConnection::State state);
    // The open connection's certificate errors that the user chose to ignore: a warning sign on
    // the state line whose tooltip names them, as browsers show; empty hides it.
    void setIgnoredCertificateErrors(const QStringList &errors);
    // The Connect button for this state, and the request toggle's summary.
    void updateControls(ClientConnection::State state, bool historyLoading);
    // After a failed handshake: a link to the response (answered) or to the details.
    void setResponseLink(bool failed, bool answered);
    // An automatic reconnect due at atMs (ms since the epoch; 0: none): "Reconnecting in 3 s
    // (attempt 2)…", counted down once a second, with its Cancel button.
    void setReconnect(qint64 atMs, int attempt);
    QString reconnectCountdownText() const;

Q_SIGNALS:
    // Enter in the URL field.
    void connectRequested();
    // The Connect / Cancel / Disconnect / Abort button.
    void connectButtonClicked();
    void urlTextChanged();
    void requestChanged();
    void saveToCollectionRequested();
    void showResponseRequested();
    void cancelReconnectRequested();

private:
    void reloadRecentUrls();
    void updateReconnectCountdown();

    QComboBox *m_urlCombo = nullptr;
    QPushButton *m_connectButton = nullptr;
    QToolButton *m_requestToggle = nullptr;
    QLabel *m_urlError = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_certificateIgnoredIcon = nullptr;
    QPushButton *m_showResponseButton = nullptr;
    QLabel *m_reconnectCountdown = nullptr;
    QPushButton *m_cancelReconnectButton = nullptr;
    QTimer *m_countdownTimer = nullptr;
    qint64 m_reconnectAtMs = 0;
    int m_reconnectAttempt = 0;
    // What updateControls() and setResponseLink() were last told, for a change of language.
    ClientConnection::State m_state = ClientConnection::State::Idle;
    bool m_historyLoading = false;
    bool m_responseAnswered = true;
    QFrame *m_requestPanel = nullptr;
    FoldingPanelArea *m_requestScroll = nullptr;
    RequestOptionsWidget *m_request = nullptr;
    QPushButton *m_saveToCollectionButton = nullptr;
};

} // namespace wst
