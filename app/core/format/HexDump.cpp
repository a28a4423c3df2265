#include "HexDump.h"

#include <QStringList>

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

} // namespace wst
