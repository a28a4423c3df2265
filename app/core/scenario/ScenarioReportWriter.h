#pragma once

#include "ScenarioReport.h"

#include <QByteArray>
#include <QList>

namespace wst {

// Reports of a `wstester test` run as files for CI systems.
class ScenarioReportWriter
{
public:
    // JUnit XML as Jenkins, GitLab and GitHub's test reporters read it: <testsuites>, one
    // <testsuite> per scenario file, one <testcase> per step with <failure> or <skipped>.
    static QByteArray junit(const QList<ScenarioReport> &reports);
    // {"scenarios": [{"file", "name", "passed", "durationMs", "steps": [{"number", "title",
    // "outcome", "durationMs", "detail", "others"}]}], "passed": bool}
    static QByteArray json(const QList<ScenarioReport> &reports);
};

} // namespace wst
