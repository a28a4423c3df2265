#include "ProtocolComposer.h"

#include "GraphqlComposer.h"
#include "GraphqlSettingsEditor.h"
#include "SocketIoComposer.h"
#include "SocketIoSettingsEditor.h"

namespace wst {

ProtocolComposer *ProtocolComposer::create(ProtocolId id, QWidget *parent)
{
    switch (id) {
    case ProtocolId::GraphqlWs:
        return new GraphqlComposer(parent);
    case ProtocolId::SocketIo:
        return new SocketIoComposer(parent);
    case ProtocolId::Raw:
    case ProtocolId::Stomp:
    case ProtocolId::Mqtt:
        break;
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
    case ProtocolId::Raw:
    case ProtocolId::Stomp:
    case ProtocolId::Mqtt:
        break;
    }
    Q_UNUSED(parent);
    return nullptr;
}

} // namespace wst
