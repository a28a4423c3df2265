#pragma once

#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wst {

// JSON checking and pretty-printing that keep the document as written: keys stay in their
// order, numbers keep their digits, strings keep their escapes. Only white space changes.
class JsonFormat
{
    Q_DECLARE_TR_FUNCTIONS(JsonFormat)
public:
    struct Result
    {
        bool ok = false;
        QByteArray text; // pretty-printed UTF-8 (empty when !ok or when only checking)
        qsizetype errorOffset = -1; // byte offset of the first error
        QString error; // what is wrong there
    };

    // Checks that the bytes are one JSON value (RFC 8259), with white space around it allowed.
    static Result check(QByteArrayView utf8);
    // Checks and re-indents; indent is the number of spaces per level (0: compact).
    static Result pretty(QByteArrayView utf8, int indent = 2);
    // Quick guess used before trying: the first non-space byte opens an object or an array.
    static bool looksLikeJson(QByteArrayView utf8);

    enum class TokenType { Key, String, Number, Keyword, Punctuation };
    struct Token
    {
        qsizetype start;
        qsizetype length;
        TokenType type;
    };
    // Splits one line of (pretty-printed) JSON into tokens for colouring. Never fails: what
    // it does not recognise is left out.
    static QList<Token> tokenizeLine(QStringView line);
};

} // namespace wst
