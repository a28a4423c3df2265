// ScenarioParser, continued: script steps and onMessage hooks (their JavaScript is only read
// here, never run).
#include "ScenarioParser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace wst {

bool ScenarioParser::readScriptCode(const QJsonValue &v, const QString &key, ScriptSource *script)
{
    if (v.isString()) {
        script->code = v.toString();
    } else if (v.isArray()) {
        // A list of lines: a script of several lines stays readable in JSON.
        QStringList lines;
        const QJsonArray array = v.toArray();
        for (const QJsonValue &line : array) {
            if (!line.isString())
                return fail(
                    { key }, tr("%1 must be JavaScript: a string, or a list of lines.").arg(quoted(key)));
            lines.append(line.toString());
        }
        script->code = lines.join(QLatin1Char('\n'));
    } else {
        return fail({ key }, tr("%1 must be JavaScript: a string, or a list of lines.").arg(quoted(key)));
    }
    if (script->code.trimmed().isEmpty())
        return fail({ key }, tr("%1 has no JavaScript in it.").arg(quoted(key)));
    return true;
}

bool ScenarioParser::readScriptBody(const QJsonObject &o, ScriptSource *script)
{
    const QString code = QStringLiteral("code");
    const QString file = QStringLiteral("file");
    if (o.contains(code) == o.contains(file))
        return fail(o.contains(code) ? QList<QVariant> { file } : QList<QVariant> {},
            tr("a script has exactly one of \"code\" (JavaScript) or \"file\" (a .js file)."));
    if (!readMs(o, QStringLiteral("timeout"), &script->timeoutMs))
        return false;
    if (script->timeoutMs < 1 || script->timeoutMs > ScriptSource::MaxTimeoutMs)
        return fail({ QStringLiteral("timeout") },
            tr("\"timeout\" must be 1 to %1 milliseconds.").arg(ScriptSource::MaxTimeoutMs));
    if (o.contains(code))
        return readScriptCode(o.value(code), code, script);
    const QJsonValue v = o.value(file);
    if (!v.isString() || v.toString().isEmpty())
        return fail({ file }, tr("\"file\" must be the path of a JavaScript file."));
    script->file = v.toString();
    // Read now, so that a missing file is a mistake in the scenario, found before anything runs.
    const QString path = QDir(m_scenario.folder).filePath(script->file);
    const QFileInfo info(path);
    if (!info.isFile())
        return fail({ file }, tr("\"file\": %1 is not a file.").arg(QDir::toNativeSeparators(path)));
    if (info.size() > ScriptSource::MaxFileBytes)
        return fail({ file }, tr("\"file\": %1 is larger than 1 MiB.").arg(QDir::toNativeSeparators(path)));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail({ file },
            tr("\"file\": cannot read %1: %2.").arg(QDir::toNativeSeparators(path), f.errorString()));
    script->code = QString::fromUtf8(f.read(ScriptSource::MaxFileBytes));
    if (script->code.trimmed().isEmpty())
        return fail(
            { file }, tr("\"file\": %1 has no JavaScript in it.").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool ScenarioParser::readOnMessage(const QJsonObject &o, ScriptSource *script)
{
    const QString key = QStringLiteral("onMessage");
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isObject())
        return readScriptCode(v, key, script);
    m_where.append(key);
    const QJsonObject so = v.toObject();
    const bool ok = checkKeys(so,
                        { QStringLiteral("code"), QStringLiteral("file"), QStringLiteral("timeout"),
                            QStringLiteral("comment") },
                        tr("\"onMessage\""))
        && readScriptBody(so, script);
    m_where.removeLast();
    return ok;
}

bool ScenarioParser::readScript(const QJsonObject &o, ScenarioStep *step)
{
    step->type = ScenarioStep::Type::Script;
    const QString kind = QStringLiteral("script");
    if (!checkKeys(o,
            { QStringLiteral("name"), QStringLiteral("comment"), kind, QStringLiteral("code"),
                QStringLiteral("file"), QStringLiteral("timeout") },
            tr("a \"script\" step")))
        return false;
    // "script" names the connection whose last message is msg, or is true for none.
    const QJsonValue v = o.value(kind);
    if (!(v.isBool() && v.toBool()) && !readConnectionName(o, kind, step))
        return false;
    return readScriptBody(o, &step->script);
}

} // namespace wst
