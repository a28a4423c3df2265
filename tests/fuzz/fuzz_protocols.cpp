// Every protocol decoder (Socket.IO, GraphQL over WebSocket, STOMP, MQTT 3.1.1 and 5) on any
// payload, through the one interface the views use. The first byte chooses the protocol, its
// settings variant and the message's direction and kind; the rest is the payload. Whatever a
// decoder makes of it must also survive summary() and toJson().
#include "FuzzSupport.h"
#include "protocols/Protocol.h"

#include <QJsonObject>

#include <array>
#include <memory>

namespace {
std::array<std::shared_ptr<const wst::Protocol>, 8> makeProtocols()
{
    using namespace wst;
    auto make = [](ProtocolId id, QJsonObject params) {
        ProtocolOptions options;
        options.id = id;
        options.params = std::move(params);
        return Protocol::create(options);
    };
    return {
        make(ProtocolId::Raw, {}),
        make(ProtocolId::SocketIo, {}),
        make(ProtocolId::SocketIo, { { QStringLiteral("eio"), 3 } }),
        make(ProtocolId::GraphqlWs, {}),
        make(ProtocolId::GraphqlWs, { { QStringLiteral("subprotocol"), QStringLiteral("graphql-ws") } }),
        make(ProtocolId::Stomp, {}),
        make(ProtocolId::Mqtt, { { QStringLiteral("version"), 4 } }),
        make(ProtocolId::Mqtt, { { QStringLiteral("version"), 5 } }),
    };
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    static const auto protocols = makeProtocols();
    if (size == 0)
        return 0;
    const quint8 selector = data[0];
    const auto &protocol = protocols[selector % protocols.size()];
    const Direction direction = (selector & 0x10) ? Direction::Out : Direction::In;
    const Kind kind = (selector & 0x20) ? Kind::Binary : Kind::Text;
    const QByteArray payload(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const ProtocolMessage message = protocol->decode(direction, kind, payload);
    (void)message.summary();
    (void)protocol->toJson(message);
    return 0;
}
