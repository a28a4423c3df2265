#include "JsonFormat.h"

namespace wst {

namespace {

constexpr int MaxDepth = 512;

class Parser
{
public:
    Parser(QByteArrayView in, QByteArray *out, int indent)
        : m_begin(in.data())
        , m_p(in.data())
        , m_end(in.data() + in.size())
        , m_out(out)
        , m_indent(indent)
    {
    }

    JsonFormat::Result run()
    {
        JsonFormat::Result r;
        skipSpace();
        if (m_p == m_end) {
            fail(JsonFormat::tr("The document is empty: expected a JSON value."));
        } else if (value(0)) {
            skipSpace();
            if (m_p != m_end)
                fail(JsonFormat::tr("Unexpected data after the end of the JSON value."));
        }
        r.ok = m_error.isEmpty();
        r.error = m_error;
        r.errorOffset = r.ok ? -1 : m_errorOffset;
        return r;
    }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorOffset = m_p - m_begin;
        }
        return false;
    }

    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    void put(const char *from, qsizetype n)
    {
        if (m_out)
            m_out->append(from, n);
    }
    void putChar(char c)
    {
        if (m_out)
            m_out->append(c);
    }
    void newline(int level)
    {
        if (!m_out || m_indent <= 0)
            return;
        m_out->append('\n');
        m_out->append(QByteArray(qsizetype(level) * m_indent, ' '));
    }

    bool value(int level)
    {
        if (level >= MaxDepth)
            return fail(JsonFormat::tr("The document is nested more than %1 levels deep.").arg(MaxDepth));
        if (m_p == m_end)
            return fail(JsonFormat::tr("Unexpected end of the document: expected a value."));
        switch (*m_p) {
        case '{':
            return container(level, '}', true);
        case '[':
            return container(level, ']', false);
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            if (*m_p == '-' || (*m_p >= '0' && *m_p <= '9'))
                return number();
            return fail(
                JsonFormat::tr("Expected a value (object, array, string, number, true, false or null)."));
        }
    }

    bool container(int level, char close, bool object)
    {
        putChar(*m_p);
        ++m_p;
        skipSpace();
        if (m_p != m_end && *m_p == close) {
            putChar(close);
            ++m_p;
            return true;
        }
        for (;;) {
            newline(level + 1);
            skipSpace();
            if (object) {
                if (m_p == m_end || *m_p != '"')
                    return fail(JsonFormat::tr("Expected a key in double quotes."));
                if (!string())
                    return false;
                skipSpace();
                if (m_p == m_end || *m_p != ':')
                    return fail(JsonFormat::tr("Expected \u201c:\u201d after the key."));
                ++m_p;
                putChar(':');
                if (m_indent > 0)
                    putChar(' ');
                skipSpace();
            }
            if (!value(level + 1))
                return false;
            skipSpace();
            if (m_p == m_end)
                return fail(JsonFormat::tr(
                    "Unexpected end of the document: expected \u201c,\u201d or \u201c%1\u201d.")
                                .arg(QLatin1Char(close)));
            if (*m_p == ',') {
                putChar(',');
                ++m_p;
                skipSpace();
                if (m_p != m_end && *m_p == close)
                    return fail(JsonFormat::tr("A trailing comma is not allowed in JSON."));
                continue;
            }
            if (*m_p == close) {
                newline(level);
                putChar(close);
                ++m_p;
                return true;
            }
            return fail(JsonFormat::tr("Expected \u201c,\u201d or \u201c%1\u201d.").arg(QLatin1Char(close)));
        }
    }

