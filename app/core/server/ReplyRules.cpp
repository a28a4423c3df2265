#include "ReplyRules.h"

#include "format/JsonPath.h"
#include "protocol/CloseCodes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

bool ReplyRule::matches(const QString &message) const
{
    switch (match) {
    case Match::Exact:
        return message == value;
    case Match::Contains:
        return message.contains(value);
    case Match::Regex:
        return regex.match(message).hasMatch();
    case Match::JsonField: {
        QString error;
        const std::optional<JsonPath> path = JsonPath::parse(field, &error);
        const QJsonValue root = JsonPath::parseDocument(message.toUtf8());
        if (!path || !(root.isObject() || root.isArray()))
            return false;
        const QJsonValue v = path->first(root);
        if (v.isUndefined())
            return false;
        return value.isEmpty() || JsonPath::scalarText(v) == value;
    }
    }
    return false;
}

QList<ReplyRule> ReplyRules::parse(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("The rules are not valid JSON: %1 at offset %2.")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return {};
    }
    const QJsonArray array
        = doc.isArray() ? doc.array() : doc.object().value(QLatin1String("rules")).toArray();
    if (array.isEmpty()) {
        *error = tr("The rules document has no rules: expected {\"rules\": [ ... ]}.");
        return {};
    }
    QList<ReplyRule> rules;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        const QString where = tr("Rule %1").arg(i + 1);
        ReplyRule rule;
        const QString match = o.value(QLatin1String("match")).toString();
        rule.value = o.value(QLatin1String("value")).toString();
        rule.field = o.value(QLatin1String("field")).toString();
        if (match == QLatin1String("exact")) {
            rule.match = ReplyRule::Match::Exact;
        } else if (match == QLatin1String("contains")) {
            rule.match = ReplyRule::Match::Contains;
        } else if (match == QLatin1String("regex")) {
            rule.match = ReplyRule::Match::Regex;
            rule.regex = QRegularExpression(rule.value);
        } else if (match == QLatin1String("json")) {
            rule.match = ReplyRule::Match::JsonField;
        } else {
            *error = tr("%1: \"match\" must be \"exact\", \"contains\", \"regex\" or \"json\".").arg(where);
            return {};
        }
        if (!o.value(QLatin1String("actions")).isArray()) {
            *error = tr("%1: \"actions\" is missing or empty.").arg(where);
            return {};
        }
        const QJsonArray actions = o.value(QLatin1String("actions")).toArray();
        for (const QJsonValue &a : actions) {
            const QJsonObject ao = a.toObject();
            ReplyAction action;
            if (ao.contains(QLatin1String("reply"))) {
                action.type = ReplyAction::Type::Reply;
                action.text = ao.value(QLatin1String("reply")).toString();
            } else if (ao.contains(QLatin1String("broadcast"))) {
                action.type = ReplyAction::Type::Broadcast;
                action.text = ao.value(QLatin1String("broadcast")).toString();
            } else if (ao.contains(QLatin1String("delay"))) {
                action.type = ReplyAction::Type::Delay;
                action.delayMs = ao.value(QLatin1String("delay")).toInt(-1);
                if (action.delayMs < 0) {
                    *error = tr("%1: \"delay\" must be a number of milliseconds.").arg(where);
                    return {};
                }
            } else if (ao.contains(QLatin1String("close"))) {
                action.type = ReplyAction::Type::Close;
                action.closeCode = ao.value(QLatin1String("close")).toInt(-1);
                action.closeReason = ao.value(QLatin1String("reason")).toString();
            } else {
                *error = tr("%1: each action is {\"reply\": TEXT}, {\"broadcast\": TEXT}, {\"delay\": MS} or "
                            "{\"close\": CODE, \"reason\": TEXT}.")
                             .arg(where);
                return {};
            }
            rule.actions.append(action);
        }
        if (const QJsonValue faults = o.value(QLatin1String("faults")); !faults.isUndefined()) {
            QStringList specs;
            for (const QJsonValue &spec : faults.toArray())
                specs.append(spec.toString());
            QString why;
            if (!faults.isArray())
                why = tr("\"faults\" must be a list of fault specs, e.g. [\"delay=300\"].");
            else
                rule.faults = FaultPlan::parse(specs, &why);
            if (!why.isEmpty()) {
                *error = tr("%1: %2").arg(where, why);
                return {};
            }
        }
        const QString problem = validate(rule);
        if (!problem.isEmpty()) {
            *error = tr("%1: %2").arg(where, problem);
            return {};
        }
        rules.append(rule);
    }
    error->clear();
    return rules;
}

