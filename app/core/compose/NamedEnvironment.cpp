#include "NamedEnvironment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wst {

namespace {

const QLatin1StringView FormatMarker("wstester-environment");

} // namespace

QByteArray NamedEnvironment::toFile(bool includeSecretValues) const
{
    QJsonArray list;
    for (const EnvironmentVariable &variable : variables) {
        QJsonObject item { { QStringLiteral("name"), variable.name } };
        if (variable.secret)
            item.insert(QStringLiteral("secret"), true);
        if (!variable.secret || includeSecretValues)
            item.insert(QStringLiteral("value"), variable.value);
        list.append(item);
    }
    const QJsonObject root { { QStringLiteral("format"), QString(FormatMarker) },
        { QStringLiteral("version"), Version }, { QStringLiteral("name"), name },
        { QStringLiteral("variables"), list } };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<NamedEnvironment> NamedEnvironment::fromFile(const QByteArray &data, QString *error)
{
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parse);
    if (parse.error != QJsonParseError::NoError) {
        *error = tr("Not JSON (at byte %1: %2).").arg(parse.offset).arg(parse.errorString());
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("format")).toString() != FormatMarker) {
        *error = tr("Not a wstester environment (its \"format\" is not \"wstester-environment\").");
        return std::nullopt;
    }
    if (root.value(QStringLiteral("version")).toInt() > Version) {
        *error = tr("Made by a newer wstester (environment version %1).")
                     .arg(root.value(QStringLiteral("version")).toInt());
        return std::nullopt;
    }
    NamedEnvironment environment;
    environment.name = root.value(QStringLiteral("name")).toString().trimmed();
    const QJsonArray list = root.value(QStringLiteral("variables")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject item = list.at(i).toObject();
        const QJsonValue name = item.value(QStringLiteral("name"));
        const QJsonValue value = item.value(QStringLiteral("value"));
        if (!name.isString() || (!value.isString() && !value.isUndefined())) {
            *error = tr("variables[%1] must have a string \"name\" and a string \"value\".").arg(i);
            return std::nullopt;
        }
        environment.variables.append(
            { name.toString(), value.toString(), item.value(QStringLiteral("secret")).toBool() });
    }
    if (const QString problem = environment.problem(); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    error->clear();
    return environment;
}

Variables::Environment NamedEnvironment::resolved() const
{
    Variables::Environment out;
    for (const EnvironmentVariable &variable : variables)
        out.append({ variable.name, variable.value });
    return out;
}

QString NamedEnvironment::problem() const
{
    for (qsizetype i = 0; i < variables.size(); ++i) {
        const QString &name = variables.at(i).name;
        if (!Variables::isValidName(name))
            return tr("\u201c%1\u201d is not a valid variable name: use letters, digits, _ . and -, starting "
                      "with a letter or _.")
                .arg(name);
        if (Variables::isBuiltin(name))
            return tr("{{%1}} is built in and cannot be redefined.").arg(name);
        for (qsizetype j = 0; j < i; ++j) {
            if (variables.at(j).name == name)
                return tr("{{%1}} is defined twice.").arg(name);
        }
    }
    return {};
}

QString NamedEnvironment::nameProblem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return tr("An environment needs a name.");
    if (name != name.trimmed() || name.size() > 64 || name.startsWith(u'.'))
        return tr("\u201c%1\u201d cannot name an environment: at most 64 characters, no leading dot or "
                  "spaces around it.")
            .arg(name);
    for (QChar c : name) {
        if (!(c.isLetterOrNumber() || c == u' ' || c == u'_' || c == u'-' || c == u'.'))
            return tr("\u201c%1\u201d cannot name an environment: use letters, digits, spaces, _ - and .")
                .arg(name);
    }
    return {};
}

} // namespace wst
