#include "TestCommand.h"

#include "Cli.h"
#include "EnvironmentOption.h"
#include "NumberArgs.h"
#include "compose/EnvironmentLibrary.h"
#include "compose/SecretStore.h"
#include "compose/SecretValues.h"
#include "compose/Variables.h"
#include "export/LoadPlan.h"
#include "scenario/ScenarioParser.h"
#include "scenario/ScenarioReportWriter.h"
#include "scenario/ScenarioRunner.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSaveFile>

#include <unistd.h>

namespace wst::cli {

namespace {

void error(const QString &message)
{
    printError("test", message);
}

bool writeFile(const QString &path, const QByteArray &data, QString *problem)
{
    if (path == QLatin1String("-")) {
        fwrite(data.constData(), 1, size_t(data.size()), stdout);
        fflush(stdout);
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        *problem = TestCommand::tr("cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

TestCommand::TestCommand(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        error(tr("timed out after %1 s.").arg(m_timeout.interval() / 1000.0));
        if (m_runner)
            m_runner->stop();
    });
}

bool TestCommand::parseVariables(
    const QStringList &pairs, QMap<QString, QString> *variables, QString *problem)
{
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        const QString name = pair.left(eq);
        if (eq < 0 || !Variables::isValidName(name) || Variables::isBuiltin(name)) {
            *problem = tr("--var \u201c%1\u201d: expected name=value, with a name such as port or user_id.")
                           .arg(pair);
            return false;
        }
        variables->insert(name, pair.mid(eq + 1));
    }
    return true;
}

int TestCommand::run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Runs scenario files (*.wstest.json) against real servers and reports each step.\n"
           "The format is described in the README, \u201cTesting your API\u201d, and in\n"
           "docs/wstest.schema.json. Exit codes: 0 every step passed, 1 a step failed,\n"
           "2 a bad option or scenario file (one line on standard error says where),\n"
           "3 a connection could not be made, 4 --timeout ran out."));
    parser.addHelpOption();
    parser.addPositionalArgument(tr("FILE"), tr("Scenario files, run in order."), tr("FILE..."));
    const QCommandLineOption envOption(QStringLiteral("env"),
        tr("Use a named environment's variables (as in the window's Environments); --var overrides them."),
        tr("name"));
    const QCommandLineOption varOption(QStringLiteral("var"),
        tr("Set a variable for {{name}} (repeatable); overrides the file's \"variables\"."),
        tr("name=value"));
    const QCommandLineOption junitOption(QStringLiteral("junit"),
        tr("Write a JUnit XML report (a testsuite per file, a testcase per step)."), tr("file"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
        tr("Write the results as JSON (\u201c-\u201d: standard output)."), tr("file"));
    const QCommandLineOption bailOption(
        QStringLiteral("bail"), tr("Stop after the first scenario that fails."));
    const QCommandLineOption timeoutOption({ QStringLiteral("t"), QStringLiteral("timeout") },
        tr("Give up after this many seconds in all (exit code 4)."), tr("seconds"));
    const QCommandLineOption noColourOption(QStringLiteral("no-color"), tr("Never colour the output."));
    const QCommandLineOption exportOption(QStringLiteral("export"),
        tr("Do not run: write the scenario as a load script for k6 or artillery."), tr("engine"));
    const QCommandLineOption outputOption({ QStringLiteral("o"), QStringLiteral("output") },
        tr("With --export: write the script to this file instead of standard output."), tr("file"));
    parser.addOptions({ envOption, varOption, junitOption, jsonOption, bailOption, timeoutOption,
        noColourOption, exportOption, outputOption });
    if (const int exit = parseCommandLine(parser, args, "test"); exit >= 0)
        return exit;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        error(tr("name at least one scenario file (*.wstest.json)."));
        return ExitUsage;
    }
    QString problem;
    // Layers of variables, later ones winning: the file's, then a named environment, then --var.
    if (parser.isSet(envOption)) {
        QStringList warnings;
        // Read-only: a headless run never rewrites the environment files.
        auto *library = new EnvironmentLibrary(EnvironmentLibrary::defaultFolder(), new KeychainSecretStore,
            this, EnvironmentLibrary::Access::ReadOnly);
        if (!EnvironmentOption::load(library, parser.value(envOption), &m_variables, &warnings, &problem)) {
            error(problem);
            return ExitUsage;
        }
        for (const QString &warning : std::as_const(warnings))
            error(warning);
    }
    if (!parseVariables(parser.values(varOption), &m_variables, &problem)) {
        error(problem);
        return ExitUsage;
    }
    if (parser.isSet(timeoutOption)) {
        int ms = 0;
        if (!NumberArgs::seconds(parser, timeoutOption, 0.001, NumberArgs::MaxSeconds, &ms, &problem)) {
            error(problem);
            return ExitUsage;
        }
        m_timeout.setInterval(ms);
    }
    m_bail = parser.isSet(bailOption);
    const QString jsonPath = parser.value(jsonOption);
    if (jsonPath == QLatin1String("-"))
        m_out = stderr; // standard output carries the JSON
    m_colour
        = !parser.isSet(noColourOption) && isatty(fileno(m_out)) && qEnvironmentVariableIsEmpty("NO_COLOR");
    // Every file is read before anything runs: a mistake in the third file is found at once.
    bool bad = false;
    for (const QString &file : files) {
        const std::optional<Scenario> scenario = ScenarioParser::parseFile(file, &problem);
        if (!scenario) {
            error(problem);
            bad = true;
            continue;
        }
        m_scenarios.append(*scenario);
    }
    if (bad)
        return ExitUsage;
    if (parser.isSet(exportOption))
        return exportScenario(parser.value(exportOption), parser.value(outputOption));
    if (parser.isSet(outputOption)) {
        error(tr("-o names the file that --export writes; use --junit or --json for the results."));
        return ExitUsage;
    }

    m_runner = new ScenarioRunner(this);
    m_runner->setVariables(m_variables);
    connect(m_runner, &ScenarioRunner::stepFinished, this, &TestCommand::onStepFinished);
    connect(m_runner, &ScenarioRunner::finished, this, &TestCommand::onScenarioFinished);
    if (m_timeout.interval() > 0)
        m_timeout.start();
    runNext();
    m_loop.exec();
    printSummary();

    if (parser.isSet(junitOption)
        && !writeFile(parser.value(junitOption), SecretValues::mask(ScenarioReportWriter::junit(m_reports)),
            &problem)) {
        error(problem);
        return ExitFailure;
    }
    if (!jsonPath.isEmpty()
        && !writeFile(jsonPath, SecretValues::mask(ScenarioReportWriter::json(m_reports)), &problem)) {
        error(problem);
        return ExitFailure;
    }
    if (m_timedOut)
        return ExitTimeout;
    bool connectionFailed = false;
    bool failed = m_reports.size() < m_scenarios.size();
    for (const ScenarioReport &r : std::as_const(m_reports)) {
        connectionFailed |= r.connectionFailed;
        failed |= !r.passed();
    }
    return connectionFailed ? ExitConnectionFailed : failed ? ExitFailure : ExitOk;
}