QString ReplyRules::validate(const ReplyRule &rule)
{
    if (rule.match == ReplyRule::Match::Regex) {
        const QRegularExpression re(rule.value);
        if (!re.isValid())
            return tr("the regular expression is not valid at offset %1: %2.")
                .arg(re.patternErrorOffset())
                .arg(re.errorString());
    }
    if (rule.match == ReplyRule::Match::JsonField && rule.field.trimmed().isEmpty())
        return tr("a JSON field match needs a field path, such as op.");
    if (rule.match == ReplyRule::Match::JsonField) {
        QString why;
        if (!JsonPath::parse(rule.field, &why))
            return tr("the JSON path %1 is not valid: %2.").arg(rule.field, why);
    }
    if (rule.actions.isEmpty())
        return tr("add at least one action (a reply, a delay or a close).");
    if (const QString why = ruleFaultsProblem(rule.faults); !why.isEmpty())
        return why;
    for (qsizetype i = 0; i < rule.actions.size(); ++i) {
        const ReplyAction &a = rule.actions.at(i);
        if (a.type == ReplyAction::Type::Delay && a.delayMs < 0)
            return tr("action %1: the delay cannot be negative.").arg(i + 1);
        if (a.type == ReplyAction::Type::Reply || a.type == ReplyAction::Type::Broadcast) {
            const QString why = templateProblem(a.text);
            if (!why.isEmpty())
                return tr("action %1: %2").arg(i + 1).arg(why);
        }
        if (a.type == ReplyAction::Type::Close) {
            const QString why = CloseCodes::validate(a.closeCode, a.closeReason);
            if (!why.isEmpty())
                return tr("action %1: %2").arg(i + 1).arg(why);
        }
    }
    return {};
}

namespace {

QString elide(const QString &text, int max = 28)
{
    QString oneLine = text;
    oneLine.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return oneLine.size() > max ? oneLine.left(max - 1) + QChar(0x2026) : oneLine;
}

} // namespace

QString ReplyRules::describe(const ReplyRule &rule)
{
    QString match;
    switch (rule.match) {
    case ReplyRule::Match::Exact:
        match = tr("= \u201c%1\u201d").arg(elide(rule.value));
        break;
    case ReplyRule::Match::Contains:
        match = tr("contains \u201c%1\u201d").arg(elide(rule.value));
        break;
    case ReplyRule::Match::Regex:
        match = tr("/%1/").arg(elide(rule.value));
        break;
    case ReplyRule::Match::JsonField:
        match = rule.value.isEmpty()
            ? tr("has %1").arg(elide(rule.field, 20))
            : tr("%1 = \u201c%2\u201d").arg(elide(rule.field, 20), elide(rule.value, 20));
        break;
    }
    QStringList actions;
    for (const ReplyAction &a : rule.actions) {
        switch (a.type) {
        case ReplyAction::Type::Reply:
            actions << tr("reply \u201c%1\u201d").arg(elide(a.text, 20));
            break;
        case ReplyAction::Type::Broadcast:
            actions << tr("to the others \u201c%1\u201d").arg(elide(a.text, 20));
            break;
        case ReplyAction::Type::Delay:
            actions << tr("wait %1 ms").arg(a.delayMs);
            break;
        case ReplyAction::Type::Close:
            actions << tr("close %1").arg(a.closeCode);
            break;
        }
    }
    const QString line
        = tr("%1 \u2192 %2")
              .arg(match, actions.isEmpty() ? tr("nothing") : actions.join(QLatin1String(", ")));
    return rule.faults.isEmpty() ? line : tr("%1 (faults: %2)").arg(line, rule.faults.describe());
}

QList<ReplyRule> ReplyRules::parseFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read the rules file %1: %2.").arg(path, file.errorString());
        return {};
    }
    QList<ReplyRule> rules = parse(file.readAll(), error);
    if (!error->isEmpty())
        *error = tr("%1: %2").arg(path, *error);
    return rules;
}

