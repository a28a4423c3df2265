#include "ProtocolClient.h"

#include "Protocol.h"

namespace wst {

ProtocolClientSink::~ProtocolClientSink() = default;

ProtocolClient::ProtocolClient(std::shared_ptr<const Protocol> protocol, ProtocolClientSink *sink)
    : m_protocol(std::move(protocol))
    , m_sink(sink)
{
}

ProtocolClient::~ProtocolClient() = default;

QString ProtocolClient::check(const ProtocolCommand &) const
{
    return {};
}

QString ProtocolClient::submit(const ProtocolCommand &command)
{
    if (const QString problem = check(command); !problem.isEmpty())
        return problem;
    if (!m_ready) {
        m_queue.append(command);
        return {};
    }
    return execute(command);
}

void ProtocolClient::setReady()
{
    if (m_ready)
        return;
    m_ready = true;
    ProtocolNotice ready;
    ready.type = ProtocolNotice::Type::Ready;
    m_sink->notice(ready);
    const QList<ProtocolCommand> queued = std::exchange(m_queue, {});
    for (const ProtocolCommand &command : queued) {
        if (const QString problem = execute(command); !problem.isEmpty())
            m_sink->note(Kind::Error, problem);
    }
}

} // namespace wst
