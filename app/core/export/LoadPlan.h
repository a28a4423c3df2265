#pragma once

#include "scenario/Scenario.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wst {

// What a load script replays, whatever it came from: flows that run at the same time, each a
// Scenario (its connections and steps in order). A scenario file is one flow; a session is a
// flow per client tab, its sends as Send steps and the recorded gaps as Wait steps.
// K6ScriptWriter and ArtilleryScriptWriter write it; SessionExport and `wstester test --export`
// fill it. Messages for the user are translated in the context "LoadPlan".
struct LoadPlan
{
    Q_DECLARE_TR_FUNCTIONS(LoadPlan)
public:
    enum class Engine { K6, Artillery };

    QString title;
    QString source; // the session or scenario file, for the script's first comment
    QList<Scenario> flows;
    // A session's sends are the bytes that went out: written as they are, {{…}} included. A
    // scenario's texts keep their {{variables}}, filled when the script runs.
    bool literal = false;
    // Said at the top of the script as comments (e.g. a server tab left out).
    QStringList notes;

    static LoadPlan fromScenario(const Scenario &scenario);
    static std::optional<Engine> engineFromName(QStringView name); // "k6", "artillery"
    static QString engineName(Engine engine);
    static QString fileSuffix(Engine engine); // "js", "yml"
    // The script for `engine` (UTF-8).
    static QByteArray write(Engine engine, const LoadPlan &plan);
};

} // namespace wst
