#pragma once

// MessageFilterModel's private parts, shared by its two source files: the matcher that the GUI
// thread's slices and the worker scan test rows with, and the worker's way back to the model.
#include "MessageFilterModel.h"
#include "MessageLogModel.h"
#include "MessageStore.h"

#include <QMutex>
#include <QtAlgorithms>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace wst {

namespace filterdetail {

// Whether needle occurs in haystack. With fold, needle is ASCII in lower case and the haystack's
// ASCII letters match in either case, without decoding the UTF-8 (a non-ASCII byte never equals
// an ASCII one). A filter tests every payload with this, so it compares 16 starting places at
// a time (SSE2: the first and the last byte of the needle, then the candidates byte by byte):
// a plain loop and QByteArrayView::indexOf each cost the worker three times SQLite's reading.
inline bool containsBytes(QByteArrayView haystack, QByteArrayView needle, bool fold)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    if (haystack.size() < n)
        return false;
    const char *h = haystack.data();
    const char *w = needle.data();
    // A letter of the needle matches with the 0x20 bit set on the haystack's byte: 'N' | 0x20
    // is 'n', and no other byte gives 'n'. Other bytes match exactly.
    const auto bitFor = [fold](char c) { return char(fold && c >= 'a' && c <= 'z' ? 0x20 : 0); };
    const char first = w[0];
    const char last = w[n - 1];
    const char firstBit = bitFor(first);
    const char lastBit = bitFor(last);
    const auto matchesAt = [h, w, n, fold](qsizetype at) {
        for (qsizetype j = 0; j < n; ++j) {
            char c = h[at + j];
            if (fold && c >= 'A' && c <= 'Z')
                c = char(c + 32);
            if (c != w[j])
                return false;
        }
        return true;
    };
    const qsizetype lastStart = haystack.size() - n;
    qsizetype i = 0;
#ifdef __SSE2__
    const __m128i firstWant = _mm_set1_epi8(first);
    const __m128i firstOr = _mm_set1_epi8(firstBit);
    const __m128i lastWant = _mm_set1_epi8(last);
    const __m128i lastOr = _mm_set1_epi8(lastBit);
    for (; i + 15 <= lastStart; i += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(h + i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(h + i + n - 1));
        const __m128i both = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, firstOr), firstWant),
            _mm_cmpeq_epi8(_mm_or_si128(b, lastOr), lastWant));
        for (unsigned mask = unsigned(_mm_movemask_epi8(both)); mask != 0; mask &= mask - 1) {
            if (matchesAt(i + qCountTrailingZeroBits(mask)))
                return true;
        }
    }
#endif
    for (; i <= lastStart; ++i) {
        if (char(h[i] | firstBit) == first && char(h[i + n - 1] | lastBit) == last && matchesAt(i))
            return true;
    }
    return false;
}

} // namespace filterdetail

// Everything of the filter that needs only a row and its payload, copied by value: the GUI
// thread's slices and the worker test rows with the same code. The JSON document comes from
// the caller (the tab's decoder on the GUI thread; on a worker only when there is no binary
// decoder, so MessageDocument::fromPayload, which touches nothing shared).
struct MessageFilterModel::Matcher
{
    quint32 directions = AllDirections;
    quint32 kinds = AllKinds;
    qint64 connectionId = -1;
    bool textActive = false; // a valid text filter is set
    QString text;
    QByteArray textUtf8; // lower-case when asciiFold
    bool regex = false;
    bool caseSensitive = false;
    bool asciiFold = false;
    QRegularExpression expression;
    std::optional<FilterExpression> json;
    QList<QByteArray> needles; // FilterExpression::requiredText() of json

    bool rowPasses(const MessageRow &row) const
    {
        return (directions & directionBit(row.direction)) && (kinds & kindBit(row.kind))
            && (connectionId < 0 || row.connectionId == connectionId);
    }

    // The text part: `bytes` is the row's payload; `decode(row, payload)` reads it as JSON (for
    // rows the history decodes: MessageLogModel::MaxDecodedForList at most).
    template <typename Decode>
    bool textPasses(const MessageStore &store, qint64 si, const MessageRow &row, QByteArrayView bytes,
        const Decode &decode) const
    {
        if (!textActive)
            return true;
        if (json) {
            if (row.kind != Kind::Text && row.kind != Kind::Binary)
                return false;
            // Text rows are read as JSON text (decoders only read binary ones): a row without the
            // quoted strings the expression needs cannot match, and is not parsed.
            if (row.kind == Kind::Text && !needles.isEmpty() && !bytes.contains(QByteArrayView("\\u"))) {
                for (const QByteArray &needle : needles) {
                    if (!bytes.contains(needle))
                        return false;
                }
            }
            if (row.size > MessageLogModel::MaxDecodedForList)
                return json->matches(QJsonValue(QJsonValue::Undefined));
            return json->matches(decode(row, QByteArray::fromRawData(bytes.data(), bytes.size())));
        }
        // Text and binary rows are searched in their payload; events in what the history shows.
        const bool payloadRow = row.kind == Kind::Text || row.kind == Kind::Binary;
        if (payloadRow && !regex) {
            if (caseSensitive)
                return filterdetail::containsBytes(bytes, textUtf8, false);
            if (asciiFold)
                return filterdetail::containsBytes(bytes, textUtf8, true);
        }
        const QString haystack = payloadRow ? QString::fromUtf8(bytes) : MessageLogModel::summary(store, si);
        if (regex)
            return expression.match(haystack).hasMatch();
        return haystack.contains(text, caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
    }
};

struct MessageFilterModel::WorkerLink
{
    QMutex mutex;
    MessageFilterModel *target = nullptr;
};

} // namespace wst
