#include "JsonHighlighter.h"

#include "Theme.h"

#include <QGuiApplication>
#include <QPalette>

namespace wst {

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
    // View > Theme: the formats take the new colours.
    connect(theme::notifier(), &theme::Notifier::changed, this,
        [this] { setPalette(QGuiApplication::palette()); });
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
    switch (type) {
    case JsonFormat::TokenType::Key:
        return theme::colour(theme::Role::JsonKey, palette);
    case JsonFormat::TokenType::String:
        return theme::colour(theme::Role::JsonString, palette);
    case JsonFormat::TokenType::Number:
        return theme::colour(theme::Role::JsonNumber, palette);
    case JsonFormat::TokenType::Keyword:
        return theme::colour(theme::Role::JsonKeyword, palette);
    case JsonFormat::TokenType::Punctuation:
        return palette.color(QPalette::PlaceholderText);
    }
    return palette.color(QPalette::Text);
}

QColor JsonHighlighter::matchColor(const QPalette &palette, bool current)
{
    return theme::colour(current ? theme::Role::FindCurrent : theme::Role::FindMatch, palette);
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const QList<JsonFormat::Token> tokens = JsonFormat::tokenizeLine(text);
    for (const JsonFormat::Token &token : tokens)
        setFormat(int(token.start), int(token.length), m_formats[int(token.type)]);
}

} // namespace wst
