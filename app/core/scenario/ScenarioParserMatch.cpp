// ScenarioParser, continued: the conditions of expect and expectNone steps, and "save".
#include "ScenarioParser.h"

#include "compose/Variables.h"

#include <QJsonArray>

namespace wst {

namespace {

// An operator object in "json": {"$.n": {">": 3}}; any other object is a value to compare with.
bool isOperatorObject(const QJsonValue &v)
{
    static const QStringList ops { QStringLiteral("exists"), QStringLiteral("equals"),
        QStringLiteral("matches"), QStringLiteral("<"), QStringLiteral("<="), QStringLiteral(">"),
        QStringLiteral(">=") };
    if (!v.isObject() || v.toObject().isEmpty())
        return false;
    const QStringList keys = v.toObject().keys();
    for (const QString &k : keys) {
        if (!ops.contains(k))
            return false;
    }
    return true;
}

} // namespace

bool ScenarioParser::readMatcher(const QJsonObject &o, ScenarioStep *step)
{
    MessageMatcher &m = step->matcher;
    for (const QString &key : { QStringLiteral("text"), QStringLiteral("contains"), QStringLiteral("regex"),
             QStringLiteral("hex"), QStringLiteral("base64") }) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            continue;
        if (!v.isString())
            return fail({ key }, tr("%1 must be a string.").arg(quoted(key)));
        const QString s = v.toString();
        if (key == QLatin1String("text"))
            m.exact = s;
        else if (key == QLatin1String("contains"))
            m.contains = s;
        else if (key == QLatin1String("regex")) {
            if (!checkPattern(s, key))
                return false;
            m.regex = s;
        } else {
            QString problem;
            if (!Variables::containsVariables(s)) {
                if (key == QLatin1String("hex"))
                    MessageFormat::parseHex(s, &problem);
                else
                    MessageFormat::parseBase64(s, &problem);
            }
            if (!problem.isEmpty())
                return fail({ key }, tr("%1: %2").arg(quoted(key), problem));
            (key == QLatin1String("hex") ? m.hex : m.base64) = s;
        }
    }
    if (o.contains(QLatin1String("json")) && !readJsonChecks(o.value(QLatin1String("json")), &m.json))
        return false;
    return readProtocolMatcher(o, step);
}

bool ScenarioParser::readJsonChecks(const QJsonValue &value, QList<JsonCheck> *checks)
{
    if (!value.isObject() || value.toObject().isEmpty())
        return fail({ QStringLiteral("json") },
            tr("\"json\" must map JSON paths to values: {\"$.op\": \"welcome\"}."));
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QList<QVariant> at { QStringLiteral("json"), it.key() };
        QString why;
        const std::optional<JsonPath> path = JsonPath::parse(it.key(), &why);
        if (!path)
            return fail(at, tr("the JSON path %1 is not valid: %2.").arg(quoted(it.key()), why));
        JsonCheck base;
        base.pathText = it.key();
        base.path = *path;
        if (!isOperatorObject(it.value())) {
            base.value = it.value();
            checks->append(base);
            continue;
        }
        const QJsonObject ops = it.value().toObject();
        for (auto op = ops.begin(); op != ops.end(); ++op) {
            JsonCheck check = base;
            const QString name = op.key();
            if (name == QLatin1String("exists")) {
                if (!op.value().isBool())
                    return fail(at, tr("%1: \"exists\" must be true or false.").arg(quoted(it.key())));
                check.op = op.value().toBool() ? JsonCheck::Op::Exists : JsonCheck::Op::Missing;
            } else if (name == QLatin1String("equals")) {
                check.value = op.value();
            } else if (name == QLatin1String("matches")) {
                if (!op.value().isString())
                    return fail(
                        at, tr("%1: \"matches\" must be a regular expression.").arg(quoted(it.key())));
                check.op = JsonCheck::Op::Matches;
                check.pattern = op.value().toString();
                if (!checkPattern(check.pattern, QStringLiteral("json")))
                    return false;
            } else {
                if (!op.value().isDouble())
                    return fail(
                        at, tr("%1: %2 must be compared with a number.").arg(quoted(it.key()), quoted(name)));
                check.value = op.value();
                check.op = name == QLatin1String("<") ? JsonCheck::Op::Less
                    : name == QLatin1String("<=")     ? JsonCheck::Op::LessOrEqual
                    : name == QLatin1String(">")      ? JsonCheck::Op::Greater
                                                      : JsonCheck::Op::GreaterOrEqual;
            }
            checks->append(check);
        }
    }
    return true;
}

bool ScenarioParser::readSaves(const QJsonValue &value, QList<SaveRule> *saves)
{
    if (value.isUndefined())
        return true;
    const QList<QVariant> at { QStringLiteral("save") };
    if (!value.isObject())
        return fail(at, tr("\"save\" maps variable names to JSON paths: {\"token\": \"$.token\"}."));
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QList<QVariant> here { QStringLiteral("save"), it.key() };
        if (!Variables::isValidName(it.key()) || Variables::isBuiltin(it.key()))
            return fail(
                here, tr("\"save\": %1 is not a name that can be used as {{name}}.").arg(quoted(it.key())));
        SaveRule rule;
        rule.variable = it.key();
        QString pathText = it.value().toString();
        if (it.value().isObject()) {
            const QJsonObject r = it.value().toObject();
            if (r.contains(QLatin1String("json")))
                pathText = r.value(QLatin1String("json")).toString();
            else if (r.value(QLatin1String("regex")).isString()) {
                rule.pattern = r.value(QLatin1String("regex")).toString();
                const QJsonValue group = r.value(QLatin1String("group"));
                if (!group.isUndefined() && !isWholeNumber(group, 0, 99))
                    return fail(
                        here, tr("\"save\": %1: \"group\" must be a group number.").arg(quoted(it.key())));
                rule.group = group.isUndefined() ? 1 : group.toInt();
                const QRegularExpression re(rule.pattern);
                if (!re.isValid())
                    return fail(here,
                        tr("\"save\": %1: not a valid regular expression at offset %2: %3.")
                            .arg(quoted(it.key()))
                            .arg(re.patternErrorOffset())
                            .arg(re.errorString()));
                if (rule.group > re.captureCount())
                    return fail(here,
                        tr("\"save\": %1: the expression has no group %2.")
                            .arg(quoted(it.key()))
                            .arg(rule.group));
                saves->append(rule);
                continue;
            }
        }
        QString why;
        rule.path = pathText.isEmpty() ? std::nullopt : JsonPath::parse(pathText, &why);
        if (!rule.path)
            return fail(here,
                tr("\"save\": %1 needs a JSON path (\"$.token\") or {\"regex\": …, \"group\": 1}%2.")
                    .arg(quoted(it.key()), why.isEmpty() ? QString() : QStringLiteral(": ") + why));
        saves->append(rule);
    }
    return true;
}

} // namespace wst
