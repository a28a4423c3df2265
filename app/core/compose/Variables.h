#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

namespace wst {

// Fills {{name}} in a message from an environment of name/value pairs.
//
// - A variable is "{{", an optional space, a name ([A-Za-z_][A-Za-z0-9_.-]*), an optional
//   space and "}}". Anything else between braces is left as it is ("{{}}", "{{a b}}", JSON).
// - "{{{{" is written as a literal "{{": "{{{{token}}" sends "{{token}}".
// - A variable that is neither defined nor built in is an error that names it: a message is
//   never sent with "{{token}}" left in it by accident.
// - Built-ins: {{timestamp}} (ms since the epoch), {{uuid}} (a random UUID, without braces),
//   {{counter}} (1, 2, 3… in a periodic send; 1 for a single send). Built-in names cannot be
//   redefined in the environment.
// - Values are inserted as they are: a value that contains "{{x}}" is not expanded again.
class Variables
{
    Q_DECLARE_TR_FUNCTIONS(Variables)
public:
    using Environment = QList<QPair<QString, QString>>;

    // The substituted text. When a variable is undefined: an empty string, *error set (always
    // give one and check it) and *missing, when given, listing the undefined names in order.
    static QString substitute(const QString &text, const Environment &environment, QString *error,
        qint64 counter = 1, QStringList *missing = nullptr);
    static QString substitute(const QString &text, const QMap<QString, QString> &environment, QString *error,
        qint64 counter = 1, QStringList *missing = nullptr);

    // {{variables}} filled in every string of a JSON value, at any depth (keys stay as they are).
    // The first undefined variable sets *error (always give one and check it).
    static QJsonValue substituteJson(
        const QJsonValue &value, const QMap<QString, QString> &environment, QString *error);

    // The names referenced in text (built-ins included), each once, in order.
    static QStringList referencedNames(const QString &text);
    static bool containsVariables(const QString &text);

    static bool isValidName(const QString &name);
    static bool isBuiltin(const QString &name);
    static QStringList builtinNames();
    // "{{token}} is not defined…" for one or more names.
    static QString undefinedMessage(const QStringList &names);

    // [{"name": "token", "value": "abc"}, …]
    static QJsonArray toJson(const Environment &environment);
    // Unknown keys are ignored; a wrong type sets *error (naming the entry) and skips the entry.
    static Environment fromJson(const QJsonArray &array, QString *error = nullptr);
};

} // namespace wst
