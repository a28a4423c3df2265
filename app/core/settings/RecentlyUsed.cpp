#include "RecentlyUsed.h"

#include "format/InputText.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace wst {

namespace {

const QString BookmarkNs = QStringLiteral("http://www.freedesktop.org/standards/desktop-bookmarks");
const QString MimeNs = QStringLiteral("http://www.freedesktop.org/standards/shared-mime-info");

QString &listFile()
{
    static QString path;
    return path;
}

QString stamp(const QDateTime &when)
{
    return when.toUTC().toString(Qt::ISODateWithMs);
}

// Reads the rest of a bookmark (the reader is on its start): the use count it had for this
// application, 0 when none.
int previousCount(QXmlStreamReader &in, const QString &application)
{
    int count = 0;
    int depth = 1;
    while (depth > 0 && !in.atEnd()) {
        in.readNext();
        if (in.isStartElement()) {
            ++depth;
            // Without namespace processing name() is the local part ("application" of
            // "bookmark:application").
            if (in.name() == QLatin1StringView("application")
                && in.attributes().value(QLatin1StringView("name")) == application)
                count = qBound(0, in.attributes().value(QLatin1StringView("count")).toInt(), 1 << 30);
        } else if (in.isEndElement()) {
            --depth;
        }
    }
    return count;
}

// The bookmark, with GTK's prefixes; `declare`: they are declared on it (the root of the list
// does not declare them, or declares them otherwise).
void writeEntry(QXmlStreamWriter &out, const RecentlyUsed::Entry &entry, const QString &href, int count,
    const QString &added, bool declare)
{
    const QString now = stamp(entry.when);
    out.writeStartElement(QStringLiteral("bookmark"));
    if (declare) {
        out.writeAttribute(QStringLiteral("xmlns:bookmark"), BookmarkNs);
        out.writeAttribute(QStringLiteral("xmlns:mime"), MimeNs);
    }
    out.writeAttribute(QStringLiteral("href"), href);
    out.writeAttribute(QStringLiteral("added"), added.isEmpty() ? now : added);
    out.writeAttribute(QStringLiteral("modified"), now);
    out.writeAttribute(QStringLiteral("visited"), now);
    out.writeStartElement(QStringLiteral("info"));
    out.writeStartElement(QStringLiteral("metadata"));
    out.writeAttribute(QStringLiteral("owner"), QStringLiteral("http://freedesktop.org"));
    out.writeEmptyElement(QStringLiteral("mime:mime-type"));
    out.writeAttribute(QStringLiteral("type"), entry.mimeType);
    out.writeStartElement(QStringLiteral("bookmark:applications"));
    out.writeEmptyElement(QStringLiteral("bookmark:application"));
    out.writeAttribute(QStringLiteral("name"), entry.application);
    out.writeAttribute(QStringLiteral("exec"), entry.exec);
    out.writeAttribute(QStringLiteral("modified"), now);
    out.writeAttribute(QStringLiteral("count"), QString::number(count + 1));
    out.writeEndElement(); // applications
    out.writeEndElement(); // metadata
    out.writeEndElement(); // info
    out.writeEndElement(); // bookmark
}

} // namespace

void RecentlyUsed::setFile(const QString &path)
{
    listFile() = path;
}

QString RecentlyUsed::file()
{
    return listFile();
}

QString RecentlyUsed::defaultFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/recently-used.xbel");
}

