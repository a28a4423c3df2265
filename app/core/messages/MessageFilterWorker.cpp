// MessageFilterModel's scan off the GUI thread: a new filter over many rows is tested by workers
// (MessageFilterModel.cpp tests the rest in slices on the GUI thread).
#include "MessageDocument.h"
#include "MessageFilterMatcher.h"
#include "WorkerPool.h"

#include <QElapsedTimer>
#include <QThread>
#include <QThreadPool>

namespace wst {

bool MessageFilterModel::canScanOnWorker() const
{
    return m_log && m_sortColumn < 0 && m_field.isEmpty() && !(m_hideKeepAlives && m_log->hasProtocol())
        && !(m_matcher->json && m_log->hasBinaryDecoder());
}

int MessageFilterModel::workerPartsFor(qint64 rows, int rowsPerPart)
{
    // The parts read the store (and a session file, through a connection each) in parallel; the
    // view gets the rows in order: a later part's rows wait until the parts before it are done.
    const int cores = qBound(1, QThread::idealThreadCount(), 4);
    return int(qBound(qint64(1), rows / qMax(rowsPerPart, 1), qint64(cores)));
}

void MessageFilterModel::startWorkerScan()
{
    const int generation = ++m_workerGeneration;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_workerCancel = cancel;
    m_workerRunning = true;
    m_workerEnd = m_passCount;
    m_scanNext = m_passCount; // the slices go on from here once the worker is done
    m_workerTested = 0;
    const std::shared_ptr<const MessageStore> store = m_log->sharedStore();
    const qint64 base = m_log->storeIndex(0);
    const qint64 rows = m_log->storeIndex(m_passCount - 1) - base + 1;
    const int parts = workerPartsFor(rows, workerScanRows());
    m_workerParts = QList<WorkerPart>(parts);
    m_workerPart = 0;
    for (int part = 0; part < parts; ++part) {
        const qint64 first = base + rows * part / parts;
        const qint64 last = base + rows * (part + 1) / parts - 1;
        // The worker's own copy; the expression compiled apart from the one the GUI thread matches with.
        Matcher matcher = *m_matcher;
        matcher.expression = QRegularExpression(m_expression.pattern(), m_expression.patternOptions());
        workerPool()->start([store, base, first, last, cancel, link = m_workerLink, generation, part,
                                matcher = std::move(matcher)] {
            QList<int> batch;
            qint64 tested = 0;
            QElapsedTimer clock;
            clock.start();
            const auto post = [&](bool finished) {
                const QMutexLocker lock(&link->mutex);
                if (!link->target || cancel->load(std::memory_order_relaxed))
                    return;
                MessageFilterModel *target = link->target;
                QMetaObject::invokeMethod(
                    target,
                    [target, generation, part, rows = std::move(batch), finished, tested]() mutable {
                        target->onWorkerBatch(generation, part, std::move(rows), finished, tested);
                    },
                    Qt::QueuedConnection);
                batch = {};
            };
            store->scanPayloads(first, last, [&](qint64 si, QByteArrayView bytes) {
                if (cancel->load(std::memory_order_relaxed))
                    return false;
                const MessageRow &row = store->row(si);
                ++tested;
                if (matcher.rowPasses(row)
                    && matcher.textPasses(
                        *store, si, row, bytes, [](const MessageRow &r, const QByteArray &payload) {
                            return MessageDocument::fromPayload(r.kind, payload);
                        })) {
                    batch.append(int(si - base));
                }
                // What passed so far reaches the model every 50 ms.
                if ((tested & 255) == 0 && clock.elapsed() >= 50) {
                    post(false);
                    clock.restart();
                }
                return true;
            });
            post(true);
        });
    }
}

void MessageFilterModel::stopWorkerScan()
{
    if (m_workerCancel)
        m_workerCancel->store(true, std::memory_order_relaxed);
    m_workerCancel.reset();
    m_workerRunning = false;
    m_workerParts.clear();
    ++m_workerGeneration; // batches already posted are dropped
}

void MessageFilterModel::appendWorkerRows(const QList<int> &rows)
{
    if (rows.isEmpty())
        return;
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at + int(rows.size()) - 1);
    m_rows.append(rows);
    endInsertRows();
}

void MessageFilterModel::onWorkerBatch(
    int generation, int part, QList<int> rows, bool finished, qint64 tested)
{
    if (generation != m_workerGeneration || part >= m_workerParts.size())
        return;
    WorkerPart &p = m_workerParts[part];
    m_workerTested += tested - p.tested;
    p.tested = tested;
    p.finished = p.finished || finished;
    // The part being shown adds its rows at once; a later one keeps them until its turn.
    if (part == m_workerPart)
        appendWorkerRows(rows);
    else
        p.held.append(rows);
    while (m_workerPart < m_workerParts.size() && m_workerParts.at(m_workerPart).finished) {
        if (++m_workerPart < m_workerParts.size())
            appendWorkerRows(std::exchange(m_workerParts[m_workerPart].held, {}));
    }
    if (m_workerPart < m_workerParts.size())
        return;
    m_workerRunning = false;
    m_workerCancel.reset();
    m_workerParts.clear();
    scan(true); // the rows that came meanwhile, then scanningChanged(false)
}

} // namespace wst
