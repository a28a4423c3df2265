// The desktop's recently-used list (XBEL) with a session added: whatever the list was, the result
// is empty with a one-line error, or XML that has the session's bookmark once, and adding it again
// still has it once.
#include "FuzzSupport.h"
#include "settings/RecentlyUsed.h"

#include <QUrl>
#include <QXmlStreamReader>

namespace {

// How many bookmarks of this href the list has; -1 when it does not read as XML.
int count(const QByteArray &xbel, const QString &href)
{
    QXmlStreamReader in(xbel);
    int n = 0;
    while (!in.atEnd()) {
        in.readNext();
        if (in.isStartElement() && in.name() == QLatin1StringView("bookmark")
            && in.attributes().value(QLatin1StringView("href")) == href)
            ++n;
    }
    return in.hasError() ? -1 : n;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const RecentlyUsed::Entry entry { QStringLiteral("/tmp/fuzz <&> \"x\".wstsession"),
        QStringLiteral("application/x-wstsession"), QStringLiteral("wstester"),
        QStringLiteral("'wstester %u'"), QDateTime(QDate(2026, 12, 5), QTime(12, 0), Qt::UTC) };
    const QString href = QString::fromUtf8(QUrl::fromLocalFile(entry.filePath).toEncoded());
    QString error;
    const QByteArray once = RecentlyUsed::withEntry(input, entry, &error);
    if (once.isEmpty()) {
        if (error.isEmpty() || error.contains(QLatin1Char('\n')))
            abort(); // a refusal says why, in one line
        return 0;
    }
    if (count(once, href) != 1)
        abort();
    QString again;
    const QByteArray twice = RecentlyUsed::withEntry(once, entry, &again);
    if (twice.isEmpty() || count(twice, href) != 1)
        abort();
    return 0;
}
