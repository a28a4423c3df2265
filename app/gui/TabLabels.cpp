#include "TabLabels.h"

#include <QUrl>

namespace wst {

namespace {

bool isSeparator(QChar c)
{
    return c == u':' || c == u'/' || c == u'.';
}

// The longest start (or end) that `title` shares with any other title.
qsizetype sharedLength(const QStringList &titles, qsizetype index, bool fromEnd)
{
    const QString &title = titles.at(index);
    qsizetype shared = 0;
    for (qsizetype j = 0; j < titles.size(); ++j) {
        if (j == index)
            continue;
        const QString &other = titles.at(j);
        if (other == title)
            continue; // nothing can tell the same title apart: it stays whole
        qsizetype n = 0;
        while (n < title.size() && n < other.size()
            && (fromEnd ? title.at(title.size() - 1 - n) == other.at(other.size() - 1 - n)
                        : title.at(n) == other.at(n)))
            ++n;
        shared = qMax(shared, n);
    }
    return shared;
}

} // namespace

QString TabLabels::forUrl(const QUrl &url)
{
    QString title = url.host();
    if (title.isEmpty())
        return title;
    if (url.port() != -1)
        title += u':' + QString::number(url.port());
    if (url.path().size() > 1)
        title += url.path();
    return title;
}

QStringList TabLabels::distinctive(const QStringList &titles)
{
    // Cutting fewer characters than this saves too little to lose them.
    constexpr qsizetype MinCut = 4;
    QStringList labels;
    labels.reserve(titles.size());
    for (qsizetype i = 0; i < titles.size(); ++i) {
        const QString &title = titles.at(i);
        // The shared start goes up to a separator, which stays: "127.0.0.1:9001" -> ":9001".
        qsizetype start = 0;
        for (qsizetype k = qMin(sharedLength(titles, i, false), title.size() - 1) - 1; k >= 0; --k) {
            if (isSeparator(title.at(k))) {
                start = k;
                break;
            }
        }
        if (start < MinCut) {
            labels.append(title);
            continue;
        }
        // Then a shared end from a separator on: ":9001/echo" -> ":9001".
        qsizetype end = title.size();
        const qsizetype sharedEnd = sharedLength(titles, i, true);
        for (qsizetype k = title.size() - sharedEnd; k < title.size(); ++k) {
            if (k > start + 1 && isSeparator(title.at(k))) {
                end = k;
                break;
            }
        }
        labels.append(title.mid(start, end - start));
    }
    return labels;
}

} // namespace wst
