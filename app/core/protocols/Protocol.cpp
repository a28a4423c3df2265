#include "Protocol.h"

#include "ProtocolClient.h"
#include "ProtocolServer.h"
#include "connection/ConnectionOptions.h"
#include "graphql/GraphqlWsProtocol.h"
#include "mqtt/MqttProtocol.h"
#include "socketio/SocketIoProtocol.h"
#include "stomp/StompProtocol.h"

namespace wst {

namespace {
class RawProtocol final : public Protocol
{
public:
    explicit RawProtocol(const ProtocolOptions &options)
        : Protocol(options)
    {
    }
};
} // namespace

Protocol::Protocol(const ProtocolOptions &options)
    : m_options(options)
{
}

Protocol::~Protocol() = default;

std::shared_ptr<const Protocol> Protocol::create(const ProtocolOptions &options)
{
    switch (options.id) {
    case ProtocolId::GraphqlWs:
        return std::make_shared<GraphqlWsProtocol>(options);
    case ProtocolId::SocketIo:
        return std::make_shared<SocketIoProtocol>(options);
    case ProtocolId::Stomp:
        return std::make_shared<StompProtocol>(options);
    case ProtocolId::Raw:
        break;
    case ProtocolId::Mqtt:
        return std::make_shared<MqttProtocol>(options);
    }
    ProtocolOptions raw;
    return std::make_shared<RawProtocol>(options.isRaw() ? options : raw);
}

void Protocol::prepare(ConnectionOptions &) const { }

ProtocolMessage Protocol::decode(Direction, Kind, const QByteArray &) const
{
    return {};
}

QJsonObject Protocol::toJson(const ProtocolMessage &message) const
{
    return message.toJson();
}

std::unique_ptr<ProtocolClient> Protocol::createClient(ProtocolClientSink *) const
{
    return nullptr;
}

std::unique_ptr<ProtocolServer> Protocol::createServer(ProtocolServerSink *) const
{
    return nullptr;
}

} // namespace wst
