#pragma once

#include "FilterExpression.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace wst {

// Rows of the history coloured by condition: rules in order, the first that matches wins.
// Conditions are FilterExpressions; colours are names from a small set that the GUI's theme
// turns into a background readable in both the light and the dark palette.
class HighlightRules
{
    Q_DECLARE_TR_FUNCTIONS(HighlightRules)
public:
    enum class Colour { Red, Orange, Yellow, Green, Blue, Purple, Grey };
    static constexpr int ColourCount = 7;
    static QString colourName(Colour colour); // "red": the saved form
    static QString colourLabel(Colour colour); // translated, for menus
    static std::optional<Colour> colourFromName(const QString &name);

    struct Rule
    {
        QString expression;
        Colour colour = Colour::Red;
        bool enabled = true;
    };

    // Replaces the rules. A rule whose expression does not parse is kept (so an editor shows it)
    // but never matches; *errors gets one line for it: "rule 2: position 9: …".
    void setRules(const QList<Rule> &rules, QStringList *errors = nullptr);
    QList<Rule> rules() const { return m_rules; }
    bool isEmpty() const { return m_parsed.isEmpty(); }

    // The colour of the first enabled rule that matches, as an int (Colour), or -1.
    int match(const QJsonValue &document) const;

    // [{"expression": "$.level == \"error\"", "colour": "red", "enabled": true}, ...]
    QJsonArray toJson() const;
    // Entries that are not objects, have no expression or name an unknown colour are skipped,
    // each with a line in *errors.
    static QList<Rule> fromJson(const QJsonArray &json, QStringList *errors);

private:
    QList<Rule> m_rules;
    QList<std::pair<FilterExpression, Colour>> m_parsed; // the enabled rules that parse, in order
};

} // namespace wst
