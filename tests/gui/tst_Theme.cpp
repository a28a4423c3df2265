// Dark mode: every colour the app draws itself keeps its contrast in both palettes, the desktop's
// preference is read from a real D-Bus portal, and applying a choice changes the application.
#include "Theme.h"

#include "GuiHelpers.h"
#include "GuiTestSupport.h"
#include "JsonHighlighter.h"
#include "MainWindow.h"
#include "SessionController.h"
#include "ThemeMenu.h"
#include "settings/AppSettings.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusVariant>
#include <QIcon>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QThread>
#include <QToolButton>

#include <memory>

using namespace wst;
using theme::Role;

namespace {

// org.freedesktop.portal.Settings, as much of it as a colour-scheme reader uses.
class FakePortal : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")
public:
    uint scheme = 1;
public Q_SLOTS:
    QDBusVariant Read(const QString &nameSpace, const QString &key)
    {
        if (nameSpace != QLatin1StringView("org.freedesktop.appearance")
            || key != QLatin1StringView("color-scheme"))
            return QDBusVariant(QVariant::fromValue(QDBusVariant(QString())));
        return QDBusVariant(QVariant::fromValue(QDBusVariant(scheme)));
    }
};

} // namespace

class tst_Theme : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textKeepsContrast_data();
    void textKeepsContrast();
    void desktopPreference();
    void portalIsRead();
    void applyChangesTheApplication();
    void widgetRolesFollowTheTheme();
    void highlighterFollowsTheTheme();
    void menuSwitchesEveryWindow();
    void lineIconsFollowTheTheme();
    void names();
};

void tst_Theme::textKeepsContrast_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void tst_Theme::textKeepsContrast()
{
    QFETCH(bool, dark);
    const QPalette palette = dark ? theme::darkPalette() : theme::lightPalette();
    QCOMPARE(theme::isDark(palette), dark);
    // WCAG AA for normal text: 4.5:1.
    const auto check = [](const char *what, const QColor &fg, const QColor &bg) {
        const double ratio = theme::contrast(fg, bg);
        QVERIFY2(ratio >= 4.5,
            qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                           .arg(QLatin1StringView(what), fg.name(), bg.name())
                           .arg(ratio, 0, 'f', 2)));
    };
    for (const QPalette::ColorRole bg : { QPalette::Window, QPalette::Base }) {
        for (const Role role :
            { Role::ErrorText, Role::SuccessText, Role::InfoText, Role::WarningText, Role::Incoming,
                Role::Outgoing, Role::JsonKey, Role::JsonString, Role::JsonNumber, Role::JsonKeyword }) {
            const QByteArray name = "role " + QByteArray::number(int(role));
            check(name.constData(), theme::colour(role, palette), palette.color(bg));
            if (QTest::currentTestFailed())
                return;
        }
        check("text", palette.color(QPalette::Text), palette.color(bg));
        check("placeholder", palette.color(QPalette::PlaceholderText), palette.color(bg));
    }
    check("banner", theme::colour(Role::BannerText, palette), theme::colour(Role::BannerBackground, palette));
    check("hint", theme::colour(Role::HintText, palette), theme::colour(Role::HintBackground, palette));
    check("error line", palette.color(QPalette::Text), theme::colour(Role::ErrorLineBackground, palette));
    check("find match", palette.color(QPalette::Text), theme::colour(Role::FindMatch, palette));
    check("find current", palette.color(QPalette::Text), theme::colour(Role::FindCurrent, palette));
    check("selection", palette.color(QPalette::HighlightedText), palette.color(QPalette::Highlight));
    // The state dots are graphics: WCAG 1.4.11 asks 3:1 against what is around them, in either
    // palette (they keep one colour) and in the platform's own light one.
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette platform = fusion->standardPalette();
    for (const QPalette &around : { palette, platform }) {
        for (const QPalette::ColorRole bg : { QPalette::Window, QPalette::Base, QPalette::Button }) {
            for (const Role role :
                { Role::StateIdle, Role::StateBusy, Role::StateOpen, Role::StateClosed, Role::StateError }) {
                const QColor dot = theme::colour(role, palette);
                const double ratio = theme::contrast(dot, around.color(bg));
                QVERIFY2(ratio >= 3.0,
                    qPrintable(QStringLiteral("state %1: %2 on %3 is %4:1")
                                   .arg(int(role))
                                   .arg(dot.name(), around.color(bg).name())
                                   .arg(ratio, 0, 'f', 2)));
            }
        }
    }
}

