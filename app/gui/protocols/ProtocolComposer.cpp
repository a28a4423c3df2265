#include "ProtocolComposer.h"

#include "GraphqlComposer.h"
#include "GraphqlSettingsEditor.h"
#include "StompComposer.h"
#include "StompSettingsEditor.h"

namespace wst {

ProtocolComposer *ProtocolComposer::create(ProtocolId id, QWidget *parent)
{
    switch (id) {
    case ProtocolId::Stomp:
        return new StompComposer(parent);
    case ProtocolId::GraphqlWs:
        return new GraphqlComposer(parent);
    case ProtocolId::Raw:
    case ProtocolId::SocketIo:
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
    case ProtocolId::Stomp:
        return new StompSettingsEditor(parent);
    case ProtocolId::GraphqlWs:
        return new GraphqlSettingsEditor(parent);
    case ProtocolId::Raw:
    case ProtocolId::SocketIo:
    case ProtocolId::Mqtt:
        break;
    }
    Q_UNUSED(parent);
    return nullptr;
}

} // namespace wst