QString ReplyRules::expand(const QString &templ, const QString &message, quint32 clientId,
    const QDateTime &now, const QList<QPair<QString, QString>> &variables)
{
    QString out = templ;
    out.replace(QLatin1String("{{client}}"), QString::number(clientId));
    out.replace(QLatin1String("{{time}}"), now.toString(Qt::ISODateWithMs));
    for (const auto &[name, value] : variables) {
        if (name != QLatin1String("message"))
            out.replace(QStringLiteral("{{%1}}").arg(name), value);
    }
    // Last, and in one pass: the message (and its values) may contain braces themselves.
    QString result;
    std::optional<QJsonValue> document; // parsed on the first {{$…}}
    qsizetype at = 0;
    while (true) {
        const qsizetype open = out.indexOf(QLatin1String("{{"), at);
        const qsizetype close = open < 0 ? -1 : out.indexOf(QLatin1String("}}"), open + 2);
        if (close < 0)
            break;
        const QStringView name = QStringView(out).mid(open + 2, close - open - 2);
        if (name == QLatin1String("message")) {
            result += QStringView(out).mid(at, open - at);
            result += message;
        } else if (name.startsWith(u'$')) {
            if (!document)
                document = JsonPath::parseDocument(message.toUtf8());
            QString ignored;
            const std::optional<JsonPath> path = JsonPath::parse(name.toString(), &ignored);
            const QJsonValue value = path ? path->first(*document) : QJsonValue(QJsonValue::Undefined);
            result += QStringView(out).mid(at, open - at);
            if (!value.isUndefined() && !value.isNull())
                result += JsonPath::scalarText(value);
        } else {
            result += QStringView(out).mid(at, close + 2 - at);
        }
        at = close + 2;
    }
    result += QStringView(out).mid(at);
    return result;
}

QString ReplyRules::templateProblem(const QString &templ)
{
    qsizetype at = 0;
    while (true) {
        const qsizetype open = templ.indexOf(QLatin1String("{{$"), at);
        const qsizetype close = open < 0 ? -1 : templ.indexOf(QLatin1String("}}"), open + 3);
        if (close < 0)
            return {};
        const QString path = templ.mid(open + 2, close - open - 2);
        QString why;
        if (!JsonPath::parse(path, &why))
            return tr("the JSON path %1 is not valid: %2.").arg(path, why);
        at = close + 2;
    }
}

namespace {

QString matchKey(ReplyRule::Match match)
{
    switch (match) {
    case ReplyRule::Match::Exact:
        return QStringLiteral("exact");
    case ReplyRule::Match::Contains:
        return QStringLiteral("contains");
    case ReplyRule::Match::Regex:
        return QStringLiteral("regex");
    case ReplyRule::Match::JsonField:
        return QStringLiteral("json");
    }
    return {};
}

} // namespace

QString ReplyRules::ruleFaultsProblem(const FaultPlan &plan)
{
    FaultPlan messageLevel;
    messageLevel.delayMs = plan.delayMs;
    messageLevel.jitterMs = plan.jitterMs;
    messageLevel.dropPercent = plan.dropPercent;
    messageLevel.fragments = plan.fragments;
    messageLevel.corrupt = plan.corrupt;
    messageLevel.corruptAt = plan.corruptAt;
    messageLevel.seed = plan.seed;
    if (!(messageLevel == plan))
        return tr("a rule's faults can be delay, drop, fragment, corrupt and seed only (the others are "
                  "the server's).");
    return plan.validate();
}

QByteArray ReplyRules::toJson(const QList<ReplyRule> &rules)
{
    QJsonArray array;
    for (const ReplyRule &rule : rules) {
        QJsonObject o;
        o.insert(QLatin1String("match"), matchKey(rule.match));
        if (rule.match == ReplyRule::Match::JsonField)
            o.insert(QLatin1String("field"), rule.field);
        o.insert(QLatin1String("value"), rule.value);
        QJsonArray actions;
        for (const ReplyAction &a : rule.actions) {
            QJsonObject ao;
            switch (a.type) {
            case ReplyAction::Type::Reply:
                ao.insert(QLatin1String("reply"), a.text);
                break;
            case ReplyAction::Type::Broadcast:
                ao.insert(QLatin1String("broadcast"), a.text);
                break;
            case ReplyAction::Type::Delay:
                ao.insert(QLatin1String("delay"), a.delayMs);
                break;
            case ReplyAction::Type::Close:
                ao.insert(QLatin1String("close"), a.closeCode);
                if (!a.closeReason.isEmpty())
                    ao.insert(QLatin1String("reason"), a.closeReason);
                break;
            }
            actions.append(ao);
        }
        o.insert(QLatin1String("actions"), actions);
        if (!rule.faults.isEmpty() || rule.faults.seed != 0)
            o.insert(QLatin1String("faults"), QJsonArray::fromStringList(rule.faults.toSpecs()));
        array.append(o);
    }
    QJsonObject root;
    root.insert(QLatin1String("rules"), array);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace wst
