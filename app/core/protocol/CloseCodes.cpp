#include "CloseCodes.h"

namespace wst {

QString CloseCodes::description(int code)
{
    switch (code) {
    case 1000:
        return tr("normal closure");
    case 1001:
        return tr("going away");
    case 1002:
        return tr("protocol error");
    case 1003:
        return tr("unsupported data");
    case 1005:
        return tr("no status code received");
    case 1006:
        return tr("abnormal closure, no close frame");
    case 1007:
        return tr("invalid payload data");
    case 1008:
        return tr("policy violation");
    case 1009:
        return tr("message too big");
    case 1010:
        return tr("mandatory extension missing");
    case 1011:
        return tr("internal server error");
    case 1012:
        return tr("service restart");
    case 1013:
        return tr("try again later");
    case 1014:
        return tr("bad gateway");
    case 1015:
        return tr("TLS handshake failure");
    default:
        break;
    }
    if (code >= 3000 && code <= 3999)
        return tr("registered for libraries and frameworks");
    if (code >= 4000 && code <= 4999)
        return tr("private use");
    return tr("unknown code");
}

QString CloseCodes::validate(int code, const QString &reason, bool sendAnyway)
{
    if (!isSendable(code) && !(sendAnyway && isReportOnly(code)))
        return tr("Close code %1 never appears in a Close frame: use 1000-1003, 1007-1014 or 3000-4999.")
            .arg(code);
    const qsizetype bytes = reason.toUtf8().size();
    if (bytes > MaxReasonBytes)
        return tr("The close reason is %1 bytes in UTF-8; at most %2 are allowed.")
            .arg(bytes)
            .arg(MaxReasonBytes);
    return {};
}

} // namespace wst
