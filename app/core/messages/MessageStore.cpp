#include "MessageStore.h"
#include "WorkerPool.h"

#include <QThreadPool>

#include <algorithm>

#include <chrono>
#include <cstring>
#include <mutex>
#include <sys/mman.h>

namespace wst {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

constexpr qint64 HugePage = qint64(2) << 20;

// Transparent huge pages for the arena (THP is in "madvise" mode on Debian: only memory that
// asks gets them). One fault maps 2 MiB instead of 4 KiB, which is what the store's first
// touches cost on a machine where faults are expensive. WST_STORE_HUGEPAGES=0 turns it off (to
// measure the difference).
bool useHugePages()
{
    static const bool on = qEnvironmentVariableIsEmpty("WST_STORE_HUGEPAGES")
        || qEnvironmentVariableIntValue("WST_STORE_HUGEPAGES") != 0;
    return on;
}

[[noreturn]] void outOfMemory(qint64 bytes)
{
    qFatal("wstester: out of memory mapping %lld bytes for the message history", qlonglong(bytes));
}

// `bytes` of zeroed memory, at a 2 MiB boundary when it is at least that big (so that huge
// pages can back it), released with munmap(p, bytes). `populate`: touched now (by the thread
// that prepares the spare), not by the writer later.
char *mapMemory(qint64 bytes, bool populate)
{
    if (!useHugePages() || bytes < HugePage) {
        int flags = MAP_PRIVATE | MAP_ANONYMOUS;
        if (populate)
            flags |= MAP_POPULATE;
        void *p = ::mmap(nullptr, size_t(bytes), PROT_READ | PROT_WRITE, flags, -1, 0);
        if (p == MAP_FAILED)
            outOfMemory(bytes);
        return static_cast<char *>(p);
    }
    // Map a huge page more than needed and trim both ends to the boundary.
    const qint64 mapped = bytes + HugePage;
    void *p = ::mmap(nullptr, size_t(mapped), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        outOfMemory(bytes);
    char *base = static_cast<char *>(p);
    char *aligned
        = reinterpret_cast<char *>((quintptr(base) + quintptr(HugePage - 1)) & ~quintptr(HugePage - 1));
    if (aligned > base)
        ::munmap(base, size_t(aligned - base));
    char *end = aligned + bytes;
    if (end < base + mapped)
        ::munmap(end, size_t(base + mapped - end));
    ::madvise(aligned, size_t(bytes), MADV_HUGEPAGE);
    if (populate) {
        for (qint64 at = 0; at < bytes; at += 4096)
            *static_cast<volatile char *>(aligned + at) = 0;
    }
    return aligned;
}

constexpr quint64 packLocation(qint64 chunk, qint64 offset)
{
    return (quint64(chunk) << 32) | quint64(offset);
}

constexpr qint64 BlockBytes = MessageStore::RowsPerBlock * qint64(sizeof(MessageRow));

// Single writer: a relaxed load and store instead of a locked fetch_add.
void bump(std::atomic<qint64> &counter, qint64 by)
{
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

} // namespace

struct MessageStore::Spare
{
    std::mutex mutex;
    char *chunk = nullptr;
    MessageRow *block = nullptr;
    bool abandoned = false;
};

MessageStore::MessageStore()
    : m_chunks(new char *[MaxChunks] {})
    , m_chunkSizes(new qint64[MaxChunks] {})
    , m_chunkLastRow(new qint64[MaxChunks])
    , m_spare(std::make_shared<Spare>())
{
}

MessageStore::~MessageStore()
{
    {
        std::lock_guard lock(m_spare->mutex);
        m_spare->abandoned = true;
        if (m_spare->chunk)
            ::munmap(m_spare->chunk, size_t(ChunkSize));
        if (m_spare->block)
            ::munmap(m_spare->block, size_t(BlockBytes));
        m_spare->chunk = nullptr;
        m_spare->block = nullptr;
    }
    for (qint64 i = 0; i < m_chunkCount; ++i) {
        if (!m_chunkFreed || !m_chunkFreed[i])
            ::munmap(m_chunks[i], size_t(m_chunkSizes[i]));
    }
    for (const std::vector<Retired> *list : { &m_retiring, &m_draining }) {
        for (const Retired &r : *list)
            ::munmap(r.memory, size_t(r.size));
    }
    for (MessageRow *block : m_blocks) {
        if (block)
            ::munmap(block, size_t(BlockBytes));
    }
}

void MessageStore::prepareSpare(bool block)
{
    (block ? m_spareBlockRequested : m_spareRequested) = true;
    std::shared_ptr<Spare> spare = m_spare;
    workerPool()->start([spare, block] {
        const qint64 bytes = block ? BlockBytes : ChunkSize;
        char *memory = mapMemory(bytes, true);
        std::lock_guard lock(spare->mutex);
        if (spare->abandoned || (block ? spare->block != nullptr : spare->chunk != nullptr))
            ::munmap(memory, size_t(bytes));
        else if (block)
            spare->block = reinterpret_cast<MessageRow *>(memory);
        else
            spare->chunk = memory;
    });
}

MessageRow *MessageStore::takeBlock()
{
    MessageRow *block = nullptr;
    {
        std::lock_guard lock(m_spare->mutex);
        block = std::exchange(m_spare->block, nullptr);
    }
    m_spareBlockRequested = false;
    // Fresh anonymous memory reads as zeros; rows are written before count() covers them.
    return block ? block : reinterpret_cast<MessageRow *>(mapMemory(BlockBytes, false));
}

char *MessageStore::takeChunk()
{
    char *chunk = nullptr;
    {
        std::lock_guard lock(m_spare->mutex);
        chunk = std::exchange(m_spare->chunk, nullptr);
    }
    m_spareRequested = false;
    if (!chunk)
        chunk = mapMemory(ChunkSize, false);
    return chunk;
}

char *MessageStore::reserve(qint64 bytes, quint64 *location)
{
    if (m_chunkCount >= MaxChunks - 1)
        qFatal("wstester: the message history is full");
    if (bytes > ChunkSize / 4) {
        // A large payload gets a mapping of its own; small ones keep filling the current chunk.
        const qint64 index = m_chunkCount++;
        const qint64 size = qMax<qint64>(bytes, 1);
        m_chunks[index] = mapMemory(size, false);
        m_chunkSizes[index] = size;
        m_memoryBytes.fetch_add(size, std::memory_order_relaxed);
        m_chunkBytes.fetch_add(size, std::memory_order_relaxed);
        *location = packLocation(index, 0);
        return m_chunks[index];
    }
    if (m_currentChunk < 0 || m_chunkUsed + bytes > ChunkSize) {
        const qint64 index = m_chunkCount++;
        m_chunks[index] = takeChunk();
        m_chunkSizes[index] = ChunkSize;
        m_currentChunk = index;
        m_chunkUsed = 0;
        m_memoryBytes.fetch_add(ChunkSize, std::memory_order_relaxed);
        m_chunkBytes.fetch_add(ChunkSize, std::memory_order_relaxed);
    }
    // Ask for the next chunk early: at once once a chunk has been filled (a flood gets a whole
    // chunk's time to prepare it), after a quarter of the first one (an idle connection never).
    if (!m_spareRequested && (m_chunkCount > 1 || m_chunkUsed + bytes > ChunkSize / 4))
        prepareSpare(false);
    *location = packLocation(m_currentChunk, m_chunkUsed);
    return m_chunks[m_currentChunk] + m_chunkUsed;
}

void MessageStore::commit(const MessageRow &row)
{
    const qint64 index = m_count.load(std::memory_order_relaxed);
    const qint64 block = index / RowsPerBlock;
    if (block >= MaxBlocks)
        qFatal("wstester: the message history is full");
    if (!m_blocks[block]) {
        m_blocks[block] = takeBlock();
        m_memoryBytes.fetch_add(BlockBytes, std::memory_order_relaxed);
    }
    const qint64 slot = index % RowsPerBlock;
    if (!m_spareBlockRequested && (slot == RowsPerBlock / 4 || (slot == 0 && block > 0))
        && block + 1 < MaxBlocks)
        prepareSpare(true);
    std::memcpy(&m_blocks[block][slot], &row, sizeof row);
    if (!(row.location & ExternalFlag))
        m_chunkLastRow[qint64(row.location >> 32)] = index;
    if (row.kind == Kind::Text || row.kind == Kind::Binary) {
        if (row.direction == Direction::In) {
            bump(m_messagesIn, 1);
            bump(m_bytesIn, row.size);
        } else if (row.direction == Direction::Out) {
            bump(m_messagesOut, 1);
            bump(m_bytesOut, row.size);
        }
    }
    m_count.store(index + 1, std::memory_order_release);
}

MessageRow MessageStore::newRow(Direction dir, Kind kind, qint64 timeUs, qint64 extra, quint32 connectionId)
{
    MessageRow row;
    row.timeUs = timeUs;
    row.extra = extra;
    row.connectionId = connectionId;
    row.direction = dir;
    row.kind = kind;
    return row;
}

qint64 MessageStore::appendTextLocked(
    Direction dir, Kind kind, QStringView text, qint64 timeUs, qint64 extra, quint32 connectionId)
{
    MessageRow row = newRow(dir, kind, timeUs, extra, connectionId);
    // Encode straight into the chunk: the worst case is 3 bytes per UTF-16 unit.
    const qint64 worst = m_encoder.requiredSpace(text.size());
    if (worst <= ChunkSize / 4) {
        char *out = reserve(worst, &row.location);
        char *end = m_encoder.appendToBuffer(out, text);
        row.size = quint32(end - out);
        m_chunkUsed += row.size;
    } else {
        const QByteArray utf8 = text.toUtf8();
        char *out = reserve(utf8.size(), &row.location);
        memcpy(out, utf8.constData(), size_t(utf8.size()));
        row.size = quint32(utf8.size());
        if (utf8.size() <= ChunkSize / 4)
            m_chunkUsed += row.size;
    }
    commit(row);
    return m_count.load(std::memory_order_relaxed) - 1;
}

qint64 MessageStore::appendBytesLocked(
    Direction dir, Kind kind, QByteArrayView bytes, qint64 timeUs, qint64 extra, quint32 connectionId)
{
    MessageRow row = newRow(dir, kind, timeUs, extra, connectionId);
    row.size = quint32(bytes.size());
    char *out = reserve(bytes.size(), &row.location);
    if (!bytes.isEmpty())
        memcpy(out, bytes.data(), size_t(bytes.size()));
    if (bytes.size() <= ChunkSize / 4)
        m_chunkUsed += bytes.size();
    commit(row);
    return m_count.load(std::memory_order_relaxed) - 1;
}

const MessageRow &MessageStore::row(qint64 index) const
{
    Q_ASSERT(index >= 0 && index < count());
    return m_blocks[index / RowsPerBlock][index % RowsPerBlock];
}

qint64 MessageStore::appendExternal(Direction dir, Kind kind, quint32 size, qint64 timeUs, qint64 extra,
    quint32 connectionId, quint64 reference)
{
    std::lock_guard lock(m_writeMutex);
    MessageRow row = newRow(dir, kind, timeUs, extra, connectionId);
    row.size = size;
    row.location = ExternalFlag | reference;
    commit(row);
    return m_count.load(std::memory_order_relaxed) - 1;
}

// How eviction keeps readers safe.
//
// Rows never move and are never freed; only a row's location changes, once, from "in chunk c at
// offset o" to "external" (in the file under a reference, or in the kept list). The evicting
// thread does that with a release store; readers load it with an acquire load. What must not
// happen is a reader copying bytes out of a chunk that was unmapped meanwhile: a reader may
// have loaded the old location just before the switch.
//
// Readers therefore touch chunk bytes only inside a ReadGuard, which counts them in one of two
// counters chosen by the parity of an epoch: enter = load the epoch, increment its parity's
// counter, check the epoch did not move (else undo and retry); leave = decrement. The evictor:
// (1) switches every row of a chunk to external; (2) queues the chunk; (3) increments the epoch
// (all seq_cst); (4) unmaps the queued chunks once it has seen the old parity's counter at zero
// after the increment, and only then may it increment the epoch again.
// - A reader counted in the old parity when the evictor saw zero had left already (its
//   decrement is ordered before that load), so its copy is done before the unmap.
// - A reader whose increment came after the evictor's zero check re-reads the epoch after its
//   increment and sees the new one (the increment precedes the check in the single seq_cst
//   order): it retries in the new parity. Having read the new epoch, it synchronises with the
//   evictor's increment, so the switches of step (1) happen before its location load: it sees
//   "external" and never touches the chunk.
// - The new parity's counter cannot hold a reader from two epochs back: the epoch moves again
//   only after the previous drain finished.
// The evictor never waits: a parity still busy is looked at again at its next pass (every
// commit of the session writer), so a reader holding a guard delays only the freeing of memory.
// Readers never wait either: entering is two atomic operations, and the chunk table, rows and
// the kept list are written before the release stores that make them reachable.

MessageStore::ReadGuard::ReadGuard(const MessageStore &store)
    : m_store(store)
    , m_slot(store.enterRead())
{
}

MessageStore::ReadGuard::~ReadGuard()
{
    m_store.leaveRead(m_slot);
}

int MessageStore::enterRead() const
{
    for (;;) {
        const quint64 epoch = m_epoch.load();
        const int slot = int(epoch & 1);
        m_readers[slot].fetch_add(1);
        if (m_epoch.load() == epoch)
            return slot;
        m_readers[slot].fetch_sub(1);
    }
}

void MessageStore::leaveRead(int slot) const
{
    m_readers[slot].fetch_sub(1);
}

quint64 MessageStore::location(qint64 index) const
{
    // The evictor changes a row's location while readers read it: an atomic access to the one field.
    auto &field = const_cast<quint64 &>(row(index).location);
    return std::atomic_ref<quint64>(field).load(std::memory_order_acquire);
}

bool MessageStore::isExternal(qint64 index) const
{
    return location(index) & ExternalFlag;
}

QByteArray MessageStore::readExternal(quint64 location, quint32 size) const
{
    if (location & KeptFlag) {
        const qint64 slot = qint64(location & ~(ExternalFlag | KeptFlag));
        return m_kept[slot / KeptSegment][slot % KeptSegment];
    }
    if (!m_payloadSource || size == 0)
        return {};
    return m_payloadSource->read(location & ~ExternalFlag, size);
}

QByteArray MessageStore::payload(qint64 index, const ReadGuard &) const
{
    const quint64 at = location(index);
    const quint32 size = row(index).size;
    if (at & ExternalFlag)
        return readExternal(at, size);
    return QByteArray::fromRawData(m_chunks[qint64(at >> 32)] + qint64(at & 0xffffffffu), size);
}

QByteArray MessageStore::payload(qint64 index) const
{
    const quint32 size = row(index).size;
    quint64 at = 0;
    {
        ReadGuard guard(*this);
        at = location(index);
        if (!(at & ExternalFlag))
            return QByteArray(m_chunks[qint64(at >> 32)] + qint64(at & 0xffffffffu), size);
    }
    return readExternal(at, size);
}

void MessageStore::scanPayloads(
    qint64 first, qint64 last, const std::function<bool(qint64, QByteArrayView)> &visit) const
{
    last = qMin(last, count() - 1);
    qint64 i = qMax<qint64>(first, 0);
    while (i <= last) {
        {
            // Rows in memory (or kept) under one guard, up to the next row in the file.
            ReadGuard guard(*this);
            for (; i <= last; ++i) {
                const quint64 at = location(i);
                if ((at & ExternalFlag) && !(at & KeptFlag))
                    break;
                if (!visit(i, payload(i, guard)))
                    return;
            }
        }
        if (i > last)
            return;
        // A run of rows in the file with consecutive references: one range read.
        const quint64 firstRef = location(i) & ~ExternalFlag;
        qint64 end = i + 1;
        while (end <= last && location(end) == (ExternalFlag | (firstRef + quint64(end - i))))
            ++end;
        qint64 next = i;
        bool stopped = false;
        if (m_payloadSource) {
            m_payloadSource->scan(
                firstRef, firstRef + quint64(end - i - 1), [&](quint64 reference, QByteArrayView bytes) {
                    const qint64 index = i + qint64(reference - firstRef);
                    for (; next < index; ++next) {
                        if (!visit(next, {}))
                            return !(stopped = true);
                    }
                    next = index + 1;
                    if (!visit(index, bytes))
                        return !(stopped = true);
                    return true;
                });
        }
        if (stopped)
            return;
        for (; next < end; ++next) {
            if (!visit(next, {}))
                return;
        }
        i = end;
    }
}

void PayloadSource::scan(
    quint64 first, quint64 last, const std::function<bool(quint64, QByteArrayView)> &visit)
{
    for (quint64 reference = first; reference <= last; ++reference) {
        if (!visit(reference, read(reference, 1)))
            return;
    }
}

void MessageStore::enableEviction(
    std::shared_ptr<PayloadSource> source, quint64 referenceBase, qint64 budgetBytes)
{
    std::lock_guard lock(m_evictMutex);
    m_budget = qMax<qint64>(budgetBytes, 1);
    if (m_evictionEnabled.load(std::memory_order_relaxed))
        return;
    // Before any row points to the file: readers reach the source only through such a row.
    if (!m_payloadSource)
        m_payloadSource = std::move(source);
    m_referenceBase = referenceBase;
    m_chunkFreed.reset(new bool[MaxChunks] {});
    m_kept.reset(new std::unique_ptr<QByteArray[]>[MaxKeptSegments]);
    m_evictionEnabled.store(true, std::memory_order_release);
}

void MessageStore::markPersisted(qint64 rows, const QList<qint64> &keep)
{
    std::lock_guard lock(m_evictMutex);
    for (qint64 k : keep) {
        if (k >= m_evictCursor && (m_keep.isEmpty() || k > m_keep.constLast()))
            m_keep.append(k);
    }
    m_persisted = qMax(m_persisted, qMin(rows, count()));
    if (!m_evictionEnabled.load(std::memory_order_relaxed))
        return;
    reclaim();
    // Hysteresis: past the budget, down to 7/8 of it, so that eviction comes in steps. (Chunks
    // leave m_chunkBytes when they are retired, a pass before they are unmapped.)
    if (m_chunkBytes.load(std::memory_order_relaxed) <= m_budget)
        return;
    const qint64 target = m_budget - m_budget / 8;
    constexpr qint64 Step = 4096;
    while (m_chunkBytes.load(std::memory_order_relaxed) > target && m_evictCursor < m_persisted) {
        const qint64 end = qMin(m_persisted, m_evictCursor + Step);
        for (qint64 i = m_evictCursor; i < end; ++i) {
            const bool kept = !m_keep.isEmpty() && m_keep.constFirst() == i;
            if (kept)
                m_keep.removeFirst();
            evictRow(i, kept);
        }
        m_evictCursor = end;
        collectFreeChunks();
    }
    reclaim();
}

void MessageStore::evictRow(qint64 index, bool keep)
{
    std::atomic_ref<quint64> field(m_blocks[index / RowsPerBlock][index % RowsPerBlock].location);
    const quint64 at = field.load(std::memory_order_relaxed);
    if (at & ExternalFlag)
        return; // in the file from the start (an opened session)
    if (keep) {
        const qint64 slot = m_keptCount++;
        if (slot / KeptSegment >= MaxKeptSegments)
            return; // not evicted: stays in its chunk
        std::unique_ptr<QByteArray[]> &segment = m_kept[slot / KeptSegment];
        if (!segment)
            segment.reset(new QByteArray[KeptSegment]);
        segment[slot % KeptSegment]
            = QByteArray(m_chunks[qint64(at >> 32)] + qint64(at & 0xffffffffu), row(index).size);
        m_memoryBytes.fetch_add(row(index).size, std::memory_order_relaxed);
        field.store(ExternalFlag | KeptFlag | quint64(slot), std::memory_order_release);
    } else {
        field.store(ExternalFlag | (m_referenceBase + quint64(index)), std::memory_order_release);
    }
    m_evictedCount.fetch_add(1, std::memory_order_relaxed);
}

// Chunks whose rows are all below the cursor, except the one the writers still fill, go to
// the retiring list. The chunk table is the writers': read under their lock, briefly.
void MessageStore::collectFreeChunks()
{
    std::lock_guard lock(m_writeMutex);
    bool contiguous = true;
    for (qint64 k = m_freeCursor; k < m_chunkCount; ++k) {
        if (m_chunkFreed[k]) {
            if (contiguous)
                m_freeCursor = k + 1;
            continue;
        }
        if (k == m_currentChunk || m_chunkLastRow[k] >= m_evictCursor) {
            contiguous = false;
            continue;
        }
        m_chunkFreed[k] = true;
        m_retiring.push_back({ m_chunks[k], m_chunkSizes[k] });
        m_chunkBytes.fetch_sub(m_chunkSizes[k], std::memory_order_relaxed);
        m_memoryBytes.fetch_sub(m_chunkSizes[k], std::memory_order_relaxed);
        if (contiguous)
            m_freeCursor = k + 1;
    }
}

void MessageStore::reclaim()
{
    if (!m_draining.empty() && m_readers[m_drainParity].load() == 0) {
        for (const Retired &r : m_draining)
            ::munmap(r.memory, size_t(r.size));
        m_draining.clear();
    }
    if (m_draining.empty() && !m_retiring.empty()) {
        m_draining.swap(m_retiring);
        m_drainParity = int(m_epoch.fetch_add(1) & 1);
        if (m_readers[m_drainParity].load() == 0) {
            for (const Retired &r : m_draining)
                ::munmap(r.memory, size_t(r.size));
            m_draining.clear();
        }
    }
}

MessageStore::Counters MessageStore::counters() const
{
    Counters c;
    c.messagesIn = m_messagesIn.load(std::memory_order_relaxed);
    c.messagesOut = m_messagesOut.load(std::memory_order_relaxed);
    c.bytesIn = m_bytesIn.load(std::memory_order_relaxed);
    c.bytesOut = m_bytesOut.load(std::memory_order_relaxed);
    return c;
}

} // namespace wst
