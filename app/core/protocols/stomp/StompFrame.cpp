#include "StompFrame.h"

namespace wst {

namespace {
QByteArray escape(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case ':':
            out += "\\c";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Undoes escape(); an undefined escape sequence is a fatal error in STOMP 1.2.
bool unescape(const QByteArray &text, QByteArray *out, QString *error)
{
    out->clear();
    out->reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c != '\\') {
            *out += c;
            continue;
        }
        const char next = i + 1 < text.size() ? text.at(i + 1) : '\0';
        switch (next) {
        case 'r':
            *out += '\r';
            break;
        case 'n':
            *out += '\n';
            break;
        case 'c':
            *out += ':';
            break;
        case '\\':
            *out += '\\';
            break;
        default:
            *error = i + 1 < text.size()
                ? StompFrame::tr("undefined escape sequence \"\\%1\" in a header").arg(QLatin1Char(next))
                : StompFrame::tr("a header ends with a lone backslash");
            return false;
        }
        ++i;
    }
    return true;
}

QString printable(const QByteArray &bytes)
{
    QString s = QString::fromUtf8(bytes.left(40));
    for (QChar &c : s) {
        if (c.unicode() < 0x20)
            c = QLatin1Char('?');
    }
    return bytes.size() > 40 ? s + QStringLiteral("...") : s;
}

// Reads one line ending in LF or CRLF from pos. Returns false when no LF follows.
bool readLine(const QByteArray &data, qsizetype &pos, qsizetype limit, QByteArray *line, bool *tooLong)
{
    const qsizetype lf = data.indexOf('\n', pos);
    *tooLong = false;
    if (lf < 0)
        return false;
    qsizetype end = lf;
    if (end > pos && data.at(end - 1) == '\r')
        --end;
    if (end - pos > limit) {
        *tooLong = true;
        return false;
    }
    *line = data.mid(pos, end - pos);
    pos = lf + 1;
    return true;
}

bool isEol(const QByteArray &data, qsizetype pos)
{
    return data.at(pos) == '\n'
        || (data.at(pos) == '\r' && pos + 1 < data.size() && data.at(pos + 1) == '\n');
}

qsizetype skipEols(const QByteArray &data, qsizetype pos)
{
    while (pos < data.size() && isEol(data, pos))
        pos += data.at(pos) == '\r' ? 2 : 1;
    return pos;
}
} // namespace

StompFrame StompFrame::heartBeat()
{
    StompFrame f;
    f.heartbeat = true;
    return f;
}

StompFrame StompFrame::make(const QByteArray &command, const StompHeaders &headers, const QByteArray &body)
{
    StompFrame f;
    f.command = command;
    f.headers = headers;
    f.body = body;
    return f;
}

QByteArray StompFrame::header(const QByteArray &name, const QByteArray &fallback) const
{
    for (const auto &h : headers) {
        if (h.first == name)
            return h.second;
    }
    return fallback;
}

bool StompFrame::hasHeader(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first == name)
            return true;
    }
    return false;
}

void StompFrame::setHeader(const QByteArray &name, const QByteArray &value)
{
    bool set = false;
    for (qsizetype i = 0; i < headers.size();) {
        if (headers[i].first != name) {
            ++i;
        } else if (!set) {
            headers[i].second = value;
            set = true;
            ++i;
        } else {
            headers.removeAt(i);
        }
    }
    if (!set)
        headers.append({ name, value });
}

void StompFrame::removeHeader(const QByteArray &name)
{
    headers.removeIf([&name](const QPair<QByteArray, QByteArray> &h) { return h.first == name; });
}

bool StompFrame::escapesHeaders(const QByteArray &command)
{
    return command != "CONNECT" && command != "CONNECTED";
}

QByteArray StompFrame::serialize() const
{
    if (heartbeat)
        return QByteArrayLiteral("\n");
    const bool esc = escapesHeaders(command);
    QByteArray out;
    out.reserve(command.size() + body.size() + 64 * (headers.size() + 1));
    out += command;
    out += '\n';
    for (const auto &h : headers) {
        out += esc ? escape(h.first) : h.first;
        out += ':';
        out += esc ? escape(h.second) : h.second;
        out += '\n';
    }
    out += '\n';
    out += body;
    out += '\0';
    return out;
}

