#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace wst {

// The one JSON path evaluator of the app (reply rules, scenario expects and saves). A documented
// subset of JSONPath:
//   $              the document
//   .name ['name'] a member ("name" may be quoted with ' or " in brackets, \ escapes the quote)
//   [2] [-1]       an array element (negative counts from the end)
//   .* [*]         every member or element
//   ..name ..*     that selector applied to the node and all its descendants
// A path that does not start with "$" is the reply rules' dotted form "a.b.0.c": each part is a
// member name, or an index when the value there is an array.
class JsonPath
{
    Q_DECLARE_TR_FUNCTIONS(JsonPath)
public:
    // On failure returns nothing and sets *error: "position 4: expected \"]\"".
    static std::optional<JsonPath> parse(const QString &text, QString *error);

    // Every value the path selects, in document order.
    QList<QJsonValue> evaluate(const QJsonValue &root) const;
    // The first selected value, or an undefined value.
    QJsonValue first(const QJsonValue &root) const;
    QString text() const { return m_text; }

    // A JSON message as a value (object, array, or a scalar document); undefined when not JSON.
    static QJsonValue parseDocument(const QByteArray &utf8);
    // A value as text: strings bare, numbers as JSON writes them, objects and arrays compact.
    static QString scalarText(const QJsonValue &value);

private:
    struct Segment
    {
        enum class Type { Member, Index, Wildcard };
        Type type = Type::Member;
        bool descendants = false;
        QString name;
        qsizetype index = 0;
    };
    static void select(const Segment &segment, const QJsonValue &node, QList<QJsonValue> *out);

    QString m_text;
    QList<Segment> m_segments;
};

} // namespace wst
