#include "Gui.h"

#include "ClientTab.h"
#include "Dialogs.h"
#include "GuiHelpers.h"
#include "LaunchRequests.h"
#include "MainWindow.h"
#include "SessionController.h"
#include "Theme.h"
#include "session/SessionReader.h"
#include "settings/AppSettings.h"
#include "settings/RecentlyUsed.h"
#include "settings/SingleInstance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

namespace wst::gui {

namespace {

// The translators installed last, removed when another language is chosen.
QPointer<QTranslator> g_ownTranslator;
QPointer<QTranslator> g_qtTranslator;
QString g_translationFolder = QStringLiteral(":/i18n");

} // namespace

void setTranslationFolder(const QString &folder)
{
    g_translationFolder = folder;
}

QString installTranslations(QCoreApplication *app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    // Numbers, sizes and dates follow the chosen language too, not only the words.
    QLocale::setDefault(locale);
    // Removing a translator sends LanguageChange to every widget as well; the new ones send it
    // again, so each widget retranslates itself into the new language.
    for (QPointer<QTranslator> *old : { &g_ownTranslator, &g_qtTranslator }) {
        if (*old) {
            QCoreApplication::removeTranslator(*old);
            delete old->data();
        }
    }
    QString loaded;
    auto *own = new QTranslator(app);
    // Tries wstester_zh_CN, wstester_zh, ... for each of the locale's UI languages.
    if (own->load(locale, QStringLiteral("wstester"), QStringLiteral("_"), g_translationFolder)) {
        QCoreApplication::installTranslator(own);
        loaded = own->language();
        g_ownTranslator = own;
    } else {
        delete own;
    }
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qtTranslator = qt;
    } else {
        delete qt;
    }
    return loaded;
}

namespace {

// Declined captures are kept this long (counted from the answer), then deleted at a start.
constexpr int keepDeclinedDays = 7;

QString declinedFolder()
{
    return SessionController::liveFolder() + QLatin1StringView("/declined");
}

void purgeDeclined()
{
    const QDateTime limit = QDateTime::currentDateTime().addDays(-keepDeclinedDays);
    const QFileInfoList files
        = QDir(declinedFolder()).entryInfoList({ QStringLiteral("*.wstsession") }, QDir::Files);
    for (const QFileInfo &info : files) {
        if (info.lastModified() < limit)
            SessionController::removeLiveFile(info.absoluteFilePath());
    }
}

// Moves a capture (and its write-ahead log) to the declined folder; on failure it stays where it
// is and is offered again next time: nothing is deleted.
void keepDeclined(const QString &path)
{
    const QString folder = declinedFolder();
    QDir().mkpath(folder);
    const QFileInfo info(path);
    QString target = folder + QLatin1Char('/') + info.fileName();
    for (int n = 1; QFileInfo::exists(target); ++n)
        target = QStringLiteral("%1/%2-%3.wstsession").arg(folder, info.completeBaseName()).arg(n);
    if (!QFile::rename(path, target))
        return;
    for (const char *suffix : { "-wal", "-shm", "-journal" }) {
        if (QFileInfo::exists(path + QLatin1StringView(suffix)))
            QFile::rename(path + QLatin1StringView(suffix), target + QLatin1StringView(suffix));
    }
    QFile::remove(path + QLatin1StringView(".lock"));
    // The days are counted from now, not from the capture's last write.
    QFile kept(target);
    if (kept.open(QIODevice::ReadWrite))
        kept.setFileTime(QDateTime::currentDateTime(), QFileDevice::FileModificationTime);
}

// "“name.wstsession”, last written 12/4/26 6:40 PM" or "an unsaved session with 2 tabs, …".
QString describeCapture(const QString &path)
{
    SessionContents contents;
    QString ignored;
    readSessionContents(path, &contents, &ignored);
    const QString saved = contents.meta.value(QStringLiteral("saved_path")).toString();
    const int tabs = int(contents.tabs.size());
    const QString name = !saved.isEmpty() ? QStringLiteral("\u201c%1\u201d").arg(QFileInfo(saved).fileName())
        : tabs == 1 ? QCoreApplication::translate("wst::gui", "an unsaved session with one tab")
                    : QCoreApplication::translate("wst::gui", "an unsaved session with %1 tabs").arg(tabs);
    QDateTime written = QFileInfo(path).lastModified();
    const QFileInfo wal(path + QLatin1StringView("-wal"));
    if (wal.exists() && wal.lastModified() > written)
        written = wal.lastModified();
    return QCoreApplication::translate("wst::gui", "%1, last written %2")
        .arg(name, QLocale().toString(written.toLocalTime(), QLocale::ShortFormat));
}

} // namespace

