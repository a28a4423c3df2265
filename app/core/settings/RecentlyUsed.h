#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace wst {

// The desktop's list of recently used files: freedesktop's recently-used.xbel, kept the way GTK's
// GtkRecentManager keeps it, so that file choosers and the desktop's "Recent" place show the
// session files wstester opened or saved.
class RecentlyUsed
{
public:
    // The list's file; empty (the default) writes nothing. The window sets
    // $XDG_DATA_HOME/recently-used.xbel at start (defaultFile()); tests set their own or none.
    static void setFile(const QString &path);
    static QString file();
    static QString defaultFile();

    struct Entry
    {
        QString filePath; // absolute
        QString mimeType; // "application/x-wstsession"
        QString application; // "wstester"
        QString exec; // "'wstester %u'", as GTK writes it
        QDateTime when;
    };

    // Adds the entry to the list in file(), or moves it to the end with the new time and one more
    // use. Written atomically; a list that does not read as XBEL, or is larger than MaxFileSize,
    // is left as it is. Returns the problem in one line, or an empty string.
    static QString add(const Entry &entry);

    // The list with the entry in it (bookmarks of other files are kept as they were); the empty
    // list gives a new one. On a problem: empty, and *error says what.
    static QByteArray withEntry(const QByteArray &xbel, const Entry &entry, QString *error);

    static constexpr qint64 MaxFileSize = 8 * 1024 * 1024;
};

} // namespace wst
