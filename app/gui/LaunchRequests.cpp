#include "LaunchRequests.h"

#include "ClientTab.h"
#include "Dialogs.h"
#include "MainWindow.h"

#include <QApplication>
#include <QFileInfo>

#include <cstdio>

namespace wst::gui {

namespace {

MainWindow *targetWindow()
{
    if (auto *active = qobject_cast<MainWindow *>(QApplication::activeWindow()))
        return active;
    MainWindow *last = nullptr;
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget *widget : windows) {
        if (auto *window = qobject_cast<MainWindow *>(widget); window && window->isVisible())
            last = window;
    }
    return last;
}

void bringForward(QWidget *window)
{
    window->show();
    window->setWindowState((window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    window->raise();
    window->activateWindow();
}

} // namespace

QStringList launchRequest(const QString &argument, bool newServer, bool newConnection)
{
    if (argument.endsWith(QLatin1StringView(".wstsession"), Qt::CaseInsensitive))
        return { QStringLiteral("session"), QFileInfo(argument).absoluteFilePath() };
    if (!argument.isEmpty())
        return { QStringLiteral("url"), argument };
    if (newServer)
        return { QStringLiteral("new-server") };
    if (newConnection)
        return { QStringLiteral("new-connection") };
    return {};
}

void openLaunchRequest(const QStringList &request)
{
    MainWindow *window = targetWindow();
    if (!window)
        window = MainWindow::newWindow();
    const QString what = request.value(0);
    if (what == QLatin1StringView("session")) {
        MainWindow *shown = window->openSession(request.value(1));
        if (shown)
            window = shown;
        else
            std::fprintf(stderr, "wstester: %s\n", qPrintable(Dialogs::lastWarning()));
    } else if (what == QLatin1StringView("url")) {
        ClientTab *tab = window->openUrl(request.value(1));
        if (tab && !tab->urlError().isEmpty())
            std::fprintf(stderr, "wstester: %s\n", qPrintable(tab->urlError()));
    } else if (what == QLatin1StringView("new-server")) {
        window->newServerTab();
    } else if (what == QLatin1StringView("new-connection")) {
        window->newClientTab();
    }
    bringForward(window);
}

} // namespace wst::gui
