#pragma once

#include "format/JsonFormat.h"

#include <QColor>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QPalette;

namespace wst {

// Colours pretty-printed JSON line by line (keys, strings, numbers, keywords, punctuation).
// It relies on JsonFormat::tokenizeLine, which needs no state across lines, so it only suits
// the pretty-printed form where every value starts on its own line.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);

    // Re-reads the colours (after a palette change between light and dark themes).
    void setPalette(const QPalette &palette);

    // The colour of one kind of token, chosen to read well on the given palette's base colour.
    // Shared with TextLinesView so that small and large documents look the same.
    static QColor tokenColor(JsonFormat::TokenType type, const QPalette &palette);
    // The background of a find match (the current one stronger), the same in every view.
    static QColor matchColor(const QPalette &palette, bool current);

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_formats[5];
};

} // namespace wst
