#include "ProtocolComposer.h"

#include "GraphqlComposer.h"
#include "GraphqlSettingsEditor.h"
#include "MqttComposer.h"
#include "MqttSettingsEditor.h"
#include "SocketIoComposer.h"
#include "SocketIoSettingsEditor.h"
#include "StompComposer.h"
#include "StompSettingsEditor.h"

namespace wst {

ProtocolComposer *ProtocolComposer::create(ProtocolId id, QWidget *parent)
{
    switch (id) {
    case ProtocolId::GraphqlWs:
        return new GraphqlComposer(parent);
    case ProtocolId::SocketIo:
        return new SocketIoComposer(parent);
    case ProtocolId::Stomp:
        return new StompComposer(parent);
    case ProtocolId::Raw:
        break;
    case ProtocolId::Mqtt:
        return new MqttComposer(parent);
    }
    Q_UNUSED(parent);
    return nullptr;
}

void ProtocolComposer::setProtocolOptions(const ProtocolOptions &) { }

void ProtocolComposer::showReply(const ProtocolNotice &) { }

void ProtocolComposer::setConnected(bool) { }

void ProtocolComposer::showProblem(const QString &) { }

ProtocolSettingsEditor *ProtocolSettingsEditor::create(ProtocolId id, QWidget *parent)
{
    switch (id) {
    case ProtocolId::GraphqlWs:
        return new GraphqlSettingsEditor(parent);
    case ProtocolId::SocketIo:
        return new SocketIoSettingsEditor(parent);
    case ProtocolId::Stomp:
        return new StompSettingsEditor(parent);
    case ProtocolId::Raw:
        break;
    case ProtocolId::Mqtt:
        return new MqttSettingsEditor(parent);
    }
    Q_UNUSED(parent);
    return nullptr;
}

} // namespace wst
