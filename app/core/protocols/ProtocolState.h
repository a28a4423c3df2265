#pragma once

#include "ProtocolCommand.h"

#include <QList>

namespace wst {

// What the owner of a connection knows of its protocol session, kept from the notices: whether
// the protocol's handshake is done, what the handshake said (for the inspector) and the
// operations the user can stop (GraphQL subscriptions, STOMP and MQTT subscriptions).
class ProtocolState
{
public:
    struct Operation
    {
        QString id;
        QString name;
        qint64 startedUs = 0;
        bool active = true;
        QString endReason; // when it ended: completed, unsubscribed, the error
    };

    // Returns true when the state changed.
    bool apply(const ProtocolNotice &notice);
    void reset();

    bool isReady() const { return m_ready; }
    const ProtocolFields &handshake() const { return m_handshake; }
    // Active operations first, then ended ones (at most MaxEnded, most recent first).
    const QList<Operation> &operations() const { return m_operations; }
    qsizetype activeCount() const;

    static constexpr qsizetype MaxEnded = 50;

private:
    bool m_ready = false;
    ProtocolFields m_handshake;
    QList<Operation> m_operations;
};

} // namespace wst
