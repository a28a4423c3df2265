// The history filter's byte search (MessageFilterMatcher.h): the SSE2 path and the plain one
// against a reference search, on random payloads with the bytes that sit next to letters in
// ASCII ('@' '[' '`' '{' differ from letters only in the bit that folding sets) and UTF-8.
#include "messages/MessageFilterMatcher.h"

#include <QRandomGenerator>
#include <QtTest>

#include <algorithm>

using namespace wst;

class tst_FilterSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void agreesWithAReferenceSearch();
    void edges();
};

namespace {

bool reference(QByteArray haystack, const QByteArray &needle, bool fold)
{
    if (fold) {
        for (char &c : haystack) {
            if (c >= 'A' && c <= 'Z')
                c = char(c + 32);
        }
    }
    return std::search(haystack.cbegin(), haystack.cend(), needle.cbegin(), needle.cend()) != haystack.cend();
}

} // namespace

void tst_FilterSearch::agreesWithAReferenceSearch()
{
    const QByteArray alphabet("aAbBnNzZ@[`{09 \"\xc3\xa9\x80\xff");
    QRandomGenerator random(20261206);
    int found = 0;
    for (int round = 0; round < 200000; ++round) {
        QByteArray haystack(random.bounded(0, 80), Qt::Uninitialized);
        for (char &c : haystack)
            c = alphabet.at(random.bounded(alphabet.size()));
        const bool fold = random.bounded(2) == 1;
        QByteArray needle;
        if (!haystack.isEmpty() && random.bounded(2) == 1) {
            // A piece of the haystack, so that matches happen at every offset.
            const int at = random.bounded(haystack.size());
            needle = haystack.mid(at, random.bounded(1, 20));
        } else {
            needle.resize(random.bounded(1, 6));
            for (char &c : needle)
                c = alphabet.at(random.bounded(alphabet.size()));
        }
        if (fold) {
            // As the filter keeps it: lower case, and folding only for an ASCII needle.
            needle = needle.toLower();
            if (std::any_of(needle.cbegin(), needle.cend(), [](char c) { return uchar(c) >= 0x80; }))
                continue;
        }
        const bool expected = reference(haystack, needle, fold);
        found += expected;
        if (filterdetail::containsBytes(haystack, needle, fold) != expected)
            QFAIL(qPrintable(
                QStringLiteral("%1 in %2 (fold %3): expected %4")
                    .arg(QString::fromLatin1(needle.toHex()), QString::fromLatin1(haystack.toHex()))
                    .arg(fold)
                    .arg(expected)));
    }
    QVERIFY(found > 50000);
}

void tst_FilterSearch::edges()
{
    using filterdetail::containsBytes;
    QVERIFY(containsBytes("anything", "", true));
    QVERIFY(!containsBytes("", "a", false));
    QVERIFY(!containsBytes("ab", "abc", false));
    // Folding joins a letter's two cases, and nothing else.
    QVERIFY(containsBytes("xx NO SUCH Text", "no such text", true));
    QVERIFY(!containsBytes("xx NO SUCH Text", "no such text", false));
    QVERIFY(!containsBytes("@[", "`{", true));
    QVERIFY(!containsBytes("`{", "@[", true));
    // At the very end of a payload longer than one 16-byte step, and across it.
    const QByteArray long40 = QByteArray(QByteArray(37, '.') + "EnD");
    QVERIFY(containsBytes(long40, "end", true));
    QVERIFY(!containsBytes(long40, "ends", true));
    const QByteArray middle = QByteArray(15, '.') + "needle" + QByteArray(15, '.');
    QVERIFY(containsBytes(middle, "needle", false));
}

QTEST_GUILESS_MAIN(tst_FilterSearch)
#include "tst_FilterSearch.moc"
