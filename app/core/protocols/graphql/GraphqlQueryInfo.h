#pragma once

#include <QString>

namespace wst {

// What the mock server and the history need to know about a GraphQL document without parsing
// GraphQL: the first operation's type and name, and the response key of its first field.
// A small lexer (names, punctuators, strings, comments) skips fragments and nested selections;
// a document it cannot read gives empty fields, never a crash.
struct GraphqlQueryInfo
{
    QString operation; // "query", "mutation" or "subscription"; empty when there is none
    QString name; // the operation's name; empty when anonymous
    QString firstField; // response key (the alias if any) of the first field selected

    static GraphqlQueryInfo scan(const QString &document);
};

} // namespace wst
