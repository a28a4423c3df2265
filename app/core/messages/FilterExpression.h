#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace wst {

// A condition on a message's JSON document, for the history's filter, its highlight rules and
// anything else that asks "does this message match". The language:
//   $.type                    the path selects something (null included)
//   $.type == "trade"         == != < <= > >= against a "string" ('single' too), a number,
//   $.data.price > 100        true, false or null; ~= is "contains" (case-insensitive text)
//   $.level != "debug"        != is the negation of ==, so a message without the path passes
//   a && b, a || b, !a, (a)   also spelled and, or, not
// Paths are JsonPath's ($.a.b, $['x y'], $.items[0], $.items[*].id): when a path selects several
// values, a comparison holds when it holds for any of them. A number compares with a string
// value that is a number as written ("100.5"), as market feeds often send prices.
class FilterExpression
{
    Q_DECLARE_TR_FUNCTIONS(FilterExpression)
public:
    // Whether the filter text is meant as an expression rather than text to find: it starts
    // with "$" (or "!$", "not $", "($"), after spaces.
    static bool looksLikeExpression(const QString &text);
    // On failure returns nothing and sets *error to one line: "position 9: expected a value
    // after \"==\"" (positions count characters from 1).
    static std::optional<FilterExpression> parse(const QString &text, QString *error);

    // `document` is the message as JSON (undefined when it is not JSON: no path selects anything).
    bool matches(const QJsonValue &document) const;
    QString text() const { return m_text; }
    // Byte strings that the JSON text of every matching document contains, provided the text has
    // no backslash-u escape: the quoted string literals of the == comparisons the whole expression needs
    // (joined by &&), when they hold only letters, digits and " _.:-@#". A filter tests them on
    // the raw bytes first and parses only the rows that have them all.
    QList<QByteArray> requiredText() const;

    // Deeper nesting is refused (a parser's stack is not a fuzzer's toy).
    static constexpr int MaxDepth = 64;

    struct Node;

private:
    QString m_text;
    std::shared_ptr<const Node> m_root;
};

} // namespace wst
