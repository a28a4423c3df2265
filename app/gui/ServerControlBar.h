#pragma once

#include "connection/ClientConnection.h"
#include "server/ServerOptions.h"

#include <QUrl>
#include <QWidget>

class QComboBox;
class QFrame;
class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace wst {

class FoldingPanelArea;
class ServerSettingsWidget;

// The top of a server tab: where to listen (address, port), how to behave, Start and Stop,
// the settings folded under a toggle, the inline error, and the state line with the URL, Copy
// URL and "Open client tab". It checks what is typed; the tab decides when the server starts.
class ServerControlBar : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ServerControlBar(QWidget *parent = nullptr);

    ServerSettingsWidget *settingsWidget() const { return m_settings; }
    QComboBox *addressCombo() const { return m_addressCombo; }
    QSpinBox *portSpin() const { return m_portSpin; }

    void setOptions(const ServerOptions &options);
    ServerOptions options() const;
    // The options shown in *options; what makes them unusable, or empty.
    QString problem(ServerOptions *options) const;

    // The inline error; the field (if any) carries it for screen readers.
    void setError(const QString &error, QWidget *field = nullptr);
    QString errorText() const;
    void setSettingsExpanded(bool expanded);

    // The state line: its words and dot, and the URL (empty while not listening).
    void setState(const QString &text, ClientConnection::State icon, const QUrl &url);
    // What can be done now: edit and start (when stopped), stop, copy and open a client.
    void setControls(bool editable, bool canStart, bool listening);

Q_SIGNALS:
    void startRequested();
    void stopRequested();
    void openClientRequested();
    // The user changed something that start() would use.
    void optionsEdited();

private:
    void updateAddressWarning();
    void copyUrl();

    QComboBox *m_addressCombo = nullptr;
    QSpinBox *m_portSpin = nullptr;
    QComboBox *m_behaviourCombo = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    QToolButton *m_settingsToggle = nullptr;
    QLabel *m_addressWarning = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_urlLabel = nullptr;
    QToolButton *m_copyUrlButton = nullptr;
    QPushButton *m_openClientButton = nullptr;
    QFrame *m_settingsPanel = nullptr;
    FoldingPanelArea *m_settingsArea = nullptr;
    ServerSettingsWidget *m_settings = nullptr;
    QUrl m_url;
};

} // namespace wst
