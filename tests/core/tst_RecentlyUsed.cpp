// The desktop's recently-used list (freedesktop XBEL, as GTK keeps it): wstester's sessions are
// added and moved to the end with one more use, other files' bookmarks are kept as they were, and
// a list that is not XBEL is never changed.
#include "settings/RecentlyUsed.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace wst;

namespace {

const QString BookmarkNs = QStringLiteral("http://www.freedesktop.org/standards/desktop-bookmarks");
const QString MimeNs = QStringLiteral("http://www.freedesktop.org/standards/shared-mime-info");

// A list as GTK 3 writes it, with a bookmark of another application.
QByteArray gtkList()
{
    QFile f(QStringLiteral(WST_TEST_DATA "/recently-used-gtk.xbel"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Seen
{
    QString href;
    QString added;
    QString mime;
    QString app;
    QString exec;
    int count = 0;
};

// Every bookmark of a list, read with namespaces as a desktop reads them; fails on bad XML.
QList<Seen> bookmarks(const QByteArray &xbel, bool *ok)
{
    QList<Seen> out;
    QXmlStreamReader in(xbel);
    while (!in.atEnd()) {
        in.readNext();
        if (!in.isStartElement())
            continue;
        if (in.name() == QLatin1StringView("bookmark") && in.namespaceUri().isEmpty()) {
            out.append(Seen());
            out.last().href = in.attributes().value(QLatin1StringView("href")).toString();
            out.last().added = in.attributes().value(QLatin1StringView("added")).toString();
        } else if (in.name() == QLatin1StringView("mime-type") && in.namespaceUri() == MimeNs
            && !out.isEmpty()) {
            out.last().mime = in.attributes().value(QLatin1StringView("type")).toString();
        } else if (in.name() == QLatin1StringView("application") && in.namespaceUri() == BookmarkNs
            && !out.isEmpty()) {
            out.last().app = in.attributes().value(QLatin1StringView("name")).toString();
            out.last().exec = in.attributes().value(QLatin1StringView("exec")).toString();
            out.last().count = in.attributes().value(QLatin1StringView("count")).toInt();
        }
    }
    *ok = !in.hasError();
    return out;
}

RecentlyUsed::Entry session(const QString &path, const QDateTime &when)
{
    return { path, QStringLiteral("application/x-wstsession"), QStringLiteral("wstester"),
        QStringLiteral("'wstester %u'"), when };
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_RecentlyUsed : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { RecentlyUsed::setFile({}); }
    void newList();
    void keepsOtherBookmarksAndCounts();
    void damagedListIsLeftAlone_data();
    void damagedListIsLeftAlone();
    void offByDefault();
};

void tst_RecentlyUsed::newList()
{
    QTemporaryDir dir;
    RecentlyUsed::setFile(dir.filePath(QStringLiteral("share/recently-used.xbel"))); // the folder is made
    const QDateTime when(QDate(2026, 12, 5), QTime(13, 20, 1, 250), Qt::UTC);
    QCOMPARE(
        RecentlyUsed::add(session(QStringLiteral("/home/ann/feed capture.wstsession"), when)), QString());
    bool ok = false;
    const QList<Seen> list = bookmarks(read(RecentlyUsed::file()), &ok);
    QVERIFY(ok);
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().href, QStringLiteral("file:///home/ann/feed%20capture.wstsession"));
    QCOMPARE(list.first().added, QStringLiteral("2026-12-05T13:20:01.250Z"));
    QCOMPARE(list.first().mime, QStringLiteral("application/x-wstsession"));
    QCOMPARE(list.first().app, QStringLiteral("wstester"));
    QCOMPARE(list.first().exec, QStringLiteral("'wstester %u'"));
    QCOMPARE(list.first().count, 1);
}

void tst_RecentlyUsed::keepsOtherBookmarksAndCounts()
{
    QTemporaryDir dir;
    RecentlyUsed::setFile(dir.filePath(QStringLiteral("recently-used.xbel")));
    QFile f(RecentlyUsed::file());
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray gtk = gtkList();
    QVERIFY(gtk.contains("gnome-text-editor"));
    f.write(gtk);
    f.close();
    const QDateTime first(QDate(2026, 12, 5), QTime(13, 0), Qt::UTC);
    const QString path = QStringLiteral("/tmp/a.wstsession");
    QCOMPARE(RecentlyUsed::add(session(path, first)), QString());
    QCOMPARE(RecentlyUsed::add(session(QStringLiteral("/tmp/b.wstsession"), first)), QString());
    QCOMPARE(RecentlyUsed::add(session(path, first.addSecs(60))), QString()); // used again
    const QByteArray written = read(RecentlyUsed::file());
    bool ok = false;
    const QList<Seen> list = bookmarks(written, &ok);
    QVERIFY2(ok, written.constData());
    QCOMPARE(list.size(), 3);
    // The other application's bookmark, as it was.
    QCOMPARE(list.at(0).href, QStringLiteral("file:///home/ann/notes%20today.txt"));
    QCOMPARE(list.at(0).added, QStringLiteral("2026-11-30T09:12:01.120443Z"));
    QCOMPARE(list.at(0).app, QStringLiteral("gnome-text-editor"));
    QCOMPARE(list.at(0).exec, QStringLiteral("'gnome-text-editor %u'"));
    QCOMPARE(list.at(0).count, 3);
    // The session used last is last, once, with two uses and the time it was first added.
    QCOMPARE(list.at(1).href, QStringLiteral("file:///tmp/b.wstsession"));
    QCOMPARE(list.at(2).href, QStringLiteral("file:///tmp/a.wstsession"));
    QCOMPARE(list.at(2).count, 2);
    QCOMPARE(list.at(2).added, QStringLiteral("2026-12-05T13:00:00.000Z"));
    // The prefixes stay GTK's own (a reader that does not resolve namespaces still finds them),
    // declared once, on the root.
    QVERIFY2(written.contains("<bookmark:application name=\"wstester\""), written.constData());
    QCOMPARE(written.count("xmlns:bookmark="), 1);
    QVERIFY(written.contains("<mime:mime-type type=\"application/x-wstsession\"/>"));
}

void tst_RecentlyUsed::damagedListIsLeftAlone_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("problem");
    QTest::newRow("cut short") << gtkList().left(gtkList().size() / 2)
                               << QStringLiteral("does not read as XML");
    QTest::newRow("not XML") << QByteArray("recently used: a.txt\n")
                             << QStringLiteral("does not read as XML");
    QTest::newRow("another root") << QByteArray("<?xml version=\"1.0\"?><html><body/></html>")
                                  << QStringLiteral("is not XBEL");
    QTest::newRow("too large") << QByteArray(RecentlyUsed::MaxFileSize + 1, ' ')
                               << QStringLiteral("larger than");
}

void tst_RecentlyUsed::damagedListIsLeftAlone()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    RecentlyUsed::setFile(dir.filePath(QStringLiteral("recently-used.xbel")));
    QFile f(RecentlyUsed::file());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(contents);
    f.close();
    const QString error
        = RecentlyUsed::add(session(QStringLiteral("/tmp/a.wstsession"), QDateTime::currentDateTimeUtc()));
    QVERIFY2(error.contains(problem), qPrintable(error));
    QVERIFY(error.contains(RecentlyUsed::file()));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QCOMPARE(read(RecentlyUsed::file()), contents);
}

void tst_RecentlyUsed::offByDefault()
{
    QCOMPARE(RecentlyUsed::file(), QString());
    QCOMPARE(RecentlyUsed::add(session(QStringLiteral("/tmp/a.wstsession"), QDateTime::currentDateTimeUtc())),
        QString());
    QVERIFY(RecentlyUsed::defaultFile().endsWith(QStringLiteral("/recently-used.xbel")));
}

QTEST_GUILESS_MAIN(tst_RecentlyUsed)
#include "tst_RecentlyUsed.moc"
