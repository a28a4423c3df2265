#pragma once

#include <QCoreApplication>
#include <QString>

namespace wst {

class CloseCodes
{
    Q_DECLARE_TR_FUNCTIONS(CloseCodes)
public:
    // What a close code means (RFC 6455 section 7.4 and the IANA registry).
    static QString description(int code);
    // Whether a Close frame may carry this code at all (RFC 6455 section 7.4 and IANA's registry):
    // not below 1000, not 1004-1006 or 1015, nothing unassigned below 3000, nothing from 5000.
    static bool isValidOnTheWire(int code)
    {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
            || (code >= 3000 && code <= 4999);
    }
    // Whether wstester sends this code (client and local server alike): every code valid on the
    // wire, not only what a browser lets a page send (1000, 3000-4999), so that a tester can see
    // how a peer takes 1001, 1008 or 1011.
    static bool isSendable(int code) { return isValidOnTheWire(code); }
    // The codes an endpoint only reports (1005 no code, 1006 no Close frame, 1015 TLS failed):
    // they must never be in a Close frame, yet a tester may send them on purpose, to see how a
    // server copes ("send anyway").
    static bool isReportOnly(int code) { return code == 1005 || code == 1006 || code == 1015; }
    // Empty when code and reason can be sent; otherwise what is wrong with them. sendAnyway lets
    // the report-only codes through.
    static QString validate(int code, const QString &reason, bool sendAnyway = false);
    static constexpr int MaxReasonBytes = 123;
    static constexpr int MaxPingBytes = 125;
};

} // namespace wst
