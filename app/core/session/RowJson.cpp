#include "RowJson.h"

#include <charconv>

namespace wst::RowJson {

namespace {

// Writes `value` as exactly `width` decimal digits ending just before `end`.
void putDigits(char *end, qint64 value, int width)
{
    for (int i = 0; i < width; ++i) {
        *--end = char('0' + value % 10);
        value /= 10;
    }
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// How many bytes the JSON escape of each byte adds: 1 for \" \\ \n \r \t, 5 for \u00XX.
struct EscapeTable
{
    quint8 extra[256] = {};
    constexpr EscapeTable()
    {
        for (int c = 0; c < 0x20; ++c)
            extra[c] = 5;
        extra[int('"')] = extra[int('\\')] = extra[int('\n')] = extra[int('\r')] = extra[int('\t')] = 1;
    }
};
constexpr EscapeTable Escapes;

// Grows `out` by `size` bytes and returns where they start.
char *grow(QByteArray &out, qsizetype size)
{
    const qsizetype at = out.size();
    if (out.capacity() < at + size)
        out.reserve(std::max(at + size, out.capacity() * 2));
    out.resize(at + size);
    return out.data() + at;
}

} // namespace

const char *directionKey(Direction direction)
{
    switch (direction) {
    case Direction::In:
        return "in";
    case Direction::Out:
        return "out";
    case Direction::Event:
        return "event";
    }
    return "event";
}

const char *kindKey(Kind kind)
{
    static const char *const names[] = { "text", "binary", "ping", "pong", "close", "open", "error", "info" };
    const int i = int(kind);
    return i >= 0 && i < KindCount ? names[i] : "info";
}

bool isBinaryKind(Kind kind)
{
    return kind == Kind::Binary || kind == Kind::Ping || kind == Kind::Pong;
}

void Piece::addNumber(qint64 value)
{
    m_end = std::to_chars(m_end, m_buffer + Capacity, value).ptr;
}

void Piece::addIsoTime(qint64 timeUs)
{
    // Formatting by hand: QDateTime::toString costs microseconds a row.
    constexpr qint64 UsPerDay = qint64(86400) * 1000000;
    qint64 days = floorDiv(timeUs, UsPerDay);
    const qint64 usOfDay = timeUs - days * UsPerDay;
    // Days to civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    days += 719468;
    const qint64 era = floorDiv(days, 146097);
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2);

    char *b = m_end;
    memcpy(b, "0000-00-00T00:00:00.000000Z", 27);
    putDigits(b + 4, qBound(qint64(0), year, qint64(9999)), 4);
    putDigits(b + 7, month, 2);
    putDigits(b + 10, day, 2);
    const qint64 seconds = usOfDay / 1000000;
    putDigits(b + 13, seconds / 3600, 2);
    putDigits(b + 16, seconds / 60 % 60, 2);
    putDigits(b + 19, seconds % 60, 2);
    putDigits(b + 26, usOfDay % 1000000, 6);
    m_end += 27;
}

void Piece::addSeconds(qint64 timeUs)
{
    const qint64 seconds = floorDiv(timeUs, 1000000);
    addNumber(seconds);
    add('.');
    putDigits(m_end + 6, timeUs - seconds * 1000000, 6);
    m_end += 6;
}

void Piece::appendTo(QByteArray &out) const
{
    const qsizetype size = m_end - m_buffer;
    memcpy(grow(out, size), m_buffer, size_t(size));
}

void appendString(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    const auto *p = reinterpret_cast<const quint8 *>(utf8.data());
    const auto *const end = p + utf8.size();
    // Measure first, then write into place: one resize a string.
    qsizetype extra = 0;
    for (const quint8 *q = p; q < end; ++q)
        extra += Escapes.extra[*q];
    char *o = grow(out, utf8.size() + extra + 2);
    *o++ = '"';
    if (extra == 0) {
        // An empty QByteArrayView has a null data(): memcpy must not see it, even for 0 bytes.
        if (!utf8.isEmpty())
            memcpy(o, p, size_t(utf8.size()));
        o += utf8.size();
    } else {
        for (; p < end; ++p) {
            const quint8 c = *p;
            if (!Escapes.extra[c]) {
                *o++ = char(c);
                continue;
            }
            *o++ = '\\';
            switch (c) {
            case '"':
            case '\\':
                *o++ = char(c);
                break;
            case '\n':
                *o++ = 'n';
                break;
            case '\r':
                *o++ = 'r';
                break;
            case '\t':
                *o++ = 't';
                break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
        }
    }
    *o = '"';
}

void appendBase64(QByteArray &out, QByteArrayView bytes)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto *p = reinterpret_cast<const quint8 *>(bytes.data());
    const qsizetype n = bytes.size();
    char *o = grow(out, (n + 2) / 3 * 4);
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const quint32 v = quint32(p[i]) << 16 | quint32(p[i + 1]) << 8 | p[i + 2];
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = alphabet[(v >> 6) & 63];
        *o++ = alphabet[v & 63];
    }
    if (i < n) {
        const quint32 v = quint32(p[i]) << 16 | (i + 1 < n ? quint32(p[i + 1]) << 8 : 0);
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
}

void appendIsoTime(QByteArray &out, qint64 timeUs)
{
    Piece piece;
    piece.addIsoTime(timeUs);
    piece.appendTo(out);
}

void appendSeconds(QByteArray &out, qint64 timeUs)
{
    Piece piece;
    piece.addSeconds(timeUs);
    piece.appendTo(out);
}

void appendObject(QByteArray &out, const MessageRow &r, QByteArrayView payload, qint64 tab, qint64 seq)
{
    Piece head;
    head.add('{');
    if (tab >= 0) {
        head.add("\"tab\":");
        head.addNumber(tab);
        head.add(",\"seq\":");
        head.addNumber(seq);
        head.add(',');
    }
    head.add("\"time\":\"");
    head.addIsoTime(r.timeUs);
    head.add("\",\"ts_us\":");
    head.addNumber(r.timeUs);
    if (r.connectionId != 0) {
        head.add(",\"client\":");
        head.addNumber(r.connectionId);
    }
    head.add(",\"dir\":\"");
    head.addString(directionKey(r.direction));
    head.add("\",\"kind\":\"");
    head.addString(kindKey(r.kind));
    head.add("\",\"size\":");
    head.addNumber(r.size);
    if (r.kind == Kind::Close) {
        head.add(",\"code\":");
        head.addNumber(r.extra);
    } else if (r.kind == Kind::Pong && r.extra >= 0) {
        // ms with three decimals, from the integer µs.
        head.add(",\"rtt_ms\":");
        head.addNumber(r.extra / 1000);
        head.add('.');
        char fraction[3];
        putDigits(fraction + 3, r.extra % 1000, 3);
        head.add(fraction, 3);
    }
    if (isBinaryKind(r.kind)) {
        head.add(",\"encoding\":\"base64\",\"data\":\"");
        head.appendTo(out);
        appendBase64(out, payload);
        memcpy(grow(out, 2), "\"}", 2);
        return;
    }
    if (r.kind == Kind::Close)
        head.add(",\"reason\":");
    else if (r.kind == Kind::Open)
        head.addString(r.connectionId != 0 ? ",\"peer\":" : ",\"subprotocol\":");
    else
        head.add(",\"data\":");
    head.appendTo(out);
    appendString(out, payload);
    *grow(out, 1) = '}';
}

QByteArray line(const MessageRow &row, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(payload.size() * 4 / 3 + 200);
    appendObject(out, row, payload);
    out.append('\n');
    return out;
}

} // namespace wst::RowJson
