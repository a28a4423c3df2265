#include "TextSearch.h"

namespace wst {

namespace {

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

} // namespace

TextSearch::Result TextSearch::findInText(
    QStringView text, const QString &needle, Qt::CaseSensitivity cs, const std::function<bool()> &canceled)
{
    Result r;
    r.length = needle.size();
    if (needle.isEmpty())
        return r;
    qsizetype from = 0;
    for (;;) {
        const qsizetype at = text.indexOf(needle, from, cs);
        if (at < 0)
            break;
        if (r.offsets.size() >= MaxMatches) {
            r.capped = true;
            break;
        }
        r.offsets.append(at);
        from = at + needle.size();
        if ((r.offsets.size() & 1023) == 0 && canceled && canceled())
            break;
    }
    return r;
}

TextSearch::Result TextSearch::findInBytes(QByteArrayView data, const QByteArray &needle,
    Qt::CaseSensitivity cs, const std::function<bool()> &canceled)
{
    Result r;
    r.length = needle.size();
    if (needle.isEmpty())
        return r;
    // Case folding is ASCII only: bytes have no encoding to fold by.
    QByteArray folded;
    QByteArray foldedNeedle = needle;
    if (cs == Qt::CaseInsensitive) {
        folded = data.toByteArray();
        for (char &c : folded)
            c = asciiLower(c);
        for (char &c : foldedNeedle)
            c = asciiLower(c);
        data = folded;
    }
    qsizetype from = 0;
    for (;;) {
        const qsizetype at = data.indexOf(foldedNeedle, from);
        if (at < 0)
            break;
        if (r.offsets.size() >= MaxMatches) {
            r.capped = true;
            break;
        }
        r.offsets.append(at);
        from = at + foldedNeedle.size();
        if ((r.offsets.size() & 1023) == 0 && canceled && canceled())
            break;
    }
    return r;
}

QByteArray TextSearch::bytesNeedle(const QString &typed)
{
    QString digits = typed;
    digits.remove(u' ');
    bool hex = !digits.isEmpty() && digits.size() % 2 == 0;
    for (const QChar c : std::as_const(digits))
        hex = hex && ((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'));
    // "cafe" is both a word and two bytes; the bytes win, as a hex view is where it was typed.
    return hex ? QByteArray::fromHex(digits.toLatin1()) : typed.toUtf8();
}

} // namespace wst