int TestCommand::exportScenario(const QString &engineName, const QString &output)
{
    const std::optional<LoadPlan::Engine> engine = LoadPlan::engineFromName(engineName);
    if (!engine) {
        error(tr("--export \u201c%1\u201d: use k6 or artillery.").arg(engineName));
        return ExitUsage;
    }
    if (m_scenarios.size() != 1) {
        error(tr("--export writes one scenario file at a time."));
        return ExitUsage;
    }
    Scenario scenario = m_scenarios.first();
    // --env and --var win over the file's variables, as when the scenario runs.
    for (auto it = m_variables.cbegin(); it != m_variables.cend(); ++it)
        scenario.variables.insert(it.key(), it.value());
    QString problem;
    if (!writeFile(output.isEmpty() ? QStringLiteral("-") : output,
            // An environment's secret is written as {{name}}, for k6 -e / Artillery to fill.
            SecretValues::mask(LoadPlan::write(*engine, LoadPlan::fromScenario(scenario))), &problem)) {
        error(problem);
        return ExitFailure;
    }
    return ExitOk;
}

void TestCommand::runNext()
{
    if (m_next >= m_scenarios.size() || m_timedOut) {
        m_loop.quit();
        return;
    }
    const Scenario &scenario = m_scenarios.at(m_next++);
    fprintf(m_out, "%s\n",
        qPrintable(paint(
            scenario.name == scenario.file ? scenario.file : tr("%1 (%2)").arg(scenario.name, scenario.file),
            "1")));
    fflush(m_out);
    m_runner->start(scenario);
}

