#pragma once

#include "protocol/FrameSpec.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wst {

// One case of `wstester check` (modelled on the Autobahn test suite's groups): hand-made frames
// sent to an echo server, and what RFC 6455 requires it to do with them.
struct CheckCase
{
    Q_DECLARE_TR_FUNCTIONS(CheckCase)
public:
    enum class Expect {
        Echo, // the message comes back whole (opcode and payload)
        Pong, // a pong with the ping's payload
        Fail, // the server fails the connection: a Close with one of closeCodes
        CloseReply, // the server answers our Close with one of closeCodes
        Ignore, // nothing happens: the probe message sent afterwards is echoed
        Wait, // nothing happens within the timeout (a frame still incomplete)
    };

    QString id; // "3.1"
    QString group; // "reserved bits"
    QString title;
    QString rfc; // what RFC 6455 requires, with the section
    QList<FrameSpec> frames;
    Expect expect = Expect::Echo;
    quint8 echoOpcode = 0x1;
    QByteArray echoPayload;
    QList<int> closeCodes;
    int timeoutMs = 0; // 0: the run's timeout
    // Expect::Fail for what the RFC forbids the sender without requiring the receiver to refuse
    // (a longer length form than needed): an echo is lenient, not a failure.
    bool mayAccept = false;
    // permessage-deflate (RFC 7692): offered in the handshake; the case is skipped when the
    // server declines. With `compress`, each text or binary frame spec with RSV1 has its payload
    // deflated once the agreement is known (context takeover as agreed).
    bool deflate = false;
    bool compress = true;
    int echoCount = 1; // Expect::Echo: the message comes back this many times

    // Every case, in order.
    static QList<CheckCase> catalogue();
    // Group 12, the end of the catalogue.
    static QList<CheckCase> compressionCases();
    static QString groupName(const QString &id);
};

} // namespace wst
