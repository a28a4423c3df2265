#include "Variables.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

namespace wst {

namespace {

bool isNameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-';
}

// If a variable starts at text[at] ("{{"), its name and the position just past "}}".
bool matchVariable(const QString &text, qsizetype at, QString *name, qsizetype *end)
{
    qsizetype i = at + 2;
    const qsizetype n = text.size();
    while (i < n && text.at(i) == u' ')
        ++i;
    const qsizetype start = i;
    if (i >= n || !isNameStart(text.at(i)))
        return false;
    while (i < n && isNameChar(text.at(i)))
        ++i;
    const qsizetype stop = i;
    while (i < n && text.at(i) == u' ')
        ++i;
    if (i + 1 >= n || text.at(i) != u'}' || text.at(i + 1) != u'}')
        return false;
    *name = text.mid(start, stop - start);
    *end = i + 2;
    return true;
}

template <typename Lookup>
QString substituteWith(
    const QString &text, Lookup lookup, QString *error, qint64 counter, QStringList *missing)
{
    QString out;
    out.reserve(text.size());
    QStringList undefined;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const qsizetype open = text.indexOf(QLatin1String("{{"), i);
        if (open < 0) {
            out += QStringView(text).mid(i);
            break;
        }
        out += QStringView(text).mid(i, open - i);
        if (text.mid(open, 4) == QLatin1String("{{{{")) {
            out += QLatin1String("{{");
            i = open + 4;
            continue;
        }
        QString name;
        qsizetype end = 0;
        if (!matchVariable(text, open, &name, &end)) {
            out += QLatin1String("{{");
            i = open + 2;
            continue;
        }
        i = end;
        if (name == QLatin1String("timestamp")) {
            out += QString::number(QDateTime::currentMSecsSinceEpoch());
        } else if (name == QLatin1String("uuid")) {
            out += QUuid::createUuid().toString(QUuid::WithoutBraces);
        } else if (name == QLatin1String("counter")) {
            out += QString::number(counter);
        } else if (const QString *value = lookup(name)) {
            out += *value;
        } else if (!undefined.contains(name)) {
            undefined.append(name);
        }
    }
    if (missing)
        *missing = undefined;
    if (!undefined.isEmpty()) {
        if (error)
            *error = Variables::undefinedMessage(undefined);
        return QString();
    }
    if (error)
        error->clear();
    return out;
}

} // namespace

QString Variables::substitute(
    const QString &text, const Environment &environment, QString *error, qint64 counter, QStringList *missing)
{
    return substituteWith(
        text,
        [&environment](const QString &name) -> const QString * {
            for (const auto &pair : environment) {
                if (pair.first == name)
                    return &pair.second;
            }
            return nullptr;
        },
        error, counter, missing);
}

QJsonValue Variables::substituteJson(
    const QJsonValue &value, const QMap<QString, QString> &environment, QString *error)
{
    if (value.isString()) {
        const QString text = value.toString();
        if (!containsVariables(text))
            return value;
        QString problem;
        const QString filled = substitute(text, environment, &problem);
        if (!problem.isEmpty() && error->isEmpty())
            *error = problem;
        return filled;
    }
    if (value.isArray()) {
        QJsonArray a;
        for (const QJsonValue &v : value.toArray())
            a.append(substituteJson(v, environment, error));
        return a;
    }
    if (value.isObject()) {
        QJsonObject o;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            o.insert(it.key(), substituteJson(it.value(), environment, error));
        return o;
    }
    return value;
}

QString Variables::substitute(const QString &text, const QMap<QString, QString> &environment, QString *error,
    qint64 counter, QStringList *missing)
{
    return substituteWith(
        text,
        [&environment](const QString &name) -> const QString * {
            const auto it = environment.constFind(name);
            return it == environment.cend() ? nullptr : &it.value();
        },
        error, counter, missing);
}

QStringList Variables::referencedNames(const QString &text)
{
    QStringList names;
    qsizetype i = 0;
    while (true) {
        const qsizetype open = text.indexOf(QLatin1String("{{"), i);
        if (open < 0)
            break;
        if (text.mid(open, 4) == QLatin1String("{{{{")) {
            i = open + 4;
            continue;
        }
        QString name;
        qsizetype end = 0;
        if (matchVariable(text, open, &name, &end)) {
            if (!names.contains(name))
                names.append(name);
            i = end;
        } else {
            i = open + 2;
        }
    }
    return names;
}

bool Variables::containsVariables(const QString &text)
{
    return text.contains(QLatin1String("{{"));
}

bool Variables::isValidName(const QString &name)
{
    if (name.isEmpty() || !isNameStart(name.at(0)))
        return false;
    for (QChar c : name) {
        if (!isNameChar(c))
            return false;
    }
    return true;
}

bool Variables::isBuiltin(const QString &name)
{
    return builtinNames().contains(name);
}

QStringList Variables::builtinNames()
{
    return { QStringLiteral("timestamp"), QStringLiteral("uuid"), QStringLiteral("counter") };
}

QString Variables::undefinedMessage(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted << QStringLiteral("{{%1}}").arg(name);
    if (names.size() == 1)
        return tr("%1 is not defined: add it to the variables, or write {{{{%2}} to send it as it is.")
            .arg(quoted.first(), names.first());
    return tr("These variables are not defined: %1. Add them to the variables.")
        .arg(quoted.join(QStringLiteral(", ")));
}

QJsonArray Variables::toJson(const Environment &environment)
{
    QJsonArray array;
    for (const auto &[name, value] : environment)
        array.append(QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("value"), value } });
    return array;
}

Variables::Environment Variables::fromJson(const QJsonArray &array, QString *error)
{
    Environment environment;
    if (error)
        error->clear();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue item = array.at(i);
        const QJsonValue name = item.toObject().value(QStringLiteral("name"));
        const QJsonValue value = item.toObject().value(QStringLiteral("value"));
        QString problem;
        if (!item.isObject())
            problem = tr("variables[%1] must be an object with \"name\" and \"value\".").arg(i);
        else if (!name.isString())
            problem = tr("variables[%1].name must be a string.").arg(i);
        else if (!value.isString() && !value.isUndefined())
            problem = tr("variables[%1].value must be a string.").arg(i);
        if (!problem.isEmpty()) {
            if (error && error->isEmpty())
                *error = problem;
            continue;
        }
        environment.append({ name.toString(), value.toString() });
    }
    return environment;
}

} // namespace wst
