#pragma once

#include <QString>
#include <QStringList>

namespace wst {
class MainWindow;
}

namespace wst::gui {

// What a launch asks the window for, as SingleInstance passes it from a second launch to the
// running one: {"url", URL}, {"session", absolute path}, {"new-server"}, {"new-connection"}, or
// {} (just bring a window forward).
QStringList launchRequest(const QString &argument, bool newServer, bool newConnection);

// Carries out a request from another launch in the running app: in the active window (or the
// last one), which is brought forward.
void openLaunchRequest(const QStringList &request);

} // namespace wst::gui
