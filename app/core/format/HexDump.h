#pragma once

#include <QByteArrayView>
#include <QString>

namespace wst {

// The classic hex dump: offset, 16 bytes in hex, the same bytes as ASCII. Lines are made one at
// a time, so a view can show a payload of any size by asking only for the lines on screen.
class HexDump
{
public:
    static constexpr int BytesPerLine = 16;
    static qsizetype lineCount(qsizetype size) { return (size + BytesPerLine - 1) / BytesPerLine; }
    static QString line(QByteArrayView data, qsizetype lineIndex);
    static QString dump(QByteArrayView data, qsizetype maxLines = -1);
    // The parsers of hex and base64 that a user writes are MessageFormat::parseHex/parseBase64.
};

} // namespace wst
