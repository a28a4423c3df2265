#pragma once

// MessageFilterModel's private parts, shared by its two source files: the matcher that the GUI
// thread's slices and the worker scan test rows with, and the worker's way back to the model.
#include "MessageFilterModel.h"
#include "MessageLogModel.h"
#include "MessageStore.h"

#include <QMutex>

namespace wst {

namespace filterdetail {

// Case-insensitive search for an ASCII needle (already lower-case) in UTF-8 bytes, without
// decoding them: a non-ASCII byte never equals an ASCII one.
inline bool containsFolded(QByteArrayView haystack, QByteArrayView needle)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    const char first = needle.front();
    const char firstUpper = (first >= 'a' && first <= 'z') ? char(first - 32) : first;
    for (qsizetype i = 0; i + n <= haystack.size(); ++i) {
        const char c = haystack[i];
        if (c != first && c != firstUpper)
            continue;
        qsizetype j = 1;
        for (; j < n; ++j) {
            char h = haystack[i + j];
            if (h >= 'A' && h <= 'Z')
                h = char(h + 32);
            if (h != needle[j])
                break;
        }
        if (j == n)
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
                return bytes.indexOf(textUtf8) >= 0;
            if (asciiFold)
                return filterdetail::containsFolded(bytes, textUtf8);
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
