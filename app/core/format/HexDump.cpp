#include "HexDump.h"

#include <QCoreApplication>

namespace wst {

QString HexDump::line(QByteArrayView data, qsizetype lineIndex)
{
    static const char digits[] = "0123456789abcdef";
    const qsizetype start = lineIndex * BytesPerLine;
    if (start < 0 || start >= data.size())
        return {};
    const qsizetype n = qMin<qsizetype>(BytesPerLine, data.size() - start);
    QString s;
    s.reserve(10 + BytesPerLine * 3 + 2 + BytesPerLine + 2);
    s += QStringLiteral("%1  ").arg(start, 8, 16, QLatin1Char('0'));
    for (qsizetype i = 0; i < BytesPerLine; ++i) {
        if (i < n) {
            const auto b = quint8(data[start + i]);
            s += QLatin1Char(digits[b >> 4]);
            s += QLatin1Char(digits[b & 15]);
            s += QLatin1Char(' ');
        } else {
            s += QLatin1String("   ");
        }
        if (i == 7)
            s += QLatin1Char(' ');
    }
    s += QLatin1String(" |");
    for (qsizetype i = 0; i < n; ++i) {
        const auto b = quint8(data[start + i]);
        s += (b >= 0x20 && b < 0x7f) ? QLatin1Char(char(b)) : QLatin1Char('.');
    }
    s += QLatin1Char('|');
    return s;
}

QString HexDump::dump(QByteArrayView data, qsizetype maxLines)
{
    qsizetype lines = lineCount(data.size());
    if (maxLines >= 0)
        lines = qMin(lines, maxLines);
    QStringList out;
    out.reserve(lines);
    for (qsizetype i = 0; i < lines; ++i)
        out.append(line(data, i));
    return out.join(QLatin1Char('\n'));
}

QByteArray HexDump::parseHex(const QString &text, QString *error)
{
    QByteArray out;
    int pending = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace() || c == u':' || c == u',' || c == u'-')
            continue;
        if (c == u'0' && i + 1 < text.size() && (text.at(i + 1) == u'x' || text.at(i + 1) == u'X')
            && pending < 0) {
            ++i;
            continue;
        }
        int v = -1;
        if (c >= u'0' && c <= u'9')
            v = c.unicode() - '0';
        else if (c >= u'a' && c <= u'f')
            v = c.unicode() - 'a' + 10;
        else if (c >= u'A' && c <= u'F')
            v = c.unicode() - 'A' + 10;
        if (v < 0) {
            *error = QCoreApplication::translate("HexDump", "\u201c%1\u201d at position %2 is not a hex digit.")
                         .arg(c)
                         .arg(i + 1);
            return {};
        }
        if (pending < 0) {
            pending = v;
        } else {
            out.append(char(pending << 4 | v));
            pending = -1;
        }
    }
    if (pending >= 0) {
        *error = QCoreApplication::translate("HexDump", "Odd number of hex digits: the last byte is incomplete.");
        return {};
    }
    error->clear();
    return out;
}

QByteArray HexDump::parseBase64(const QString &text, QString *error)
{
    QByteArray compact;
    for (QChar c : text) {
        if (!c.isSpace())
            compact.append(char(c.unicode() < 128 ? c.unicode() : '?'));
    }
    const bool url = compact.contains('-') || compact.contains('_');
    auto options = (url ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding)
        | QByteArray::AbortOnBase64DecodingErrors;
    if (compact.size() % 4 != 0)
        options |= QByteArray::OmitTrailingEquals;
    const auto result = QByteArray::fromBase64Encoding(compact, options);
    if (!result) {
        *error = QCoreApplication::translate("HexDump", "The text is not valid base64.");
        return {};
    }
    error->clear();
    return result.decoded;
}

} // namespace wst
