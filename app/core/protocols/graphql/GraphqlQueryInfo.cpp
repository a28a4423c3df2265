#include "GraphqlQueryInfo.h"

#include <QList>

namespace wst {

namespace {
struct Token
{
    enum class Kind { Name, Punct, Other };
    Kind kind = Kind::Other;
    QString text;
};

bool isNameStart(QChar c)
{
    return c == QLatin1Char('_') || (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

// Enough of GraphQL's lexical grammar to find operation keywords and field names: strings,
// block strings and comments must not be mistaken for either.
QList<Token> tokenize(const QString &s, int limit)
{
    QList<Token> tokens;
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n && tokens.size() < limit) {
        const QChar c = s.at(i);
        if (c.isSpace() || c == QLatin1Char(',') || c == QChar(0xfeff)) {
            ++i;
        } else if (c == QLatin1Char('#')) {
            while (i < n && s.at(i) != QLatin1Char('\n') && s.at(i) != QLatin1Char('\r'))
                ++i;
        } else if (c == QLatin1Char('"')) {
            if (s.mid(i, 3) == QLatin1String("\"\"\"")) {
                const qsizetype end = s.indexOf(QLatin1String("\"\"\""), i + 3);
                i = end < 0 ? n : end + 3;
            } else {
                ++i;
                while (i < n && s.at(i) != QLatin1Char('"') && s.at(i) != QLatin1Char('\n')) {
                    if (s.at(i) == QLatin1Char('\\'))
                        ++i;
                    ++i;
                }
                ++i;
            }
            tokens.append({ Token::Kind::Other, QString() });
        } else if (isNameStart(c)) {
            const qsizetype start = i;
            while (i < n && isNameChar(s.at(i)))
                ++i;
            tokens.append({ Token::Kind::Name, s.mid(start, i - start) });
        } else if (c == QLatin1Char('.') && s.mid(i, 3) == QLatin1String("...")) {
            tokens.append({ Token::Kind::Punct, QStringLiteral("...") });
            i += 3;
        } else if (QStringLiteral("{}()[]:=@$!|&").contains(c)) {
            tokens.append({ Token::Kind::Punct, QString(c) });
            ++i;
        } else {
            ++i;
            tokens.append({ Token::Kind::Other, QString() });
        }
    }
    return tokens;
}

bool isPunct(const Token &t, const char *p)
{
    return t.kind == Token::Kind::Punct && t.text == QLatin1String(p);
}

// The index after the brace block that opens at or after `i` (skipping what precedes it).
qsizetype skipBlock(const QList<Token> &tokens, qsizetype i)
{
    while (i < tokens.size() && !isPunct(tokens.at(i), "{"))
        ++i;
    int depth = 0;
    for (; i < tokens.size(); ++i) {
        if (isPunct(tokens.at(i), "{"))
            ++depth;
        else if (isPunct(tokens.at(i), "}") && --depth == 0)
            return i + 1;
    }
    return tokens.size();
}

QString firstFieldOf(const QList<Token> &tokens, qsizetype open)
{
    // tokens[open] is the selection set's "{"; its first name is a field or an alias.
    const qsizetype i = open + 1;
    if (i >= tokens.size() || tokens.at(i).kind != Token::Kind::Name)
        return {};
    return tokens.at(i).text;
}
} // namespace

GraphqlQueryInfo GraphqlQueryInfo::scan(const QString &document)
{
    GraphqlQueryInfo info;
    // A document this long is not typed by hand; the first operation is near its start anyway.
    const QList<Token> tokens = tokenize(document, 100000);
    qsizetype i = 0;
    while (i < tokens.size()) {
        const Token &t = tokens.at(i);
        if (isPunct(t, "{")) {
            info.operation = QStringLiteral("query");
            info.firstField = firstFieldOf(tokens, i);
            return info;
        }
        if (t.kind == Token::Kind::Name
            && (t.text == QLatin1String("query") || t.text == QLatin1String("mutation")
                || t.text == QLatin1String("subscription"))) {
            info.operation = t.text;
            qsizetype j = i + 1;
            if (j < tokens.size() && tokens.at(j).kind == Token::Kind::Name)
                info.name = tokens.at(j++).text;
            // Variable definitions may hold default values with braces: skip the parentheses.
            int parens = 0;
            for (; j < tokens.size(); ++j) {
                if (isPunct(tokens.at(j), "("))
                    ++parens;
                else if (isPunct(tokens.at(j), ")"))
                    --parens;
                else if (parens <= 0 && isPunct(tokens.at(j), "{"))
                    break;
            }
            if (j < tokens.size())
                info.firstField = firstFieldOf(tokens, j);
            return info;
        }
        // A fragment before the operation: skip its selections (they hold names too).
        if (t.kind == Token::Kind::Name && t.text == QLatin1String("fragment"))
            i = skipBlock(tokens, i);
        else
            ++i;
    }
    return info;
}

} // namespace wst