void TestCommand::onStepFinished(int index)
{
    printStep(m_runner->report().steps.at(index));
}

void TestCommand::onScenarioFinished()
{
    const ScenarioReport &report = m_runner->report();
    for (const StepReport &s : report.steps) {
        if (s.outcome == StepReport::Outcome::Skipped)
            printStep(s);
    }
    m_reports.append(report);
    if (m_bail && !report.passed()) {
        m_loop.quit();
        return;
    }
    QTimer::singleShot(0, this, &TestCommand::runNext);
}

QString TestCommand::paint(const QString &text, const char *colour) const
{
    if (!m_colour)
        return text;
    return QStringLiteral("\x1b[%1m%2\x1b[0m").arg(QLatin1String(colour), text);
}

void TestCommand::printStep(const StepReport &step)
{
    QString mark;
    switch (step.outcome) {
    case StepReport::Outcome::Passed:
        mark = paint(tr("PASS"), "32");
        break;
    case StepReport::Outcome::Failed:
        mark = paint(tr("FAIL"), "31");
        break;
    default:
        mark = paint(tr("SKIP"), "33");
        break;
    }
    QString line = QStringLiteral("  %1 %2. %3").arg(mark).arg(step.number).arg(step.title);
    if (step.outcome != StepReport::Outcome::Skipped)
        line += QStringLiteral(" (%1)").arg(tr("%1 ms").arg(step.durationMs));
    if (step.outcome == StepReport::Outcome::Failed)
        line += QLatin1Char('\n') + QStringLiteral("       ") + step.detail;
    else if (step.outcome == StepReport::Outcome::Passed && !step.detail.isEmpty())
        line += QStringLiteral(": ") + paint(step.detail, "2");
    for (const QString &logged : step.log)
        line += QLatin1Char('\n') + QStringLiteral("       ") + tr("log: %1").arg(logged);
    // Where the failed step is, last, as compilers say it: an editor jumps there.
    if (step.outcome == StepReport::Outcome::Failed && step.line > 0 && m_runner)
        line += QLatin1Char('\n') + QStringLiteral("       ")
            + tr("at %1:%2").arg(m_runner->report().file).arg(step.line);
    // A secret an environment gave may come back in a message: it is shown as {{name}}.
    fprintf(m_out, "%s\n", qPrintable(SecretValues::mask(line)));
    fflush(m_out);
}

void TestCommand::printSummary()
{
    int passed = 0;
    int steps = 0;
    int failedSteps = 0;
    for (const ScenarioReport &r : std::as_const(m_reports)) {
        passed += r.passed() ? 1 : 0;
        steps += int(r.steps.size());
        failedSteps += r.count(StepReport::Outcome::Failed);
    }
    const int failed = int(m_scenarios.size()) - passed;
    const QString text = tr("Scenarios passed: %1 of %2; steps failed: %3 of %4.")
                             .arg(passed)
                             .arg(m_scenarios.size())
                             .arg(failedSteps)
                             .arg(steps);
    fprintf(m_out, "%s\n", qPrintable(paint(text, failed ? "31" : "32")));
    fflush(m_out);
}

} // namespace wst::cli
