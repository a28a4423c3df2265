#pragma once

#include "Scenario.h"
#include "protocols/ProtocolMessage.h"

#include <QCoreApplication>
#include <QMap>
#include <QRegularExpression>

namespace wst {

// A step's MessageMatcher with its {{variables}} filled in, ready to test received messages.
// Text conditions (text, contains, regex, json) hold only for text messages, binary equality
// (hex, base64) only for binary ones.
class ScenarioMatcher
{
    Q_DECLARE_TR_FUNCTIONS(ScenarioMatcher)
public:
    // An undefined variable, or a pattern that is not valid once filled in, sets *error.
    static std::optional<ScenarioMatcher> prepare(
        const MessageMatcher &matcher, const QMap<QString, QString> &variables, QString *error);

    bool matches(bool binary, const QByteArray &payload) const;
    // Whether the expect names bytes (hex, base64), which are compared as received.
    bool matchesBytes() const { return m_binary.has_value(); }
    // A decoded protocol message: its type, name, id and QoS, then the text conditions on its
    // content().
    bool matches(const ProtocolMessage &message) const;
    // What the text conditions and "save" read of a protocol message: the decoded data (Socket.IO
    // args, GraphQL payload, a JSON body) as compact JSON, else the body's bytes (binary when they
    // are not UTF-8).
    struct Content
    {
        bool binary = false;
        QByteArray bytes;
    };
    static Content content(const ProtocolMessage &message);
    // "$.op == \"welcome\"", "contains \"ann joined\"", "any message": for titles and reasons.
    QString describe() const { return describe(m_matcher); }
    bool isRaw() const { return m_matcher.raw; }
    static QString describe(const MessageMatcher &matcher);

    // Sets each rule's variable from the message; a path or group that is not there sets *error.
    static bool save(const QList<SaveRule> &rules, const QByteArray &payload,
        QMap<QString, QString> *variables, QString *error);
    // One line for reports: text as it is (cut at 100 characters), binary as hex.
    static QString preview(bool binary, const QByteArray &payload);
    static QString preview(const ProtocolMessage &message);

private:
    bool jsonMatches(const QByteArray &payload) const;

    MessageMatcher m_matcher; // with the values filled in
    QRegularExpression m_regex;
    QList<QRegularExpression> m_jsonPatterns; // one per check (unused ones empty)
    std::optional<QByteArray> m_binary;
};

} // namespace wst
