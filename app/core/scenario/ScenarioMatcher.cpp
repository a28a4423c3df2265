#include "ScenarioMatcher.h"

#include "compose/MessageFormat.h"
#include "compose/Variables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

namespace {

bool fill(QString *text, const QMap<QString, QString> &variables, QString *error)
{
    if (!Variables::containsVariables(*text))
        return true;
    QString problem;
    const QString filled = Variables::substitute(*text, variables, &problem);
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    *text = filled;
    return true;
}

QString quotedText(const QString &text)
{
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString jsonLiteral(const QJsonValue &v)
{
    return v.isString() ? quotedText(v.toString()) : JsonPath::scalarText(v);
}

} // namespace

std::optional<ScenarioMatcher> ScenarioMatcher::prepare(
    const MessageMatcher &matcher, const QMap<QString, QString> &variables, QString *error)
{
    ScenarioMatcher m;
    m.m_matcher = matcher;
    MessageMatcher &f = m.m_matcher;
    error->clear();
    for (std::optional<QString> *s : { &f.exact, &f.contains, &f.regex, &f.hex, &f.base64, &f.protocolName,
             &f.protocolId, &f.protocolType }) {
        if (*s && !fill(&**s, variables, error))
            return std::nullopt;
    }
    if (f.regex) {
        m.m_regex = QRegularExpression(*f.regex);
        if (!m.m_regex.isValid()) {
            *error = tr("\"regex\" is not a valid regular expression at offset %1: %2.")
                         .arg(m.m_regex.patternErrorOffset())
                         .arg(m.m_regex.errorString());
            return std::nullopt;
        }
    }
    if (f.hex)
        m.m_binary = MessageFormat::parseHex(*f.hex, error);
    else if (f.base64)
        m.m_binary = MessageFormat::parseBase64(*f.base64, error);
    if (!error->isEmpty())
        return std::nullopt;
    for (JsonCheck &check : f.json) {
        check.value = Variables::substituteJson(check.value, variables, error);
        if (!error->isEmpty())
            return std::nullopt;
        QRegularExpression re;
        if (check.op == JsonCheck::Op::Matches) {
            if (!fill(&check.pattern, variables, error))
                return std::nullopt;
            re.setPattern(check.pattern);
            if (!re.isValid()) {
                *error = tr("%1: not a valid regular expression at offset %2: %3.")
                             .arg(check.pathText)
                             .arg(re.patternErrorOffset())
                             .arg(re.errorString());
                return std::nullopt;
            }
        }
        m.m_jsonPatterns.append(re);
    }
    return m;
}

bool ScenarioMatcher::matches(bool binary, const QByteArray &payload) const
{
    if (m_binary)
        return binary && payload == *m_binary;
    const bool textConditions
        = m_matcher.exact || m_matcher.contains || m_matcher.regex || !m_matcher.json.isEmpty();
    if (!textConditions)
        return true; // any message
    if (binary)
        return false;
    const QString text = QString::fromUtf8(payload);
    if (m_matcher.exact && text != *m_matcher.exact)
        return false;
    if (m_matcher.contains && !text.contains(*m_matcher.contains))
        return false;
    if (m_matcher.regex && !m_regex.match(text).hasMatch())
        return false;
    return m_matcher.json.isEmpty() || jsonMatches(payload);
}

ScenarioMatcher::Content ScenarioMatcher::content(const ProtocolMessage &message)
{
    Content c;
    if (message.data.isArray() || message.data.isObject()) {
        c.bytes = message.data.isArray()
            ? QJsonDocument(message.data.toArray()).toJson(QJsonDocument::Compact)
            : QJsonDocument(message.data.toObject()).toJson(QJsonDocument::Compact);
    } else if (!message.body.isEmpty() || message.data.isUndefined()) {
        c.bytes = message.body;
        c.binary = !QUtf8StringView(c.bytes).isValidUtf8();
    } else if (message.data.isString()) {
        c.bytes = message.data.toString().toUtf8(); // a JSON string body: its text, as it came
    } else {
        c.bytes = JsonPath::scalarText(message.data).toUtf8();
    }
    return c;
}

bool ScenarioMatcher::matches(const ProtocolMessage &message) const
{
    if (m_matcher.protocolType && message.type.compare(*m_matcher.protocolType, Qt::CaseInsensitive) != 0)
        return false;
    if (m_matcher.protocolName && message.name != *m_matcher.protocolName)
        return false;
    if (m_matcher.protocolId && message.id != *m_matcher.protocolId)
        return false;
    if (m_matcher.qos && message.qos != *m_matcher.qos)
        return false;
    const Content c = content(message);
    return matches(c.binary, c.bytes);
}

bool ScenarioMatcher::jsonMatches(const QByteArray &payload) const
{
    const QJsonValue root = JsonPath::parseDocument(payload);
    if (root.isUndefined())
        return false;
    for (qsizetype i = 0; i < m_matcher.json.size(); ++i) {
        const JsonCheck &check = m_matcher.json.at(i);
        const QList<QJsonValue> found = check.path.evaluate(root);
        if (check.op == JsonCheck::Op::Missing) {
            if (!found.isEmpty())
                return false;
            continue;
        }
        // With a path that selects several values ($..id), one of them has to satisfy the check.
        bool any = false;
        for (const QJsonValue &v : found) {
            switch (check.op) {
            case JsonCheck::Op::Exists:
                any = true;
                break;
            case JsonCheck::Op::Missing:
                break;
            case JsonCheck::Op::Equals:
                any = v == check.value;
                break;
            case JsonCheck::Op::Matches:
                any = m_jsonPatterns.at(i).match(JsonPath::scalarText(v)).hasMatch();
                break;
            case JsonCheck::Op::Less:
                any = v.isDouble() && v.toDouble() < check.value.toDouble();
                break;
            case JsonCheck::Op::LessOrEqual:
                any = v.isDouble() && v.toDouble() <= check.value.toDouble();
                break;
            case JsonCheck::Op::Greater:
                any = v.isDouble() && v.toDouble() > check.value.toDouble();
                break;
            case JsonCheck::Op::GreaterOrEqual:
                any = v.isDouble() && v.toDouble() >= check.value.toDouble();
                break;
            }
            if (any)
                break;
        }
        if (!any)
            return false;
    }
    return true;
}

QString ScenarioMatcher::describe(const MessageMatcher &m)
{
    QStringList parts;
    if (m.protocolType)
        parts << tr("type %1").arg(*m.protocolType);
    if (m.protocolName)
        parts << QStringLiteral("%1 %2").arg(m.protocolNameKey, quotedText(*m.protocolName));
    if (m.protocolId)
        parts << tr("id %1").arg(*m.protocolId);
    if (m.qos)
        parts << tr("QoS %1").arg(*m.qos);
    if (m.exact)
        parts << tr("text %1").arg(quotedText(*m.exact));
    if (m.contains)
        parts << tr("contains %1").arg(quotedText(*m.contains));
    if (m.regex)
        parts << tr("regex /%1/").arg(*m.regex);
    for (const JsonCheck &c : m.json) {
        switch (c.op) {
        case JsonCheck::Op::Equals:
            parts << QStringLiteral("%1 == %2").arg(c.pathText, jsonLiteral(c.value));
            break;
        case JsonCheck::Op::Exists:
            parts << tr("%1 exists").arg(c.pathText);
            break;
        case JsonCheck::Op::Missing:
            parts << tr("%1 does not exist").arg(c.pathText);
            break;
        case JsonCheck::Op::Matches:
            parts << tr("%1 matches /%2/").arg(c.pathText, c.pattern);
            break;
        case JsonCheck::Op::Less:
            parts << QStringLiteral("%1 < %2").arg(c.pathText, jsonLiteral(c.value));
            break;
        case JsonCheck::Op::LessOrEqual:
            parts << QStringLiteral("%1 <= %2").arg(c.pathText, jsonLiteral(c.value));
            break;
        case JsonCheck::Op::Greater:
            parts << QStringLiteral("%1 > %2").arg(c.pathText, jsonLiteral(c.value));
            break;
        case JsonCheck::Op::GreaterOrEqual:
            parts << QStringLiteral("%1 >= %2").arg(c.pathText, jsonLiteral(c.value));
            break;
        }
    }
    if (m.hex)
        parts << tr("binary %1").arg(*m.hex);
    if (m.base64)
        parts << tr("binary (base64) %1").arg(*m.base64);
    return parts.isEmpty() ? tr("any message") : parts.join(tr(" and "));
}

bool ScenarioMatcher::save(const QList<SaveRule> &rules, const QByteArray &payload,
    QMap<QString, QString> *variables, QString *error)
{
    const QString text = QString::fromUtf8(payload);
    QJsonValue root;
    bool parsed = false;
    for (const SaveRule &rule : rules) {
        if (rule.path) {
            if (!parsed) {
                root = JsonPath::parseDocument(payload);
                parsed = true;
            }
            const QJsonValue v = rule.path->first(root);
            if (v.isUndefined()) {
                *error = root.isUndefined()
                    ? tr("cannot save {{%1}}: the message is not JSON.").arg(rule.variable)
                    : tr("cannot save {{%1}}: the message has nothing at %2.")
                          .arg(rule.variable, rule.path->text());
                return false;
            }
            variables->insert(rule.variable, JsonPath::scalarText(v));
        } else {
            const QRegularExpressionMatch match = QRegularExpression(rule.pattern).match(text);
            if (!match.hasMatch() || match.capturedStart(rule.group) < 0) {
                *error = tr("cannot save {{%1}}: /%2/ does not match the message (group %3).")
                             .arg(rule.variable, rule.pattern)
                             .arg(rule.group);
                return false;
            }
            variables->insert(rule.variable, match.captured(rule.group));
        }
    }
    return true;
}

QString ScenarioMatcher::preview(const ProtocolMessage &message)
{
    constexpr int Max = 100;
    QString text = message.summary();
    text.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return text.size() > Max ? text.left(Max - 1) + QChar(0x2026) : text;
}

QString ScenarioMatcher::preview(bool binary, const QByteArray &payload)
{
    constexpr int Max = 100;
    if (binary) {
        const QByteArray hex = payload.left(Max / 3).toHex(' ');
        return tr("binary %1 bytes: %2%3")
            .arg(payload.size())
            .arg(QString::fromLatin1(hex))
            .arg(payload.size() > Max / 3 ? QStringLiteral("\u2026") : QString());
    }
    QString text = QString::fromUtf8(payload);
    text.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    text.replace(QLatin1Char('\r'), QLatin1String("\\r"));
    return text.size() > Max ? text.left(Max - 1) + QChar(0x2026) : text;
}

} // namespace wst
