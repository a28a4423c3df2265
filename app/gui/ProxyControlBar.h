#pragma once

#include "connection/ClientConnection.h"
#include "proxy/ProxyOptions.h"

#include <QUrl>
#include <QWidget>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace wst {

class FoldingPanelArea;
class ProxySettingsWidget;

// The top of a proxy tab: the mode (reverse or explicit HTTP proxy), where to listen, the
// upstream URL, Start and Stop, the settings folded under a toggle, the inline error, and the
// state line with what to point the app at (a ws:// URL, or `--proxy-server=http://…`) and Copy.
class ProxyControlBar : public QWidget
{
    Q_OBJECT
public:
    explicit ProxyControlBar(QWidget *parent = nullptr);

    ProxySettingsWidget *settingsWidget() const { return m_settings; }
    QComboBox *modeCombo() const { return m_modeCombo; }
    QComboBox *addressCombo() const { return m_addressCombo; }
    QSpinBox *portSpin() const { return m_portSpin; }
    QLineEdit *upstreamEdit() const { return m_upstreamEdit; }
    QPushButton *startButton() const { return m_startButton; }
    QPushButton *stopButton() const { return m_stopButton; }

    void setOptions(const ProxyOptions &options);
    // The options shown, and what makes them unusable ("" when they can be used).
    QString problem(ProxyOptions *options) const;

    void setError(const QString &error, QWidget *field = nullptr);
    QString errorText() const;
    void setSettingsExpanded(bool expanded);

    // The state line: its words and dot, and what the app is pointed at ("" while stopped).
    void setState(const QString &text, ClientConnection::State icon, const QString &pointAt);
    QString pointAtText() const { return m_pointAt; }
    void setControls(bool editable, bool canStart, bool listening, bool canOpenClient);

    // What to give the app, for a proxy listening at `url` in `mode`.
    static QString pointAt(ProxyOptions::Mode mode, const QUrl &url);

Q_SIGNALS:
    void startRequested();
    void stopRequested();
    void openClientRequested();
    void optionsEdited();
    void makeCertificateRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateModeFields();
    void copyPointAt();

    QComboBox *m_modeCombo = nullptr;
    QComboBox *m_addressCombo = nullptr;
    QSpinBox *m_portSpin = nullptr;
    QLabel *m_upstreamLabel = nullptr;
    QLineEdit *m_upstreamEdit = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    QToolButton *m_settingsToggle = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_pointAtLabel = nullptr;
    QToolButton *m_copyButton = nullptr;
    QPushButton *m_openClientButton = nullptr;
    QFrame *m_settingsPanel = nullptr;
    FoldingPanelArea *m_settingsArea = nullptr;
    ProxySettingsWidget *m_settings = nullptr;
    QString m_pointAt;
};

} // namespace wst
