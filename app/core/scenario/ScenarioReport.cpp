#include "ScenarioReport.h"

#include "ScenarioMatcher.h"

#include <QJsonDocument>

namespace wst {

bool ScenarioReport::passed() const
{
    for (const StepReport &s : steps) {
        if (s.outcome != StepReport::Outcome::Passed)
            return false;
    }
    return !steps.isEmpty();
}

int ScenarioReport::count(StepReport::Outcome outcome) const
{
    int n = 0;
    for (const StepReport &s : steps)
        n += s.outcome == outcome ? 1 : 0;
    return n;
}

QString ScenarioReport::outcomeName(StepReport::Outcome outcome)
{
    switch (outcome) {
    case StepReport::Outcome::Pending:
        return tr("pending");
    case StepReport::Outcome::Passed:
        return tr("passed");
    case StepReport::Outcome::Failed:
        return tr("failed");
    case StepReport::Outcome::Skipped:
        return tr("skipped");
    }
    return {};
}

QString ScenarioReport::title(const ScenarioStep &step)
{
    if (!step.name.isEmpty())
        return step.name;
    const QString c = step.connection;
    switch (step.type) {
    case ScenarioStep::Type::Connect:
        return tr("connect %1").arg(c);
    case ScenarioStep::Type::Send: {
        QString body = step.body;
        body.replace(QLatin1Char('\n'), QLatin1String("\\n"));
        if (body.size() > 60)
            body = body.left(59) + QChar(0x2026);
        return tr("send %1: %2 %3").arg(c, MessageFormat::key(step.format), body);
    }
    case ScenarioStep::Type::Expect:
        return tr("expect %1: %2 within %3 ms%4")
            .arg(c, ScenarioMatcher::describe(step.matcher))
            .arg(step.withinMs)
            .arg(step.strict ? tr(" (strict)") : QString());
    case ScenarioStep::Type::ExpectNone:
        return tr("expect none %1: %2 for %3 ms")
            .arg(c, ScenarioMatcher::describe(step.matcher))
            .arg(step.withinMs);
    case ScenarioStep::Type::ExpectClose:
        return step.expectCloseCode < 0
            ? tr("expect %1 closed within %2 ms").arg(c).arg(step.withinMs)
            : tr("expect %1 closed with %2 within %3 ms").arg(c).arg(step.expectCloseCode).arg(step.withinMs);
    case ScenarioStep::Type::Wait:
        return tr("wait %1 ms").arg(step.withinMs);
    case ScenarioStep::Type::Ping:
        return tr("ping %1, pong within %2 ms").arg(c).arg(step.withinMs);
    case ScenarioStep::Type::Close:
        return tr("close %1 with %2").arg(c).arg(step.closeCode);
    case ScenarioStep::Type::Command: {
        const ProtocolCommand &command = step.command;
        QString what = command.name;
        if (!command.args.isEmpty())
            what += QLatin1Char(' ')
                + QString::fromUtf8(QJsonDocument(command.args).toJson(QJsonDocument::Compact));
        else if (!command.body.isEmpty())
            what += QLatin1Char(' ') + QString::fromUtf8(command.body);
        else if (command.data.isObject())
            what += QLatin1Char(' ') + command.data.toObject().value(QLatin1String("query")).toString();
        if (!command.id.isEmpty())
            what += QStringLiteral(" #") + command.id;
        what = what.simplified();
        if (what.size() > 60)
            what = what.left(59) + QChar(0x2026);
        const QString title = tr("%1 %2: %3").arg(command.verb, c, what);
        return command.expectReply ? tr("%1, reply within %2 ms").arg(title).arg(step.withinMs) : title;
    }
    case ScenarioStep::Type::Script: {
        QString code = step.script.file;
        if (code.isEmpty())
            code = step.script.code.simplified();
        if (code.size() > 60)
            code = code.left(59) + QChar(0x2026);
        return c.isEmpty() ? tr("script: %1").arg(code) : tr("script %1: %2").arg(c, code);
    }
    }
    return {};
}

} // namespace wst
