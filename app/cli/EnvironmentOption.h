#pragma once

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QStringList>

namespace wst {
class EnvironmentLibrary;
}

namespace wst::cli {

// `--env NAME`: a named environment of the app's (the window's Environments, in the data
// folder) as variables for a headless run. Secret values come from the system's secret service
// when there is one; otherwise they are missing and warnings() says which, and how to pass them.
class EnvironmentOption
{
    Q_DECLARE_TR_FUNCTIONS(EnvironmentOption)
public:
    // Adds the environment's variables to *variables (replacing equal names). False with *problem
    // (one line) when there is no such environment. Waits at most waitMs for the secret service.
    static bool load(EnvironmentLibrary *library, const QString &name, QMap<QString, QString> *variables,
        QStringList *warnings, QString *problem, int waitMs = 5000);
};

} // namespace wst::cli