void tst_Theme::desktopPreference()
{
    const QPalette light = theme::lightPalette();
    const QPalette dark = theme::darkPalette();
    QVERIFY(theme::desktopPrefersDark(1, {}, light)); // the portal says dark
    QVERIFY(!theme::desktopPrefersDark(2, QStringLiteral("Adwaita:dark"), dark)); // the portal says light
    QVERIFY(theme::desktopPrefersDark(-1, QStringLiteral("Adwaita:dark"), light));
    QVERIFY(theme::desktopPrefersDark(0, QStringLiteral("Yaru-dark"), light));
    QVERIFY(!theme::desktopPrefersDark(0, QStringLiteral("Adwaita"), light));
    QVERIFY(theme::desktopPrefersDark(-1, {}, dark)); // a dark platform palette (KDE, qt6ct)
}

void tst_Theme::portalIsRead()
{
    // A private session bus with a portal on it, answering from its own thread.
    QProcess daemon;
    daemon.start(QStringLiteral("dbus-daemon"),
        { QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address") });
    if (!daemon.waitForStarted(5000))
        QSKIP("dbus-daemon is not installed");
    QTRY_VERIFY_WITH_TIMEOUT(daemon.canReadLine(), 10000);
    const QString address = QString::fromUtf8(daemon.readLine().trimmed());

    QThread thread;
    thread.start();
    auto *portal = new FakePortal; // deleted with its thread
    portal->moveToThread(&thread);
    QDBusConnection service = QDBusConnection::connectToBus(address, QStringLiteral("portal"));
    QVERIFY(service.isConnected());
    QVERIFY(service.registerService(QStringLiteral("org.freedesktop.portal.Desktop")));
    QVERIFY(service.registerObject(
        QStringLiteral("/org/freedesktop/portal/desktop"), portal, QDBusConnection::ExportAllSlots));

    qputenv("DBUS_SESSION_BUS_ADDRESS", address.toUtf8()); // before the first sessionBus()
    QCOMPARE(theme::readPortalColorScheme(), 1);
    portal->scheme = 2;
    QCOMPARE(theme::readPortalColorScheme(), 2);

    service.unregisterObject(QStringLiteral("/org/freedesktop/portal/desktop"));
    QDBusConnection::disconnectFromBus(QStringLiteral("portal"));
    portal->deleteLater();
    thread.quit();
    thread.wait();
    daemon.kill();
    daemon.waitForFinished(5000);
}

void tst_Theme::applyChangesTheApplication()
{
    theme::apply(theme::Choice::Dark);
    QVERIFY(theme::appliedDark());
    QVERIFY(theme::isDark(QApplication::palette()));
    QCOMPARE(theme::colour(Role::ErrorText), theme::colour(Role::ErrorText, theme::darkPalette()));
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    theme::apply(theme::Choice::Light);
    QVERIFY(!theme::appliedDark());
    QVERIFY(!theme::isDark(QApplication::palette()));
    QCOMPARE(theme::applied(), theme::Choice::Light);
}

void tst_Theme::widgetRolesFollowTheTheme()
{
    theme::apply(theme::Choice::Light);
    QWidget banner;
    theme::setColour(&banner, QPalette::Window, Role::BannerBackground);
    theme::setColour(&banner, QPalette::WindowText, Role::BannerText);
    auto *inBanner = new QLabel(QStringLiteral("inside"), &banner);
    QLabel status;
    theme::setColour(&status, QPalette::WindowText, Role::ErrorText);
    const QPalette light = theme::lightPalette();
    QCOMPARE(status.palette().color(QPalette::WindowText), theme::colour(Role::ErrorText, light));
    QCOMPARE(inBanner->palette().color(QPalette::Window), theme::colour(Role::BannerBackground, light));

    QSignalSpy changed(theme::notifier(), &theme::Notifier::changed);
    theme::apply(theme::Choice::Dark);
    QCOMPARE(changed.size(), 1);
    const QPalette dark = theme::darkPalette();
    QVERIFY(theme::colour(Role::ErrorText, dark) != theme::colour(Role::ErrorText, light));
    QCOMPARE(status.palette().color(QPalette::WindowText), theme::colour(Role::ErrorText, dark));
    // The roles the label was not given come from the new palette.
    QCOMPARE(status.palette().color(QPalette::Window), dark.color(QPalette::Window));
    // A child inherits its parent's roles, in their new colours.
    QCOMPARE(inBanner->palette().color(QPalette::Window), theme::colour(Role::BannerBackground, dark));
    QCOMPARE(inBanner->palette().color(QPalette::WindowText), theme::colour(Role::BannerText, dark));

    // An error turns into plain text: the slot follows the palette again, through the next switch.
    theme::Role role = Role::InfoText;
    QVERIFY(theme::hasColour(&status, QPalette::WindowText, &role));
    QCOMPARE(role, Role::ErrorText);
    theme::clearColour(&status, QPalette::WindowText);
    QVERIFY(!theme::hasColour(&status, QPalette::WindowText));
    QCOMPARE(status.palette().color(QPalette::WindowText), dark.color(QPalette::WindowText));
    theme::apply(theme::Choice::Light);
    QCOMPARE(
        status.palette().color(QPalette::WindowText), QApplication::palette().color(QPalette::WindowText));
    QCOMPARE(banner.palette().color(QPalette::Window), theme::colour(Role::BannerBackground, light));
}

void tst_Theme::highlighterFollowsTheTheme()
{
    theme::apply(theme::Choice::Light);
    QTextDocument document(QStringLiteral("{\n    \"price\": 12.5\n}"));
    auto *highlighter = new JsonHighlighter(&document);
    Q_UNUSED(highlighter)
    const auto keyColour = [&document] {
        const QTextBlock line = document.findBlockByNumber(1);
        for (const QTextLayout::FormatRange &range : line.layout()->formats()) {
            if (line.text().mid(range.start, range.length) == QLatin1StringView("\"price\""))
                return range.format.foreground().color();
        }
        return QColor();
    };
    QCOMPARE(keyColour(), theme::colour(Role::JsonKey, theme::lightPalette()));
    theme::apply(theme::Choice::Dark);
    QCOMPARE(keyColour(), theme::colour(Role::JsonKey, theme::darkPalette()));
    theme::apply(theme::Choice::Light);
}

void tst_Theme::menuSwitchesEveryWindow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    AppSettings *settings = guitest::installSettings(this, dir);
    SessionController::setLiveFolder(dir.filePath(QStringLiteral("sessions")));
    theme::apply(theme::Choice::Light);
    MainWindow first;
    MainWindow second;
    first.newClientTab();
    first.show();
    QVERIFY(QTest::qWaitForWindowExposed(&first));
    QAction *darkAction = guitest::action(&first, "themeAction_dark");
    QVERIFY(darkAction);
    QVERIFY(guitest::action(&first, "themeAction_system")->isChecked());
    QCOMPARE(first.findChild<ThemeMenu *>()->title(), QStringLiteral("&Theme"));

    darkAction->trigger();
    QCOMPARE(settings->theme(), QStringLiteral("dark"));
    QVERIFY(theme::appliedDark());
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    // The history filter's "in" toggle has its direction's colour, the dark one now.
    auto *in = first.findChild<QToolButton *>(QStringLiteral("filterInButton"));
    QVERIFY(in);
    QCOMPARE(in->palette().color(QPalette::ButtonText), theme::colour(Role::Incoming, theme::darkPalette()));
    QTRY_COMPARE(first.palette().color(QPalette::Window), theme::darkPalette().color(QPalette::Window));
    // The other window's menu shows the choice.
    QVERIFY(guitest::action(&second, "themeAction_dark")->isChecked());
    QVERIFY(!guitest::action(&second, "themeAction_system")->isChecked());

    guitest::action(&second, "themeAction_light")->trigger();
    QCOMPARE(settings->theme(), QStringLiteral("light"));
    QVERIFY(!theme::appliedDark());
    QCOMPARE(in->palette().color(QPalette::ButtonText), theme::colour(Role::Incoming, theme::lightPalette()));
    QVERIFY(guitest::action(&first, "themeAction_light")->isChecked());
}

// The colour of the opaque pixels of an icon at 24 px, as long as they all have one (else invalid).
static QColor inkOf(const QIcon &icon)
{
    const QImage image = icon.pixmap(24, 24).toImage().convertToFormat(QImage::Format_ARGB32);
    QColor ink;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 255)
                continue; // anti-aliased edges
            if (ink.isValid() && c != ink)
                return {};
            ink = c;
        }
    }
    return ink;
}

