// The scenario parser on any document; what it accepts is described, matched against a few
// messages and its JSON paths evaluated, as a run would. Script steps and onMessage hooks are
// only read: nothing here makes a ScenarioRunner or a ScenarioScript, so no script runs.
#include "FuzzSupport.h"
#include "scenario/ScenarioMatcher.h"
#include "scenario/ScenarioParser.h"
#include "scenario/ScenarioReport.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    wst::fuzz::ensureApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wst;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<Scenario> scenario
        = ScenarioParser::parse(input, QStringLiteral("f.wstest.json"), &error);
    // The same text as a JSON path, too.
    (void)JsonPath::parse(QString::fromUtf8(input.left(200)), &error);
    if (!scenario)
        return 0;
    const QByteArray messages[]
        = { QByteArrayLiteral("{\"op\":\"welcome\",\"token\":\"ab\",\"items\":[{\"id\":1}]}"),
              QByteArrayLiteral("hello"), QByteArray("\x00\x01\xff", 3) };
    const QMap<QString, QString> variables { { QStringLiteral("port"), QStringLiteral("1") } };
    for (const ScenarioStep &step : scenario->steps) {
        (void)ScenarioReport::title(step);
        const std::optional<ScenarioMatcher> matcher
            = ScenarioMatcher::prepare(step.matcher, variables, &error);
        if (!matcher)
            continue;
        for (const QByteArray &m : messages) {
            (void)matcher->matches(false, m);
            (void)matcher->matches(true, m);
            QMap<QString, QString> saved;
            (void)ScenarioMatcher::save(step.saves, m, &saved, &error);
        }
    }
    return 0;
}
