#pragma once

#include <QByteArray>
#include <QList>
#include <QVariant>

namespace wst {

// Where in a JSON text a value sits, for error messages that point at the line and column the
// user wrote ("scenario.wstest.json:12:9: step 4: …"). QJsonDocument keeps no positions.
class JsonLocator
{
public:
    struct Position
    {
        int line = 0; // 1-based; 0 when not found
        int column = 0; // 1-based, in characters
    };
    // The position of the value at path (member names as QString, array indexes as int); with
    // keyOfLast, the position of the last member's name instead. Not found: the deepest part of
    // the path that exists. The text must be valid JSON.
    static Position locate(const QByteArray &json, const QList<QVariant> &path, bool keyOfLast = false);
    // The value at path as written, without the white space between tokens: members keep the
    // order of the file (QJsonObject sorts them). The path must name a value that is there.
    static QByteArray compactText(const QByteArray &json, const QList<QVariant> &path);
    // Valid JSON text without the white space between tokens (strings as they are).
    static QByteArray compact(QByteArrayView json);
    // Line and column of a byte offset (a QJsonParseError's).
    static Position position(const QByteArray &json, qsizetype offset);
};

} // namespace wst
