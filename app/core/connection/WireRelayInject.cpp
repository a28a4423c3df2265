// Hand-made frames: WireRelay's injection entry point, apart from the relay's frame pipeline.
#include "WireRelay.h"

#include <QTcpSocket>
#include <QTimer>

namespace wst {

void WireRelay::inject(const FrameBuilder::Plan &plan)
{
    for (qsizetype i = 0; i < plan.chunks.size(); ++i) {
        const FrameBuilder::Chunk &chunk = plan.chunks.at(i);
        InjectChunk c;
        c.bytes = chunk.bytes;
        c.delayMs = chunk.delayMs;
        if (chunk.frame >= 0 && chunk.frame < plan.frames.size())
            c.frame = plan.frames.at(chunk.frame).info;
        c.lastOfPlan = i == plan.chunks.size() - 1;
        m_injectQueue.append(c);
    }
    if (plan.chunks.isEmpty()) {
        Q_EMIT injectionFinished(true);
        return;
    }
    if (!m_injecting)
        injectNext();
}

void WireRelay::injectNext()
{
    const bool connected = m_upgraded && m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState;
    if (!connected) {
        m_injecting = false;
        const bool hadPlan = !m_injectQueue.isEmpty();
        m_injectQueue.clear();
        if (hadPlan)
            Q_EMIT injectionFinished(false);
        fromClient();
        return;
    }
    if (!m_injecting && !m_clientFrames.atBoundary()) {
        // The QWebSocket is part-way through a frame: a frame written now would land inside it.
        QTimer::singleShot(1, this, &WireRelay::injectNext);
        return;
    }
    m_injecting = true;
    while (!m_injectQueue.isEmpty()) {
        InjectChunk chunk = m_injectQueue.takeFirst();
        if (chunk.frame)
            recordFrame(Direction::Out, *chunk.frame);
        m_upstream->write(chunk.bytes);
        if (chunk.lastOfPlan)
            Q_EMIT injectionFinished(true);
        if (!m_injectQueue.isEmpty() && m_injectQueue.first().delayMs > 0) {
            const int delay = std::exchange(m_injectQueue.first().delayMs, 0);
            m_upstream->flush();
            QTimer::singleShot(delay, Qt::PreciseTimer, this, &WireRelay::injectNext);
            return;
        }
    }
    m_injecting = false;
    if (!m_pending.isEmpty() || (m_downstream && m_downstream->bytesAvailable()))
        fromClient();
}

} // namespace wst