QList<StompFrame> StompFrame::parseAll(const QByteArray &data, QString *error)
{
    error->clear();
    QList<StompFrame> frames;
    qsizetype pos = skipEols(data, 0);
    if (pos == data.size()) {
        if (data.isEmpty())
            *error = tr("an empty message is not a STOMP frame");
        else
            frames.append(heartBeat());
        return frames;
    }
    while (pos < data.size()) {
        StompFrame f;
        QByteArray line;
        bool tooLong = false;
        if (!readLine(data, pos, MaxCommandBytes, &line, &tooLong)) {
            *error = tooLong
                ? tr("the command line is longer than %1 bytes").arg(MaxCommandBytes)
                : tr("the frame ends inside its command line (\"%1\")").arg(printable(data.mid(pos)));
            return frames;
        }
        for (const char c : line) {
            if (c < 'A' || c > 'Z') {
                *error = tr("\"%1\" is not a STOMP command").arg(printable(line));
                return frames;
            }
        }
        f.command = line;
        const bool esc = escapesHeaders(f.command);
        qsizetype contentLength = -1;
        for (;;) {
            if (!readLine(data, pos, MaxHeaderLineBytes, &line, &tooLong)) {
                *error = tooLong ? tr("%1: a header is longer than %2 bytes")
                                       .arg(QString::fromLatin1(f.command))
                                       .arg(MaxHeaderLineBytes)
                                 : tr("%1: the frame ends inside its headers (no blank line before the body)")
                                       .arg(QString::fromLatin1(f.command));
                return frames;
            }
            if (line.isEmpty())
                break;
            if (f.headers.size() >= MaxHeaders) {
                *error = tr("%1: more than %2 headers").arg(QString::fromLatin1(f.command)).arg(MaxHeaders);
                return frames;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                *error = colon < 0 ? tr("%1: header line \"%2\" has no colon")
                                         .arg(QString::fromLatin1(f.command), printable(line))
                                   : tr("%1: a header has an empty name").arg(QString::fromLatin1(f.command));
                return frames;
            }
            QByteArray name = line.left(colon);
            QByteArray value = line.mid(colon + 1);
            if (esc) {
                QByteArray n, v;
                if (!unescape(name, &n, error) || !unescape(value, &v, error)) {
                    *error = QString::fromLatin1(f.command) + QStringLiteral(": ") + *error;
                    return frames;
                }
                name = n;
                value = v;
            }
            if (name == "content-length" && !f.hasHeader(name)) {
                bool ok = false;
                contentLength = value.trimmed().toLongLong(&ok);
                if (!ok || contentLength < 0) {
                    *error = tr("%1: content-length \"%2\" is not a number of bytes")
                                 .arg(QString::fromLatin1(f.command), printable(value));
                    return frames;
                }
            }
            f.headers.append({ name, value });
        }
        if (contentLength >= 0) {
            if (contentLength > data.size() - pos) {
                *error = tr("%1: content-length says %2 bytes but only %3 follow")
                             .arg(QString::fromLatin1(f.command))
                             .arg(contentLength)
                             .arg(data.size() - pos);
                return frames;
            }
            if (contentLength == data.size() - pos || data.at(pos + contentLength) != '\0') {
                *error = tr("%1: no NUL after the %2 bytes of content-length")
                             .arg(QString::fromLatin1(f.command))
                             .arg(contentLength);
                return frames;
            }
            f.body = data.mid(pos, contentLength);
            pos += contentLength + 1;
        } else {
            const qsizetype nul = data.indexOf('\0', pos);
            if (nul < 0) {
                *error = tr("%1: the frame has no NUL terminator").arg(QString::fromLatin1(f.command));
                return frames;
            }
            f.body = data.mid(pos, nul - pos);
            pos = nul + 1;
        }
        frames.append(f);
        pos = skipEols(data, pos);
    }
    return frames;
}

} // namespace wst
