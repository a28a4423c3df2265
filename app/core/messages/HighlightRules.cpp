#include "HighlightRules.h"

#include <QJsonObject>

namespace wst {

QString HighlightRules::colourName(Colour colour)
{
    switch (colour) {
    case Colour::Red:
        return QStringLiteral("red");
    case Colour::Orange:
        return QStringLiteral("orange");
    case Colour::Yellow:
        return QStringLiteral("yellow");
    case Colour::Green:
        return QStringLiteral("green");
    case Colour::Blue:
        return QStringLiteral("blue");
    case Colour::Purple:
        return QStringLiteral("purple");
    case Colour::Grey:
        return QStringLiteral("grey");
    }
    return {};
}

QString HighlightRules::colourLabel(Colour colour)
{
    switch (colour) {
    case Colour::Red:
        return tr("Red");
    case Colour::Orange:
        return tr("Orange");
    case Colour::Yellow:
        return tr("Yellow");
    case Colour::Green:
        return tr("Green");
    case Colour::Blue:
        return tr("Blue");
    case Colour::Purple:
        return tr("Purple");
    case Colour::Grey:
        return tr("Grey");
    }
    return {};
}

std::optional<HighlightRules::Colour> HighlightRules::colourFromName(const QString &name)
{
    for (int i = 0; i < ColourCount; ++i) {
        if (colourName(Colour(i)).compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return Colour(i);
    }
    return std::nullopt;
}

void HighlightRules::setRules(const QList<Rule> &rules, QStringList *errors)
{
    m_rules = rules;
    m_parsed.clear();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const Rule &rule = rules.at(i);
        QString error;
        std::optional<FilterExpression> expression = FilterExpression::parse(rule.expression, &error);
        if (!expression) {
            if (errors)
                errors->append(tr("rule %1: %2").arg(i + 1).arg(error));
            continue;
        }
        if (rule.enabled)
            m_parsed.append({ std::move(*expression), rule.colour });
    }
}

int HighlightRules::match(const QJsonValue &document) const
{
    for (const auto &[expression, colour] : m_parsed) {
        if (expression.matches(document))
            return int(colour);
    }
    return -1;
}

QJsonArray HighlightRules::toJson() const
{
    QJsonArray array;
    for (const Rule &rule : m_rules) {
        QJsonObject o;
        o.insert(QStringLiteral("expression"), rule.expression);
        o.insert(QStringLiteral("colour"), colourName(rule.colour));
        o.insert(QStringLiteral("enabled"), rule.enabled);
        array.append(o);
    }
    return array;
}

QList<HighlightRules::Rule> HighlightRules::fromJson(const QJsonArray &json, QStringList *errors)
{
    QList<Rule> rules;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QJsonObject o = json.at(i).toObject();
        const QString expression = o.value(QLatin1StringView("expression")).toString();
        const std::optional<Colour> colour = colourFromName(o.value(QLatin1StringView("colour")).toString());
        if (!json.at(i).isObject() || expression.trimmed().isEmpty()) {
            errors->append(tr("highlight rule %1 has no expression: skipped").arg(i + 1));
            continue;
        }
        if (!colour) {
            errors->append(tr("highlight rule %1 has an unknown colour \"%2\": skipped")
                               .arg(i + 1)
                               .arg(o.value(QLatin1StringView("colour")).toString()));
            continue;
        }
        QString error;
        if (!FilterExpression::parse(expression, &error)) {
            errors->append(tr("highlight rule %1 (%2): %3: skipped").arg(i + 1).arg(expression, error));
            continue;
        }
        rules.append({ expression, *colour, o.value(QLatin1StringView("enabled")).toBool(true) });
    }
    return rules;
}

} // namespace wst
