#include "Theme.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDBusVariant>
#include <QPointer>
#include <QStyle>
#include <QStyleFactory>
#include <QVariantMap>
#include <QWidget>

#include <cmath>
#include <memory>

namespace wst::theme {

namespace {

struct Pair
{
    QRgb light;
    QRgb dark;
};

Pair pairFor(Role role)
{
    switch (role) {
    case Role::ErrorText:
        return { 0xc01c28, 0xff7b72 };
    case Role::SuccessText:
        return { 0x1a7431, 0x6cc67e };
    case Role::InfoText:
        return { 0x175ec0, 0x79b8ff };
    case Role::WarningText:
        return { 0x8a5a00, 0xe3b341 };
    case Role::Incoming:
        return { 0x176f34, 0x6cc67e };
    case Role::Outgoing:
        return { 0x0a55c4, 0x79b8ff };
    case Role::BannerBackground:
        return { 0xfff4ce, 0x3d3214 };
    case Role::BannerText:
        return { 0x5c3c00, 0xf2d98c };
    case Role::HintBackground:
        return { 0xe8f0fe, 0x1c2b45 };
    case Role::HintText:
        return { 0x173e8c, 0xa8c7fa };
    case Role::ErrorLineBackground:
        return { 0xffe0e0, 0x4a1f1f };
    case Role::JsonKey:
        return { 0x0b4f9c, 0x9cdcfe };
    case Role::JsonString:
        return { 0xa31515, 0xce9178 };
    case Role::JsonNumber:
        return { 0x07704a, 0xb5cea8 };
    case Role::JsonKeyword:
        return { 0x7a1fa2, 0x569cd6 };
    case Role::FindMatch:
        return { 0xffe87a, 0x61571c };
    case Role::FindCurrent:
        return { 0xff9632, 0x8a5200 };
    case Role::StateIdle:
        return { 0x7c7c7c, 0x7c7c7c };
    case Role::StateBusy:
        return { 0xb87400, 0xb87400 };
    case Role::StateOpen:
        return { 0x2b963f, 0x2b963f };
    case Role::StateClosed:
        return { 0x858585, 0x858585 };
    case Role::StateError:
        return { 0xe5484d, 0xe5484d };
    case Role::HighlightRed:
        return { 0xffd6d6, 0x6b2424 };
    case Role::HighlightOrange:
        return { 0xffe2c2, 0x6b3d12 };
    case Role::HighlightYellow:
        return { 0xfff3b0, 0x5a4e10 };
    case Role::HighlightGreen:
        return { 0xd4f5d4, 0x1f5227 };
    case Role::HighlightBlue:
        return { 0xd6e6ff, 0x1f3d6b };
    case Role::HighlightPurple:
        return { 0xecdcff, 0x4a2a6b };
    case Role::HighlightGrey:
        return { 0xe4e4e4, 0x45474b };
    }
    return { 0x000000, 0xffffff };
}

Choice g_applied = Choice::System;
bool g_appliedDark = false;
bool g_platformKnown = false;
QPalette g_platformPalette;
QString g_platformStyle;

// The property a widget keeps its roles in: { "<QPalette::ColorRole>": <Role> }.
constexpr char RolesProperty[] = "wstThemeRoles";

// The widget's palette: nothing of its own but the roles it was given.
void paint(QWidget *widget, const QVariantMap &roles)
{
    QPalette own; // no role set: everything else is inherited from the parent and the application
    const QPalette &app = QGuiApplication::palette();
    for (auto it = roles.cbegin(); it != roles.cend(); ++it)
        own.setColor(QPalette::ColorRole(it.key().toInt()), colour(Role(it.value().toInt()), app));
    widget->setPalette(own);
}

double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        v /= 255.0;
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}

} // namespace

Role highlightRole(int colour)
{
    return Role(
        int(Role::HighlightRed) + qBound(0, colour, int(Role::HighlightGrey) - int(Role::HighlightRed)));
}

QString choiceName(Choice choice)
{
    switch (choice) {
    case Choice::Light:
        return QStringLiteral("light");
    case Choice::Dark:
        return QStringLiteral("dark");
    case Choice::System:
        break;
    }
    return QStringLiteral("system");
}

