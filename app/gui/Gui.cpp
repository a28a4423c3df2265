#include "Gui.h"

#include "ClientTab.h"
#include "GuiHelpers.h"
#include "MainWindow.h"
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
        QCoreApplication::translate("wst::gui", "A ws:// or wss:// URL to connect to at once."),
        QStringLiteral("[url]"));
    parser.process(app);

    MainWindow window;
    const QString url = parser.positionalArguments().value(0);
    ClientTab *tab = window.openStartupTabs(url);
    if (!url.isEmpty() && tab && !tab->urlError().isEmpty())
        std::fprintf(stderr, "wstester: %s\n", qPrintable(tab->urlError()));
    window.show();
    return app.exec();
}

} // namespace wst::gui
