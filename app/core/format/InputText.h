#pragma once

#include <QString>
#include <QStringView>

namespace wst {

// What the user typed or a file held, made safe to quote in a one-line message: line breaks, tabs,
// terminal escapes and other control characters (and the Unicode line separators and bidi
// overrides that would reorder the line) are shown as \n, \r, \t, \xHH or \uHHHH. Backslashes
// stay as they are, so escaping twice changes nothing and a Windows path still reads as one.
class InputText
{
public:
    static QString escaped(QStringView text);
    // escaped() between curly quotes, the way messages quote input.
    static QString quoted(QStringView text);
};

} // namespace wst
