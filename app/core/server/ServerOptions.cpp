#include "ServerOptions.h"

#include <QFileInfo>

namespace wst {

QString ServerOptions::validate() const
{
    if (address.isNull())
        return tr("The address to listen on is not valid.");
    if (certificateFile.isEmpty() != keyFile.isEmpty())
        return tr("wss:// needs both a certificate file and a key file.");
    for (const QString &file : { certificateFile, keyFile }) {
        if (!file.isEmpty() && !QFileInfo(file).isReadable())
            return tr("Cannot read %1.").arg(file);
    }
    if (behaviour == Behaviour::Rules && rules.isEmpty())
        return tr("The reply-rules behaviour needs at least one rule.");
    if (pushIntervalMs < 0 || maxClients < 0 || maxMessageSize < 0 || maxSendBuffer < 0)
        return tr("Intervals and limits cannot be negative.");
    if (maxMessageSize > QtMaxMessageSize)
        return tr("The maximum message size can be at most %1 bytes (Qt's own limit).").arg(QtMaxMessageSize);
    if (pushIntervalMs > 0 && pushIntervalMs < 10)
        return tr("The periodic push interval must be at least 10 ms.");
    if (const QString bad = faults.validate(); !bad.isEmpty())
        return bad;
    return {};
}

} // namespace wst
