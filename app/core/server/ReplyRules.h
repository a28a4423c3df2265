#pragma once

#include "FaultPlan.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace wst {

// One step of what a reply rule does: send a reply, send to every other client, wait, or close
// the connection.
struct ReplyAction
{
    enum class Type { Reply, Delay, Close, Broadcast };
    Type type = Type::Reply;
    QString text; // Reply, Broadcast: a template with {{message}}, {{client}}, {{time}}, {{$.path}}
    int delayMs = 0; // Delay
    int closeCode = 1000; // Close
    QString closeReason; // Close
};

// "When a message matches, do these actions in order."
struct ReplyRule
{
    enum class Match { Exact, Contains, Regex, JsonField };
    Match match = Match::Exact;
    QString value; // the text, substring, pattern, or expected field value (empty: the field exists)
    QString field; // JsonField: a dotted path such as "op" or "data.items.0.id"
    QList<ReplyAction> actions;
    QRegularExpression regex; // compiled for Regex
    // Faults of this rule's own for the replies it sends (delay, jitter, drop, fragment, corrupt),
    // instead of the server's. Empty: the server's faults apply.
    FaultPlan faults;

    bool matches(const QString &message) const;
};

class ReplyRules
{
    Q_DECLARE_TR_FUNCTIONS(ReplyRules)
public:
    // Parses a rules document (see the README, "Reply rules"). On failure sets *error to a
    // message naming the rule and what is wrong with it.
    static QList<ReplyRule> parse(const QByteArray &json, QString *error);
    static QList<ReplyRule> parseFile(const QString &path, QString *error);
    // Why a rule cannot be used, or an empty string. Worded to follow "Rule 3: ": "the regular
    // expression is not valid at offset 1: …", "action 2: Close code 1005 cannot be sent: …".
    static QString validate(const ReplyRule &rule);
    // Why a plan cannot be a rule's (it has connection faults), or an empty string.
    static QString ruleFaultsProblem(const FaultPlan &plan);
    // One line for lists: "contains “help” → reply “you said {{message}}”, wait 500 ms".
    static QString describe(const ReplyRule &rule);
    // The document parse() reads: {"rules": [...]}.
    static QByteArray toJson(const QList<ReplyRule> &rules);
    // Fills {{client}} and {{time}} in a reply template, then {{name}} of `variables` (a name not
    // there is left as it is), then in one pass {{message}} and {{$.path}} (that JSON path's value
    // in the message, as text; empty when the message is not JSON or has nothing there): so a
    // client that sends "{{token}}" to an echo rule never gets the token's value.
    // Why a template cannot be used (a {{$…}} that is not a JSON path), or an empty string.
    static QString templateProblem(const QString &templ);
    static QString expand(const QString &templ, const QString &message, quint32 clientId,
        const QDateTime &now, const QList<QPair<QString, QString>> &variables = {});
};

} // namespace wst
