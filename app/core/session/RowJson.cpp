#include "RowJson.h"

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

bool needsEscape(char ch)
{
    const auto c = quint8(ch);
    return c < 0x20 || c == '"' || c == '\\';
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

void appendString(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    const char *p = utf8.data();
    const char *const end = p + utf8.size();
    while (p < end) {
        // Copy the run of characters that need no escape in one append.
        const char *run = p;
        while (p < end && !needsEscape(*p))
            ++p;
        if (p > run)
            out.append(run, p - run);
        if (p == end)
            break;
        const auto c = quint8(*p++);
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default: {
            const char escaped[] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            out.append(escaped, 6);
        }
        }
    }
    out.append('"');
}

void appendIsoTime(QByteArray &out, qint64 timeUs)
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

    char buffer[28] = "0000-00-00T00:00:00.000000Z";
    putDigits(buffer + 4, qBound(qint64(0), year, qint64(9999)), 4);
    putDigits(buffer + 7, month, 2);
    putDigits(buffer + 10, day, 2);
    const qint64 seconds = usOfDay / 1000000;
    putDigits(buffer + 13, seconds / 3600, 2);
    putDigits(buffer + 16, seconds / 60 % 60, 2);
    putDigits(buffer + 19, seconds % 60, 2);
    putDigits(buffer + 26, usOfDay % 1000000, 6);
    out.append(buffer, 27);
}

void appendSeconds(QByteArray &out, qint64 timeUs)
{
    const qint64 seconds = floorDiv(timeUs, 1000000);
    char fraction[7] = {};
    putDigits(fraction + 6, timeUs - seconds * 1000000, 6);
    out.append(QByteArray::number(seconds));
    out.append('.');
    out.append(fraction, 6);
}

void appendMembers(QByteArray &out, const MessageRow &r, QByteArrayView payload)
{
    out.append("\"time\":\"");
    appendIsoTime(out, r.timeUs);
    out.append("\",\"ts_us\":");
    out.append(QByteArray::number(r.timeUs));
    if (r.connectionId != 0) {
        out.append(",\"client\":");
        out.append(QByteArray::number(r.connectionId));
    }
    out.append(",\"dir\":\"");
    out.append(directionKey(r.direction));
    out.append("\",\"kind\":\"");
    out.append(kindKey(r.kind));
    out.append("\",\"size\":");
    out.append(QByteArray::number(r.size));
    if (r.kind == Kind::Close) {
        out.append(",\"code\":");
        out.append(QByteArray::number(r.extra));
    } else if (r.kind == Kind::Pong && r.extra >= 0) {
        out.append(",\"rtt_ms\":");
        out.append(QByteArray::number(double(r.extra) / 1000.0, 'f', 3));
    }
    if (isBinaryKind(r.kind)) {
        out.append(",\"encoding\":\"base64\",\"data\":\"");
        out.append(QByteArray::fromRawData(payload.data(), payload.size()).toBase64());
        out.append('"');
    } else {
        const char *key = ",\"data\":";
        if (r.kind == Kind::Close)
            key = ",\"reason\":";
        else if (r.kind == Kind::Open)
            key = r.connectionId != 0 ? ",\"peer\":" : ",\"subprotocol\":";
        out.append(key);
        appendString(out, payload);
    }
}

QByteArray line(const MessageRow &row, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(payload.size() * 4 / 3 + 200);
    out.append('{');
    appendMembers(out, row, payload);
    out.append("}\n");
    return out;
}

} // namespace wst::RowJson
