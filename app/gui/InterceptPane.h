#pragma once

#include "proxy/ProxyServer.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QToolButton;

namespace wst {

class BreakpointsEditor;
class FaultsEditor;
class ProxyHeldModel;

// A proxy's intercept: pause either way, the held messages with Forward, Edit & forward, Drop
// and Forward all, a new message injected into either way of a connection, and the
// breakpoints. It asks; the tab tells the proxy.
class InterceptPane : public QWidget
{
    Q_OBJECT
public:
    explicit InterceptPane(ProxyHeldModel *held, QWidget *parent = nullptr);

    QToolButton *pauseToServerButton() const { return m_pauseToServer; }
    QToolButton *pauseToClientButton() const { return m_pauseToClient; }
    QTableView *heldView() const { return m_heldView; }
    QPushButton *forwardButton() const { return m_forward; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *dropButton() const { return m_drop; }
    QPushButton *forwardAllButton() const { return m_forwardAll; }
    QComboBox *injectConnectionCombo() const { return m_injectConnection; }
    QComboBox *injectWayCombo() const { return m_injectWay; }
    QComboBox *injectKindCombo() const { return m_injectKind; }
    QLineEdit *injectEdit() const { return m_injectEdit; }
    QPushButton *injectButton() const { return m_inject; }
    BreakpointsEditor *breakpointsEditor() const { return m_breakpoints; }
    QTabWidget *tabs() const { return m_tabs; }

    // The open connections a message can be injected into (id and a label).
    void setConnections(const QList<ProxyServer::ConnectionInfo> &connections, quint32 selected);
    void setLive(bool live);
    void setPaused(ProxyServer::Way way, bool paused);
    // The held message selected in the list (0: none).
    quint64 selectedHeld() const;
    void selectHeld(quint64 id);

Q_SIGNALS:
    void pauseRequested(wst::ProxyServer::Way way, bool paused);
    void forwardRequested(quint64 heldId);
    void editRequested(quint64 heldId);
    void dropRequested(quint64 heldId);
    void forwardAllRequested();
    void injectRequested(
        quint32 connection, wst::ProxyServer::Way way, wst::Kind kind, const QByteArray &payload);
    void breakpointsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateButtons();
    void inject();

    ProxyHeldModel *m_heldModel = nullptr;
    QToolButton *m_pauseToServer = nullptr;
    QToolButton *m_pauseToClient = nullptr;
    QLabel *m_heldCount = nullptr;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_heldPage = nullptr;
    QTableView *m_heldView = nullptr;
    QPushButton *m_forward = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_drop = nullptr;
    QPushButton *m_forwardAll = nullptr;
    QWidget *m_injectPage = nullptr;
    QComboBox *m_injectConnection = nullptr;
    QComboBox *m_injectWay = nullptr;
    QComboBox *m_injectKind = nullptr;
    QLineEdit *m_injectEdit = nullptr;
    QPushButton *m_inject = nullptr;
    QLabel *m_injectError = nullptr;
    BreakpointsEditor *m_breakpoints = nullptr;
    bool m_live = false;
};

} // namespace wst
