#include "InputText.h"

namespace wst {

namespace {

bool needsEscape(char16_t c)
{
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return true;
    return c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

} // namespace

QString InputText::escaped(QStringView text)
{
    qsizetype first = 0;
    while (first < text.size() && !needsEscape(text[first].unicode()))
        ++first;
    if (first == text.size())
        return text.toString();
    QString out = text.left(first).toString();
    out.reserve(text.size() + 8);
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (!needsEscape(c)) {
            out += QChar(c);
            continue;
        }
        switch (c) {
        case u'\n':
            out += QLatin1StringView("\\n");
            break;
        case u'\r':
            out += QLatin1StringView("\\r");
            break;
        case u'\t':
            out += QLatin1StringView("\\t");
            break;
        default:
            if (c <= 0xff)
                out += QLatin1StringView("\\x") + QString::number(c, 16).rightJustified(2, u'0');
            else
                out += QLatin1StringView("\\u") + QString::number(c, 16).rightJustified(4, u'0');
        }
    }
    return out;
}

QString InputText::quoted(QStringView text)
{
    return QChar(0x201c) + escaped(text) + QChar(0x201d);
}

} // namespace wst
