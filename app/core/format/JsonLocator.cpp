#include "JsonLocator.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstring>

namespace wst {

namespace {

// A forgiving scanner over text that QJsonDocument has already accepted.
class Scanner
{
public:
    explicit Scanner(const QByteArray &text)
        : m_s(text)
    {
    }

    void skipSpace()
    {
        while (
            m_p < m_s.size() && (m_s[m_p] == ' ' || m_s[m_p] == '\n' || m_s[m_p] == '\r' || m_s[m_p] == '\t'))
            ++m_p;
    }
    QString readString()
    {
        const qsizetype start = m_p;
        ++m_p; // opening quote
        bool escaped = false;
        while (m_p < m_s.size()) {
            const char c = m_s[m_p++];
            if (c == '\\') {
                escaped = true;
                ++m_p;
            } else if (c == '"') {
                break;
            }
        }
        const QByteArray raw = m_s.mid(start, m_p - start);
        if (!escaped)
            return QString::fromUtf8(raw.mid(1, raw.size() - 2));
        return QJsonDocument::fromJson("[" + raw + "]").array().first().toString();
    }
    void skipValue()
    {
        skipSpace();
        if (m_p >= m_s.size())
            return;
        const char c = m_s[m_p];
        if (c == '"') {
            readString();
        } else if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_p;
            skipSpace();
            if (m_p < m_s.size() && m_s[m_p] == close) {
                ++m_p;
                return;
            }
            while (m_p < m_s.size()) {
                if (c == '{') {
                    skipSpace();
                    readString();
                    skipSpace();
                    ++m_p; // ':'
                }
                skipValue();
                skipSpace();
                if (m_p < m_s.size() && m_s[m_p++] == close)
                    return;
            }
        } else {
            while (m_p < m_s.size() && !strchr(",]} \t\r\n", m_s[m_p]))
                ++m_p;
        }
    }
    // Leaves m_p at the value (or the key) the path names, as deep as it exists.
    void find(const QList<QVariant> &path, int depth, bool keyOfLast)
    {
        skipSpace();
        if (depth >= path.size() || m_p >= m_s.size())
            return;
        const char c = m_s[m_p];
        const QVariant &want = path.at(depth);
        if (c == '{' && want.typeId() == QMetaType::QString) {
            const qsizetype objectStart = m_p;
            ++m_p;
            while (m_p < m_s.size()) {
                skipSpace();
                if (m_p >= m_s.size() || m_s[m_p] == '}')
                    break;
                const qsizetype keyStart = m_p;
                const QString key = readString();
                skipSpace();
                ++m_p; // ':'
                if (key == want.toString()) {
                    if (keyOfLast && depth == path.size() - 1) {
                        m_p = keyStart;
                        return;
                    }
                    skipSpace();
                    find(path, depth + 1, keyOfLast);
                    return;
                }
                skipValue();
                skipSpace();
                if (m_p < m_s.size() && m_s[m_p] == ',')
                    ++m_p;
            }
            m_p = objectStart;
        } else if (c == '[' && want.typeId() == QMetaType::Int) {
            const qsizetype arrayStart = m_p;
            ++m_p;
            for (int i = 0; m_p < m_s.size(); ++i) {
                skipSpace();
                if (m_p >= m_s.size() || m_s[m_p] == ']')
                    break;
                if (i == want.toInt()) {
                    find(path, depth + 1, keyOfLast);
                    return;
                }
                skipValue();
                skipSpace();
                if (m_p < m_s.size() && m_s[m_p] == ',')
                    ++m_p;
            }
            m_p = arrayStart;
        }
    }
    qsizetype pos() const { return m_p; }
    void setPos(qsizetype p) { m_p = p; }

private:
    const QByteArray &m_s;
    qsizetype m_p = 0;
};

} // namespace

JsonLocator::Position JsonLocator::locate(const QByteArray &json, const QList<QVariant> &path, bool keyOfLast)
{
    Scanner scanner(json);
    scanner.find(path, 0, keyOfLast);
    return position(json, scanner.pos());
}

QByteArray JsonLocator::compactText(const QByteArray &json, const QList<QVariant> &path)
{
    Scanner scanner(json);
    scanner.find(path, 0, false);
    const qsizetype start = qMin(scanner.pos(), json.size());
    scanner.skipValue();
    return compact(QByteArrayView(json).sliced(start, qMin(scanner.pos(), json.size()) - start));
}

QByteArray JsonLocator::compact(QByteArrayView json)
{
    QByteArray out;
    out.reserve(json.size());
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out.append(c);
            if (c == '\\' && i + 1 < json.size())
                out.append(json[++i]);
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            out.append(c);
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            out.append(c);
        }
    }
    return out;
}

JsonLocator::Position JsonLocator::position(const QByteArray &json, qsizetype offset)
{
    Position p { 1, 1 };
    const qsizetype end = qMin(offset, json.size());
    for (qsizetype i = 0; i < end; ++i) {
        const uchar c = uchar(json[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++p.column; // a UTF-8 continuation byte is part of the character before
        }
    }
    return p;
}

} // namespace wst
