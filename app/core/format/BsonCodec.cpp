#include "BsonCodec.h"

#include "format/JsonLocator.h"

#include <QVarLengthArray>
#include <QtEndian>

#include <bson/bson.h>

#include <cstring>
#include <memory>

namespace wst {

namespace {

constexpr int MaxDepth = 256;

qint64 int32At(QByteArrayView bytes, qsizetype at)
{
    qint32 value = 0;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return qFromLittleEndian(value);
}

// Walks the document's elements without recursion: every length inside its document, nesting at
// most MaxDepth. libbson validates and converts recursively, so a payload of nested documents
// (8 bytes a level) would overflow the stack before it. Empty when the structure is sound.
QString checkStructure(QByteArrayView bytes)
{
    QVarLengthArray<qsizetype, 32> ends { bytes.size() };
    qsizetype pos = 4;
    auto pastEnd = [&](qsizetype at) {
        return BsonCodec::tr("BSON: the element at byte %1 runs past the end of its document.").arg(at);
    };
    while (!ends.isEmpty()) {
        const qsizetype end = ends.back();
        if (pos >= end)
            return pastEnd(pos);
        const qsizetype start = pos;
        const uchar type = uchar(bytes[pos]);
        if (type == 0) { // the end of a document: it must be its last byte
            if (pos + 1 != end)
                return BsonCodec::tr("BSON: a document ends at byte %1, before the length it gives.")
                    .arg(pos);
            pos = end;
            ends.pop_back();
            continue;
        }
        const qsizetype keyEnd = bytes.sliced(0, end).indexOf('\0', pos + 1);
        if (keyEnd < 0)
            return pastEnd(start);
        pos = keyEnd + 1;
        qint64 size = -1;
        switch (type) {
        case 0x06:
        case 0x0A:
        case 0x7F:
        case 0xFF:
            size = 0;
            break; // undefined, null, max/min key
        case 0x08:
            size = 1;
            break; // bool
        case 0x10:
            size = 4;
            break; // int32
        case 0x01:
        case 0x09:
        case 0x11:
        case 0x12:
            size = 8;
            break; // double, date, timestamp, int64
        case 0x07:
            size = 12;
            break; // ObjectId
        case 0x13:
            size = 16;
            break; // decimal128
        case 0x02:
        case 0x0D:
        case 0x0E:
        case 0x0C: // string, code, symbol, DBPointer
            if (pos + 4 > end)
                return pastEnd(start);
            size = 4 + int32At(bytes, pos) + (type == 0x0C ? 12 : 0);
            if (int32At(bytes, pos) < 1)
                return pastEnd(start);
            break;
        case 0x05: // binary: length, subtype, bytes
            if (pos + 4 > end || int32At(bytes, pos) < 0)
                return pastEnd(start);
            size = 5 + int32At(bytes, pos);
            break;
        case 0x0B: { // regular expression: two C strings
            const qsizetype pattern = bytes.sliced(0, end).indexOf('\0', pos);
            const qsizetype options = pattern < 0 ? -1 : bytes.sliced(0, end).indexOf('\0', pattern + 1);
            if (options < 0)
                return pastEnd(start);
            size = options + 1 - pos;
            break;
        }
        case 0x03:
        case 0x04:
        case 0x0F: { // document, array, code with scope (its scope a document)
            if (pos + 4 > end)
                return pastEnd(start);
            const qint64 length = int32At(bytes, pos);
            if (length < 5 || pos + length > end)
                return pastEnd(start);
            qsizetype document = pos;
            if (type == 0x0F) { // total length, the code as a string, then the scope
                if (length < 14 || int32At(bytes, pos + 4) < 1
                    || pos + 8 + int32At(bytes, pos + 4) + 5 > pos + length)
                    return pastEnd(start);
                document = pos + 8 + qsizetype(int32At(bytes, pos + 4));
                if (document + int32At(bytes, document) != pos + length)
                    return pastEnd(start);
            }
            if (ends.size() >= MaxDepth)
                return BsonCodec::tr("BSON: documents nested deeper than %1.").arg(MaxDepth);
            ends.append(document + qsizetype(int32At(bytes, document)));
            pos = document + 4;
            continue;
        }
        default:
            return BsonCodec::tr("BSON: unknown element type 0x%1 at byte %2.")
                .arg(type, 2, 16, QLatin1Char('0'))
                .arg(start);
        }
        if (size < 0 || pos + size > end)
            return pastEnd(start);
        pos += qsizetype(size);
    }
    return {};
}

QString oneLine(const char *message)
{
    return QString::fromUtf8(message).simplified();
}

} // namespace

QByteArray BsonCodec::decode(QByteArrayView bytes, QString *error)
{
    error->clear();
    if (bytes.size() < 5) {
        *error = tr("BSON: the payload has %1 bytes; a document takes at least 5.").arg(bytes.size());
        return {};
    }
    const qint64 declared = int32At(bytes, 0);
    if (declared != bytes.size()) {
        *error = tr("BSON: the document says %1 bytes, the payload has %2.").arg(declared).arg(bytes.size());
        return {};
    }
    if (bytes.back() != '\0') {
        *error = tr("BSON: the document does not end with a zero byte.");
        return {};
    }
    if (const QString problem = checkStructure(bytes); !problem.isEmpty()) {
        *error = problem;
        return {};
    }
    bson_t document;
    if (!bson_init_static(&document, reinterpret_cast<const uint8_t *>(bytes.data()), size_t(bytes.size()))) {
        *error = tr("BSON: the document is malformed.");
        return {};
    }
    bson_error_t invalid;
    if (!bson_validate_with_error(&document, BSON_VALIDATE_UTF8, &invalid)) {
        *error = tr("BSON: %1.").arg(oneLine(invalid.message));
        return {};
    }
    size_t length = 0;
    std::unique_ptr<char, decltype(&bson_free)> json(
        bson_as_relaxed_extended_json(&document, &length), &bson_free);
    if (!json) { // the structure is sound (checked above): what is left is the text
        *error
            = tr("BSON: a string in the document is not valid UTF-8, or a value cannot be written as JSON.");
        return {};
    }
    // libbson writes a space around every colon and comma.
    return JsonLocator::compact(QByteArrayView(json.get(), qsizetype(length)));
}

QByteArray BsonCodec::encode(QByteArrayView json, QString *error)
{
    error->clear();
    const QByteArrayView text = json.trimmed();
    if (text.isEmpty() || text.front() != '{') {
        *error = tr("BSON: a document is a JSON object ({…}).");
        return {};
    }
    bson_error_t problem;
    // Not in a unique_ptr: bson_t is over-aligned, and the compiler warns about it as a template
    // argument. Nothing between here and bson_destroy() throws.
    bson_t *document
        = bson_new_from_json(reinterpret_cast<const uint8_t *>(text.data()), ssize_t(text.size()), &problem);
    if (!document) {
        *error = tr("BSON: %1.").arg(oneLine(problem.message));
        return {};
    }
    QByteArray out(reinterpret_cast<const char *>(bson_get_data(document)), qsizetype(document->len));
    bson_destroy(document);
    return out;
}

} // namespace wst