    bool string()
    {
        const char *start = m_p;
        ++m_p;
        while (m_p != m_end) {
            const auto c = quint8(*m_p);
            if (c == '"') {
                ++m_p;
                put(start, m_p - start);
                return true;
            }
            if (c < 0x20)
                return fail(JsonFormat::tr("A control character must be escaped inside a string."));
            if (c == '\\') {
                ++m_p;
                if (m_p == m_end)
                    break;
                const char e = *m_p;
                if (e == 'u') {
                    for (int i = 1; i <= 4; ++i) {
                        if (m_p + i >= m_end || !isxdigit(quint8(m_p[i]))) {
                            m_p += qMin<qsizetype>(i, m_end - m_p);
                            return fail(JsonFormat::tr("\\u must be followed by four hex digits."));
                        }
                    }
                    m_p += 4;
                } else if (!QByteArrayView("\"\\/bfnrt").contains(e)) {
                    return fail(
                        JsonFormat::tr("Invalid escape sequence \\%1 in a string.").arg(QLatin1Char(e)));
                }
            }
            ++m_p;
        }
        m_p = m_end;
        return fail(JsonFormat::tr("The string is not terminated: a closing quote is missing."));
    }

    bool literal(const char *word)
    {
        const qsizetype n = qsizetype(strlen(word));
        if (m_end - m_p < n || memcmp(m_p, word, size_t(n)) != 0)
            return fail(JsonFormat::tr("Unknown word: expected true, false or null."));
        put(m_p, n);
        m_p += n;
        return true;
    }

    bool number()
    {
        const char *start = m_p;
        auto digits = [this] {
            const char *s = m_p;
            while (m_p != m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            return m_p - s;
        };
        if (*m_p == '-')
            ++m_p;
        if (m_p == m_end)
            return fail(JsonFormat::tr("Invalid number: a digit must follow \u201c-\u201d."));
        if (*m_p == '0') {
            ++m_p;
            if (m_p != m_end && *m_p >= '0' && *m_p <= '9')
                return fail(JsonFormat::tr("Invalid number: leading zeros are not allowed."));
        } else if (digits() == 0) {
            return fail(JsonFormat::tr("Invalid number: a digit must follow \u201c-\u201d."));
        }
        if (m_p != m_end && *m_p == '.') {
            ++m_p;
            if (digits() == 0)
                return fail(JsonFormat::tr("Invalid number: a digit must follow the decimal point."));
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (digits() == 0)
                return fail(JsonFormat::tr("Invalid number: the exponent has no digits."));
        }
        put(start, m_p - start);
        return true;
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    QByteArray *m_out;
    int m_indent;
    QString m_error;
    qsizetype m_errorOffset = -1;
};

} // namespace

JsonFormat::Result JsonFormat::check(QByteArrayView utf8)
{
    return Parser(utf8, nullptr, 0).run();
}

JsonFormat::Result JsonFormat::pretty(QByteArrayView utf8, int indent)
{
    QByteArray out;
    out.reserve(utf8.size() + utf8.size() / 2);
    Result r = Parser(utf8, &out, indent).run();
    if (r.ok)
        r.text = std::move(out);
    return r;
}

bool JsonFormat::looksLikeJson(QByteArrayView utf8)
{
    for (char c : utf8) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

QList<JsonFormat::Token> JsonFormat::tokenizeLine(QStringView line)
{
    QList<Token> tokens;
    const qsizetype n = line.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = line[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        if (c == u'"') {
            ++i;
            while (i < n && line[i] != u'"') {
                if (line[i] == u'\\')
                    ++i;
                ++i;
            }
            i = qMin(i + 1, n);
            qsizetype j = i;
            while (j < n && line[j].isSpace())
                ++j;
            tokens.append(
                { start, i - start, (j < n && line[j] == u':') ? TokenType::Key : TokenType::String });
        } else if (c == u'-' || c.isDigit()) {
            while (i < n
                && (line[i].isDigit() || line[i] == u'-' || line[i] == u'+' || line[i] == u'.'
                    || line[i] == u'e' || line[i] == u'E'))
                ++i;
            tokens.append({ start, i - start, TokenType::Number });
        } else if (c.isLetter()) {
            while (i < n && line[i].isLetter())
                ++i;
            tokens.append({ start, i - start, TokenType::Keyword });
        } else {
            ++i;
            if (QStringView(u"{}[],:").contains(c))
                tokens.append({ start, 1, TokenType::Punctuation });
        }
    }
    return tokens;
}

} // namespace wst
