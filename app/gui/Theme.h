#pragma once

#include <QColor>
#include <QObject>
#include <QPalette>
#include <QString>

class QWidget;

namespace wst::theme {

// What the user chose in View > Theme (AppSettings "ui/theme": "system", "light", "dark").
enum class Choice { System, Light, Dark };

// Every colour the app draws itself, by meaning. Each has a light and a dark variant; the text
// ones keep WCAG AA contrast (4.5:1) against the palette's Window and Base (tst_Theme).
enum class Role {
    ErrorText, // a problem in a field or status line
    SuccessText, // "Valid JSON", Open
    InfoText, // a running periodic send, a scenario step running
    WarningText, // a note that needs care (permessage-deflate declined)
    Incoming, // the history's direction colours
    Outgoing,
    BannerBackground, // the TLS / server warning banners
    BannerText,
    HintBackground, // the first-launch hint
    HintText,
    ErrorLineBackground, // the line of a scenario file with the error
    JsonKey, // JSON highlighting
    JsonString,
    JsonNumber,
    JsonKeyword,
    FindMatch, // find: every match, and the current one
    FindCurrent,
    // The state dots (tabs, connection bars, client lists): one colour each for both palettes,
    // 3:1 against the window and base of either (WCAG's contrast for graphics).
    StateIdle,
    StateBusy, // connecting, closing
    StateOpen,
    StateClosed,
    StateError,
    // Row backgrounds of the history's highlight rules (HighlightRules::Colour, in that order)
    // and of the diff: the palette's Text keeps 4.5:1 on each.
    HighlightRed,
    HighlightOrange,
    HighlightYellow,
    HighlightGreen,
    HighlightBlue,
    HighlightPurple,
    HighlightGrey,
};

// The background role of a highlight colour (HighlightRules::Colour as an int).
Role highlightRole(int colour);

QString choiceName(Choice choice);
Choice choiceFromName(const QString &name); // unknown names: System

bool isDark(const QPalette &palette);
QColor colour(Role role, const QPalette &palette);
// The colour against the application's palette.
QColor colour(Role role);

QPalette darkPalette();
QPalette lightPalette();

// What the desktop prefers, as far as Qt 6.4 can tell: the XDG desktop portal's
// org.freedesktop.appearance color-scheme (over D-Bus), then GTK_THEME ("Adwaita:dark"), then
// whether the platform's own palette is dark. `portal`: 1 dark, 2 light, 0 or -1 unknown.
bool desktopPrefersDark(int portal, const QString &gtkTheme, const QPalette &platformPalette);
// The portal's value (-1 when there is no session bus or no portal), read once with a short timeout.
int readPortalColorScheme();

// Sets the application's style and palette for this choice (Fusion and a dark palette for
// Dark, and for System when the desktop prefers dark). Widgets that paint with colour() read
// the palette when they paint; the widgets given a role with setColour() get its new colour;
// then notifier() emits changed().
void apply(Choice choice);

// The widget's palette slot (WindowText of a status label, Window of a banner) takes the
// role's colour now and again after every apply(). The widget remembers its roles, so a label
// that turns from an error to a success calls this again; clearColour() gives the slot back to
// the inherited palette.
void setColour(QWidget *widget, QPalette::ColorRole slot, Role role);
void clearColour(QWidget *widget, QPalette::ColorRole slot);
// Whether the widget's slot follows a role, and which.
bool hasColour(const QWidget *widget, QPalette::ColorRole slot, Role *role = nullptr);

// For what keeps colours of its own (a syntax highlighter's formats): changed() after apply().
class Notifier : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
Q_SIGNALS:
    void changed();
};
Notifier *notifier();
// The choice applied last, and whether it came out dark.
Choice applied();
bool appliedDark();

// WCAG 2 contrast ratio of two colours (1 to 21).
double contrast(const QColor &a, const QColor &b);

} // namespace wst::theme
