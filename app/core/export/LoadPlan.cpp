#include "LoadPlan.h"

#include "ArtilleryScriptWriter.h"
#include "K6ScriptWriter.h"

namespace wst {

LoadPlan LoadPlan::fromScenario(const Scenario &scenario)
{
    LoadPlan plan;
    plan.title = scenario.name;
    plan.source = scenario.file;
    plan.flows.append(scenario);
    return plan;
}

std::optional<LoadPlan::Engine> LoadPlan::engineFromName(QStringView name)
{
    if (name.compare(QLatin1StringView("k6"), Qt::CaseInsensitive) == 0)
        return Engine::K6;
    if (name.compare(QLatin1StringView("artillery"), Qt::CaseInsensitive) == 0)
        return Engine::Artillery;
    return std::nullopt;
}

QString LoadPlan::engineName(Engine engine)
{
    return engine == Engine::K6 ? QStringLiteral("k6") : QStringLiteral("artillery");
}

QString LoadPlan::fileSuffix(Engine engine)
{
    return engine == Engine::K6 ? QStringLiteral("js") : QStringLiteral("yml");
}

QByteArray LoadPlan::write(Engine engine, const LoadPlan &plan)
{
    return engine == Engine::K6 ? K6ScriptWriter::write(plan) : ArtilleryScriptWriter::write(plan);
}

} // namespace wst
