// Dark mode: every colour the app draws itself keeps its contrast in both palettes, the desktop's
// preference is read from a real D-Bus portal, and applying a choice changes the application.
#include "Theme.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusVariant>
#include <QProcess>
#include <QStyle>
#include <QTest>
#include <QThread>

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
            check(QTest::toString(int(role)), theme::colour(role, palette), palette.color(bg));
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

void tst_Theme::names()
{
    for (const theme::Choice c : { theme::Choice::System, theme::Choice::Light, theme::Choice::Dark })
        QCOMPARE(theme::choiceFromName(theme::choiceName(c)), c);
    QCOMPARE(theme::choiceFromName(QStringLiteral("purple")), theme::Choice::System);
}

QTEST_MAIN(tst_Theme)
#include "tst_Theme.moc"
