#include "ProtocolServer.h"

#include "Protocol.h"

namespace wst {

ProtocolServerSink::~ProtocolServerSink() = default;

ProtocolServer::ProtocolServer(std::shared_ptr<const Protocol> protocol, ProtocolServerSink *sink)
    : m_protocol(std::move(protocol))
    , m_sink(sink)
{
}

ProtocolServer::~ProtocolServer() = default;

QString ProtocolServer::submit(quint32, const ProtocolCommand &command)
{
    return tr("This server cannot do \"%1\".").arg(command.verb);
}

} // namespace wst
