#pragma once

#include "Scenario.h"

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
    // "$.op == \"welcome\"", "contains \"ann joined\"", "any message": for titles and reasons.
    QString describe() const { return describe(m_matcher); }
    static QString describe(const MessageMatcher &matcher);

    // Sets each rule's variable from the message; a path or group that is not there sets *error.
    static bool save(const QList<SaveRule> &rules, const QByteArray &payload,
        QMap<QString, QString> *variables, QString *error);
    // One line for reports: text as it is (cut at 100 characters), binary as hex.
    static QString preview(bool binary, const QByteArray &payload);

private:
    bool jsonMatches(const QByteArray &payload) const;

    MessageMatcher m_matcher; // with the values filled in
    QRegularExpression m_regex;
    QList<QRegularExpression> m_jsonPatterns; // one per check (unused ones empty)
    std::optional<QByteArray> m_binary;
};

} // namespace wst
