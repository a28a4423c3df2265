#pragma once

#include "ProtocolComposer.h"
#include "protocols/ProtocolCommand.h"
#include "protocols/ProtocolOptions.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QScrollArea;
class QTreeWidget;

namespace wst {

class ClientConnection;
class MessageLogModel;

// A client tab's protocol controls, above the raw composer while the tab speaks a protocol:
// the protocol's composer (emit, subscribe, publish, ...), the operations the user can stop
// (subscriptions) and the protocol session's state. Hidden for Raw.
class ProtocolPanel : public QWidget
{
    Q_OBJECT
public:
    // The history model reads its messages as the connection's protocol (as chosen in the
    // request options while not connected, as connected with once connected).
    ProtocolPanel(ClientConnection *connection, MessageLogModel *log, QWidget *parent = nullptr);

    // The protocol chosen in the request options (before or after connecting).
    void setProtocolOptions(const ProtocolOptions &options);
    ProtocolComposer *composer() const { return m_composer; }
    QTreeWidget *operations() const { return m_operations; }
    QString stateText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateState();
    void updateOperations();
    void stop(const QString &id);

    void updateLogProtocol();

    ClientConnection *m_connection;
    MessageLogModel *m_log;
    ProtocolOptions m_options;
    QPointer<ProtocolComposer> m_composer;
    QLabel *m_title = nullptr;
    QLabel *m_state = nullptr;
    QTreeWidget *m_operations = nullptr;
    QScrollArea *m_scroll = nullptr; // holds the composer
};

} // namespace wst
