#pragma once

#include <QObject>
#include <QStringList>

namespace wst::cli {

// `wstester handshake URL [options]`: connects, prints the exact exchange and the TLS details
// (like curl -v), then closes with 1000.
class HandshakeCommand : public QObject
{
    Q_OBJECT
public:
    explicit HandshakeCommand(QObject *parent = nullptr);
    int run(const QStringList &args);
};

} // namespace wst::cli
