#pragma once

#include <QString>
#include <QStringList>

class QUrl;

namespace wst {

// The words on the window's tabs. A client tab is titled host[:port][/path]; when the tabs are
// too many to show their titles whole, what a title shares with another tab's (the same host,
// the same path) gives way, so that what tells them apart stays in sight:
// "127.0.0.1:9001/echo" and "127.0.0.1:9002/echo" become ":9001" and ":9002".
class TabLabels
{
public:
    // host, :port when the URL names one, and the path unless it is "/"; empty without a host.
    static QString forUrl(const QUrl &url);
    // Each title without the start it shares with any other title (from a ':', '/' or '.' on)
    // and then without the end it shares; titles that share no start worth cutting stay whole.
    static QStringList distinctive(const QStringList &titles);
};

} // namespace wst