Choice choiceFromName(const QString &name)
{
    if (name == QLatin1StringView("light"))
        return Choice::Light;
    if (name == QLatin1StringView("dark"))
        return Choice::Dark;
    return Choice::System;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor colour(Role role, const QPalette &palette)
{
    const Pair pair = pairFor(role);
    return QColor(isDark(palette) ? pair.dark : pair.light);
}

QColor colour(Role role)
{
    return colour(role, QGuiApplication::palette());
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1f, 0x20, 0x23);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x7d, 0x80, 0x85);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x17, 0x18, 0x1a));
    p.setColor(QPalette::AlternateBase, QColor(0x24, 0x25, 0x28));
    p.setColor(QPalette::ToolTipBase, QColor(0x2c, 0x2d, 0x31));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x96, 0x99, 0x9e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2c, 0x2d, 0x31));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3b, 0x40));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x34, 0x38));
    p.setColor(QPalette::Mid, QColor(0x26, 0x27, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x12, 0x12, 0x14));
    p.setColor(QPalette::Shadow, QColor(0x00, 0x00, 0x00));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xde));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x79, 0xb8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc2, 0x9b, 0xff));
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x44, 0x46, 0x4b));
    return p;
}

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion->standardPalette();
    p.setColor(QPalette::PlaceholderText, QColor(0x68, 0x68, 0x68));
    p.setColor(QPalette::Highlight, QColor(0x1f, 0x62, 0xb8)); // Fusion's #308cc6 is 3.7:1 under white
    return p;
}

bool desktopPrefersDark(int portal, const QString &gtkTheme, const QPalette &platformPalette)
{
    if (portal == 1)
        return true;
    if (portal == 2)
        return false;
    if (gtkTheme.endsWith(QLatin1StringView(":dark"), Qt::CaseInsensitive)
        || gtkTheme.endsWith(QLatin1StringView("-dark"), Qt::CaseInsensitive))
        return true;
    return isDark(platformPalette);
}

int readPortalColorScheme()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return -1;
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.portal.Desktop"),
        QStringLiteral("/org/freedesktop/portal/desktop"), QStringLiteral("org.freedesktop.portal.Settings"),
        QStringLiteral("Read"));
    call << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme");
    const QDBusMessage reply = bus.call(call, QDBus::Block, 500);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return -1;
    // A variant holding a variant holding a uint32.
    QVariant value = reply.arguments().first();
    while (value.userType() == qMetaTypeId<QDBusVariant>())
        value = qvariant_cast<QDBusVariant>(value).variant();
    bool ok = false;
    const uint scheme = value.toUInt(&ok);
    return ok ? int(scheme) : -1;
}

void apply(Choice choice)
{
    if (!g_platformKnown) {
        g_platformKnown = true;
        g_platformPalette = QApplication::palette();
        g_platformStyle = QApplication::style() ? QApplication::style()->name() : QString();
    }
    bool dark = choice == Choice::Dark;
    if (choice == Choice::System) {
        dark = desktopPrefersDark(
            readPortalColorScheme(), qEnvironmentVariable("GTK_THEME"), g_platformPalette);
    }
    g_applied = choice;
    g_appliedDark = dark;
    if (dark) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(darkPalette());
    } else if (choice == Choice::Light && isDark(g_platformPalette)) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(lightPalette());
    } else {
        // The platform's own look, as it was at start.
        if (!g_platformStyle.isEmpty())
            QApplication::setStyle(g_platformStyle);
        QApplication::setPalette(g_platformPalette);
    }
    const QList<QWidget *> widgets = QApplication::allWidgets();
    for (QWidget *widget : widgets) {
        const QVariant roles = widget->property(RolesProperty);
        if (roles.isValid())
            paint(widget, roles.toMap());
    }
    Q_EMIT notifier()->changed();
}

void setColour(QWidget *widget, QPalette::ColorRole slot, Role role)
{
    QVariantMap roles = widget->property(RolesProperty).toMap();
    roles.insert(QString::number(int(slot)), int(role));
    widget->setProperty(RolesProperty, roles);
    paint(widget, roles);
}

void clearColour(QWidget *widget, QPalette::ColorRole slot)
{
    QVariantMap roles = widget->property(RolesProperty).toMap();
    if (roles.remove(QString::number(int(slot))) == 0)
        return;
    widget->setProperty(RolesProperty, roles);
    paint(widget, roles);
}

bool hasColour(const QWidget *widget, QPalette::ColorRole slot, Role *role)
{
    const QVariant value = widget->property(RolesProperty).toMap().value(QString::number(int(slot)));
    if (!value.isValid())
        return false;
    if (role)
        *role = Role(value.toInt());
    return true;
}

Notifier *notifier()
{
    // A child of the application, so it goes with it (and a test's next application gets its own).
    static QPointer<Notifier> instance;
    if (!instance)
        instance = new Notifier(QCoreApplication::instance());
    return instance;
}

Choice applied()
{
    return g_applied;
}

bool appliedDark()
{
    return g_appliedDark;
}

double contrast(const QColor &a, const QColor &b)
{
    double la = luminance(a);
    double lb = luminance(b);
    if (la < lb)
        std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

} // namespace wst::theme
