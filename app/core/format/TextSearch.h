#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace wst {

// Find inside one message: every occurrence of a needle in a text (the text or pretty JSON as
// shown) or in bytes (the hex view), in order, without overlaps. Pure functions, so a large
// message is searched in a worker thread while the window goes on.
class TextSearch
{
public:
    struct Result
    {
        QList<qsizetype> offsets; // UTF-16 offsets in a text, byte offsets in bytes
        qsizetype length = 0; // of one match, in the same unit
        bool capped = false; // more matches exist than offsets holds
    };

    // Beyond this many matches the count says "100,000+": nobody steps through more.
    static constexpr qsizetype MaxMatches = 100000;

    // canceled (optional) is polled now and then; a canceled search returns what it found.
    static Result findInText(QStringView text, const QString &needle, Qt::CaseSensitivity cs,
        const std::function<bool()> &canceled = {});
    static Result findInBytes(QByteArrayView data, const QByteArray &needle, Qt::CaseSensitivity cs,
        const std::function<bool()> &canceled = {});
    // What the user typed into the find bar of a hex view: hex digits ("de ad be ef", "DEADBEEF")
    // are those bytes; anything else is searched as its UTF-8 text.
    static QByteArray bytesNeedle(const QString &typed);
};

} // namespace wst
