#include "Gui.h"

#include "ClientTab.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "MainWindow.h"
#include "SessionController.h"
#include "settings/AppSettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

namespace wst::gui {

QString installTranslations(QCoreApplication *app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    // Numbers, sizes and dates follow the chosen language too, not only the words.
    QLocale::setDefault(locale);
    QString loaded;
    auto *own = new QTranslator(app);
    // Tries wstester_zh_CN, wstester_zh, ... for each of the locale's UI languages.
    if (own->load(locale, QStringLiteral("wstester"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(own);
        loaded = own->language();
    } else {
        delete own;
    }
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        delete qt;
    }
    return loaded;
}

bool offerRecovery(MainWindow *window)
{
    const QStringList found = SessionController::recoverableSessions();
    if (found.isEmpty())
        return false;
    const auto answer = Dialogs::question(window, QCoreApplication::translate("wst::gui", "Recover Sessions"),
        QCoreApplication::translate("wst::gui",
            "wstester was not closed properly last time. Recover what it was recording (sessions: %1)? "
            "Every tab comes back with its history; nothing is reconnected.\n\nNo: what was recorded is "
            "deleted.")
            .arg(found.size()),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    if (answer != QMessageBox::Yes) {
        for (const QString &path : found)
            SessionController::removeLiveFile(path);
        return false;
    }
    bool any = false;
    for (const QString &path : found) {
        // The first goes into the window at hand (it is empty); openSession() makes new ones.
        MainWindow *shown = window->openSession(path, true);
        if (shown && shown != window)
            shown->show();
        any |= shown != nullptr;
    }
    return any;
}

int run(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("wstester"));
    QApplication::setApplicationName(QStringLiteral("wstester"));
    QApplication::setApplicationVersion(QStringLiteral(WST_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("wstester"));
    QApplication::setWindowIcon(icon(QStringLiteral("wstester")));

    installTranslations(&app, AppSettings::instance()->language());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("wst::gui", "A desktop tool for testing WebSockets."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url"),
        QCoreApplication::translate("wst::gui",
            "A ws:// or wss:// URL to connect to at once, or a session file "
            "(.wstsession) to open."),
        QStringLiteral("[url|file]"));
    parser.process(app);

    // Windows delete themselves when closed; the last one closed ends the app.
    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    const bool recovered = offerRecovery(window);
    const QString argument = parser.positionalArguments().value(0);
    if (argument.endsWith(QLatin1StringView(".wstsession"), Qt::CaseInsensitive)) {
        MainWindow *shown = window->openSession(argument);
        if (!shown && window->tabCount() == 0)
            window->newClientTab();
        if (!shown)
            std::fprintf(stderr, "wstester: %s\n", qPrintable(Dialogs::lastWarning()));
    } else if (!recovered || !argument.isEmpty()) {
        MainWindow *target = recovered ? MainWindow::newWindow() : window;
        ClientTab *tab = recovered ? target->openUrl(argument) : target->openStartupTabs(argument);
        if (!argument.isEmpty() && tab && !tab->urlError().isEmpty())
            std::fprintf(stderr, "wstester: %s\n", qPrintable(tab->urlError()));
    }
    window->show();
    return app.exec();
}

} // namespace wst::gui
