#include "JsonHighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace wst {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    for (int t = 0; t < 5; ++t) {
        QTextCharFormat format;
        format.setForeground(tokenColor(JsonFormat::TokenType(t), palette));
        m_formats[t] = format;
    }
    m_formats[int(JsonFormat::TokenType::Key)].setFontWeight(QFont::DemiBold);
    rehighlight();
}

QColor JsonHighlighter::tokenColor(JsonFormat::TokenType type, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (type) {
    case JsonFormat::TokenType::Key:
        return dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x0b, 0x4f, 0x9c);
    case JsonFormat::TokenType::String:
        return dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15);
    case JsonFormat::TokenType::Number:
        return dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58);
    case JsonFormat::TokenType::Keyword:
        return dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x7a, 0x1f, 0xa2);
    case JsonFormat::TokenType::Punctuation:
        return palette.color(QPalette::PlaceholderText);
    }
    return palette.color(QPalette::Text);
}

QColor JsonHighlighter::matchColor(const QPalette &palette, bool current)
{
    if (isDark(palette))
        return current ? QColor(0xb0, 0x6a, 0x00) : QColor(0x61, 0x57, 0x1c);
    return current ? QColor(0xff, 0x96, 0x32) : QColor(0xff, 0xe8, 0x7a);
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const QList<JsonFormat::Token> tokens = JsonFormat::tokenizeLine(text);
    for (const JsonFormat::Token &token : tokens)
        setFormat(int(token.start), int(token.length), m_formats[int(token.type)]);
}

} // namespace wst
