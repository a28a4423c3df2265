#include "EnvironmentOption.h"

#include "compose/EnvironmentLibrary.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>

namespace wst::cli {

bool EnvironmentOption::load(EnvironmentLibrary *library, const QString &name,
    QMap<QString, QString> *variables, QStringList *warnings, QString *problem, int waitMs)
{
    if (!library->contains(name)) {
        const QStringList names = library->names();
        const QString folder = QDir::toNativeSeparators(library->folder());
        *problem = names.isEmpty()
            ? tr("--env \u201c%1\u201d: there are no environments in %2.").arg(name, folder)
            : tr("--env \u201c%1\u201d: no environment of that name in %2 (there are: %3).")
                  .arg(name, folder, names.join(QStringLiteral(", ")));
        return false;
    }
    if (library->secretsPending()) {
        QEventLoop loop;
        QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
        QObject::connect(library, &EnvironmentLibrary::secretsSettled, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const NamedEnvironment environment = library->environment(name);
    for (const EnvironmentVariable &variable : environment.variables) {
        if (variable.secret && variable.value.isEmpty()) {
            warnings->append(
                tr("--env %1: the secret \u201c%2\u201d has no value here (%3); pass it with --var %2=\u2026")
                    .arg(environment.name, variable.name,
                        library->secretServiceAvailable() ? tr("the secret service did not give it")
                                                          : tr("no secret service")));
            continue;
        }
        variables->insert(variable.name, variable.value);
    }
    return true;
}

} // namespace wst::cli
