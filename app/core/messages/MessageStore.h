#pragma once

#include "Message.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringEncoder>
#include <QStringView>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace wst {

// Where the payloads of rows that are not held in memory live (a session file). Called from any
// thread; implementations lock what they need.
class PayloadSource
{
public:
    virtual ~PayloadSource() = default;
    // The payload of the row stored under this reference (empty when it cannot be read).
    virtual QByteArray read(quint64 reference, quint32 size) = 0;
    // The payloads stored under the references first..last (inclusive), in order, handed to
    // `visit` (reference, bytes valid during the call) until it returns false. One query for a
    // range instead of one read a row: the filter's scan. The default reads them one by one.
    virtual void scan(quint64 first, quint64 last, const std::function<bool(quint64, QByteArrayView)> &visit);
};

// Append-only history of one connection, read by any number of threads. Rows are 40-byte records
// in fixed blocks; payloads are UTF-8 or raw bytes packed into large chunks. Rows never move and
// are never freed, so a reader that has seen count() through an acquire load can read every row
// below it without a lock. Writers take turns under a lock that readers never touch: a client's
// network thread writes events and what it sends while the relay thread writes what it receives;
// a Batch holds the lock over many appends.
//
// Eviction: once the session writer has committed rows to the file, it may tell the store so
// (markPersisted); past the budget the oldest committed payloads leave memory and are read back
// through the payload source. A payload's bytes in a chunk are therefore only valid inside a
// ReadGuard: payload(index) copies them out under one, payload(index, guard) does not copy. See
// MessageStore.cpp for why a reader never sees a chunk after it was unmapped.
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
    // Whether the row's payload is outside the store's chunks (in the file, or evicted).
    bool isExternal(qint64 index) const;

    // While a guard lives, no chunk of the store is unmapped: payload(index, guard) may hand out
    // the chunk's bytes without a copy. Cheap (two atomic operations); hold one over a scan, not
    // for longer than the scan (it holds back the eviction's memory, not its progress).
    class ReadGuard
    {
    public:
        explicit ReadGuard(const MessageStore &store);
        ~ReadGuard();
        ReadGuard(const ReadGuard &) = delete;
        ReadGuard &operator=(const ReadGuard &) = delete;

    private:
        const MessageStore &m_store;
        int m_slot;
    };

    // Reader side: any thread.
    qint64 count() const { return m_count.load(std::memory_order_acquire); }
    // The row's fields. Its location is the store's own: read it only through the functions here.
    const MessageRow &row(qint64 index) const;
    // The row's payload, owned by the returned QByteArray (a copy of what the store holds, or
    // bytes read back from the payload source): safe to keep.
    QByteArray payload(qint64 index) const;
    QByteArray payloadCopy(qint64 index) const { return payload(index); }
    // The row's payload without a copy: valid while `guard` lives (no longer).
    QByteArray payload(qint64 index, const ReadGuard &guard) const;
    // The payloads of rows first..last (inclusive) in order, to `visit` (index, bytes valid
    // during the call) until it returns false. Rows in the file are read in ranges (one query
    // for many rows), not one by one.
    void scanPayloads(
        qint64 first, qint64 last, const std::function<bool(qint64, QByteArrayView)> &visit) const;
    Counters counters() const;
    // Bytes held for payloads and rows (what the store costs in memory).
    qint64 memoryBytes() const { return m_memoryBytes.load(std::memory_order_relaxed); }
    // Bytes of the payload chunks alone (what the eviction budget bounds).
    qint64 payloadBytes() const { return m_chunkBytes.load(std::memory_order_relaxed); }
    // Rows whose payload left memory for the session file so far.
    qint64 evictedRows() const { return m_evictedCount.load(std::memory_order_relaxed); }

    // Eviction, called from one thread (the session writer's). After enableEviction, rows
    // reported by markPersisted may have their payloads read back from `source` under the
    // reference referenceBase + index; once the chunks pass budgetBytes the oldest persisted
    // payloads leave memory (down to 7/8 of the budget). A store that already has a payload
    // source (an opened session, whose file the writer continues) keeps it.
    void enableEviction(std::shared_ptr<PayloadSource> source, quint64 referenceBase, qint64 budgetBytes);
    bool evictionEnabled() const { return m_evictionEnabled.load(std::memory_order_acquire); }
    // Rows below `rows` are committed to the file; those listed in `keep` (ascending) hold
    // something else there (a secret masked) and keep their bytes in memory.
    void markPersisted(qint64 rows, const QList<qint64> &keep = {});

    static constexpr qint64 RowsPerBlock = 1 << 16;
    static constexpr qint64 MaxBlocks = 1 << 14; // 2^30 rows
    static constexpr qint64 ChunkSize = qint64(8) << 20;
    static constexpr qint64 MaxChunks = 1 << 16;
    static constexpr quint64 ExternalFlag = quint64(1) << 63;
    // With ExternalFlag: the payload is a copy in the store's kept list, not in the file.
    static constexpr quint64 KeptFlag = quint64(1) << 62;

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
    quint64 location(qint64 index) const;
    QByteArray readExternal(quint64 location, quint32 size) const;
    int enterRead() const;
    void leaveRead(int slot) const;
    void evictRow(qint64 index, bool keep);
    void collectFreeChunks();
    void reclaim();

    std::array<MessageRow *, MaxBlocks> m_blocks {};
    std::unique_ptr<char *[]> m_chunks;
    std::unique_ptr<qint64[]> m_chunkSizes;
    std::unique_ptr<qint64[]> m_chunkLastRow; // the last row with its payload in the chunk
    std::atomic<qint64> m_count { 0 };
    std::atomic<qint64> m_memoryBytes { 0 };
    std::atomic<qint64> m_chunkBytes { 0 };
    std::atomic<qint64> m_evictedCount { 0 };

    // Readers in chunks, by the parity of the epoch they entered in (see MessageStore.cpp).
    mutable std::atomic<quint64> m_epoch { 0 };
    mutable std::array<std::atomic<qint64>, 2> m_readers {};

    // Eviction state, under m_evictMutex (one evicting thread in practice).
    std::mutex m_evictMutex;
    std::atomic<bool> m_evictionEnabled { false };
    quint64 m_referenceBase = 0;
    qint64 m_budget = 0;
    qint64 m_persisted = 0;
    qint64 m_evictCursor = 0; // rows below it have left memory (or were kept)
    QList<qint64> m_keep; // persisted rows at or past the cursor that keep their bytes
    std::unique_ptr<bool[]> m_chunkFreed;
    qint64 m_freeCursor = 0; // chunks below it are all freed
    struct Retired
    {
        char *memory;
        qint64 size;
    };
    std::vector<Retired> m_retiring; // waiting for the next epoch flip
    std::vector<Retired> m_draining; // flipped: freed once the old parity has no reader
    int m_drainParity = 0;
    // Payloads that stay in memory after their chunk went: segments of KeptSegment entries,
    // each written once before a row points to it, never changed or freed until destruction.
    static constexpr qint64 KeptSegment = 1024;
    static constexpr qint64 MaxKeptSegments = 1 << 16;
    std::unique_ptr<std::unique_ptr<QByteArray[]>[]> m_kept;
    qint64 m_keptCount = 0;

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
