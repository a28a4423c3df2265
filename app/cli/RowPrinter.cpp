#include "RowPrinter.h"

#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include <QDateTime>

namespace wst::cli {

namespace {

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    for (char ch : utf8) {
        const auto c = quint8(ch);
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (c < 0x20) {
                out.append("\\u00");
                out.append(hex[c >> 4]);
                out.append(hex[c & 15]);
            } else {
                out.append(char(c));
            }
        }
    }
    out.append('"');
}

const char *directionKey(Direction d)
{
    switch (d) {
    case Direction::In:
        return "in";
    case Direction::Out:
        return "out";
    case Direction::Event:
        return "event";
    }
    return "event";
}

const char *kindKey(Kind k)
{
    static const char *const names[] = { "text", "binary", "ping", "pong", "close", "open", "error", "info" };
    return names[int(k)];
}

bool isBinaryKind(Kind k)
{
    return k == Kind::Binary || k == Kind::Ping || k == Kind::Pong;
}

} // namespace

RowPrinter::RowPrinter(Format format, FILE *out)
    : m_format(format)
    , m_out(out)
{
}

QByteArray RowPrinter::jsonLine(const MessageStore &store, qint64 index)
{
    const MessageRow &r = store.row(index);
    const QByteArray payload = store.payload(index);
    QByteArray line;
    line.reserve(payload.size() + 160);
    line.append("{\"time\":\"");
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(r.timeUs / 1000, Qt::UTC);
    line.append(time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")).toLatin1());
    line.append(QByteArray::number(r.timeUs % 1000).rightJustified(3, '0'));
    line.append("Z\",\"ts_us\":");
    line.append(QByteArray::number(r.timeUs));
    if (r.connectionId != 0) {
        line.append(",\"client\":");
        line.append(QByteArray::number(r.connectionId));
    }
    line.append(",\"dir\":\"");
    line.append(directionKey(r.direction));
    line.append("\",\"kind\":\"");
    line.append(kindKey(r.kind));
    line.append("\",\"size\":");
    line.append(QByteArray::number(r.size));
    if (r.kind == Kind::Close) {
        line.append(",\"code\":");
        line.append(QByteArray::number(r.extra));
    } else if (r.kind == Kind::Pong && r.extra >= 0) {
        line.append(",\"rtt_ms\":");
        line.append(QByteArray::number(double(r.extra) / 1000.0, 'f', 3));
    }
    if (isBinaryKind(r.kind)) {
        line.append(",\"encoding\":\"base64\",\"data\":\"");
        line.append(payload.toBase64());
        line.append('"');
    } else {
        const char *key = ",\"data\":";
        if (r.kind == Kind::Close)
            key = ",\"reason\":";
        else if (r.kind == Kind::Open)
            key = r.connectionId != 0 ? ",\"peer\":" : ",\"subprotocol\":";
        line.append(key);
        appendJsonString(line, payload);
    }
    line.append("}\n");
    return line;
}

bool RowPrinter::print(const MessageStore &store, qint64 index)
{
    if (m_format == Format::Json) {
        const QByteArray line = jsonLine(store, index);
        fwrite(line.constData(), 1, size_t(line.size()), m_out);
        return true;
    }
    const MessageRow &r = store.row(index);
    if (r.direction != Direction::In || (r.kind != Kind::Text && r.kind != Kind::Binary))
        return false;
    const QByteArray payload = store.payload(index);
    if (r.kind == Kind::Text) {
        fwrite(payload.data(), 1, size_t(payload.size()), m_out);
    } else {
        const QByteArray line = "[binary base64] " + payload.toBase64();
        fwrite(line.constData(), 1, size_t(line.size()), m_out);
    }
    fputc('\n', m_out);
    return true;
}

void RowPrinter::flush()
{
    fflush(m_out);
}

} // namespace wst::cli
