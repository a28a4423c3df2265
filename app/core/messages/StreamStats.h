#pragma once

#include "Message.h"
#include "format/JsonPath.h"

#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace wst {

class MessageStore;

// What a stream looks like over time, read incrementally from a MessageStore: each update()
// reads only the rows appended since the last one. Row headers (direction, kind, size, time)
// are cheap and all of them are counted; payloads (for the JSON paths) are sampled, at most
// maxPayloadsPerUpdate per update, every k-th candidate when more arrived. So a flood of a
// million messages a second costs a bounded amount per update, and memory is bounded too: the
// time series is a ring of the last windowSeconds seconds.
// Not thread-safe: one thread at a time calls update() and reads (StreamSampler hands it from
// a worker to the GUI thread through snapshots).
class StreamStats
{
public:
    struct Options
    {
        int windowSeconds = 600;
        // Row headers read per update at most (the rest wait for the next update).
        qint64 maxRowsPerUpdate = 4'000'000;
        // Payloads parsed as JSON per update at most, and their bytes.
        int maxPayloadsPerUpdate = 2000;
        qint64 maxPayloadBytesPerUpdate = qint64(8) << 20;
        // Distinct values the top list keeps; later new values are counted as dropped.
        int topCapacity = 5000;
        int rttCapacity = 4096;
        // How far back (in rows) a newly set path looks for values it missed, and how many
        // payloads it reads there at most (once, in the update after the path is set).
        qint64 backfillRows = 1'000'000;
        int maxBackfillPayloads = 20'000;
    };

    // One second of the stream. Index 0 is In, 1 is Out.
    struct Bucket
    {
        qint64 second = 0; // since the epoch
        std::array<qint64, 2> messages {};
        std::array<qint64, 2> bytes {};
        qint64 valueCount = 0; // sampled values of the value path in this second
        double valueSum = 0;
        double valueMin = 0;
        double valueMax = 0;
        double valueMean() const { return valueCount ? valueSum / double(valueCount) : 0; }
    };
    struct RttPoint
    {
        qint64 timeUs = 0;
        qint64 rttUs = 0;
    };

    // Log2 buckets: 0 holds 0, i holds [2^(i-1), 2^i), the last everything above.
    static constexpr int HistogramBuckets = 34;
    static int histogramBucket(quint64 value);
    // The smallest value of bucket i.
    static quint64 histogramFloor(int bucket);

    struct Totals
    {
        std::array<std::array<qint64, KindCount>, DirectionCount> count {};
        std::array<std::array<qint64, KindCount>, DirectionCount> bytes {};
        // Text and binary messages only, In and Out.
        std::array<std::array<qint64, HistogramBuckets>, 2> sizes {};
        // µs between consecutive text/binary messages of one direction.
        std::array<std::array<qint64, HistogramBuckets>, 2> gaps {};
        qint64 firstTimeUs = 0;
        qint64 lastTimeUs = 0;
        qint64 rows = 0;
    };

    struct TopValue
    {
        QString value;
        qint64 count = 0;
    };

    // What update() did: the work that bounds its cost.
    struct Work
    {
        qint64 rowsRead = 0;
        qint64 payloadsRead = 0;
        qint64 payloadBytesRead = 0;
        Work &operator+=(const Work &o)
        {
            rowsRead += o.rowsRead;
            payloadsRead += o.payloadsRead;
            payloadBytesRead += o.payloadBytesRead;
            return *this;
        }
    };

    struct Snapshot
    {
        qint64 endSecond = 0; // the last second of `buckets`
        QList<Bucket> buckets; // one per second, oldest first, missing seconds zero
        QList<RttPoint> rtt; // within the buckets' span
        Totals totals;
        QList<TopValue> top; // most frequent first
        qint64 topSampled = 0; // messages whose top-path value was counted
        qint64 topDropped = 0; // values not counted because the list was full
        qint64 valuesSampled = 0;
        qint64 payloadsSampled = 0; // all payloads read for the paths
        qint64 dataMessages = 0; // text and binary messages (the candidates for sampling)
        qint64 position = 0; // rows read so far
        qint64 storeCount = 0; // rows in the store when the update ended
        QString valuePath;
        QString topPath;
    };

    explicit StreamStats(std::shared_ptr<const MessageStore> store);
    StreamStats(std::shared_ptr<const MessageStore> store, Options options);
    ~StreamStats();

    // A numeric JSON path charted per second (numbers, and strings that are numbers such as
    // "123.45"). Empty clears it. On a bad path returns false with *error set, nothing changed.
    // A new path also looks back over the last backfillRows rows (sampled) at the next update.
    bool setValuePath(const QString &path, QString *error = nullptr);
    bool setTopPath(const QString &path, QString *error = nullptr);
    QString valuePath() const { return m_valuePath ? m_valuePath->text() : QString(); }
    QString topPath() const { return m_topPath ? m_topPath->text() : QString(); }

    // Reads what was appended since the last update (bounded, see Options).
    Work update();
    // Forgets everything and starts again at the store's current end.
    void reset();

    // The last `seconds` seconds ending now (nowUs) or, when the stream's newest row is older
    // than the window (a reopened session), ending at its newest row.
    Snapshot snapshot(qint64 nowUs, int seconds, int topCount = 20) const;

    const Totals &totals() const { return m_totals; }
    QList<TopValue> topValues(int count) const;
    qint64 position() const { return m_position; }
    Work totalWork() const { return m_work; }
    const Options &options() const { return m_options; }

private:
    Bucket &bucketFor(qint64 second);
    const Bucket *findBucket(qint64 second) const;
    void samplePayload(qint64 index, const MessageRow &row, bool value, bool top, Work *work);
    void backfill(Work *work);
    quint64 nextRandom();

    std::shared_ptr<const MessageStore> m_store;
    Options m_options;
    qint64 m_position = 0;
    qint64 m_start = 0; // the first row counted (after reset())
    std::vector<Bucket> m_ring;
    std::deque<RttPoint> m_rtt;
    Totals m_totals;
    std::array<qint64, 2> m_lastDataTimeUs { -1, -1 };
    qint64 m_skip = 0; // text messages to pass over before the next sample
    quint64 m_random = 0x9e3779b97f4a7c15ull;
    qint64 m_dataMessages = 0;

    std::optional<JsonPath> m_valuePath;
    std::optional<JsonPath> m_topPath;
    bool m_backfillValue = false;
    bool m_backfillTop = false;
    QHash<QString, qint64> m_top;
    qint64 m_topSampled = 0;
    qint64 m_topDropped = 0;
    qint64 m_valuesSampled = 0;
    qint64 m_payloadsSampled = 0;
    Work m_work;
};

} // namespace wst
