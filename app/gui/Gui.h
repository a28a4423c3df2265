#pragma once

#include <QString>

class QCoreApplication;

namespace wst {
class MainWindow;
}

namespace wst::gui {

// Builds the QApplication and the main window, and runs the event loop.
int run(int argc, char **argv);

// Offers to recover the sessions a crashed or killed wstester left unsaved (into `window`, which
// is empty, and new windows). Returns true when at least one was recovered.
bool offerRecovery(MainWindow *window);

// Installs the app's translation and Qt's own for this language ("" follows the system),
// replacing those installed before: every open window retranslates itself at once. Returns the name of the
// locale the app's translation was loaded for (empty when none was).
QString installTranslations(QCoreApplication *app, const QString &language);
// Where installTranslations() looks for wstester_<language>.qm (":/i18n", the app's resources;
// tests point it at the build's folder).
void setTranslationFolder(const QString &folder);

} // namespace wst::gui
