#pragma once

#include "protocols/ProtocolCommand.h"
#include "protocols/ProtocolOptions.h"

#include <QWidget>

namespace wst {

// The composer of one protocol (Socket.IO emit, GraphQL subscribe, STOMP send, MQTT publish):
// shown in a client tab whose protocol is not Raw, beside the raw composer. It builds commands;
// the tab submits them to the connection. Texts in retranslateUi() (called from the
// constructor and on QEvent::LanguageChange).
class ProtocolComposer : public QWidget
{
    Q_OBJECT
public:
    // Null for Raw.
    static ProtocolComposer *create(ProtocolId id, QWidget *parent);

    using QWidget::QWidget;
    // The connection's protocol options changed (e.g. the MQTT version): adapt the fields.
    virtual void setProtocolOptions(const ProtocolOptions &options);
    // A reply to a command of this composer arrived (Socket.IO ack, STOMP RECEIPT, PUBACK):
    // show it near the control that sent it.
    virtual void showReply(const ProtocolNotice &notice);
    // Whether the connection can take commands now (buttons say "queued until ready" otherwise).
    virtual void setConnected(bool open);
    // A one-line message from the connection about the last command (refused: why).
    virtual void showProblem(const QString &problem);

Q_SIGNALS:
    void commandRequested(const wst::ProtocolCommand &command);
};

// The protocol's connection settings (namespace and auth; connection payload; login and
// heart-beats; client id, keep-alive and will), shown in the request options when the protocol
// is chosen. Null for Raw.
class ProtocolSettingsEditor : public QWidget
{
    Q_OBJECT
public:
    static ProtocolSettingsEditor *create(ProtocolId id, QWidget *parent);

    using QWidget::QWidget;
    virtual void setParams(const QJsonObject &params) = 0;
    virtual QJsonObject params() const = 0;

Q_SIGNALS:
    void edited();
};

} // namespace wst