bool offerRecovery(MainWindow *window)
{
    purgeDeclined();
    const QStringList found = SessionController::recoverableSessions();
    if (found.isEmpty())
        return false;
    QStringList described;
    for (const QString &path : found)
        described.append(QStringLiteral("\u2022 ") + describeCapture(path));
    const auto answer = Dialogs::question(window, QCoreApplication::translate("wst::gui", "Recover Sessions"),
        QCoreApplication::translate("wst::gui",
            "wstester was not closed properly last time. Recover what it was recording?\n\n%1\n\n"
            "Every tab comes back with its history; nothing is reconnected.\n\nNo: nothing is "
            "recovered now; what was recorded is kept in %2 for %3 days, then deleted.")
            .arg(described.join(QLatin1Char('\n')), QDir::toNativeSeparators(declinedFolder()))
            .arg(keepDeclinedDays),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    if (answer != QMessageBox::Yes) {
        for (const QString &path : found)
            keepDeclined(path);
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

namespace {

// For bench/run startup: prints "shown" once the window has painted and ends the app.
class PaintProbe : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if ((event->type() == QEvent::Paint || event->type() == QEvent::UpdateRequest) && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, qApp, [] {
                std::fprintf(stdout, "shown\n");
                std::fflush(stdout);
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};

void quitWhenPainted(QWidget *window)
{
    window->installEventFilter(new PaintProbe(window));
}

} // namespace

int run(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("wstester"));
    QApplication::setApplicationName(QStringLiteral("wstester"));
    QApplication::setApplicationVersion(QStringLiteral(WST_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.wstester.WsTester"));
    QApplication::setWindowIcon(icon(QStringLiteral("wstester")));

    installTranslations(&app, AppSettings::instance()->language());
    theme::apply(theme::choiceFromName(AppSettings::instance()->theme()));
    // Sessions opened and saved go into the desktop's recent files too (tests leave this off).
    RecentlyUsed::setFile(RecentlyUsed::defaultFile());

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
    // The desktop file's actions (New Connection, New Local Server).
    const QCommandLineOption newConnection(QStringLiteral("new-connection"),
        QCoreApplication::translate("wst::gui", "Open with an empty client tab."));
    const QCommandLineOption newServer(QStringLiteral("new-server"),
        QCoreApplication::translate("wst::gui", "Open with a new local server tab."));
    const QCommandLineOption newInstance(QStringLiteral("new-instance"),
        QCoreApplication::translate("wst::gui",
            "Start a new window process even when one is running (by default a running "
            "wstester opens the URL or file)."));
    parser.addOption(newConnection);
    parser.addOption(newServer);
    parser.addOption(newInstance);
    parser.process(app);

    // One window process per user: hand the request to the running one, or become it.
    const QString argument = parser.positionalArguments().value(0);
    SingleInstance instance;
    if (!parser.isSet(newInstance)) {
        if (instance.sendToRunning(
                launchRequest(argument, parser.isSet(newServer), parser.isSet(newConnection))))
            return 0;
        if (!instance.listen())
            std::fprintf(stderr, "wstester: %s\n", qPrintable(instance.errorString()));
        QObject::connect(&instance, &SingleInstance::requestReceived, &app, &openLaunchRequest);
    }

    // Windows delete themselves when closed; the last one closed ends the app.
    auto *window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    const bool recovered = offerRecovery(window);
    if (argument.isEmpty() && (parser.isSet(newConnection) || parser.isSet(newServer))) {
        MainWindow *target = recovered ? MainWindow::newWindow() : window;
        AppSettings::instance()->setFirstRunDone(true);
        if (parser.isSet(newServer))
            target->newServerTab();
        else
            target->newClientTab();
    } else if (argument.endsWith(QLatin1StringView(".wstsession"), Qt::CaseInsensitive)) {
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
    // bench/run startup: launch to the first painted window, then quit.
    if (qEnvironmentVariableIsSet("WST_QUIT_WHEN_SHOWN"))
        quitWhenPainted(window);
    window->show();
    return app.exec();
}

} // namespace wst::gui
