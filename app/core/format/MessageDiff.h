#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace wst {

// Differences between two messages: key by key when both are JSON, line by line otherwise.
class MessageDiff
{
    Q_DECLARE_TR_FUNCTIONS(MessageDiff)
public:
    struct JsonChange
    {
        enum class Type { Added, Removed, Changed };
        Type type = Type::Changed;
        QString path; // "$.data.items[3].price", as JsonPath reads it
        QJsonValue before; // undefined for Added
        QJsonValue after; // undefined for Removed
    };
    // Members are compared by name (the first message's order, then the second's new ones),
    // arrays element by element. At most maxChanges are listed; *truncated says when more differ.
    static QList<JsonChange> diffJson(
        const QJsonValue &before, const QJsonValue &after, int maxChanges = 10000, bool *truncated = nullptr);

    struct Line
    {
        enum class Op { Same, Removed, Added };
        Op op = Op::Same;
        QString text;
        int beforeLine = -1; // 1-based line numbers, -1 where the line is not on that side
        int afterLine = -1;
    };
    struct TextResult
    {
        QList<Line> lines;
        // Empty when the diff is complete; otherwise why there is none (too many changes).
        QString problem;
    };
    // A line diff (Myers' O(ND) algorithm after the common head and tail are set aside). Gives up
    // with a problem, and no lines, when more than maxEdits lines are removed and added.
    static TextResult diffText(const QString &before, const QString &after, int maxEdits = 2000);

    // A member name as a path step: ".name" when it reads as one, ['na me'] otherwise.
    static QString memberStep(const QString &name);
};

} // namespace wst
