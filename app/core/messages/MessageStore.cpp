#include "MessageStore.h"

#include <QThreadPool>

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

char *mapMemory(qint64 bytes, bool populate)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS;
    if (populate)
        flags |= MAP_POPULATE;
    void *p = ::mmap(nullptr, size_t(bytes), PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED)
        qFatal("wstester: out of memory mapping %lld bytes for the message history", qlonglong(bytes));
    return static_cast<char *>(p);
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
    for (qint64 i = 0; i < m_chunkCount; ++i)
        ::munmap(m_chunks[i], size_t(m_chunkSizes[i]));
    for (MessageRow *block : m_blocks) {
        if (block)
            ::munmap(block, size_t(BlockBytes));
    }
}

void MessageStore::prepareSpare(bool block)
{
    (block ? m_spareBlockRequested : m_spareRequested) = true;
    std::shared_ptr<Spare> spare = m_spare;
    QThreadPool::globalInstance()->start([spare, block] {
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

QByteArray MessageStore::payload(qint64 index) const
{
    const MessageRow &r = row(index);
    if (r.location & ExternalFlag) {
        if (!m_payloadSource || r.size == 0)
            return {};
        return m_payloadSource->read(r.location & ~ExternalFlag, r.size);
    }
    const qint64 chunk = qint64(r.location >> 32);
    const qint64 offset = qint64(r.location & 0xffffffffu);
    return QByteArray::fromRawData(m_chunks[chunk] + offset, r.size);
}

QByteArray MessageStore::payloadCopy(qint64 index) const
{
    QByteArray bytes = payload(index);
    bytes.detach();
    return bytes;
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
