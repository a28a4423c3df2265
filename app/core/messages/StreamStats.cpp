#include "StreamStats.h"

#include "MessageStore.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wst {

namespace {

constexpr qint64 UsPerSecond = 1'000'000;
// A payload bigger than this is not parsed for the charts: one would cost more than an update.
constexpr qint64 MaxSampledPayload = qint64(1) << 20;

int sideOf(Direction d)
{
    return d == Direction::Out ? 1 : 0;
}

// Finite numbers only: toDouble() reads "nan" and "inf", and one such value would make the
// second's mean, minimum and maximum (and the chart's axis) meaningless.
std::optional<double> numberOf(const QJsonValue &v)
{
    if (v.isDouble() && std::isfinite(v.toDouble()))
        return v.toDouble();
    if (v.isString()) { // feeds that send prices as strings: "123.45"
        bool ok = false;
        const double d = v.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

} // namespace

int StreamStats::histogramBucket(quint64 value)
{
    return std::min(int(std::bit_width(value)), HistogramBuckets - 1);
}

quint64 StreamStats::histogramFloor(int bucket)
{
    return bucket <= 0 ? 0 : quint64(1) << (bucket - 1);
}

StreamStats::StreamStats(std::shared_ptr<const MessageStore> store)
    : StreamStats(std::move(store), Options())
{
}

StreamStats::StreamStats(std::shared_ptr<const MessageStore> store, Options options)
    : m_store(std::move(store))
    , m_options(options)
{
    m_options.windowSeconds = std::max(1, m_options.windowSeconds);
    m_options.maxRowsPerUpdate = std::max<qint64>(1, m_options.maxRowsPerUpdate);
    m_ring.resize(size_t(m_options.windowSeconds));
}

StreamStats::~StreamStats() = default;

bool StreamStats::setValuePath(const QString &path, QString *error)
{
    QString ignored;
    QString *err = error ? error : &ignored;
    if (path.trimmed().isEmpty()) {
        m_valuePath.reset();
        err->clear();
    } else {
        std::optional<JsonPath> parsed = JsonPath::parse(path.trimmed(), err);
        if (!parsed)
            return false;
        m_valuePath = std::move(parsed);
        m_backfillValue = true;
    }
    for (Bucket &b : m_ring)
        b.valueCount = 0, b.valueSum = b.valueMin = b.valueMax = 0;
    m_valuesSampled = 0;
    return true;
}

bool StreamStats::setTopPath(const QString &path, QString *error)
{
    QString ignored;
    QString *err = error ? error : &ignored;
    if (path.trimmed().isEmpty()) {
        m_topPath.reset();
        err->clear();
    } else {
        std::optional<JsonPath> parsed = JsonPath::parse(path.trimmed(), err);
        if (!parsed)
            return false;
        m_topPath = std::move(parsed);
        m_backfillTop = true;
    }
    m_top.clear();
    m_topSampled = 0;
    m_topDropped = 0;
    return true;
}

void StreamStats::reset()
{
    m_position = m_start = m_store->count();
    std::fill(m_ring.begin(), m_ring.end(), Bucket());
    m_rtt.clear();
    m_totals = Totals();
    m_lastDataTimeUs = { -1, -1 };
    m_skip = m_dataMessages = 0;
    m_top.clear();
    m_topSampled = m_topDropped = m_valuesSampled = m_payloadsSampled = 0;
    m_backfillValue = m_backfillTop = false;
}

quint64 StreamStats::nextRandom()
{
    // xorshift64: cheap, and the same sequence every run (tests).
    m_random ^= m_random << 13;
    m_random ^= m_random >> 7;
    m_random ^= m_random << 17;
    return m_random;
}

StreamStats::Bucket &StreamStats::bucketFor(qint64 second)
{
    static thread_local Bucket scratch;
    const qint64 capacity = qint64(m_ring.size());
    Bucket &b = m_ring[size_t(((second % capacity) + capacity) % capacity)];
    if (b.second == second)
        return b;
    if (b.second > second) { // older than the window kept: counted in the totals only
        scratch = Bucket();
        return scratch;
    }
    b = Bucket();
    b.second = second;
    return b;
}

const StreamStats::Bucket *StreamStats::findBucket(qint64 second) const
{
    const qint64 capacity = qint64(m_ring.size());
    const Bucket &b = m_ring[size_t(((second % capacity) + capacity) % capacity)];
    return b.second == second ? &b : nullptr;
}

void StreamStats::samplePayload(qint64 index, const MessageRow &row, bool value, bool top, Work *work)
{
    if (row.size > MaxSampledPayload)
        return;
    const QByteArray payload = m_store->payload(index);
    ++work->payloadsRead;
    work->payloadBytesRead += payload.size();
    ++m_payloadsSampled;
    const QJsonValue doc = JsonPath::parseDocument(payload);
    if (doc.isUndefined())
        return;
    if (value && m_valuePath) {
        if (const std::optional<double> d = numberOf(m_valuePath->first(doc))) {
            Bucket &b = bucketFor(row.timeUs / UsPerSecond);
            if (b.valueCount == 0) {
                b.valueMin = b.valueMax = *d;
            } else {
                b.valueMin = std::min(b.valueMin, *d);
                b.valueMax = std::max(b.valueMax, *d);
            }
            b.valueSum += *d;
            ++b.valueCount;
            ++m_valuesSampled;
        }
    }
    if (top && m_topPath) {
        const QJsonValue v = m_topPath->first(doc);
        if (!v.isUndefined()) {
            ++m_topSampled;
            const QString text = JsonPath::scalarText(v);
            auto it = m_top.find(text);
            if (it != m_top.end())
                ++it.value();
            else if (m_top.size() < m_options.topCapacity)
                m_top.insert(text, 1);
            else
                ++m_topDropped;
        }
    }
}

void StreamStats::backfill(Work *work)
{
    const bool value = m_backfillValue && m_valuePath;
    const bool top = m_backfillTop && m_topPath;
    m_backfillValue = m_backfillTop = false;
    if (!value && !top)
        return;
    const qint64 from = std::max(m_start, m_position - m_options.backfillRows);
    const qint64 n = m_position - from;
    const qint64 budget = m_options.maxBackfillPayloads;
    if (n <= 0 || budget <= 0)
        return;
    const qint64 stride = std::max<qint64>(1, (n + budget - 1) / budget);
    qint64 candidate = 0;
    for (qint64 i = from; i < m_position; ++i) {
        const MessageRow &r = m_store->row(i);
        ++work->rowsRead;
        if (r.kind != Kind::Text || r.direction == Direction::Event)
            continue;
        if (candidate++ % stride != 0)
            continue;
        if (work->payloadsRead >= budget || work->payloadBytesRead >= 4 * m_options.maxPayloadBytesPerUpdate)
            break;
        samplePayload(i, r, value, top, work);
    }
}

StreamStats::Work StreamStats::update()
{
    Work work;
    if (m_backfillValue || m_backfillTop)
        backfill(&work);
    const qint64 end = std::min(m_store->count(), m_position + m_options.maxRowsPerUpdate);
    const qint64 n = end - m_position;
    if (n <= 0) {
        m_work += work;
        return work;
    }
    const bool sampling = m_valuePath || m_topPath;
    const qint64 budget = std::max<qint64>(0, m_options.maxPayloadsPerUpdate - work.payloadsRead);
    // Every stride-th text message is read: n rows hold at most n candidates.
    const qint64 stride = sampling && budget > 0 ? std::max<qint64>(1, (n + budget - 1) / budget) : 0;
    m_skip = std::min(m_skip, std::max<qint64>(0, 2 * stride - 2));
    for (qint64 i = m_position; i < end; ++i) {
        const MessageRow &r = m_store->row(i);
        const int dir = int(r.direction);
        const int kind = int(r.kind);
        if (dir < DirectionCount && kind < KindCount) {
            ++m_totals.count[dir][kind];
            m_totals.bytes[dir][kind] += r.size;
        }
        if (m_totals.rows++ == 0)
            m_totals.firstTimeUs = r.timeUs;
        m_totals.lastTimeUs = std::max(m_totals.lastTimeUs, r.timeUs);
        if (r.direction == Direction::Event)
            continue;
        const int side = sideOf(r.direction);
        Bucket &b = bucketFor(r.timeUs / UsPerSecond);
        ++b.messages[side];
        b.bytes[side] += r.size;
        if (r.kind == Kind::Text || r.kind == Kind::Binary) {
            ++m_dataMessages;
            ++m_totals.sizes[side][histogramBucket(r.size)];
            if (m_lastDataTimeUs[side] >= 0)
                ++m_totals.gaps[side][histogramBucket(
                    quint64(std::max<qint64>(0, r.timeUs - m_lastDataTimeUs[side])))];
            m_lastDataTimeUs[side] = r.timeUs;
            if (r.kind == Kind::Text && stride) {
                if (m_skip > 0) {
                    --m_skip;
                } else if (work.payloadsRead < m_options.maxPayloadsPerUpdate
                    && work.payloadBytesRead < m_options.maxPayloadBytesPerUpdate) {
                    samplePayload(i, r, true, true, &work);
                    // Gaps of 1 to 2·stride-1 candidates (stride on average), so that a stream
                    // with a period (A, B, A, B…) is not always sampled at the same phase.
                    m_skip = stride > 1 ? qint64(nextRandom() % quint64(2 * stride - 1)) : 0;
                }
            }
        } else if (r.kind == Kind::Pong && r.extra > 0) {
            // A pong the ping ledger matched carries its round trip (0 or -1: none).
            m_rtt.push_back({ r.timeUs, r.extra });
            if (qint64(m_rtt.size()) > m_options.rttCapacity)
                m_rtt.pop_front();
        }
    }
    work.rowsRead += n;
    m_position = end;
    m_work += work;
    return work;
}

QList<StreamStats::TopValue> StreamStats::topValues(int count) const
{
    QList<TopValue> all;
    all.reserve(m_top.size());
    for (auto it = m_top.cbegin(); it != m_top.cend(); ++it)
        all.append({ it.key(), it.value() });
    const auto order = [](const TopValue &a, const TopValue &b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    if (count >= 0 && count < all.size()) {
        std::partial_sort(all.begin(), all.begin() + count, all.end(), order);
        all.resize(count);
    } else {
        std::sort(all.begin(), all.end(), order);
    }
    return all;
}

StreamStats::Snapshot StreamStats::snapshot(qint64 nowUs, int seconds, int topCount) const
{
    Snapshot s;
    seconds = std::clamp(seconds, 1, m_options.windowSeconds);
    const qint64 now = nowUs / UsPerSecond;
    const qint64 newest = m_totals.lastTimeUs / UsPerSecond;
    // A stream silent for longer than the whole window (a reopened session) ends at its last row.
    s.endSecond
        = m_totals.rows > 0 && newest < now - m_options.windowSeconds ? newest : std::max(now, newest);
    const qint64 first = s.endSecond - seconds + 1;
    s.buckets.reserve(seconds);
    for (qint64 sec = first; sec <= s.endSecond; ++sec) {
        if (const Bucket *b = findBucket(sec)) {
            s.buckets.append(*b);
        } else {
            Bucket empty;
            empty.second = sec;
            s.buckets.append(empty);
        }
    }
    const qint64 fromUs = first * UsPerSecond;
    const auto begin = std::lower_bound(
        m_rtt.begin(), m_rtt.end(), fromUs, [](const RttPoint &p, qint64 t) { return p.timeUs < t; });
    for (auto it = begin; it != m_rtt.end(); ++it)
        s.rtt.append(*it);
    s.totals = m_totals;
    s.top = topValues(topCount);
    s.topSampled = m_topSampled;
    s.topDropped = m_topDropped;
    s.valuesSampled = m_valuesSampled;
    s.payloadsSampled = m_payloadsSampled;
    s.dataMessages = m_dataMessages;
    s.position = m_position;
    s.storeCount = m_store->count();
    s.valuePath = valuePath();
    s.topPath = topPath();
    return s;
}

} // namespace wst