QByteArray RecentlyUsed::withEntry(const QByteArray &xbel, const Entry &entry, QString *error)
{
    const QString href = QString::fromUtf8(QUrl::fromLocalFile(entry.filePath).toEncoded());
    QByteArray result;
    QXmlStreamWriter out(&result);
    out.setAutoFormatting(true);
    if (xbel.trimmed().isEmpty()) {
        out.writeStartDocument();
        out.writeStartElement(QStringLiteral("xbel"));
        out.writeAttribute(QStringLiteral("version"), QStringLiteral("1.0"));
        out.writeAttribute(QStringLiteral("xmlns:bookmark"), BookmarkNs);
        out.writeAttribute(QStringLiteral("xmlns:mime"), MimeNs);
        writeEntry(out, entry, href, 0, {}, false);
        out.writeEndElement();
        out.writeEndDocument();
        return result;
    }

    const auto notXml = [error](const QXmlStreamReader &reader) {
        *error = QCoreApplication::translate(
            "wst::RecentlyUsed", "the list of recent files does not read as XML (line %1: %2)")
                     .arg(reader.lineNumber())
                     .arg(reader.hasError() ? InputText::escaped(reader.errorString())
                                            : QStringLiteral("empty"));
        return QByteArray();
    };
    // Read once as a desktop reads it (with namespaces): a list that is not XML is not touched.
    {
        QXmlStreamReader check(xbel);
        QString root;
        while (!check.atEnd()) {
            check.readNext();
            if (check.isStartElement() && root.isEmpty())
                root = check.name().toString();
        }
        if (check.hasError() || root.isEmpty())
            return notXml(check);
        if (root != QLatin1StringView("xbel")) {
            *error = QCoreApplication::translate(
                "wst::RecentlyUsed", "the list of recent files is not XBEL (its root is <%1>)")
                         .arg(InputText::escaped(QStringView(root).left(40)));
            return {};
        }
    }

    // Then copied token by token without namespace processing (QXmlStreamWriter would write a
    // namespace's URI unescaped), but for this file's old bookmark, which the new one replaces
    // at the end.
    QXmlStreamReader in(xbel);
    in.setNamespaceProcessing(false);
    int count = 0;
    QString added;
    int depth = 0;
    bool rootDeclares = false;
    while (!in.atEnd()) {
        in.readNext();
        if (in.isStartElement()) {
            // The file's old bookmark, where XBEL has it (under the root), or nested where it
            // has no business to be: either way it is replaced, so the file is listed once.
            if (depth >= 1 && in.name() == QLatin1StringView("bookmark")
                && in.attributes().value(QLatin1StringView("href")) == href) {
                if (added.isEmpty())
                    added = in.attributes().value(QLatin1StringView("added")).toString();
                count = qMax(count, previousCount(in, entry.application));
                continue; // previousCount() read it to its end
            }
            ++depth;
            // Written by hand: writeCurrentToken() would drop the prefix ("bookmark:") that the
            // reader keeps only in qualifiedName() without namespace processing.
            out.writeStartElement(in.qualifiedName().toString());
            QXmlStreamAttributes attributes;
            for (const QXmlStreamNamespaceDeclaration &d : in.namespaceDeclarations()) {
                attributes.append(
                    d.prefix().isEmpty() ? QStringLiteral("xmlns") : QStringLiteral("xmlns:") + d.prefix(),
                    d.namespaceUri().toString());
            }
            for (const QXmlStreamAttribute &a : in.attributes()) {
                if (!attributes.hasAttribute(a.qualifiedName().toString()))
                    attributes.append(a.qualifiedName().toString(), a.value().toString());
            }
            out.writeAttributes(attributes);
            if (depth == 1) {
                rootDeclares = attributes.value(QLatin1StringView("xmlns:bookmark")) == BookmarkNs
                    && attributes.value(QLatin1StringView("xmlns:mime")) == MimeNs;
            }
            continue;
        } else if (in.isEndElement()) {
            --depth;
            if (depth == 0)
                writeEntry(out, entry, href, count, added, !rootDeclares);
        } else if (in.isWhitespace()) {
            continue; // auto-formatting indents anew
        }
        out.writeCurrentToken(in);
    }
    // Read once already; without namespaces the reader could still disagree with itself.
    return in.hasError() ? notXml(in) : result;
}

QString RecentlyUsed::add(const Entry &entry)
{
    const QString path = file();
    if (path.isEmpty())
        return {};
    QByteArray old;
    QFile existing(path);
    if (existing.exists()) {
        if (existing.size() > MaxFileSize) {
            return QCoreApplication::translate(
                "wst::RecentlyUsed", "%1 is larger than %2 MiB; it was left as it is")
                .arg(QDir::toNativeSeparators(path))
                .arg(MaxFileSize / (1024 * 1024));
        }
        if (!existing.open(QIODevice::ReadOnly))
            return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), existing.errorString());
        old = existing.readAll();
        existing.close();
    }
    QString error;
    const QByteArray updated = withEntry(old, entry, &error);
    if (updated.isEmpty())
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), error);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(updated) != updated.size() || !out.commit())
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), out.errorString());
    return {};
}

} // namespace wst
