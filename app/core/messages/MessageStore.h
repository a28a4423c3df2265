#pragma once

#include "Message.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringEncoder>
#include <QStringView>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>

namespace wst {

// Where the payloads of rows that are not held in memory live (a session file). Called from any
// thread; implementations lock what they need.
class PayloadSource
{
public:
    virtual ~PayloadSource() = default;
    // The payload of the row stored under this reference (empty when it cannot be read).
    virtual QByteArray read(quint64 reference, quint32 size) = 0;
};

// Append-only history of one connection, read by any number of threads. Rows are 40-byte records
// in fixed blocks; payloads are UTF-8 or raw bytes packed into large chunks. Neither rows nor
// chunks ever move, so a reader that has seen count() through an acquire load can read every row
// below it without a lock. Writers take turns under a lock that readers never touch: a client's
// network thread writes events and what it sends while the relay thread writes what it receives;
// a Batch holds the lock over many appends.
class MessageStore
{
public:
    struct Counters
    {
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
    };

    MessageStore();
    ~MessageStore();
    MessageStore(const MessageStore &) = delete;
    MessageStore &operator=(const MessageStore &) = delete;

    // Writer side: any thread. Returns the new row's index.
    qint64 appendText(
        Direction dir, Kind kind, QStringView text, qint64 timeUs, qint64 extra = 0, quint32 connectionId = 0)
    {
        std::lock_guard lock(m_writeMutex);
        return appendTextLocked(dir, kind, text, timeUs, extra, connectionId);
    }
    qint64 appendBytes(Direction dir, Kind kind, QByteArrayView bytes, qint64 timeUs, qint64 extra = 0,
        quint32 connectionId = 0)
    {
        std::lock_guard lock(m_writeMutex);
        return appendBytesLocked(dir, kind, bytes, timeUs, extra, connectionId);
    }

    // Many appends under one lock (the relay's messages from one read).
    class Batch
    {
    public:
        explicit Batch(MessageStore &store)
            : m_store(store)
            , m_lock(store.m_writeMutex)
        {
        }
        qint64 appendBytes(Direction dir, Kind kind, QByteArrayView bytes, qint64 timeUs, qint64 extra = 0,
            quint32 connectionId = 0)
        {
            return m_store.appendBytesLocked(dir, kind, bytes, timeUs, extra, connectionId);
        }

    private:
        MessageStore &m_store;
        std::lock_guard<std::mutex> m_lock;
    };

    // A row whose payload stays in a file: read back through the payload source on demand.
    // Set the source before the first such row.
    qint64 appendExternal(Direction dir, Kind kind, quint32 size, qint64 timeUs, qint64 extra,
        quint32 connectionId, quint64 reference);
    void setPayloadSource(std::shared_ptr<PayloadSource> source) { m_payloadSource = std::move(source); }
    bool isExternal(qint64 index) const { return row(index).location & ExternalFlag; }

    // Reader side: any thread.
    qint64 count() const { return m_count.load(std::memory_order_acquire); }
    const MessageRow &row(qint64 index) const;
    // The row's payload: the store's own bytes (no copy) for rows held in memory, or bytes read
    // back from the payload source. Keep the QByteArray while using the bytes.
    QByteArray payload(qint64 index) const;
    QByteArray payloadCopy(qint64 index) const;
    Counters counters() const;
    // Bytes held for payloads and rows (what the store costs in memory).
    qint64 memoryBytes() const { return m_memoryBytes.load(std::memory_order_relaxed); }

    static constexpr qint64 RowsPerBlock = 1 << 16;
    static constexpr qint64 MaxBlocks = 1 << 14; // 2^30 rows
    static constexpr qint64 ChunkSize = qint64(8) << 20;
    static constexpr qint64 MaxChunks = 1 << 16;
    static constexpr quint64 ExternalFlag = quint64(1) << 63;

private:
    qint64 appendTextLocked(
        Direction dir, Kind kind, QStringView text, qint64 timeUs, qint64 extra, quint32 connectionId);
    qint64 appendBytesLocked(
        Direction dir, Kind kind, QByteArrayView bytes, qint64 timeUs, qint64 extra, quint32 connectionId);
    static MessageRow newRow(Direction dir, Kind kind, qint64 timeUs, qint64 extra, quint32 connectionId);
    char *reserve(qint64 bytes, quint64 *location);
    void commit(const MessageRow &row);
    char *takeChunk();
    MessageRow *takeBlock();
    void prepareSpare(bool block);

    std::array<MessageRow *, MaxBlocks> m_blocks {};
    std::unique_ptr<char *[]> m_chunks;
    std::unique_ptr<qint64[]> m_chunkSizes;
    std::atomic<qint64> m_count { 0 };
    std::atomic<qint64> m_memoryBytes { 0 };

    // Writer-only state, under m_writeMutex.
    std::mutex m_writeMutex;
    qint64 m_chunkCount = 0;
    qint64 m_currentChunk = -1;
    qint64 m_chunkUsed = 0;
    bool m_spareRequested = false;
    bool m_spareBlockRequested = false;
    QStringEncoder m_encoder { QStringEncoder::Utf8 };

    // A chunk and a row block mapped and touched ahead of time on another thread, so that the
    // writer does not pay the first-touch page faults of fresh memory.
    struct Spare;
    std::shared_ptr<Spare> m_spare;
    std::shared_ptr<PayloadSource> m_payloadSource;

    // Written by the writer only (a plain load and store, no locked read-modify-write).
    std::atomic<qint64> m_messagesIn { 0 };
    std::atomic<qint64> m_messagesOut { 0 };
    std::atomic<qint64> m_bytesIn { 0 };
    std::atomic<qint64> m_bytesOut { 0 };
};

} // namespace wst