void tst_Theme::lineIconsFollowTheTheme()
{
    theme::apply(theme::Choice::Light);
    const QIcon ping = gui::icon(QStringLiteral("ping"));
    const QIcon send = gui::icon(QStringLiteral("send"));
    QCOMPARE(inkOf(ping), QColor(0x3c, 0x40, 0x43)); // the SVG's own grey
    QCOMPARE(inkOf(send), QColor(0x1a, 0x73, 0xe8));
    theme::apply(theme::Choice::Dark);
    // The grey would vanish on a dark button: the same icon now draws in the button text colour.
    const QColor buttonText = QApplication::palette().color(QPalette::ButtonText);
    QCOMPARE(inkOf(ping), buttonText);
    QVERIFY(theme::contrast(inkOf(ping), QApplication::palette().color(QPalette::Button)) >= 4.5);
    QCOMPARE(inkOf(send), QColor(0x1a, 0x73, 0xe8)); // a coloured icon keeps its colour
    theme::apply(theme::Choice::Light);
    QCOMPARE(inkOf(ping), QColor(0x3c, 0x40, 0x43));
}

void tst_Theme::names()
{
    for (const theme::Choice c : { theme::Choice::System, theme::Choice::Light, theme::Choice::Dark })
        QCOMPARE(theme::choiceFromName(theme::choiceName(c)), c);
    QCOMPARE(theme::choiceFromName(QStringLiteral("purple")), theme::Choice::System);
}

QTEST_MAIN(tst_Theme)
#include "tst_Theme.moc"
